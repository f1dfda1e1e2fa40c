#include "transducers.hpp"

#include "native.hpp"
#include "classes.hpp"
#include "gc.hpp"
#include "namespaces.hpp"
#include "numbers.hpp"
#include "polymorphism.hpp"
#include "text.hpp"

#include <cmath>
#include <cstring>

namespace jhr
{
  namespace
  {
    bool is_reduced(object const *o)
    {
      return o->type == tag::reduced;
    }

    object *unreduced(object *o)
    {
      return is_reduced(o) ? static_cast<reduced_obj *>(o)->value : o;
    }

    object *ensure_reduced(object *o)
    {
      return is_reduced(o) ? o : new reduced_obj{ o };
    }

    object *call(object *f, object *a)
    {
      return invoke(f, 1, &a);
    }

    object *call(object *f, object *a, object *b)
    {
      object *args[] = { a, b };
      return invoke(f, 2, args);
    }

    /* A reducing function made by a transducer: env is [rf params state]. */
    struct step
    {
      object *rf;
      object *params;
      cell_obj *state;

      explicit step(object *env)
        : rf{ env_at(env, 0) }
        , params{ env_at(env, 1) }
        , state{ static_cast<cell_obj *>(env_at(env, 2)) }
      {
      }

      object *param(size_t i) const
      {
        return env_at(params, i);
      }

      /* The init and completion arities, passed straight to rf. */
      object *pass(int argc, args_t argv) const
      {
        return invoke(rf, argc, argv);
      }
    };

    object *map_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      return call(s.rf, argv[0], invoke(s.param(0), argc - 1, argv + 1));
    }

    object *filter_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      return truthy(call(s.param(0), argv[1])) ? call(s.rf, argv[0], argv[1]) : argv[0];
    }

    /* Keeps each item with probability param(0), drawn from rand as
     * random-sample's seq arity draws. */
    object *random_sample_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      auto const draw = as_double(invoke(core("rand"), 0, nullptr), "random-sample");
      return draw < as_double(s.param(0), "random-sample") ? call(s.rf, argv[0], argv[1]) : argv[0];
    }

    object *remove_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      return truthy(call(s.param(0), argv[1])) ? argv[0] : call(s.rf, argv[0], argv[1]);
    }

    object *keep_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      auto *v = call(s.param(0), argv[1]);
      return v->type == tag::nil ? argv[0] : call(s.rf, argv[0], v);
    }

    int64_t count_param(step const &s, char const *op)
    {
      return step_count(s.param(0), op);
    }

    /* The state cell holds how many remain, nil until the first step. */
    int64_t remaining(step const &s, char const *op)
    {
      auto *v = s.state->value;
      return v->type == tag::nil ? count_param(s, op) : static_cast<integer_obj *>(v)->value;
    }

    object *take_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      auto const n = remaining(s, "take's count");
      s.state->value = integer(n - 1);
      auto *result = n > 0 ? call(s.rf, argv[0], argv[1]) : argv[0];
      return n - 1 <= 0 ? ensure_reduced(result) : result;
    }

    object *drop_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      auto const n = remaining(s, "drop's count");
      if(n > 0)
      {
        s.state->value = integer(n - 1);
        return argv[0];
      }
      return call(s.rf, argv[0], argv[1]);
    }

    object *take_while_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      return truthy(call(s.param(0), argv[1])) ? call(s.rf, argv[0], argv[1]) : new reduced_obj{ argv[0] };
    }

    object *drop_while_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      if(s.state->value->type == tag::nil && truthy(call(s.param(0), argv[1])))
      {
        return argv[0];
      }
      s.state->value = boolean(true);
      return call(s.rf, argv[0], argv[1]);
    }

    /* Steps rf over every item of coll; a reduced result stays reduced. */
    object *step_all(object *rf, object *result, object *coll)
    {
      for(auto *item : to_items(coll))
      {
        result = call(rf, result, item);
        if(is_reduced(result))
        {
          return result;
        }
      }
      return result;
    }

    object *cat_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      return step_all(s.rf, argv[0], argv[1]);
    }

    object *mapcat_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      return step_all(s.rf, argv[0], invoke(s.param(0), argc - 1, argv + 1));
    }

    object *partition_all_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      auto *buffer = s.state->value->type == tag::nil ? vector_from({}) : s.state->value;
      if(argc == 1)
      {
        auto *result = argv[0];
        if(count(buffer) > 0)
        {
          s.state->value = nil();
          result = unreduced(call(s.rf, result, buffer));
        }
        return call(s.rf, result);
      }
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      buffer = conj(buffer, argv[1]);
      if(static_cast<int64_t>(count(buffer)) >= truncated_index(s.param(0), "partition-all's size"))
      {
        s.state->value = nil();
        return call(s.rf, argv[0], buffer);
      }
      s.state->value = buffer;
      return argv[0];
    }

    object *dedupe_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      /* The state holds [previous] once there is one. */
      auto *seen = s.state->value;
      if(seen->type != tag::nil && equals(env_at(seen, 0), argv[1]))
      {
        return argv[0];
      }
      s.state->value = vector_from({ argv[1] });
      return call(s.rf, argv[0], argv[1]);
    }

    object *distinct_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      auto *seen = s.state->value->type == tag::nil ? set_from({}) : s.state->value;
      if(contains(seen, argv[1]))
      {
        return argv[0];
      }
      s.state->value = conj(seen, argv[1]);
      return call(s.rf, argv[0], argv[1]);
    }

    object *map_indexed_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      auto const i = s.state->value->type == tag::nil ? 0 : static_cast<integer_obj *>(s.state->value)->value;
      s.state->value = integer(i + 1);
      return call(s.rf, argv[0], call(s.param(0), integer(i), argv[1]));
    }

    object *interpose_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      if(s.state->value->type == tag::nil)
      {
        s.state->value = boolean(true);
        return call(s.rf, argv[0], argv[1]);
      }
      auto *result = call(s.rf, argv[0], s.param(0));
      return is_reduced(result) ? result : call(s.rf, result, argv[1]);
    }

    /* The state cell holds the index of the next item. */
    int64_t next_index(step const &s)
    {
      auto const i = s.state->value->type == tag::nil ? 0 : static_cast<integer_obj *>(s.state->value)->value;
      s.state->value = integer(i + 1);
      return i;
    }

    object *take_nth_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      /* Clojure keeps the items whose index has (rem i n) zero: with a
       * fractional n, (take-nth 2.5) keeps indices 0, 5, 10 ... */
      auto const i = next_index(s);
      auto *n = s.param(0);
      auto const kept = n->type == tag::integer
        ? i % std::max<int64_t>(static_cast<integer_obj *>(n)->value, 1) == 0
        : std::fmod(static_cast<double>(i), as_double(n, "take-nth's step")) == 0.0;
      return kept ? call(s.rf, argv[0], argv[1]) : argv[0];
    }

    object *keep_indexed_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      auto *v = call(s.param(0), integer(next_index(s)), argv[1]);
      return v->type == tag::nil ? argv[0] : call(s.rf, argv[0], v);
    }

    /* The state cell holds [buffer key] while a run is open. */
    object *partition_by_rf(object *env, int argc, args_t argv)
    {
      step const s{ env };
      auto *open = s.state->value;
      if(argc == 1)
      {
        auto *result = argv[0];
        if(open->type != tag::nil)
        {
          s.state->value = nil();
          result = unreduced(call(s.rf, result, env_at(open, 0)));
        }
        return call(s.rf, result);
      }
      if(argc < 2)
      {
        return s.pass(argc, argv);
      }
      auto *key = call(s.param(0), argv[1]);
      if(open->type == tag::nil || equals(env_at(open, 1), key))
      {
        auto *buffer = open->type == tag::nil ? vector_from({}) : env_at(open, 0);
        s.state->value = vector_from({ conj(buffer, argv[1]), key });
        return argv[0];
      }
      auto *ret = call(s.rf, argv[0], env_at(open, 0));
      /* A reduced step ends the reduction: the input opens no partition for
       * the completion to flush, as Clojure's partition-by does. */
      s.state->value = is_reduced(ret) ? nil() : vector_from({ vector_from({ argv[1] }), key });
      return ret;
    }

    struct transducer_kind
    {
      char const *name;
      native_closure_fn rf;
      int params;
    };

    transducer_kind const kinds[] = {
      { "map", map_rf, 1 },
      { "filter", filter_rf, 1 },
      { "remove", remove_rf, 1 },
      { "keep", keep_rf, 1 },
      { "take", take_rf, 1 },
      { "drop", drop_rf, 1 },
      { "take-while", take_while_rf, 1 },
      { "drop-while", drop_while_rf, 1 },
      { "mapcat", mapcat_rf, 1 },
      { "cat", cat_rf, 0 },
      { "partition-all", partition_all_rf, 1 },
      { "dedupe", dedupe_rf, 0 },
      { "distinct", distinct_rf, 0 },
      { "map-indexed", map_indexed_rf, 1 },
      { "interpose", interpose_rf, 1 },
      { "take-nth", take_nth_rf, 1 },
      { "keep-indexed", keep_indexed_rf, 1 },
      { "partition-by", partition_by_rf, 1 },
      { "random-sample", random_sample_rf, 1 },
    };

    /* halt-when's reducing fn; env: [rf pred retf]. A halt is reduced to
     * {:clojure.core/halt value}, which the completion unwraps. */
    object *halt_rf(object *env, int argc, args_t argv)
    {
      auto *rf = env_at(env, 0);
      auto *halt = keyword("clojure.core", "halt");
      if(argc == 1)
      {
        auto *result = argv[0];
        if(result->type == tag::map && contains(result, halt))
        {
          return get(result, halt, nil());
        }
        return invoke(rf, 1, argv);
      }
      if(argc < 2)
      {
        return invoke(rf, argc, argv);
      }
      if(!truthy(invoke(env_at(env, 1), 1, argv + 1)))
      {
        return invoke(rf, argc, argv);
      }
      auto *retf = env_at(env, 2);
      object *value = argv[1];
      if(retf->type != tag::nil)
      {
        object *args[] = { invoke(rf, 1, argv), argv[1] };
        value = invoke(retf, 2, args);
      }
      return new reduced_obj{ map_from({ halt, value }) };
    }

    object *halt_when_xf(object *env, int argc, args_t argv)
    {
      check_arity("halt-when", argc, 1, 1);
      return native_closure("halt-when", halt_rf, vector_from({ argv[0], env_at(env, 0), env_at(env, 1) }));
    }

    /* (halt-when pred) and (halt-when pred retf): stops the reduction at the
     * first input pred accepts, returning it (or (retf result input)). */
    object *halt_when(int argc, args_t argv)
    {
      check_arity("halt-when", argc, 1, 2);
      return native_closure("halt-when", halt_when_xf, vector_from({ argv[0], argc == 2 ? argv[1] : nil() }));
    }

    /* A transducer applied to rf: a reducing fn with its own fresh state. */
    object *apply_transducer(object *env, int argc, args_t argv)
    {
      check_arity("transducer", argc, 1, 1);
      auto const *kind = &kinds[static_cast<integer_obj *>(env_at(env, 0))->value];
      return native_closure(kind->name, kind->rf, vector_from({ argv[0], env_at(env, 1), new cell_obj{ nil(), false } }));
    }

    /* (reduce f init coll) as clojure.core's reduce: a deftype's or reify's
     * IReduceInit, or a CollReduce extension, first. The runtime's own
     * walks use reduce_with, which reads a collection's items. */
    object *reduce_public(object *f, object *init, object *coll)
    {
      if(auto *own = user_type_method(coll, "reduce", "clojure.core.protocols", "coll-reduce"))
      {
        return call(own, { coll, f, init });
      }
      return reduce_with(f, init, coll);
    }

    object *transduce(int argc, args_t argv)
    {
      check_arity("transduce", argc, 3, 4);
      auto *rf = call(argv[0], argv[1]);
      auto *init = argc == 4 ? argv[2] : invoke(argv[1], 0, nullptr);
      return call(rf, reduce_public(rf, init, argv[argc - 1]));
    }

    object *into(int argc, args_t argv)
    {
      check_arity("into", argc, 0, 3);
      if(argc == 0)
      {
        return vector_from({});
      }
      if(argc == 1)
      {
        return argv[0];
      }
      if(argc == 2 && user_type_method(argv[1], "reduce", "clojure.core.protocols", "coll-reduce") != nullptr)
      {
        return reduce_public(deref(find_var("clojure.core", "conj")), argv[0], argv[1]);
      }
      if(argc == 2 && argv[0]->type == tag::vector)
      {
        /* Into a vector: one new trie built from all the items, instead of a
         * tail copied per item (Clojure's into goes through a transient);
         * but a few items onto a long vector are conj'd, so that repeated
         * intos onto one growing vector cost what they add, not its length. */
        auto more = to_items(argv[1]);
        auto *to = argv[0];
        if(more.size() * 16 < count(to))
        {
          for(auto *item : more)
          {
            to = conj(to, item);
          }
          return to;
        }
        auto items = to_items(argv[0]);
        items.insert(items.end(), more.begin(), more.end());
        return carry_meta(argv[0], vector_from(std::move(items)));
      }
      if(argc == 2)
      {
        object *to = argv[0];
        for(auto *item : to_items(argv[1]))
        {
          to = conj(to, item);
        }
        return to;
      }
      object *conj_fn = deref(find_var("clojure.core", "conj"));
      object *args[] = { argv[1], conj_fn, argv[0], argv[2] };
      return transduce(4, args);
    }

    /* How many transformed items (sequence xf coll) realizes at a time, as
     * Clojure's realizes a chunk of 32. */
    constexpr size_t sequence_chunk = 32;

    /* env: [rf, the input not yet transformed, the items transformed ahead].
     * The next chunk of (sequence xf coll): input is pulled until a chunk's
     * worth of items and one more come out (Clojure's chunk loop asks its
     * iterator hasNext before it counts, so one item beyond the chunk is
     * transformed early) and the extra ones wait for the next chunk; an
     * infinite coll works. At its end (or a reduced), the rf's completion
     * runs once, flushing what partition-all and the like hold. */
    object *sequence_step(object *env, int, args_t)
    {
      auto *rf = env_at(env, 0);
      auto *input = env_at(env, 1);
      object *acc = env_at(env, 2);
      bool finished = false;
      while(count(acc) <= sequence_chunk)
      {
        auto *s = seq(input);
        if(s->type == tag::nil)
        {
          acc = call(rf, acc);
          finished = true;
          break;
        }
        acc = call(rf, acc, first(s));
        input = rest(s);
        if(is_reduced(acc))
        {
          acc = call(rf, unreduced(acc));
          finished = true;
          break;
        }
      }
      auto const items = to_items(acc);
      auto const emitted = finished ? items.size() : sequence_chunk;
      object *out = finished
        ? nil()
        : lazy(sequence_step, { rf, input, vector_from({ items.begin() + sequence_chunk, items.end() }) });
      for(auto i = emitted; i > 0; --i)
      {
        out = new cons_obj{ items[i - 1], out };
      }
      return out;
    }

    /* env: [rf]. A step of (acc [x y ...]) as rf's (acc x y ...). */
    object *spread_step(object *env, int argc, args_t argv)
    {
      auto *rf = env_at(env, 0);
      if(argc != 2)
      {
        return invoke(rf, argc, argv);
      }
      std::vector<object *> args{ argv[0] };
      for(auto *x : to_items(argv[1]))
      {
        args.push_back(x);
      }
      return invoke(rf, static_cast<int>(args.size()), args.data());
    }

    object *sequence(int argc, args_t argv)
    {
      check_arity("sequence", argc, 1, -1);
      if(argc == 1)
      {
        auto *s = seq(argv[0]);
        return s->type == tag::nil ? const_cast<list_obj *>(empty_list()) : s;
      }
      auto *rf = call(argv[0], deref(intern_var("clojure.core", "conj")));
      if(argc > 2)
      {
        /* (sequence xf c1 c2 ...): each step gets one item of every coll,
         * read lazily in step, (map vector c1 c2 ...), so any may be endless. */
        std::vector<object *> map_args{ core("vector") };
        map_args.insert(map_args.end(), argv + 1, argv + argc);
        auto *tuples = invoke(core("map"), static_cast<int>(map_args.size()), map_args.data());
        auto *spread = native_closure("sequence", spread_step, vector_from({ rf }));
        return lazy(sequence_step, { spread, tuples, vector_from({}) });
      }
      return lazy(sequence_step, { rf, argv[1], vector_from({}) });
    }

    object *completing_call(object *env, int argc, args_t argv)
    {
      auto *f = env_at(env, 0);
      auto *cf = env_at(env, 1);
      if(argc == 1)
      {
        return cf->type == tag::nil ? argv[0] : call(cf, argv[0]);
      }
      return invoke(f, argc, argv);
    }

    object *completing(int argc, args_t argv)
    {
      check_arity("completing", argc, 1, 2);
      return native_closure("completing", completing_call, vector_from({ argv[0], argc == 2 ? argv[1] : nil() }));
    }

    object *reduced(int argc, args_t argv)
    {
      check_arity("reduced", argc, 1, 1);
      return new reduced_obj{ argv[0] };
    }

    object *reduced_p(int argc, args_t argv)
    {
      check_arity("reduced?", argc, 1, 1);
      return boolean(is_reduced(argv[0]));
    }

    object *unreduced_(int argc, args_t argv)
    {
      check_arity("unreduced", argc, 1, 1);
      return unreduced(argv[0]);
    }

    object *ensure_reduced_(int argc, args_t argv)
    {
      check_arity("ensure-reduced", argc, 1, 1);
      return ensure_reduced(argv[0]);
    }

    object *reduce(int argc, args_t argv)
    {
      check_arity("reduce", argc, 2, 3);
      /* A deftype's IReduce or IReduceInit, or a CollReduce extension: both
       * take the collection first. */
      if(argc == 3)
      {
        if(user_type_method(argv[2], "reduce", "clojure.core.protocols", "coll-reduce") == nullptr)
        {
          return reduce_with(argv[0], argv[1], argv[2], true);
        }
        return reduce_public(argv[0], argv[1], argv[2]);
      }
      if(auto *own = user_type_method(argv[1], "reduce", "clojure.core.protocols", "coll-reduce"))
      {
        return call(own, { argv[1], argv[0] });
      }
      auto *s = seq(argv[1]);
      if(s->type == tag::nil)
      {
        return invoke(argv[0], 0, nullptr);
      }
      return reduce_with(argv[0], first(s), rest(s), true);
    }

    /* (reduce-kv f init coll): f of (acc key value) over a map's entries, or
     * (acc index item) over a vector's; nil reduces to init. */
    object *reduce_kv(int argc, args_t argv)
    {
      check_arity("reduce-kv", argc, 3, 3);
      auto *f = argv[0];
      auto *acc = argv[1];
      auto *coll = argv[2];
      /* A deftype's IKVReduce, or an IKVReduce extension. */
      if(auto *own = user_type_method(coll, "kvreduce", "clojure.core.protocols", "kv-reduce"))
      {
        return call(own, { coll, f, acc });
      }
      auto const step = [&](object *k, object *v) {
        object *args[] = { acc, k, v };
        acc = invoke(f, 3, args);
        return is_reduced(acc);
      };
      switch(coll->type)
      {
        case tag::nil:
          return acc;
        case tag::vector:
          {
            auto *v = static_cast<vector_obj *>(coll);
            for(size_t i = 0; i < v->count; ++i)
            {
              if(step(integer(static_cast<int64_t>(i)), v->at(i)))
              {
                return unreduced(acc);
              }
            }
            return acc;
          }
        case tag::map:
        case tag::record:
          for(auto *e : to_items(coll))
          {
            auto *entry = static_cast<vector_obj *>(e);
            if(step(entry->at(0), entry->at(1)))
            {
              return unreduced(acc);
            }
          }
          return acc;
        default:
          /* A seq of entries, as (seq m): Clojure's IKVReduce falls back
           * to reducing it entry by entry. */
          if(truthy(call(core("seq?"), { coll })))
          {
            for(auto *s = seq(coll); s->type != tag::nil; s = seq(rest(s)))
            {
              auto *entry = first(s);
              if(step(call(core("key"), { entry }), call(core("val"), { entry })))
              {
                return unreduced(acc);
              }
            }
            return acc;
          }
          fail(std::string{ "reduce-kv expects a map or vector, got " } + type_name(coll));
      }
    }

    /* An Eduction's items: the transform run over the collection anew, as
     * each walk of a JVM Eduction runs it. */
    object *eduction_seq(int argc, args_t argv)
    {
      check_arity("seq", argc, 1, 1);
      auto const &values = static_cast<instance_obj *>(argv[0])->values;
      object *args[] = { values[0], values[1] };
      return seq(sequence(2, args));
    }

    /* clojure.core.Eduction: reducible and seqable, sequential but not a
     * seq or a collection; it prints as an #object, as on the JVM. */
    record_type_obj *eduction_type()
    {
      static record_type_obj *type = [] {
        auto *t = class_named("clojure.core.Eduction");
        auto *seq_fn = new fn_obj{};
        seq_fn->name = "seq";
        seq_fn->native = eduction_seq;
        t->seq_fn = seq_fn;
        t->interfaces = { "java.lang.Iterable", "clojure.lang.IReduceInit", "clojure.lang.Sequential" };
        gc::make_permanent(seq_fn);
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    /* (eduction xform* coll). */
    object *eduction(int argc, args_t argv)
    {
      check_arity("eduction", argc, 1, -1);
      auto *xform = argc == 1 ? deref(intern_var("clojure.core", "identity"))
                              : invoke(deref(intern_var("clojure.core", "comp")), argc - 1, argv);
      return new instance_obj{ eduction_type(), { xform, argv[argc - 1] } };
    }

    native_entry const transducer_fns[] = {
      { "eduction", eduction },
      { "halt-when", halt_when },
      { "reduce", reduce },
      { "reduce-kv", reduce_kv },
      { "transduce", transduce },
      { "into", into },
      { "sequence", sequence },
      { "completing", completing },
      { "reduced", reduced },
      { "reduced?", reduced_p },
      { "unreduced", unreduced_ },
      { "ensure-reduced", ensure_reduced_ },
    };
  }

  object *reduce_with(object *f, object *acc, object *coll, bool collecting)
  {
    /* An eduction reduces as Eduction.reduce does, (transduce xform
     * (completing f) init coll): its items one at a time, so a reduced
     * stops it, over an endless coll too. */
    if(coll->type == tag::instance && static_cast<instance_obj *>(coll)->type == eduction_type())
    {
      auto const &parts = static_cast<instance_obj *>(coll)->values;
      object *completing_args[] = { f };
      auto *rf = call(parts[0], completing(1, completing_args));
      return call(rf, unreduced(reduce_with(rf, acc, parts[1])));
    }
    if(coll->type == tag::lazy_seq || coll->type == tag::cons || coll->type == tag::instance)
    {
      /* One cell at a time: the seq may be infinite (a deftype's too), and
       * reduced stops it. */
      auto *s = seq(coll);
      gc::scoped_roots const roots{ &f, &acc, &s };
      for(; s->type != tag::nil; s = seq(rest(s)))
      {
        if(collecting)
        {
          gc::safepoint();
        }
        acc = call(f, acc, first(s));
        if(is_reduced(acc))
        {
          return unreduced(acc);
        }
      }
      return acc;
    }
    if(coll->type == tag::long_range)
    {
      /* A range reduces without a seq, as the JVM's LongRange does. */
      auto const *r = static_cast<long_range_obj *>(coll);
      gc::scoped_roots const roots{ &f, &acc, &coll };
      for(int64_t i = 0; i < r->count; ++i)
      {
        if(collecting)
        {
          gc::safepoint();
        }
        acc = call(f, acc, integer(r->at(i)));
        if(is_reduced(acc))
        {
          return unreduced(acc);
        }
      }
      return acc;
    }
    for(auto *item : to_items(coll))
    {
      acc = call(f, acc, item);
      if(is_reduced(acc))
      {
        return unreduced(acc);
      }
    }
    return acc;
  }

  object *transducer(char const *name, int argc, object **argv)
  {
    for(size_t i = 0; i < std::size(kinds); ++i)
    {
      if(std::strcmp(kinds[i].name, name) == 0)
      {
        if(argc != kinds[i].params)
        {
          break;
        }
        auto *params = vector_from(std::vector<object *>(argv, argv + argc));
        return native_closure(kinds[i].name, apply_transducer, vector_from({ integer(static_cast<int64_t>(i)), params }));
      }
    }
    fail(std::string{ "Wrong number of args (" } + std::to_string(argc) + ") passed to: clojure.core/" + name);
  }

  namespace
  {
    /* env: [the seq function, its transducer kind's index]. */
    object *with_transducer_arity(object *env, int argc, args_t argv)
    {
      auto const &kind = kinds[static_cast<integer_obj *>(env_at(env, 1))->value];
      if(argc == kind.params)
      {
        return transducer(kind.name, argc, argv);
      }
      return invoke(env_at(env, 0), argc, argv);
    }
  }

  void install_transducers()
  {
    install_natives(transducer_fns);
    object *none[1]{};
    bind_root(intern_var("clojure.core", "cat"), transducer("cat", 0, none));
    /* (map f), (take n), (distinct), ...: the seq functions gain their
     * transducer arity. */
    for(size_t i = 0; i < std::size(kinds); ++i)
    {
      auto *var = find_var("clojure.core", kinds[i].name);
      if(var == nullptr || !var->bound || std::strcmp(kinds[i].name, "cat") == 0)
      {
        continue;
      }
      bind_root(var, native_closure(kinds[i].name, with_transducer_arity, vector_from({ var->root, integer(static_cast<int64_t>(i)) })));
    }
  }
}
