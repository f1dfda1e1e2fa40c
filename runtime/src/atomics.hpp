// java.util.concurrent.atomic's AtomicLong, AtomicInteger, AtomicBoolean and
// AtomicReference (atomics.cpp).
#pragma once

#include <string>

namespace jhr
{
  struct object;

  /* Interns atomic-new*, which (AtomicLong. 0) and the others compile to. */
  void install_atomics();

  /* Their methods (.incrementAndGet, .compareAndSet, .updateAndGet, ...),
   * for jvm-method*: true, with *answer set, when the target is one. */
  bool atomic_method(std::string const &method, object *target, int argc, object **argv, object **answer);
}
