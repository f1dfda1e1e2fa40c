#pragma once

/* Strings are UTF-8 throughout the runtime; these read and write its code points. */

#include <cstdint>
#include <string>

namespace jhr::utf8
{
  /* The code point starting at s[i]; i moves past it. A truncated sequence
   * reads what is there. */
  inline char32_t next(std::string const &s, size_t &i)
  {
    auto const c = static_cast<unsigned char>(s[i]);
    int const len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : c & (0x3F >> (len - 1));
    ++i;
    for(int k = 1; k < len && i < s.size(); ++k, ++i)
    {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3F);
    }
    return cp;
  }

  /* Java's Character.isWhitespace, which trim and blank? go by: the ASCII
   * controls for space, and Unicode's space separators except the
   * no-break ones. */
  inline bool java_whitespace(char32_t c)
  {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x1680
      || (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200A) || c == 0x2028 || c == 0x2029
      || c == 0x205F || c == 0x3000;
  }

  /* Where the code point that ends before s[end] starts. */
  inline size_t previous(std::string const &s, size_t end)
  {
    do
    {
      --end;
    } while(end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80);
    return end;
  }

  /* How many code points s has: its columns, for laying text out. */
  inline size_t length(std::string const &s)
  {
    size_t n = 0;
    for(char c : s)
    {
      n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }
    return n;
  }

  inline void append(std::string &out, char32_t cp)
  {
    auto const u = static_cast<uint32_t>(cp);
    if(u < 0x80)
    {
      out += static_cast<char>(u);
    }
    else if(u < 0x800)
    {
      out += static_cast<char>(0xC0 | (u >> 6));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
    else if(u < 0x10000)
    {
      out += static_cast<char>(0xE0 | (u >> 12));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
    else
    {
      out += static_cast<char>(0xF0 | (u >> 18));
      out += static_cast<char>(0x80 | ((u >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (u & 0x3F));
    }
  }

  /* The value of a hexadecimal digit, or -1 for any other character. */
  inline int hex_digit(char c)
  {
    if(c >= '0' && c <= '9')
    {
      return c - '0';
    }
    if(c >= 'a' && c <= 'f')
    {
      return c - 'a' + 10;
    }
    if(c >= 'A' && c <= 'F')
    {
      return c - 'A' + 10;
    }
    return -1;
  }
}
