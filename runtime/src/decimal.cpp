// java.math.BigDecimal's own arithmetic: reading, printing, hashing and exact
// division. numbers.cpp dispatches to it as one more category of number.
#include "numbers.hpp"

#include <cctype>

namespace jhr
{
  namespace
  {
    big_int power_of_ten(int64_t n)
    {
      return boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(n));
    }

    /* How many times d divides by p. */
    int64_t multiplicity(big_int &d, unsigned p)
    {
      int64_t k = 0;
      while(d % p == 0)
      {
        d /= p;
        ++k;
      }
      return k;
    }
  }

  object *big_decimal(big_int unscaled, int32_t scale)
  {
    return new big_decimal_obj{ std::move(unscaled), scale };
  }

  object *parse_big_decimal(std::string const &text)
  {
    size_t i = 0;
    bool negative = false;
    if(i < text.size() && (text[i] == '-' || text[i] == '+'))
    {
      negative = text[i] == '-';
      ++i;
    }
    std::string digits;
    int64_t scale = 0;
    bool point = false;
    for(; i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'); ++i)
    {
      if(text[i] == '.')
      {
        if(point)
        {
          return nullptr;
        }
        point = true;
        continue;
      }
      digits += text[i];
      scale += point ? 1 : 0;
    }
    if(digits.empty())
    {
      return nullptr;
    }
    if(i < text.size() && (text[i] == 'e' || text[i] == 'E'))
    {
      auto const exponent = text.substr(i + 1);
      auto const body = exponent.substr(exponent.starts_with('-') || exponent.starts_with('+') ? 1 : 0);
      if(body.empty() || body.size() > 9 || body.find_first_not_of("0123456789") != std::string::npos)
      {
        return nullptr;
      }
      scale -= std::stoll(exponent);
      i = text.size();
    }
    if(i != text.size() || scale > INT32_MAX || scale < INT32_MIN)
    {
      return nullptr;
    }
    /* Without leading zeros: Boost reads "025" as octal. */
    big_int unscaled{ digits.substr(std::min(digits.find_first_not_of('0'), digits.size() - 1)) };
    return big_decimal(negative ? big_int{ -unscaled } : unscaled, static_cast<int32_t>(scale));
  }

  std::string big_decimal_text(big_decimal_obj const *d)
  {
    auto const digits = big_int{ abs(d->unscaled) }.str();
    auto const sign = d->unscaled < 0 ? "-" : "";
    auto const adjusted = -static_cast<int64_t>(d->scale) + static_cast<int64_t>(digits.size()) - 1;
    if(d->scale == 0)
    {
      return sign + digits;
    }
    if(d->scale > 0 && adjusted >= -6)
    {
      auto const scale = static_cast<size_t>(d->scale);
      if(digits.size() > scale)
      {
        return sign + digits.substr(0, digits.size() - scale) + "." + digits.substr(digits.size() - scale);
      }
      return sign + ("0." + std::string(scale - digits.size(), '0')) + digits;
    }
    /* Scientific: one digit before the point, then E and the adjusted exponent. */
    std::string out = sign + digits.substr(0, 1);
    if(digits.size() > 1)
    {
      out += "." + digits.substr(1);
    }
    return out + "E" + (adjusted >= 0 ? "+" : "") + std::to_string(adjusted);
  }

  uint32_t big_decimal_hash(big_decimal_obj const *d)
  {
    /* Zero at any scale hashes as BigDecimal.ZERO; anything else without its
     * trailing zeros, as BigDecimal.hashCode: 31 × the unscaled hash + scale. */
    if(d->unscaled == 0)
    {
      return 0;
    }
    big_int unscaled = d->unscaled;
    int64_t scale = d->scale;
    while(unscaled % 10 == 0)
    {
      unscaled /= 10;
      --scale;
    }
    uint32_t unscaled_hash;
    if(unscaled > INT64_MIN && unscaled <= INT64_MAX)
    {
      /* The compact form's hash: the magnitude's two halves folded by 31. */
      auto const v = static_cast<int64_t>(unscaled);
      auto const magnitude = static_cast<uint64_t>(v < 0 ? -v : v);
      auto const folded = static_cast<uint32_t>(magnitude >> 32) * 31u + static_cast<uint32_t>(magnitude);
      unscaled_hash = v < 0 ? 0u - folded : folded;
    }
    else
    {
      unscaled_hash = big_integer_hash(unscaled);
    }
    return 31u * unscaled_hash + static_cast<uint32_t>(static_cast<int32_t>(scale));
  }

  big_decimal_obj const *as_big_decimal(object const *o, char const *op)
  {
    switch(o->type)
    {
      case tag::big_decimal:
        return static_cast<big_decimal_obj const *>(o);
      case tag::integer:
      case tag::big_integer:
        return new big_decimal_obj{ as_big(o, op), 0 };
      case tag::ratio:
        {
          auto const *r = static_cast<ratio_obj const *>(o);
          auto const *n = static_cast<big_decimal_obj const *>(big_decimal(r->numerator, 0));
          auto const *d = static_cast<big_decimal_obj const *>(big_decimal(r->denominator, 0));
          return static_cast<big_decimal_obj const *>(decimal_divide(n, d));
        }
      default:
        fail(std::string{ op } + " expects a rational number, got " + type_name(o) + ": " + pr_str(o));
    }
  }

  object *decimal_divide(big_decimal_obj const *x, big_decimal_obj const *y)
  {
    if(y->unscaled == 0)
    {
      fail("Divide by zero"); /* Clojure's check, before Java's */
    }
    /* x/y = (xu/yu) × 10^(ys - xs): in lowest terms n/d, it has a finite
     * decimal only when d is 2^a × 5^b, and then max(a, b) more places. */
    big_int n = x->unscaled;
    big_int d = y->unscaled;
    if(d < 0)
    {
      n = -n;
      d = -d;
    }
    big_int const g = boost::multiprecision::gcd(n, d);
    n /= g;
    d /= g;
    big_int rest = d;
    auto const twos = multiplicity(rest, 2);
    auto const fives = multiplicity(rest, 5);
    if(rest != 1)
    {
      fail("Non-terminating decimal expansion; no exact representable decimal result.");
    }
    auto const places = std::max(twos, fives);
    big_int const unscaled = n * (power_of_ten(places) / d);
    auto const scale = static_cast<int64_t>(x->scale) - y->scale + places;
    if(scale > INT32_MAX || scale < INT32_MIN)
    {
      fail("Underflow or overflow of a BigDecimal's scale");
    }
    return big_decimal(unscaled, static_cast<int32_t>(scale));
  }

  object *decimal_rounded(big_decimal_obj const *d, int32_t scale)
  {
    if(scale >= d->scale)
    {
      return big_decimal(d->unscaled * power_of_ten(static_cast<int64_t>(scale) - d->scale), scale);
    }
    big_int const divisor = power_of_ten(static_cast<int64_t>(d->scale) - scale);
    big_int q, rest;
    boost::multiprecision::divide_qr(big_int{ abs(d->unscaled) }, divisor, q, rest);
    if(rest * 2 >= divisor)
    {
      ++q;
    }
    return big_decimal(d->unscaled < 0 ? big_int{ -q } : q, scale);
  }
}
