// The seq library: map, filter, take, iterate, range, ... over any seqable.
//
// Everything that calls a user's fn is lazy, as in Clojure: map, filter,
// remove, keep and map-indexed over a collection in memory run in chunks of
// 32 (Clojure's chunked seqs), and over a lazy seq one cell at a time. The
// rest (take, concat, ...) builds in-memory results at once, which nothing
// can observe.
#include "seqs.hpp"

#include "native.hpp"
#include "numbers.hpp"

#include <algorithm>
#include <limits>
#include <random>

namespace jhr
{
  namespace
  {
    /* Whether o is walked step by step: it may be endless, or too long to
     * copy (a range of a billion numbers is three numbers until walked). */
    /* Walked a step at a time: a deftype's seq (an ISeq of its own) may
     * never end, or do work at each step, as a lazy seq may. */
    bool is_lazy(object const *o)
    {
      return o->type == tag::lazy_seq || o->type == tag::cons || o->type == tag::long_range
        || o->type == tag::instance;
    }

    bool any_lazy(int argc, args_t argv, int from)
    {
      for(int i = from; i < argc; ++i)
      {
        if(is_lazy(argv[i]))
        {
          return true;
        }
      }
      return false;
    }

    object *vector_of(std::vector<object *> items)
    {
      return vector_from(std::move(items));
    }

    object *seq_or_nil(std::vector<object *> const &items)
    {
      return items.empty() ? const_cast<list_obj *>(empty_list()) : list_from(items);
    }

    // ---- map, filter, keep, mapcat, concat ------------------------------------------

    /* env: [f s1 s2 ...] */
    object *map_step(object *env, int, args_t)
    {
      auto const n = env_size(env);
      std::vector<object *> args, rests{ env_at(env, 0) };
      for(size_t i = 1; i < n; ++i)
      {
        auto *s = seq(env_at(env, i));
        if(s->type == tag::nil)
        {
          return nil();
        }
        args.push_back(first(s));
        rests.push_back(rest(s));
      }
      auto *value = invoke(env_at(env, 0), static_cast<int>(args.size()), args.data());
      return new cons_obj{ value, lazy(map_step, vector_of(rests)) };
    }

    /* What a chunked step does with each item. */
    enum class chunk_mode : int64_t
    {
      map,
      filter,
      remove,
      keep,
      map_indexed,
    };

    constexpr size_t chunk_size = 32;

    /* Whether coll is chunked, as Clojure's vectors, their seqs, finite
     * ranges and what map, filter, remove, keep and map-indexed make of them
     * are: a side effect in f then runs for a whole chunk of 32 at once.
     * Lists, sets, maps, strings and other lazy seqs go one item at a time. */
    bool is_chunked(object const *coll)
    {
      return (coll->type == tag::vector && !static_cast<vector_obj const *>(coll)->subvector)
        || (coll->type == tag::vector_seq && !static_cast<vector_seq_obj const *>(coll)->vec->subvector)
        || coll->type == tag::long_range
        || (coll->type == tag::lazy_seq && static_cast<lazy_seq_obj const *>(coll)->chunked);
    }

    object *chunk_step(object *env, int, args_t);
    std::pair<std::vector<object *>, object *> take_front(object *s, int64_t n);

    object *chunked_lazy(std::initializer_list<object *> env)
    {
      auto *l = lazy(chunk_step, env);
      static_cast<lazy_seq_obj *>(l)->chunked = true;
      return l;
    }

    /* A range's first chunk (up to 32 numbers) and the range after it (()
     * at the end), as the JVM's LongRange chunks from where it starts. */
    std::pair<std::vector<object *>, object *> long_range_chunk(long_range_obj const *r)
    {
      auto const n = std::min(r->count, static_cast<int64_t>(chunk_size));
      std::vector<object *> items;
      items.reserve(static_cast<size_t>(n));
      for(int64_t i = 0; i < n; ++i)
      {
        items.push_back(integer(r->at(i)));
      }
      object *more = n == r->count ? const_cast<list_obj *>(empty_list())
                                   : static_cast<object *>(new long_range_obj{ r->at(n), r->step, r->count - n });
      return { std::move(items), more };
    }

    /* The next chunk of source from offset: a vector's next 32 items, or a
     * chunked seq's (realizing it one chunk further). Advances source and
     * offset past them. */
    std::vector<object *> next_chunk(object *&source, size_t &offset)
    {
      if(source->type == tag::long_range)
      {
        auto [items, more] = long_range_chunk(static_cast<long_range_obj *>(source));
        source = more;
        offset += items.size();
        return items;
      }
      if(source->type == tag::vector)
      {
        auto *v = static_cast<vector_obj *>(source);
        std::vector<object *> items;
        for(auto const end = std::min(offset + chunk_size, v->count); offset < end; ++offset)
        {
          items.push_back(v->at(offset));
        }
        return items;
      }
      auto [items, more] = take_front(source, static_cast<int64_t>(chunk_size));
      source = more;
      offset += items.size();
      return items;
    }

    /* env: [mode f source offset start]: source is a vector (read from
     * offset) or a chunked seq; start is where map-indexed counts from. Runs
     * f over the next chunk and returns the results ahead of the lazy rest. */
    object *chunk_step(object *env, int, args_t)
    {
      auto const mode = static_cast<chunk_mode>(static_cast<integer_obj *>(env_at(env, 0))->value);
      auto *f = env_at(env, 1);
      auto *source = env_at(env, 2);
      auto offset = static_cast<size_t>(static_cast<integer_obj *>(env_at(env, 3))->value);
      auto const start = static_cast<size_t>(static_cast<integer_obj *>(env_at(env, 4))->value);
      std::vector<object *> out;
      bool more = true;
      /* filter, remove and keep go on to the next chunk until one yields. */
      while(out.empty() && more)
      {
        auto const first_index = offset - start;
        auto const items = next_chunk(source, offset);
        more = !items.empty();
        for(size_t j = 0; j < items.size(); ++j)
        {
          auto *x = items[j];
          switch(mode)
          {
            case chunk_mode::map:
              out.push_back(invoke(f, 1, &x));
              break;
            case chunk_mode::filter:
            case chunk_mode::remove:
              if(truthy(invoke(f, 1, &x)) == (mode == chunk_mode::filter))
              {
                out.push_back(x);
              }
              break;
            case chunk_mode::keep:
              if(auto *r = invoke(f, 1, &x); r->type != tag::nil)
              {
                out.push_back(r);
              }
              break;
            case chunk_mode::map_indexed:
              {
                object *args[] = { integer(static_cast<int64_t>(first_index + j)), x };
                out.push_back(invoke(f, 2, args));
                break;
              }
          }
        }
        if(source->type == tag::vector && offset >= static_cast<vector_obj *>(source)->count)
        {
          more = false;
        }
      }
      object *tail = more ? chunked_lazy({ env_at(env, 0), f, source, integer(static_cast<int64_t>(offset)),
                                                    env_at(env, 4) })
                          : nil();
      for(auto it = out.rbegin(); it != out.rend(); ++it)
      {
        tail = new cons_obj{ *it, tail };
      }
      return tail;
    }

    /* A lazy (mode f coll) over a chunked coll, chunk by chunk. */
    object *chunked(chunk_mode mode, object *f, object *coll)
    {
      object *source = coll;
      size_t offset = 0;
      if(coll->type == tag::vector_seq)
      {
        auto *vs = static_cast<vector_seq_obj *>(coll);
        source = const_cast<vector_obj *>(vs->vec);
        offset = vs->offset;
      }
      auto *at = integer(static_cast<int64_t>(offset));
      return chunked_lazy({ integer(static_cast<int64_t>(mode)), f, source, at, at });
    }

    object *map_(int argc, args_t argv)
    {
      check_arity("map", argc, 2, -1);
      if(argc == 2 && is_chunked(argv[1]))
      {
        return chunked(chunk_mode::map, argv[0], argv[1]);
      }
      /* Several collections, or an unchunked one: one cell at a time. */
      return lazy(map_step, vector_of(std::vector<object *>(argv, argv + argc)));
    }

    /* env: [pred s keep?] */
    object *filter_step(object *env, int, args_t)
    {
      auto *pred = env_at(env, 0);
      bool const keep = truthy(env_at(env, 2));
      for(auto *s = seq(env_at(env, 1)); s->type != tag::nil; s = seq(rest(s)))
      {
        auto *x = first(s);
        if(truthy(invoke(pred, 1, &x)) == keep)
        {
          return new cons_obj{ x, lazy(filter_step, { pred, rest(s), env_at(env, 2) }) };
        }
      }
      return nil();
    }

    object *filtered(char const *name, int argc, args_t argv, bool keep)
    {
      check_arity(name, argc, 2, 2);
      if(!is_chunked(argv[1]))
      {
        return lazy(filter_step, { argv[0], argv[1], boolean(keep) });
      }
      return chunked(keep ? chunk_mode::filter : chunk_mode::remove, argv[0], argv[1]);
    }

    object *filter(int argc, args_t argv)
    {
      return filtered("filter", argc, argv, true);
    }

    object *remove(int argc, args_t argv)
    {
      return filtered("remove", argc, argv, false);
    }

    object *keep(int argc, args_t argv)
    {
      check_arity("keep", argc, 2, 2);
      if(!is_chunked(argv[1]))
      {
        /* (keep f s) is (remove nil? (map f s)), cell by cell. */
        object *mapped_args[] = { argv[0], argv[1] };
        auto *mapped = lazy(map_step, { mapped_args[0], mapped_args[1] });
        return lazy(filter_step, { deref(find_var("clojure.core", "some?")), mapped, boolean(true) });
      }
      return chunked(chunk_mode::keep, argv[0], argv[1]);
    }

    /* env: [current-seq more-colls-seq] */
    /* env: [coll more-colls]. The last coll is the rest as it is, as
     * Clojure's concat returns it: a concat ending in another concat (as for
     * and mapcat build them) does not wrap each item of the inner one, which
     * made walking n nested concats cost n^2 and nest n deep. */
    object *concat_step(object *env, int, args_t)
    {
      auto *coll = env_at(env, 0);
      auto *more = seq(env_at(env, 1));
      for(;;)
      {
        if(more->type == tag::nil)
        {
          return seq(coll);
        }
        auto *s = seq(coll);
        if(s->type != tag::nil)
        {
          return new cons_obj{ first(s), lazy(concat_step, { rest(s), more }) };
        }
        coll = first(more);
        more = seq(rest(more));
      }
    }

    object *concat(int argc, args_t argv)
    {
      /* (concat items tail), as for emits each chunk: the items are realized
       * already, so conses onto the unrealized tail, built from the back,
       * stand for Clojure's chunk-cons, with no lazy step per item. */
      if(argc == 2 && argv[0]->type == tag::vector
         && (argv[1]->type == tag::lazy_seq || argv[1]->type == tag::cons))
      {
        auto const items = to_items(argv[0]);
        auto *out = argv[1];
        for(auto at = items.rbegin(); at != items.rend(); ++at)
        {
          out = new cons_obj{ *at, out };
        }
        return out;
      }
      if(any_lazy(argc, argv, 0))
      {
        auto *colls = list_from(std::vector<object *>(argv, argv + argc));
        return lazy(concat_step, { nil(), colls });
      }
      std::vector<object *> out;
      for(int i = 0; i < argc; ++i)
      {
        auto items = to_items(argv[i]);
        out.insert(out.end(), items.begin(), items.end());
      }
      return seq_or_nil(out);
    }

    object *mapcat(int argc, args_t argv)
    {
      check_arity("mapcat", argc, 2, -1);
      auto *mapped = map_(argc, argv);
      if(is_lazy(mapped))
      {
        return lazy(concat_step, { nil(), mapped });
      }
      std::vector<object *> out;
      for(auto *part : to_items(mapped))
      {
        auto items = to_items(part);
        out.insert(out.end(), items.begin(), items.end());
      }
      return seq_or_nil(out);
    }

    /* env: [f s i] */
    object *map_indexed_step(object *env, int, args_t)
    {
      auto *s = seq(env_at(env, 1));
      if(s->type == tag::nil)
      {
        return nil();
      }
      auto *i = env_at(env, 2);
      object *args[] = { i, first(s) };
      auto *value = invoke(env_at(env, 0), 2, args);
      auto *next = integer(static_cast<integer_obj *>(i)->value + 1);
      return new cons_obj{ value, lazy(map_indexed_step, { env_at(env, 0), rest(s), next }) };
    }

    object *map_indexed(int argc, args_t argv)
    {
      check_arity("map-indexed", argc, 2, 2);
      if(!is_chunked(argv[1]))
      {
        return lazy(map_indexed_step, { argv[0], argv[1], integer(0) });
      }
      return chunked(chunk_mode::map_indexed, argv[0], argv[1]);
    }

    // ---- take and drop ------------------------------------------------------------

    /* env: [n s] */
    object *take_step(object *env, int, args_t)
    {
      /* n first: past the last item taken, nothing more is realized. */
      auto const n = step_count(env_at(env, 0), "take");
      if(n <= 0)
      {
        return nil();
      }
      auto *s = seq(env_at(env, 1));
      if(s->type == tag::nil)
      {
        return nil();
      }
      return new cons_obj{ first(s), lazy(take_step, { integer(n - 1), rest(s) }) };
    }

    object *take(int argc, args_t argv)
    {
      check_arity("take", argc, 2, 2);
      if(is_lazy(argv[1]))
      {
        return lazy(take_step, { argv[0], argv[1] });
      }
      auto items = to_items(argv[1]);
      auto const n = std::clamp<int64_t>(step_count(argv[0], "take"), 0, static_cast<int64_t>(items.size()));
      items.resize(static_cast<size_t>(n));
      return seq_or_nil(items);
    }

    object *drop(int argc, args_t argv)
    {
      check_arity("drop", argc, 2, 2);
      auto *s = argv[1];
      for(auto n = step_count(argv[0], "drop"); n > 0 && seq(s)->type != tag::nil; --n)
      {
        s = rest(s);
      }
      return is_lazy(s) ? s : seq_or_nil(to_items(s));
    }

    /* env: [pred s] */
    object *take_while_step(object *env, int, args_t)
    {
      auto *s = seq(env_at(env, 1));
      if(s->type == tag::nil)
      {
        return nil();
      }
      auto *x = first(s);
      if(!truthy(invoke(env_at(env, 0), 1, &x)))
      {
        return nil();
      }
      return new cons_obj{ x, lazy(take_while_step, { env_at(env, 0), rest(s) }) };
    }

    object *take_while(int argc, args_t argv)
    {
      check_arity("take-while", argc, 2, 2);
      return lazy(take_while_step, { argv[0], argv[1] });
    }

    object *drop_while(int argc, args_t argv)
    {
      check_arity("drop-while", argc, 2, 2);
      auto *s = argv[1];
      for(auto *q = seq(s); q->type != tag::nil; q = seq(s))
      {
        auto *x = first(q);
        if(!truthy(invoke(argv[0], 1, &x)))
        {
          break;
        }
        s = rest(q);
      }
      return is_lazy(s) ? s : seq_or_nil(to_items(s));
    }

    // ---- generators -------------------------------------------------------------------

    /* env: [f x] */
    object *iterate_step(object *env, int, args_t)
    {
      auto *f = env_at(env, 0);
      auto *x = env_at(env, 1);
      auto *next = lazy(
        [](object *e, int, args_t) -> object * {
          auto *fx = env_at(e, 1);
          fx = invoke(env_at(e, 0), 1, &fx);
          return iterate_step(env_of({ env_at(e, 0), fx }), 0, nullptr);
        },
        { f, x });
      return new cons_obj{ x, next };
    }

    object *iterate(int argc, args_t argv)
    {
      check_arity("iterate", argc, 2, 2);
      return lazy(iterate_step, { argv[0], argv[1] });
    }

    /* env: [x] */
    object *repeat_step(object *env, int, args_t)
    {
      return new cons_obj{ env_at(env, 0), lazy(repeat_step, env) };
    }

    object *repeat(int argc, args_t argv)
    {
      check_arity("repeat", argc, 1, 2);
      if(argc == 1)
      {
        return lazy(repeat_step, { argv[0] });
      }
      auto const n = std::max<int64_t>(0, truncated_index(argv[0], "repeat"));
      return seq_or_nil(std::vector<object *>(static_cast<size_t>(n), argv[1]));
    }

    /* env: [step somef vf kf k]: the rest of an (iteration ...) from key k. */
    object *iteration_step(object *env, int, args_t)
    {
      auto *k = env_at(env, 4);
      auto *ret = invoke(env_at(env, 0), 1, &k);
      if(!truthy(invoke(env_at(env, 1), 1, &ret)))
      {
        return nil();
      }
      auto *value = invoke(env_at(env, 2), 1, &ret);
      auto *next_key = invoke(env_at(env, 3), 1, &ret);
      auto *more = next_key->type == tag::nil
        ? nil()
        : lazy(iteration_step,
               { env_at(env, 0), env_at(env, 1), env_at(env, 2), env_at(env, 3), next_key });
      return new cons_obj{ value, more };
    }

    /* (iteration step :somef :vf :kf :initk), Clojure 1.11: the values of a
     * paged source as a lazy seq. Options come as pairs or as one map. */
    object *iteration(int argc, args_t argv)
    {
      check_arity("iteration", argc, 1, -1);
      auto *options = argc == 2 ? argv[1] : map_from(std::vector<object *>(argv + 1, argv + argc));
      if(argc > 2 && (argc - 1) % 2 != 0)
      {
        fail("iteration expects its options as :key value pairs");
      }
      auto *identity = core("identity");
      auto const option = [&](char const *name, object *otherwise) {
        return get(options, keyword("", name), otherwise);
      };
      return lazy(iteration_step,
                  { argv[0], option("somef", core("some?")), option("vf", identity), option("kf", identity),
                    option("initk", nil()) });
    }

    /* env: [f] */
    object *repeatedly_step(object *env, int, args_t)
    {
      return new cons_obj{ invoke(env_at(env, 0), 0, nullptr), lazy(repeatedly_step, env) };
    }

    object *repeatedly(int argc, args_t argv)
    {
      check_arity("repeatedly", argc, 1, 2);
      if(argc == 1)
      {
        return lazy(repeatedly_step, { argv[0] });
      }
      std::vector<object *> out;
      for(auto n = step_count(argv[0], "repeatedly"); n > 0; --n)
      {
        out.push_back(invoke(argv[1], 0, nullptr));
      }
      return seq_or_nil(out);
    }

    /* env: [all current] */
    object *cycle_step(object *env, int, args_t)
    {
      auto *s = seq(env_at(env, 1));
      if(s->type == tag::nil)
      {
        s = seq(env_at(env, 0));
        if(s->type == tag::nil)
        {
          return nil();
        }
      }
      return new cons_obj{ first(s), lazy(cycle_step, { env_at(env, 0), rest(s) }) };
    }

    object *cycle(int argc, args_t argv)
    {
      check_arity("cycle", argc, 1, 1);
      return lazy(cycle_step, { argv[0], argv[0] });
    }

    /* env: [start step] or [start step end]: the numbers from start by step,
     * below end (above it for a negative step), or without end. */
    object *range_step(object *env, int, args_t);

    /* A range of numbers other than longs ((range 0.0 10.0), (range 0 1 1/4)):
     * chunked, as the JVM's clojure.lang.Range is, so map over it runs f 32
     * items at a time. env: [start step] or [start step end]. */
    object *number_range(object *env)
    {
      auto *l = lazy(range_step, env);
      static_cast<lazy_seq_obj *>(l)->chunked = true;
      return l;
    }

    /* The next 32 numbers of a number_range (fewer at its end), and the
     * range after them: one realization is one chunk, as the JVM's Range. */
    object *range_step(object *env, int, args_t)
    {
      auto *start = env_at(env, 0);
      auto *step = env_at(env, 1);
      bool const bounded = count(env) == 3;
      auto const ascending = compare_numbers(step, integer(0), "range") > 0;
      std::vector<object *> numbers;
      auto *at = start;
      while(numbers.size() < chunk_size)
      {
        if(bounded)
        {
          auto const c = compare_numbers(at, env_at(env, 2), "range");
          if(ascending ? c >= 0 : c <= 0)
          {
            break;
          }
        }
        numbers.push_back(at);
        at = arithmetic(arith::add, at, step, "range");
      }
      object *tail = numbers.size() < chunk_size
        ? nil()
        : number_range(bounded ? vector_of({ at, step, env_at(env, 2) }) : vector_of({ at, step }));
      for(auto it = numbers.rbegin(); it != numbers.rend(); ++it)
      {
        tail = new cons_obj{ *it, tail };
      }
      return tail;
    }

    /* env: [start]: (range) from start, 32 numbers per realization. Not
     * chunked (as the JVM's (range) is not), so map over it runs f one item
     * at a time; the batch only saves a closure per number. */
    object *endless_range_step(object *env, int, args_t)
    {
      auto const start = static_cast<integer_obj *>(env_at(env, 0))->value;
      object *tail = lazy(endless_range_step, { integer(start + static_cast<int64_t>(chunk_size)) });
      for(auto i = static_cast<int64_t>(chunk_size) - 1; i >= 0; --i)
      {
        tail = new cons_obj{ integer(start + i), tail };
      }
      return tail;
    }

    /* A LongRange's count, or -1 when it does not fit the runtime's counts
     * (those ranges stay lazy). */
    int64_t long_range_count(int64_t from, int64_t to, int64_t by)
    {
      auto const span = static_cast<__int128>(to) - from;
      auto const n = by > 0 ? (span <= 0 ? 0 : (span + by - 1) / by) : (span >= 0 ? 0 : (-span + -static_cast<__int128>(by) - 1) / -static_cast<__int128>(by));
      return n > std::numeric_limits<int32_t>::max() ? -1 : static_cast<int64_t>(n);
    }

    object *range(int argc, args_t argv)
    {
      check_arity("range", argc, 0, 3);
      if(argc == 0)
      {
        return lazy(endless_range_step, { integer(0) });
      }
      auto *start = argc == 1 ? integer(0) : argv[0];
      auto *end = argc == 1 ? argv[0] : argv[1];
      auto *step = argc == 3 ? argv[2] : integer(1);
      if(!is_number(start) || !is_number(end) || !is_number(step))
      {
        fail("range expects numbers, got " + pr_str(start) + ", " + pr_str(end) + " and " + pr_str(step));
      }
      if(compare_numbers(step, integer(0), "range") == 0)
      {
        /* Clojure: a zero step repeats start, unless the range is empty. */
        return compare_numbers(start, end, "range") == 0 ? static_cast<object *>(const_cast<list_obj *>(empty_list())) : lazy(repeat_step, { start });
      }
      if(start->type == tag::integer && end->type == tag::integer && step->type == tag::integer)
      {
        auto const from = static_cast<integer_obj *>(start)->value;
        auto const to = static_cast<integer_obj *>(end)->value;
        auto const by = static_cast<integer_obj *>(step)->value;
        auto const n = long_range_count(from, to, by);
        if(n == 0)
        {
          return const_cast<list_obj *>(empty_list());
        }
        if(n > 0)
        {
          return new long_range_obj{ from, by, n };
        }
      }
      return number_range(vector_of({ start, step, end }));
    }

    // ---- the reshaping functions over lazy seqs (which may be infinite) ------------------

    /* Up to n items from the front of s, and what follows them. */
    std::pair<std::vector<object *>, object *> take_front(object *s, int64_t n)
    {
      /* Not one seq past the n-th item: that would realize the next chunk. */
      std::vector<object *> items;
      for(; n > 0; --n)
      {
        auto *q = seq(s);
        if(q->type == tag::nil)
        {
          break;
        }
        items.push_back(first(q));
        s = rest(q);
      }
      return { items, s };
    }

    object *drop_front(object *s, int64_t n)
    {
      for(; n > 0; --n)
      {
        auto *q = seq(s);
        if(q->type == tag::nil)
        {
          break;
        }
        s = rest(q);
      }
      return s;
    }

    /* env: [n step pad padded? all? s]: partition (all? false; padded? when
     * it has a pad, which may be nil) or partition-all, as Clojure's: a
     * partition is full when its count = n, so a size of 0 gives empty
     * partitions and a step of 0 repeats one, endlessly. */
    object *partition_step(object *env, int, args_t)
    {
      auto const n = step_count(env_at(env, 0), "partition");
      auto const step = step_count(env_at(env, 1), "partition");
      auto *pad = env_at(env, 2);
      auto const padded = truthy(env_at(env, 3));
      auto const all = truthy(env_at(env, 4));
      auto *s = seq(env_at(env, 5));
      if(s->type == tag::nil)
      {
        return nil();
      }
      auto [items, after] = take_front(s, n);
      if(static_cast<int64_t>(items.size()) != n && !all)
      {
        if(!padded)
        {
          return nil();
        }
        /* The pad may be endless, as (repeat 0): only what fits is read. */
        auto const padding = take_front(pad, n - static_cast<int64_t>(items.size())).first;
        items.insert(items.end(), padding.begin(), padding.end());
        return new cons_obj{ list_from(items), nil() };
      }
      auto *next = step == n ? after : drop_front(s, step);
      return new cons_obj{ list_from(items),
                           lazy(partition_step, { env_at(env, 0), env_at(env, 1), pad, env_at(env, 3), env_at(env, 4), next }) };
    }

    /* env: [sep s started] */
    object *interpose_step(object *env, int, args_t)
    {
      auto *s = seq(env_at(env, 1));
      if(s->type == tag::nil)
      {
        return nil();
      }
      auto *tail = lazy(interpose_step, { env_at(env, 0), rest(s), boolean(true) });
      auto *cell = new cons_obj{ first(s), tail };
      return truthy(env_at(env, 2)) ? new cons_obj{ env_at(env, 0), cell } : cell;
    }

    /* env: [colls]: the first of each, then the rest, until one runs out. */
    object *interleave_step(object *env, int, args_t)
    {
      std::vector<object *> firsts, rests;
      for(auto *c : to_items(env_at(env, 0)))
      {
        auto *s = seq(c);
        if(s->type == tag::nil)
        {
          return nil();
        }
        firsts.push_back(first(s));
        rests.push_back(rest(s));
      }
      object *out = lazy(interleave_step, { vector_of(rests) });
      for(auto it = firsts.rbegin(); it != firsts.rend(); ++it)
      {
        out = new cons_obj{ *it, out };
      }
      return out;
    }

    /* env: [seen s] */
    object *distinct_step(object *env, int, args_t)
    {
      auto *seen = env_at(env, 0);
      for(auto *s = seq(env_at(env, 1)); s->type != tag::nil; s = seq(rest(s)))
      {
        auto *x = first(s);
        if(!contains(seen, x))
        {
          return new cons_obj{ x, lazy(distinct_step, { conj(seen, x), rest(s) }) };
        }
      }
      return nil();
    }

    object *reductions_advance(object *env, int, args_t);

    /* env: [f acc s]: acc, then the reductions of the rest, each step run
     * only when its item is asked for, as Clojure's (cons init (lazy-seq ...)). */
    object *reductions_step(object *env, int, args_t)
    {
      auto *acc = env_at(env, 1);
      if(acc->type == tag::reduced)
      {
        return new cons_obj{ static_cast<reduced_obj *>(acc)->value, nil() };
      }
      return new cons_obj{ acc, lazy(reductions_advance, { env_at(env, 0), acc, env_at(env, 2) }) };
    }

    /* env: [f acc s]: (f acc (first s)) and the reductions after it; nil at the end of s. */
    object *reductions_advance(object *env, int, args_t)
    {
      auto *s = seq(env_at(env, 2));
      if(s->type == tag::nil)
      {
        return nil();
      }
      object *pair[] = { env_at(env, 1), first(s) };
      auto *next = invoke(env_at(env, 0), 2, pair);
      object *step_env = env_of({ env_at(env, 0), next, rest(s) });
      return reductions_step(step_env, 0, nullptr);
    }

    object *no_previous()
    {
      static object none{ tag::nil };
      return &none;
    }

    /* env: [previous item, or no_previous(); s] */
    object *dedupe_step(object *env, int, args_t)
    {
      auto *prev = env_at(env, 0);
      for(auto *s = seq(env_at(env, 1)); s->type != tag::nil; s = seq(rest(s)))
      {
        auto *x = first(s);
        if(prev == no_previous() || !equals(prev, x))
        {
          return new cons_obj{ x, lazy(dedupe_step, { x, rest(s) }) };
        }
      }
      return nil();
    }

    /* env: [f i s] */
    object *keep_indexed_step(object *env, int, args_t)
    {
      auto i = step_count(env_at(env, 1), "keep-indexed");
      for(auto *s = seq(env_at(env, 2)); s->type != tag::nil; s = seq(rest(s)), ++i)
      {
        object *args[] = { integer(i), first(s) };
        auto *r = invoke(env_at(env, 0), 2, args);
        if(r->type != tag::nil)
        {
          return new cons_obj{ r, lazy(keep_indexed_step, { env_at(env, 0), integer(i + 1), rest(s) }) };
        }
      }
      return nil();
    }

    /* env: [f s]: the next run of items with one (f x). */
    /* env: [f key]: whether x has the run's key. */
    object *same_key(object *env, int, args_t argv)
    {
      auto *x = argv[0];
      return boolean(equals(invoke(env_at(env, 0), 1, &x), env_at(env, 1)));
    }

    object *partition_by_step(object *env, int, args_t);

    /* env: [f run s]: the partitions after run, s without its items. */
    object *partition_by_rest(object *env, int, args_t)
    {
      auto *after = env_at(env, 2);
      for(auto n = count(env_at(env, 1)); n > 0 && seq(after)->type != tag::nil; --n)
      {
        after = rest(seq(after));
      }
      return partition_by_step(env_of({ env_at(env, 0), after }), 0, nullptr);
    }

    /* As Clojure's partition-by: each run a lazy take-while of the items with
     * its first item's key, so a run that never ends can still be read from
     * ((ffirst (partition-by pos? (repeat 1))) is 1). */
    object *partition_by_step(object *env, int, args_t)
    {
      auto *s = seq(env_at(env, 1));
      if(s->type == tag::nil)
      {
        return nil();
      }
      auto *f = env_at(env, 0);
      auto *x = first(s);
      auto *key = invoke(f, 1, &x);
      auto *pred = native_closure("partition-by", same_key, env_of({ f, key }));
      auto *run = new cons_obj{ x, call(core("take-while"), { pred, rest(s) }) };
      return new cons_obj{ run, lazy(partition_by_rest, { f, run, s }) };
    }

    // ---- eager reshaping ------------------------------------------------------------------

    /* Clojure's partition calls a partition full when its count = n, which
     * a size such as 2.5 or 2.0 never is: no partition is full, so only the
     * padded arity gives anything, its first (take n) padded. */
    object *fractional_partition(int argc, args_t argv)
    {
      if(argc != 4)
      {
        return const_cast<list_obj *>(empty_list());
      }
      auto const n = step_count(argv[0], "partition");
      auto items = take_front(argv[3], n).first;
      if(items.empty())
      {
        return nil();
      }
      auto const padding = take_front(argv[2], n - static_cast<int64_t>(items.size())).first;
      items.insert(items.end(), padding.begin(), padding.end());
      return new cons_obj{ list_from(items), nil() };
    }

    object *partition(int argc, args_t argv)
    {
      check_arity("partition", argc, 2, 4);
      if(is_number(argv[0]) && !is_integer(argv[0]))
      {
        return fractional_partition(argc, argv);
      }
      auto const n = step_count(argv[0], "partition");
      auto const step = argc >= 3 ? step_count(argv[1], "partition") : n;
      if(is_lazy(argv[argc - 1]) || n <= 0 || step <= 0)
      {
        return lazy(partition_step,
                    { argv[0], integer(step), argc == 4 ? argv[2] : nil(), boolean(argc == 4), boolean(false), argv[argc - 1] });
      }
      auto items = to_items(argv[argc - 1]);
      /* The pad may be endless, as (repeat 0): a partition needs at most n. */
      auto const pad = argc == 4 ? take_front(argv[2], n).first : std::vector<object *>{};
      std::vector<object *> out;
      for(size_t at = 0; at < items.size(); at += static_cast<size_t>(step))
      {
        std::vector<object *> part(items.begin() + static_cast<long>(at),
                                   items.begin() + static_cast<long>(std::min(items.size(), at + static_cast<size_t>(n))));
        if(part.size() < static_cast<size_t>(n))
        {
          if(argc != 4)
          {
            break;
          }
          for(size_t i = 0; i < pad.size() && part.size() < static_cast<size_t>(n); ++i)
          {
            part.push_back(pad[i]);
          }
          /* The first short partition, padded, is the last one. */
          out.push_back(list_from(part));
          break;
        }
        out.push_back(list_from(part));
      }
      return seq_or_nil(out);
    }

    object *partition_all(int argc, args_t argv)
    {
      check_arity("partition-all", argc, 2, 3);
      auto const n = step_count(argv[0], "partition-all");
      auto const step = argc == 3 ? step_count(argv[1], "partition-all") : n;
      if(is_lazy(argv[argc - 1]) || n <= 0 || step <= 0)
      {
        return lazy(partition_step, { argv[0], integer(step), nil(), boolean(false), boolean(true), argv[argc - 1] });
      }
      auto items = to_items(argv[argc - 1]);
      std::vector<object *> out;
      for(size_t at = 0; at < items.size(); at += static_cast<size_t>(step))
      {
        auto const end = std::min(items.size(), at + static_cast<size_t>(n));
        out.push_back(list_from(std::vector<object *>(items.begin() + static_cast<long>(at),
                                                      items.begin() + static_cast<long>(end))));
      }
      return seq_or_nil(out);
    }

    /* Clojure 1.12's partitionv and partitionv-all: partitions as vectors.
     * (partitionv-all n) is partition-all's transducer, which gives vectors. */
    object *partitions_as_vectors(char const *name, int argc, args_t argv)
    {
      auto *parts = invoke(core(name), argc, argv);
      return argc == 1 ? parts : call(core("map"), { core("vec"), parts });
    }

    object *partitionv(int argc, args_t argv)
    {
      check_arity("partitionv", argc, 2, 4);
      return partitions_as_vectors("partition", argc, argv);
    }

    object *partitionv_all(int argc, args_t argv)
    {
      check_arity("partitionv-all", argc, 1, 3);
      return partitions_as_vectors("partition-all", argc, argv);
    }

    /* (splitv-at n coll): [(into [] (take n) coll) (drop n coll)]. */
    object *splitv_at(int argc, args_t argv)
    {
      check_arity("splitv-at", argc, 2, 2);
      return vector_from({ call(core("vec"), { call(core("take"), { argv[0], argv[1] }) }),
                           call(core("drop"), { argv[0], argv[1] }) });
    }

    object *interpose(int argc, args_t argv)
    {
      check_arity("interpose", argc, 2, 2);
      if(is_lazy(argv[1]))
      {
        return lazy(interpose_step, { argv[0], argv[1], boolean(false) });
      }
      std::vector<object *> out;
      for(auto *x : to_items(argv[1]))
      {
        if(!out.empty())
        {
          out.push_back(argv[0]);
        }
        out.push_back(x);
      }
      return seq_or_nil(out);
    }

    object *interleave(int argc, args_t argv)
    {
      if(any_lazy(argc, argv, 0))
      {
        return lazy(interleave_step, { vector_of(std::vector<object *>(argv, argv + argc)) });
      }
      std::vector<std::vector<object *>> colls;
      size_t n = argc == 0 ? 0 : std::numeric_limits<size_t>::max();
      for(int i = 0; i < argc; ++i)
      {
        colls.push_back(to_items(argv[i]));
        n = std::min(n, colls.back().size());
      }
      std::vector<object *> out;
      for(size_t k = 0; k < n; ++k)
      {
        for(auto const &c : colls)
        {
          out.push_back(c[k]);
        }
      }
      return seq_or_nil(out);
    }

    object *distinct(int argc, args_t argv)
    {
      check_arity("distinct", argc, 1, 1);
      if(is_lazy(argv[0]))
      {
        return lazy(distinct_step, { set_from({}), argv[0] });
      }
      std::vector<object *> out;
      object *seen = set_from({});
      for(auto *x : to_items(argv[0]))
      {
        if(!contains(seen, x))
        {
          seen = conj(seen, x);
          out.push_back(x);
        }
      }
      return seq_or_nil(out);
    }

    object *reverse(int argc, args_t argv)
    {
      check_arity("reverse", argc, 1, 1);
      auto items = to_items(argv[0]);
      std::reverse(items.begin(), items.end());
      return seq_or_nil(items);
    }

    object *last(int argc, args_t argv)
    {
      check_arity("last", argc, 1, 1);
      auto items = to_items(argv[0]);
      return items.empty() ? nil() : items.back();
    }

    object *butlast(int argc, args_t argv)
    {
      check_arity("butlast", argc, 1, 1);
      auto items = to_items(argv[0]);
      if(items.size() <= 1)
      {
        return nil();
      }
      items.pop_back();
      return list_from(items);
    }

    object *some(int argc, args_t argv)
    {
      check_arity("some", argc, 2, 2);
      for(auto *s = seq(argv[1]); s->type != tag::nil; s = seq(rest(s)))
      {
        auto *x = first(s);
        auto *r = invoke(argv[0], 1, &x);
        if(truthy(r))
        {
          return r;
        }
      }
      return nil();
    }

    object *every(int argc, args_t argv)
    {
      check_arity("every?", argc, 2, 2);
      /* One cell at a time: an infinite seq stops at its first failure. */
      for(auto *s = seq(argv[1]); s->type != tag::nil; s = seq(rest(s)))
      {
        auto *x = first(s);
        if(!truthy(invoke(argv[0], 1, &x)))
        {
          return boolean(false);
        }
      }
      return boolean(true);
    }

    object *not_any(int argc, args_t argv)
    {
      check_arity("not-any?", argc, 2, 2);
      return boolean(!truthy(some(argc, argv)));
    }

    object *not_every(int argc, args_t argv)
    {
      check_arity("not-every?", argc, 2, 2);
      return boolean(!truthy(every(argc, argv)));
    }

    object *split_at(int argc, args_t argv)
    {
      check_arity("split-at", argc, 2, 2);
      if(is_lazy(argv[1]))
      {
        return vector_from({ take(2, argv), drop(2, argv) });
      }
      auto items = to_items(argv[1]);
      auto const n = static_cast<size_t>(std::clamp<int64_t>(step_count(argv[0], "split-at"), 0, static_cast<int64_t>(items.size())));
      return vector_from({ seq_or_nil({ items.begin(), items.begin() + static_cast<long>(n) }),
                           seq_or_nil({ items.begin() + static_cast<long>(n), items.end() }) });
    }

    object *split_with(int argc, args_t argv)
    {
      check_arity("split-with", argc, 2, 2);
      if(is_lazy(argv[1]))
      {
        return vector_from({ take_while(2, argv), drop_while(2, argv) });
      }
      auto items = to_items(argv[1]);
      size_t n = 0;
      while(n < items.size() && truthy(invoke(argv[0], 1, &items[n])))
      {
        ++n;
      }
      return vector_from({ seq_or_nil({ items.begin(), items.begin() + static_cast<long>(n) }),
                           seq_or_nil({ items.begin() + static_cast<long>(n), items.end() }) });
    }

    object *nthrest(int argc, args_t argv)
    {
      check_arity("nthrest", argc, 2, 2);
      auto *s = argv[0];
      for(auto n = step_count(argv[1], "nthrest"); n > 0 && seq(s)->type != tag::nil; --n)
      {
        s = rest(s);
      }
      return s;
    }

    /* env: [f coll]: (reductions f coll) once asked for: its first item, or (f) of none. */
    object *reductions_first(object *env, int, args_t)
    {
      auto *s = seq(env_at(env, 1));
      if(s->type == tag::nil)
      {
        return list_from({ invoke(env_at(env, 0), 0, nullptr) });
      }
      object *step_env = env_of({ env_at(env, 0), first(s), rest(s) });
      return reductions_step(step_env, 0, nullptr);
    }

    object *reductions(int argc, args_t argv)
    {
      check_arity("reductions", argc, 2, 3);
      if(argc == 3)
      {
        return lazy(reductions_step, { argv[0], argv[1], argv[2] });
      }
      return lazy(reductions_first, { argv[0], argv[1] });
    }

    object *dedupe(int argc, args_t argv)
    {
      check_arity("dedupe", argc, 1, 1);
      if(is_lazy(argv[0]))
      {
        return lazy(dedupe_step, { no_previous(), argv[0] });
      }
      std::vector<object *> out;
      for(auto *x : to_items(argv[0]))
      {
        if(out.empty() || !equals(out.back(), x))
        {
          out.push_back(x);
        }
      }
      return seq_or_nil(out);
    }

    void flatten_into(object *x, std::vector<object *> &out)
    {
      bool const sequential = x->type == tag::list || x->type == tag::vector || x->type == tag::vector_seq
        || x->type == tag::cons || x->type == tag::lazy_seq || x->type == tag::long_range;
      if(!sequential)
      {
        out.push_back(x);
        return;
      }
      for(auto *item : to_items(x))
      {
        flatten_into(item, out);
      }
    }

    object *tree_seq(int argc, args_t argv);

    object *flatten(int argc, args_t argv)
    {
      check_arity("flatten", argc, 1, 1);
      if(is_lazy(argv[0]))
      {
        /* As Clojure's: (filter (complement sequential?) (rest (tree-seq sequential? seq x))). */
        object *walk[] = { core("sequential?"), core("seq"), argv[0] };
        auto *leaf = call(core("complement"), { core("sequential?") });
        return call(core("filter"), { leaf, rest(tree_seq(3, walk)) });
      }
      std::vector<object *> out;
      /* Clojure's flatten of anything but a sequential collection is (). */
      auto const t = argv[0]->type;
      if(t == tag::list || t == tag::vector || t == tag::vector_seq || t == tag::cons || t == tag::lazy_seq
        || t == tag::long_range)
      {
        flatten_into(argv[0], out);
      }
      return seq_or_nil(out);
    }

    object *keep_indexed(int argc, args_t argv)
    {
      check_arity("keep-indexed", argc, 2, 2);
      if(is_lazy(argv[1]))
      {
        return lazy(keep_indexed_step, { argv[0], integer(0), argv[1] });
      }
      std::vector<object *> out;
      int64_t i = 0;
      for(auto *x : to_items(argv[1]))
      {
        object *args[] = { integer(i++), x };
        auto *r = invoke(argv[0], 2, args);
        if(r->type != tag::nil)
        {
          out.push_back(r);
        }
      }
      return seq_or_nil(out);
    }

    object *partition_by(int argc, args_t argv)
    {
      check_arity("partition-by", argc, 2, 2);
      if(is_lazy(argv[1]))
      {
        return lazy(partition_by_step, { argv[0], argv[1] });
      }
      std::vector<object *> out, run;
      object *last_key{};
      for(auto *x : to_items(argv[1]))
      {
        auto *k = invoke(argv[0], 1, &x);
        if(!run.empty() && !equals(k, last_key))
        {
          out.push_back(list_from(run));
          run.clear();
        }
        run.push_back(x);
        last_key = k;
      }
      if(!run.empty())
      {
        out.push_back(list_from(run));
      }
      return seq_or_nil(out);
    }

    std::mt19937_64 &shuffle_engine()
    {
      static std::mt19937_64 engine{ std::random_device{}() };
      return engine;
    }

    object *shuffle(int argc, args_t argv)
    {
      check_arity("shuffle", argc, 1, 1);
      auto items = to_items(argv[0]);
      std::shuffle(items.begin(), items.end(), shuffle_engine());
      return vector_from(std::move(items));
    }

    object *rand_nth(int argc, args_t argv)
    {
      check_arity("rand-nth", argc, 1, 1);
      auto items = to_items(argv[0]);
      if(items.empty())
      {
        fail("rand-nth of an empty collection");
      }
      return items[std::uniform_int_distribution<size_t>{ 0, items.size() - 1 }(shuffle_engine())];
    }

    /* Realizes coll's seq, all of it or its first n items. */
    void walk(char const *op, int argc, args_t argv)
    {
      check_arity(op, argc, 1, 2);
      auto *coll = argv[argc - 1];
      int64_t n = argc == 2 ? as<integer_obj>(argv[0], tag::integer, "an integer count")->value : -1;
      /* dorun and doall are natives a safe patch calls directly: the walk
       * may collect between cells (gc::safepoint). */
      object *s = seq(coll);
      gc::scoped_roots const roots{ &coll, &s };
      for(; s->type != tag::nil && n != 0; s = seq(rest(s)))
      {
        gc::safepoint();
        n -= n > 0 ? 1 : 0;
      }
    }

    object *dorun(int argc, args_t argv)
    {
      walk("dorun", argc, argv);
      return nil();
    }

    object *doall(int argc, args_t argv)
    {
      walk("doall", argc, argv);
      return argv[argc - 1];
    }

    /* env: [n s] */
    object *take_nth_step(object *env, int, args_t)
    {
      auto *s = seq(env_at(env, 1));
      if(s->type == tag::nil)
      {
        return nil();
      }
      auto *n = env_at(env, 0);
      auto *after = s;
      for(auto i = step_count(n, "take-nth"); i > 0 && after->type != tag::nil; --i)
      {
        after = seq(rest(after));
      }
      return new cons_obj{ first(s), lazy(take_nth_step, { n, after }) };
    }

    /* (take-nth n coll): lazy, every nth item from the first. */
    object *take_nth(int argc, args_t argv)
    {
      check_arity("take-nth", argc, 2, 2);
      if(step_count(argv[0], "take-nth") <= 0)
      {
        fail("take-nth needs a positive step");
      }
      return lazy(take_nth_step, { argv[0], argv[1] });
    }

    /* env: [prob s] */
    object *random_sample_step(object *env, int, args_t)
    {
      auto const prob = as_double(env_at(env, 0), "random-sample");
      for(auto *s = seq(env_at(env, 1)); s->type != tag::nil; s = seq(rest(s)))
      {
        if(std::uniform_real_distribution<double>{ 0.0, 1.0 }(shuffle_engine()) < prob)
        {
          return new cons_obj{ first(s), lazy(random_sample_step, { env_at(env, 0), rest(s) }) };
        }
      }
      return nil();
    }

    /* (random-sample prob coll): lazy, each item kept with probability prob. */
    object *random_sample(int argc, args_t argv)
    {
      check_arity("random-sample", argc, 2, 2);
      return lazy(random_sample_step, { argv[0], argv[1] });
    }

    /* (list* a b ... coll): the items, then the last argument's. */
    object *list_star(int argc, args_t argv)
    {
      check_arity("list*", argc, 1, -1);
      object *out = seq(argv[argc - 1]);
      for(int i = argc - 2; i >= 0; --i)
      {
        out = new cons_obj{ argv[i], out };
      }
      return out;
    }

    object *ffirst(int argc, args_t argv)
    {
      check_arity("ffirst", argc, 1, 1);
      return first(first(argv[0]));
    }

    object *fnext(int argc, args_t argv)
    {
      check_arity("fnext", argc, 1, 1);
      return first(seq(rest(argv[0])));
    }

    object *nfirst(int argc, args_t argv)
    {
      check_arity("nfirst", argc, 1, 1);
      return seq(rest(first(argv[0])));
    }

    object *nnext(int argc, args_t argv)
    {
      check_arity("nnext", argc, 1, 1);
      return seq(rest(seq(rest(argv[0]))));
    }

    /* (take-last n coll): a seq of the last n items, or nil. */
    object *take_last(int argc, args_t argv)
    {
      check_arity("take-last", argc, 2, 2);
      auto items = to_items(argv[1]);
      auto const n = std::clamp<int64_t>(step_count(argv[0], "take-last"), 0, static_cast<int64_t>(items.size()));
      items.erase(items.begin(), items.end() - n);
      return items.empty() ? nil() : list_from(items);
    }

    /* (drop-last coll) and (drop-last n coll). */
    object *drop_last(int argc, args_t argv)
    {
      check_arity("drop-last", argc, 1, 2);
      auto items = to_items(argv[argc - 1]);
      auto const n = std::clamp<int64_t>(argc == 2 ? step_count(argv[0], "drop-last") : 1, 0,
                                         static_cast<int64_t>(items.size()));
      items.resize(items.size() - static_cast<size_t>(n));
      return seq_or_nil(items);
    }

    /* (run! proc coll): proc on each item, for its effects; nil. It is
     * Clojure's (reduce #(proc %2) nil coll), so a reduced answer stops it. */
    object *run_(int argc, args_t argv)
    {
      check_arity("run!", argc, 2, 2);
      for(auto *s = seq(argv[1]); s->type != tag::nil; s = seq(rest(s)))
      {
        auto *x = first(s);
        if(invoke(argv[0], 1, &x)->type == tag::reduced)
        {
          break;
        }
      }
      return nil();
    }

    /* env: [branch?, children, the node just given, the seqs of nodes still
     * to walk (a list, innermost first)]. The nodes after that one: its
     * children (asked for only now, as Clojure's lazy walk asks), then the
     * rest of each pending seq. */
    object *tree_seq_step(object *env, int, args_t)
    {
      auto *branch = env_at(env, 0);
      auto *children = env_at(env, 1);
      auto *node = env_at(env, 2);
      object *pending = env_at(env, 3);
      if(truthy(invoke(branch, 1, &node)))
      {
        pending = new cons_obj{ invoke(children, 1, &node), pending };
      }
      for(pending = seq(pending); pending->type != tag::nil; pending = seq(rest(pending)))
      {
        auto *s = seq(first(pending));
        if(s->type != tag::nil)
        {
          auto *next = first(s);
          auto *more = new cons_obj{ rest(s), rest(pending) };
          return new cons_obj{ next, lazy(tree_seq_step, { branch, children, next, more }) };
        }
      }
      return nil();
    }

    /* (tree-seq branch? children root): the nodes depth first, root first,
     * lazily, as Clojure's: an infinite tree works. */
    object *tree_seq(int argc, args_t argv)
    {
      check_arity("tree-seq", argc, 3, 3);
      return new cons_obj{ argv[2], lazy(tree_seq_step, { argv[0], argv[1], argv[2], nil() }) };
    }

    /* (xml-seq root): the nodes of a clojure.xml tree ({:tag :attrs :content}
     * maps, and strings for text), as tree-seq walks them. */
    object *xml_seq(int argc, args_t argv)
    {
      check_arity("xml-seq", argc, 1, 1);
      static auto *branch = permanent_method("xml-seq/branch?", [](int, args_t args) -> object * {
        return boolean(args[0]->type != tag::string);
      });
      static auto *children = permanent_method("xml-seq/children", [](int, args_t args) -> object * {
        return seq(get(args[0], keyword("", "content"), nil()));
      });
      object *args[] = { branch, children, argv[0] };
      return tree_seq(3, args);
    }

    /* (chunk-split* s): for's view of a chunked seq, [next-chunk-items rest],
     * or nil when s is not chunked. A vector's seq splits at its 32-item
     * leaves, as Clojure's; a chunked lazy seq at the end of the chunk that
     * realizing it made. */
    object *chunk_split(int argc, args_t argv)
    {
      check_arity("chunk-split*", argc, 1, 1);
      auto *s = argv[0];
      if(!is_chunked(s))
      {
        return nil();
      }
      if(s->type == tag::vector || s->type == tag::vector_seq)
      {
        auto const *v = s->type == tag::vector ? static_cast<vector_obj *>(s) : static_cast<vector_seq_obj *>(s)->vec;
        size_t const from = s->type == tag::vector ? 0 : static_cast<vector_seq_obj *>(s)->offset;
        if(from >= v->count)
        {
          return nil();
        }
        auto const end = std::min((from / chunk_size + 1) * chunk_size, v->count);
        std::vector<object *> items;
        for(auto i = from; i < end; ++i)
        {
          items.push_back(v->at(i));
        }
        object *more = end < v->count ? static_cast<object *>(new vector_seq_obj{ v, end }) : nil();
        return vector_of({ vector_of(items), more });
      }
      if(s->type == tag::long_range)
      {
        auto [items, more] = long_range_chunk(static_cast<long_range_obj *>(s));
        return vector_of({ vector_of(items), more->type == tag::long_range ? more : nil() });
      }
      auto *cell = seq(s);
      std::vector<object *> items;
      while(cell->type == tag::cons)
      {
        auto *c = static_cast<cons_obj *>(cell);
        items.push_back(c->first);
        cell = c->rest;
      }
      if(items.empty())
      {
        return nil();
      }
      return vector_of({ vector_of(items), cell });
    }

    /* (chunked-seq? x): a vector's seq or a range, Clojure's IChunkedSeqs. A
     * lazy seq is not one, even when it is made chunk by chunk. */
    object *chunked_seq_p(int argc, args_t argv)
    {
      check_arity("chunked-seq?", argc, 1, 1);
      return boolean((argv[0]->type == tag::vector_seq && is_chunked(argv[0])) || argv[0]->type == tag::long_range);
    }

    /* Clojure's chunk API, for code written after clojure.core's own lazy
     * seqs: a chunk buffer is a volatile holding the vector being filled, and
     * a chunk is a vector (counted and indexed, as an ArrayChunk is). */
    object *chunk_buffer(int argc, args_t /* the capacity: a vector grows */)
    {
      check_arity("chunk-buffer", argc, 1, 1);
      return new cell_obj{ vector_of({}), false };
    }

    cell_obj *as_chunk_buffer(object *o, char const *fn)
    {
      if(o == nullptr || o->type != tag::cell)
      {
        fail(std::string{ fn } + " needs a chunk buffer (chunk-buffer), got " + type_name(o));
      }
      return static_cast<cell_obj *>(o);
    }

    object *chunk_append(int argc, args_t argv)
    {
      check_arity("chunk-append", argc, 2, 2);
      auto *buffer = as_chunk_buffer(argv[0], "chunk-append");
      buffer->value = conj(buffer->value, argv[1]);
      return nil();
    }

    object *chunk_(int argc, args_t argv)
    {
      check_arity("chunk", argc, 1, 1);
      return as_chunk_buffer(argv[0], "chunk")->value;
    }

    /* [first chunk, what follows] of a chunked seq. */
    object *split_chunked(object *s, char const *fn)
    {
      object *whole[] = { s };
      auto *split = is_chunked(s) ? chunk_split(1, whole) : nil();
      if(split->type == tag::nil)
      {
        fail(std::string{ fn } + " needs a chunked seq (a vector's or a range's seq), got " + type_name(s));
      }
      return split;
    }

    object *chunk_first(int argc, args_t argv)
    {
      check_arity("chunk-first", argc, 1, 1);
      return first(split_chunked(argv[0], "chunk-first"));
    }

    object *chunk_rest(int argc, args_t argv)
    {
      check_arity("chunk-rest", argc, 1, 1);
      auto *more = first(rest(split_chunked(argv[0], "chunk-rest")));
      return more->type == tag::nil ? const_cast<list_obj *>(empty_list()) : more;
    }

    object *chunk_next(int argc, args_t argv)
    {
      check_arity("chunk-next", argc, 1, 1);
      return seq(first(rest(split_chunked(argv[0], "chunk-next"))));
    }

    /* (chunk-cons chunk rest): the chunk's items, then rest's. */
    object *chunk_cons(int argc, args_t argv)
    {
      check_arity("chunk-cons", argc, 2, 2);
      if(count(argv[0]) == 0)
      {
        return argv[1];
      }
      return call(core("concat"), { argv[0], argv[1] });
    }

    native_entry const seq_fns[] = {
      { "chunk-buffer", chunk_buffer },
      { "chunk-append", chunk_append },
      { "chunk", chunk_ },
      { "chunk-first", chunk_first },
      { "chunk-rest", chunk_rest },
      { "chunk-next", chunk_next },
      { "chunk-cons", chunk_cons },
      { "chunk-split*", chunk_split },
      { "chunked-seq?", chunked_seq_p },
      { "take-last", take_last },
      { "drop-last", drop_last },
      { "run!", run_ },
      { "tree-seq", tree_seq },
      { "xml-seq", xml_seq },
      { "take-nth", take_nth },
      { "random-sample", random_sample },
      { "list*", list_star },
      { "ffirst", ffirst },
      { "fnext", fnext },
      { "nfirst", nfirst },
      { "nnext", nnext },
      { "dorun", dorun },
      { "doall", doall },
      { "map", map_ },
      { "filter", filter },
      { "remove", remove },
      { "keep", keep },
      { "concat", concat },
      { "mapcat", mapcat },
      { "map-indexed", map_indexed },
      { "take", take },
      { "drop", drop },
      { "take-while", take_while },
      { "drop-while", drop_while },
      { "iterate", iterate },
      { "repeat", repeat },
      { "repeatedly", repeatedly },
      { "replicate", repeat }, /* deprecated: (replicate n x) is (repeat n x) */
      { "iteration", iteration },
      { "cycle", cycle },
      { "range", range },
      { "partition", partition },
      { "partition-all", partition_all },
      { "partitionv", partitionv },
      { "partitionv-all", partitionv_all },
      { "splitv-at", splitv_at },
      { "interpose", interpose },
      { "interleave", interleave },
      { "distinct", distinct },
      { "reverse", reverse },
      { "last", last },
      { "butlast", butlast },
      { "some", some },
      { "every?", every },
      { "not-any?", not_any },
      { "not-every?", not_every },
      { "split-at", split_at },
      { "split-with", split_with },
      { "nthrest", nthrest },
      { "reductions", reductions },
      { "dedupe", dedupe },
      { "flatten", flatten },
      { "keep-indexed", keep_indexed },
      { "partition-by", partition_by },
      { "shuffle", shuffle },
      { "rand-nth", rand_nth },
    };
  }

  namespace
  {
    entry_table const &table_of(object *coll)
    {
      return coll->type == tag::map ? static_cast<map_obj *>(coll)->entries : static_cast<set_obj *>(coll)->items;
    }

    bool is_subtree(object const *x)
    {
      return x->type == tag::trie_node || x->type == tag::tree_node;
    }

    /* What a piece of the table is in its seq: a subtree stays as it is
     * until its turn; an entry is a map entry or a set's member, or the
     * key or value alone. */
    object *seq_item(object *owner, table_part part, entry_table::piece const &p)
    {
      if(p.node != nullptr)
      {
        return p.node;
      }
      switch(part)
      {
        case table_part::keys:
          return p.kv->first;
        case table_part::vals:
          return p.kv->second;
        case table_part::entries:
          break;
      }
      return owner->type == tag::map ? map_entry(p.kv->first, p.kv->second) : p.kv->first;
    }

    object *table_seq_step(object *env, int, args_t);

    /* env: [map-or-set stack part]. The stack, an array the seq alone holds,
     * keeps what is still to walk, the next at the back: entries and
     * subtrees not yet expanded. Each step runs once (a lazy seq keeps what
     * it made), so the steps share the stack and change it in place. A walk
     * gives at least min_run entries as conses, then one lazy step for the
     * rest. */
    object *table_seq_walk(object *env, size_t min_run)
    {
      auto *owner = env_at(env, 0);
      auto &stack = static_cast<array_obj *>(env_at(env, 1))->items;
      auto const part = static_cast<table_part>(static_cast<integer_obj *>(env_at(env, 2))->value);
      std::vector<object *> run;
      run.reserve(2 * min_run);
      while(!stack.empty())
      {
        auto *head = stack.back();
        if(!is_subtree(head))
        {
          stack.pop_back();
          run.push_back(head);
          continue;
        }
        if(run.size() >= min_run)
        {
          break;
        }
        stack.pop_back();
        auto const pieces = table_of(owner).expand(head);
        for(auto at = pieces.rbegin(); at != pieces.rend(); ++at)
        {
          stack.push_back(seq_item(owner, part, *at));
        }
      }
      object *out = stack.empty() ? nil() : lazy(table_seq_step, env);
      for(auto at = run.rbegin(); at != run.rend(); ++at)
      {
        out = new cons_obj{ *at, out };
      }
      return out;
    }

    object *table_seq_step(object *env, int, args_t)
    {
      return table_seq_walk(env, 32);
    }
  }

  object *table_seq(object *coll, table_part part)
  {
    std::vector<object *> stack;
    auto const top = table_of(coll).expand(nullptr);
    for(auto at = top.rbegin(); at != top.rend(); ++at)
    {
      stack.push_back(seq_item(coll, part, *at));
    }
    auto *walk = new array_obj{ std::move(stack), 'L' };
    /* The first step stops at the first entry: (seq m) as a test, and
     * (first m), cost the path to it. */
    return table_seq_walk(env_of({ coll, walk, integer(static_cast<int64_t>(part)) }), 1);
  }

  void install_seqs()
  {
    install_natives(seq_fns);
  }
}
