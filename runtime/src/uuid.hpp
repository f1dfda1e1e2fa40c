// UUIDs (uuid.cpp): random-uuid, parse-uuid, uuid? and #uuid "…", as
// java.util.UUID behaves in Clojure.
#pragma once

#include "object.hpp"

#include <string>

namespace jhr
{
  /* The canonical text: 8-4-4-4-12 lowercase hex digits. */
  std::string uuid_string(uuid_obj const *u);

  /* The UUID the canonical text names, or null when it names none. */
  uuid_obj *uuid_from_string(std::string const &s);

  /* java.util.UUID's hashCode, which Clojure's hash gives for a UUID. */
  uint32_t uuid_hash(uuid_obj const *u);

  /* UUID.compareTo: the most significant half first, each as a signed long. */
  int uuid_compare(uuid_obj const *a, uuid_obj const *b);

  /* java.util.UUID's getMostSignificantBits, getLeastSignificantBits,
   * version and variant; false for any other method or target. */
  bool uuid_method(std::string const &method, object *target, int argc, object **answer);

  /* Binds random-uuid, parse-uuid and uuid?. */
  void install_uuid();
}
