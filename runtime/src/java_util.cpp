// java.util's mutable collections, for Clojure code written against the JVM:
// ArrayList, LinkedList, ArrayDeque, PriorityQueue, HashMap, LinkedHashMap,
// TreeMap, HashSet, LinkedHashSet and TreeSet, with the methods programs
// call on them, and the Arrays and Collections statics.
//
// Each is an instance of its class (classes.cpp), so class, instance? and
// printing name it as the JVM does. What Clojure's functions see of one is
// what they see on the JVM: count, seq, get and contains? work, = compares it
// with Clojure's collections, hash is Java's hashCode, a list, map or set
// prints as a vector, map or set, and a queue as an #object with its
// toString. Iteration order is Java's: a HashMap's by bucket (Java's
// hashCode, spread and masked by the table's capacity, which grows as
// Java's does), then by insertion; a LinkedHashMap's by insertion; a
// TreeMap's by compare or its comparator; a PriorityQueue's the heap's,
// sifted as Java sifts it.
#include "java_util.hpp"

#include "classes.hpp"
#include "colls.hpp"
#include "gc.hpp"
#include "hash.hpp"
#include "java_random.hpp"
#include "native.hpp"
#include "object.hpp"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace jhr
{
  namespace
  {
    /* How a class keeps its items. */
    enum class layout : uint8_t
    {
      list, /* ArrayList, LinkedList: indexed, and a deque */
      deque, /* ArrayDeque */
      heap, /* PriorityQueue */
      hash_table, /* HashMap, HashSet */
      linked_table, /* LinkedHashMap, LinkedHashSet */
      tree_table, /* TreeMap, TreeSet */
    };

    struct collection_class
    {
      char const *name;
      layout shape;
      bool is_map;
    };

    collection_class const classes[] = {
      { "java.util.ArrayList", layout::list, false },
      { "java.util.LinkedList", layout::list, false },
      { "java.util.ArrayDeque", layout::deque, false },
      { "java.util.PriorityQueue", layout::heap, false },
      { "java.util.HashMap", layout::hash_table, true },
      { "java.util.LinkedHashMap", layout::linked_table, true },
      { "java.util.TreeMap", layout::tree_table, true },
      { "java.util.HashSet", layout::hash_table, false },
      { "java.util.LinkedHashSet", layout::linked_table, false },
      { "java.util.TreeSet", layout::tree_table, false },
      /* The page has one thread: a ConcurrentHashMap is a HashMap. */
      { "java.util.concurrent.ConcurrentHashMap", layout::hash_table, true },
    };

    /* The instance's fields. A sequence keeps its items in an array from
     * a head offset on (so both ends are cheap); a table keeps a persistent
     * map of key -> [value insertion-number], its next insertion number and
     * its capacity (Java's table size, which orders a HashMap). */
    enum field : size_t
    {
      buffer = 0,
      head = 1,
      comparator = 2,
      entries = 0,
      next_insertion = 1,
      capacity = 3,
    };

    collection_class const *class_of_collection(object const *x)
    {
      if(x == nullptr || x->type != tag::instance)
      {
        return nullptr;
      }
      auto const &name = static_cast<instance_obj const *>(x)->type->name;
      for(auto const &c : classes)
      {
        if(name == c.name)
        {
          return &c;
        }
      }
      return nullptr;
    }

    bool is_table(collection_class const *c)
    {
      return c->shape == layout::hash_table || c->shape == layout::linked_table || c->shape == layout::tree_table;
    }

    std::vector<object *> &fields(object *x)
    {
      return static_cast<instance_obj *>(x)->values;
    }

    int64_t int_field(object *x, field f)
    {
      return static_cast<integer_obj *>(fields(x)[f])->value;
    }

    [[noreturn]] void no_such_element()
    {
      fail("No such element: the collection is empty (java.util.NoSuchElementException)");
    }

    [[noreturn]] void index_out_of_bounds(int64_t i, size_t size)
    {
      fail("Index " + std::to_string(i) + " out of bounds for length " + std::to_string(size));
    }

    int64_t index_arg(object *x, char const *method)
    {
      if(x->type != tag::integer)
      {
        fail(std::string{ method } + " expects an integer index, got " + type_name(x));
      }
      return static_cast<integer_obj *>(x)->value;
    }

    // ---- sequences: ArrayList, LinkedList, ArrayDeque, PriorityQueue ----------

    std::vector<object *> &items_of(object *x)
    {
      return static_cast<array_obj *>(fields(x)[buffer])->items;
    }

    size_t seq_size(object *x)
    {
      return items_of(x).size() - static_cast<size_t>(int_field(x, head));
    }

    object *&seq_at(object *x, size_t i)
    {
      return items_of(x)[static_cast<size_t>(int_field(x, head)) + i];
    }

    /* The items in order, as a copy. */
    std::vector<object *> seq_items(object *x)
    {
      auto const &items = items_of(x);
      return { items.begin() + int_field(x, head), items.end() };
    }

    void set_head(object *x, size_t h)
    {
      fields(x)[head] = integer(static_cast<int64_t>(h));
    }

    void add_last(object *x, object *item)
    {
      items_of(x).push_back(item);
    }

    void add_first(object *x, object *item)
    {
      auto &items = items_of(x);
      auto h = static_cast<size_t>(int_field(x, head));
      if(h == 0)
      {
        /* Room at the front, as much as there are items, so pushes stay cheap. */
        size_t const room = std::max<size_t>(items.size(), 8);
        items.insert(items.begin(), room, nil());
        h = room;
      }
      items[--h] = item;
      set_head(x, h);
    }

    object *remove_first(object *x)
    {
      if(seq_size(x) == 0)
      {
        no_such_element();
      }
      auto &items = items_of(x);
      auto h = static_cast<size_t>(int_field(x, head));
      auto *item = items[h];
      items[h++] = nil();
      if(h == items.size())
      {
        items.clear();
        h = 0;
      }
      else if(h > 16 && h * 2 > items.size())
      {
        items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(h));
        h = 0;
      }
      set_head(x, h);
      return item;
    }

    object *remove_last(object *x)
    {
      if(seq_size(x) == 0)
      {
        no_such_element();
      }
      auto *item = items_of(x).back();
      items_of(x).pop_back();
      if(seq_size(x) == 0)
      {
        items_of(x).clear();
        set_head(x, 0);
      }
      return item;
    }

    void remove_at(object *x, size_t i)
    {
      auto &items = items_of(x);
      items.erase(items.begin() + int_field(x, head) + static_cast<std::ptrdiff_t>(i));
    }

    // ---- PriorityQueue: Java's binary heap ----------------------------------------

    int heap_compare(object *x, object *a, object *b)
    {
      return compare_with(fields(x)[comparator], a, b);
    }

    void sift_up(object *x, size_t k, object *item)
    {
      auto &q = items_of(x);
      while(k > 0)
      {
        size_t const parent = (k - 1) >> 1;
        auto *e = q[parent];
        if(heap_compare(x, item, e) >= 0)
        {
          break;
        }
        q[k] = e;
        k = parent;
      }
      q[k] = item;
    }

    void sift_down(object *x, size_t k, object *item)
    {
      auto &q = items_of(x);
      size_t const n = q.size();
      size_t const half = n >> 1;
      while(k < half)
      {
        size_t child = 2 * k + 1;
        auto *c = q[child];
        size_t const right = child + 1;
        if(right < n && heap_compare(x, c, q[right]) > 0)
        {
          c = q[child = right];
        }
        if(heap_compare(x, item, c) <= 0)
        {
          break;
        }
        q[k] = c;
        k = child;
      }
      q[k] = item;
    }

    void heap_offer(object *x, object *item)
    {
      if(item->type == tag::nil)
      {
        fail("Cannot add null to a java.util.PriorityQueue");
      }
      items_of(x).push_back(item);
      sift_up(x, items_of(x).size() - 1, item);
    }

    object *heap_poll(object *x)
    {
      auto &q = items_of(x);
      if(q.empty())
      {
        return nil();
      }
      auto *result = q[0];
      auto *moved = q.back();
      q.pop_back();
      if(!q.empty())
      {
        sift_down(x, 0, moved);
      }
      return result;
    }

    bool heap_remove(object *x, object *item)
    {
      auto &q = items_of(x);
      auto const found = std::find_if(q.begin(), q.end(), [&](object *e) { return equals(e, item); });
      if(found == q.end())
      {
        return false;
      }
      auto const i = static_cast<size_t>(found - q.begin());
      auto *moved = q.back();
      q.pop_back();
      if(i < q.size())
      {
        sift_down(x, i, moved);
        if(q[i] == moved)
        {
          sift_up(x, i, moved);
        }
      }
      return true;
    }

    void heapify(object *x)
    {
      auto &q = items_of(x);
      for(size_t i = q.size() >> 1; i-- > 0;)
      {
        sift_down(x, i, q[i]);
      }
    }

    // ---- tables: HashMap, LinkedHashMap, TreeMap and their sets --------------------

    struct table_entry
    {
      object *key;
      object *value;
      int64_t insertion;
    };

    object *table_map(object *x)
    {
      return fields(x)[entries];
    }

    size_t table_size(object *x)
    {
      return count(table_map(x));
    }

    uint32_t java_hash_of(object *x)
    {
      return x->type == tag::nil ? 0 : java_hash(x);
    }

    /* HashMap.tableSizeFor: the least power of two at least n. */
    int64_t table_size_for(int64_t n)
    {
      int64_t size = 1;
      while(size < n && size < (int64_t{ 1 } << 30))
      {
        size <<= 1;
      }
      return size;
    }

    /* The entries in the class's iteration order. */
    std::vector<table_entry> table_entries(object *x)
    {
      std::vector<table_entry> out;
      for(auto *e : to_items(table_map(x)))
      {
        auto *slot = first(rest(e));
        out.push_back({ first(e), first(slot), static_cast<integer_obj *>(first(rest(slot)))->value });
      }
      switch(class_of_collection(x)->shape)
      {
        case layout::hash_table:
          {
            auto const mask = static_cast<uint32_t>(int_field(x, capacity) - 1);
            auto const bucket = [mask](object *k) {
              uint32_t const h = java_hash_of(k);
              return (h ^ (h >> 16)) & mask;
            };
            std::stable_sort(out.begin(), out.end(), [&](table_entry const &a, table_entry const &b) {
              auto const ba = bucket(a.key), bb = bucket(b.key);
              return ba != bb ? ba < bb : a.insertion < b.insertion;
            });
            break;
          }
        case layout::linked_table:
          std::sort(out.begin(), out.end(),
                    [](table_entry const &a, table_entry const &b) { return a.insertion < b.insertion; });
          break;
        default:
          {
            auto *cmp = fields(x)[comparator];
            std::stable_sort(out.begin(), out.end(), [cmp](table_entry const &a, table_entry const &b) {
              return compare_with(cmp, a.key, b.key) < 0;
            });
          }
      }
      return out;
    }

    object *table_get(object *x, object *key, object *not_found)
    {
      static object absent{ tag::nil };
      auto *slot = get(table_map(x), key, &absent);
      return slot == &absent ? not_found : first(slot);
    }

    /* put: the previous value, or nil. A new key takes the next insertion
     * number, and a HashMap's table doubles past three quarters full. */
    object *table_put(object *x, object *key, object *value)
    {
      auto const *c = class_of_collection(x);
      if(c->shape == layout::tree_table)
      {
        compare_with(fields(x)[comparator], key, key); /* as TreeMap.put: a key it cannot compare fails */
      }
      static object absent{ tag::nil };
      auto *slot = get(table_map(x), key, &absent);
      if(slot != &absent)
      {
        fields(x)[entries] = assoc(table_map(x), key, vector_from({ value, first(rest(slot)) }));
        return first(slot);
      }
      auto const insertion = int_field(x, next_insertion);
      fields(x)[entries] = assoc(table_map(x), key, vector_from({ value, integer(insertion) }));
      fields(x)[next_insertion] = integer(insertion + 1);
      auto const cap = int_field(x, capacity);
      if(static_cast<double>(table_size(x)) > static_cast<double>(cap) * 0.75 && cap < (int64_t{ 1 } << 30))
      {
        fields(x)[capacity] = integer(cap * 2);
      }
      return nil();
    }

    object *table_remove(object *x, object *key)
    {
      static object absent{ tag::nil };
      auto *slot = get(table_map(x), key, &absent);
      if(slot == &absent)
      {
        return nullptr;
      }
      fields(x)[entries] = dissoc(table_map(x), key);
      return first(slot);
    }

    // ---- construction -------------------------------------------------------------

    record_type_obj *class_type(collection_class const &c)
    {
      return class_named(c.name);
    }

    object *make(collection_class const &c, object *cmp = nil(), int64_t table_capacity = 16)
    {
      if(is_table(&c))
      {
        return new instance_obj{ class_type(c), { map_from({}), integer(0), cmp, integer(table_capacity) } };
      }
      return new instance_obj{ class_type(c), { new array_obj{ {}, 'L' }, integer(0), cmp } };
    }

    collection_class const &collection_named(std::string const &name)
    {
      for(auto const &c : classes)
      {
        if(name == c.name)
        {
          return c;
        }
      }
      fail("java.util has no collection class " + name);
    }

    bool is_fn_like(object *x)
    {
      return x->type == tag::fn || x->type == tag::keyword || x->type == tag::multi_fn;
    }

    void add_all(object *x, object *coll);

    /* (java-util-new* "java.util.HashMap" args...): Java's constructors, of
     * nothing, a capacity (and a load factor), a collection (or map) to copy, or for a
     * PriorityQueue, TreeMap or TreeSet a comparator. */
    object *java_util_new(int argc, args_t argv)
    {
      check_arity("java-util-new*", argc, 1, 3);
      auto const &c = collection_named(str(argv[0]));
      object *capacity_arg{};
      object *cmp{ nil() };
      object *source{};
      for(int i = 1; i < argc; ++i)
      {
        if(argv[i]->type == tag::integer)
        {
          capacity_arg = argv[i];
        }
        /* (HashMap. 1024 0.25): a load factor after the capacity, which only
         * tunes when Java's table grows. */
        else if(argv[i]->type == tag::real && capacity_arg != nullptr)
        {
          auto const load_factor = static_cast<real_obj *>(argv[i])->value;
          if(!(load_factor > 0))
          {
            fail("Illegal load factor: " + pr_str(argv[i]));
          }
        }
        else if(is_fn_like(argv[i]) && (c.shape == layout::heap || c.shape == layout::tree_table))
        {
          cmp = argv[i];
        }
        else
        {
          source = argv[i];
        }
      }
      int64_t table_capacity{ 16 };
      if(capacity_arg != nullptr)
      {
        auto const n = static_cast<integer_obj *>(capacity_arg)->value;
        if(n < 0)
        {
          fail("Illegal initial capacity: " + std::to_string(n));
        }
        table_capacity = table_size_for(std::max<int64_t>(n, 1));
      }
      else if(source != nullptr && source->type != tag::nil)
      {
        auto const n = static_cast<int64_t>(count(source));
        /* HashMap(Map): tableSizeFor(n / 0.75 + 1); HashSet(Collection):
         * a HashMap of max(n / .75 + 1, 16). */
        table_capacity = c.is_map ? (n == 0 ? 16 : table_size_for(static_cast<int64_t>(static_cast<double>(n) / 0.75 + 1.0)))
                                  : table_size_for(std::max<int64_t>(static_cast<int64_t>(static_cast<double>(n) / 0.75) + 1, 16));
      }
      auto *x = make(c, cmp, table_capacity);
      if(source != nullptr)
      {
        add_all(x, source);
      }
      return x;
    }

    /* addAll, putAll, and the constructors' copy. */
    void add_all(object *x, object *coll)
    {
      auto const *c = class_of_collection(x);
      auto const items = class_of_collection(coll) != nullptr && is_table(class_of_collection(coll))
          && class_of_collection(coll)->is_map
        ? [&] {
            std::vector<object *> out;
            for(auto const &e : table_entries(coll))
            {
              out.push_back(map_entry(e.key, e.value));
            }
            return out;
          }()
        : to_items(coll);
      for(auto *item : items)
      {
        if(c->is_map)
        {
          table_put(x, first(item), first(rest(item)));
        }
        else if(is_table(c))
        {
          table_put(x, item, nil());
        }
        else
        {
          add_last(x, item);
        }
      }
      if(c->shape == layout::heap)
      {
        heapify(x);
      }
    }

    // ---- what Clojure's functions see -----------------------------------------------

    /* The items a seq walks: a map's entries, a set's keys, a queue's items. */
    std::vector<object *> collection_items(object *x)
    {
      auto const *c = class_of_collection(x);
      if(!is_table(c))
      {
        return seq_items(x);
      }
      std::vector<object *> out;
      for(auto const &e : table_entries(x))
      {
        out.push_back(c->is_map ? map_entry(e.key, e.value) : e.key);
      }
      return out;
    }

    size_t collection_size(object *x)
    {
      return is_table(class_of_collection(x)) ? table_size(x) : seq_size(x);
    }

    /* The persistent collection it equals and prints as: a list a vector,
     * a map a map, a set a set. */
    object *persistent_view(int argc, args_t argv)
    {
      check_arity("persistent-view", argc, 1, 1);
      auto *x = argv[0];
      auto const *c = class_of_collection(x);
      auto items = collection_items(x);
      if(!is_table(c))
      {
        return vector_from(std::move(items));
      }
      if(!c->is_map)
      {
        return set_from(items);
      }
      std::vector<object *> keys_values;
      for(auto *e : items)
      {
        keys_values.push_back(first(e));
        keys_values.push_back(first(rest(e)));
      }
      return map_from(keys_values);
    }

    object *count_of(int argc, args_t argv)
    {
      check_arity("size", argc, 1, 1);
      return integer(static_cast<int64_t>(collection_size(argv[0])));
    }

    object *seq_of(int argc, args_t argv)
    {
      check_arity("seq", argc, 1, 1);
      auto const items = collection_items(argv[0]);
      return items.empty() ? nil() : list_from(items);
    }

    /* (get m k): a map's value; a set's member, as contains? asks it; a
     * list's nothing, as RT.get answers for a java.util.List. */
    object *lookup(int argc, args_t argv)
    {
      check_arity("get", argc, 2, 3);
      auto *x = argv[0];
      auto *not_found = argc == 3 ? argv[2] : nil();
      auto const *c = class_of_collection(x);
      if(!is_table(c))
      {
        return not_found;
      }
      static object absent{ tag::nil };
      auto *value = table_get(x, argv[1], &absent);
      if(value == &absent)
      {
        return not_found;
      }
      return c->is_map ? value : argv[1];
    }

    /* Java's String.valueOf of an element. */
    std::string java_string(object *x)
    {
      return x->type == tag::nil ? "null" : str(x);
    }

    /* Java's toString: "[1, 2]" and "{a=1, b=2}". */
    object *to_string(int argc, args_t argv)
    {
      check_arity("toString", argc, 1, 1);
      auto *x = argv[0];
      auto const *c = class_of_collection(x);
      std::string out;
      if(c->is_map)
      {
        out = "{";
        for(auto const &e : table_entries(x))
        {
          out += (out.size() > 1 ? ", " : "") + java_string(e.key) + "=" + java_string(e.value);
        }
        return string(out + "}");
      }
      out = "[";
      for(auto *item : collection_items(x))
      {
        out += (out.size() > 1 ? ", " : "") + java_string(item);
      }
      return string(out + "]");
    }

    /* Java's hashCode: List's, Map's or Set's over the elements' hashCodes. */
    object *hash_code(int argc, args_t argv)
    {
      check_arity("hashCode", argc, 1, 1);
      auto *x = argv[0];
      auto const *c = class_of_collection(x);
      uint32_t h{};
      if(c->is_map)
      {
        for(auto const &e : table_entries(x))
        {
          h += java_hash_of(e.key) ^ java_hash_of(e.value);
        }
      }
      else if(is_table(c))
      {
        for(auto const &e : table_entries(x))
        {
          h += java_hash_of(e.key);
        }
      }
      else
      {
        h = 1;
        for(auto *item : seq_items(x))
        {
          h = 31 * h + java_hash_of(item);
        }
      }
      return integer(static_cast<int32_t>(h));
    }

    object *equals_fn(int argc, args_t argv)
    {
      check_arity("equals", argc, 2, 2);
      return boolean(equals(persistent_view(1, argv), argv[1]));
    }


    // ---- Arrays and Collections -------------------------------------------------------

    array_obj *array_arg(object *x, char const *op)
    {
      if(x->type != tag::array)
      {
        fail(std::string{ op } + " expects an array, got " + type_name(x));
      }
      return static_cast<array_obj *>(x);
    }

    /* The java.util list a Collections static changes in place. */
    object *list_arg(object *x, char const *op)
    {
      auto const *c = class_of_collection(x);
      if(c == nullptr || c->shape != layout::list)
      {
        fail(std::string{ op } + " expects a java.util.List it can change, got " + class_name_of(x)
             + " (Clojure's collections are immutable: use sort or reverse)");
      }
      return x;
    }

    void sort_items(std::vector<object *>::iterator from, std::vector<object *>::iterator to, object *cmp)
    {
      std::stable_sort(from, to, [cmp](object *a, object *b) { return compare_with(cmp, a, b) < 0; });
    }

    object *arrays_sort(int argc, args_t argv)
    {
      check_arity("Arrays/sort", argc, 1, 4);
      auto &items = array_arg(argv[0], "Arrays/sort")->items;
      if(argc >= 3)
      {
        auto const from = index_arg(argv[1], "Arrays/sort"), to = index_arg(argv[2], "Arrays/sort");
        if(from < 0 || to > static_cast<int64_t>(items.size()) || from > to)
        {
          index_out_of_bounds(from < 0 ? from : to, items.size());
        }
        sort_items(items.begin() + from, items.begin() + to, argc == 4 ? argv[3] : nil());
      }
      else
      {
        sort_items(items.begin(), items.end(), argc == 2 ? argv[1] : nil());
      }
      return nil();
    }

    object *arrays_fill(int argc, args_t argv)
    {
      check_arity("Arrays/fill", argc, 2, 4);
      auto &items = array_arg(argv[0], "Arrays/fill")->items;
      size_t from = 0, to = items.size();
      if(argc == 4)
      {
        from = static_cast<size_t>(index_arg(argv[1], "Arrays/fill"));
        to = static_cast<size_t>(index_arg(argv[2], "Arrays/fill"));
        if(from > to || to > items.size())
        {
          index_out_of_bounds(static_cast<int64_t>(to), items.size());
        }
      }
      std::fill(items.begin() + static_cast<std::ptrdiff_t>(from), items.begin() + static_cast<std::ptrdiff_t>(to),
                argv[argc - 1]);
      return nil();
    }

    /* Arrays/asList: a list of the array's items, or of the arguments. */
    object *arrays_as_list(int argc, args_t argv)
    {
      auto *list = make(collection_named("java.util.ArrayList"));
      auto const items = argc == 1 && argv[0]->type == tag::array ? static_cast<array_obj *>(argv[0])->items
                                                                  : std::vector<object *>(argv, argv + argc);
      for(auto *item : items)
      {
        add_last(list, item);
      }
      return list;
    }

    object *arrays_to_string(int argc, args_t argv)
    {
      check_arity("Arrays/toString", argc, 1, 1);
      if(argv[0]->type == tag::nil)
      {
        return string("null");
      }
      std::string out = "[";
      for(auto *item : array_arg(argv[0], "Arrays/toString")->items)
      {
        out += (out.size() > 1 ? ", " : "") + java_string(item);
      }
      return string(out + "]");
    }

    object *arrays_equals(int argc, args_t argv)
    {
      check_arity("Arrays/equals", argc, 2, 2);
      if(argv[0]->type == tag::nil || argv[1]->type == tag::nil)
      {
        return boolean(argv[0]->type == argv[1]->type);
      }
      auto const &a = array_arg(argv[0], "Arrays/equals")->items;
      auto const &b = array_arg(argv[1], "Arrays/equals")->items;
      return boolean(a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](object *x, object *y) {
                       return equals(x, y);
                     }));
    }

    object *arrays_copy_of(int argc, args_t argv)
    {
      check_arity("Arrays/copyOf", argc, 2, 2);
      auto *source = array_arg(argv[0], "Arrays/copyOf");
      auto const n = index_arg(argv[1], "Arrays/copyOf");
      if(n < 0)
      {
        fail("Arrays/copyOf: negative length " + std::to_string(n));
      }
      auto items = source->items;
      object *zero = source->kind == 'L' ? nil() : source->kind == 'D' || source->kind == 'F' ? real(0.0)
        : source->kind == 'Z'                                                                 ? boolean(false)
                                                                                              : integer(0);
      items.resize(static_cast<size_t>(n), zero);
      return new array_obj{ std::move(items), source->kind };
    }

    object *collections_sort(int argc, args_t argv)
    {
      check_arity("Collections/sort", argc, 1, 2);
      auto *list = list_arg(argv[0], "Collections/sort");
      auto &items = items_of(list);
      sort_items(items.begin() + int_field(list, head), items.end(), argc == 2 ? argv[1] : nil());
      return nil();
    }

    object *collections_reverse(int argc, args_t argv)
    {
      check_arity("Collections/reverse", argc, 1, 1);
      auto *list = list_arg(argv[0], "Collections/reverse");
      auto &items = items_of(list);
      std::reverse(items.begin() + int_field(list, head), items.end());
      return nil();
    }

    /* Collections.shuffle, and with a java.util.Random its swaps are Java's:
     * from the last item down, each swapped with one drawn by nextInt. */
    object *collections_shuffle(int argc, args_t argv)
    {
      check_arity("Collections/shuffle", argc, 1, 2);
      auto *list = list_arg(argv[0], "Collections/shuffle");
      auto &items = items_of(list);
      auto const first = items.begin() + int_field(list, head);
      if(argc == 1)
      {
        static std::mt19937_64 engine{ std::random_device{}() };
        std::shuffle(first, items.end(), engine);
        return nil();
      }
      if(!is_java_random(argv[1]))
      {
        fail(std::string{ "Collections/shuffle expects a java.util.Random, got " } + type_name(argv[1]));
      }
      for(auto i = static_cast<int32_t>(items.end() - first); i > 1; --i)
      {
        std::swap(first[i - 1], first[random_next_int(argv[1], i)]);
      }
      return nil();
    }

    object *extreme(int argc, args_t argv, char const *op, bool max)
    {
      check_arity(op, argc, 1, 2);
      auto const items = to_items(argv[0]);
      if(items.empty())
      {
        no_such_element();
      }
      auto *cmp = argc == 2 ? argv[1] : nil();
      auto *best = items[0];
      for(auto *item : items)
      {
        auto const c = compare_with(cmp, item, best);
        if(max ? c > 0 : c < 0)
        {
          best = item;
        }
      }
      return best;
    }

    object *collections_frequency(int argc, args_t argv)
    {
      check_arity("Collections/frequency", argc, 2, 2);
      auto const items = to_items(argv[0]);
      return integer(std::count_if(items.begin(), items.end(), [&](object *x) { return equals(x, argv[1]); }));
    }

    object *collections_n_copies(int argc, args_t argv)
    {
      check_arity("Collections/nCopies", argc, 2, 2);
      auto *list = make(collection_named("java.util.ArrayList"));
      for(int64_t i = 0, n = index_arg(argv[0], "Collections/nCopies"); i < n; ++i)
      {
        add_last(list, argv[1]);
      }
      return list;
    }

    object *collections_swap(int argc, args_t argv)
    {
      check_arity("Collections/swap", argc, 3, 3);
      auto *list = list_arg(argv[0], "Collections/swap");
      auto const i = index_arg(argv[1], "Collections/swap"), j = index_arg(argv[2], "Collections/swap");
      auto const size = seq_size(list);
      if(i < 0 || j < 0 || static_cast<size_t>(std::max(i, j)) >= size)
      {
        index_out_of_bounds(std::max(i, j), size);
      }
      std::swap(seq_at(list, static_cast<size_t>(i)), seq_at(list, static_cast<size_t>(j)));
      return nil();
    }

    native_entry const arrays_fns[] = {
      { "sort", arrays_sort },
      { "fill", arrays_fill },
      { "asList", arrays_as_list },
      { "toString", arrays_to_string },
      { "equals", arrays_equals },
      { "copyOf", arrays_copy_of },
    };

    native_entry const collections_fns[] = {
      { "sort", collections_sort },
      { "reverse", collections_reverse },
      { "shuffle", collections_shuffle },
      { "max", [](int argc, args_t argv) { return extreme(argc, argv, "Collections/max", true); } },
      { "min", [](int argc, args_t argv) { return extreme(argc, argv, "Collections/min", false); } },
      { "frequency", collections_frequency },
      { "nCopies", collections_n_copies },
      { "swap", collections_swap },
      /* Views the JVM makes read-only; here the collection itself. */
      { "unmodifiableList", [](int argc, args_t argv) { check_arity("Collections/unmodifiableList", argc, 1, 1); return argv[0]; } },
      { "unmodifiableSet", [](int argc, args_t argv) { check_arity("Collections/unmodifiableSet", argc, 1, 1); return argv[0]; } },
      { "unmodifiableMap", [](int argc, args_t argv) { check_arity("Collections/unmodifiableMap", argc, 1, 1); return argv[0]; } },
      /* The page has one thread: a synchronized view is the collection. */
      { "synchronizedMap", [](int argc, args_t argv) { check_arity("Collections/synchronizedMap", argc, 1, 1); return argv[0]; } },
      { "synchronizedList", [](int argc, args_t argv) { check_arity("Collections/synchronizedList", argc, 1, 1); return argv[0]; } },
      { "synchronizedSet", [](int argc, args_t argv) { check_arity("Collections/synchronizedSet", argc, 1, 1); return argv[0]; } },
      { "emptyList", [](int argc, args_t) { check_arity("Collections/emptyList", argc, 0, 0); return make(collection_named("java.util.ArrayList")); } },
      { "singletonList", [](int argc, args_t argv) { check_arity("Collections/singletonList", argc, 1, 1); return arrays_as_list(1, argv); } },
    };

    // ---- iterators -------------------------------------------------------------------

    /* (.iterator coll): a java.util.Iterator over coll's seq, as
     * clojure.lang.SeqIterator is; its one field is the rest of the seq. */
    record_type_obj *iterator_type()
    {
      static record_type_obj *type = [] {
        auto *t = new record_type_obj{ "clojure.lang.SeqIterator", {} };
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    bool is_iterator(object *x)
    {
      return x->type == tag::instance && static_cast<instance_obj *>(x)->type == iterator_type();
    }

    /* The rest of a reify's or deftype's java.util.Iterator, one hasNext
     * and next at a time: it may never end. */
    object *user_iterator_step(object *env, int, args_t)
    {
      auto *it = env_at(env, 0);
      if(!truthy(call(type_method_of(it, "hasNext"), { it })))
      {
        return nil();
      }
      auto *item = call(type_method_of(it, "next"), { it });
      return new cons_obj{ item, lazy(user_iterator_step, { it }) };
    }

    /* (iterator-seq it): the iterator's remaining items as a seq. */
    object *iterator_seq(int argc, args_t argv)
    {
      check_arity("iterator-seq", argc, 1, 1);
      if(type_method_of(argv[0], "hasNext") != nullptr && type_method_of(argv[0], "next") != nullptr)
      {
        return seq(lazy(user_iterator_step, { argv[0] }));
      }
      if(!is_iterator(argv[0]))
      {
        fail("iterator-seq expects an iterator ((.iterator coll)), got " + a_type_name(argv[0]));
      }
      auto &rest_of = fields(argv[0])[0];
      auto *items = rest_of;
      rest_of = nil();
      return items;
    }

    native_entry const constructor_fns[] = {
      { "java-util-new*", java_util_new },
      { "iterator-seq", iterator_seq },
    };
  }

  int64_t list_position(object *coll, object *x, bool last)
  {
    auto const items = to_items(coll);
    int64_t found = -1;
    for(size_t i = 0; i < items.size(); ++i)
    {
      if(equals(items[i], x))
      {
        found = static_cast<int64_t>(i);
        if(!last)
        {
          break;
        }
      }
    }
    return found;
  }

  bool iterator_method(std::string const &m, object *x, int n, object **result)
  {
    if(m == "iterator" && n == 0 && (x->type == tag::array || is_seqable(x)))
    {
      *result = new instance_obj{ iterator_type(), { seq(x) } };
      return true;
    }
    if(!is_iterator(x) || n != 0)
    {
      return false;
    }
    auto &rest_of = fields(x)[0];
    if(m == "hasNext")
    {
      *result = boolean(rest_of->type != tag::nil);
      return true;
    }
    if(m == "next")
    {
      if(rest_of->type == tag::nil)
      {
        no_such_element();
      }
      *result = first(rest_of);
      rest_of = seq(rest(rest_of));
      return true;
    }
    return false;
  }

  bool java_util_method(std::string const &m, object *x, int n, object **args, object **result)
  {
    if(iterator_method(m, x, n, result))
    {
      return true;
    }
    auto const *c = class_of_collection(x);
    if(c == nullptr)
    {
      return false;
    }
    auto const answer = [result](object *value) {
      *result = value;
      return true;
    };
    auto const done = [&] { return answer(nil()); };
    /* Every class's. */
    if(m == "size" && n == 0)
    {
      return answer(integer(static_cast<int64_t>(collection_size(x))));
    }
    if(m == "isEmpty" && n == 0)
    {
      return answer(boolean(collection_size(x) == 0));
    }
    if(m == "toString" && n == 0)
    {
      return answer(to_string(1, &x));
    }
    if(m == "hashCode" && n == 0 && c->shape != layout::deque && c->shape != layout::heap)
    {
      return answer(hash_code(1, &x));
    }
    if(m == "equals" && n == 1)
    {
      return answer(boolean(equals(x, args[0])));
    }
    if(m == "clear" && n == 0)
    {
      if(is_table(c))
      {
        fields(x)[entries] = map_from({});
      }
      else
      {
        items_of(x).clear();
        set_head(x, 0);
      }
      return done();
    }
    if(is_table(c))
    {
      static object absent{ tag::nil };
      auto const present = [&](object *key) { return table_get(x, key, &absent) != &absent; };
      if(c->is_map)
      {
        if(m == "put" && n == 2)
        {
          return answer(table_put(x, args[0], args[1]));
        }
        if(m == "get" && n == 1)
        {
          return answer(table_get(x, args[0], nil()));
        }
        if(m == "getOrDefault" && n == 2)
        {
          return answer(table_get(x, args[0], args[1]));
        }
        if(m == "containsKey" && n == 1)
        {
          return answer(boolean(present(args[0])));
        }
        if(m == "containsValue" && n == 1)
        {
          auto const all = table_entries(x);
          return answer(boolean(
            std::any_of(all.begin(), all.end(), [&](table_entry const &e) { return equals(e.value, args[0]); })));
        }
        if(m == "remove" && n == 1)
        {
          auto *previous = table_remove(x, args[0]);
          return answer(previous == nullptr ? nil() : previous);
        }
        if(m == "putIfAbsent" && n == 2)
        {
          auto *current = table_get(x, args[0], nil());
          return answer(current->type == tag::nil ? table_put(x, args[0], args[1]) : current);
        }
        if(m == "putAll" && n == 1)
        {
          add_all(x, args[0]);
          return done();
        }
        /* Map's defaults with a fn (a Clojure fn or a reified Function):
         * a nil result removes the key, as on the JVM. */
        auto const store = [&](object *key, object *value) {
          if(value->type == tag::nil)
          {
            table_remove(x, key);
          }
          else
          {
            table_put(x, key, value);
          }
          return answer(value);
        };
        if(m == "merge" && n == 3)
        {
          auto *current = table_get(x, args[0], nil());
          return store(args[0], current->type == tag::nil ? args[1] : call(args[2], { current, args[1] }));
        }
        if(m == "computeIfAbsent" && n == 2)
        {
          auto *current = table_get(x, args[0], nil());
          return current->type == tag::nil ? store(args[0], call(args[1], { args[0] })) : answer(current);
        }
        if(m == "computeIfPresent" && n == 2)
        {
          auto *current = table_get(x, args[0], nil());
          return current->type == tag::nil ? answer(nil()) : store(args[0], call(args[1], { args[0], current }));
        }
        if(m == "compute" && n == 2)
        {
          return store(args[0], call(args[1], { args[0], table_get(x, args[0], nil()) }));
        }
        if(m == "keySet" && n == 0)
        {
          auto *keys = make(collection_named("java.util.LinkedHashSet"));
          for(auto const &e : table_entries(x))
          {
            table_put(keys, e.key, nil());
          }
          return answer(keys);
        }
        if((m == "values" || m == "entrySet") && n == 0)
        {
          auto *out = make(collection_named("java.util.ArrayList"));
          for(auto const &e : table_entries(x))
          {
            add_last(out, m == "values" ? e.value : map_entry(e.key, e.value));
          }
          return answer(out);
        }
      }
      else
      {
        if(m == "add" && n == 1)
        {
          bool const added = !present(args[0]);
          if(added)
          {
            table_put(x, args[0], nil());
          }
          return answer(boolean(added));
        }
        if(m == "contains" && n == 1)
        {
          return answer(boolean(present(args[0])));
        }
        if(m == "remove" && n == 1)
        {
          return answer(boolean(table_remove(x, args[0]) != nullptr));
        }
        if(m == "addAll" && n == 1)
        {
          auto const before = table_size(x);
          add_all(x, args[0]);
          return answer(boolean(table_size(x) != before));
        }
      }
      if(c->shape == layout::tree_table && n == 0
         && (m == "firstKey" || m == "lastKey" || m == "first" || m == "last"))
      {
        auto const all = table_entries(x);
        if(all.empty())
        {
          no_such_element();
        }
        return answer(m == "firstKey" || m == "first" ? all.front().key : all.back().key);
      }
      return false;
    }
    if(c->shape == layout::heap)
    {
      if((m == "add" || m == "offer") && n == 1)
      {
        heap_offer(x, args[0]);
        return answer(boolean(true));
      }
      if(m == "poll" && n == 0)
      {
        return answer(heap_poll(x));
      }
      if((m == "remove" || m == "element") && n == 0)
      {
        if(items_of(x).empty())
        {
          no_such_element();
        }
        return answer(m == "remove" ? heap_poll(x) : items_of(x)[0]);
      }
      if(m == "peek" && n == 0)
      {
        return answer(items_of(x).empty() ? nil() : items_of(x)[0]);
      }
      if(m == "remove" && n == 1)
      {
        return answer(boolean(heap_remove(x, args[0])));
      }
      if(m == "contains" && n == 1)
      {
        return answer(boolean(list_position(x, args[0], false) >= 0));
      }
      if(m == "addAll" && n == 1)
      {
        for(auto *item : to_items(args[0]))
        {
          heap_offer(x, item);
        }
        return answer(boolean(true));
      }
      return false;
    }
    /* ArrayList, LinkedList and ArrayDeque. */
    auto const size = seq_size(x);
    auto const empty_peek = [&](bool front) { return size == 0 ? nil() : seq_at(x, front ? 0 : size - 1); };
    if((m == "add" || m == "addLast" || m == "offer" || m == "offerLast") && n == 1)
    {
      add_last(x, args[0]);
      return answer(m == "addLast" ? nil() : boolean(true));
    }
    if((m == "addFirst" || m == "push" || m == "offerFirst") && n == 1)
    {
      add_first(x, args[0]);
      return answer(m == "offerFirst" ? boolean(true) : nil());
    }
    if((m == "pop" || m == "removeFirst" || m == "remove" || m == "element" || m == "getFirst") && n == 0)
    {
      if(m == "element" || m == "getFirst")
      {
        if(size == 0)
        {
          no_such_element();
        }
        return answer(seq_at(x, 0));
      }
      return answer(remove_first(x));
    }
    if((m == "removeLast" || m == "getLast") && n == 0)
    {
      if(m == "getLast")
      {
        if(size == 0)
        {
          no_such_element();
        }
        return answer(seq_at(x, size - 1));
      }
      return answer(remove_last(x));
    }
    if((m == "poll" || m == "pollFirst") && n == 0)
    {
      return answer(size == 0 ? nil() : remove_first(x));
    }
    if(m == "pollLast" && n == 0)
    {
      return answer(size == 0 ? nil() : remove_last(x));
    }
    if((m == "peek" || m == "peekFirst") && n == 0)
    {
      return answer(empty_peek(true));
    }
    if(m == "peekLast" && n == 0)
    {
      return answer(empty_peek(false));
    }
    if(m == "contains" && n == 1)
    {
      return answer(boolean(list_position(x, args[0], false) >= 0));
    }
    if(m == "addAll" && n == 1)
    {
      add_all(x, args[0]);
      return answer(boolean(true));
    }
    /* A list's remove of an integer removes at that index, as the compiler
     * picks remove(int) when it knows the target is a List (reflection on an
     * untyped target would pick remove(Object)); of anything else, and a
     * deque's, the first equal item. */
    if(m == "remove" && n == 1 && c->shape == layout::list && args[0]->type == tag::integer)
    {
      auto const i = index_arg(args[0], "remove");
      if(i < 0 || static_cast<size_t>(i) >= size)
      {
        index_out_of_bounds(i, size);
      }
      auto *removed = seq_at(x, static_cast<size_t>(i));
      remove_at(x, static_cast<size_t>(i));
      return answer(removed);
    }
    if(m == "remove" && n == 1)
    {
      auto const i = list_position(x, args[0], false);
      if(i >= 0)
      {
        remove_at(x, static_cast<size_t>(i));
      }
      return answer(boolean(i >= 0));
    }
    if(c->shape != layout::list)
    {
      return false;
    }
    auto const checked_index = [&](object *i_arg, size_t limit) {
      auto const i = index_arg(i_arg, m.c_str());
      if(i < 0 || static_cast<size_t>(i) >= limit)
      {
        index_out_of_bounds(i, size);
      }
      return static_cast<size_t>(i);
    };
    if(m == "get" && n == 1)
    {
      return answer(seq_at(x, checked_index(args[0], size)));
    }
    if(m == "set" && n == 2)
    {
      auto &slot = seq_at(x, checked_index(args[0], size));
      auto *previous = slot;
      slot = args[1];
      return answer(previous);
    }
    if(m == "add" && n == 2)
    {
      auto const i = checked_index(args[0], size + 1);
      auto &items = items_of(x);
      items.insert(items.begin() + int_field(x, head) + static_cast<std::ptrdiff_t>(i), args[1]);
      return done();
    }
    /* List.addAll(index, c): c's items in order, from index on. */
    if(m == "addAll" && n == 2)
    {
      auto const i = checked_index(args[0], size + 1);
      auto const added = to_items(args[1]);
      auto &items = items_of(x);
      items.insert(items.begin() + int_field(x, head) + static_cast<std::ptrdiff_t>(i), added.begin(), added.end());
      return answer(boolean(!added.empty()));
    }
    if((m == "indexOf" || m == "lastIndexOf") && n == 1)
    {
      return answer(integer(list_position(x, args[0], m == "lastIndexOf")));
    }
    if(m == "sort" && n == 1)
    {
      auto &items = items_of(x);
      sort_items(items.begin() + int_field(x, head), items.end(), args[0]);
      return done();
    }
    if(m == "subList" && n == 2)
    {
      auto const from = checked_index(args[0], size + 1), to = checked_index(args[1], size + 1);
      auto *out = make(*c);
      for(size_t i = from; i < to; ++i)
      {
        add_last(out, seq_at(x, i));
      }
      return answer(out);
    }
    return false;
  }

  void install_java_util()
  {
    install_natives(constructor_fns);
    install_natives(arrays_fns, "Arrays");
    install_natives(collections_fns, "Collections");
    auto *count_fn = permanent_method("size", count_of);
    auto *seq_fn = permanent_method("seq", seq_of);
    auto *lookup_fn = permanent_method("get", lookup);
    auto *to_string_fn = permanent_method("toString", to_string);
    auto *hash_fn = permanent_method("hashCode", hash_code);
    auto *equals_method = permanent_method("equals", equals_fn);
    auto *view_fn = permanent_method("persistent-view", persistent_view);
    for(auto const &c : classes)
    {
      auto *t = class_type(c);
      t->count_fn = count_fn;
      t->seq_fn = seq_fn;
      t->lookup_fn = lookup_fn;
      t->to_string = to_string_fn;
      if(c.shape != layout::deque && c.shape != layout::heap)
      {
        /* Lists, maps and sets compare, hash and print by their contents;
         * queues are objects, equal only to themselves. */
        t->hash_fn = hash_fn;
        t->equals_fn = equals_method;
        t->persistent_view = view_fn;
      }
    }
  }
}
