// Java's regular expressions on Boost.Regex: #"..." literals, re-find and
// its family, java.util.regex.Matcher, and the matching that split and
// replace share.
//
// Boost's Perl syntax is close to Java's: lookbehind, possessive and atomic
// groups, named groups, \Q...\E, \A \z \Z and inline flags anywhere. The
// rest is translated once, when the pattern is compiled (java_to_boost).
// Subjects are matched as code points (UTF-32 in a std::wstring), so "."
// is one character, as in Java, and spans are mapped back to UTF-8 bytes.

#include "regex.hpp"

#include "gc.hpp"
#include "native.hpp"
#include "object.hpp"
#include "utf8.hpp"

#include <boost/regex.hpp>

#include <cctype>
#include <locale>
#include <stdexcept>
#include <cstdio>
#include <unordered_map>

namespace jhr
{
  static_assert(sizeof(wchar_t) == 4, "patterns are matched as UTF-32 code points");

  struct regex_obj::compiled
  {
    boost::wregex re;
    /* Java's named groups, (?<year>\d+), by the number of their group. */
    std::unordered_map<std::string, size_t> group_names;
  };

  namespace
  {
    using wide_match = boost::match_results<std::wstring::const_iterator>;

    std::wstring widen(std::string const &s)
    {
      std::wstring out;
      out.reserve(s.size());
      for(size_t i = 0; i < s.size();)
      {
        out += static_cast<wchar_t>(utf8::next(s, i));
      }
      return out;
    }

    /* A subject as code points, with where each starts in the UTF-8 text. */
    struct wide_subject
    {
      explicit wide_subject(std::string const &s)
      {
        text.reserve(s.size());
        byte_at.reserve(s.size() + 1);
        for(size_t i = 0; i < s.size();)
        {
          byte_at.push_back(i);
          text += static_cast<wchar_t>(utf8::next(s, i));
        }
        byte_at.push_back(s.size());
      }

      std::wstring text;
      std::vector<size_t> byte_at;
    };

    /* What a Java \p{Name} stands for: an ASCII range (Java's POSIX names,
     * \p{Alpha}, \p{Upper}, ..., which are ASCII unless the pattern asks
     * for Unicode classes), or only one of Boost's classes, which the regex's
     * UTF-8 locale makes Unicode's (\p{L}, \p{Lu}, \p{IsAlphabetic},
     * \p{javaLowerCase}, ...). Both empty for a name Java does not have. */
    struct java_class
    {
      std::string ascii_range;
      std::string boost_name;
    };

    java_class class_of_property(std::string const &java_name)
    {
      /* Each with the Boost class a negation inside a class falls back on. */
      static std::unordered_map<std::string, std::pair<char const *, char const *>> const ascii = {
        { "Lower", { "a-z", "lower" } },
        { "Upper", { "A-Z", "upper" } },
        { "ASCII", { "\\x{0}-\\x{7F}", "" } },
        { "Alpha", { "a-zA-Z", "alpha" } },
        { "Digit", { "0-9", "digit" } },
        { "Alnum", { "a-zA-Z0-9", "alnum" } },
        { "Punct", { "\\x{21}-\\x{2F}\\x{3A}-\\x{40}\\x{5B}-\\x{60}\\x{7B}-\\x{7E}", "punct" } },
        { "Graph", { "\\x{21}-\\x{7E}", "graph" } },
        { "Print", { "\\x{20}-\\x{7E}", "print" } },
        { "Blank", { " \\t", "blank" } },
        { "Cntrl", { "\\x{0}-\\x{1F}\\x{7F}", "cntrl" } },
        { "XDigit", { "0-9a-fA-F", "xdigit" } },
        { "Space", { " \\t\\n\\x{0B}\\f\\r", "space" } },
      };
      if(auto const found = ascii.find(java_name); found != ascii.end())
      {
        return { found->second.first, found->second.second };
      }
      std::string name = java_name;
      for(auto const *prefix : { "Is", "java" })
      {
        if(name.starts_with(prefix) && name.size() > std::string_view{ prefix }.size())
        {
          name = name.substr(std::string_view{ prefix }.size());
        }
      }
      for(auto &c : name)
      {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      static std::unordered_map<std::string, char const *> const unicode = {
        { "lower", "lower" },   { "ll", "lower" },     { "lowercase", "lower" }, { "upper", "upper" },
        { "lu", "upper" },      { "uppercase", "upper" }, { "alpha", "alpha" }, { "l", "alpha" },
        { "alphabetic", "alpha" }, { "letter", "alpha" }, { "digit", "digit" }, { "nd", "digit" },
        { "n", "digit" },       { "alnum", "alnum" },  { "letterordigit", "alnum" }, { "punct", "punct" },
        { "p", "punct" },       { "punctuation", "punct" }, { "graph", "graph" }, { "print", "print" },
        { "blank", "blank" },   { "cntrl", "cntrl" },  { "cc", "cntrl" },     { "xdigit", "xdigit" },
        { "space", "space" },   { "white_space", "space" }, { "whitespace", "space" }, { "z", "space" },
        { "zs", "space" },
      };
      auto const found = unicode.find(name);
      return { {}, found == unicode.end() ? std::string{} : found->second };
    }

    /* Java's \s: the six ASCII whitespace characters, whatever the locale. */
    constexpr char const *java_space = " \\t\\n\\x{0B}\\f\\r";

    /* The locale the regexes classify characters in: UTF-8, so that a
     * Unicode class such as \p{L} knows letters past ASCII (the classic
     * locale's wide ctype knows ASCII only); classic if the C library has
     * no UTF-8 locale. */
    std::locale const &regex_locale()
    {
      static std::locale const made = [] {
        try
        {
          return std::locale{ "C.UTF-8" };
        }
        catch(std::runtime_error const &)
        {
          return std::locale::classic();
        }
      }();
      return made;
    }

    /* Whether the pattern turns on flag (as in (?m) or (?im:...)) anywhere. */
    bool has_inline_flag(std::string const &java, char flag)
    {
      for(size_t at = java.find("(?"); at != std::string::npos; at = java.find("(?", at + 2))
      {
        if(at > 0 && java[at - 1] == '\\')
        {
          continue;
        }
        for(size_t i = at + 2; i < java.size() && std::isalpha(static_cast<unsigned char>(java[i])); ++i)
        {
          if(java[i] == flag)
          {
            return true;
          }
        }
      }
      return false;
    }

    /* Past the atom at i that may hide a parenthesis or a bar: an escape,
     * a \Q...\E quote or a character class (nested, as Java's may be). */
    size_t past_atom(std::string const &java, size_t i)
    {
      if(java[i] == '\\' && i + 1 < java.size())
      {
        if(java[i + 1] == 'Q')
        {
          auto const end = java.find("\\E", i + 2);
          return end == std::string::npos ? java.size() : end + 2;
        }
        return i + 2;
      }
      if(java[i] != '[')
      {
        return i + 1;
      }
      int depth = 0;
      for(size_t j = i; j < java.size(); ++j)
      {
        if(java[j] == '\\')
        {
          ++j;
        }
        else if(java[j] == '[')
        {
          ++depth;
          /* A ] first in a class, [] or [^], is literal. */
          if(j + 1 < java.size() && java[j + 1] == '^')
          {
            ++j;
          }
          if(j + 1 < java.size() && java[j + 1] == ']')
          {
            ++j;
          }
        }
        else if(java[j] == ']' && --depth == 0)
        {
          return j + 1;
        }
      }
      return java.size();
    }

    /* Java allows a lookbehind whose alternatives differ in length, as
     * (?<=^|[-_ ]); Boost wants each lookbehind of one length. Each such
     * lookbehind becomes one per alternative: (?:(?<=^)|(?<=[-_ ])), and
     * (?<!a|bc) becomes (?<!a)(?<!bc). Capturing groups keep their order. */
    std::string split_lookbehinds(std::string const &java)
    {
      if(java.find("(?<") == std::string::npos)
      {
        return java; /* the common case, at no cost per pattern */
      }
      std::string out;
      size_t i = 0;
      while(i < java.size())
      {
        bool const lookbehind = java.compare(i, 4, "(?<=") == 0 || java.compare(i, 4, "(?<!") == 0;
        if(!lookbehind)
        {
          auto const next = past_atom(java, i);
          out += java.substr(i, next - i);
          i = next;
          continue;
        }
        /* The body's top-level alternatives, up to the matching ). */
        std::vector<std::string> branches{ "" };
        int depth = 0;
        size_t j = i + 4;
        while(j < java.size())
        {
          char const c = java[j];
          if(c == ')' && depth == 0)
          {
            break;
          }
          if(c == '|' && depth == 0)
          {
            branches.emplace_back();
            ++j;
            continue;
          }
          depth += c == '(' ? 1 : c == ')' ? -1 : 0;
          auto const next = past_atom(java, j);
          branches.back() += java.substr(j, next - j);
          j = next;
        }
        bool const negative = java[i + 3] == '!';
        if(branches.size() == 1 || j >= java.size())
        {
          out += java.substr(i, 4) + split_lookbehinds(java.substr(i + 4, j - i - 4));
        }
        else
        {
          out += negative ? "" : "(?:";
          for(size_t b = 0; b < branches.size(); ++b)
          {
            out += std::string{ !negative && b > 0 ? "|" : "" } + (negative ? "(?<!" : "(?<=")
              + split_lookbehinds(branches[b]) + ")";
          }
          out += negative ? "" : ")";
          ++j; /* past the lookbehind's ), written above */
        }
        /* A lookbehind left whole has its ) copied with what follows. */
        i = j;
      }
      return out;
    }

    /* Java's syntax where Boost's Perl syntax differs:
     *  - \w, \W, \s and \S are ASCII as in Java, not the locale's;
     *  - \p{Upper}, \p{Alpha} and Java's other POSIX names are ASCII
     *    ranges; \p{L}, \p{Lu}, \p{IsAlphabetic}, \p{javaLowerCase}, ...
     *    are Boost's classes, Unicode's in the regex's locale;
     *  - \uXXXX and octal \0nnn escapes are \x{...};
     *  - a class nested in a class, [a-z[0-9]], is their union;
     *  - $ without (?m) also matches before a final line terminator;
     *  - the flags Boost lacks, (?u) (?U) (?d), are dropped.
     * The named groups are recorded with their numbers on the way. */
    std::string java_to_boost(std::string const &java, std::unordered_map<std::string, size_t> &names)
    {
      bool const multiline = has_inline_flag(java, 'm');
      std::string out;
      int class_depth = 0;
      size_t groups = 0;
      for(size_t i = 0; i < java.size(); ++i)
      {
        char const c = java[i];
        if(c == '\\' && i + 1 < java.size())
        {
          char const e = java[i + 1];
          if(e == 'Q')
          {
            /* Copied whole: nothing quoted is rewritten. */
            auto const end = java.find("\\E", i + 2);
            out += java.substr(i, end == std::string::npos ? std::string::npos : end + 2 - i);
            i = end == std::string::npos ? java.size() : end + 1;
          }
          else if(e == 'w' || (e == 'W' && class_depth == 0))
          {
            out += class_depth > 0 ? "a-zA-Z_0-9" : e == 'w' ? "[a-zA-Z_0-9]" : "[^a-zA-Z_0-9]";
            ++i;
          }
          else if(e == 's' || (e == 'S' && class_depth == 0))
          {
            out += class_depth > 0 ? std::string{ java_space }
                                   : std::string{ e == 's' ? "[" : "[^" } + java_space + "]";
            ++i;
          }
          else if((e == 'p' || e == 'P') && i + 2 < java.size())
          {
            auto const braced = java[i + 2] == '{';
            auto const close = braced ? java.find('}', i + 3) : i + 2;
            if(close == std::string::npos)
            {
              fail("Unclosed character family near index " + std::to_string(i) + " in #\"" + java + "\"");
            }
            auto const name = braced ? java.substr(i + 3, close - i - 3) : java.substr(i + 2, 1);
            auto const family = class_of_property(name);
            if(family.ascii_range.empty() && family.boost_name.empty())
            {
              fail("Unknown character property name {" + name + "} near index " + std::to_string(close)
                   + " in #\"" + java + "\"");
            }
            auto const negated = e == 'P';
            if(!family.ascii_range.empty() && class_depth > 0 && negated)
            {
              /* A class cannot hold a range's complement: \P{ASCII} is the
               * rest of Unicode, the others the POSIX class's complement. */
              out += name == "ASCII" ? std::string{ "\\x{80}-\\x{10FFFF}" } : "[:^" + family.boost_name + ":]";
            }
            else if(!family.ascii_range.empty())
            {
              out += class_depth > 0 ? family.ascii_range
                                     : std::string{ negated ? "[^" : "[" } + family.ascii_range + "]";
            }
            else if(class_depth > 0)
            {
              /* Boost reads \p only outside a class; inside, the POSIX form. */
              out += std::string{ "[:" } + (negated ? "^" : "") + family.boost_name + ":]";
            }
            else
            {
              out += std::string{ "\\" } + e + "{" + family.boost_name + "}";
            }
            i = close;
          }
          else if(e == 'u' && i + 5 < java.size() && std::isxdigit(static_cast<unsigned char>(java[i + 2]))
                  && std::isxdigit(static_cast<unsigned char>(java[i + 3]))
                  && std::isxdigit(static_cast<unsigned char>(java[i + 4]))
                  && std::isxdigit(static_cast<unsigned char>(java[i + 5])))
          {
            out += "\\x{" + java.substr(i + 2, 4) + "}";
            i += 5;
          }
          else if(e == '0' && i + 2 < java.size() && java[i + 2] >= '0' && java[i + 2] <= '7')
          {
            unsigned value = 0;
            size_t end = i + 2;
            while(end < java.size() && end < i + 5 && java[end] >= '0' && java[end] <= '7'
                  && value * 8 + static_cast<unsigned>(java[end] - '0') <= 0377)
            {
              value = value * 8 + static_cast<unsigned>(java[end++] - '0');
            }
            char hex[16];
            std::snprintf(hex, sizeof hex, "\\x{%X}", value);
            out += hex;
            i = end - 1;
          }
          else
          {
            out += java.substr(i, 2);
            ++i;
          }
          continue;
        }
        if(class_depth > 0)
        {
          if(c == '[')
          {
            if(java.compare(i + 1, 1, "^") == 0)
            {
              fail("A negated class inside a class is not supported: #\"" + java + "\"");
            }
            ++class_depth;
            continue;
          }
          if(c == ']')
          {
            if(--class_depth > 0)
            {
              continue;
            }
          }
          else if(c == '&' && java.compare(i + 1, 1, "&") == 0)
          {
            fail("Character class intersection (&&) is not supported: #\"" + java + "\"");
          }
          out += c;
          continue;
        }
        if(c == '[')
        {
          class_depth = 1;
          out += c;
          /* A ] first in the class is a literal, as in Java. */
          auto const negated = java.compare(i + 1, 1, "^") == 0;
          if(negated)
          {
            out += '^';
            ++i;
          }
          if(java.compare(i + 1, 1, "]") == 0)
          {
            out += "\\]";
            ++i;
          }
          continue;
        }
        if(c == '(' && java.compare(i + 1, 1, "?") != 0)
        {
          ++groups;
        }
        else if(c == '(' && java.compare(i + 1, 2, "?<") == 0 && i + 3 < java.size()
                && std::isalpha(static_cast<unsigned char>(java[i + 3])))
        {
          auto const close = java.find('>', i + 3);
          if(close != std::string::npos)
          {
            names[java.substr(i + 3, close - i - 3)] = ++groups;
          }
        }
        else if(c == '(' && java.compare(i + 1, 1, "?") == 0)
        {
          /* Inline flags: keep the ones Boost has. */
          size_t end = i + 2;
          while(end < java.size() && (std::isalpha(static_cast<unsigned char>(java[end])) || java[end] == '-'))
          {
            ++end;
          }
          if(end > i + 2 && end < java.size() && (java[end] == ')' || java[end] == ':'))
          {
            out += "(?";
            for(size_t k = i + 2; k < end; ++k)
            {
              if(std::string_view{ "imsx-" }.find(java[k]) != std::string_view::npos)
              {
                out += java[k];
              }
            }
            if(out.ends_with("(?") && java[end] == ')')
            {
              /* Only dropped flags: an empty group. */
              out.erase(out.size() - 2);
              i = end;
              continue;
            }
            i = end - 1;
            continue;
          }
        }
        else if(c == '$' && !multiline)
        {
          out += "(?=(?:\\r\\n|[\\n\\r\\x{85}\\x{2028}\\x{2029}])?\\z)";
          continue;
        }
        out += c;
      }
      return out;
    }

    /* Boost's message without the pattern it quotes again, with where
     * (in the translated pattern, which mostly lines up with the source). */
    std::string short_message(boost::regex_error const &e)
    {
      std::string what = e.what();
      if(auto const at = what.find(".  The error occurred"); at != std::string::npos)
      {
        what.erase(at);
      }
      return what + " near index " + std::to_string(e.position());
    }

    regex_obj::compiled const &compiled_of(regex_obj const &re)
    {
      return *re.re;
    }

    /* Runs a Boost match, turning its run-time errors (a pattern too
     * complex for the subject) into the runtime's. */
    template <typename F>
    bool boost_run(regex_obj const &re, F &&f)
    {
      try
      {
        return f();
      }
      catch(boost::regex_error const &e)
      {
        /* A pattern that backtracks without end ((a+)+b on a long run of a's):
         * Boost gives up where java.util.regex would hang the page. */
        std::string what = e.what();
        if(auto const at = what.find("  This exception"); at != std::string::npos)
        {
          what.erase(at);
        }
        fail("Matching #\"" + re.source + "\" failed: " + what);
      }
    }

    /* The next match at or after code point from, seeing the text before it
     * for lookbehind, ^ and \b. */
    bool search_from(regex_obj const &re, wide_subject const &w, size_t from, wide_match &m, bool anchored = false)
    {
      auto flags = boost::match_default;
      if(from > 0)
      {
        flags |= boost::match_prev_avail;
      }
      if(anchored)
      {
        flags |= boost::match_continuous;
      }
      return boost_run(re, [&] {
        return boost::regex_search(w.text.begin() + static_cast<std::ptrdiff_t>(from),
                                   w.text.end(),
                                   m,
                                   compiled_of(re).re,
                                   flags,
                                   w.text.begin());
      });
    }

    regex::match to_match(std::string const &subject, wide_subject const &w, wide_match const &m)
    {
      regex::match out{ &subject, {} };
      for(size_t i = 0; i < m.size(); ++i)
      {
        if(!m[i].matched)
        {
          out.groups.emplace_back(regex::match::unmatched, regex::match::unmatched);
          continue;
        }
        auto const first = static_cast<size_t>(m[i].first - w.text.begin());
        auto const second = static_cast<size_t>(m[i].second - w.text.begin());
        out.groups.emplace_back(w.byte_at[first], w.byte_at[second]);
      }
      return out;
    }
  }

  regex_obj::regex_obj(std::string s)
    : object{ tag::regex }
    , source{ std::move(s) }
    , re{ nullptr }
  {
    std::unordered_map<std::string, size_t> names;
    auto const body = java_to_boost(split_lookbehinds(source), names);
    try
    {
      auto const flags = boost::regex_constants::perl | boost::regex_constants::no_mod_s
        | boost::regex_constants::no_mod_m;
      boost::wregex compiled_re;
      compiled_re.imbue(regex_locale());
      compiled_re.assign(widen(body), flags);
      re = new compiled{ std::move(compiled_re), std::move(names) };
    }
    catch(boost::regex_error const &e)
    {
      fail("Invalid regex #\"" + source + "\": " + short_message(e));
    }
  }

  regex_obj::~regex_obj()
  {
    delete re;
  }

  namespace regex
  {
    std::vector<match> find_all(regex_obj const &re, std::string const &subject, size_t limit)
    {
      wide_subject const w{ subject };
      std::vector<match> out;
      wide_match m;
      for(size_t from = 0; from <= w.text.size() && out.size() < limit && search_from(re, w, from, m);)
      {
        out.push_back(to_match(subject, w, m));
        auto const first = static_cast<size_t>(m[0].first - w.text.begin());
        auto const last = static_cast<size_t>(m[0].second - w.text.begin());
        from = last == first ? last + 1 : last;
      }
      return out;
    }

    bool matches_whole(regex_obj const &re, std::string const &subject)
    {
      auto const w = widen(subject);
      return boost_run(re, [&] { return boost::regex_match(w, compiled_of(re).re); });
    }

    object *match_value(match const &m)
    {
      if(m.size() == 1)
      {
        return string(m.str(0));
      }
      std::vector<object *> groups;
      for(size_t i = 0; i < m.size(); ++i)
      {
        groups.push_back(m.matched(i) ? string(m.str(i)) : nil());
      }
      return vector_from(groups);
    }

    std::string expand_replacement(match const &m, std::string const &replacement, regex_obj const &re)
    {
      std::string out;
      for(size_t i = 0; i < replacement.size(); ++i)
      {
        char const c = replacement[i];
        if(c == '\\')
        {
          if(++i == replacement.size())
          {
            fail("Invalid replacement \"" + replacement + "\": character to be escaped is missing");
          }
          out += replacement[i];
        }
        else if(c == '$' && replacement.compare(i + 1, 1, "{") == 0)
        {
          auto const close = replacement.find('}', i);
          auto const name = replacement.substr(i + 2, close == std::string::npos ? 0 : close - i - 2);
          auto const &names = compiled_of(re).group_names;
          auto const found = names.find(name);
          if(close == std::string::npos || found == names.end())
          {
            fail("No group with name {" + name + "} in the regex for replacement \"" + replacement + "\"");
          }
          out += m.str(found->second);
          i = close;
        }
        else if(c == '$')
        {
          if(i + 1 == replacement.size() || !std::isdigit(static_cast<unsigned char>(replacement[i + 1])))
          {
            fail("Illegal group reference in replacement \"" + replacement
                 + "\": $ must be followed by a group number (write \\$ for a literal $)");
          }
          size_t group = static_cast<size_t>(replacement[++i] - '0');
          while(i + 1 < replacement.size() && std::isdigit(static_cast<unsigned char>(replacement[i + 1]))
                && group * 10 + static_cast<size_t>(replacement[i + 1] - '0') < m.size())
          {
            group = group * 10 + static_cast<size_t>(replacement[++i] - '0');
          }
          if(group >= m.size())
          {
            fail("No group " + std::to_string(group) + " in the regex for replacement \"" + replacement + "\"");
          }
          out += m.str(group);
        }
        else
        {
          out += c;
        }
      }
      return out;
    }
  }

  namespace
  {
    regex_obj *as_regex(object *o, char const *op)
    {
      if(o->type != tag::regex)
      {
        fail(std::string{ op } + " expects a regex, got " + type_name(o));
      }
      return static_cast<regex_obj *>(o);
    }

    /* The string a regex reads: o itself, or the text of a deftype that is
     * a java.lang.CharSequence (instaparse's Segment), as its toString
     * gives it. A collection happens only between calls, so the new string
     * lives as long as the call that reads it. */
    string_obj *as_text_object(object *o, char const *op)
    {
      if(o->type == tag::string)
      {
        return static_cast<string_obj *>(o);
      }
      if(declares(o, "java.lang.CharSequence"))
      {
        return static_cast<string_obj *>(string(str(o)));
      }
      fail(std::string{ op } + " expects a string, got " + type_name(o));
    }

    std::string const &as_text(object *o, char const *op)
    {
      return as_text_object(o, op)->value;
    }

    object *re_pattern(int argc, args_t argv)
    {
      check_arity("re-pattern", argc, 1, 1);
      if(argv[0]->type == tag::regex)
      {
        return argv[0];
      }
      return new regex_obj{ as_text(argv[0], "re-pattern") };
    }

    // ---- java.util.regex.Matcher --------------------------------------------

    /* (re-matcher re s) walks s one (re-find m) or (.find m) at a time;
     * (re-groups m), .group, .start and .end read the last match. */
    enum matcher_field : size_t
    {
      matcher_regex,
      matcher_text,
      matcher_next, /* the code point the next find starts at; -1 past the end */
      matcher_last, /* the last match's value, nil before the first */
      matcher_spans, /* [start end ...] of each group of the last match, in code points */
    };

    record_type_obj *matcher_type()
    {
      static record_type_obj *type = [] {
        auto *t = new record_type_obj{ "java.util.regex.Matcher", {} };
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    instance_obj *as_matcher(object *o, char const *op)
    {
      if(o->type != tag::instance || static_cast<instance_obj *>(o)->type != matcher_type())
      {
        fail(std::string{ op } + " expects a matcher from re-matcher, not " + a_type_name(o));
      }
      return static_cast<instance_obj *>(o);
    }

    object *re_matcher(int argc, args_t argv)
    {
      check_arity("re-matcher", argc, 2, 2);
      as_regex(argv[0], "re-matcher");
      auto *text = as_text_object(argv[1], "re-matcher");
      return new instance_obj{ matcher_type(), { argv[0], text, integer(0), nil(), nil() } };
    }

    /* Records m as the matcher's last match and where the next find starts. */
    object *remember(instance_obj *matcher, wide_subject const &w, wide_match const &m)
    {
      auto &fields = matcher->values;
      auto const &text = static_cast<string_obj *>(fields[matcher_text])->value;
      std::vector<object *> spans;
      for(size_t i = 0; i < m.size(); ++i)
      {
        spans.push_back(integer(m[i].matched ? m[i].first - w.text.begin() : -1));
        spans.push_back(integer(m[i].matched ? m[i].second - w.text.begin() : -1));
      }
      auto const first = m[0].first - w.text.begin();
      auto const last = m[0].second - w.text.begin();
      fields[matcher_next] = integer(last == first ? last + 1 : last);
      fields[matcher_spans] = vector_from(std::move(spans));
      fields[matcher_last] = regex::match_value(to_match(text, w, m));
      return fields[matcher_last];
    }

    object *forget(instance_obj *matcher)
    {
      matcher->values[matcher_last] = nil();
      matcher->values[matcher_spans] = nil();
      return nil();
    }

    /* Matcher.find: the next match after the previous one, or nil. */
    object *matcher_find(instance_obj *matcher)
    {
      auto &fields = matcher->values;
      auto const &re = *static_cast<regex_obj *>(fields[matcher_regex]);
      wide_subject const w{ static_cast<string_obj *>(fields[matcher_text])->value };
      auto const from = static_cast<integer_obj *>(fields[matcher_next])->value;
      wide_match m;
      if(from < 0 || static_cast<size_t>(from) > w.text.size() || !search_from(re, w, static_cast<size_t>(from), m))
      {
        fields[matcher_next] = integer(-1);
        return forget(matcher);
      }
      return remember(matcher, w, m);
    }

    /* Matcher.matches (the whole text) and Matcher.lookingAt (a prefix). */
    object *matcher_match_from_start(instance_obj *matcher, bool whole)
    {
      auto &fields = matcher->values;
      auto const &re = *static_cast<regex_obj *>(fields[matcher_regex]);
      wide_subject const w{ static_cast<string_obj *>(fields[matcher_text])->value };
      wide_match m;
      auto const found = whole ? boost_run(re, [&] { return boost::regex_match(w.text, m, compiled_of(re).re); })
                               : search_from(re, w, 0, m, true);
      if(!found)
      {
        return forget(matcher);
      }
      return remember(matcher, w, m);
    }

    object *re_groups(int argc, args_t argv)
    {
      check_arity("re-groups", argc, 1, 1);
      auto *last = as_matcher(argv[0], "re-groups")->values[matcher_last];
      if(last->type == tag::nil)
      {
        fail("No match found: call re-find on the matcher first");
      }
      return last;
    }

    /* The group a .group, .start or .end argument names: a number, or a
     * named group's name. */
    size_t group_of(instance_obj *matcher, object *which, size_t groups)
    {
      if(which->type == tag::string)
      {
        auto const &names = compiled_of(*static_cast<regex_obj *>(matcher->values[matcher_regex])).group_names;
        auto const found = names.find(static_cast<string_obj *>(which)->value);
        if(found == names.end())
        {
          fail("No group with name <" + static_cast<string_obj *>(which)->value + ">");
        }
        return found->second;
      }
      if(which->type != tag::integer || static_cast<integer_obj *>(which)->value < 0
         || static_cast<size_t>(static_cast<integer_obj *>(which)->value) >= groups)
      {
        fail("No group " + str(which));
      }
      return static_cast<size_t>(static_cast<integer_obj *>(which)->value);
    }

    object *re_find(int argc, args_t argv)
    {
      check_arity("re-find", argc, 1, 2);
      if(argc == 1)
      {
        return matcher_find(as_matcher(argv[0], "re-find"));
      }
      auto const found = regex::find_all(*as_regex(argv[0], "re-find"), as_text(argv[1], "re-find"), 1);
      return found.empty() ? nil() : regex::match_value(found[0]);
    }

    object *re_matches(int argc, args_t argv)
    {
      check_arity("re-matches", argc, 2, 2);
      auto const &re = *as_regex(argv[0], "re-matches");
      auto const &text = as_text(argv[1], "re-matches");
      wide_subject const w{ text };
      wide_match m;
      if(!boost_run(re, [&] { return boost::regex_match(w.text, m, compiled_of(re).re); }))
      {
        return nil();
      }
      return regex::match_value(to_match(text, w, m));
    }

    object *re_seq(int argc, args_t argv)
    {
      check_arity("re-seq", argc, 2, 2);
      std::vector<object *> found;
      for(auto const &m : regex::find_all(*as_regex(argv[0], "re-seq"), as_text(argv[1], "re-seq")))
      {
        found.push_back(regex::match_value(m));
      }
      return found.empty() ? nil() : list_from(found);
    }

    // ---- java.util.regex.Pattern's statics -----------------------------------

    /* Pattern's flag bits, as the JVM numbers them. */
    constexpr int64_t case_insensitive = 2, comments = 4, multiline = 8, literal = 16, dotall = 32;

    /* Pattern/quote: s matched literally, with \Q...\E as Java writes it. */
    std::string quoted(std::string const &s)
    {
      std::string out = "\\Q";
      size_t current = 0;
      for(size_t at; (at = s.find("\\E", current)) != std::string::npos; current = at + 2)
      {
        out += s.substr(current, at - current) + "\\E\\\\E\\Q";
      }
      return out + s.substr(current) + "\\E";
    }

    object *pattern_quote(int argc, args_t argv)
    {
      check_arity("Pattern/quote", argc, 1, 1);
      return string(quoted(as_text(argv[0], "Pattern/quote")));
    }

    /* Pattern/compile, with its flags as the inline (?imsx) Java also reads. */
    object *pattern_compile(int argc, args_t argv)
    {
      check_arity("Pattern/compile", argc, 1, 2);
      auto source = as_text(argv[0], "Pattern/compile");
      auto const flags = argc == 2 ? as<integer_obj>(argv[1], tag::integer, "integer flags")->value : 0;
      if((flags & literal) != 0)
      {
        source = quoted(source);
      }
      std::string inline_flags;
      for(auto const &[bit, letter] : { std::pair{ case_insensitive, 'i' }, std::pair{ multiline, 'm' },
                                        std::pair{ dotall, 's' }, std::pair{ comments, 'x' } })
      {
        if((flags & bit) != 0)
        {
          inline_flags += letter;
        }
      }
      return new regex_obj{ inline_flags.empty() ? source : "(?" + inline_flags + ")" + source };
    }

    object *pattern_matches(int argc, args_t argv)
    {
      check_arity("Pattern/matches", argc, 2, 2);
      regex_obj const re{ as_text(argv[0], "Pattern/matches") };
      return boolean(regex::matches_whole(re, as_text(argv[1], "Pattern/matches")));
    }

    /* Matcher/quoteReplacement: s as a literal replacement (\\ and $ escaped). */
    object *matcher_quote_replacement(int argc, args_t argv)
    {
      check_arity("Matcher/quoteReplacement", argc, 1, 1);
      std::string out;
      for(char const c : as_text(argv[0], "Matcher/quoteReplacement"))
      {
        if(c == '\\' || c == '$')
        {
          out += '\\';
        }
        out += c;
      }
      return string(out);
    }

    native_entry const matcher_fns[] = {
      { "quoteReplacement", matcher_quote_replacement },
    };

    native_entry const pattern_fns[] = {
      { "quote", pattern_quote },
      { "compile", pattern_compile },
      { "matches", pattern_matches },
    };

    native_entry const regex_fns[] = {
      { "re-pattern", re_pattern }, { "re-find", re_find },       { "re-matcher", re_matcher },
      { "re-groups", re_groups },   { "re-matches", re_matches }, { "re-seq", re_seq },
    };
  }

  bool regex_method(std::string const &method, object *target, int argc, object **argv, object **answer)
  {
    if(target->type == tag::string && method == "matches" && argc == 1)
    {
      regex_obj const re{ as_text(argv[0], "matches") };
      *answer = boolean(regex::matches_whole(re, static_cast<string_obj *>(target)->value));
      return true;
    }
    if(target->type == tag::regex && method == "matcher" && argc == 1)
    {
      object *args[] = { target, argv[0] };
      *answer = re_matcher(2, args);
      return true;
    }
    if(target->type == tag::regex && (method == "pattern" || method == "toString") && argc == 0)
    {
      *answer = string(static_cast<regex_obj *>(target)->source);
      return true;
    }
    if(target->type != tag::instance || static_cast<instance_obj *>(target)->type != matcher_type())
    {
      return false;
    }
    auto *matcher = static_cast<instance_obj *>(target);
    auto &fields = matcher->values;
    if(method == "find" && argc == 0)
    {
      *answer = boolean(matcher_find(matcher)->type != tag::nil);
      return true;
    }
    if((method == "matches" || method == "lookingAt") && argc == 0)
    {
      *answer = boolean(matcher_match_from_start(matcher, method == "matches")->type != tag::nil);
      return true;
    }
    if(method == "hasMatch" && argc == 0) /* Java 20 */
    {
      *answer = boolean(fields[matcher_spans]->type != tag::nil);
      return true;
    }
    if(method == "reset" && argc == 0)
    {
      fields[matcher_next] = integer(0);
      forget(matcher);
      *answer = matcher;
      return true;
    }
    if(method == "groupCount" && argc == 0)
    {
      *answer = integer(static_cast<int64_t>(compiled_of(*static_cast<regex_obj *>(fields[matcher_regex])).re.mark_count()));
      return true;
    }
    if((method == "group" || method == "start" || method == "end") && argc <= 1)
    {
      if(fields[matcher_spans]->type == tag::nil)
      {
        fail("No match found");
      }
      auto const *spans = static_cast<vector_obj *>(fields[matcher_spans]);
      auto const group = argc == 0 ? 0 : group_of(matcher, argv[0], spans->count / 2);
      auto const start = static_cast<integer_obj *>(spans->at(2 * group))->value;
      auto const end = static_cast<integer_obj *>(spans->at(2 * group + 1))->value;
      if(method == "start" || method == "end")
      {
        *answer = integer(method == "start" ? start : end);
        return true;
      }
      if(start < 0)
      {
        *answer = nil();
        return true;
      }
      auto *last = fields[matcher_last];
      *answer = last->type == tag::string ? last : static_cast<vector_obj *>(last)->at(group);
      return true;
    }
    return false;
  }

  void install_regex()
  {
    install_natives(regex_fns);
    install_natives(pattern_fns, "Pattern");
    install_natives(matcher_fns, "Matcher");
    for(auto const &[name, bit] : { std::pair{ "CASE_INSENSITIVE", case_insensitive }, std::pair{ "COMMENTS", comments },
                                    std::pair{ "MULTILINE", multiline }, std::pair{ "LITERAL", literal },
                                    std::pair{ "DOTALL", dotall } })
    {
      bind_root(intern_var("Pattern", name), integer(bit));
    }
  }
}
