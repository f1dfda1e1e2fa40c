// java.lang.ref's SoftReference, WeakReference and ReferenceQueue (references.cpp).
#pragma once

#include <string>

namespace jhr
{
  struct object;

  /* Interns reference-new* and reference-queue-new*, which (SoftReference. v)
   * and (ReferenceQueue.) compile to. */
  void install_references();

  /* A reference's and a queue's methods (.get, .clear, .enqueue, .poll, ...),
   * for jvm-method*: true, with *answer set, when the target is one. */
  bool reference_method(std::string const &method, object *target, int argc, object **args, object **answer);
}
