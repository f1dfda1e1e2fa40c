// Metadata, random numbers, float predicates and regular expressions (text.cpp).
#pragma once

namespace jhr
{
  struct object;

  /* o's metadata as with-meta gave it (nil when none), for *print-meta*. */
  object *stored_meta(object const *o);

  /* `to`, or a copy of it carrying `from`'s metadata: what assoc, conj, pop and
   * the rest return, as Clojure's collections keep their metadata. */
  object *carry_meta(object *from, object *to);

  /* o without metadata (a copy when it has some), as a transient starts. */
  object *without_meta(object *o);

  /* Interns meta, with-meta, rand, re-find and the rest of text.cpp's vars. */
  void install_text();
}
