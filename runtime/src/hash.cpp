// Clojure's hasheq, bit for bit (clojure.lang.Murmur3 and Numbers.hasheq), so
// that `hash` gives the JVM's numbers and hash maps and sets iterate, and so
// print, in the JVM's order.
#include "hash.hpp"
#include "namespaces.hpp"
#include "native.hpp"
#include "numbers.hpp"
#include "object.hpp"
#include "inst.hpp"
#include "uuid.hpp"

#include <cstring>
#include <limits>

namespace jhr
{
  namespace
  {
    constexpr uint32_t c1 = 0xcc9e2d51;
    constexpr uint32_t c2 = 0x1b873593;

    /* Float.hashCode: the float's bits. */
    uint32_t float_bits(double d)
    {
      auto const f = static_cast<float>(d);
      uint32_t bits{};
      std::memcpy(&bits, &f, sizeof bits);
      return bits;
    }

    uint32_t rotl(uint32_t x, int r)
    {
      return (x << r) | (x >> (32 - r));
    }

    uint32_t mix_k1(uint32_t k1)
    {
      return rotl(k1 * c1, 15) * c2;
    }

    uint32_t mix_h1(uint32_t h1, uint32_t k1)
    {
      return rotl(h1 ^ k1, 13) * 5 + 0xe6546b64;
    }

    uint32_t fmix(uint32_t h1, uint32_t length)
    {
      h1 ^= length;
      h1 ^= h1 >> 16;
      h1 *= 0x85ebca6b;
      h1 ^= h1 >> 13;
      h1 *= 0xc2b2ae35;
      h1 ^= h1 >> 16;
      return h1;
    }

    uint32_t hash_int(uint32_t input)
    {
      return input == 0 ? 0 : fmix(mix_h1(0, mix_k1(input)), 4);
    }

    uint32_t hash_long(int64_t input)
    {
      if(input == 0)
      {
        return 0;
      }
      auto const bits = static_cast<uint64_t>(input);
      auto h1 = mix_h1(0, mix_k1(static_cast<uint32_t>(bits)));
      h1 = mix_h1(h1, mix_k1(static_cast<uint32_t>(bits >> 32)));
      return fmix(h1, 8);
    }

    uint32_t mix_coll_hash(uint32_t hash, uint32_t count)
    {
      return fmix(mix_h1(0, mix_k1(hash)), count);
    }

    /* The UTF-16 code units Java sees in a UTF-8 string. */
    std::u16string utf16(std::string const &s)
    {
      std::u16string out;
      for(size_t i = 0; i < s.size();)
      {
        auto const c = static_cast<unsigned char>(s[i]);
        uint32_t cp = c;
        size_t len = 1;
        if(c >= 0xf0)
        {
          cp = c & 0x07;
          len = 4;
        }
        else if(c >= 0xe0)
        {
          cp = c & 0x0f;
          len = 3;
        }
        else if(c >= 0xc0)
        {
          cp = c & 0x1f;
          len = 2;
        }
        for(size_t k = 1; k < len && i + k < s.size(); ++k)
        {
          cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
        }
        i += len;
        if(cp >= 0x10000)
        {
          cp -= 0x10000;
          out.push_back(static_cast<char16_t>(0xd800 + (cp >> 10)));
          out.push_back(static_cast<char16_t>(0xdc00 + (cp & 0x3ff)));
        }
        else
        {
          out.push_back(static_cast<char16_t>(cp));
        }
      }
      return out;
    }

    /* java.lang.String.hashCode */
    uint32_t java_string_hash(std::string const &s)
    {
      uint32_t h = 0;
      for(auto unit : utf16(s))
      {
        h = 31 * h + unit;
      }
      return h;
    }

    /* Murmur3.hashUnencodedChars, as Symbol.hasheq uses it. */
    uint32_t hash_unencoded_chars(std::string const &s)
    {
      auto const units = utf16(s);
      uint32_t h1 = 0;
      size_t i = 1;
      for(; i < units.size(); i += 2)
      {
        h1 = mix_h1(h1, mix_k1(static_cast<uint32_t>(units[i - 1]) | (static_cast<uint32_t>(units[i]) << 16)));
      }
      if((units.size() & 1) == 1)
      {
        h1 ^= mix_k1(units.back());
      }
      return fmix(h1, static_cast<uint32_t>(2 * units.size()));
    }

    /* Util.hashCombine, with Java's arithmetic shift on ints. */
    uint32_t hash_combine(uint32_t seed, uint32_t hash)
    {
      auto const arith = static_cast<uint32_t>(static_cast<int32_t>(seed) >> 2);
      return seed ^ (hash + 0x9e3779b9 + (seed << 6) + arith);
    }

    uint32_t symbol_hash(std::string const &ns, std::string const &name)
    {
      return hash_combine(hash_unencoded_chars(name), ns.empty() ? 0 : java_string_hash(ns));
    }

    /* Symbol.hashCode, which hashes its name as a Java string. */
    uint32_t symbol_java_hash(std::string const &ns, std::string const &name)
    {
      return hash_combine(java_string_hash(name), ns.empty() ? 0 : java_string_hash(ns));
    }

    uint32_t hasheq(object const *o);

    uint32_t hash_ordered(std::vector<object *> const &items)
    {
      uint32_t h = 1;
      for(auto *item : items)
      {
        h = 31 * h + hasheq(item);
      }
      return mix_coll_hash(h, static_cast<uint32_t>(items.size()));
    }

    uint32_t hasheq(object const *o)
    {
      switch(o->type)
      {
        case tag::nil:
          return 0;
        case tag::boolean:
          return static_cast<boolean_obj const *>(o)->value ? 1231 : 1237;
        case tag::integer:
          return hash_long(static_cast<integer_obj const *>(o)->value);
        case tag::real:
          {
            double const d = static_cast<real_obj const *>(o)->value;
            if(d == 0.0)
            {
              return 0; /* -0.0 and 0.0 are =, so they hash alike */
            }
            if(static_cast<real_obj const *>(o)->single)
            {
              return float_bits(d);
            }
            uint64_t bits{};
            std::memcpy(&bits, &d, sizeof bits);
            return static_cast<uint32_t>(bits ^ (bits >> 32));
          }
        case tag::big_integer:
          {
            /* BigInt.hasheq: a long's hash while it fits in one. */
            auto const &v = static_cast<big_integer_obj const *>(o)->value;
            return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max()
              ? hash_long(static_cast<int64_t>(v))
              : big_integer_hash(v);
          }
        case tag::big_decimal:
          return big_decimal_hash(static_cast<big_decimal_obj const *>(o));
        case tag::ratio:
          {
            /* Ratio.hashCode: its BigIntegers' hash codes, xored. */
            auto const *r = static_cast<ratio_obj const *>(o);
            return big_integer_hash(r->numerator) ^ big_integer_hash(r->denominator);
          }
        case tag::string:
          return hash_int(java_string_hash(static_cast<string_obj const *>(o)->value));
        case tag::character:
          return static_cast<uint32_t>(static_cast<char_obj const *>(o)->codepoint);
        case tag::uuid:
          return uuid_hash(static_cast<uuid_obj const *>(o));
        case tag::inst:
          return inst_hash(static_cast<inst_obj const *>(o));
        case tag::symbol:
          {
            auto const *s = static_cast<symbol_obj const *>(o);
            return symbol_hash(s->ns, s->name);
          }
        case tag::keyword:
          {
            auto const *k = static_cast<keyword_obj const *>(o);
            return symbol_hash(k->ns, k->name) + 0x9e3779b9;
          }
        case tag::list:
        case tag::vector:
        case tag::vector_seq:
        case tag::long_range:
        case tag::lazy_seq:
        case tag::cons:
        case tag::queue:
          return hash_ordered(to_items(const_cast<object *>(o)));
        case tag::map:
          {
            uint32_t h = 0;
            auto const &entries = static_cast<map_obj const *>(o)->entries;
            entries.for_each([&](object *k, object *v) {
              h += mix_coll_hash(31 * (31 + hasheq(k)) + hasheq(v), 2);
            });
            return mix_coll_hash(h, static_cast<uint32_t>(entries.size()));
          }
        case tag::set:
          {
            uint32_t h = 0;
            auto const &items = static_cast<set_obj const *>(o)->items;
            items.for_each([&](object *k, object *) { h += hasheq(k); });
            return mix_coll_hash(h, static_cast<uint32_t>(items.size()));
          }
        case tag::record:
          {
            /* As defrecord's hasheq: the class name's symbol hash, xor the map's. */
            auto const *r = static_cast<record_obj const *>(o);
            return symbol_hash("", r->type->name) ^ hasheq(r->fields);
          }
        case tag::instance:
          if(auto *f = interface_fn(const_cast<object *>(o), &record_type_obj::hash_fn))
          {
            /* A deftype's own hashCode. */
            auto *self = const_cast<object *>(o);
            auto *h = invoke(f, 1, &self);
            if(h->type != tag::integer)
            {
              fail(std::string{ "hashCode of " } + type_name(o) + " returned " + pr_str(h) + ", not an integer");
            }
            return static_cast<uint32_t>(static_cast<integer_obj *>(h)->value);
          }
          [[fallthrough]];
        default:
          {
            /* Identity: objects equal only to themselves. */
            auto const p = reinterpret_cast<uintptr_t>(o);
            return hash_int(static_cast<uint32_t>(p));
          }
      }
    }
  }

  uint64_t hash(object const *o)
  {
    return hasheq(o);
  }

  namespace
  {
    object *hash_value(uint32_t h)
    {
      return integer(static_cast<int32_t>(h));
    }

    uint32_t as_int_hash(object *o, char const *op)
    {
      if(o->type != tag::integer)
      {
        fail(std::string{ op } + " expects an integer hash, got " + a_type_name(o));
      }
      return static_cast<uint32_t>(static_cast<integer_obj *>(o)->value);
    }

    /* (hash-ordered-coll coll): what = vectors, lists and seqs hash to. */
    object *hash_ordered_coll(int argc, args_t argv)
    {
      check_arity("hash-ordered-coll", argc, 1, 1);
      return hash_value(hash_ordered(to_items(argv[0])));
    }

    /* (hash-unordered-coll coll): what = sets (and maps, by entries) hash to. */
    object *hash_unordered_coll(int argc, args_t argv)
    {
      check_arity("hash-unordered-coll", argc, 1, 1);
      uint32_t h = 0;
      auto const items = to_items(argv[0]);
      for(auto *item : items)
      {
        h += hasheq(item);
      }
      return hash_value(mix_coll_hash(h, static_cast<uint32_t>(items.size())));
    }

    object *mix_collection_hash(int argc, args_t argv)
    {
      check_arity("mix-collection-hash", argc, 2, 2);
      return hash_value(mix_coll_hash(as_int_hash(argv[0], "mix-collection-hash"),
                                      as_int_hash(argv[1], "mix-collection-hash")));
    }

    uint32_t java_hash_or_zero(object *x);
    uint32_t java_map_hash(entry_table const &entries);

    /* x's Java hashCode where it differs from hasheq: longs, strings,
     * doubles, booleans, characters, keywords, symbols, and the collections
     * (List's, Map's and Set's hashCode over their elements' hashCodes). */
    uint32_t java_hash_code(object *x)
    {
      switch(x->type)
      {
        case tag::integer:
          {
            auto const v = static_cast<uint64_t>(static_cast<integer_obj *>(x)->value);
            return static_cast<uint32_t>(v ^ (v >> 32));
          }
        case tag::string:
          return java_string_hash(static_cast<string_obj *>(x)->value);
        case tag::big_integer:
          {
            /* BigInt.hashCode: a long's while it fits in one. */
            auto const *b = static_cast<big_integer_obj const *>(x);
            auto const &v = b->value;
            if(!b->java_biginteger && v >= std::numeric_limits<int64_t>::min()
               && v <= std::numeric_limits<int64_t>::max())
            {
              auto const bits = static_cast<uint64_t>(static_cast<int64_t>(v));
              return static_cast<uint32_t>(bits ^ (bits >> 32));
            }
            return hasheq(x);
          }
        case tag::real:
          {
            auto const d = static_cast<real_obj *>(x)->value;
            if(static_cast<real_obj *>(x)->single)
            {
              return float_bits(d);
            }
            uint64_t bits{};
            std::memcpy(&bits, &d, sizeof bits);
            return static_cast<uint32_t>(bits ^ (bits >> 32));
          }
        case tag::boolean:
          return static_cast<boolean_obj *>(x)->value ? 1231 : 1237;
        case tag::character:
          return static_cast<uint32_t>(static_cast<char_obj *>(x)->codepoint);
        case tag::keyword:
          {
            auto const *k = static_cast<keyword_obj const *>(x);
            return symbol_java_hash(k->ns, k->name) + 0x9e3779b9;
          }
        case tag::symbol:
          {
            auto const *k = static_cast<symbol_obj const *>(x);
            return symbol_java_hash(k->ns, k->name);
          }
        case tag::list:
        case tag::vector:
        case tag::vector_seq:
        case tag::long_range:
        case tag::lazy_seq:
        case tag::cons:
        case tag::queue:
          {
            /* java.util.List's: 31 * h + each element's, from 1. */
            uint32_t h = 1;
            for(auto *item : to_items(x))
            {
              h = 31 * h + java_hash_or_zero(item);
            }
            return h;
          }
        case tag::map:
          return java_map_hash(static_cast<map_obj const *>(x)->entries);
        case tag::record:
          return java_map_hash(static_cast<map_obj const *>(static_cast<record_obj const *>(x)->fields)->entries);
        case tag::set:
          {
            uint32_t h = 0;
            static_cast<set_obj const *>(x)->items.for_each([&](object *k, object *) { h += java_hash_or_zero(k); });
            return h;
          }
        case tag::nil:
          fail("Cannot invoke \"Object.hashCode()\" because \"x\" is null");
        default:
          return hasheq(x);
      }
    }

    uint32_t java_hash_or_zero(object *x)
    {
      return x->type == tag::nil ? 0 : java_hash_code(x);
    }

    /* java.util.Map's: the sum of each entry's key hash xor value hash. */
    uint32_t java_map_hash(entry_table const &entries)
    {
      uint32_t h = 0;
      entries.for_each([&](object *k, object *v) { h += java_hash_or_zero(k) ^ java_hash_or_zero(v); });
      return h;
    }

    /* (.hashCode x): the JVM's hashCode, which HashMap and String code use. */
    object *java_hash_code_(int argc, args_t argv)
    {
      check_arity("hashCode", argc, 1, 1);
      /* A deftype's or reify's own hashCode, beside the hasheq that hash calls. */
      if(auto *own = type_method_of(argv[0], "hashCode"))
      {
        return invoke(own, 1, argv);
      }
      return hash_value(java_hash_code(argv[0]));
    }

    /* (.equals x y): a deftype's or reify's own equals (Object's, which its
     * equiv may call in turn), else what = gives. */
    object *java_equals(int argc, args_t argv)
    {
      check_arity("equals", argc, 2, 2);
      if(auto *own = type_method_of(argv[0], "equals"))
      {
        return invoke(own, 2, argv);
      }
      /* A record is a java.util.Map, and Map's equals compares entries
       * only: (.equals {:a 1} (->R 1)) is true where = is false. */
      auto const map_like = [](object *x) { return x->type == tag::map || x->type == tag::record; };
      if(map_like(argv[0]) && map_like(argv[1]) && (argv[0]->type == tag::record || argv[1]->type == tag::record))
      {
        auto const fields = [](object *x) {
          return x->type == tag::record ? static_cast<object *>(static_cast<record_obj *>(x)->fields) : x;
        };
        return boolean(equals(fields(argv[0]), fields(argv[1])));
      }
      return boolean(equals(argv[0], argv[1]));
    }

    /* (hash-combine seed x): Util.hashCombine of seed and x's Java hashCode. */
    object *hash_combine_(int argc, args_t argv)
    {
      check_arity("hash-combine", argc, 2, 2);
      return hash_value(hash_combine(as_int_hash(argv[0], "hash-combine"), java_hash_code(argv[1])));
    }

    /* clojure.lang.Util's statics that Clojure libraries call: hash is
     * Java's hashCode (0 for nil), hasheq Clojure's hash, equiv =. */
    object *util_hash(int argc, args_t argv)
    {
      check_arity("hash", argc, 1, 1);
      return argv[0]->type == tag::nil ? hash_value(0) : java_hash_code_(argc, argv);
    }

    object *util_hasheq(int argc, args_t argv)
    {
      check_arity("hasheq", argc, 1, 1);
      return call(core("hash"), { argv[0] });
    }

    object *util_equiv(int argc, args_t argv)
    {
      check_arity("equiv", argc, 2, 2);
      return boolean(equals(argv[0], argv[1]));
    }

    /* Util.hashCombine(seed, hash), in Java's 32-bit int arithmetic. */
    object *util_hash_combine(int argc, args_t argv)
    {
      check_arity("clojure.lang.Util/hashCombine", argc, 2, 2);
      for(int i = 0; i < 2; ++i)
      {
        if(argv[i]->type != tag::integer)
        {
          fail("clojure.lang.Util/hashCombine expects two ints, got " + pr_str(argv[i]));
        }
      }
      auto const seed = static_cast<int32_t>(static_cast<integer_obj *>(argv[0])->value);
      auto const hash = static_cast<uint32_t>(static_cast<integer_obj *>(argv[1])->value);
      auto const mixed = hash + 0x9e3779b9u + (static_cast<uint32_t>(seed) << 6) + static_cast<uint32_t>(seed >> 2);
      return integer(static_cast<int32_t>(static_cast<uint32_t>(seed) ^ mixed));
    }

    /* clojure.lang.Murmur3's statics, as code that hashes its own types calls them. */
    object *murmur_hash_int(int argc, args_t argv)
    {
      check_arity("clojure.lang.Murmur3/hashInt", argc, 1, 1);
      return hash_value(hash_int(as_int_hash(argv[0], "clojure.lang.Murmur3/hashInt")));
    }

    object *murmur_hash_long(int argc, args_t argv)
    {
      check_arity("clojure.lang.Murmur3/hashLong", argc, 1, 1);
      if(argv[0]->type != tag::integer)
      {
        fail("clojure.lang.Murmur3/hashLong expects a long, got " + a_type_name(argv[0]));
      }
      return hash_value(hash_long(static_cast<integer_obj *>(argv[0])->value));
    }

    object *murmur_hash_chars(int argc, args_t argv)
    {
      check_arity("clojure.lang.Murmur3/hashUnencodedChars", argc, 1, 1);
      return hash_value(hash_unencoded_chars(str(argv[0])));
    }

    native_entry const murmur3_fns[] = {
      { "hashInt", murmur_hash_int },
      { "hashLong", murmur_hash_long },
      { "hashUnencodedChars", murmur_hash_chars },
      { "mixCollHash", mix_collection_hash },
      { "hashOrdered", hash_ordered_coll },
      { "hashUnordered", hash_unordered_coll },
    };

    native_entry const util_fns[] = {
      { "hashCombine", util_hash_combine },
      { "hash", util_hash },
      { "hasheq", util_hasheq },
      { "equiv", util_equiv },
      { "equals", java_equals },
    };

    native_entry const hash_fns[] = {
      { "hash-ordered-coll", hash_ordered_coll },
      { "hash-unordered-coll", hash_unordered_coll },
      { "mix-collection-hash", mix_collection_hash },
      { "hash-combine", hash_combine_ },
      { "java-hash-code*", java_hash_code_ },
      { "java-equals*", java_equals },
    };
  }

  uint32_t java_hash(object *x)
  {
    return java_hash_code(x);
  }

  void install_hash()
  {
    install_natives(hash_fns);
    install_natives(util_fns, "clojure.lang.Util");
    install_natives(murmur3_fns, "clojure.lang.Murmur3");
  }
}
