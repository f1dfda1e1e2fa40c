// Clojure's hasheq (hash.cpp) and the clojure.core functions over it.
#pragma once

#include <cstdint>

namespace jhr
{
  struct object;

  /* x's Java hashCode (what Object.toString shows after the '@'). */
  uint32_t java_hash(object *x);

  /* Interns hash-ordered-coll, hash-unordered-coll, mix-collection-hash and hash-combine. */
  void install_hash();
}
