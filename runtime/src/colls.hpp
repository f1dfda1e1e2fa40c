// Maps and vectors in depth, sorting, and function combinators (colls.cpp).
#pragma once

#include <vector>

namespace jhr
{
  struct object;

  /* Clojure's compare: -1, 0 or 1. */
  int compare_values(object *a, object *b);
  /* Three-way through a comparator fn (nullptr: compare). A fn may answer a
   * number, or a boolean meaning "a before b", as Clojure's comparators do. */
  int compare_with(object *comparator, object *a, object *b);

  /* Interns update, assoc-in, merge, sort, comp, partial and the rest of colls.cpp's vars. */
  void install_colls();

  /* When f is what (partial g a b) made: g, with a and b added to args; else
   * f. apply looks through partial to the fn it calls. */
  object *unwrap_partial(object *f, std::vector<object *> &args);
}
