#pragma once

namespace jhr
{
  struct object;

  /* Interns clojure.core's natively implemented vars and the user namespace. */
  void install_core();

  /* clojure.core's arithmetic and comparisons as patches call them directly,
   * the way Clojure inlines them: op indexes + - * < > <= >= == = inc dec
   * (in that order; the compiler's target::CORE_OPS), b is unused by inc and
   * dec. Two longs or two doubles take a fast path; anything else, and a long
   * overflow, goes to the native function, for Clojure's result or error. */
  object *core_op(int op, object *a, object *b);
}
