#include "object.hpp"

#include "classes.hpp"
#include "gc.hpp"
#include "namespaces.hpp"
#include "numbers.hpp"
#include "text.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <string_view>

namespace jhr
{
  void fail(std::string const &message)
  {
    throw runtime_error{ message };
  }

  namespace
  {
    object nil_singleton{ tag::nil };
    boolean_obj true_singleton{ true };
    boolean_obj false_singleton{ false };
    list_obj empty_list_singleton{ nullptr, nullptr, 0 };

    constexpr int64_t small_int_min = -128;
    constexpr int64_t small_int_max = 1024;

    integer_obj *small_integers()
    {
      static auto *cache = [] {
        auto *ints = static_cast<integer_obj *>(
          ::operator new(sizeof(integer_obj) * (small_int_max - small_int_min + 1)));
        for(int64_t i = small_int_min; i <= small_int_max; ++i)
        {
          new(&ints[i - small_int_min]) integer_obj{ i };
        }
        return ints;
      }();
      return cache;
    }

    /* The ASCII characters, shared as Java's Character.valueOf shares them:
     * (identical? \a \a) is true, and reading a string allocates nothing. */
    constexpr int32_t shared_char_limit = 128;

    char_obj *ascii_chars()
    {
      static auto *cache = [] {
        auto *chars = static_cast<char_obj *>(::operator new(sizeof(char_obj) * shared_char_limit));
        for(int32_t c = 0; c < shared_char_limit; ++c)
        {
          new(&chars[c]) char_obj{ c };
        }
        return chars;
      }();
      return cache;
    }

    bool is_sequential(object const *o)
    {
      return o->type == tag::list || o->type == tag::vector || o->type == tag::vector_seq
        || o->type == tag::lazy_seq || o->type == tag::cons || o->type == tag::queue || o->type == tag::long_range
        || declares_sequential(o);
    }


  }

  std::string fn_name(fn_obj const *f)
  {
    if(!f->name.empty() || f->core_name == nullptr)
    {
      return f->name;
    }
    return std::string{ "clojure.core/" } + f->core_name;
  }

  /* A fn's class as the JVM names it: clojure.core/inc is clojure.core$inc
   * and my.app/valid? my.app$valid_QMARK_ (Clojure's munge); an anonymous
   * fn, whose enclosing names the page does not keep, is "fn". */
  std::string fn_class_name(fn_obj const *f)
  {
    auto const name = fn_name(f);
    auto const slash = name.find('/');
    if(name.empty() || slash == std::string::npos || slash == 0)
    {
      return name.empty() ? "fn" : name;
    }
    return munge_name(std::string_view{ name }.substr(0, slash)) + '$' + munge_name(std::string_view{ name }.substr(slash + 1));
  }

  object *nil()
  {
    return &nil_singleton;
  }

  object *boolean(bool b)
  {
    return b ? &true_singleton : &false_singleton;
  }

  object *integer(int64_t v)
  {
    if(v >= small_int_min && v <= small_int_max)
    {
      return &small_integers()[v - small_int_min];
    }
    return new integer_obj{ v };
  }

  object *real(double v)
  {
    return new real_obj{ v };
  }

  object *single_float(double v)
  {
    auto *f = new real_obj{ static_cast<double>(static_cast<float>(v)) };
    f->single = true;
    return f;
  }

  object *string(std::string v)
  {
    return new string_obj{ std::move(v) };
  }

  object *character(int32_t cp)
  {
    if(cp >= 0 && cp < shared_char_limit)
    {
      return &ascii_chars()[cp];
    }
    return new char_obj{ cp };
  }

  size_t string_length(string_obj const *s)
  {
    return s->is_ascii() ? s->value.size() : utf8::length(s->value);
  }

  size_t string_offset(string_obj const *s, int64_t i)
  {
    auto const &v = s->value;
    if(i < 0)
    {
      return std::string::npos;
    }
    if(s->is_ascii())
    {
      return static_cast<size_t>(i) <= v.size() ? static_cast<size_t>(i) : std::string::npos;
    }
    size_t at = 0;
    for(int64_t n = 0; n < i; ++n)
    {
      if(at >= v.size())
      {
        return std::string::npos;
      }
      utf8::next(v, at);
    }
    return at;
  }

  object *string_char_at(string_obj const *s, int64_t i)
  {
    auto at = string_offset(s, i);
    if(at == std::string::npos || at >= s->value.size())
    {
      return nullptr;
    }
    return character(static_cast<int32_t>(utf8::next(s->value, at)));
  }

  object *keyword(std::string const &ns, std::string const &name)
  {
    static std::map<std::pair<std::string, std::string>, keyword_obj *> interned;
    auto const key = std::make_pair(ns, name);
    auto const found = interned.find(key);
    if(found != interned.end())
    {
      return found->second;
    }
    auto *kw = new keyword_obj{ ns, name };
    interned.emplace(key, kw);
    gc::make_permanent(kw);
    return kw;
  }

  object *symbol(std::string ns, std::string name)
  {
    return new symbol_obj{ std::move(ns), std::move(name) };
  }

  list_obj const *empty_list()
  {
    return &empty_list_singleton;
  }

  object *list_from(std::vector<object *> const &items)
  {
    list_obj const *l = empty_list();
    for(auto it = items.rbegin(); it != items.rend(); ++it)
    {
      l = new list_obj{ *it, l, l->count + 1 };
    }
    return const_cast<list_obj *>(l);
  }

  object *vector_from(std::vector<object *> items)
  {
    return new vector_obj{ vector_trie::from(items) };
  }

  object *map_entry(object *key, object *value)
  {
    auto *entry = new vector_obj{ vector_trie::from({ key, value }) };
    entry->map_entry = true;
    return entry;
  }

  object *map_from(std::vector<object *> const &kvs)
  {
    if(kvs.size() % 2 != 0)
    {
      fail("a map needs an even number of forms, got " + std::to_string(kvs.size()));
    }
    entry_table table;
    for(size_t i = 0; i < kvs.size(); i += 2)
    {
      table = table.assoc(kvs[i], kvs[i + 1]);
    }
    return new map_obj{ std::move(table) };
  }

  object *array_map_from(std::vector<object *> const &kvs)
  {
    if(kvs.size() % 2 != 0)
    {
      fail("a map needs an even number of forms, got " + std::to_string(kvs.size()));
    }
    std::vector<entry> pairs;
    pairs.reserve(kvs.size() / 2);
    for(size_t i = 0; i < kvs.size(); i += 2)
    {
      pairs.emplace_back(kvs[i], kvs[i + 1]);
    }
    return new map_obj{ entry_table::in_order(pairs) };
  }

  object *set_from(std::vector<object *> const &items)
  {
    auto table = entry_table::hashed();
    for(auto *item : items)
    {
      table = table.assoc(item, item);
    }
    return new set_obj{ std::move(table) };
  }

  object *first_duplicate_key(std::vector<object *> const &items, size_t stride)
  {
    entry_table seen;
    for(size_t i = 0; i < items.size(); i += stride)
    {
      if(seen.find(items[i]) != nullptr)
      {
        return items[i];
      }
      seen = seen.assoc(items[i], items[i]);
    }
    return nullptr;
  }

  namespace
  {
    [[noreturn]] void fail_duplicate_key(std::vector<object *> const &items, size_t stride)
    {
      auto *key = first_duplicate_key(items, stride);
      fail(key == nullptr ? std::string{ "Duplicate key" } : "Duplicate key: " + str(key));
    }
  }

  object *map_from_literal(std::vector<object *> const &kvs)
  {
    auto *m = map_from(kvs);
    if(static_cast<map_obj *>(m)->entries.size() * 2 != kvs.size())
    {
      fail_duplicate_key(kvs, 2);
    }
    return m;
  }

  object *set_from_literal(std::vector<object *> const &items)
  {
    auto *s = set_from(items);
    if(static_cast<set_obj *>(s)->items.size() != items.size())
    {
      fail_duplicate_key(items, 1);
    }
    return s;
  }


  bool truthy(object const *o)
  {
    if(o == nullptr || o->type == tag::nil)
    {
      return false;
    }
    if(o->type == tag::boolean)
    {
      return static_cast<boolean_obj const *>(o)->value;
    }
    return true;
  }

  std::string a_type_name(object const *o)
  {
    std::string const name = type_name(o);
    if(o == nullptr || o->type == tag::nil)
    {
      return name; /* "a null pointer" already; nil has none */
    }
    bool const vowel = !name.empty() && std::string_view{ "aeiou" }.find(name[0]) != std::string_view::npos;
    return (vowel ? "an " : "a ") + name;
  }

  char const *type_name(object const *o)
  {
    if(o == nullptr)
    {
      return "a null pointer";
    }
    switch(o->type)
    {
      case tag::nil:
        return "nil";
      case tag::boolean:
        return "boolean";
      case tag::integer:
        return "integer";
      case tag::real:
        return static_cast<real_obj const *>(o)->single ? "float" : "double";
      case tag::ratio:
        return "ratio";
      case tag::big_integer:
        return "big-integer";
      case tag::big_decimal:
        return "big-decimal";
      case tag::reduced:
        return "reduced";
      case tag::trie_node:
        return "trie node";
      case tag::tree_node:
        return "tree node";
      case tag::string:
        return "string";
      case tag::character:
        return "character";
      case tag::keyword:
        return "keyword";
      case tag::symbol:
        return "symbol";
      case tag::list:
      case tag::vector_seq:
      case tag::long_range:
        return "seq";
      case tag::vector:
        return "vector";
      case tag::map:
        return "map";
      case tag::set:
        return "set";
      case tag::fn:
        return "function";
      case tag::var:
        return "var";
      case tag::lazy_seq:
      case tag::cons:
        return "seq";
      case tag::cell:
        {
          auto const *c = static_cast<cell_obj const *>(o);
          if(!c->is_atom)
          {
            return "volatile";
          }
          return c->kind == reference::ref ? "ref" : c->kind == reference::agent ? "agent" : "atom";
        }
      case tag::delay:
        return "delay";
      case tag::ex_info:
        return "exception";
      case tag::regex:
        return "regex";
      case tag::multi_fn:
        return "multimethod";
      case tag::protocol:
        return "protocol";
      case tag::protocol_fn:
        return "protocol function";
      case tag::record_type:
        return "record type";
      case tag::record:
        return "record";
      case tag::instance:
        return static_cast<instance_obj const *>(o)->type->name.c_str();
      case tag::uuid:
        return "uuid";
      case tag::inst:
        return "inst";
      case tag::env:
        return "closure environment";
      case tag::transient:
        return "transient";
      case tag::array:
        return "array";
      case tag::ns:
        return "namespace";
      case tag::queue:
        return "queue";
    }
    return "unknown";
  }

  bool identical(object const *a, object const *b)
  {
    if(a == b)
    {
      return true;
    }
    if(a->type != b->type)
    {
      return false;
    }
    if(a->type == tag::integer)
    {
      auto const v = static_cast<integer_obj const *>(a)->value;
      return v >= -128 && v <= 127 && v == static_cast<integer_obj const *>(b)->value;
    }
    if(a->type == tag::character)
    {
      auto const c = static_cast<char_obj const *>(a)->codepoint;
      return c < 128 && c == static_cast<char_obj const *>(b)->codepoint;
    }
    return false;
  }

  /* A lazy seq or a cons, which = compares item by item as it realizes. */
  static bool is_lazily_walked(object const *x)
  {
    return x->type == tag::lazy_seq || x->type == tag::cons;
  }

  bool equals(object const *a, object const *b)
  {
    if(a == b)
    {
      return true;
    }
    if(a == nullptr || b == nullptr)
    {
      return false;
    }
    /* A java.util list, map or set equals Clojure's collections by its
     * contents, from either side, as APersistentVector's equiv takes a List. */
    for(auto const *x : { a, b })
    {
      if(auto *view = interface_fn(const_cast<object *>(x), &record_type_obj::persistent_view))
      {
        auto *self = const_cast<object *>(x);
        auto *persistent = invoke(view, 1, &self);
        return x == a ? equals(persistent, b) : equals(a, persistent);
      }
    }
    /* A deftype that is a java.util.Map (and, if an IPersistentMap, a
     * MapEquivalence, as data.priority-map's) equals a map of the same
     * entries, from either side, as APersistentMap's equiv compares one. */
    for(auto const *x : { a, b })
    {
      auto const *other = x == a ? b : a;
      if(other->type == tag::map && declares(x, "java.util.Map")
         && (!declares(x, "clojure.lang.IPersistentMap") || declares(x, "clojure.lang.MapEquivalence")))
      {
        /* Its entries, through seq: its reduce may be a CollReduce of something else. */
        object *entries[] = { map_from({}), seq(const_cast<object *>(x)) };
        return equals(other, invoke(deref(intern_var("clojure.core", "into")), 2, entries));
      }
    }
    /* A Clojure set equals a deftype that is a java.util.Set or an
     * IPersistentSet of the same elements, as APersistentSet's equiv
     * compares any Set (data.finger-tree's sorted sets). */
    if(a->type == tag::set && b->type == tag::instance
       && (declares(b, "java.util.Set") || declares(b, "clojure.lang.IPersistentSet")))
    {
      auto const items = to_items(const_cast<object *>(b));
      return items.size() == count(const_cast<object *>(a))
        && std::all_of(items.begin(), items.end(), [&](object *x) { return contains(const_cast<object *>(a), x); });
    }
    if(is_sequential(a) && is_sequential(b) && (is_lazily_walked(a) || is_lazily_walked(b)))
    {
      /* In step, as ASeq's equiv walks: a seq may be endless, and
       * (not= (range) [0 1 2]) stops where they differ. */
      auto *xs = seq(const_cast<object *>(a));
      auto *ys = seq(const_cast<object *>(b));
      for(; xs->type != tag::nil && ys->type != tag::nil; xs = seq(rest(xs)), ys = seq(rest(ys)))
      {
        if(!equals(first(xs), first(ys)))
        {
          return false;
        }
      }
      return xs->type == tag::nil && ys->type == tag::nil;
    }
    if(is_sequential(a) && is_sequential(b))
    {
      auto xs = to_items(const_cast<object *>(a));
      auto ys = to_items(const_cast<object *>(b));
      if(xs.size() != ys.size())
      {
        return false;
      }
      for(size_t i = 0; i < xs.size(); ++i)
      {
        if(!equals(xs[i], ys[i]))
        {
          return false;
        }
      }
      return true;
    }
    if(a->type == tag::integer && b->type == tag::integer)
    {
      return static_cast<integer_obj const *>(a)->value == static_cast<integer_obj const *>(b)->value;
    }
    if(is_number(a) && is_number(b))
    {
      return numbers_equal(a, b);
    }
    if(a->type == tag::instance)
    {
      /* A deftype's own equals, when it has one (Clojure's = calls a.equals(b)). */
      if(auto *f = interface_fn(const_cast<object *>(a), &record_type_obj::equals_fn))
      {
        object *args[] = { const_cast<object *>(a), const_cast<object *>(b) };
        return truthy(invoke(f, 2, args));
      }
    }
    if(a->type != b->type)
    {
      return false;
    }
    if(a->type == tag::record)
    {
      auto const *x = static_cast<record_obj const *>(a);
      auto const *y = static_cast<record_obj const *>(b);
      return x->type == y->type && equals(x->fields, y->fields);
    }
    switch(a->type)
    {
      case tag::boolean:
        return static_cast<boolean_obj const *>(a)->value
          == static_cast<boolean_obj const *>(b)->value;
      case tag::string:
        return static_cast<string_obj const *>(a)->value
          == static_cast<string_obj const *>(b)->value;
      case tag::character:
        return static_cast<char_obj const *>(a)->codepoint
          == static_cast<char_obj const *>(b)->codepoint;
      case tag::inst:
        return static_cast<inst_obj const *>(a)->ms == static_cast<inst_obj const *>(b)->ms;
      case tag::uuid:
        return static_cast<uuid_obj const *>(a)->msb == static_cast<uuid_obj const *>(b)->msb
          && static_cast<uuid_obj const *>(a)->lsb == static_cast<uuid_obj const *>(b)->lsb;
      case tag::symbol:
        {
          auto const *x = static_cast<symbol_obj const *>(a);
          auto const *y = static_cast<symbol_obj const *>(b);
          return x->ns == y->ns && x->name == y->name;
        }
      case tag::map:
        {
          auto const *x = static_cast<map_obj const *>(a);
          auto const *y = static_cast<map_obj const *>(b);
          if(x->entries.size() != y->entries.size())
          {
            return false;
          }
          bool same = true;
          x->entries.for_each([&](object *k, object *v) {
            auto const *found = same ? y->entries.find(k) : nullptr;
            same = found != nullptr && equals(v, found->second);
          });
          return same;
        }
      case tag::set:
        {
          auto const *x = static_cast<set_obj const *>(a);
          auto const *y = static_cast<set_obj const *>(b);
          if(x->items.size() != y->items.size())
          {
            return false;
          }
          bool same = true;
          try
          {
            x->items.for_each([&](object *k, object *) { same = same && y->items.find(k) != nullptr; });
          }
          catch(runtime_error const &e)
          {
            /* A sorted set that cannot compare the other's elements holds
             * none of them: (= #{:a} (sorted-set 1)) is false, as on the JVM. */
            if(!std::string_view{ e.what() }.starts_with("cannot compare "))
            {
              throw;
            }
            return false;
          }
          return same;
        }
      default:
        return false;
    }
  }



  bool is_seqable(object const *o)
  {
    switch(o->type)
    {
      case tag::nil:
      case tag::list:
      case tag::vector:
      case tag::vector_seq:
      case tag::long_range:
      case tag::map:
      case tag::set:
      case tag::string:
      case tag::lazy_seq:
      case tag::cons:
      case tag::record:
      case tag::queue:
        return true;
      case tag::instance:
        return interface_fn(const_cast<object *>(o), &record_type_obj::seq_fn) != nullptr
          || type_method_of(const_cast<object *>(o), "first") != nullptr
          || type_method_of(const_cast<object *>(o), "iterator") != nullptr;
      default:
        return false;
    }
  }

  namespace
  {
    /* One step of a deftype that implements ISeq: its first, and its more
     * (a seq of the rest, often another of its own) as the rest, which seq
     * steps through the same way when it is reached. */
    object *iseq_step(object *s, object *first_fn)
    {
      object *more = nullptr;
      if(auto *f = type_method_of(s, "more"))
      {
        more = call_method(f, { s });
      }
      else if(auto *f = type_method_of(s, "next"))
      {
        more = call_method(f, { s });
      }
      else
      {
        more = nil();
      }
      return new cons_obj{ call_method(first_fn, { s }), more };
    }

    /* seq of a deftype or reify: ISeq's own steps, Seqable's seq (which
     * for an ISeq is often the object itself), or Iterable's iterator. */
    object *instance_seq(object *coll)
    {
      if(auto *f = interface_fn(coll, &record_type_obj::seq_fn))
      {
        auto *s = invoke(f, 1, &coll);
        if(s->type == tag::instance)
        {
          if(auto *first_fn = type_method_of(s, "first"))
          {
            return iseq_step(s, first_fn);
          }
          if(s == coll)
          {
            fail("seq of " + class_name_of(coll) + " returned the object itself, which is not an ISeq");
          }
        }
        return seq(s);
      }
      if(auto *first_fn = type_method_of(coll, "first"))
      {
        return iseq_step(coll, first_fn);
      }
      if(auto *f = type_method_of(coll, "iterator"))
      {
        return seq(call_method(deref(intern_var("clojure.core", "iterator-seq")), { call_method(f, { coll }) }));
      }
      fail("Don't know how to create ISeq from: " + class_name_of(coll));
    }
  }

  std::vector<object *> to_items(object *coll)
  {
    std::vector<object *> out;
    switch(coll->type)
    {
      case tag::nil:
        break;
      case tag::array:
        out = static_cast<array_obj *>(coll)->items;
        break;
      case tag::list:
        for(auto const *l = static_cast<list_obj const *>(coll); l->count > 0; l = l->rest)
        {
          out.push_back(l->first);
        }
        break;
      case tag::vector:
        {
          auto const *v = static_cast<vector_obj const *>(coll);
          out = v->items.items();
          break;
        }
      case tag::long_range:
        {
          auto const *r = static_cast<long_range_obj const *>(coll);
          out.reserve(static_cast<size_t>(r->count));
          for(int64_t i = 0; i < r->count; ++i)
          {
            out.push_back(integer(r->at(i)));
          }
          break;
        }
      case tag::vector_seq:
        {
          auto const *s = static_cast<vector_seq_obj const *>(coll);
          out = s->vec->items.items();
          out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(s->offset));
          break;
        }
      case tag::map:
        out.reserve(static_cast<map_obj const *>(coll)->entries.size());
        static_cast<map_obj const *>(coll)->entries.for_each([&](object *k, object *v) { out.push_back(map_entry(k, v)); });
        break;
      case tag::set:
        out = static_cast<set_obj const *>(coll)->members();
        break;
      case tag::string:
        {
          auto const &s = static_cast<string_obj const *>(coll)->value;
          for(size_t i = 0; i < s.size();)
          {
            auto const c = static_cast<unsigned char>(s[i]);
            int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            int32_t cp = len == 1 ? c : c & (0x3F >> (len - 1));
            for(int k = 1; k < len && i + static_cast<size_t>(k) < s.size(); ++k)
            {
              cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<size_t>(k)]) & 0x3F);
            }
            out.push_back(character(cp));
            i += static_cast<size_t>(len);
          }
          break;
        }
      case tag::record:
        return to_items(static_cast<record_obj *>(coll)->fields);
      case tag::queue:
        {
          auto *q = static_cast<queue_obj *>(coll);
          out = to_items(q->front);
          auto rear = to_items(q->rear);
          out.insert(out.end(), rear.begin(), rear.end());
          break;
        }
      case tag::lazy_seq:
      case tag::cons:
        for(auto *s = seq(coll); s->type != tag::nil; s = seq(rest(s)))
        {
          out.push_back(first(s));
        }
        break;
      case tag::instance:
        for(auto *s = instance_seq(coll); s->type != tag::nil; s = seq(rest(s)))
        {
          out.push_back(first(s));
        }
        break;
      default:
        fail("Don't know how to create ISeq from: " + class_name_of(coll));
    }
    return out;
  }

  object *seq(object *coll)
  {
    switch(coll->type)
    {
      case tag::nil:
        return nil();
      case tag::list:
        return static_cast<list_obj *>(coll)->count == 0 ? nil() : coll;
      case tag::vector_seq:
      case tag::long_range:
      case tag::cons:
        return coll;
      case tag::lazy_seq:
        return realize(static_cast<lazy_seq_obj *>(coll));
      case tag::vector:
        {
          auto *v = static_cast<vector_obj *>(coll);
          return v->count == 0 ? nil() : new vector_seq_obj{ v, 0 };
        }
      case tag::queue:
        {
          /* Head first, the rest a popped queue: each step is constant time. */
          auto *q = static_cast<queue_obj *>(coll);
          return q->count == 0 ? nil() : new cons_obj{ queue_peek(q), queue_pop(q) };
        }
      default:
        {
          if(coll->type == tag::instance)
          {
            return instance_seq(coll);
          }
          if((coll->type == tag::map || coll->type == tag::set) && count(coll) > entry_table::max_array_entries)
          {
            return table_seq(coll);
          }
          auto items = to_items(coll);
          return items.empty() ? nil() : list_from(items);
        }
    }
  }

  object *first(object *coll)
  {
    if(coll->type == tag::string)
    {
      /* Without seq's list of every character. */
      auto *c = string_char_at(static_cast<string_obj *>(coll), 0);
      return c == nullptr ? nil() : c;
    }
    auto *s = seq(coll);
    switch(s->type)
    {
      case tag::nil:
        return nil();
      case tag::list:
        return static_cast<list_obj *>(s)->first;
      case tag::vector_seq:
        {
          auto *vs = static_cast<vector_seq_obj *>(s);
          return vs->vec->at(vs->offset);
        }
      case tag::long_range:
        return integer(static_cast<long_range_obj *>(s)->start);
      case tag::cons:
        return static_cast<cons_obj *>(s)->first;
      default:
        return nil();
    }
  }

  object *rest(object *coll)
  {
    /* A deftype's ISeq: its more, itself, as RT.more gives it (a finger
     * tree's rest is another tree, not the seq of one). */
    if(coll->type == tag::instance)
    {
      if(auto *more = type_method_of(coll, "more"))
      {
        return call_method(more, { coll });
      }
    }
    auto *s = seq(coll);
    switch(s->type)
    {
      case tag::list:
        return const_cast<list_obj *>(static_cast<list_obj *>(s)->rest);
      case tag::vector_seq:
        {
          auto *vs = static_cast<vector_seq_obj *>(s);
          if(vs->offset + 1 >= vs->vec->count)
          {
            return const_cast<list_obj *>(empty_list());
          }
          return new vector_seq_obj{ vs->vec, vs->offset + 1 };
        }
      case tag::long_range:
        {
          auto *r = static_cast<long_range_obj *>(s);
          if(r->count == 1)
          {
            return const_cast<list_obj *>(empty_list());
          }
          return new long_range_obj{ r->start + r->step, r->step, r->count - 1 };
        }
      case tag::cons:
        {
          // A lazy rest stays unrealized; any other rest is a seq, as in Clojure.
          auto *r = static_cast<cons_obj *>(s)->rest;
          if(r->type == tag::lazy_seq)
          {
            return r;
          }
          auto *rs = seq(r);
          return rs->type == tag::nil ? const_cast<list_obj *>(empty_list()) : rs;
        }
      default:
        return const_cast<list_obj *>(empty_list());
    }
  }

  /* What a transient holds now; reading a finished one is an error. */
  object *transient_value(object *t)
  {
    auto *coll = static_cast<transient_obj *>(t)->coll;
    if(static_cast<transient_obj *>(t)->ended)
    {
      fail("Transient used after persistent! call");
    }
    return coll;
  }

  size_t count(object *coll)
  {
    switch(coll->type)
    {
      case tag::nil:
        return 0;
      case tag::list:
        return static_cast<list_obj *>(coll)->count;
      case tag::vector:
        return static_cast<vector_obj *>(coll)->count;
      case tag::vector_seq:
        {
          auto *vs = static_cast<vector_seq_obj *>(coll);
          return vs->vec->count - vs->offset;
        }
      case tag::long_range:
        return static_cast<size_t>(static_cast<long_range_obj *>(coll)->count);
      case tag::map:
        return static_cast<map_obj *>(coll)->entries.size();
      case tag::set:
        return static_cast<set_obj *>(coll)->items.size();
      case tag::string:
        return string_length(static_cast<string_obj *>(coll));
      case tag::lazy_seq:
      case tag::cons:
        return to_items(coll).size();
      case tag::record:
        return count(static_cast<record_obj *>(coll)->fields);
      case tag::transient:
        return count(transient_value(coll));
      case tag::array:
        return static_cast<array_obj *>(coll)->items.size();
      case tag::queue:
        return static_cast<queue_obj *>(coll)->count;
      default:
        if(auto *f = interface_fn(coll, &record_type_obj::count_fn))
        {
          auto *n = invoke(f, 1, &coll);
          if(n->type == tag::integer && static_cast<integer_obj *>(n)->value >= 0)
          {
            return static_cast<size_t>(static_cast<integer_obj *>(n)->value);
          }
          /* IPersistentCollection's (count [_]) left empty, as types that
           * are not Counted write it: the JVM never calls it, and counts
           * their seq. */
          if(n->type == tag::nil && coll->type == tag::instance && is_seqable(coll))
          {
            return to_items(coll).size();
          }
          fail(std::string{ "count of " } + type_name(coll) + " returned " + pr_str(n) + ", not a count");
        }
        if(coll->type == tag::instance && is_seqable(coll))
        {
          /* A deftype's ISeq or Iterable without Counted: counted by walking
           * it, as RT.count counts a seq. */
          return to_items(coll).size();
        }
        {
          /* The JVM's words, with the class's simple name. */
          auto const name = class_name_of(coll);
          fail("count not supported on this type: " + name.substr(name.find_last_of('.') + 1));
        }
    }
  }

  object *get(object *coll, object *key, object *not_found)
  {
    switch(coll->type)
    {
      case tag::transient:
        return get(transient_value(coll), key, not_found);
      case tag::record:
        return get(static_cast<record_obj *>(coll)->fields, key, not_found);
      case tag::map:
        {
          auto const *found = static_cast<map_obj *>(coll)->entries.find(key);
          return found == nullptr ? not_found : found->second;
        }
      case tag::set:
        {
          auto const *found = static_cast<set_obj *>(coll)->items.find(key);
          return found == nullptr ? not_found : found->first;
        }
      case tag::vector:
        {
          auto *v = static_cast<vector_obj *>(coll);
          /* Any integer, a BigInt too, as Util.isInteger has it. */
          if(key->type == tag::big_integer)
          {
            auto const &big = static_cast<big_integer_obj *>(key)->value;
            return big >= 0 && big < static_cast<int64_t>(v->count) ? v->at(static_cast<size_t>(big)) : not_found;
          }
          if(key->type != tag::integer)
          {
            return not_found;
          }
          auto const i = static_cast<integer_obj *>(key)->value;
          return i >= 0 && static_cast<size_t>(i) < v->count ? v->at(static_cast<size_t>(i))
                                                             : not_found;
        }
      case tag::array:
        {
          auto const &items = static_cast<array_obj *>(coll)->items;
          if(key->type != tag::integer)
          {
            return not_found;
          }
          auto const i = static_cast<integer_obj *>(key)->value;
          return i >= 0 && static_cast<size_t>(i) < items.size() ? items[static_cast<size_t>(i)] : not_found;
        }
      case tag::string:
        {
          /* (get "abc" 1) is \b: strings are indexed by character. */
          if(key->type != tag::integer)
          {
            return not_found;
          }
          auto *c = string_char_at(static_cast<string_obj *>(coll), static_cast<integer_obj *>(key)->value);
          return c == nullptr ? not_found : c;
        }
      case tag::instance:
        if(auto *f = interface_fn(coll, &record_type_obj::lookup_fn))
        {
          /* As Clojure's RT.get: (get x k) is valAt's [this k], (get x k
           * nf) its [this k nf]; a type with only one of them gets that one. */
          object *args[] = { coll, key, not_found };
          auto const *fn = f->type == tag::fn ? static_cast<fn_obj const *>(f) : nullptr;
          auto const has = [fn](int n) {
            return fn != nullptr
              && (fn->native != nullptr || fn->closure != nullptr || fn->fixed[n] != nullptr
                  || (fn->variadic != nullptr && fn->variadic_required <= n));
          };
          bool const wants_default = not_found != nil();
          if((wants_default && has(3)) || !has(2))
          {
            return invoke(f, 3, args);
          }
          auto *found = invoke(f, 2, args);
          return wants_default && found->type == tag::nil ? not_found : found;
        }
        return not_found;
      default:
        return not_found;
    }
  }

  object *call_method(object *f, std::initializer_list<object *> args)
  {
    std::vector<object *> argv(args);
    return invoke(f, static_cast<int>(argv.size()), argv.data());
  }

  bool contains(object *coll, object *key)
  {
    if(auto *f = type_method_of(coll, "containsKey"))
    {
      return truthy(call_method(f, { coll, key }));
    }
    static object sentinel{ tag::nil };
    return get(coll, key, &sentinel) != &sentinel;
  }

  /* A record's fields in order at any size, its basis fields first, as
   * Clojure prints and seqs a record: past eight entries a plain map is a
   * hash map, so a new key then rebuilds the fields in order. */
  static object *record_fields_assoc(object *fields, object *key, object *value)
  {
    if(count(fields) < entry_table::max_array_entries || contains(fields, key))
    {
      return assoc(fields, key, value);
    }
    std::vector<object *> kvs;
    for(auto *e : to_items(fields))
    {
      auto kv = to_items(e);
      kvs.push_back(kv.at(0));
      kvs.push_back(kv.at(1));
    }
    kvs.push_back(key);
    kvs.push_back(value);
    return array_map_from(kvs);
  }

  static object *assoc_plain(object *coll, object *key, object *value)
  {
    switch(coll->type)
    {
      case tag::record:
        {
          auto *r = static_cast<record_obj *>(coll);
          return new record_obj{ r->type, record_fields_assoc(r->fields, key, value) };
        }
      case tag::nil:
        return map_from({ key, value });
      case tag::map:
        {
          return new map_obj{ static_cast<map_obj *>(coll)->entries.assoc(key, value) };
        }
      case tag::vector:
        {
          auto *v = static_cast<vector_obj *>(coll);
          if(key->type != tag::integer)
          {
            fail("vector assoc needs an integer index, got " + std::string{ type_name(key) });
          }
          auto const i = static_cast<integer_obj *>(key)->value;
          if(i < 0 || static_cast<size_t>(i) > v->count)
          {
            fail("index " + std::to_string(i) + " out of bounds for a vector of "
                 + std::to_string(v->count));
          }
          return new vector_obj{ v->items.assoc(static_cast<size_t>(i), value) };
        }
      default:
        if(auto *f = type_method_of(coll, "assoc"))
        {
          return call_method(f, { coll, key, value });
        }
        fail(std::string{ "assoc not supported on " } + type_name(coll));
    }
  }

  static object *dissoc_plain(object *coll, object *key)
  {
    if(coll->type == tag::nil)
    {
      return coll;
    }
    if(coll->type == tag::record)
    {
      // Without one of its basis fields a record is a plain map, as in Clojure.
      auto *r = static_cast<record_obj *>(coll);
      auto *fields = dissoc(r->fields, key);
      for(auto *field : r->type->fields)
      {
        if(equals(field, key))
        {
          /* (into {} record) as Clojure makes it: a hash map past eight. */
          std::vector<object *> kvs;
          for(auto *e : to_items(fields))
          {
            auto kv = to_items(e);
            kvs.push_back(kv.at(0));
            kvs.push_back(kv.at(1));
          }
          return map_from(kvs);
        }
      }
      return new record_obj{ r->type, fields };
    }
    if(auto *f = type_method_of(coll, "without"))
    {
      return call_method(f, { coll, key });
    }
    auto const *m = as<map_obj>(coll, tag::map, "a map");
    if(m->entries.find(key) == nullptr)
    {
      return coll;
    }
    return new map_obj{ m->entries.dissoc(key) };
  }

  static object *conj_plain(object *coll, object *x)
  {
    switch(coll->type)
    {
      case tag::record:
        {
          auto *r = static_cast<record_obj *>(coll);
          auto *fields = r->fields;
          for(auto *e : x->type == tag::map || x->type == tag::record ? to_items(x) : std::vector<object *>{ x })
          {
            auto kv = to_items(e);
            if(kv.size() != 2)
            {
              fail("Vector arg to map conj must be a pair");
            }
            fields = record_fields_assoc(fields, kv[0], kv[1]);
          }
          return new record_obj{ r->type, fields };
        }
      case tag::nil:
        return list_from({ x });
      case tag::list:
        {
          auto *l = static_cast<list_obj *>(coll);
          return new list_obj{ x, l, l->count + 1 };
        }
      /* Any other seq takes x at its head, as a Cons (Clojure's ASeq.cons). */
      case tag::vector_seq:
      case tag::long_range:
      case tag::lazy_seq:
      case tag::cons:
        return new cons_obj{ x, coll };
      case tag::vector:
        {
          return new vector_obj{ static_cast<vector_obj *>(coll)->items.conj(x) };
        }
      case tag::queue:
        return queue_conj(static_cast<queue_obj *>(coll), x);
      case tag::set:
        {
          auto *s = static_cast<set_obj *>(coll);
          if(s->items.find(x) != nullptr)
          {
            return coll;
          }
          return new set_obj{ s->items.assoc(x, x) };
        }
      case tag::map:
        {
          if(x->type == tag::nil)
          {
            return coll; /* (conj {} nil) is {}, as APersistentMap.cons has it */
          }
          if(x->type == tag::vector && static_cast<vector_obj *>(x)->count == 2)
          {
            auto *entry = static_cast<vector_obj *>(x);
            return assoc(coll, entry->at(0), entry->at(1));
          }
          if(x->type == tag::map)
          {
            object *out = coll;
            static_cast<map_obj *>(x)->entries.for_each([&](object *k, object *v) { out = assoc(out, k, v); });
            return out;
          }
          /* Clojure's messages for each wrong thing conj'd onto a map. */
          if(x->type == tag::vector)
          {
            fail("Vector arg to map conj must be a pair");
          }
          fail("Don't know how to create ISeq from: " + class_name_of(x));
        }
      default:
        if(auto *f = type_method_of(coll, "cons"))
        {
          return call_method(f, { coll, x });
        }
        fail(std::string{ "conj not supported on " } + type_name(coll));
    }
  }

  object *assoc(object *coll, object *key, object *value)
  {
    return carry_meta(coll, assoc_plain(coll, key, value));
  }

  object *dissoc(object *coll, object *key)
  {
    return carry_meta(coll, dissoc_plain(coll, key));
  }

  object *conj(object *coll, object *x)
  {
    return carry_meta(coll, conj_plain(coll, x));
  }
}
