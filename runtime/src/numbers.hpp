// Numbers: longs, BigInts, ratios, BigDecimals and doubles, with arithmetic and comparison
// across them as Clojure's Numbers class does it. A long that overflows is an
// error, except under the primed operators (+' inc' ...), which promote to a
// BigInt; any BigInt makes an integer result a BigInt; a ratio whose result is
// whole becomes a BigInt (as (+ 1/2 1/2) is 1N); any double makes the result
// a double. BigInts and ratios are Boost.Multiprecision's cpp_int, the type a
// jank.wasm's big_integer uses.
#pragma once

#include "object.hpp"

#include <boost/multiprecision/cpp_int.hpp>

#include <string>

namespace jhr
{
  using big_int = boost::multiprecision::cpp_int;

  /* Clojure's BigInt: 1N, or an integer past a long's range. (biginteger x)
   * makes one marked as a java.math.BigInteger, which prints without the N;
   * arithmetic on either gives a BigInt, as on the JVM. */
  struct big_integer_obj : object
  {
    explicit big_integer_obj(big_int v, bool java = false)
      : object{ tag::big_integer }
      , value{ std::move(v) }
      , java_biginteger{ java }
    {
    }

    big_int value;
    bool java_biginteger;
  };

  /* An exact fraction in lowest terms, denominator above 1. */
  struct ratio_obj : object
  {
    ratio_obj(big_int n, big_int d)
      : object{ tag::ratio }
      , numerator{ std::move(n) }
      , denominator{ std::move(d) }
    {
    }

    big_int numerator, denominator;
  };

  /* java.math.BigDecimal: unscaled × 10^-scale, so 1.50M is 150 at scale 2.
   * Arithmetic is exact (a quotient with no finite decimal is an error, as
   * Java's divide without a MathContext); = compares values, so 1.5M is
   * 1.50M, and a BigDecimal is = only to BigDecimals (== compares across). */
  struct big_decimal_obj : object
  {
    big_decimal_obj(big_int u, int32_t s)
      : object{ tag::big_decimal }
      , unscaled{ std::move(u) }
      , scale{ s }
    {
    }

    big_int unscaled;
    int32_t scale;
  };

  object *big_decimal(big_int unscaled, int32_t scale);
  /* new BigDecimal(text): "1.5", "-2", "1e3", "1.2E-5" (no M); null when the
   * text is not a decimal. */
  object *parse_big_decimal(std::string const &text);
  /* BigDecimal.toString: plain, or scientific when the exponent is large. */
  std::string big_decimal_text(big_decimal_obj const *d);
  /* Clojure's hasheq of a BigDecimal: stripTrailingZeros().hashCode(). */
  uint32_t big_decimal_hash(big_decimal_obj const *d);
  /* Any rational as an exact BigDecimal, as Clojure converts one before
   * BigDecimal arithmetic; a ratio with no finite decimal fails as Java's. */
  big_decimal_obj const *as_big_decimal(object const *o, char const *op);
  /* A BigDecimal result under *math-context* (with-precision): rounded to its
   * precision with its rounding mode; the value itself when none is bound. */
  object *in_math_context(object *result);
  /* x/y under *math-context*: Java's divide(divisor, mc). Null when none is bound. */
  object *decimal_divide_in_context(big_decimal_obj const *x, big_decimal_obj const *y);
  /* setScale(scale, RoundingMode.HALF_UP), as Formatter's %f rounds one. */
  object *decimal_rounded(big_decimal_obj const *d, int32_t scale);
  /* setScale(scale, mode): mode is a RoundingMode's name ("HALF_EVEN");
   * "UNNECESSARY" fails when digits would be lost, as Java's does. */
  object *decimal_set_scale(big_decimal_obj const *d, int32_t scale, std::string const &rounding);
  /* BigDecimal.divide(divisor): exact, at the preferred scale or the least
   * larger one that holds the quotient. */
  object *decimal_divide(big_decimal_obj const *x, big_decimal_obj const *y);

  /* A BigInt, whatever its size (1N stays 1N). */
  object *big_integer(big_int v);
  /* A long when v fits in one, a BigInt otherwise. */
  object *integer_or_big(big_int const &v);
  /* n/d in lowest terms, as Clojure's Numbers.divide of BigIntegers: a BigInt
   * when d divides n. Divide by zero fails. */
  object *ratio(big_int n, big_int d);

  bool is_number(object const *o);
  /* A long or a BigInt. */
  bool is_integer(object const *o);
  /* A long, BigInt, ratio or BigDecimal (Clojure's rational?). */
  bool is_rational(object const *o);
  /* A long's or a BigInt's value; a clear error naming op otherwise. */
  big_int as_big(object const *o, char const *op);
  /* The double nearest n/d (d positive), rounded as Java rounds. */
  double quotient_as_double(big_int const &n, big_int const &d);
  /* Any number as a double; a clear error naming op otherwise. */
  double as_double(object const *o, char const *op);
  /* How many steps a count gives a seq fn that steps it down with pos? and
   * dec, as Clojure's take, drop and nthrest do: a fraction takes one more
   * step ((take 2.5 xs) takes 3). Any number; a clear error naming op
   * otherwise. */
  int64_t step_count(object const *o, char const *op);
  /* An index as Java's intValue reads any number: truncated toward zero, as
   * nth, subvec and .charAt take (nth v 1.5). A clear error naming op for
   * anything else. */
  int64_t truncated_index(object const *o, char const *op);
  /* Decimal digits, as str prints an integer of any size. */
  std::string integer_text(big_int const &v);
  /* java.math.BigInteger.hashCode. */
  uint32_t big_integer_hash(big_int const &v);

  enum class arith
  {
    add,
    sub,
    mul,
    div
  };
  /* a op b; with promote (the primed operators) a long overflow gives a
   * BigInt instead of an error. */
  object *arithmetic(arith op, object *a, object *b, char const *name, bool promote = false);
  /* (quot a b) and (rem a b) of any numbers; exact unless one is a double. */
  object *quotient(object *a, object *b);
  object *remainder(object *a, object *b);

  /* -1, 0 or 1; exact between longs, BigInts and ratios. */
  int compare_numbers(object const *a, object const *b, char const *op);
  /* Numerically equal and of one category (integer, ratio, decimal, double), as = of numbers. */
  bool numbers_equal(object const *a, object const *b);
}
