// Type and value predicates, and boolean/char/gensym (predicates.cpp).
#pragma once

namespace jhr
{
  /* Interns coll?, int?, qualified-keyword? and the rest of predicates.cpp's vars. */
  void install_predicates();
}
