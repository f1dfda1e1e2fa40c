// clojure.pprint/cl-format (cl_format.cpp).
#pragma once

#include "object.hpp"

namespace jhr
{
  /* (cl-format writer control & args): nil or false gives the text; true, or
   * any other writer, prints it. */
  object *cl_format(int argc, object **argv);
}
