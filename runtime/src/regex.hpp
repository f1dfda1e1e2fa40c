// Java's regular expressions (java.util.regex) on Boost.Regex (regex.cpp).
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace jhr
{
  struct object;
  struct regex_obj;

  namespace regex
  {
    /* One match in a UTF-8 subject: each group's byte span [first, second),
     * or {npos, npos} for a group that took no part. */
    struct match
    {
      static constexpr size_t unmatched = std::numeric_limits<size_t>::max();

      std::string const *subject;
      std::vector<std::pair<size_t, size_t>> groups;

      size_t size() const
      {
        return groups.size();
      }
      bool matched(size_t group) const
      {
        return groups[group].first != unmatched;
      }
      std::string str(size_t group) const
      {
        return matched(group) ? subject->substr(groups[group].first, groups[group].second - groups[group].first)
                              : std::string{};
      }
      size_t begin() const
      {
        return groups[0].first;
      }
      size_t end() const
      {
        return groups[0].second;
      }
    };

    /* Every match of re in subject, left to right as Matcher.find walks it
     * (after an empty match the next search starts one character on); at
     * most limit of them. */
    std::vector<match> find_all(regex_obj const &re,
                                std::string const &subject,
                                size_t limit = std::numeric_limits<size_t>::max());

    /* Whether re matches the whole of subject (String.matches). */
    bool matches_whole(regex_obj const &re, std::string const &subject);

    /* What re-find and re-seq give for a match: the matched text, or
     * [whole group1 ...] when the regex has groups (nil for a group that
     * took no part). */
    object *match_value(match const &m);

    /* A replacement as Matcher.appendReplacement reads it: $n is group n
     * (the longest number that names a group), ${name} a named group, \x is
     * x itself. */
    std::string expand_replacement(match const &m, std::string const &replacement, regex_obj const &re);
  }

  /* java.util.regex.Matcher's methods (.find, .group, .start, .end,
   * .matches, .lookingAt, .groupCount) and String.matches, for jvm-method*:
   * true, with *answer set, when the target is one of them. */
  bool regex_method(std::string const &method, object *target, int argc, object **argv, object **answer);

  /* Interns re-pattern, re-find, re-matcher, re-groups, re-matches and re-seq. */
  void install_regex();
}
