#include "object.hpp"

#include "gc.hpp"

#include <cmath>
#include <cstring>
#include <map>

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

    bool is_sequential(object const *o)
    {
      return o->type == tag::list || o->type == tag::vector || o->type == tag::vector_seq
        || o->type == tag::lazy_seq || o->type == tag::cons;
    }

    uint64_t mix(uint64_t h, uint64_t v)
    {
      return (h ^ v) * 0x100000001b3ULL + (h << 6) + (h >> 2);
    }

    uint64_t hash_string(std::string const &s)
    {
      uint64_t h = 0xcbf29ce484222325ULL;
      for(unsigned char c : s)
      {
        h = (h ^ c) * 0x100000001b3ULL;
      }
      return h;
    }

    /* Index of key in a map, or -1. Linear: the reference runtime favours
     * simplicity; maps in patches are small. */
    long map_index(map_obj const *m, object const *key)
    {
      for(size_t i = 0; i < m->entries.size(); ++i)
      {
        if(equals(m->entries[i].first, key))
        {
          return static_cast<long>(i);
        }
      }
      return -1;
    }

    long set_index(set_obj const *s, object const *key)
    {
      for(size_t i = 0; i < s->items.size(); ++i)
      {
        if(equals(s->items[i], key))
        {
          return static_cast<long>(i);
        }
      }
      return -1;
    }
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

  object *string(std::string v)
  {
    return new string_obj{ std::move(v) };
  }

  object *character(int32_t cp)
  {
    return new char_obj{ cp };
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
    auto const n = items.size();
    return new vector_obj{ std::make_shared<std::vector<object *>>(std::move(items)), n };
  }

  object *map_from(std::vector<object *> const &kvs)
  {
    if(kvs.size() % 2 != 0)
    {
      fail("a map needs an even number of forms, got " + std::to_string(kvs.size()));
    }
    object *m = new map_obj{};
    for(size_t i = 0; i < kvs.size(); i += 2)
    {
      m = assoc(m, kvs[i], kvs[i + 1]);
    }
    return m;
  }

  object *set_from(std::vector<object *> const &items)
  {
    auto *s = new set_obj{};
    for(auto *item : items)
    {
      if(set_index(s, item) < 0)
      {
        s->items.push_back(item);
      }
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
        return "double";
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
        return static_cast<cell_obj const *>(o)->is_atom ? "atom" : "volatile";
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
    }
    return "unknown";
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
      case tag::integer:
        return static_cast<integer_obj const *>(a)->value
          == static_cast<integer_obj const *>(b)->value;
      case tag::real:
        return static_cast<real_obj const *>(a)->value == static_cast<real_obj const *>(b)->value;
      case tag::string:
        return static_cast<string_obj const *>(a)->value
          == static_cast<string_obj const *>(b)->value;
      case tag::character:
        return static_cast<char_obj const *>(a)->codepoint
          == static_cast<char_obj const *>(b)->codepoint;
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
          for(auto const &[k, v] : x->entries)
          {
            auto const i = map_index(y, k);
            if(i < 0 || !equals(v, y->entries[static_cast<size_t>(i)].second))
            {
              return false;
            }
          }
          return true;
        }
      case tag::set:
        {
          auto const *x = static_cast<set_obj const *>(a);
          auto const *y = static_cast<set_obj const *>(b);
          if(x->items.size() != y->items.size())
          {
            return false;
          }
          for(auto *item : x->items)
          {
            if(set_index(y, item) < 0)
            {
              return false;
            }
          }
          return true;
        }
      default:
        return false;
    }
  }

  uint64_t hash(object const *o)
  {
    if(o->type == tag::record)
    {
      auto const *r = static_cast<record_obj const *>(o);
      return mix(hash_string(r->type->name), hash(r->fields));
    }
    switch(o->type)
    {
      case tag::nil:
        return 0;
      case tag::boolean:
        return static_cast<boolean_obj const *>(o)->value ? 1231 : 1237;
      case tag::integer:
        return static_cast<uint64_t>(static_cast<integer_obj const *>(o)->value);
      case tag::real:
        {
          double const d = static_cast<real_obj const *>(o)->value;
          uint64_t bits{};
          std::memcpy(&bits, &d, sizeof bits);
          return bits;
        }
      case tag::string:
        return hash_string(static_cast<string_obj const *>(o)->value);
      case tag::character:
        return static_cast<uint64_t>(static_cast<char_obj const *>(o)->codepoint) * 31;
      case tag::symbol:
        {
          auto const *s = static_cast<symbol_obj const *>(o);
          return mix(hash_string(s->ns), hash_string(s->name));
        }
      case tag::list:
      case tag::vector:
      case tag::vector_seq:
      case tag::lazy_seq:
      case tag::cons:
        {
          uint64_t h = 1;
          for(auto *item : to_items(const_cast<object *>(o)))
          {
            h = mix(h, hash(item));
          }
          return h;
        }
      case tag::map:
        {
          uint64_t h = 0;
          for(auto const &[k, v] : static_cast<map_obj const *>(o)->entries)
          {
            h += mix(hash(k), hash(v));
          }
          return h;
        }
      case tag::set:
        {
          uint64_t h = 0;
          for(auto *item : static_cast<set_obj const *>(o)->items)
          {
            h += hash(item);
          }
          return h;
        }
      default:
        return reinterpret_cast<uintptr_t>(o);
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
      case tag::map:
      case tag::set:
      case tag::string:
      case tag::lazy_seq:
      case tag::cons:
      case tag::record:
        return true;
      default:
        return false;
    }
  }

  std::vector<object *> to_items(object *coll)
  {
    std::vector<object *> out;
    switch(coll->type)
    {
      case tag::nil:
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
          out.assign(v->data->begin(), v->data->begin() + static_cast<long>(v->count));
          break;
        }
      case tag::vector_seq:
        {
          auto const *s = static_cast<vector_seq_obj const *>(coll);
          out.assign(s->vec->data->begin() + static_cast<long>(s->offset),
                     s->vec->data->begin() + static_cast<long>(s->vec->count));
          break;
        }
      case tag::map:
        for(auto const &[k, v] : static_cast<map_obj const *>(coll)->entries)
        {
          out.push_back(vector_from({ k, v }));
        }
        break;
      case tag::set:
        out = static_cast<set_obj const *>(coll)->items;
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
      case tag::lazy_seq:
      case tag::cons:
        for(auto *s = seq(coll); s->type != tag::nil; s = seq(rest(s)))
        {
          out.push_back(first(s));
        }
        break;
      default:
        fail(std::string{ "don't know how to create a seq from a " } + type_name(coll));
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
      case tag::cons:
        return coll;
      case tag::lazy_seq:
        return realize(static_cast<lazy_seq_obj *>(coll));
      case tag::vector:
        {
          auto *v = static_cast<vector_obj *>(coll);
          return v->count == 0 ? nil() : new vector_seq_obj{ v, 0 };
        }
      default:
        {
          auto items = to_items(coll);
          return items.empty() ? nil() : list_from(items);
        }
    }
  }

  object *first(object *coll)
  {
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
      case tag::cons:
        return static_cast<cons_obj *>(s)->first;
      default:
        return nil();
    }
  }

  object *rest(object *coll)
  {
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
      case tag::map:
        return static_cast<map_obj *>(coll)->entries.size();
      case tag::set:
        return static_cast<set_obj *>(coll)->items.size();
      case tag::string:
      case tag::lazy_seq:
      case tag::cons:
        return to_items(coll).size();
      case tag::record:
        return count(static_cast<record_obj *>(coll)->fields);
      default:
        fail(std::string{ "count not supported on " } + type_name(coll));
    }
  }

  object *get(object *coll, object *key, object *not_found)
  {
    switch(coll->type)
    {
      case tag::record:
        return get(static_cast<record_obj *>(coll)->fields, key, not_found);
      case tag::map:
        {
          auto *m = static_cast<map_obj *>(coll);
          auto const i = map_index(m, key);
          return i < 0 ? not_found : m->entries[static_cast<size_t>(i)].second;
        }
      case tag::set:
        {
          auto *s = static_cast<set_obj *>(coll);
          auto const i = set_index(s, key);
          return i < 0 ? not_found : s->items[static_cast<size_t>(i)];
        }
      case tag::vector:
        {
          auto *v = static_cast<vector_obj *>(coll);
          if(key->type != tag::integer)
          {
            return not_found;
          }
          auto const i = static_cast<integer_obj *>(key)->value;
          return i >= 0 && static_cast<size_t>(i) < v->count ? v->at(static_cast<size_t>(i))
                                                             : not_found;
        }
      default:
        return not_found;
    }
  }

  bool contains(object *coll, object *key)
  {
    static object sentinel{ tag::nil };
    return get(coll, key, &sentinel) != &sentinel;
  }

  object *assoc(object *coll, object *key, object *value)
  {
    switch(coll->type)
    {
      case tag::record:
        {
          auto *r = static_cast<record_obj *>(coll);
          return new record_obj{ r->type, assoc(r->fields, key, value) };
        }
      case tag::nil:
        return map_from({ key, value });
      case tag::map:
        {
          auto *m = new map_obj{ *static_cast<map_obj *>(coll) };
          auto const i = map_index(m, key);
          if(i < 0)
          {
            m->entries.emplace_back(key, value);
          }
          else
          {
            m->entries[static_cast<size_t>(i)].second = value;
          }
          return m;
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
          if(static_cast<size_t>(i) == v->count)
          {
            return conj(coll, value);
          }
          std::vector<object *> items(v->data->begin(),
                                      v->data->begin() + static_cast<long>(v->count));
          items[static_cast<size_t>(i)] = value;
          return vector_from(std::move(items));
        }
      default:
        fail(std::string{ "assoc not supported on " } + type_name(coll));
    }
  }

  object *dissoc(object *coll, object *key)
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
          return fields;
        }
      }
      return new record_obj{ r->type, fields };
    }
    auto *m = new map_obj{ *as<map_obj>(coll, tag::map, "a map") };
    auto const i = map_index(m, key);
    if(i >= 0)
    {
      m->entries.erase(m->entries.begin() + i);
    }
    return m;
  }

  object *conj(object *coll, object *x)
  {
    switch(coll->type)
    {
      case tag::record:
        {
          auto *r = static_cast<record_obj *>(coll);
          return new record_obj{ r->type, conj(r->fields, x) };
        }
      case tag::nil:
        return list_from({ x });
      case tag::list:
        {
          auto *l = static_cast<list_obj *>(coll);
          return new list_obj{ x, l, l->count + 1 };
        }
      case tag::vector_seq:
        {
          auto const *l = static_cast<list_obj const *>(list_from(to_items(coll)));
          return new list_obj{ x, l, l->count + 1 };
        }
      case tag::vector:
        {
          auto *v = static_cast<vector_obj *>(coll);
          if(v->data->size() == v->count)
          {
            v->data->push_back(x);
            return new vector_obj{ v->data, v->count + 1 };
          }
          std::vector<object *> items(v->data->begin(),
                                      v->data->begin() + static_cast<long>(v->count));
          items.push_back(x);
          return vector_from(std::move(items));
        }
      case tag::set:
        {
          auto *s = static_cast<set_obj *>(coll);
          if(set_index(s, x) >= 0)
          {
            return coll;
          }
          auto *copy = new set_obj{ *s };
          copy->items.push_back(x);
          return copy;
        }
      case tag::map:
        {
          if(x->type == tag::vector && static_cast<vector_obj *>(x)->count == 2)
          {
            auto *entry = static_cast<vector_obj *>(x);
            return assoc(coll, entry->at(0), entry->at(1));
          }
          if(x->type == tag::map)
          {
            object *out = coll;
            for(auto const &[k, v] : static_cast<map_obj *>(x)->entries)
            {
              out = assoc(out, k, v);
            }
            return out;
          }
          fail("conj on a map takes a [key value] vector or a map, got "
               + std::string{ type_name(x) });
        }
      default:
        fail(std::string{ "conj not supported on " } + type_name(coll));
    }
  }
}
