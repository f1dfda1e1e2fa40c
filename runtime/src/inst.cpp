// Instants: a java.util.Date is milliseconds since the epoch, and that is
// all an inst_obj holds. The civil-date arithmetic is Howard Hinnant's
// days_from_civil and civil_from_days, exact for the proleptic Gregorian
// calendar, so no time zone database is needed: Clojure reads and prints
// instants in UTC offsets only.
#include "inst.hpp"

#include "native.hpp"
#include "namespaces.hpp"

#include <chrono>
#include <cstdio>

namespace jhr
{
  namespace
  {
    constexpr int64_t ms_per_day = 86'400'000;

    int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
    {
      y -= m <= 2;
      auto const era = (y >= 0 ? y : y - 399) / 400;
      auto const yoe = y - era * 400;
      auto const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
      auto const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
      return era * 146097 + doe - 719468;
    }

    struct civil
    {
      int64_t year, month, day;
    };

    civil civil_from_days(int64_t z)
    {
      z += 719468;
      auto const era = (z >= 0 ? z : z - 146096) / 146097;
      auto const doe = z - era * 146097;
      auto const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
      auto const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
      auto const mp = (5 * doy + 2) / 153;
      auto const day = doy - (153 * mp + 2) / 5 + 1;
      auto const month = mp + (mp < 10 ? 3 : -9);
      return { yoe + era * 400 + (month <= 2), month, day };
    }

    bool is_leap(int64_t y)
    {
      return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    }

    int64_t days_in_month(int64_t y, int64_t m)
    {
      static int const days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
      return m == 2 && is_leap(y) ? 29 : days[m - 1];
    }

    /* Reads exactly n digits at text[at], advancing at. */
    bool digits(std::string const &text, size_t &at, size_t n, int64_t &out)
    {
      if(at + n > text.size())
      {
        return false;
      }
      out = 0;
      for(size_t i = 0; i < n; ++i)
      {
        auto const c = text[at + i];
        if(c < '0' || c > '9')
        {
          return false;
        }
        out = out * 10 + (c - '0');
      }
      at += n;
      return true;
    }

    /* Reads sep then n digits, if text has sep at `at`; false only on a
     * separator followed by something that is not n digits. */
    bool optional_part(std::string const &text, size_t &at, char sep, size_t n, int64_t &out, bool &present)
    {
      present = at < text.size() && text[at] == sep;
      if(!present)
      {
        return true;
      }
      ++at;
      return digits(text, at, n, out);
    }

    object *make_inst(int64_t ms)
    {
      return new inst_obj{ ms };
    }

    /* (read-instant* "2025-09-01T20:47:03.713-00:00"): what #inst reads. */
    object *read_instant(int argc, args_t argv)
    {
      check_arity("read-instant*", argc, 1, 1);
      auto const text = argv[0]->type == tag::string ? static_cast<string_obj *>(argv[0])->value : str(argv[0]);
      auto const ms = parse_timestamp(text);
      if(!ms)
      {
        fail("Unrecognized date/time syntax: " + text);
      }
      return make_inst(*ms);
    }

    /* (date*) is (java.util.Date.), now; (date* ms) is (java.util.Date. ms). */
    object *date(int argc, args_t argv)
    {
      check_arity("java.util.Date.", argc, 0, 1);
      if(argc == 0)
      {
        auto const now = std::chrono::system_clock::now().time_since_epoch();
        return make_inst(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
      }
      if(argv[0]->type != tag::integer)
      {
        fail("java.util.Date. expects milliseconds since the epoch, got " + a_type_name(argv[0]));
      }
      return make_inst(static_cast<integer_obj *>(argv[0])->value);
    }

    object *inst_p(int argc, args_t argv)
    {
      check_arity("inst?", argc, 1, 1);
      return boolean(argv[0]->type == tag::inst);
    }

    object *inst_ms(int argc, args_t argv)
    {
      check_arity("inst-ms", argc, 1, 1);
      if(argv[0]->type != tag::inst)
      {
        fail("inst-ms expects an inst, got " + a_type_name(argv[0]));
      }
      return integer(static_cast<inst_obj *>(argv[0])->ms);
    }

    native_entry const inst_fns[] = {
      { "read-instant*", read_instant },
      { "date*", date },
      { "inst?", inst_p },
      { "inst-ms", inst_ms },
    };
  }

  std::optional<int64_t> parse_timestamp(std::string const &text)
  {
    size_t at = 0;
    int64_t year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, ms = 0;
    bool present = false;
    if(!digits(text, at, 4, year))
    {
      return std::nullopt;
    }
    if(!optional_part(text, at, '-', 2, month, present))
    {
      return std::nullopt;
    }
    if(present && !optional_part(text, at, '-', 2, day, present))
    {
      return std::nullopt;
    }
    if(present && !optional_part(text, at, 'T', 2, hour, present))
    {
      return std::nullopt;
    }
    if(present && !optional_part(text, at, ':', 2, minute, present))
    {
      return std::nullopt;
    }
    if(present && !optional_part(text, at, ':', 2, second, present))
    {
      return std::nullopt;
    }
    if(present && at < text.size() && text[at] == '.')
    {
      /* Any number of fraction digits; a Date keeps milliseconds. */
      ++at;
      size_t n = 0;
      for(; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++n)
      {
        if(n < 3)
        {
          ms = ms * 10 + (text[at] - '0');
        }
      }
      if(n == 0)
      {
        return std::nullopt;
      }
      for(; n < 3; ++n)
      {
        ms *= 10;
      }
    }
    int64_t offset_minutes = 0;
    if(at < text.size() && (text[at] == 'Z' || text[at] == 'z'))
    {
      ++at;
    }
    else if(at < text.size() && (text[at] == '+' || text[at] == '-'))
    {
      auto const sign = text[at] == '-' ? -1 : 1;
      ++at;
      int64_t oh = 0, om = 0;
      if(!digits(text, at, 2, oh) || at >= text.size() || text[at] != ':')
      {
        return std::nullopt;
      }
      ++at;
      if(!digits(text, at, 2, om) || oh > 23 || om > 59)
      {
        return std::nullopt;
      }
      offset_minutes = sign * (oh * 60 + om);
    }
    if(at != text.size() || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23
       || minute > 59 || second > 59)
    {
      return std::nullopt;
    }
    auto const days = days_from_civil(year, month, day);
    return days * ms_per_day + ((hour * 60 + minute - offset_minutes) * 60 + second) * 1000 + ms;
  }

  std::string timestamp_string(inst_obj const *i)
  {
    auto const days = i->ms >= 0 ? i->ms / ms_per_day : -((-i->ms + ms_per_day - 1) / ms_per_day);
    auto const in_day = i->ms - days * ms_per_day;
    auto const [year, month, day] = civil_from_days(days);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lld-00:00",
                  static_cast<long long>(year), static_cast<long long>(month), static_cast<long long>(day),
                  static_cast<long long>(in_day / 3'600'000), static_cast<long long>(in_day / 60'000 % 60),
                  static_cast<long long>(in_day / 1000 % 60), static_cast<long long>(in_day % 1000));
    return buffer;
  }

  uint32_t inst_hash(inst_obj const *i)
  {
    auto const bits = static_cast<uint64_t>(i->ms);
    return static_cast<uint32_t>(bits ^ (bits >> 32));
  }

  void install_inst()
  {
    install_natives(inst_fns, "clojure.core");
  }
}
