// Maps and vectors in depth, sorting, and function combinators (colls.cpp).
#pragma once

namespace jhr
{
  /* Interns update, assoc-in, merge, sort, comp, partial and the rest of colls.cpp's vars. */
  void install_colls();
}
