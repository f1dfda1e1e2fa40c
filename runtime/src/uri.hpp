// java.net.URI, parsed as Java parses one (uri.cpp).
#pragma once

#include <string>

namespace jhr
{
  struct object;

  /* Interns uri-new*, which (java.net.URI. text) compiles to. */
  void install_uri();

  /* A URI's methods (.getHost, .getPath, .getQuery, ...), for jvm-method*:
   * true, with *answer set, when the target is a URI. */
  bool uri_method(std::string const &method, object *target, int argc, object **answer);
}
