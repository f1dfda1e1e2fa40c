#include "numbers.hpp"

#include <limits>
#include <numeric>
#include <string>

namespace jhr
{
  namespace
  {
    using wide = __int128;

    /* A rational as numerator and denominator, wide enough for one operation. */
    struct fraction
    {
      wide n, d;
    };

    fraction fraction_of(object const *o)
    {
      if(o->type == tag::integer)
      {
        return { static_cast<integer_obj const *>(o)->value, 1 };
      }
      auto const *r = static_cast<ratio_obj const *>(o);
      return { r->numerator, r->denominator };
    }

    wide gcd(wide a, wide b)
    {
      a = a < 0 ? -a : a;
      b = b < 0 ? -b : b;
      while(b != 0)
      {
        auto const t = a % b;
        a = b;
        b = t;
      }
      return a;
    }

    bool fits(wide v)
    {
      return v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max();
    }

    object *from_fraction(fraction f, char const *name)
    {
      if(f.d == 0)
      {
        fail("Divide by zero");
      }
      if(f.d < 0)
      {
        f.n = -f.n;
        f.d = -f.d;
      }
      auto const g = gcd(f.n, f.d);
      if(g > 1)
      {
        f.n /= g;
        f.d /= g;
      }
      if(!fits(f.n) || !fits(f.d))
      {
        fail(std::string{ "integer overflow in " } + name);
      }
      if(f.d == 1)
      {
        return integer(static_cast<int64_t>(f.n));
      }
      return new ratio_obj{ static_cast<int64_t>(f.n), static_cast<int64_t>(f.d) };
    }
  }

  object *ratio(int64_t n, int64_t d)
  {
    return from_fraction({ n, d }, "/");
  }

  bool is_number(object const *o)
  {
    return o->type == tag::integer || o->type == tag::real || o->type == tag::ratio;
  }

  bool is_rational(object const *o)
  {
    return o->type == tag::integer || o->type == tag::ratio;
  }

  double as_double(object const *o, char const *op)
  {
    switch(o->type)
    {
      case tag::integer:
        return static_cast<double>(static_cast<integer_obj const *>(o)->value);
      case tag::real:
        return static_cast<real_obj const *>(o)->value;
      case tag::ratio:
        {
          auto const *r = static_cast<ratio_obj const *>(o);
          return static_cast<double>(r->numerator) / static_cast<double>(r->denominator);
        }
      default:
        fail(std::string{ op } + " expects numbers, got " + type_name(o) + ": " + pr_str(o));
    }
  }

  object *arithmetic(arith op, object *a, object *b, char const *name)
  {
    if(a->type == tag::integer && b->type == tag::integer && op != arith::div)
    {
      auto const x = static_cast<integer_obj *>(a)->value;
      auto const y = static_cast<integer_obj *>(b)->value;
      int64_t r{};
      bool const overflow = op == arith::add ? __builtin_add_overflow(x, y, &r)
        : op == arith::sub                   ? __builtin_sub_overflow(x, y, &r)
                                             : __builtin_mul_overflow(x, y, &r);
      if(overflow)
      {
        fail(std::string{ "integer overflow in " } + name);
      }
      return integer(r);
    }
    if(is_rational(a) && is_rational(b))
    {
      auto const x = fraction_of(a);
      auto const y = fraction_of(b);
      switch(op)
      {
        case arith::add:
          return from_fraction({ x.n * y.d + y.n * x.d, x.d * y.d }, name);
        case arith::sub:
          return from_fraction({ x.n * y.d - y.n * x.d, x.d * y.d }, name);
        case arith::mul:
          return from_fraction({ x.n * y.n, x.d * y.d }, name);
        case arith::div:
          return from_fraction({ x.n * y.d, x.d * y.n }, name);
      }
    }
    auto const x = as_double(a, name);
    auto const y = as_double(b, name);
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

  int compare_numbers(object const *a, object const *b, char const *op)
  {
    if(is_rational(a) && is_rational(b))
    {
      auto const x = fraction_of(a);
      auto const y = fraction_of(b);
      auto const l = x.n * y.d;
      auto const r = y.n * x.d;
      return l < r ? -1 : l > r ? 1 : 0;
    }
    auto const x = as_double(a, op);
    auto const y = as_double(b, op);
    return x < y ? -1 : x > y ? 1 : 0;
  }
}
