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

  /* When x is a StringBuilder: its text now, as a new string (the methods
   * it shares with String read that); else null. */
  object *string_builder_text(object *x);

  /* When r is a string reader ((java.io.StringReader. s), what
   * clojure.java.io/reader gives): its unread text, now read, and true. */
  bool read_rest_of_string_reader(object *r, std::string &out);
  /* A record's or deftype's field of that name, or nullptr. */
  object *basis_field(object *x, std::string const &name);
  /* The java.io.StringReader that r reads from: r itself, or the reader a
   * BufferedReader or PushbackReader wraps; nullptr for anything else. */
  instance_obj *underlying_string_reader(object *r);

  /* A defrecord's or deftype's own implementation of an interface method
   * (IReduceInit's reduce), or else its extension of the protocol method
   * ns/name (clojure.core.protocols/coll-reduce); null for other values,
   * whose clojure.core functions do the work themselves. */
  object *user_type_method(object *target, std::string const &method, char const *ns, char const *name);

  /* A clojure.lang.MultiFn's public fields and table getters, as Clojure
   * code reads them: (.dispatchFn mf), .defaultDispatchVal, .hierarchy,
   * .getMethodTable and .getPreferTable. */
  bool multi_fn_method(std::string const &method, object *target, int argc, object **answer);

  /* Calls a multimethod or a protocol function. */
  object *invoke_polymorphic(object *f, int argc, object **argv);
}
