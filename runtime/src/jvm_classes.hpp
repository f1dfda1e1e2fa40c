// The JVM static members Clojure code calls most (jvm_classes.cpp).
#pragma once

namespace jhr
{
  /* Binds Integer/parseInt, Long/MAX_VALUE, Character/isDigit and the rest. */
  void install_jvm_classes();
}
