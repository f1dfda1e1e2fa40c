// java.util.Random: Java's 48-bit linear congruential generator, step for step,
// so that a program seeded with (java.util.Random. 42) draws the numbers it
// draws on the JVM: simulations, games and tests that replay a seed rely on
// it. Each method is Java's algorithm (java.util.Random in OpenJDK 17), as
// are Collections/shuffle's swaps when it is given a Random.
#include "java_random.hpp"

#include "classes.hpp"
#include "native.hpp"
#include "object.hpp"

#include <chrono>
#include <cmath>
#include <random>
#include <string>

namespace jhr
{
  namespace
  {
    constexpr int64_t multiplier = 0x5DEECE66DLL;
    constexpr int64_t addend = 0xBLL;
    constexpr int64_t mask = (int64_t{ 1 } << 48) - 1;

    /* The instance's fields: the seed, whether a second Gaussian is kept,
     * and that Gaussian. */
    enum field : size_t
    {
      seed_field = 0,
      have_gaussian_field = 1,
      gaussian_field = 2,
    };

    record_type_obj *random_type()
    {
      static record_type_obj *type = [] {
        auto *t = class_named("java.util.Random");
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    instance_obj *as_random(object *x)
    {
      return x->type == tag::instance && static_cast<instance_obj *>(x)->type == random_type()
        ? static_cast<instance_obj *>(x)
        : nullptr;
    }

    int64_t scrambled(int64_t seed)
    {
      return (seed ^ multiplier) & mask;
    }

    /* Random.next(bits): the generator's step, and its top bits. */
    int32_t next_bits(instance_obj *r, int bits)
    {
      auto const old = static_cast<uint64_t>(static_cast<integer_obj *>(r->values[seed_field])->value);
      auto const next = static_cast<int64_t>((old * static_cast<uint64_t>(multiplier) + addend)) & mask;
      r->values[seed_field] = integer(next);
      return static_cast<int32_t>(static_cast<uint64_t>(next) >> (48 - bits));
    }

    int32_t next_int(instance_obj *r, int32_t bound)
    {
      if(bound <= 0)
      {
        fail("bound must be positive");
      }
      auto value = next_bits(r, 31);
      auto const m = bound - 1;
      if((bound & m) == 0)
      {
        return static_cast<int32_t>((static_cast<int64_t>(bound) * value) >> 31);
      }
      for(auto u = value; static_cast<int32_t>(static_cast<uint32_t>(u) - static_cast<uint32_t>(value = u % bound)
                                              + static_cast<uint32_t>(m))
                          < 0;
          u = next_bits(r, 31))
      {
      }
      return value;
    }

    /* RandomSupport.boundedNextInt, which Java 17's nextInt(origin, bound) uses. */
    int32_t next_int_between(instance_obj *r, int32_t origin, int32_t bound)
    {
      if(origin >= bound)
      {
        fail("bound must be greater than origin");
      }
      auto value = next_bits(r, 32);
      auto const n = static_cast<int32_t>(static_cast<uint32_t>(bound) - static_cast<uint32_t>(origin));
      auto const m = static_cast<int32_t>(static_cast<uint32_t>(n) - 1u);
      if((n & m) == 0)
      {
        return static_cast<int32_t>(static_cast<uint32_t>(value & m) + static_cast<uint32_t>(origin));
      }
      if(n > 0)
      {
        for(auto u = static_cast<int32_t>(static_cast<uint32_t>(value) >> 1);
            static_cast<int32_t>(static_cast<uint32_t>(u) + static_cast<uint32_t>(m)
                                 - static_cast<uint32_t>(value = u % n))
            < 0;
            u = static_cast<int32_t>(static_cast<uint32_t>(next_bits(r, 32)) >> 1))
        {
        }
        return static_cast<int32_t>(static_cast<uint32_t>(value) + static_cast<uint32_t>(origin));
      }
      while(value < origin || value >= bound)
      {
        value = next_bits(r, 32);
      }
      return value;
    }

    int64_t next_long(instance_obj *r)
    {
      auto const high = static_cast<int64_t>(next_bits(r, 32));
      return static_cast<int64_t>(static_cast<uint64_t>(high) << 32) + next_bits(r, 32);
    }

    double next_double(instance_obj *r)
    {
      auto const high = static_cast<int64_t>(next_bits(r, 26));
      return static_cast<double>((high << 27) + next_bits(r, 27)) * 0x1.0p-53;
    }

    double next_gaussian(instance_obj *r)
    {
      if(r->values[have_gaussian_field] == boolean(true))
      {
        r->values[have_gaussian_field] = boolean(false);
        return static_cast<real_obj *>(r->values[gaussian_field])->value;
      }
      double v1, v2, s;
      do
      {
        v1 = 2 * next_double(r) - 1;
        v2 = 2 * next_double(r) - 1;
        s = v1 * v1 + v2 * v2;
      } while(s >= 1 || s == 0);
      auto const scale = std::sqrt(-2 * std::log(s) / s);
      r->values[gaussian_field] = real(v2 * scale);
      r->values[have_gaussian_field] = boolean(true);
      return v1 * scale;
    }

    /* A Java int argument, as reflection narrows a long to one. */
    int32_t int_arg(object *x, char const *method)
    {
      auto const v = as<integer_obj>(x, tag::integer, "an int")->value;
      if(v < INT32_MIN || v > INT32_MAX)
      {
        fail(std::string{ "Value out of range for int: " } + std::to_string(v) + " (Random." + method + ")");
      }
      return static_cast<int32_t>(v);
    }

    /* A seed no two Randoms made in one page share, as Java's nanoTime and
     * seed uniquifier give one. */
    int64_t fresh_seed()
    {
      static std::random_device device;
      auto const now = std::chrono::steady_clock::now().time_since_epoch().count();
      return static_cast<int64_t>((static_cast<uint64_t>(device()) << 32) ^ device()) ^ static_cast<int64_t>(now);
    }

    object *make_random(int64_t seed)
    {
      return new instance_obj{ random_type(), { integer(scrambled(seed)), boolean(false), real(0) } };
    }

    /* (java-random-new*) and (java-random-new* seed): (java.util.Random.) and
     * (java.util.Random. seed). */
    object *random_new(int argc, args_t argv)
    {
      check_arity("java-random-new*", argc, 0, 1);
      return make_random(argc == 0 ? fresh_seed() : as<integer_obj>(argv[0], tag::integer, "a seed")->value);
    }

    native_entry const random_fns[] = {
      { "java-random-new*", random_new },
    };
  }

  int32_t random_next_int(object *random, int32_t bound)
  {
    return next_int(as_random(random), bound);
  }

  bool is_java_random(object *x)
  {
    return as_random(x) != nullptr;
  }

  bool random_method(std::string const &method, object *target, int argc, object **argv, object **answer)
  {
    auto *r = as_random(target);
    if(r == nullptr)
    {
      return false;
    }
    auto const found = [&](object *value) {
      *answer = value;
      return true;
    };
    if(method == "nextInt" && argc == 0)
    {
      return found(integer(next_bits(r, 32)));
    }
    if(method == "nextInt" && argc == 1)
    {
      return found(integer(next_int(r, int_arg(argv[0], "nextInt"))));
    }
    if(method == "nextInt" && argc == 2)
    {
      return found(integer(next_int_between(r, int_arg(argv[0], "nextInt"), int_arg(argv[1], "nextInt"))));
    }
    if(method == "nextLong" && argc == 0)
    {
      return found(integer(next_long(r)));
    }
    if(method == "nextDouble" && argc == 0)
    {
      return found(real(next_double(r)));
    }
    if(method == "nextFloat" && argc == 0)
    {
      return found(single_float(static_cast<float>(next_bits(r, 24)) / static_cast<float>(1 << 24)));
    }
    if(method == "nextBoolean" && argc == 0)
    {
      return found(boolean(next_bits(r, 1) != 0));
    }
    if(method == "nextGaussian" && argc == 0)
    {
      return found(real(next_gaussian(r)));
    }
    if(method == "setSeed" && argc == 1)
    {
      r->values[seed_field] = integer(scrambled(as<integer_obj>(argv[0], tag::integer, "a seed")->value));
      r->values[have_gaussian_field] = boolean(false);
      return found(nil());
    }
    if(method == "nextBytes" && argc == 1)
    {
      auto *bytes = as<array_obj>(argv[0], tag::array, "a byte array");
      auto const length = bytes->items.size();
      for(size_t i = 0; i < length;)
      {
        auto random = next_bits(r, 32);
        for(size_t n = std::min<size_t>(length - i, 4); n-- > 0; random >>= 8)
        {
          bytes->items[i++] = integer(static_cast<int8_t>(random));
        }
      }
      return found(nil());
    }
    return false;
  }

  void install_java_random()
  {
    install_natives(random_fns);
  }
}
