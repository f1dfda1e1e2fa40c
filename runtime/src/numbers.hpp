// Numbers: integers, doubles and ratios, with arithmetic and comparison across
// them as Clojure does it. Integers and ratios are exact (64-bit; an overflow is
// an error, as in Clojure without the primed operators); any double makes the
// result a double.
#pragma once

#include "object.hpp"

namespace jhr
{
  /* n/d in lowest terms: an integer when d divides n. Divide by zero fails. */
  object *ratio(int64_t n, int64_t d);

  bool is_number(object const *o);
  /* Integer or ratio. */
  bool is_rational(object const *o);
  /* Any number as a double; a clear error naming op otherwise. */
  double as_double(object const *o, char const *op);

  enum class arith
  {
    add,
    sub,
    mul,
    div
  };
  object *arithmetic(arith op, object *a, object *b, char const *name);

  /* -1, 0 or 1; exact between integers and ratios. */
  int compare_numbers(object const *a, object const *b, char const *op);
}
