// Clojure's hasheq (hash.cpp) and the clojure.core functions over it.
#pragma once

namespace jhr
{
  /* Interns hash-ordered-coll, hash-unordered-coll, mix-collection-hash and hash-combine. */
  void install_hash();
}
