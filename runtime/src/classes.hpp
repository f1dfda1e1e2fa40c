// JVM classes as values: what (class x) and (type x) return, what `String` or
// `clojure.lang.IPersistentMap` evaluates to, and the class hierarchy that
// isa?, instance? and a multimethod dispatching on class walk.
//
// A class is a record_type_obj, as a defrecord's type is, interned by its full
// name and never collected; it prints as its name. Only the classes a Clojure
// program meets in this runtime are known: the value classes, the collection
// classes and interfaces, the reference types and the exceptions.
#pragma once

#include "object.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace jhr
{
  /* The class named `name`, full ("java.lang.String") or simple ("String"),
   * or null when the runtime knows no such class. */
  record_type_obj *class_named(std::string_view name);

  /* (class x): nil for nil, a record's or deftype's own type, else x's class. */
  object *class_of(object *x);

  /* The name of x's class as the JVM gives it, "nil" for nil. */
  std::string class_name_of(object *x);

  /* Whether t is one of the runtime's built-in classes (not a defrecord's,
   * deftype's or reify's type). */
  bool is_builtin_class(object const *t);

  /* (supers c): every class and interface c extends or implements, as a
   * set, or nil when there are none. */
  object *class_supers(record_type_obj const *c);

  /* (bases c): the direct ones, as a list, or nil. */
  object *class_bases(record_type_obj const *c);

  /* Whether child is parent or a subclass or implementer of it. */
  bool class_isa(record_type_obj const *child, record_type_obj const *parent);

  /* The protocol type key of a built-in class (:string for String), or null:
   * what (extend String P ...) extends. */
  object *class_type_key(record_type_obj const *c);

  /* The class a protocol type key stands for (:string gives String: the
   * first class, not interface, with that key), or null: what extenders
   * lists for a key. */
  record_type_obj *class_for_type_key(std::string_view key);

  /* java.lang's classes, which every namespace maps by simple name (ns-map). */
  std::vector<record_type_obj *> java_lang_classes();

  /* "class java.lang.Long" or "interface clojure.lang.IFn": str of a class. */
  std::string class_to_string(record_type_obj const *c);

  void install_classes();
}
