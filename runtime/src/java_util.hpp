// java.util's mutable collections and its Arrays and Collections statics
// (java_util.cpp), for Clojure code written against the JVM.
#pragma once

#include <cstdint>
#include <string>

namespace jhr
{
  struct object;

  /* List.indexOf and lastIndexOf: the position of the first (or last) item
   * of coll equal to x, or -1. */
  int64_t list_position(object *coll, object *x, bool last);

  /* (.iterator coll), and an iterator's (.hasNext it) and (.next it). */
  bool iterator_method(std::string const &method, object *target, int argc, object **result);

  /* (.method target args...) when target is one of java.util's collections:
   * true and the answer in *result, or false for a method its class lacks. */
  bool java_util_method(std::string const &method, object *target, int argc, object **argv, object **result);

  /* Interns java-util-new* (the constructors) and the Arrays and Collections
   * statics, and gives the collection classes count, seq, get, equality,
   * hashing and printing. */
  void install_java_util();
}
