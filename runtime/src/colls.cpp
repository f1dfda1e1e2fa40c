// Maps and vectors in depth (update, assoc-in, merge, ...), sorting and
// comparison, and the function combinators (comp, partial, juxt, ...).
#include "classes.hpp"
#include "colls.hpp"

#include "native.hpp"
#include "numbers.hpp"
#include "text.hpp"
#include "uuid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace jhr
{
  namespace
  {
    std::vector<object *> args_from(int argc, args_t argv, int from)
    {
      return std::vector<object *>(argv + from, argv + argc);
    }

    object *call(object *f, std::vector<object *> args)
    {
      return invoke(f, static_cast<int>(args.size()), args.data());
    }

    // ---- maps ------------------------------------------------------------------------

    /* (update m k f & args) */
    object *update(int argc, args_t argv)
    {
      check_arity("update", argc, 3, -1);
      std::vector<object *> args{ get(argv[0], argv[1], nil()) };
      auto extra = args_from(argc, argv, 3);
      args.insert(args.end(), extra.begin(), extra.end());
      return assoc(argv[0], argv[1], call(argv[2], args));
    }

    object *update_in_at(object *m, std::vector<object *> const &path, size_t at, object *f,
                         std::vector<object *> const &extra)
    {
      auto *inner = get(m, path[at], nil());
      object *value{};
      if(at + 1 == path.size())
      {
        std::vector<object *> args{ inner };
        args.insert(args.end(), extra.begin(), extra.end());
        value = call(f, args);
      }
      else
      {
        value = update_in_at(inner, path, at + 1, f, extra);
      }
      return assoc(m, path[at], value);
    }

    object *update_in(int argc, args_t argv)
    {
      check_arity("update-in", argc, 3, -1);
      auto path = to_items(argv[1]);
      if(path.empty())
      {
        path.push_back(nil()); /* Clojure's destructuring makes the key of [] nil */
      }
      return update_in_at(argv[0], path, 0, argv[2], args_from(argc, argv, 3));
    }

    object *assoc_in_at(object *m, std::vector<object *> const &path, size_t at, object *v)
    {
      if(at + 1 == path.size())
      {
        return assoc(m, path[at], v);
      }
      return assoc(m, path[at], assoc_in_at(get(m, path[at], nil()), path, at + 1, v));
    }

    object *assoc_in(int argc, args_t argv)
    {
      check_arity("assoc-in", argc, 3, 3);
      auto path = to_items(argv[1]);
      if(path.empty())
      {
        path.push_back(nil()); /* Clojure's destructuring makes the key of [] nil */
      }
      return assoc_in_at(argv[0], path, 0, argv[2]);
    }

    object *get_in(int argc, args_t argv)
    {
      check_arity("get-in", argc, 2, 3);
      static object missing{ tag::nil };
      auto *at = argv[0];
      for(auto *k : to_items(argv[1]))
      {
        at = get(at, k, &missing);
        if(at == &missing)
        {
          return argc == 3 ? argv[2] : nil();
        }
      }
      return at;
    }

    object *merge(int argc, args_t argv)
    {
      object *out = nil();
      for(int i = 0; i < argc; ++i)
      {
        if(argv[i]->type == tag::nil)
        {
          continue;
        }
        out = out->type == tag::nil ? argv[i] : conj(out, argv[i]);
      }
      return out;
    }

    object *merge_with(int argc, args_t argv)
    {
      check_arity("merge-with", argc, 1, -1);
      static object missing{ tag::nil };
      object *out = nil();
      for(int i = 1; i < argc; ++i)
      {
        if(argv[i]->type == tag::nil)
        {
          continue;
        }
        if(out->type == tag::nil)
        {
          out = argv[i];
          continue;
        }
        for(auto *entry : to_items(argv[i]))
        {
          auto kv = to_items(entry);
          auto *existing = get(out, kv.at(0), &missing);
          out = assoc(out, kv.at(0), existing == &missing ? kv.at(1) : call(argv[0], { existing, kv.at(1) }));
        }
      }
      return out;
    }

    /* What find and select-keys look in: Clojure's Associative (maps, vectors,
     * records) and transients of them; a set or a string is not one. */
    void check_findable(object *coll)
    {
      switch(coll->type)
      {
        case tag::nil:
        case tag::map:
        case tag::vector:
        case tag::record:
        case tag::transient:
          return;
        default:
          fail("find not supported on type: " + class_name_of(coll));
      }
    }

    object *select_keys(int argc, args_t argv)
    {
      check_arity("select-keys", argc, 2, 2);
      static object missing{ tag::nil };
      object *out = map_from({});
      for(auto *k : to_items(argv[1]))
      {
        check_findable(argv[0]);
        auto *v = get(argv[0], k, &missing);
        if(v != &missing)
        {
          out = assoc(out, k, v);
        }
      }
      return carry_meta(argv[0], out);
    }

    object *find(int argc, args_t argv)
    {
      check_arity("find", argc, 2, 2);
      if(auto *f = type_method_of(argv[0], "entryAt"))
      {
        return call_method(f, { argv[0], argv[1] });
      }
      check_findable(argv[0]);
      static object missing{ tag::nil };
      auto *v = get(argv[0], argv[1], &missing);
      return v == &missing ? nil() : map_entry(argv[1], v);
    }

    object *entry_part(object *entry, size_t i, char const *op)
    {
      if(entry->type != tag::vector || count(entry) != 2)
      {
        fail(std::string{ op } + " expects a map entry, got " + type_name(entry));
      }
      return static_cast<vector_obj *>(entry)->at(i);
    }

    object *key(int argc, args_t argv)
    {
      check_arity("key", argc, 1, 1);
      if(auto *f = type_method_of(argv[0], "getKey"))
      {
        return call_method(f, { argv[0] });
      }
      return entry_part(argv[0], 0, "key");
    }

    object *val(int argc, args_t argv)
    {
      check_arity("val", argc, 1, 1);
      if(auto *f = type_method_of(argv[0], "getValue"))
      {
        return call_method(f, { argv[0] });
      }
      return entry_part(argv[0], 1, "val");
    }

    object *zipmap(int argc, args_t argv)
    {
      check_arity("zipmap", argc, 2, 2);
      /* Walks both one cell at a time: either may be infinite. */
      object *out = map_from({});
      auto *ks = seq(argv[0]);
      auto *vs = seq(argv[1]);
      for(; ks->type != tag::nil && vs->type != tag::nil; ks = seq(rest(ks)), vs = seq(rest(vs)))
      {
        out = assoc(out, first(ks), first(vs));
      }
      return out;
    }

    object *frequencies(int argc, args_t argv)
    {
      check_arity("frequencies", argc, 1, 1);
      object *out = map_from({});
      gc::scoped_roots const roots{ &out };
      for(auto *x : gc::items_collecting(argv[0]))
      {
        auto *n = get(out, x, integer(0));
        out = assoc(out, x, integer(static_cast<integer_obj *>(n)->value + 1));
      }
      return out;
    }

    object *group_by(int argc, args_t argv)
    {
      check_arity("group-by", argc, 2, 2);
      object *out = map_from({});
      gc::scoped_roots const roots{ &out };
      for(auto *x : gc::items_collecting(argv[1]))
      {
        auto *k = invoke(argv[0], 1, &x);
        out = assoc(out, k, conj(get(out, k, vector_from({})), x));
      }
      return out;
    }

    object *mapv(int argc, args_t argv)
    {
      check_arity("mapv", argc, 2, -1);
      auto *mapped = invoke(deref(intern_var("clojure.core", "map")), argc, argv);
      return vector_from(to_items(mapped));
    }

    /* (replace smap coll): each item that is a key of smap becomes its value;
     * a vector stays a vector. (replace smap) is the transducer. */
    object *replace(int argc, args_t argv)
    {
      check_arity("replace", argc, 1, 2);
      auto *lookup = native_closure(
        "replace",
        [](object *smap, int n, args_t xs) -> object * {
          check_arity("replace", n, 1, 1);
          return get(smap, xs[0], xs[0]);
        },
        argv[0]);
      object *map_args[] = { lookup, argc == 2 ? argv[1] : nil() };
      auto *map = deref(intern_var("clojure.core", "map"));
      if(argc == 1)
      {
        return invoke(map, 1, map_args);
      }
      if(argv[1]->type == tag::vector)
      {
        return carry_meta(argv[1], vector_from(to_items(invoke(map, 2, map_args))));
      }
      return invoke(map, 2, map_args);
    }

    object *filterv(int argc, args_t argv)
    {
      check_arity("filterv", argc, 2, 2);
      std::vector<object *> out;
      for(auto *x : to_items(argv[1]))
      {
        if(truthy(invoke(argv[0], 1, &x)))
        {
          out.push_back(x);
        }
      }
      return vector_from(std::move(out));
    }

    object *not_empty(int argc, args_t argv)
    {
      check_arity("not-empty", argc, 1, 1);
      return seq(argv[0])->type == tag::nil ? nil() : argv[0];
    }

    object *empty_of(object *coll)
    {
      switch(coll->type)
      {
        case tag::vector:
          return vector_from({});
        case tag::map:
          {
            auto const &t = static_cast<map_obj *>(coll)->entries;
            /* As the JVM's: a hash map's empty is an empty hash map, whose
             * entries then list in hash order at every size. */
            return t.is_sorted()   ? new map_obj{ entry_table::sorted(t.comparator()) }
              : t.is_hashed()      ? new map_obj{ entry_table::hashed() }
                                   : map_from({});
          }
        case tag::set:
          {
            auto const &t = static_cast<set_obj *>(coll)->items;
            return t.is_sorted() ? new set_obj{ entry_table::sorted(t.comparator()) } : set_from({});
          }
        case tag::list:
        case tag::vector_seq:
        case tag::long_range:
        case tag::cons:
        case tag::lazy_seq:
          return const_cast<list_obj *>(empty_list());
        case tag::queue:
          return empty_queue();
        default:
          return nil();
      }
    }

    object *empty(int argc, args_t argv)
    {
      check_arity("empty", argc, 1, 1);
      if(auto *f = type_method_of(argv[0], "empty"))
      {
        return call_method(f, { argv[0] });
      }
      return carry_meta(argv[0], empty_of(argv[0]));
    }

    object *peek(int argc, args_t argv)
    {
      check_arity("peek", argc, 1, 1);
      if(auto *f = type_method_of(argv[0], "peek"))
      {
        return call_method(f, { argv[0] });
      }
      if(argv[0]->type == tag::queue)
      {
        return queue_peek(static_cast<queue_obj *>(argv[0]));
      }
      if(argv[0]->type == tag::vector)
      {
        auto *v = static_cast<vector_obj *>(argv[0]);
        return v->count == 0 ? nil() : v->at(v->count - 1);
      }
      if(argv[0]->type != tag::nil && argv[0]->type != tag::list)
      {
        /* Clojure's IPersistentStack: a seq, a range or a lazy seq is not one. */
        fail(std::string{ "peek expects a vector, list or queue, got " } + type_name(argv[0]));
      }
      return first(argv[0]);
    }

    object *pop(int argc, args_t argv)
    {
      check_arity("pop", argc, 1, 1);
      if(argv[0]->type == tag::nil)
      {
        return nil();
      }
      if(auto *f = type_method_of(argv[0], "pop"))
      {
        return call_method(f, { argv[0] });
      }
      if(argv[0]->type == tag::queue)
      {
        return carry_meta(argv[0], queue_pop(static_cast<queue_obj *>(argv[0])));
      }
      if(argv[0]->type == tag::vector)
      {
        auto *v = static_cast<vector_obj *>(argv[0]);
        if(v->count == 0)
        {
          fail("Can't pop empty vector");
        }
        return carry_meta(argv[0], new vector_obj{ v->items.pop() });
      }
      if(argv[0]->type != tag::list)
      {
        fail(std::string{ "pop expects a vector, list or queue, got " } + type_name(argv[0]));
      }
      if(seq(argv[0])->type == tag::nil)
      {
        fail("Can't pop empty list");
      }
      return rest(argv[0]);
    }

    object *subvec(int argc, args_t argv)
    {
      check_arity("subvec", argc, 2, 3);
      auto const size = static_cast<int64_t>(count(argv[0]));
      auto const start = truncated_index(argv[1], "subvec");
      auto const end = argc == 3 ? truncated_index(argv[2], "subvec") : size;
      if(start < 0 || end < start || end > size)
      {
        auto const bad = start < 0 || start > size ? start : end;
        fail("Index " + std::to_string(bad) + " out of bounds for subvec [" + std::to_string(start) + " "
             + std::to_string(end) + ") of a vector of " + std::to_string(size));
      }
      if(argv[0]->type == tag::vector)
      {
        /* O(1), sharing the vector's trie, as Clojure's SubVector does. */
        auto *sub = new vector_obj{ static_cast<vector_obj *>(argv[0])->items.slice(static_cast<size_t>(start),
                                                                                      static_cast<size_t>(end)) };
        sub->subvector = true;
        return sub;
      }
      auto const items = to_items(argv[0]);
      auto *sub = static_cast<vector_obj *>(vector_from(std::vector<object *>(items.begin() + start, items.begin() + end)));
      sub->subvector = true;
      return sub;
    }

    /* The sorted table of a sorted map or set, or null. */
    entry_table const *sorted_table(object *coll)
    {
      if(coll->type == tag::map && static_cast<map_obj *>(coll)->entries.is_sorted())
      {
        return &static_cast<map_obj *>(coll)->entries;
      }
      if(coll->type == tag::set && static_cast<set_obj *>(coll)->items.is_sorted())
      {
        return &static_cast<set_obj *>(coll)->items;
      }
      return nullptr;
    }

    object *seq_of(std::vector<object *> const &items)
    {
      return items.empty() ? nil() : list_from(items);
    }

    /* (rseq v): a vector's or sorted collection's items, last first; nil if empty. */
    object *rseq(int argc, args_t argv)
    {
      check_arity("rseq", argc, 1, 1);
      if(auto *f = type_method_of(argv[0], "rseq"))
      {
        return call_method(f, { argv[0] });
      }
      if(argv[0]->type != tag::vector && sorted_table(argv[0]) == nullptr)
      {
        fail(std::string{ "rseq expects a vector, sorted map or sorted set, got " } + type_name(argv[0]));
      }
      auto items = to_items(argv[0]);
      std::reverse(items.begin(), items.end());
      return seq_of(items);
    }

    /* subseq and rsubseq: the items whose key k passes (test (compare k key) 0)
     * for each bound, as Clojure's mk-bound-fn does. */
    object *sorted_range(char const *name, int argc, args_t argv, bool reversed)
    {
      if(argc != 3 && argc != 5)
      {
        fail(std::string{ "Wrong number of args (" } + std::to_string(argc) + ") passed to: clojure.core/" + name);
      }
      auto const *table = sorted_table(argv[0]);
      if(table == nullptr)
      {
        fail(std::string{ name } + " expects a sorted map or sorted set, got " + type_name(argv[0]));
      }
      auto const is_map = argv[0]->type == tag::map;
      auto const passes = [&](object *k, object *test, object *bound) {
        object *args[] = { integer(compare_with(table->comparator(), k, bound)), integer(0) };
        return truthy(invoke(test, 2, args));
      };
      std::vector<object *> out;
      for(auto *item : to_items(argv[0]))
      {
        auto *k = is_map ? static_cast<vector_obj *>(item)->at(0) : item;
        if(passes(k, argv[1], argv[2]) && (argc == 3 || passes(k, argv[3], argv[4])))
        {
          out.push_back(item);
        }
      }
      if(reversed)
      {
        std::reverse(out.begin(), out.end());
      }
      if(out.empty())
      {
        /* Clojure starts from the key with a seek (nil when nothing passes)
         * for the tests that bound from it: > and >= in subseq, < and <= in
         * rsubseq; the others are a take-while, an empty seq. */
        auto const is = [&](char const *op) { return argv[1] == deref(intern_var("clojure.core", op)); };
        bool const seeks = reversed ? is("<") || is("<=") : is(">") || is(">=");
        return seeks ? nil() : list_from({});
      }
      return seq_of(out);
    }

    object *subseq(int argc, args_t argv)
    {
      return sorted_range("subseq", argc, argv, false);
    }

    object *rsubseq(int argc, args_t argv)
    {
      return sorted_range("rsubseq", argc, argv, true);
    }

    /* update-vals and update-keys (Clojure 1.11): a hash map, or for
     * update-vals of a hash map the same one's keys in place, as Clojure's
     * transient of an editable collection; the metadata is kept. */
    object *update_entries(char const *name, int argc, args_t argv, bool keys)
    {
      check_arity(name, argc, 2, 2);
      auto *m = argv[0];
      if(m->type != tag::map && m->type != tag::record && m->type != tag::nil)
      {
        fail(std::string{ name } + " expects a map, got " + type_name(m));
      }
      object *out = map_from({});
      if(keys == false && m->type == tag::map && sorted_table(m) == nullptr)
      {
        out = m;
      }
      for(auto *e : to_items(m))
      {
        auto *entry = static_cast<vector_obj *>(e);
        object *k = entry->at(0);
        object *v = entry->at(1);
        if(keys)
        {
          k = invoke(argv[1], 1, &k);
        }
        else
        {
          v = invoke(argv[1], 1, &v);
        }
        out = assoc(out, k, v);
      }
      return carry_meta(m, out);
    }

    object *update_vals(int argc, args_t argv)
    {
      return update_entries("update-vals", argc, argv, false);
    }

    object *update_keys(int argc, args_t argv)
    {
      return update_entries("update-keys", argc, argv, true);
    }

    /* counted?: count is constant time (every collection here but seqs). */
    object *counted_p(int argc, args_t argv)
    {
      check_arity("counted?", argc, 1, 1);
      switch(argv[0]->type)
      {
        case tag::vector:
        case tag::vector_seq:
        case tag::long_range:
        case tag::map:
        case tag::set:
        case tag::list:
        case tag::record:
        case tag::queue:
          return boolean(true);
        default:
          return boolean(false);
      }
    }

    /* (bounded-count n coll): counts at most n items of a seq (which may be infinite). */
    object *bounded_count(int argc, args_t argv)
    {
      check_arity("bounded-count", argc, 2, 2);
      auto *coll = argv[1];
      if(truthy(counted_p(1, &coll)))
      {
        return integer(static_cast<int64_t>(count(coll)));
      }
      auto const limit = static_cast<int64_t>(as_double(argv[0], "bounded-count"));
      int64_t n = 0;
      for(auto *s = seq(coll); s->type != tag::nil && n < limit; s = seq(rest(s)))
      {
        ++n;
      }
      return integer(n);
    }

    // ---- transients -------------------------------------------------------------------

    object *transient(int argc, args_t argv)
    {
      check_arity("transient", argc, 1, 1);
      auto const t = argv[0]->type;
      if(t != tag::vector && t != tag::map && t != tag::set)
      {
        fail(std::string{ "transient expects a vector, map or set, got " } + type_name(argv[0]));
      }
      return new transient_obj{ without_meta(argv[0]) };
    }

    transient_obj *editable(object *o, char const *op)
    {
      if(o->type != tag::transient)
      {
        fail(std::string{ op } + " expects a transient, got " + type_name(o));
      }
      auto *t = static_cast<transient_obj *>(o);
      if(t->ended)
      {
        fail(std::string{ "Transient used after persistent! call (" } + op + ")");
      }
      return t;
    }

    object *persistent(int argc, args_t argv)
    {
      check_arity("persistent!", argc, 1, 1);
      auto *t = editable(argv[0], "persistent!");
      auto *coll = t->coll;
      t->ended = true;
      return coll;
    }

    object *conj_(int argc, args_t argv)
    {
      check_arity("conj!", argc, 0, 2);
      if(argc == 0)
      {
        return new transient_obj{ vector_from({}) };
      }
      auto *t = editable(argv[0], "conj!");
      for(int i = 1; i < argc; ++i)
      {
        t->coll = conj(t->coll, argv[i]);
      }
      return t;
    }

    object *assoc_(int argc, args_t argv)
    {
      if(argc < 3 || argc % 2 == 0)
      {
        fail("assoc! takes a transient and key-value pairs");
      }
      auto *t = editable(argv[0], "assoc!");
      for(int i = 1; i + 1 < argc; i += 2)
      {
        t->coll = assoc(t->coll, argv[i], argv[i + 1]);
      }
      return t;
    }

    object *dissoc_(int argc, args_t argv)
    {
      check_arity("dissoc!", argc, 1, -1);
      auto *t = editable(argv[0], "dissoc!");
      for(int i = 1; i < argc; ++i)
      {
        t->coll = dissoc(t->coll, argv[i]);
      }
      return t;
    }

    object *disj_(int argc, args_t argv)
    {
      check_arity("disj!", argc, 1, -1);
      auto *t = editable(argv[0], "disj!");
      if(t->coll->type != tag::set)
      {
        fail(std::string{ "disj! expects a transient set, got a transient " } + type_name(t->coll));
      }
      for(int i = 1; i < argc; ++i)
      {
        t->coll = new set_obj{ static_cast<set_obj *>(t->coll)->items.dissoc(argv[i]) };
      }
      return t;
    }

    object *pop_(int argc, args_t argv)
    {
      check_arity("pop!", argc, 1, 1);
      auto *t = editable(argv[0], "pop!");
      object *coll = t->coll;
      t->coll = pop(1, &coll);
      return t;
    }

    // ---- comparison and sorting --------------------------------------------------------

    /* env: pred. -1 when (pred a b), 1 when (pred b a), else 0. */
    object *comparator_step(object *env, int argc, args_t argv)
    {
      check_arity("comparator", argc, 2, 2);
      if(truthy(invoke(env, 2, argv)))
      {
        return integer(-1);
      }
      object *swapped[] = { argv[1], argv[0] };
      return integer(truthy(invoke(env, 2, swapped)) ? 1 : 0);
    }

    object *comparator(int argc, args_t argv)
    {
      check_arity("comparator", argc, 1, 1);
      return native_closure("comparator", comparator_step, argv[0]);
    }

  }

  namespace
  {
    /* UTF-8 to UTF-16 code units, as a Java String holds its text. */
    std::u16string utf16(std::string const &s)
    {
      std::u16string out;
      for(size_t i = 0; i < s.size();)
      {
        auto const c = static_cast<unsigned char>(s[i]);
        int const len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = len == 1 ? c : c & (0x3F >> (len - 1));
        for(int k = 1; k < len && i + static_cast<size_t>(k) < s.size(); ++k)
        {
          cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
        }
        if(cp >= 0x10000)
        {
          cp -= 0x10000;
          out += static_cast<char16_t>(0xD800 + (cp >> 10));
          out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
        }
        else
        {
          out += static_cast<char16_t>(cp);
        }
        i += static_cast<size_t>(len);
      }
      return out;
    }

    /* String.compareTo: the difference of the first differing UTF-16 units,
     * else of the lengths. ASCII text compares byte by byte. */
    int java_compare(std::string const &x, std::string const &y)
    {
      size_t const n = std::min(x.size(), y.size());
      size_t i = 0;
      while(i < n && x[i] == y[i])
      {
        ++i;
      }
      if(i == n)
      {
        /* One is a prefix of the other: the lengths differ by the rest's units. */
        auto const rest = static_cast<int>(utf16(x.size() > n ? x.substr(n) : y.substr(n)).size());
        return x.size() > n ? rest : -rest;
      }
      if(static_cast<unsigned char>(x[i]) < 0x80 && static_cast<unsigned char>(y[i]) < 0x80)
      {
        return static_cast<int>(x[i]) - static_cast<int>(y[i]);
      }
      auto const u = utf16(x);
      auto const v = utf16(y);
      size_t const m = std::min(u.size(), v.size());
      for(size_t k = 0; k < m; ++k)
      {
        if(u[k] != v[k])
        {
          return static_cast<int>(u[k]) - static_cast<int>(v[k]);
        }
      }
      return static_cast<int>(u.size()) - static_cast<int>(v.size());
    }

    /* Symbol.compareTo: no namespace first, then namespace, then name. */
    int compare_named(std::string const &ans, std::string const &aname, std::string const &bns, std::string const &bname)
    {
      if(ans.empty() != bns.empty())
      {
        return ans.empty() ? -1 : 1;
      }
      if(auto const c = java_compare(ans, bns); c != 0)
      {
        return c;
      }
      return java_compare(aname, bname);
    }
  }

  /* Clojure's compare: nil first, then numbers, strings, keywords and symbols
   * as the JVM's compareTo answers (the difference, not just its sign),
   * vectors by length then item by item. */
  int compare_values(object *a, object *b)
  {
      /* One object is equal to itself, whatever it is, as Util.compare says. */
      if(a == b)
      {
        return 0;
      }
      /* The JVM's empty map, set and list are one object each, so
       * (compare {} {}) is 0 there; here each {} is its own. */
      if(a->type == b->type && (a->type == tag::map || a->type == tag::set) && count(a) == 0 && count(b) == 0)
      {
        return 0;
      }
      if(a->type == tag::nil || b->type == tag::nil)
      {
        return (a->type == tag::nil ? 0 : 1) - (b->type == tag::nil ? 0 : 1);
      }
      if(auto *compare_to = interface_fn(a, &record_type_obj::compare_fn))
      {
        /* A deftype's or record's Comparable. */
        object *args[] = { a, b };
        auto *answer = invoke(compare_to, 2, args);
        if(answer->type != tag::integer)
        {
          fail("compareTo must return an integer, got " + a_type_name(answer));
        }
        auto const c = static_cast<integer_obj *>(answer)->value;
        return c < 0 ? -1 : c > 0 ? 1 : 0;
      }
      if(is_number(a) && is_number(b))
      {
        return compare_numbers(a, b, "compare");
      }
      if(a->type != b->type)
      {
        fail("cannot compare " + a_type_name(a) + " with " + a_type_name(b));
      }
      switch(a->type)
      {
        case tag::string:
          return java_compare(static_cast<string_obj *>(a)->value, static_cast<string_obj *>(b)->value);
        case tag::uuid:
          return uuid_compare(static_cast<uuid_obj *>(a), static_cast<uuid_obj *>(b));
        case tag::inst:
          {
            auto const x = static_cast<inst_obj *>(a)->ms;
            auto const y = static_cast<inst_obj *>(b)->ms;
            return x < y ? -1 : x > y ? 1 : 0;
          }
        case tag::boolean:
          return static_cast<int>(static_cast<boolean_obj *>(a)->value)
            - static_cast<int>(static_cast<boolean_obj *>(b)->value);
        case tag::character:
          return static_cast<int>(static_cast<char_obj *>(a)->codepoint)
            - static_cast<int>(static_cast<char_obj *>(b)->codepoint);
        case tag::keyword:
          {
            auto const *x = static_cast<keyword_obj *>(a);
            auto const *y = static_cast<keyword_obj *>(b);
            return compare_named(x->ns, x->name, y->ns, y->name);
          }
        case tag::symbol:
          {
            auto const *x = static_cast<symbol_obj *>(a);
            auto const *y = static_cast<symbol_obj *>(b);
            return compare_named(x->ns, x->name, y->ns, y->name);
          }
        case tag::vector:
          {
            auto xs = to_items(a);
            auto ys = to_items(b);
            if(xs.size() != ys.size())
            {
              return xs.size() < ys.size() ? -1 : 1;
            }
            for(size_t i = 0; i < xs.size(); ++i)
            {
              if(auto c = compare_values(xs[i], ys[i]); c != 0)
              {
                return c;
              }
            }
            return 0;
          }
        default:
          fail(std::string{ "cannot compare values of type " } + type_name(a));
      }
    }

  int compare_with(object *comparator, object *a, object *b)
  {
    if(comparator == nullptr || comparator->type == tag::nil)
    {
      return compare_values(a, b);
    }
    object *ab[] = { a, b };
    auto *r = invoke(comparator, 2, ab);
    if(r->type == tag::boolean)
    {
      if(truthy(r))
      {
        return -1;
      }
      object *ba[] = { b, a };
      return truthy(invoke(comparator, 2, ba)) ? 1 : 0;
    }
    auto const d = as_double(r, "a comparator's answer");
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  }

  namespace
  {
    object *compare_(int argc, args_t argv)
    {
      check_arity("compare", argc, 2, 2);
      return integer(compare_values(argv[0], argv[1]));
    }

    /* A comparator fn answers a number (negative: less) or a boolean (true: less). */
    bool less(object *comparator, object *a, object *b)
    {
      if(comparator == nullptr)
      {
        return compare_values(a, b) < 0;
      }
      auto *r = call(comparator, { a, b });
      if(r->type == tag::integer)
      {
        return static_cast<integer_obj *>(r)->value < 0;
      }
      if(r->type == tag::real)
      {
        return static_cast<real_obj *>(r)->value < 0;
      }
      return truthy(r);
    }

    object *sort(int argc, args_t argv)
    {
      check_arity("sort", argc, 1, 2);
      auto items = to_items(argv[argc - 1]);
      auto *comparator = argc == 2 ? argv[0] : nullptr;
      std::stable_sort(items.begin(), items.end(), [&](object *a, object *b) { return less(comparator, a, b); });
      /* The sorted seq keeps the collection's metadata, as Clojure's does. */
      return items.empty() ? const_cast<list_obj *>(empty_list()) : carry_meta(argv[argc - 1], list_from(items));
    }

    object *sort_by(int argc, args_t argv)
    {
      check_arity("sort-by", argc, 2, 3);
      auto items = to_items(argv[argc - 1]);
      auto *keyfn = argv[0];
      auto *comparator = argc == 3 ? argv[1] : nullptr;
      std::vector<std::pair<object *, object *>> keyed;
      for(auto *x : items)
      {
        keyed.emplace_back(invoke(keyfn, 1, &x), x);
      }
      std::stable_sort(keyed.begin(), keyed.end(),
                       [&](auto const &a, auto const &b) { return less(comparator, a.first, b.first); });
      std::vector<object *> out;
      for(auto const &[k, x] : keyed)
      {
        out.push_back(x);
      }
      return out.empty() ? const_cast<list_obj *>(empty_list()) : carry_meta(argv[argc - 1], list_from(out));
    }

    object *extreme_key(char const *name, int argc, args_t argv, bool want_max)
    {
      check_arity(name, argc, 2, -1);
      object *best = argv[1];
      if(argc == 2)
      {
        return best; /* (max-key k x) is x: k is not called, as in Clojure */
      }
      object *best_key = invoke(argv[0], 1, &best);
      for(int i = 2; i < argc; ++i)
      {
        auto *x = argv[i];
        auto *k = invoke(argv[0], 1, &x);
        auto const c = compare_values(k, best_key);
        if(want_max ? c >= 0 : c <= 0)
        {
          best = x;
          best_key = k;
        }
      }
      return best;
    }

    object *max_key(int argc, args_t argv)
    {
      return extreme_key("max-key", argc, argv, true);
    }

    object *min_key(int argc, args_t argv)
    {
      return extreme_key("min-key", argc, argv, false);
    }

    // ---- function combinators ----------------------------------------------------------

    /* env: [f g ...], applied right to left */
    object *composed(object *env, int argc, args_t argv)
    {
      auto fns = to_items(env);
      if(fns.empty())
      {
        return argc == 1 ? argv[0] : nil();
      }
      auto *value = invoke(fns.back(), argc, argv);
      for(auto f = fns.rbegin() + 1; f != fns.rend(); ++f)
      {
        value = invoke(*f, 1, &value);
      }
      return value;
    }

    object *comp(int argc, args_t argv)
    {
      return native_closure("comp", composed, vector_from(args_from(argc, argv, 0)));
    }

    /* env: [f arg...] */
    object *partially(object *env, int argc, args_t argv)
    {
      auto parts = to_items(env);
      std::vector<object *> args(parts.begin() + 1, parts.end());
      args.insert(args.end(), argv, argv + argc);
      return call(parts[0], args);
    }

    object *partial(int argc, args_t argv)
    {
      check_arity("partial", argc, 1, -1);
      return native_closure("partial", partially, vector_from(args_from(argc, argv, 0)));
    }

    object *complemented(object *env, int argc, args_t argv)
    {
      return boolean(!truthy(invoke(env, argc, argv)));
    }

    object *complement(int argc, args_t argv)
    {
      check_arity("complement", argc, 1, 1);
      return native_closure("complement", complemented, argv[0]);
    }

    object *constant(object *env, int, args_t)
    {
      return env;
    }

    object *constantly(int argc, args_t argv)
    {
      check_arity("constantly", argc, 1, 1);
      return native_closure("constantly", constant, argv[0]);
    }

    object *juxtaposed(object *env, int argc, args_t argv)
    {
      std::vector<object *> out;
      for(auto *f : to_items(env))
      {
        out.push_back(invoke(f, argc, argv));
      }
      return vector_from(std::move(out));
    }

    object *juxt(int argc, args_t argv)
    {
      check_arity("juxt", argc, 1, -1);
      return native_closure("juxt", juxtaposed, vector_from(args_from(argc, argv, 0)));
    }

    /* env: [f default...] */
    object *nil_patched(object *env, int argc, args_t argv)
    {
      auto parts = to_items(env);
      std::vector<object *> args(argv, argv + argc);
      for(size_t i = 0; i + 1 < parts.size() && i < args.size(); ++i)
      {
        if(args[i]->type == tag::nil)
        {
          args[i] = parts[i + 1];
        }
      }
      return call(parts[0], args);
    }

    object *fnil(int argc, args_t argv)
    {
      check_arity("fnil", argc, 2, 4);
      return native_closure("fnil", nil_patched, vector_from(args_from(argc, argv, 0)));
    }

    /* env: [f cache-atom-like map holder] — a vector [f cell] */
    object *memoized(object *env, int argc, args_t argv)
    {
      auto *cell = static_cast<cell_obj *>(env_at(env, 1));
      auto *key = argc == 0 ? const_cast<list_obj *>(empty_list()) : list_from(std::vector<object *>(argv, argv + argc));
      static object missing{ tag::nil };
      auto *hit = get(cell->value, key, &missing);
      if(hit != &missing)
      {
        return hit;
      }
      auto *value = invoke(env_at(env, 0), argc, argv);
      cell->value = assoc(cell->value, key, value);
      return value;
    }

    object *memoize(int argc, args_t argv)
    {
      check_arity("memoize", argc, 1, 1);
      return native_closure("memoize", memoized, vector_from({ argv[0], new cell_obj{ map_from({}), true } }));
    }

    object *trampoline(int argc, args_t argv)
    {
      check_arity("trampoline", argc, 1, -1);
      auto *result = invoke(argv[0], argc - 1, argv + 1);
      while(result->type == tag::fn)
      {
        result = invoke(result, 0, nullptr);
      }
      return result;
    }

    object *every_pred_call(object *env, int argc, args_t argv)
    {
      for(auto *p : to_items(env))
      {
        for(int i = 0; i < argc; ++i)
        {
          if(!truthy(invoke(p, 1, &argv[i])))
          {
            return boolean(false);
          }
        }
      }
      return boolean(true);
    }

    object *every_pred(int argc, args_t argv)
    {
      check_arity("every-pred", argc, 1, -1);
      return native_closure("every-pred", every_pred_call, vector_from(args_from(argc, argv, 0)));
    }

    /* The first truthy result, or the last predicate's last result (false
     * stays false), as Clojure's (or ...) chain gives it. */
    object *some_fn_call(object *env, int argc, args_t argv)
    {
      object *last = nil();
      for(auto *p : to_items(env))
      {
        for(int i = 0; i < argc; ++i)
        {
          last = invoke(p, 1, &argv[i]);
          if(truthy(last))
          {
            return last;
          }
        }
      }
      return last;
    }

    object *some_fn(int argc, args_t argv)
    {
      check_arity("some-fn", argc, 1, -1);
      return native_closure("some-fn", some_fn_call, vector_from(args_from(argc, argv, 0)));
    }

    double real_of(object *o, char const *op)
    {
      return as_double(o, op);
    }

    /* A ratio's part, a java.math.BigInteger as on the JVM (a long when it
     * fits: the two print alike). */
    object *biginteger_value(big_int const &v)
    {
      auto *small = integer_or_big(v);
      return small->type == tag::integer ? small : new big_integer_obj{ v, true };
    }

    object *numerator(int argc, args_t argv)
    {
      check_arity("numerator", argc, 1, 1);
      return biginteger_value(as<ratio_obj>(argv[0], tag::ratio, "a ratio")->numerator);
    }

    object *denominator(int argc, args_t argv)
    {
      check_arity("denominator", argc, 1, 1);
      return biginteger_value(as<ratio_obj>(argv[0], tag::ratio, "a ratio")->denominator);
    }

    object *ratio_p(int argc, args_t argv)
    {
      check_arity("ratio?", argc, 1, 1);
      return boolean(argv[0]->type == tag::ratio);
    }

    object *rational_p(int argc, args_t argv)
    {
      check_arity("rational?", argc, 1, 1);
      return boolean(is_rational(argv[0]));
    }

    /* (rationalize x): the exact rational of a double's decimal form, as
     * Clojure's (BigDecimal.valueOf), so (rationalize 0.1) is 1/10. */
    object *rationalize(int argc, args_t argv)
    {
      check_arity("rationalize", argc, 1, 1);
      if(argv[0]->type == tag::big_decimal)
      {
        auto const *d = static_cast<big_decimal_obj *>(argv[0]);
        return d->scale >= 0 ? ratio(d->unscaled, boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(d->scale)))
                             : ratio(d->unscaled * boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(-d->scale)), 1);
      }
      if(is_rational(argv[0]))
      {
        return argv[0];
      }
      auto const d = real_of(argv[0], "rationalize");
      if(!std::isfinite(d))
      {
        fail("rationalize needs a finite number, not " + pr_str(argv[0]));
      }
      /* Double.toString's form: digits, a point, more digits, maybe E and an exponent. */
      auto const text = str(argv[0]);
      auto const e = text.find('E');
      auto const mantissa = text.substr(0, e);
      int64_t exponent = e == std::string::npos ? 0 : std::stoll(text.substr(e + 1));
      big_int digits = 0;
      bool negative = false;
      for(size_t i = 0, point = mantissa.find('.'); i < mantissa.size(); ++i)
      {
        char const c = mantissa[i];
        if(c == '-')
        {
          negative = true;
          continue;
        }
        if(c == '.')
        {
          continue;
        }
        if(point != std::string::npos && i > point)
        {
          --exponent;
        }
        digits = digits * 10 + (c - '0');
      }
      big_int scale = 1;
      for(; exponent > 0; --exponent)
      {
        digits *= 10;
      }
      for(; exponent < 0; ++exponent)
      {
        scale *= 10;
      }
      /* A whole result is a BigInt, as the JVM's: (rationalize 1.0) is 1N. */
      return ratio(negative ? big_int{ -digits } : digits, scale);
    }

    object *to_big(args_t argv, bool java);

    /* (bigint x) and (biginteger x): a BigInt of an integer, of a ratio or
     * double (truncated toward zero) or of a string of decimal digits. */
    object *to_bigint(int argc, args_t argv)
    {
      check_arity("bigint", argc, 1, 1);
      return to_big(argv, false);
    }

    object *to_biginteger(int argc, args_t argv)
    {
      check_arity("biginteger", argc, 1, 1);
      return to_big(argv, true);
    }

    object *to_big(args_t argv, bool java)
    {
      auto *x = argv[0];
      auto const name = java ? "biginteger" : "bigint";
      auto const make = [java](big_int v) -> object * { return new big_integer_obj{ std::move(v), java }; };
      switch(x->type)
      {
        case tag::integer:
        case tag::big_integer:
          return make(as_big(x, name));
        case tag::ratio:
          {
            auto const *r = static_cast<ratio_obj *>(x);
            return make(r->numerator / r->denominator);
          }
        case tag::big_decimal:
          {
            /* BigDecimal.toBigInteger: the fraction dropped. */
            auto const *d = static_cast<big_decimal_obj *>(x);
            /* A big_int, not auto: pow gives an expression over a temporary. */
            big_int const ten = boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(d->scale >= 0 ? d->scale : -d->scale));
            return make(d->scale >= 0 ? big_int{ d->unscaled / ten } : big_int{ d->unscaled * ten });
          }
        case tag::real:
          {
            auto const d = static_cast<real_obj *>(x)->value;
            if(!std::isfinite(d))
            {
              fail(std::string{ name } + " of a non-finite double: " + pr_str(x));
            }
            return make(big_int{ std::trunc(d) });
          }
        case tag::array:
          if(static_cast<array_obj *>(x)->kind == 'B')
          {
            /* BigInteger(byte[]): two's complement, big-endian. */
            auto const &bytes = static_cast<array_obj *>(x)->items;
            big_int v{ 0 };
            for(auto *b : bytes)
            {
              v = (v << 8) | big_int{ static_cast<uint8_t>(static_cast<integer_obj *>(b)->value) };
            }
            if(!bytes.empty() && static_cast<integer_obj *>(bytes.front())->value < 0)
            {
              v -= big_int{ 1 } << (8 * bytes.size());
            }
            return make(v);
          }
          fail(std::string{ name } + " expects a number, a string or a byte array, got " + type_name(x));
        case tag::string:
          {
            auto const &text = static_cast<string_obj *>(x)->value;
            auto const body = text.substr(text.starts_with('-') || text.starts_with('+') ? 1 : 0);
            if(body.empty() || body.find_first_not_of("0123456789") != std::string::npos)
            {
              fail(std::string{ name } + " expects decimal digits, got " + pr_str(x));
            }
            /* Without leading zeros: Boost reads "017" as octal. */
            auto const first = std::min(body.find_first_not_of('0'), body.size() - 1);
            big_int v{ body.substr(first) };
            return make(text.starts_with('-') ? big_int{ -v } : v);
          }
        default:
          fail(std::string{ name } + " expects a number or a string, got " + type_name(x) + ": " + pr_str(x));
      }
    }

    /* (big-integer-new* s radix): BigInteger(String, int), an optional
     * sign and then digits of the radix, as Java reads them. */
    object *big_integer_new(int argc, args_t argv)
    {
      check_arity("big-integer-new*", argc, 2, 2);
      auto const &text = as<string_obj>(argv[0], tag::string, "a string")->value;
      auto const radix = static_cast<int>(as<integer_obj>(argv[1], tag::integer, "an int radix")->value);
      if(radix < 2 || radix > 36)
      {
        fail("Radix out of range");
      }
      auto const negative = text.starts_with('-');
      auto const body = text.substr(negative || text.starts_with('+') ? 1 : 0);
      big_int v{ 0 };
      for(auto const c : body)
      {
        auto const lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto const d = lower >= '0' && lower <= '9' ? lower - '0' : lower >= 'a' && lower <= 'z' ? lower - 'a' + 10 : 99;
        if(d >= radix)
        {
          fail("For input string: \"" + text + "\"" + (radix == 10 ? "" : " under radix " + std::to_string(radix)));
        }
        v = v * radix + d;
      }
      if(body.empty())
      {
        fail("Zero length BigInteger");
      }
      return new big_integer_obj{ negative ? big_int{ -v } : v, true };
    }

    /* (big-decimal-new* unscaled scale): BigDecimal(BigInteger, int), which
     * is unscaled × 10^-scale. */
    object *big_decimal_new(int argc, args_t argv)
    {
      check_arity("big-decimal-new*", argc, 2, 2);
      auto const scale = static_cast<int32_t>(as_big(argv[1], "BigDecimal's scale"));
      return big_decimal(as_big(argv[0], "BigDecimal's unscaled value"), scale);
    }

    object *decimal_p(int argc, args_t argv)
    {
      check_arity("decimal?", argc, 1, 1);
      return boolean(argv[0]->type == tag::big_decimal);
    }

    /* (bigdec x): a BigDecimal of a number or of a string, as Clojure's: a
     * double through Double.toString (BigDecimal.valueOf), so (bigdec 0.1) is
     * 0.1M; a ratio exactly, or an error when it has no finite decimal. */
    object *bigdec(int argc, args_t argv)
    {
      check_arity("bigdec", argc, 1, 1);
      auto *x = argv[0];
      switch(x->type)
      {
        case tag::big_decimal:
          return x;
        case tag::integer:
        case tag::big_integer:
        case tag::ratio:
          return const_cast<big_decimal_obj *>(as_big_decimal(x, "bigdec"));
        case tag::real:
          {
            auto const d = static_cast<real_obj *>(x)->value;
            if(!std::isfinite(d))
            {
              fail("bigdec of a non-finite double: " + pr_str(x));
            }
            return parse_big_decimal(str(x));
          }
        case tag::string:
          if(auto *parsed = parse_big_decimal(static_cast<string_obj *>(x)->value))
          {
            return parsed;
          }
          fail("bigdec expects a decimal number, got " + pr_str(x));
        default:
          fail(std::string{ "bigdec expects a number or a string, got " } + type_name(x) + ": " + pr_str(x));
      }
    }

    /* (long x) and (int x): truncated toward zero; out of range is an error,
     * as Clojure's RT.longCast and intCast have it. */
    object *to_integer(char const *name, args_t argv, int64_t min, int64_t max)
    {
      switch(argv[0]->type)
      {
        case tag::character:
          return integer(static_cast<char_obj *>(argv[0])->codepoint);
        case tag::integer:
          {
            auto const v = static_cast<integer_obj *>(argv[0])->value;
            if(v < min || v > max)
            {
              fail(std::string{ "Value out of range for " } + name + ": " + pr_str(argv[0]));
            }
            return argv[0];
          }
        case tag::big_integer:
        case tag::ratio:
        case tag::big_decimal:
          {
            big_int v;
            if(argv[0]->type == tag::ratio)
            {
              auto const *r = static_cast<ratio_obj *>(argv[0]);
              v = r->numerator / r->denominator;
            }
            else if(argv[0]->type == tag::big_decimal)
            {
              auto const *d = static_cast<big_decimal_obj *>(argv[0]);
              auto const ten = [](int64_t n) -> big_int { return boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(n)); };
              v = d->scale >= 0 ? big_int{ d->unscaled / ten(d->scale) } : big_int{ d->unscaled * ten(-static_cast<int64_t>(d->scale)) };
            }
            else
            {
              v = static_cast<big_integer_obj *>(argv[0])->value;
            }
            if(v < min || v > max)
            {
              fail(std::string{ "Value out of range for " } + name + ": " + pr_str(argv[0]));
            }
            return integer(static_cast<int64_t>(v));
          }
        default:
          {
            auto const x = real_of(argv[0], name);
            if(std::isnan(x))
            {
              return integer(0); /* as Java's (long) cast */
            }
            /* Truncated first, as RT.longCast of a boxed double, then checked:
             * 2^63 is the first double past the longs. */
            auto const d = std::trunc(x);
            if(!(d >= static_cast<double>(min) && d < -static_cast<double>(min) && d <= static_cast<double>(max)))
            {
              fail(std::string{ "Value out of range for " } + name + ": " + pr_str(argv[0]));
            }
            return integer(static_cast<int64_t>(d));
          }
      }
    }

    object *to_long(int argc, args_t argv)
    {
      check_arity("long", argc, 1, 1);
      return to_integer("long", argv, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
    }

    object *to_int(int argc, args_t argv)
    {
      check_arity("int", argc, 1, 1);
      return to_integer("int", argv, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
    }

    /* (vector-of :int 1 2): a vector; here every vector holds any value, so
     * the type only has to be one of the JVM's primitives. */
    object *vector_of_type(int argc, args_t argv)
    {
      check_arity("vector-of", argc, 1, -1);
      static char const *const types[] = { "int", "long", "float", "double", "byte", "short", "char", "boolean" };
      if(argv[0]->type != tag::keyword
         || std::none_of(std::begin(types), std::end(types),
                         [&](char const *t) { return static_cast<keyword_obj *>(argv[0])->name == t; }))
      {
        fail("vector-of expects a primitive type (:int :long :float :double :byte :short :char :boolean), not "
             + pr_str(argv[0]));
      }
      return vector_from(std::vector<object *>(argv + 1, argv + argc));
    }

    object *clojure_version(int argc, args_t)
    {
      check_arity("clojure-version", argc, 0, 0);
      return string("1.11.1");
    }

    object *to_short(int argc, args_t argv)
    {
      check_arity("short", argc, 1, 1);
      return to_integer("short", argv, std::numeric_limits<int16_t>::min(), std::numeric_limits<int16_t>::max());
    }

    object *to_byte(int argc, args_t argv)
    {
      check_arity("byte", argc, 1, 1);
      return to_integer("byte", argv, std::numeric_limits<int8_t>::min(), std::numeric_limits<int8_t>::max());
    }

    object *to_double(int argc, args_t argv)
    {
      check_arity("double", argc, 1, 1);
      return real(real_of(argv[0], "double"));
    }

    /* (float x): a java.lang.Float; out of float's range is an error, as
     * RT.floatCast's. */
    object *to_float(int argc, args_t argv)
    {
      check_arity("float", argc, 1, 1);
      auto const d = real_of(argv[0], "float");
      if(!std::isnan(d) && !(std::fabs(d) <= std::numeric_limits<float>::max()))
      {
        fail("Value out of range for float: " + str(real(d)));
      }
      return single_float(d);
    }

    object *abs_(int argc, args_t argv)
    {
      check_arity("abs", argc, 1, 1);
      auto *x = argv[0];
      switch(x->type)
      {
        case tag::integer:
          {
            /* Math.abs: Long/MIN_VALUE is its own absolute value. */
            auto const v = static_cast<integer_obj *>(x)->value;
            return integer(v < 0 ? static_cast<int64_t>(0 - static_cast<uint64_t>(v)) : v);
          }
        case tag::big_integer:
          return big_integer(abs(static_cast<big_integer_obj *>(x)->value));
        case tag::big_decimal:
          {
            auto const *d = static_cast<big_decimal_obj *>(x);
            return d->unscaled < 0 ? big_decimal(-d->unscaled, d->scale) : x;
          }
        case tag::ratio:
          {
            auto const *r = static_cast<ratio_obj *>(x);
            return r->numerator < 0 ? ratio(-r->numerator, r->denominator) : x;
          }
        default:
          return real(std::abs(real_of(x, "abs")));
      }
    }

    object *disj(int argc, args_t argv)
    {
      check_arity("disj", argc, 1, -1);
      if(argv[0]->type == tag::nil)
      {
        return nil();
      }
      if(auto *f = type_method_of(argv[0], "without"))
      {
        /* A deftype's IPersistentSet: its disjoin, once per key. */
        object *out = argv[0];
        for(int i = 1; i < argc; ++i)
        {
          out = call_method(f, { out, argv[i] });
        }
        return out;
      }
      auto table = as<set_obj>(argv[0], tag::set, "a set")->items;
      for(int i = 1; i < argc; ++i)
      {
        table = table.dissoc(argv[i]);
      }
      return carry_meta(argv[0], new set_obj{ std::move(table) });
    }

    /* Clojure's hash is a 32-bit int; equal values hash alike across collection types. */
    object *hash_(int argc, args_t argv)
    {
      check_arity("hash", argc, 1, 1);
      auto const h = hash(argv[0]);
      return integer(static_cast<int32_t>(h ^ (h >> 32)));
    }

    /* (sorted-map k v ...) and (sorted-map-by comparator k v ...). */
    object *sorted_map_from(char const *op, object *comparator, int argc, args_t argv)
    {
      if(argc % 2 != 0)
      {
        fail(std::string{ op } + " needs an even number of keys and values, got " + std::to_string(argc));
      }
      auto table = entry_table::sorted(comparator);
      for(int i = 0; i < argc; i += 2)
      {
        table = table.assoc(argv[i], argv[i + 1]);
      }
      return new map_obj{ std::move(table) };
    }

    object *sorted_set_from(object *comparator, int argc, args_t argv)
    {
      auto table = entry_table::sorted(comparator);
      for(int i = 0; i < argc; ++i)
      {
        table = table.assoc(argv[i], argv[i]);
      }
      return new set_obj{ std::move(table) };
    }

    object *sorted_map(int argc, args_t argv)
    {
      return sorted_map_from("sorted-map", nullptr, argc, argv);
    }

    object *sorted_map_by(int argc, args_t argv)
    {
      check_arity("sorted-map-by", argc, 1, -1);
      return sorted_map_from("sorted-map-by", argv[0], argc - 1, argv + 1);
    }

    object *sorted_set(int argc, args_t argv)
    {
      return sorted_set_from(nullptr, argc, argv);
    }

    object *sorted_set_by(int argc, args_t argv)
    {
      check_arity("sorted-set-by", argc, 1, -1);
      return sorted_set_from(argv[0], argc - 1, argv + 1);
    }

    object *map_entry_p(int argc, args_t argv)
    {
      check_arity("map-entry?", argc, 1, 1);
      return boolean(argv[0]->type == tag::vector && static_cast<vector_obj *>(argv[0])->map_entry);
    }

    object *sorted_p(int argc, args_t argv)
    {
      check_arity("sorted?", argc, 1, 1);
      auto *o = argv[0];
      return boolean((o->type == tag::map && static_cast<map_obj *>(o)->entries.is_sorted())
                     || (o->type == tag::set && static_cast<set_obj *>(o)->items.is_sorted()));
    }

    native_entry const coll_fns[] = {
      { "sorted-map", sorted_map },
      { "sorted-map-by", sorted_map_by },
      { "sorted-set", sorted_set },
      { "sorted-set-by", sorted_set_by },
      { "sorted?", sorted_p },
      { "map-entry?", map_entry_p },
      { "map-entry*", [](int argc, args_t argv) {
         check_arity("clojure.lang.MapEntry.", argc, 2, 2);
         return map_entry(argv[0], argv[1]);
       } },
      { "disj", disj },
      { "numerator", numerator },
      { "bigint", to_bigint },
      { "biginteger", to_biginteger },
      { "big-integer-new*", big_integer_new },
      { "rationalize", rationalize },
      { "denominator", denominator },
      { "ratio?", ratio_p },
      { "rational?", rational_p },
      { "decimal?", decimal_p },
      { "bigdec", bigdec },
      { "big-decimal-new*", big_decimal_new },
      { "hash", hash_ },
      { "update", update },
      { "update-in", update_in },
      { "assoc-in", assoc_in },
      { "get-in", get_in },
      { "merge", merge },
      { "merge-with", merge_with },
      { "select-keys", select_keys },
      { "find", find },
      { "key", key },
      { "val", val },
      { "zipmap", zipmap },
      { "frequencies", frequencies },
      { "group-by", group_by },
      { "mapv", mapv },
      { "replace", replace },
      { "filterv", filterv },
      { "not-empty", not_empty },
      { "empty", empty },
      { "peek", peek },
      { "pop", pop },
      { "subvec", subvec },
      { "rseq", rseq },
      { "comparator", comparator },
      { "transient", transient },
      { "persistent!", persistent },
      { "conj!", conj_ },
      { "assoc!", assoc_ },
      { "dissoc!", dissoc_ },
      { "disj!", disj_ },
      { "pop!", pop_ },
      { "subseq", subseq },
      { "rsubseq", rsubseq },
      { "update-vals", update_vals },
      { "update-keys", update_keys },
      { "counted?", counted_p },
      { "bounded-count", bounded_count },
      { "compare", compare_ },
      { "sort", sort },
      { "sort-by", sort_by },
      { "max-key", max_key },
      { "min-key", min_key },
      { "comp", comp },
      { "partial", partial },
      { "complement", complement },
      { "constantly", constantly },
      { "juxt", juxt },
      { "fnil", fnil },
      { "memoize", memoize },
      { "trampoline", trampoline },
      { "every-pred", every_pred },
      { "some-fn", some_fn },
      { "long", to_long },
      { "int", to_int },
      { "short", to_short },
      { "vector-of", vector_of_type },
      { "clojure-version", clojure_version },
      { "byte", to_byte },
      { "double", to_double },
      { "float", to_float },
      { "abs", abs_ },
    };
  }

  object *unwrap_partial(object *f, std::vector<object *> &args)
  {
    while(f->type == tag::fn && static_cast<fn_obj *>(f)->closure == partially)
    {
      auto parts = to_items(static_cast<fn_obj *>(f)->closure_env);
      args.insert(args.begin(), parts.begin() + 1, parts.end());
      f = parts[0];
    }
    return f;
  }

  void install_colls()
  {
    install_natives(coll_fns);
  }
}
