// Instants (inst.cpp): #inst "…", (java.util.Date.), inst? and inst-ms, as
// java.util.Date behaves in Clojure: milliseconds since the epoch, printed
// in UTC.
#pragma once

#include "object.hpp"

#include <optional>
#include <string>

namespace jhr
{
  /* The milliseconds an RFC 3339 timestamp names, as clojure.instant reads
   * it: "2025-09-01", "2025-09-01T20:47:03.713Z", "…+02:00"; every part after
   * the year is optional. Nothing when the text is not one. */
  std::optional<int64_t> parse_timestamp(std::string const &text);

  /* #inst's text: "2025-09-01T20:47:03.713-00:00", as Clojure prints a Date. */
  std::string timestamp_string(inst_obj const *i);

  /* java.util.Date's hashCode, which Clojure's hash gives for a Date. */
  uint32_t inst_hash(inst_obj const *i);

  /* Binds inst?, inst-ms, read-instant* and date*. */
  void install_inst();
}
