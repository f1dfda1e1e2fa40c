// clojure.lang.LineNumberingPushbackReader (line_numbering.cpp): a
// PushbackReader that knows the line and column it stands at, so `read`
// from one gives each list its :line and :column, as Clojure's does.
#pragma once

#include "object.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace jhr
{
  struct text_position
  {
    int64_t line;
    int64_t column;
  };

  /* Whether x is a LineNumberingPushbackReader. */
  bool is_line_numbering_reader(object *x);

  /* The line and column (both from 1) of the character at offset in the
   * text the reader r reads, counting from the line r was set to. */
  text_position position_in(instance_obj *r, size_t offset);

  /* getLineNumber, setLineNumber, getColumnNumber and atLineStart; false
   * for any other method or target. */
  bool line_numbering_method(std::string const &method, object *target, int argc, object **args, object **answer);

  /* Binds line-numbering-reader*, the constructor. */
  void install_line_numbering();
}
