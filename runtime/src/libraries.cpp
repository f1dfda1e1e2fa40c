// The small namespaces of Clojure's standard library that programs require
// beside clojure.string: clojure.set, clojure.walk, clojure.data, clojure.pprint
// and clojure.math, with
// Clojure's semantics (clojure.math as Java's Math computes it).
#include "cl_format.hpp"
#include "classes.hpp"
#include "libraries.hpp"

#include "namespaces.hpp"
#include "native.hpp"
#include "numbers.hpp"
#include "text.hpp"
#include "utf8.hpp"

#include <cmath>
#include <array>
#include <numbers>
#include <limits>

namespace jhr
{
  namespace
  {
    /* A clojure.core function, for the library code built on it. */
    // ---- clojure.set ------------------------------------------------------------------

    /* clojure.set's functions as Clojure writes them, with conj, disj and
     * contains?: they take any collection those take (a vector, a seq, nil),
     * as programs rely on, and the result is s1's (or the larger's) kind. */
    object *reduce_into(object *step, object *into, object *coll)
    {
      for(auto *x : to_items(coll))
      {
        into = call(step, { into, x });
      }
      return into;
    }

    object *union_2(object *a, object *b)
    {
      return count(a) < count(b) ? reduce_into(core("conj"), b, a) : reduce_into(core("conj"), a, b);
    }

    /* (union s1 s2 ...): the largest first (the last of the largest, as
     * bubble-max-key takes), the others conj'd on. */
    object *union_(int argc, args_t argv)
    {
      if(argc == 0)
      {
        return set_from({});
      }
      if(argc <= 2)
      {
        return argc == 1 ? argv[0] : union_2(argv[0], argv[1]);
      }
      size_t largest = 0;
      for(int i = 0; i < argc; ++i)
      {
        if(count(argv[i]) >= count(argv[largest]))
        {
          largest = static_cast<size_t>(i);
        }
      }
      object *out = argv[largest];
      for(int i = 0; i < argc; ++i)
      {
        if(static_cast<size_t>(i) != largest)
        {
          out = reduce_into(core("conj"), out, argv[i]);
        }
      }
      return out;
    }

    object *intersection_2(object *a, object *b)
    {
      if(count(b) < count(a))
      {
        std::swap(a, b);
      }
      object *out = a;
      for(auto *x : to_items(a))
      {
        if(!contains(b, x))
        {
          out = call(core("disj"), { out, x });
        }
      }
      return out;
    }

    object *intersection(int argc, args_t argv)
    {
      check_arity("intersection", argc, 1, -1);
      object *out = argv[0];
      for(int i = 1; i < argc; ++i)
      {
        out = intersection_2(out, argv[i]);
      }
      return out;
    }

    object *difference(int argc, args_t argv)
    {
      check_arity("difference", argc, 1, -1);
      object *out = argv[0];
      for(int i = 1; i < argc; ++i)
      {
        auto *other = argv[i];
        if(count(out) < count(other))
        {
          for(auto *x : to_items(out))
          {
            if(contains(other, x))
            {
              out = call(core("disj"), { out, x });
            }
          }
        }
        else
        {
          out = reduce_into(core("disj"), out, other);
        }
      }
      return out;
    }

    object *subset_p(int argc, args_t argv)
    {
      check_arity("subset?", argc, 2, 2);
      if(count(argv[0]) > count(argv[1]))
      {
        return boolean(false);
      }
      for(auto *x : to_items(argv[0]))
      {
        if(!contains(argv[1], x))
        {
          return boolean(false);
        }
      }
      return boolean(true);
    }

    object *superset_p(int argc, args_t argv)
    {
      check_arity("superset?", argc, 2, 2);
      object *swapped[] = { argv[1], argv[0] };
      return subset_p(2, swapped);
    }

    /* (select pred set): the members pred is true of. */
    object *select(int argc, args_t argv)
    {
      check_arity("select", argc, 2, 2);
      object *out = argv[1];
      for(auto *x : to_items(argv[1]))
      {
        if(!truthy(call(argv[0], { x })))
        {
          out = call(core("disj"), { out, x });
        }
      }
      return out;
    }

    object *map_invert(int argc, args_t argv)
    {
      check_arity("map-invert", argc, 1, 1);
      object *out = map_from({});
      for(auto *e : to_items(argv[0]))
      {
        auto *entry = static_cast<vector_obj *>(e);
        out = assoc(out, entry->at(1), entry->at(0));
      }
      return out;
    }

    /* (rename-keys map kmap): each key k of kmap present in map becomes (kmap k). */
    object *rename_keys(int argc, args_t argv)
    {
      check_arity("rename-keys", argc, 2, 2);
      auto *m = argv[0];
      object *out = m;
      for(auto *e : to_items(argv[1]))
      {
        out = dissoc(out, static_cast<vector_obj *>(e)->at(0));
      }
      for(auto *e : to_items(argv[1]))
      {
        auto *entry = static_cast<vector_obj *>(e);
        if(contains(m, entry->at(0)))
        {
          out = assoc(out, entry->at(1), get(m, entry->at(0), nil()));
        }
      }
      return out;
    }

    object *rename(int argc, args_t argv)
    {
      check_arity("rename", argc, 2, 2);
      object *out = set_from({});
      for(auto *m : to_items(argv[0]))
      {
        object *args[] = { m, argv[1] };
        out = conj(out, rename_keys(2, args));
      }
      return carry_meta(argv[0], out);
    }

    /* (project xrel ks): each map cut down to ks. */
    object *project(int argc, args_t argv)
    {
      check_arity("project", argc, 2, 2);
      object *out = set_from({});
      for(auto *m : to_items(argv[0]))
      {
        out = conj(out, call(core("select-keys"), { m, argv[1] }));
      }
      return carry_meta(argv[0], out);
    }

    /* (index xrel ks): the maps grouped by their values at ks. */
    object *index(int argc, args_t argv)
    {
      check_arity("index", argc, 2, 2);
      object *out = map_from({});
      for(auto *m : to_items(argv[0]))
      {
        auto *k = call(core("select-keys"), { m, argv[1] });
        out = assoc(out, k, conj(get(out, k, set_from({})), m));
      }
      return out;
    }

    /* (join xrel yrel) on the keys both relations share, or (join xrel yrel
     * km) on km's key mapping: a set of the merged maps, as clojure.set's. */
    object *join(int argc, args_t argv)
    {
      check_arity("join", argc, 2, 3);
      object *xrel = argv[0];
      object *yrel = argv[1];
      if(argc == 2 && (seq(xrel)->type == tag::nil || seq(yrel)->type == tag::nil))
      {
        return set_from({});
      }
      bool const x_smaller = count(xrel) <= count(yrel);
      object *r = x_smaller ? xrel : yrel;
      object *s = x_smaller ? yrel : xrel;
      object *key_map = nil(); /* s's keys to r's, for the 3-argument join */
      object *r_keys{};
      if(argc == 2)
      {
        auto keys_of = [](object *rel) { return call(core("set"), { call(core("keys"), { first(rel) }) }); };
        r_keys = intersection(2, std::array<object *, 2>{ keys_of(xrel), keys_of(yrel) }.data());
      }
      else
      {
        key_map = x_smaller ? map_invert(1, &argv[2]) : argv[2];
        r_keys = call(core("vals"), { key_map });
      }
      object *idx = index(2, std::array<object *, 2>{ r, r_keys }.data());
      object *out = set_from({});
      for(auto *x : to_items(s))
      {
        object *key = argc == 2
          ? call(core("select-keys"), { x, r_keys })
          : rename_keys(2, std::array<object *, 2>{ call(core("select-keys"), { x, call(core("keys"), { key_map }) }), key_map }.data());
        for(auto *found : to_items(get(idx, key, nil())))
        {
          out = conj(out, call(core("merge"), { found, x }));
        }
      }
      return out;
    }

    native_entry const set_fns[] = {
      { "union", union_ },
      { "intersection", intersection },
      { "difference", difference },
      { "subset?", subset_p },
      { "superset?", superset_p },
      { "select", select },
      { "map-invert", map_invert },
      { "rename-keys", rename_keys },
      { "rename", rename },
      { "project", project },
      { "index", index },
      { "join", join },
    };

    // ---- clojure.walk -----------------------------------------------------------------

    bool is_seq(object const *o)
    {
      return o->type == tag::vector_seq || o->type == tag::cons || o->type == tag::lazy_seq
        || o->type == tag::long_range;
    }

    /* (walk inner outer form): inner over form's items, into the same kind of
     * collection, then outer of that. */
    object *walk_with(object *inner, object *outer, object *form)
    {
      auto inner_of = [&](object *x) { return call(inner, { x }); };
      object *built = form;
      switch(form->type)
      {
        case tag::list:
          {
            std::vector<object *> items;
            for(auto *x : to_items(form))
            {
              items.push_back(inner_of(x));
            }
            /* (apply list ...): a new list, without the old one's metadata
             * (Clojure 1.11 and jank; 1.12 keeps it). */
            built = items.empty() ? static_cast<object *>(const_cast<list_obj *>(empty_list())) : list_from(items);
            break;
          }
        case tag::vector:
          {
            auto *v = static_cast<vector_obj *>(form);
            if(v->map_entry)
            {
              built = map_entry(inner_of(v->at(0)), inner_of(v->at(1)));
              break;
            }
            std::vector<object *> items;
            for(auto *x : to_items(form))
            {
              items.push_back(inner_of(x));
            }
            /* (into (empty form) ...): the vector keeps its metadata. */
            built = carry_meta(form, vector_from(std::move(items)));
            break;
          }
        case tag::map:
        case tag::set:
        case tag::record:
          {
            object *empty_form = form->type == tag::record ? form : call(core("empty"), { form });
            built = empty_form;
            for(auto *x : to_items(form))
            {
              built = conj(built, inner_of(x));
            }
            break;
          }
        default:
          if(is_seq(form))
          {
            std::vector<object *> items;
            for(auto *x : to_items(form))
            {
              items.push_back(inner_of(x));
            }
            built = items.empty() ? static_cast<object *>(const_cast<list_obj *>(empty_list())) : list_from(items);
          }
          break;
      }
      return call(outer, { built });
    }

    object *walk(int argc, args_t argv)
    {
      check_arity("walk", argc, 3, 3);
      return walk_with(argv[0], argv[1], argv[2]);
    }

    object *postwalk_step(object *env, int argc, args_t argv);
    object *prewalk_step(object *env, int argc, args_t argv);

    object *postwalk_with(object *f, object *form)
    {
      auto *self = native_closure("postwalk", postwalk_step, f);
      return walk_with(self, f, form);
    }

    /* env: f */
    object *postwalk_step(object *env, int argc, args_t argv)
    {
      check_arity("postwalk", argc, 1, 1);
      return postwalk_with(env, argv[0]);
    }

    object *prewalk_with(object *f, object *form)
    {
      auto *self = native_closure("prewalk", prewalk_step, f);
      return walk_with(self, core("identity"), call(f, { form }));
    }

    /* env: f */
    object *prewalk_step(object *env, int argc, args_t argv)
    {
      check_arity("prewalk", argc, 1, 1);
      return prewalk_with(env, argv[0]);
    }

    object *postwalk(int argc, args_t argv)
    {
      check_arity("postwalk", argc, 2, 2);
      return postwalk_with(argv[0], argv[1]);
    }

    object *prewalk(int argc, args_t argv)
    {
      check_arity("prewalk", argc, 2, 2);
      return prewalk_with(argv[0], argv[1]);
    }

    /* Prints "Walked: x" for each form, as clojure.walk's demos do. */
    object *walked_step(object *, int argc, args_t argv)
    {
      check_arity("walk demo", argc, 1, 1);
      call(core("print"), { string("Walked: ") });
      call(core("prn"), { argv[0] });
      return argv[0];
    }

    object *postwalk_demo(int argc, args_t argv)
    {
      check_arity("postwalk-demo", argc, 1, 1);
      return postwalk_with(native_closure("postwalk-demo", walked_step, nil()), argv[0]);
    }

    object *prewalk_demo(int argc, args_t argv)
    {
      check_arity("prewalk-demo", argc, 1, 1);
      return prewalk_with(native_closure("prewalk-demo", walked_step, nil()), argv[0]);
    }

    /* env: the replacement map; x replaced when the map has it. */
    object *replace_step(object *env, int argc, args_t argv)
    {
      check_arity("walk replace", argc, 1, 1);
      return contains(env, argv[0]) ? get(env, argv[0], nil()) : argv[0];
    }

    object *postwalk_replace(int argc, args_t argv)
    {
      check_arity("postwalk-replace", argc, 2, 2);
      return postwalk_with(native_closure("postwalk-replace", replace_step, argv[0]), argv[1]);
    }

    object *prewalk_replace(int argc, args_t argv)
    {
      check_arity("prewalk-replace", argc, 2, 2);
      return prewalk_with(native_closure("prewalk-replace", replace_step, argv[0]), argv[1]);
    }

    /* A map's keys changed by key_fn where they are of the given type, rebuilt
     * in order as Clojure's (into {} (map ...)) does. */
    object *rekey(object *x, tag from, object *(*key_fn)(object *))
    {
      if(x->type != tag::map)
      {
        return x;
      }
      object *out = map_from({});
      for(auto *e : to_items(x))
      {
        auto *entry = static_cast<vector_obj *>(e);
        auto *k = entry->at(0);
        out = assoc(out, k->type == from ? key_fn(k) : k, entry->at(1));
      }
      return out;
    }

    object *to_keyword(object *k)
    {
      return keyword("", static_cast<string_obj *>(k)->value);
    }

    object *to_name(object *k)
    {
      return string(static_cast<keyword_obj *>(k)->name);
    }

    object *keywordize_step(object *, int, args_t argv)
    {
      return rekey(argv[0], tag::string, to_keyword);
    }

    object *stringify_step(object *, int, args_t argv)
    {
      return rekey(argv[0], tag::keyword, to_name);
    }

    object *keywordize_keys(int argc, args_t argv)
    {
      check_arity("keywordize-keys", argc, 1, 1);
      return postwalk_with(native_closure("keywordize-keys", keywordize_step, nil()), argv[0]);
    }

    object *stringify_keys(int argc, args_t argv)
    {
      check_arity("stringify-keys", argc, 1, 1);
      return postwalk_with(native_closure("stringify-keys", stringify_step, nil()), argv[0]);
    }

    /* (macroexpand-all form), as Clojure's: (prewalk macroexpand form). The
     * compiler answers it for a form it can compute; in the page, whose
     * macroexpand expands no macros, it is the form itself or the error
     * that names the macro. */
    object *macroexpand_all(int argc, args_t argv)
    {
      check_arity("macroexpand-all", argc, 1, 1);
      object *args[] = { core("macroexpand"), argv[0] };
      return prewalk(2, args);
    }

    native_entry const walk_fns[] = {
      { "macroexpand-all", macroexpand_all },
      { "walk", walk },
      { "postwalk", postwalk },
      { "prewalk", prewalk },
      { "postwalk-demo", postwalk_demo },
      { "prewalk-demo", prewalk_demo },
      { "postwalk-replace", postwalk_replace },
      { "prewalk-replace", prewalk_replace },
      { "keywordize-keys", keywordize_keys },
      { "stringify-keys", stringify_keys },
    };

    // ---- clojure.data -------------------------------------------------------------------

    /* How clojure.data/diff compares two values: atoms by =, the others by part. */
    enum class partition
    {
      atom,
      set,
      sequential,
      map,
    };

    partition partition_of(object const *x)
    {
      switch(x->type)
      {
        case tag::set:
          return partition::set;
        case tag::map:
        case tag::record:
          return partition::map;
        case tag::vector:
        case tag::list:
        case tag::vector_seq:
        case tag::long_range:
        case tag::lazy_seq:
        case tag::cons:
          return partition::sequential;
        case tag::array:
          return partition::sequential;
        default:
          break;
      }
      /* A java.util collection is partitioned as its interface says. */
      auto const is = [x](char const *name) {
        return call(core("instance?"), { class_named(name), const_cast<object *>(x) }) != boolean(false);
      };
      if(x->type != tag::instance)
        return partition::atom;
      if(is("java.util.Set"))
        return partition::set;
      if(is("java.util.Map"))
        return partition::map;
      if(is("java.util.List"))
        return partition::sequential;
      return partition::atom;
    }

    object *diff(object *a, object *b);

    object *nil_if_empty(object *coll)
    {
      return coll->type == tag::nil || count(coll) == 0 ? nil() : coll;
    }

    /* [{k a*} {k b*} {k ab}] for one key of two associative values, as
     * clojure.data's diff-associative-key. */
    std::array<object *, 3> diff_key(object *a, object *b, object *k)
    {
      auto *va = get(a, k, nil());
      auto *vb = get(b, k, nil());
      auto parts = to_items(diff(va, vb));
      bool const in_a = contains(a, k);
      bool const in_b = contains(b, k);
      bool const same = in_a && in_b && (parts[2]->type != tag::nil || (va->type == tag::nil && vb->type == tag::nil));
      return { in_a && (parts[0]->type != tag::nil || !same) ? map_from({ k, parts[0] }) : nil(),
               in_b && (parts[1]->type != tag::nil || !same) ? map_from({ k, parts[1] }) : nil(),
               same ? map_from({ k, parts[2] }) : nil() };
    }

    std::array<object *, 3> diff_associative(object *a, object *b, object *keys)
    {
      std::array<object *, 3> out{ nil(), nil(), nil() };
      for(auto *k : to_items(keys))
      {
        auto const one = diff_key(a, b, k);
        for(size_t i = 0; i < out.size(); ++i)
        {
          out[i] = call(core("merge"), { out[i], one[i] });
        }
      }
      return out;
    }

    /* A map of index to item as a vector, nils between (nil for no items). */
    object *vectorize(object *m)
    {
      if(nil_if_empty(m)->type == tag::nil)
      {
        return nil();
      }
      auto *size = call(core("apply"), { core("max"), call(core("keys"), { m }) });
      auto *out = call(core("vec"), { call(core("repeat"), { size, nil() }) });
      for(auto *entry : to_items(m))
      {
        auto kv = to_items(entry);
        out = assoc(out, kv[0], kv[1]);
      }
      return out;
    }

    object *diff(object *a, object *b)
    {
      if(equals(a, b))
      {
        return vector_from({ nil(), nil(), a });
      }
      auto const kind = partition_of(a);
      if(kind != partition_of(b) || kind == partition::atom)
      {
        return vector_from({ a, b, nil() });
      }
      switch(kind)
      {
        case partition::set:
          {
            a = call(core("set"), { a });
            b = call(core("set"), { b });
            auto *difference = deref(intern_var("clojure.set", "difference"));
            auto *intersection = deref(intern_var("clojure.set", "intersection"));
            return vector_from({ nil_if_empty(call(difference, { a, b })),
                                 nil_if_empty(call(difference, { b, a })),
                                 nil_if_empty(call(intersection, { a, b })) });
          }
        case partition::map:
          {
            /* Clojure's (set/union (keys a) (keys b)) of two seqs: the other's
             * keys conj'd onto the front of the longer's, which orders the maps
             * that come out. */
            auto ka = to_items(call(core("keys"), { a }));
            auto kb = to_items(call(core("keys"), { b }));
            auto &longer = ka.size() < kb.size() ? kb : ka;
            auto const &other = ka.size() < kb.size() ? ka : kb;
            for(auto *k : other)
            {
              longer.insert(longer.begin(), k);
            }
            auto const parts = diff_associative(a, b, vector_from(longer));
            /* A seq, as Clojure's (map merge ...) gives for maps. */
            return list_from({ parts[0], parts[1], parts[2] });
          }
        default:
          {
            auto *va = call(core("vec"), { a });
            auto *vb = call(core("vec"), { b });
            auto *indices = call(core("range"), { integer(static_cast<int64_t>(std::max(count(va), count(vb)))) });
            auto const parts = diff_associative(va, vb, indices);
            return vector_from({ vectorize(parts[0]), vectorize(parts[1]), vectorize(parts[2]) });
          }
      }
    }

    /* (diff a b): [things only in a, things only in b, things in both]. */
    object *diff_(int argc, args_t argv)
    {
      check_arity("diff", argc, 2, 2);
      return diff(argv[0], argv[1]);
    }

    native_entry const data_fns[] = {
      { "diff", diff_ },
    };

    // ---- clojure.pprint ---------------------------------------------------------------

    /* (pprint x) and (pprint x writer): the page has one output, so the writer
     * (*out* or *err*) only says where the editor would have shown it. */
    object *pprint(int argc, args_t argv)
    {
      check_arity("pprint", argc, 1, 2);
      /* Inside with-pprint-dispatch, the dispatch fn prints the value
       * (clojure.data.json's pprint writes JSON so). */
      static var_obj *const dispatch = intern_var("clojure.pprint", "*print-pprint-dispatch*");
      if(auto *f = deref(dispatch); truthy(f))
      {
        invoke(f, 1, argv);
        write_output("\n");
        return nil();
      }
      /* A method a library added to simple-dispatch for the value's type. */
      static var_obj *const simple = intern_var("clojure.pprint", "simple-dispatch");
      auto *own = get(call(core("methods"), { deref(simple) }), call(core("class"), { argv[0] }), nil());
      if(truthy(own))
      {
        invoke(own, 1, argv);
        write_output("\n");
        return nil();
      }
      write_output(pprint_str(argv[0]));
      return nil();
    }

    /* (write x & options): with :stream nil, the layout as a string (without
     * pprint's newline); with any other stream, printed. :pretty false prints
     * as pr does. Other options (:right-margin, :dispatch, ...) are taken and
     * not honoured. */
    object *write(int argc, args_t argv)
    {
      if(argc < 1 || argc % 2 == 0)
      {
        fail("clojure.pprint/write takes a value and options as :key value pairs");
      }
      auto *options = map_from(std::vector<object *>(argv + 1, argv + argc));
      auto *stream = get(options, keyword("", "stream"), boolean(true));
      bool const pretty = truthy(get(options, keyword("", "pretty"), boolean(true)));
      auto text = pretty ? pprint_str(argv[0]) : pr_str(argv[0]) + "\n";
      text.pop_back();
      if(stream->type == tag::nil)
      {
        return string(text);
      }
      write_output(text);
      return nil();
    }

    /* (print-table rows) and (print-table ks rows), as Clojure's: a blank line,
     * then the keys and each row's values, right-aligned in columns. */
    object *print_table(int argc, args_t argv)
    {
      check_arity("print-table", argc, 1, 2);
      auto const rows = to_items(argv[argc - 1]);
      if(rows.empty())
      {
        return nil();
      }
      auto const keys = argc == 2 ? to_items(argv[0]) : to_items(call(core("keys"), { rows[0] }));
      std::vector<size_t> widths;
      for(auto *k : keys)
      {
        size_t width = utf8::length(str(k));
        for(auto *row : rows)
        {
          width = std::max(width, utf8::length(str(get(row, k, nil()))));
        }
        widths.push_back(width);
      }
      auto line = [&](char const *leader, char const *divider, char const *trailer, auto &&cell) {
        std::string out = leader;
        for(size_t i = 0; i < keys.size(); ++i)
        {
          auto const text = cell(i);
          out += (i > 0 ? divider : "") + std::string(widths[i] - utf8::length(text), ' ') + text;
        }
        return out + trailer + "\n";
      };
      std::string out = "\n";
      out += line("| ", " | ", " |", [&](size_t i) { return str(keys[i]); });
      out += line("|-", "-+-", "-|", [&](size_t i) { return std::string(widths[i], '-'); });
      for(auto *row : rows)
      {
        out += line("| ", " | ", " |", [&](size_t i) { return str(get(row, keys[i], nil())); });
      }
      write_output(out);
      return nil();
    }

    /* The pretty print dispatch a dispatch function writes its parts through:
     * the function with-pprint-dispatch bound, else simple-dispatch. */
    object *write_out(int argc, args_t argv)
    {
      check_arity("write-out", argc, 1, 1);
      static var_obj *const dispatch = intern_var("clojure.pprint", "*print-pprint-dispatch*");
      static var_obj *const simple = intern_var("clojure.pprint", "simple-dispatch");
      auto *f = deref(dispatch);
      invoke(truthy(f) ? f : deref(simple), 1, argv);
      return nil();
    }

    /* simple-dispatch's and code-dispatch's :default: what pr writes. */
    object *pprint_simple_default(int argc, args_t argv)
    {
      check_arity("pprint-simple-default", argc, 1, 1);
      write_output(pr_str(argv[0]));
      return nil();
    }

    /* (pprint-newline kind): :mandatory writes a newline. The pretty printer
     * keeps no layout state, so :linear, :fill and :miser never break. */
    object *pprint_newline(int argc, args_t argv)
    {
      check_arity("pprint-newline", argc, 1, 1);
      if(argv[0] == keyword("", "mandatory"))
      {
        write_output("\n");
      }
      return nil();
    }

    /* (pprint-indent relative-to n) and (pprint-tab kind colnum colinc): no
     * layout state to set. */
    object *pprint_layout_nothing(int, args_t)
    {
      return nil();
    }

    /* (get-pretty-writer w): the writer itself, as the page's printer
     * keeps no column state for a pretty writer to track. */
    object *get_pretty_writer(int argc, args_t argv)
    {
      check_arity("get-pretty-writer", argc, 1, 1);
      return argv[0];
    }

    native_entry const pprint_fns[] = {
      { "get-pretty-writer", get_pretty_writer },
      { "write-out", write_out },
      { "pprint-newline", pprint_newline },
      { "pprint-indent", pprint_layout_nothing },
      { "pprint-tab", pprint_layout_nothing },
      { "pprint", pprint },
      { "print-table", print_table },
      { "cl-format", cl_format },
      { "write", write },
    };

    // ---- clojure.math -----------------------------------------------------------------

    /* "clojure.math/sqrt": the name of the clojure.math native `self`, for
     * its errors (looked up only when one is raised). */
    std::string math_name(native_fn self);

    [[noreturn]] void fail_math_arity(native_fn self, int argc)
    {
      fail("Wrong number of args (" + std::to_string(argc) + ") passed to: " + math_name(self));
    }

    /* An argument of the clojure.math function `self`, as a double. */
    double math_arg(object const *o, native_fn self)
    {
      if(!is_number(o))
      {
        as_double(o, math_name(self).c_str()); /* fails, naming the function */
      }
      return as_double(o, "clojure.math");
    }

    template <double (*F)(double)>
    object *unary(int argc, args_t argv)
    {
      if(argc != 1)
      {
        fail_math_arity(unary<F>, argc);
      }
      return real(F(math_arg(argv[0], unary<F>)));
    }

    template <double (*F)(double, double)>
    object *binary(int argc, args_t argv)
    {
      if(argc != 2)
      {
        fail_math_arity(binary<F>, argc);
      }
      return real(F(math_arg(argv[0], binary<F>), math_arg(argv[1], binary<F>)));
    }

    double sin_(double x) { return std::sin(x); }
    double cos_(double x) { return std::cos(x); }
    double tan_(double x) { return std::tan(x); }
    double asin_(double x) { return std::asin(x); }
    double acos_(double x) { return std::acos(x); }
    double atan_(double x) { return std::atan(x); }
    double sinh_(double x) { return std::sinh(x); }
    double cosh_(double x) { return std::cosh(x); }
    double tanh_(double x) { return std::tanh(x); }
    double exp_(double x) { return std::exp(x); }
    double expm1_(double x) { return std::expm1(x); }
    double log_(double x) { return std::log(x); }
    double log10_(double x) { return std::log10(x); }
    double log1p_(double x) { return std::log1p(x); }
    double sqrt_(double x) { return std::sqrt(x); }
    double cbrt_(double x) { return std::cbrt(x); }
    double floor_(double x) { return std::floor(x); }
    double ceil_(double x) { return std::ceil(x); }
    double rint_(double x) { return std::nearbyint(x); }
    double signum_(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
    double to_radians_(double x) { return x / 180.0 * std::numbers::pi; }
    double to_degrees_(double x) { return x * 180.0 / std::numbers::pi; }
    /* Math.pow: as C's, but 1 or -1 to an infinite or NaN power is NaN. */
    double pow_(double a, double b)
    {
      if(std::isnan(b) || (std::fabs(a) == 1.0 && std::isinf(b)))
      {
        return std::numeric_limits<double>::quiet_NaN();
      }
      return std::pow(a, b);
    }
    double atan2_(double a, double b) { return std::atan2(a, b); }
    double hypot_(double a, double b) { return std::hypot(a, b); }

    /* (round x): the closest long, ties toward positive infinity (Math/round);
     * beyond a long's range, the nearest end of it. */
    object *round_(int argc, args_t argv)
    {
      check_arity("round", argc, 1, 1);
      auto const x = as_double(argv[0], "round");
      if(std::isnan(x))
      {
        return integer(0);
      }
      /* Java's rounding: floor(x + 0.5) would round 0.49999999999999994 up. */
      auto const floor = std::floor(x);
      auto const rounded = x - floor >= 0.5 ? floor + 1 : floor;
      /* 2^63 is exact as a double; every double below it fits a long. */
      if(rounded >= 9223372036854775808.0)
      {
        return integer(std::numeric_limits<int64_t>::max());
      }
      if(rounded <= -9223372036854775808.0)
      {
        return integer(std::numeric_limits<int64_t>::min());
      }
      return integer(static_cast<int64_t>(rounded));
    }

    int64_t long_arg(object *o, char const *op)
    {
      if(o->type != tag::integer)
      {
        fail(std::string{ op } + " expects integers, got " + type_name(o));
      }
      return static_cast<integer_obj *>(o)->value;
    }

    /* floor-div and floor-mod: integer division rounding toward negative infinity. */
    object *floor_div(int argc, args_t argv)
    {
      check_arity("floor-div", argc, 2, 2);
      auto const a = long_arg(argv[0], "floor-div");
      auto const b = long_arg(argv[1], "floor-div");
      if(b == 0)
      {
        fail("Divide by zero");
      }
      if(b == -1)
      {
        /* Math.floorDiv wraps Long/MIN_VALUE, where wasm's i64.div_s traps. */
        return integer(a == std::numeric_limits<int64_t>::min() ? a : -a);
      }
      auto q = a / b;
      if((a % b != 0) && ((a < 0) != (b < 0)))
      {
        --q;
      }
      return integer(q);
    }

    object *floor_mod(int argc, args_t argv)
    {
      check_arity("floor-mod", argc, 2, 2);
      auto const a = long_arg(argv[0], "floor-mod");
      auto const b = long_arg(argv[1], "floor-mod");
      if(b == 0)
      {
        fail("Divide by zero");
      }
      auto const m = a % b;
      return integer(m != 0 && ((m < 0) != (b < 0)) ? m + b : m);
    }

    double ieee_remainder_(double a, double b) { return std::remainder(a, b); }
    double copy_sign_(double a, double b) { return std::copysign(a, b); }
    double next_after_(double a, double b) { return std::nextafter(a, b); }
    double next_up_(double x) { return std::nextafter(x, std::numeric_limits<double>::infinity()); }
    double next_down_(double x) { return std::nextafter(x, -std::numeric_limits<double>::infinity()); }

    /* Math.ulp: the distance to the next double away from zero. */
    double ulp_(double x)
    {
      if(std::isnan(x))
      {
        return x;
      }
      if(std::isinf(x))
      {
        return std::numeric_limits<double>::infinity();
      }
      auto const a = std::fabs(x);
      return a == std::numeric_limits<double>::max() ? a - std::nextafter(a, 0.0)
                                                       : std::nextafter(a, std::numeric_limits<double>::infinity()) - a;
    }

    /* Math.getExponent: the unbiased exponent; 1024 for NaN and the
     * infinities, -1023 for zero and subnormals. */
    object *get_exponent(int argc, args_t argv)
    {
      check_arity("get-exponent", argc, 1, 1);
      auto const x = as_double(argv[0], "get-exponent");
      if(std::isnan(x) || std::isinf(x))
      {
        return integer(1024);
      }
      if(x == 0.0 || std::fabs(x) < std::numeric_limits<double>::min())
      {
        return integer(-1023);
      }
      return integer(std::ilogb(x));
    }

    object *scalb(int argc, args_t argv)
    {
      check_arity("scalb", argc, 2, 2);
      return real(std::scalbn(as_double(argv[0], "scalb"), static_cast<int>(long_arg(argv[1], "scalb"))));
    }

    object *random(int argc, args_t)
    {
      check_arity("random", argc, 0, 0);
      return call(core("rand"), {});
    }

    /* Math's exact long arithmetic: an overflow is an ArithmeticException. */
    object *exact(char const *op, int argc, args_t argv, int arity, bool (*step)(int64_t, int64_t, int64_t *))
    {
      check_arity(op, argc, arity, arity);
      int64_t result{};
      auto const a = long_arg(argv[0], op);
      auto const b = arity == 2 ? long_arg(argv[1], op) : 0;
      if(step(a, b, &result))
      {
        fail("long overflow");
      }
      return integer(result);
    }

    bool add_step(int64_t a, int64_t b, int64_t *r) { return __builtin_add_overflow(a, b, r); }
    bool subtract_step(int64_t a, int64_t b, int64_t *r) { return __builtin_sub_overflow(a, b, r); }
    bool multiply_step(int64_t a, int64_t b, int64_t *r) { return __builtin_mul_overflow(a, b, r); }
    bool increment_step(int64_t a, int64_t, int64_t *r) { return __builtin_add_overflow(a, int64_t{ 1 }, r); }
    bool decrement_step(int64_t a, int64_t, int64_t *r) { return __builtin_sub_overflow(a, int64_t{ 1 }, r); }
    bool negate_step(int64_t a, int64_t, int64_t *r) { return __builtin_sub_overflow(int64_t{ 0 }, a, r); }

    native_entry const math_fns[] = {
      { "IEEE-remainder", binary<ieee_remainder_> },
      { "copy-sign", binary<copy_sign_> },
      { "next-after", binary<next_after_> },
      { "next-up", unary<next_up_> },
      { "next-down", unary<next_down_> },
      { "ulp", unary<ulp_> },
      { "get-exponent", get_exponent },
      { "scalb", scalb },
      { "random", random },
      { "add-exact", [](int argc, args_t argv) { return exact("add-exact", argc, argv, 2, add_step); } },
      { "subtract-exact", [](int argc, args_t argv) { return exact("subtract-exact", argc, argv, 2, subtract_step); } },
      { "multiply-exact", [](int argc, args_t argv) { return exact("multiply-exact", argc, argv, 2, multiply_step); } },
      { "increment-exact", [](int argc, args_t argv) { return exact("increment-exact", argc, argv, 1, increment_step); } },
      { "decrement-exact", [](int argc, args_t argv) { return exact("decrement-exact", argc, argv, 1, decrement_step); } },
      { "negate-exact", [](int argc, args_t argv) { return exact("negate-exact", argc, argv, 1, negate_step); } },
      { "sin", unary<sin_> },
      { "cos", unary<cos_> },
      { "tan", unary<tan_> },
      { "asin", unary<asin_> },
      { "acos", unary<acos_> },
      { "atan", unary<atan_> },
      { "sinh", unary<sinh_> },
      { "cosh", unary<cosh_> },
      { "tanh", unary<tanh_> },
      { "exp", unary<exp_> },
      { "expm1", unary<expm1_> },
      { "log", unary<log_> },
      { "log10", unary<log10_> },
      { "log1p", unary<log1p_> },
      { "sqrt", unary<sqrt_> },
      { "cbrt", unary<cbrt_> },
      { "floor", unary<floor_> },
      { "ceil", unary<ceil_> },
      { "rint", unary<rint_> },
      { "signum", unary<signum_> },
      { "to-radians", unary<to_radians_> },
      { "to-degrees", unary<to_degrees_> },
      { "pow", binary<pow_> },
      { "atan2", binary<atan2_> },
      { "hypot", binary<hypot_> },
      { "round", round_ },
      { "floor-div", floor_div },
      { "floor-mod", floor_mod },
    };

    std::string math_name(native_fn self)
    {
      for(auto const &entry : math_fns)
      {
        if(entry.fn == self)
        {
          return std::string{ "clojure.math/" } + entry.name;
        }
      }
      return "clojure.math";
    }
  }

  void install_libraries()
  {
    install_natives(set_fns, "clojure.set");
    install_natives(walk_fns, "clojure.walk");
    install_natives(math_fns, "clojure.math");
    install_natives(pprint_fns, "clojure.pprint");
    bind_root(intern_var("clojure.pprint", "*print-right-margin*"), integer(72));
    /* The rest of pprint's settings, at the JVM's values, for code that
     * binds them: the page's printer reads none of them. */
    bind_root(intern_var("clojure.pprint", "*print-miser-width*"), integer(40));
    bind_root(intern_var("clojure.pprint", "*print-suppress-namespaces*"), boolean(false));
    bind_root(intern_var("clojure.pprint", "*print-pretty*"), boolean(true));
    bind_root(intern_var("clojure.pprint", "*print-radix*"), boolean(false));
    bind_root(intern_var("clojure.pprint", "*print-base*"), integer(10));
    /* nil: pprint lays data out itself (the JVM's simple-dispatch). */
    bind_root(intern_var("clojure.pprint", "*print-pprint-dispatch*"), nil());
    /* (defmulti simple-dispatch class) and code-dispatch: a method a library
     * adds for its type is what write-out calls for a value of it. */
    for(auto const *name : { "simple-dispatch", "code-dispatch" })
    {
      auto *dispatch = new multi_fn_obj{ std::string{ "clojure.pprint/" } + name, core("class"), keyword("", "default") };
      bind_root(intern_var("clojure.pprint", name), dispatch);
      auto *fallback = new fn_obj{};
      fallback->name = "clojure.pprint/pprint-simple-default";
      fallback->native = pprint_simple_default;
      call(core("add-method*"), { dispatch, keyword("", "default"), fallback });
    }
    install_natives(data_fns, "clojure.data");
    bind_root(intern_var("clojure.math", "PI"), real(std::numbers::pi));
    bind_root(intern_var("clojure.math", "E"), real(std::numbers::e));
  }
}
