// Transducers and reduction (transducers.cpp): reduce that stops at `reduced`
// and walks lazy seqs one cell at a time, the one-argument arities of the seq
// functions, transduce, sequence, completing and into with a transducer.
#pragma once

#include "object.hpp"

namespace jhr
{
  /* (reduce f acc coll), stopping early at a reduced value (returned unwrapped). */
  /* collecting: the caller is the reduce native, called by a safe patch
   * directly, so a seq's or range's items may be collected between steps
   * (gc::safepoint); no other native may pass it. */
  object *reduce_with(object *f, object *acc, object *coll, bool collecting = false);

  /* The transducer of a seq function called with its leading arguments only:
   * (map f), (take n), (cat is a value: name "cat", no args). */
  object *transducer(char const *name, int argc, object **argv);

  /* Interns transduce, sequence, completing, reduced and friends. */
  void install_transducers();
}
