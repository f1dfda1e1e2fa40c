#pragma once

// java.math.BigDecimal's and BigInteger's instance methods that Clojure code
// calls through interop: (.setScale x 2 RoundingMode/HALF_UP), (.pow n 10).

#include "object.hpp"

#include <string>

namespace jhr
{
  /* The BigDecimal or BigInteger method `method` on target, into *answer;
   * false when target is not such a number or the method is not one of them. */
  bool number_method(std::string const &method, object *target, int argc, object **argv, object **answer);
  /* java.math.RoundingMode's constants, in the namespace RoundingMode as
   * the other classes' statics are (jvm_classes.cpp). */
  void install_rounding_modes();
}
