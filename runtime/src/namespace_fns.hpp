// Namespaces as values: *ns*, the-ns, ns-name, alias, ns-unmap and the rest
// (namespace_fns.cpp).
#pragma once

namespace jhr
{
  /* Interns clojure.core's namespace functions and *ns*. */
  void install_namespace_fns();
}
