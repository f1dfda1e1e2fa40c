// clojure.set, clojure.walk and clojure.math (libraries.cpp).
#pragma once

namespace jhr
{
  /* Interns the vars of clojure.set, clojure.walk and clojure.math. */
  void install_libraries();
}
