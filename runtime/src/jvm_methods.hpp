// The JVM instance methods chosen by the target's type (jvm_methods.cpp).
#pragma once

namespace jhr
{
  /* Binds jvm-method*, what (.indexOf x y) and its kind compile to. */
  void install_jvm_methods();
}
