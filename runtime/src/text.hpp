// Metadata, random numbers, float predicates and regular expressions (text.cpp).
#pragma once

namespace jhr
{
  struct object;

  /* o's metadata as with-meta gave it (nil when none), for *print-meta*. */
  object *stored_meta(object const *o);

  /* Interns meta, with-meta, rand, re-find and the rest of text.cpp's vars. */
  void install_text();
}
