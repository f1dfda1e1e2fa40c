// Files on the runtime's file system: slurp, spit, java.io.File and the
// file writers clojure.java.io makes (io.cpp).
#pragma once

#include <string>

namespace jhr
{
  struct object;

  /* Interns slurp, spit and the natives clojure.java.io is built on. */
  void install_io();

  /* When w is a file writer ((clojure.java.io/writer f)): buffers text for
   * the file and answers true. */
  bool append_to_file_writer(object *w, std::string const &text);

  /* java.io.File's methods (.exists, .getName, .listFiles, ...) and a file
   * writer's .flush, for jvm-method*: true, with *answer set, when the
   * target is one. */
  bool file_method(std::string const &method, object *target, int argc, object **argv, object **answer);
}
