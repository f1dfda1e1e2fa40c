// The JVM static members Clojure code calls most (jvm_classes.cpp).
#pragma once

#include <string>

namespace jhr
{
  struct object;

  /* The methods of the page's one Thread and one Runtime ((.getName
   * (Thread/currentThread)), (.availableProcessors (Runtime/getRuntime))),
   * for jvm-method*: true, with *answer set, when the target is one. */
  bool host_object_method(std::string const &method, object *target, int argc, object **args, object **answer);

  /* Binds Integer/parseInt, Long/MAX_VALUE, Character/isDigit and the rest. */
  void install_jvm_classes();
}
