// Multimethods, protocols and records (polymorphism.cpp).
#pragma once

#include "object.hpp"

#include <string>

namespace jhr
{
  /* Interns multi-fn*, add-method*, protocol*, record-type* and their kin. */
  void install_polymorphism();

  /* When a (defmethod print-method T ...) covers o's type: prints o through
   * it onto out and answers true. */
  bool print_by_user_method(object *o, std::string &out);

  /* When w is a StringWriter or StringBuilder: appends text to it and
   * answers true (print and friends with *out* bound to one). */
  bool append_to_string_writer(object *w, std::string const &text);

  /* When r is a string reader ((java.io.StringReader. s), what
   * clojure.java.io/reader gives): its unread text, now read, and true. */
  bool read_rest_of_string_reader(object *r, std::string &out);

  /* Calls a multimethod or a protocol function. */
  object *invoke_polymorphic(object *f, int argc, object **argv);
}
