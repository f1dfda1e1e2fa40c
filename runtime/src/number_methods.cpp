// java.math.BigDecimal's and BigInteger's instance methods, on the runtime's
// big decimals (unscaled value and scale, as Java's) and integers. A
// RoundingMode is its name as a symbol, as *math-context* keeps it.
#include "number_methods.hpp"

#include "native.hpp"
#include "namespaces.hpp"
#include "numbers.hpp"

#include <cmath>
#include <iterator>


namespace jhr
{
  namespace
  {
    char const *const rounding_modes[] = { "UP", "DOWN", "CEILING", "FLOOR", "HALF_UP", "HALF_DOWN", "HALF_EVEN", "UNNECESSARY" };

    std::string rounding_mode(object *o)
    {
      /* BigDecimal/ROUND_FLOOR and the other ints, in the modes' order. */
      if(o->type == tag::integer)
      {
        auto const i = static_cast<integer_obj *>(o)->value;
        if(i >= 0 && i < static_cast<int64_t>(std::size(rounding_modes)))
        {
          return rounding_modes[i];
        }
      }
      if(o->type == tag::symbol || o->type == tag::keyword)
      {
        auto const name = o->type == tag::symbol ? static_cast<symbol_obj *>(o)->name : static_cast<keyword_obj *>(o)->name;
        for(auto const *mode : rounding_modes)
        {
          if(name == mode)
          {
            return name;
          }
        }
      }
      fail("setScale expects a java.math.RoundingMode, got " + pr_str(o));
    }

    int32_t int_arg(object *o, char const *op)
    {
      if(o->type != tag::integer)
      {
        fail(std::string{ op } + " expects an int, got " + pr_str(o));
      }
      return static_cast<int32_t>(static_cast<integer_obj *>(o)->value);
    }

    bool is_integral(object const *o)
    {
      return o->type == tag::integer || o->type == tag::big_integer;
    }

    /* Miller-Rabin with the first twelve primes as bases: exact below
     * 3.3e24, and beyond it wrong with odds far under Java's certainty.
     * (boost's miller_rabin_test draws random bases, and its generator
     * added 18 KB to the runtime.) */
    bool probable_prime(big_int const &n)
    {
      unsigned const bases[] = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37 };
      if(n < 2)
        return false;
      for(auto const p : bases)
      {
        if(n % p == 0)
          return n == p;
      }
      big_int d = n - 1;
      unsigned s = 0;
      while((d & 1) == 0)
      {
        d >>= 1;
        ++s;
      }
      for(auto const a : bases)
      {
        big_int x = boost::multiprecision::powm(big_int{ a }, d, n);
        if(x == 1 || x == n - 1)
          continue;
        bool composite = true;
        for(unsigned r = 1; r < s && composite; ++r)
        {
          x = x * x % n;
          composite = x != n - 1;
        }
        if(composite)
          return false;
      }
      return true;
    }

    /* A result of a BigInteger method: a BigInteger, as Java's are. */
    object *java_big(big_int v)
    {
      return new big_integer_obj{ std::move(v), true };
    }

    /* BigInteger's bits are two's complement, endlessly sign-extended; boost
     * keeps sign and magnitude. A negative v's bits are the complement of
     * the bits of -v - 1, which is not negative. */
    big_int complement(big_int const &v)
    {
      return -v - 1;
    }

    bool test_bit(big_int const &v, unsigned n)
    {
      return v >= 0 ? boost::multiprecision::bit_test(v, n) : !boost::multiprecision::bit_test(complement(v), n);
    }

    big_int bit_and(big_int const &a, big_int const &b)
    {
      if(a >= 0 && b >= 0)
        return a & b;
      if(a < 0 && b < 0)
        return complement(complement(a) | complement(b));
      auto const &positive = a >= 0 ? a : b;
      auto const inverted = complement(a >= 0 ? b : a);
      return positive - (positive & inverted);
    }

    big_int bit_or(big_int const &a, big_int const &b)
    {
      return complement(bit_and(complement(a), complement(b)));
    }

    big_int bit_xor(big_int const &a, big_int const &b)
    {
      if(a >= 0 && b >= 0)
        return a ^ b;
      if(a < 0 && b < 0)
        return complement(a) ^ complement(b);
      return complement((a >= 0 ? a : complement(a)) ^ (b >= 0 ? b : complement(b)));
    }

    /* Shifts as Java's do: right shifts round toward negative infinity. */
    big_int shift(big_int const &v, int64_t left)
    {
      if(left >= 0)
        return v << static_cast<unsigned>(left);
      auto const right = static_cast<unsigned>(-left);
      return v >= 0 ? big_int{ v >> right } : complement(complement(v) >> right);
    }

    /* BigInteger's bit methods: and, or, xor, not, andNot, shifts, single
     * bits and counts. False when m is none of them. */
    bool bit_method(std::string const &m, big_int const &v, int n, object **args, object **answer)
    {
      auto const bit_index = [&] {
        auto const i = int_arg(args[0], m.c_str());
        if(i < 0)
          fail("Negative bit address");
        return static_cast<unsigned>(i);
      };
      if(m == "not" && n == 0)
        *answer = java_big(complement(v));
      else if((m == "and" || m == "or" || m == "xor" || m == "andNot") && n == 1)
      {
        auto const y = as_big(args[0], m.c_str());
        *answer = java_big(m == "and" ? bit_and(v, y) : m == "or" ? bit_or(v, y) : m == "xor" ? bit_xor(v, y) : bit_and(v, complement(y)));
      }
      else if((m == "shiftLeft" || m == "shiftRight") && n == 1)
      {
        auto const by = int_arg(args[0], m.c_str());
        *answer = java_big(shift(v, m == "shiftLeft" ? by : -static_cast<int64_t>(by)));
      }
      else if(m == "testBit" && n == 1)
        *answer = boolean(test_bit(v, bit_index()));
      else if((m == "setBit" || m == "clearBit" || m == "flipBit") && n == 1)
      {
        auto const i = bit_index();
        bool const set = test_bit(v, i);
        bool const want = m == "setBit" ? true : m == "clearBit" ? false : !set;
        big_int const bit = big_int{ 1 } << i;
        *answer = java_big(set == want ? v : want ? big_int{ v + bit } : big_int{ v - bit });
      }
      else if(m == "bitCount" && n == 0)
      {
        big_int rest = v >= 0 ? v : complement(v);
        int64_t count = 0;
        for(; rest != 0; rest &= rest - 1)
          ++count;
        *answer = integer(count);
      }
      else if(m == "getLowestSetBit" && n == 0)
        *answer = integer(v == 0 ? -1 : static_cast<int64_t>(boost::multiprecision::lsb(abs(v))));
      else
        return false;
      return true;
    }

    bool decimal_method(std::string const &m, big_decimal_obj const *d, int n, object **args, object **answer)
    {
      if(m == "scale" && n == 0)
        *answer = integer(d->scale);
      else if(m == "precision" && n == 0)
        *answer = integer(d->unscaled == 0 ? 1 : static_cast<int64_t>(big_int{ abs(d->unscaled) }.str().size()));
      else if(m == "unscaledValue" && n == 0)
        *answer = java_big(d->unscaled);
      else if(m == "signum" && n == 0)
        *answer = integer(d->unscaled < 0 ? -1 : d->unscaled > 0 ? 1 : 0);
      else if(m == "negate" && n == 0)
        *answer = big_decimal(-d->unscaled, d->scale);
      else if(m == "abs" && n == 0)
        *answer = big_decimal(abs(d->unscaled), d->scale);
      else if(m == "setScale" && (n == 1 || n == 2))
        *answer = decimal_set_scale(d, int_arg(args[0], "setScale"), n == 2 ? rounding_mode(args[1]) : "UNNECESSARY");
      else if(m == "stripTrailingZeros" && n == 0)
      {
        big_int u = d->unscaled;
        int32_t scale = d->scale;
        while(u != 0 && u % 10 == 0)
        {
          u /= 10;
          --scale;
        }
        *answer = big_decimal(u, u == 0 ? 0 : scale);
      }
      else if(m == "toPlainString" && n == 0)
      {
        auto digits = big_int{ abs(d->unscaled) }.str();
        if(d->scale <= 0)
        {
          digits += std::string(static_cast<size_t>(-static_cast<int64_t>(d->scale)), '0');
        }
        else
        {
          auto const scale = static_cast<size_t>(d->scale);
          if(digits.size() <= scale)
          {
            digits.insert(0, scale - digits.size() + 1, '0');
          }
          digits.insert(digits.size() - scale, 1, '.');
        }
        *answer = string(d->unscaled < 0 ? "-" + digits : digits);
      }
      else if(m == "toBigInteger" && n == 0)
      {
        auto const *whole = static_cast<big_decimal_obj const *>(decimal_set_scale(d, 0, "DOWN"));
        *answer = java_big(whole->unscaled);
      }
      else if(m == "pow" && n == 1)
      {
        auto const e = int_arg(args[0], "pow");
        if(e < 0)
          fail("Invalid operation");
        *answer = big_decimal(boost::multiprecision::pow(d->unscaled, static_cast<unsigned>(e)),
                              static_cast<int32_t>(static_cast<int64_t>(d->scale) * e));
      }
      else if((m == "add" || m == "subtract" || m == "multiply") && n == 1)
      {
        auto const *y = as_big_decimal(args[0], m.c_str());
        auto const scale = m == "multiply" ? d->scale + y->scale : std::max(d->scale, y->scale);
        auto const align = [&](big_decimal_obj const *v) -> big_int {
          return v->unscaled * boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(scale - v->scale));
        };
        *answer = m == "multiply" ? big_decimal(d->unscaled * y->unscaled, scale)
                  : m == "add"    ? big_decimal(align(d) + align(y), scale)
                                  : big_decimal(align(d) - align(y), scale);
      }
      else if(m == "divide" && n == 1)
        *answer = decimal_divide(d, as_big_decimal(args[0], "divide"));
      else if(m == "divide" && n == 3)
      {
        /* divide(divisor, scale, RoundingMode): the quotient at that scale. */
        auto const *y = as_big_decimal(args[0], "divide");
        if(y->unscaled == 0)
          fail("Division by zero");
        auto const scale = int_arg(args[1], "divide");
        /* x/y = (xu * 10^(scale + ys - xs + 1)) / yu at scale + 1 digits, then rounded. */
        auto const shift = static_cast<int64_t>(scale) + y->scale - d->scale + 1;
        big_int num = d->unscaled, den = y->unscaled;
        if(shift >= 0)
          num *= boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(shift));
        else
          den *= boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(-shift));
        big_int q, r;
        boost::multiprecision::divide_qr(num, den, q, r);
        /* A remainder beyond the extra digit makes a 5 round as more than half. */
        if(r != 0)
          q = q * 10 + (q < 0 || (q == 0 && (num < 0) != (den < 0)) ? -1 : 1);
        else
          q *= 10;
        auto *wide = static_cast<big_decimal_obj *>(big_decimal(q, scale + 2));
        *answer = decimal_set_scale(wide, scale, rounding_mode(args[2]));
      }
      else
        return false;
      return true;
    }

    bool integer_method(std::string const &m, object *target, int n, object **args, object **answer)
    {
      auto const v = as_big(target, m.c_str());
      auto const big_arg = [&](int i) { return as_big(args[i], m.c_str()); };
      if(m == "pow" && n == 1)
      {
        auto const e = int_arg(args[0], "pow");
        if(e < 0)
          fail("Negative exponent");
        *answer = java_big(boost::multiprecision::pow(v, static_cast<unsigned>(e)));
      }
      else if(m == "bitLength" && n == 0)
        *answer = integer(static_cast<int64_t>(v == 0 || v == -1 ? 0 : boost::multiprecision::msb(v < 0 ? big_int{ -v - 1 } : v) + 1));
      else if(m == "signum" && n == 0)
        *answer = integer(v < 0 ? -1 : v > 0 ? 1 : 0);
      else if(m == "negate" && n == 0)
        *answer = java_big(-v);
      else if(m == "abs" && n == 0)
        *answer = java_big(abs(v));
      else if(m == "gcd" && n == 1)
        *answer = java_big(boost::multiprecision::gcd(big_int{ abs(v) }, big_int{ abs(big_arg(0)) }));
      else if((m == "mod" || m == "remainder") && n == 1)
      {
        auto const divisor = big_arg(0);
        if(divisor == 0 || (m == "mod" && divisor < 0))
          fail(m == "mod" ? "BigInteger: modulus not positive" : "BigInteger divide by zero");
        big_int r = v % divisor;
        if(m == "mod" && r < 0)
          r += divisor;
        *answer = java_big(r);
      }
      else if(m == "modPow" && n == 2)
      {
        auto const modulus = big_arg(1);
        if(modulus <= 0)
          fail("BigInteger: modulus not positive");
        auto const e = big_arg(0);
        if(e < 0)
          fail("BigInteger: negative exponent");
        big_int base = v % modulus;
        if(base < 0)
          base += modulus;
        *answer = java_big(boost::multiprecision::powm(base, e, modulus));
      }
      else if(m == "isProbablePrime" && n == 1)
        *answer = boolean(probable_prime(v));
      else if(m == "nextProbablePrime" && n == 0)
      {
        if(v < 0)
          fail("start < 0: " + v.str());
        big_int next = v + 1;
        while(!probable_prime(next))
          ++next;
        *answer = java_big(next);
      }
      else if(m == "sqrt" && n == 0)
      {
        if(v < 0)
          fail("BigInteger: negative number has no square root");
        *answer = java_big(boost::multiprecision::sqrt(v));
      }
      else if(bit_method(m, v, n, args, answer))
        return true;
      else if((m == "add" || m == "subtract" || m == "multiply" || m == "divide" || m == "max" || m == "min") && n == 1)
      {
        auto const y = big_arg(0);
        if(m == "divide" && y == 0)
          fail("BigInteger divide by zero");
        *answer = java_big(m == "add" ? big_int{ v + y } : m == "subtract" ? big_int{ v - y } : m == "multiply" ? big_int{ v * y }
                           : m == "divide"                                 ? big_int{ v / y }
                           : m == "max"                                    ? std::max(v, y)
                                                                           : std::min(v, y));
      }
      else if(m == "toString" && n == 1)
      {
        auto const radix = int_arg(args[0], "toString");
        if(radix < 2 || radix > 36)
          fail("radix out of range: " + std::to_string(radix));
        std::string digits;
        big_int rest = abs(v);
        do
        {
          auto const digit = static_cast<int>(rest % radix);
          digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[digit]);
          rest /= radix;
        } while(rest != 0);
        *answer = string(v < 0 ? "-" + digits : digits);
      }
      else
        return false;
      return true;
    }
  }

  bool number_method(std::string const &method, object *target, int argc, object **argv, object **answer)
  {
    if(target->type == tag::big_decimal)
    {
      return decimal_method(method, static_cast<big_decimal_obj *>(target), argc, argv, answer);
    }
    if(is_integral(target))
    {
      return integer_method(method, target, argc, argv, answer);
    }
    return false;
  }

  namespace
  {
    /* BigInteger/valueOf: a long as a BigInteger. */
    object *big_integer_value_of(int argc, args_t argv)
    {
      check_arity("BigInteger/valueOf", argc, 1, 1);
      if(argv[0]->type != tag::integer)
      {
        fail("BigInteger/valueOf expects a long, got " + pr_str(argv[0]));
      }
      return java_big(big_int{ static_cast<integer_obj *>(argv[0])->value });
    }

    native_entry const big_integer_fns[] = {
      { "valueOf", big_integer_value_of },
    };

    /* BigDecimal/valueOf: a long, a double through its shortest text (as
     * Double.toString, so 0.1 is 0.1M), or an unscaled long and a scale. */
    object *big_decimal_value_of(int argc, args_t argv)
    {
      check_arity("BigDecimal/valueOf", argc, 1, 2);
      auto *x = argv[0];
      if(argc == 2)
      {
        if(x->type != tag::integer || argv[1]->type != tag::integer)
        {
          fail("BigDecimal/valueOf expects a long and an int scale, got " + pr_str(x) + " and " + pr_str(argv[1]));
        }
        return big_decimal(big_int{ static_cast<integer_obj *>(x)->value },
                           static_cast<int32_t>(static_cast<integer_obj *>(argv[1])->value));
      }
      if(x->type == tag::integer)
      {
        return const_cast<big_decimal_obj *>(as_big_decimal(x, "BigDecimal/valueOf"));
      }
      if(x->type == tag::real && std::isfinite(static_cast<real_obj *>(x)->value))
      {
        return parse_big_decimal(str(x));
      }
      fail("BigDecimal/valueOf expects a long or a finite double, got " + pr_str(x));
    }

    native_entry const big_decimal_fns[] = {
      { "valueOf", big_decimal_value_of },
    };
  }

  void install_rounding_modes()
  {
    install_natives(big_integer_fns, "BigInteger");
    install_natives(big_decimal_fns, "BigDecimal");
    for(auto const &[name, value] : { std::pair{ "ZERO", 0 }, std::pair{ "ONE", 1 }, std::pair{ "TWO", 2 }, std::pair{ "TEN", 10 } })
    {
      bind_root(intern_var("BigInteger", name), java_big(big_int{ value }));
    }
    for(auto const *mode : rounding_modes)
    {
      bind_root(intern_var("RoundingMode", mode), symbol("", mode));
    }
    for(size_t i = 0; i < std::size(rounding_modes); ++i)
    {
      bind_root(intern_var("BigDecimal", std::string{ "ROUND_" } + rounding_modes[i]), integer(static_cast<int64_t>(i)));
    }
  }
}
