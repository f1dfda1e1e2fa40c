// UUIDs: 128 bits in two halves, as java.util.UUID keeps them. random-uuid
// makes a version 4 UUID from the platform's entropy (crypto.getRandomValues
// in a browser); parse-uuid reads the canonical text, as Clojure 1.11's.
#include "uuid.hpp"

#include "utf8.hpp"

#include "native.hpp"
#include "namespaces.hpp"

#include <random>

namespace jhr
{
  namespace
  {
    std::mt19937_64 &uuid_engine()
    {
      static std::mt19937_64 engine{ [] {
        std::random_device entropy;
        std::seed_seq seed{ entropy(), entropy(), entropy(), entropy(), entropy(), entropy(), entropy(), entropy() };
        return std::mt19937_64{ seed };
      }() };
      return engine;
    }


    /* The canonical 36-character form, or nothing. */
    bool parse(std::string const &s, uint64_t &msb, uint64_t &lsb)
    {
      if(s.size() != 36)
      {
        return false;
      }
      msb = lsb = 0;
      int digits = 0;
      for(size_t i = 0; i < s.size(); ++i)
      {
        if(i == 8 || i == 13 || i == 18 || i == 23)
        {
          if(s[i] != '-')
          {
            return false;
          }
          continue;
        }
        auto const d = utf8::hex_digit(s[i]);
        if(d < 0)
        {
          return false;
        }
        auto &half = digits < 16 ? msb : lsb;
        half = (half << 4) | static_cast<uint64_t>(d);
        ++digits;
      }
      return true;
    }

    object *random_uuid(int argc, args_t)
    {
      check_arity("random-uuid", argc, 0, 0);
      auto &engine = uuid_engine();
      auto const msb = (engine() & ~0xF000ull) | 0x4000ull; /* version 4 */
      auto const lsb = (engine() & ~(3ull << 62)) | (2ull << 62); /* IETF variant */
      return new uuid_obj{ msb, lsb };
    }

    object *parse_uuid(int argc, args_t argv)
    {
      check_arity("parse-uuid", argc, 1, 1);
      if(argv[0]->type != tag::string)
      {
        fail("parse-uuid expects a string, got " + a_type_name(argv[0]));
      }
      auto *u = uuid_from_string(static_cast<string_obj *>(argv[0])->value);
      return u != nullptr ? static_cast<object *>(u) : nil();
    }

    object *uuid_p(int argc, args_t argv)
    {
      check_arity("uuid?", argc, 1, 1);
      return boolean(argv[0]->type == tag::uuid);
    }

    /* UUID/fromString: as parse-uuid, but bad text is an IllegalArgumentException. */
    object *from_string(int argc, args_t argv)
    {
      check_arity("UUID/fromString", argc, 1, 1);
      auto *u = parse_uuid(argc, argv);
      if(u->type == tag::nil)
      {
        fail("Value out of range for UUID/fromString: Invalid UUID string: " + str(argv[0]));
      }
      return u;
    }

    native_entry const uuid_class_fns[] = {
      { "fromString", from_string },
      { "randomUUID", random_uuid },
    };

    /* (UUID. most least): the UUID of its two 64-bit halves. */
    object *uuid_new(int argc, args_t argv)
    {
      check_arity("UUID.", argc, 2, 2);
      auto const half = [](object *o) {
        return static_cast<uint64_t>(as<integer_obj>(o, tag::integer, "a long (a UUID's half)")->value);
      };
      return new uuid_obj{ half(argv[0]), half(argv[1]) };
    }

    native_entry const uuid_fns[] = {
      { "uuid-new*", uuid_new },
      { "random-uuid", random_uuid },
      { "parse-uuid", parse_uuid },
      { "uuid?", uuid_p },
    };
  }

  uuid_obj *uuid_from_string(std::string const &s)
  {
    uint64_t msb;
    uint64_t lsb;
    return parse(s, msb, lsb) ? new uuid_obj{ msb, lsb } : nullptr;
  }

  std::string uuid_string(uuid_obj const *u)
  {
    static char const hex[] = "0123456789abcdef";
    std::string out;
    for(int i = 0; i < 32; ++i)
    {
      if(i == 8 || i == 12 || i == 16 || i == 20)
      {
        out += '-';
      }
      auto const half = i < 16 ? u->msb : u->lsb;
      out += hex[(half >> (60 - 4 * (i % 16))) & 0xF];
    }
    return out;
  }

  uint32_t uuid_hash(uuid_obj const *u)
  {
    auto const hilo = u->msb ^ u->lsb;
    return static_cast<uint32_t>(hilo >> 32) ^ static_cast<uint32_t>(hilo);
  }

  int uuid_compare(uuid_obj const *a, uuid_obj const *b)
  {
    auto const signed_compare = [](uint64_t x, uint64_t y) {
      auto const sx = static_cast<int64_t>(x);
      auto const sy = static_cast<int64_t>(y);
      return sx < sy ? -1 : sx > sy ? 1 : 0;
    };
    auto const high = signed_compare(a->msb, b->msb);
    return high != 0 ? high : signed_compare(a->lsb, b->lsb);
  }

  bool uuid_method(std::string const &method, object *target, int argc, object **answer)
  {
    if(target->type != tag::uuid || argc != 0)
    {
      return false;
    }
    auto const *u = static_cast<uuid_obj *>(target);
    if(method == "getMostSignificantBits")
      *answer = integer(static_cast<int64_t>(u->msb));
    else if(method == "getLeastSignificantBits")
      *answer = integer(static_cast<int64_t>(u->lsb));
    /* The version nibble, and the variant's leading bits, as UUID.variant. */
    else if(method == "version")
      *answer = integer(static_cast<int64_t>((u->msb >> 12) & 0xF));
    else if(method == "variant")
    {
      /* Java's (int) ((lsb >>> (64 - (lsb >>> 62))) & (lsb >> 63)). */
      auto const shifted = u->lsb >> ((64 - (u->lsb >> 62)) & 63);
      auto const mask = static_cast<uint64_t>(static_cast<int64_t>(u->lsb) >> 63);
      *answer = integer(static_cast<int32_t>(shifted & mask));
    }
    else
      return false;
    return true;
  }

  void install_uuid()
  {
    install_natives(uuid_fns, "clojure.core");
    install_natives(uuid_class_fns, "UUID");
  }
}
