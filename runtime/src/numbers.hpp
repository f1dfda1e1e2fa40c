// Numbers: longs, BigInts, ratios and doubles, with arithmetic and comparison
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
  /* A long, BigInt or ratio. */
  bool is_rational(object const *o);
  /* A long's or a BigInt's value; a clear error naming op otherwise. */
  big_int as_big(object const *o, char const *op);
  /* The double nearest n/d (d positive), rounded as Java rounds. */
  double quotient_as_double(big_int const &n, big_int const &d);
  /* Any number as a double; a clear error naming op otherwise. */
  double as_double(object const *o, char const *op);
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
  /* Numerically equal and of one category (integer, ratio, double), as = of numbers. */
  bool numbers_equal(object const *a, object const *b);
}
