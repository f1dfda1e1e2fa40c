// The data reader: read-string and clojure.edn/read-string (reader.cpp).
#pragma once

namespace jhr
{
  /* Interns clojure.core/read-string and clojure.edn/read-string. */
  void install_reader();
}
