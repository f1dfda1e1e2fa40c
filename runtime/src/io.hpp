// slurp and spit on the runtime's file system (io.cpp).
#pragma once

namespace jhr
{
  /* Interns slurp and spit. */
  void install_io();
}
