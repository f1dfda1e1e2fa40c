#include "numbers.hpp"

#include <cmath>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace jhr
{
  namespace
  {
    /* Clojure's categories, in contagion order: the wider of two operands'
     * decides how they combine. */
    enum class kind
    {
      integer,
      big,
      ratio,
      decimal,
      real
    };

    kind kind_of(object const *o, char const *op)
    {
      switch(o->type)
      {
        case tag::integer:
          return kind::integer;
        case tag::big_integer:
          return kind::big;
        case tag::ratio:
          return kind::ratio;
        case tag::big_decimal:
          return kind::decimal;
        case tag::real:
          return kind::real;
        default:
          fail(std::string{ op } + " expects numbers, got " + type_name(o) + ": " + pr_str(o));
      }
    }

    /* A rational as numerator and denominator. */
    struct fraction
    {
      big_int n, d;
    };

    big_int power_of_ten(int64_t n)
    {
      return boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(n));
    }

    fraction fraction_of(object const *o)
    {
      if(o->type == tag::ratio)
      {
        auto const *r = static_cast<ratio_obj const *>(o);
        return { r->numerator, r->denominator };
      }
      if(o->type == tag::big_decimal)
      {
        auto const *d = static_cast<big_decimal_obj const *>(o);
        if(d->scale >= 0)
        {
          return { d->unscaled, power_of_ten(d->scale) };
        }
        return { d->unscaled * power_of_ten(-static_cast<int64_t>(d->scale)), 1 };
      }
      return { as_big(o, "a ratio"), 1 };
    }

    bool fits_long(big_int const &v)
    {
      return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
    }

    /* n/d in lowest terms; whole is what a whole result becomes. */
    object *normalized(big_int n, big_int d, object *(*whole)(big_int const &))
    {
      if(d == 0)
      {
        fail("Divide by zero");
      }
      if(d < 0)
      {
        n = -n;
        d = -d;
      }
      /* A value, not one of Boost's lazy expressions: n and d change below. */
      big_int const g = boost::multiprecision::gcd(n, d);
      if(g > 1)
      {
        n /= g;
        d /= g;
      }
      if(d == 1)
      {
        return whole(n);
      }
      return new ratio_obj{ std::move(n), std::move(d) };
    }

    object *big_of(big_int const &v)
    {
      return big_integer(v);
    }

    object *long_arithmetic(arith op, int64_t x, int64_t y, bool promote)
    {
      if(op == arith::div)
      {
        /* Numbers.divide of longs: a long when whole. */
        return normalized(x, y, [](big_int const &v) { return integer_or_big(v); });
      }
      int64_t r{};
      bool const overflow = op == arith::add ? __builtin_add_overflow(x, y, &r)
        : op == arith::sub                   ? __builtin_sub_overflow(x, y, &r)
                                             : __builtin_mul_overflow(x, y, &r);
      if(!overflow)
      {
        return integer(r);
      }
      if(!promote)
      {
        fail("long overflow");
      }
      big_int const a{ x }, b{ y };
      return big_integer(op == arith::add ? big_int{ a + b } : op == arith::sub ? big_int{ a - b } : big_int{ a * b });
    }

    object *big_arithmetic(arith op, big_int const &x, big_int const &y)
    {
      switch(op)
      {
        case arith::add:
          return big_integer(x + y);
        case arith::sub:
          return big_integer(x - y);
        case arith::mul:
          return big_integer(x * y);
        case arith::div:
          return normalized(x, y, big_of);
      }
      return nil();
    }

    object *ratio_arithmetic(arith op, fraction const &x, fraction const &y)
    {
      switch(op)
      {
        case arith::add:
          return normalized(x.n * y.d + y.n * x.d, x.d * y.d, big_of);
        case arith::sub:
          return normalized(x.n * y.d - y.n * x.d, x.d * y.d, big_of);
        case arith::mul:
          return normalized(x.n * y.n, x.d * y.d, big_of);
        case arith::div:
          return normalized(x.n * y.d, x.d * y.n, big_of);
      }
      return nil();
    }

    object *real_arithmetic(arith op, double x, double y)
    {
      switch(op)
      {
        case arith::add:
          return real(x + y);
        case arith::sub:
          return real(x - y);
        case arith::mul:
          return real(x * y);
        case arith::div:
          return real(x / y); /* IEEE, as the JVM: (/ 1.0 0) is ##Inf */
      }
      return nil();
    }

    /* Java's BigDecimal add, subtract and multiply: exact, at the larger
     * scale for a sum, the sum of the scales for a product. */
    object *decimal_arithmetic(arith op, big_decimal_obj const *x, big_decimal_obj const *y)
    {
      if(op == arith::div)
      {
        auto *in_context = decimal_divide_in_context(x, y);
        return in_context != nullptr ? in_context : decimal_divide(x, y);
      }
      if(op == arith::mul)
      {
        return in_math_context(big_decimal(x->unscaled * y->unscaled, x->scale + y->scale));
      }
      auto const scale = std::max(x->scale, y->scale);
      big_int const a = x->unscaled * power_of_ten(scale - x->scale);
      big_int const b = y->unscaled * power_of_ten(scale - y->scale);
      return in_math_context(big_decimal(op == arith::add ? big_int{ a + b } : big_int{ a - b }, scale));
    }

    /* The whole part of a/b toward zero, exact; b is not zero. */
    big_int truncated_quotient(fraction const &a, fraction const &b)
    {
      return (a.n * b.d) / (a.d * b.n);
    }
  }

  object *big_integer(big_int v)
  {
    return new big_integer_obj{ std::move(v) };
  }

  object *integer_or_big(big_int const &v)
  {
    return fits_long(v) ? integer(static_cast<int64_t>(v)) : big_integer(v);
  }

  object *ratio(big_int n, big_int d)
  {
    return normalized(std::move(n), std::move(d), big_of);
  }

  double quotient_as_double(big_int const &n, big_int const &d)
  {
    if(n == 0)
    {
      return 0.0;
    }
    /* A quotient of 55 or 56 bits, then 53 of them rounded half to even on
     * the rest and the remainder: the double nearest n/d, as Java's. */
    big_int const magnitude = abs(n);
    auto const shift = 55 - (static_cast<int64_t>(boost::multiprecision::msb(magnitude))
                             - static_cast<int64_t>(boost::multiprecision::msb(d)));
    big_int q, rest;
    if(shift >= 0)
    {
      boost::multiprecision::divide_qr(big_int{ magnitude << shift }, d, q, rest);
    }
    else
    {
      boost::multiprecision::divide_qr(magnitude, big_int{ d << -shift }, q, rest);
    }
    auto const extra = static_cast<int64_t>(boost::multiprecision::msb(q)) + 1 - 53;
    big_int mantissa = q >> extra;
    big_int const dropped = q - (mantissa << extra);
    big_int const half = big_int{ 1 } << (extra - 1);
    if(dropped > half || (dropped == half && (rest != 0 || (mantissa & 1) != 0)))
    {
      ++mantissa;
    }
    auto const value = std::ldexp(mantissa.convert_to<double>(), static_cast<int>(extra - shift));
    return n < 0 ? -value : value;
  }

  bool is_number(object const *o)
  {
    return is_rational(o) || o->type == tag::real;
  }

  bool is_integer(object const *o)
  {
    return o->type == tag::integer || o->type == tag::big_integer;
  }

  bool is_rational(object const *o)
  {
    return is_integer(o) || o->type == tag::ratio || o->type == tag::big_decimal;
  }

  big_int as_big(object const *o, char const *op)
  {
    if(o->type == tag::integer)
    {
      return static_cast<integer_obj const *>(o)->value;
    }
    if(o->type == tag::big_integer)
    {
      return static_cast<big_integer_obj const *>(o)->value;
    }
    fail(std::string{ op } + " expects an integer, got " + type_name(o) + ": " + pr_str(o));
  }

  namespace
  {
    /* x clamped into the longs; NaN, which no loop steps on, as 0. */
    int64_t saturated(double x)
    {
      if(std::isnan(x))
      {
        return 0;
      }
      constexpr auto top = static_cast<double>(std::numeric_limits<int64_t>::max());
      return x >= top ? std::numeric_limits<int64_t>::max()
        : x <= -top   ? std::numeric_limits<int64_t>::min()
                      : static_cast<int64_t>(x);
    }

    int64_t whole_number(object const *o, char const *op, double (*round)(double))
    {
      switch(o->type)
      {
        case tag::integer:
          return static_cast<integer_obj const *>(o)->value;
        case tag::big_integer:
          {
            auto const &v = static_cast<big_integer_obj const *>(o)->value;
            return v > std::numeric_limits<int64_t>::max() ? std::numeric_limits<int64_t>::max()
              : v < std::numeric_limits<int64_t>::min()    ? std::numeric_limits<int64_t>::min()
                                                           : static_cast<int64_t>(v);
          }
        default:
          if(!is_number(o))
          {
            fail(std::string{ op } + " expects a number, got " + type_name(o));
          }
          return saturated(round(as_double(o, op)));
      }
    }
  }

  int64_t step_count(object const *o, char const *op)
  {
    return whole_number(o, op, [](double x) { return std::ceil(x); });
  }

  int64_t truncated_index(object const *o, char const *op)
  {
    return whole_number(o, op, [](double x) { return std::trunc(x); });
  }

  double as_double(object const *o, char const *op)
  {
    switch(o->type)
    {
      case tag::integer:
        return static_cast<double>(static_cast<integer_obj const *>(o)->value);
      case tag::real:
        return static_cast<real_obj const *>(o)->value;
      case tag::big_integer:
        return quotient_as_double(static_cast<big_integer_obj const *>(o)->value, 1);
      case tag::big_decimal:
        {
          auto const f = fraction_of(o);
          return quotient_as_double(f.n, f.d);
        }
      case tag::ratio:
        {
          /* Ratio.doubleValue: the quotient to 16 significant digits
           * (DECIMAL64, half even), then the double nearest that. */
          auto const *r = static_cast<ratio_obj const *>(o);
          big_int const magnitude = abs(r->numerator);
          auto const digits = [](big_int const &v) { return static_cast<int64_t>(v.str().size()); };
          auto k = 16 - (digits(magnitude) - digits(r->denominator));
          big_int q, rest, divisor;
          for(int attempt = 0; attempt < 3; ++attempt)
          {
            big_int const scale = boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(k >= 0 ? k : -k));
            big_int const numerator = k >= 0 ? big_int{ magnitude * scale } : magnitude;
            divisor = k >= 0 ? r->denominator : big_int{ r->denominator * scale };
            boost::multiprecision::divide_qr(numerator, divisor, q, rest);
            auto const n = digits(q);
            if(n == 16)
            {
              break;
            }
            k += 16 - n;
          }
          big_int const twice = rest * 2;
          if(twice > divisor || (twice == divisor && (q & 1) != 0))
          {
            ++q;
          }
          auto const value = std::strtod((q.str() + "e" + std::to_string(-k)).c_str(), nullptr);
          return r->numerator < 0 ? -value : value;
        }
      default:
        fail(std::string{ op } + " expects numbers, got " + type_name(o) + ": " + pr_str(o));
    }
  }

  std::string integer_text(big_int const &v)
  {
    return v.str();
  }

  uint32_t big_integer_hash(big_int const &v)
  {
    /* BigInteger.hashCode: its magnitude's 32-bit words, most significant
     * first, folded by 31, then signed. */
    std::vector<uint32_t> words;
    big_int const magnitude = abs(v);
    boost::multiprecision::export_bits(magnitude, std::back_inserter(words), 32);
    uint32_t h = 0;
    if(v != 0)
    {
      for(auto const w : words)
      {
        h = 31 * h + w;
      }
    }
    return v < 0 ? 0 - h : h;
  }

  object *arithmetic(arith op, object *a, object *b, char const *name, bool promote)
  {
    if(a->type == tag::integer && b->type == tag::integer)
    {
      return long_arithmetic(op,
                             static_cast<integer_obj *>(a)->value,
                             static_cast<integer_obj *>(b)->value,
                             promote);
    }
    auto const k = std::max(kind_of(a, name), kind_of(b, name));
    switch(k)
    {
      case kind::integer:
      case kind::big:
        return big_arithmetic(op, as_big(a, name), as_big(b, name));
      case kind::ratio:
        return ratio_arithmetic(op, fraction_of(a), fraction_of(b));
      case kind::decimal:
        return decimal_arithmetic(op, as_big_decimal(a, name), as_big_decimal(b, name));
      case kind::real:
        return real_arithmetic(op, as_double(a, name), as_double(b, name));
    }
    return nil();
  }

  object *quotient(object *a, object *b)
  {
    auto const k = std::max(kind_of(a, "quot"), kind_of(b, "quot"));
    if(k == kind::real)
    {
      auto const y = as_double(b, "quot");
      if(y == 0.0)
      {
        fail("Divide by zero");
      }
      return real(std::trunc(as_double(a, "quot") / y));
    }
    auto const x = fraction_of(a);
    auto const y = fraction_of(b);
    if(y.n == 0)
    {
      fail("Divide by zero");
    }
    auto q = truncated_quotient(x, y);
    if(k == kind::decimal)
    {
      /* divideToIntegralValue: the whole part at the preferred scale
       * (the dividend's less the divisor's), as near as it holds it. */
      auto const preferred = static_cast<int64_t>(as_big_decimal(a, "quot")->scale) - as_big_decimal(b, "quot")->scale;
      if(preferred >= 0)
      {
        return big_decimal(q * power_of_ten(preferred), static_cast<int32_t>(preferred));
      }
      int64_t scale = 0;
      while(scale > preferred && q != 0 && q % 10 == 0)
      {
        q /= 10;
        --scale;
      }
      return big_decimal(q, static_cast<int32_t>(scale));
    }
    /* Longs give a long (Long/MIN_VALUE over -1 overflows to a BigInt). */
    return k == kind::integer ? integer_or_big(q) : big_integer(std::move(q));
  }

  object *remainder(object *a, object *b)
  {
    auto const k = std::max(kind_of(a, "rem"), kind_of(b, "rem"));
    if(k == kind::real)
    {
      /* n - d * (quot n d), as Numbers.remainder of doubles. */
      auto *q = quotient(a, b);
      return arithmetic(arith::sub, a, arithmetic(arith::mul, b, q, "rem"), "rem");
    }
    if(k == kind::decimal)
    {
      /* x - y × (quot x y), as BigDecimal.remainder. */
      return arithmetic(arith::sub, a, arithmetic(arith::mul, b, quotient(a, b), "rem"), "rem");
    }
    auto const x = fraction_of(a);
    auto const y = fraction_of(b);
    if(y.n == 0)
    {
      fail("Divide by zero");
    }
    auto const q = truncated_quotient(x, y);
    /* x - y*q, exact: n/d with d = x.d * y.d. */
    auto const whole = [](big_int const &v) { return integer_or_big(v); };
    if(k == kind::integer)
    {
      return normalized(x.n - y.n * q, 1, whole);
    }
    return normalized(x.n * y.d - y.n * q * x.d, x.d * y.d, big_of);
  }

  int compare_numbers(object const *a, object const *b, char const *op)
  {
    if(a->type == tag::integer && b->type == tag::integer)
    {
      auto const x = static_cast<integer_obj const *>(a)->value;
      auto const y = static_cast<integer_obj const *>(b)->value;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    auto const k = std::max(kind_of(a, op), kind_of(b, op));
    if(k != kind::real)
    {
      auto const x = fraction_of(a);
      auto const y = fraction_of(b);
      big_int const l = x.n * y.d;
      big_int const r = y.n * x.d;
      return l < r ? -1 : l > r ? 1 : 0;
    }
    auto const x = as_double(a, op);
    auto const y = as_double(b, op);
    return x < y ? -1 : x > y ? 1 : 0;
  }

  bool numbers_equal(object const *a, object const *b)
  {
    auto const ka = kind_of(a, "=");
    auto const kb = kind_of(b, "=");
    auto const integral = [](kind k) { return k == kind::integer || k == kind::big; };
    if(ka != kb && !(integral(ka) && integral(kb)))
    {
      return false;
    }
    if(ka == kind::real)
    {
      return as_double(a, "=") == as_double(b, "="); /* NaN is not = itself */
    }
    return compare_numbers(a, b, "=") == 0;
  }
}
