#pragma once

namespace jhr
{
  /* Interns clojure.core's natively implemented vars and the user namespace. */
  void install_core();
}
