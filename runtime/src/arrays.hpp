// Arrays (arrays.cpp).
#pragma once

namespace jhr
{
  /* Interns object-array, aget, aset and the rest of arrays.cpp's vars. */
  void install_arrays();
}
