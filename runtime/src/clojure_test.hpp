// clojure.test's runtime (clojure_test.cpp).
#pragma once

namespace jhr
{
  /* Binds clojure.test's vars, functions and the report multimethod. */
  void install_clojure_test();
}
