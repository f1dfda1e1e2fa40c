// Multimethods, protocols and records (polymorphism.cpp).
#pragma once

#include "object.hpp"

namespace jhr
{
  /* Interns multi-fn*, add-method*, protocol*, record-type* and their kin. */
  void install_polymorphism();

  /* Calls a multimethod or a protocol function. */
  object *invoke_polymorphic(object *f, int argc, object **argv);
}
