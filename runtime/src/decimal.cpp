// java.math.BigDecimal's own arithmetic: reading, printing, hashing and exact
// division. numbers.cpp dispatches to it as one more category of number.
#include "numbers.hpp"

#include "namespaces.hpp"

#include <cctype>
#include <optional>

namespace jhr
{
  namespace
  {
    big_int power_of_ten(int64_t n)
    {
      return boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(n));
    }

    size_t digit_count(big_int const &v)
    {
      return v == 0 ? 1 : big_int{ abs(v) }.str().size();
    }

    /* *math-context* as with-precision binds it: {:precision n :rounding :HALF_UP}. */
    struct math_context
    {
      size_t precision;
      std::string rounding;
    };

    std::optional<math_context> current_math_context()
    {
      auto *var = find_var("clojure.core", "*math-context*");
      auto *mc = var == nullptr || !var->bound ? nil() : deref(var);
      if(mc->type == tag::nil)
      {
        return std::nullopt;
      }
      auto *precision = get(mc, keyword("", "precision"), nil());
      auto *rounding = get(mc, keyword("", "rounding"), nil());
      if(precision->type != tag::integer || static_cast<integer_obj *>(precision)->value < 0)
      {
        fail("*math-context* needs a non-negative :precision, got " + pr_str(mc));
      }
      auto const p = static_cast<size_t>(static_cast<integer_obj *>(precision)->value);
      return math_context{ p, rounding->type == tag::keyword ? static_cast<keyword_obj *>(rounding)->name : "HALF_UP" };
    }

    /* Whether a magnitude whose dropped part is `dropped` of `unit` (with
     * `sticky` set when nonzero digits lie beyond it) rounds away from zero. */
    bool rounds_up(std::string const &mode, big_int const &kept, big_int const &dropped, big_int const &unit,
                   bool sticky, bool negative)
    {
      bool const inexact = dropped != 0 || sticky;
      int const half = dropped * 2 > unit ? 1 : dropped * 2 < unit ? -1 : (sticky ? 1 : 0);
      if(mode == "UP")
        return inexact;
      if(mode == "DOWN")
        return false;
      if(mode == "CEILING")
        return inexact && !negative;
      if(mode == "FLOOR")
        return inexact && negative;
      if(mode == "HALF_DOWN")
        return half > 0;
      if(mode == "HALF_EVEN")
        return half > 0 || (half == 0 && (kept & 1) != 0);
      if(mode == "HALF_UP")
        return half >= 0 && inexact;
      if(mode == "UNNECESSARY")
      {
        if(inexact)
        {
          fail("Rounding necessary");
        }
        return false;
      }
      fail("Unknown rounding mode: " + mode);
    }

    /* |unscaled| rounded to `precision` digits (0: unlimited); the scale moves
     * with the digits dropped. `sticky`: nonzero digits were already cut. */
    object *round_to_precision(big_int unscaled, int64_t scale, math_context const &mc, bool sticky)
    {
      bool const negative = unscaled < 0;
      big_int magnitude = abs(unscaled);
      auto const digits = digit_count(magnitude);
      if(mc.precision > 0 && digits > mc.precision)
      {
        auto const drop = static_cast<int64_t>(digits - mc.precision);
        big_int const unit = boost::multiprecision::pow(big_int{ 10 }, static_cast<unsigned>(drop));
        big_int kept, dropped;
        boost::multiprecision::divide_qr(magnitude, unit, kept, dropped);
        if(rounds_up(mc.rounding, kept, dropped, unit, sticky, negative))
        {
          ++kept;
        }
        scale -= drop;
        if(digit_count(kept) > mc.precision)
        {
          kept /= 10;
          --scale;
        }
        magnitude = kept;
      }
      else if(sticky && rounds_up(mc.rounding, magnitude, 0, 1, true, negative))
      {
        ++magnitude;
      }
      if(scale > INT32_MAX || scale < INT32_MIN)
      {
        fail("Underflow or overflow of a BigDecimal's scale");
      }
      return big_decimal(negative ? big_int{ -magnitude } : magnitude, static_cast<int32_t>(scale));
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
    return decimal_set_scale(d, scale, "HALF_UP");
  }

  object *decimal_set_scale(big_decimal_obj const *d, int32_t scale, std::string const &rounding)
  {
    if(scale >= d->scale)
    {
      return big_decimal(d->unscaled * power_of_ten(static_cast<int64_t>(scale) - d->scale), scale);
    }
    big_int const divisor = power_of_ten(static_cast<int64_t>(d->scale) - scale);
    big_int q, rest;
    boost::multiprecision::divide_qr(big_int{ abs(d->unscaled) }, divisor, q, rest);
    if(rounds_up(rounding, q, rest, divisor, false, d->unscaled < 0))
    {
      ++q;
    }
    return big_decimal(d->unscaled < 0 ? big_int{ -q } : q, scale);
  }

  object *in_math_context(object *result)
  {
    if(result->type != tag::big_decimal)
    {
      return result;
    }
    auto const mc = current_math_context();
    if(!mc)
    {
      return result;
    }
    auto const *d = static_cast<big_decimal_obj *>(result);
    return round_to_precision(d->unscaled, d->scale, *mc, false);
  }

  object *decimal_divide_in_context(big_decimal_obj const *x, big_decimal_obj const *y)
  {
    auto const mc = current_math_context();
    if(!mc || mc->precision == 0)
    {
      return nullptr;
    }
    if(y->unscaled == 0)
    {
      fail("Divide by zero");
    }
    /* Enough digits of the quotient to round to the precision, and whether
     * any nonzero ones lie beyond them. */
    auto const preferred = static_cast<int64_t>(x->scale) - y->scale;
    auto const extra = static_cast<int64_t>(mc->precision + digit_count(y->unscaled)) - static_cast<int64_t>(digit_count(x->unscaled)) + 3;
    auto const shift = std::max<int64_t>(extra, 0);
    big_int q, rest;
    boost::multiprecision::divide_qr(big_int{ abs(x->unscaled) * power_of_ten(shift) }, big_int{ abs(y->unscaled) }, q, rest);
    bool const negative = (x->unscaled < 0) != (y->unscaled < 0);
    auto *rounded = static_cast<big_decimal_obj *>(
      round_to_precision(negative ? big_int{ -q } : q, preferred + shift, *mc, rest != 0));
    if(rest != 0)
    {
      return rounded;
    }
    /* An exact quotient keeps no more trailing zeros than the preferred scale needs. */
    big_int u = rounded->unscaled;
    int64_t scale = rounded->scale;
    while(scale > preferred && u != 0 && u % 10 == 0)
    {
      u /= 10;
      --scale;
    }
    return big_decimal(u, static_cast<int32_t>(scale));
  }
}
