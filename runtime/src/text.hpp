// Metadata, random numbers, float predicates and regular expressions (text.cpp).
#pragma once

namespace jhr
{
  /* Interns meta, with-meta, rand, re-find and the rest of text.cpp's vars. */
  void install_text();
}
