// Building the JSON strings the host API returns.
#pragma once

#include <string>

namespace jhr
{
  /* A quoted JSON string, escaping quotes, backslashes and control characters. */
  std::string json_string(std::string const &s);

  /* A malloc'd copy for the C API: the caller frees it with free(). */
  char *malloc_copy(std::string const &s);
}
