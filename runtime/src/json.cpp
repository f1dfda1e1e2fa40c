#include "json.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace jhr
{
  std::string json_string(std::string const &s)
  {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for(char c : s)
    {
      switch(c)
      {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if(static_cast<unsigned char>(c) < 0x20)
          {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
            out += buf;
          }
          else
          {
            out += c;
          }
      }
    }
    out += '"';
    return out;
  }

  char *malloc_copy(std::string const &s)
  {
    auto *out = static_cast<char *>(std::malloc(s.size() + 1));
    if(out != nullptr)
    {
      std::memcpy(out, s.c_str(), s.size() + 1);
    }
    return out;
  }
}
