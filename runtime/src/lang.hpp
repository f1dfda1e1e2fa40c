// Exceptions, atoms, lazy seqs, delays and dynamic bindings (lang.cpp).
#pragma once

#include "object.hpp"

#include <exception>
#include <string>

namespace jhr
{
  /* Interns atom, swap!, lazy-seq*, ex-info and the rest of lang.cpp's vars. */
  void install_lang();

  /* (deref x), as patches call it directly (the core deref extension): an
   * atom's or a volatile's value, such as a named fn's box, without the
   * call path; anything else as clojure.core/deref. */
  object *core_deref(object *x);

  /* A reference's validator: a runtime error when it refuses value. */
  void validate(cell_obj *c, object *value);
  /* Sets an atom's (or ref's or agent's) value: its validator first, its
   * watches after. */
  object *set_cell(cell_obj *c, object *value);

  /* The value a `catch` binds for a caught C++ exception: the thrown value,
   * or an ex-info carrying a runtime error's message. */
  object *caught_value(std::exception const &e);

  /* What an exception says to the user; running out of memory names its
   * usual cause instead of "std::bad_alloc". */
  std::string message_of(std::exception const &e);
  /* The JVM exception class a runtime error's message stands for
   * ("java.lang.ArithmeticException"), or empty when none is clear. */
  std::string java_class_of_error(std::string const &message);

  /* The JVM class an exception stands for, as Throwable->map and #error name
   * it: a runtime error of no particular kind is a RuntimeException. */
  std::string exception_class_name(ex_info_obj const *e);
  /* `(throw value)`. */
  [[noreturn]] void throw_value(object *value);
}
