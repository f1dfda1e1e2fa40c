// java.util.Random, drawing what Java's draws for the same seed (java_random.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace jhr
{
  struct object;

  /* Interns java-random-new*, which (java.util.Random. seed) compiles to. */
  void install_java_random();

  bool is_java_random(object *x);

  /* Random.nextInt(bound) of a java.util.Random, for Collections/shuffle. */
  int32_t random_next_int(object *random, int32_t bound);

  /* Random's methods (.nextInt, .nextDouble, .setSeed, ...), for
   * jvm-method*: true, with *answer set, when the target is a Random. */
  bool random_method(std::string const &method, object *target, int argc, object **argv, object **answer);
}
