// Metadata, random numbers, float predicates, regular expressions, and text:
// subs, format and the clojure.string namespace.
#include "text.hpp"
#include "classes.hpp"
#include "hash.hpp"

#include "numbers.hpp"

#include "gc.hpp"
#include "native.hpp"
#include "namespaces.hpp"
#include "object.hpp"
#include "polymorphism.hpp"
#include "regex.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <tuple>
#include <string_view>
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <unordered_map>
#include <cwctype>

namespace jhr
{

  namespace
  {

    /* Metadata lives beside the objects: equality and hashing never see it. */
    std::unordered_map<object const *, object *> &metadata()
    {
      static std::unordered_map<object const *, object *> table;
      return table;
    }

    object *meta_of(object *o)
    {
      if(auto *f = type_method_of(o, "meta"))
      {
        return call_method(f, { o }); /* a deftype's IMeta */
      }
      auto const found = metadata().find(o);
      auto *m = found == metadata().end() ? nil() : found->second;
      if(o->type != tag::var)
      {
        return m;
      }
      /* A var always knows its :name and :ns, as Clojure's do. */
      auto *v = static_cast<var_obj *>(o);
      auto *with_names = m->type == tag::nil ? map_from({}) : m;
      auto const name_key = keyword("", "name");
      auto const ns_key = keyword("", "ns");
      if(!contains(with_names, name_key))
      {
        with_names = assoc(with_names, name_key, symbol("", v->name));
      }
      if(!contains(with_names, ns_key))
      {
        with_names = assoc(with_names, ns_key, ns_value(v->ns));
      }
      return with_names;
    }

    void set_meta(object *o, object *m)
    {
      metadata()[o] = m;
      o->has_meta = true;
    }

    /* A copy that can carry other metadata, or null for a kind that cannot. */
    object *try_copy_for_meta(object *o)
    {
      switch(o->type)
      {
        case tag::list:
          return new list_obj{ *static_cast<list_obj *>(o) };
        case tag::vector:
          return new vector_obj{ *static_cast<vector_obj *>(o) };
        case tag::vector_seq:
          return new vector_seq_obj{ *static_cast<vector_seq_obj *>(o) };
        case tag::long_range:
          return new long_range_obj{ *static_cast<long_range_obj *>(o) };
        case tag::map:
          return new map_obj{ *static_cast<map_obj *>(o) };
        case tag::set:
          return new set_obj{ *static_cast<set_obj *>(o) };
        case tag::symbol:
          return new symbol_obj{ *static_cast<symbol_obj *>(o) };
        case tag::fn:
          return new fn_obj{ *static_cast<fn_obj *>(o) };
        case tag::cons:
          return new cons_obj{ *static_cast<cons_obj *>(o) };
        case tag::lazy_seq:
          /* Realized: an empty one is (), as Clojure's with-meta gives. */
          if(seq(o)->type == tag::nil)
          {
            return new list_obj{ *static_cast<list_obj *>(list_from({})) };
          }
          return new cons_obj{ first(o), rest(o) };
        case tag::queue:
          return new queue_obj{ *static_cast<queue_obj *>(o) };
        case tag::record:
          return new record_obj{ *static_cast<record_obj *>(o) };
        case tag::instance:
          /* A reify's object is an IObj, as the JVM's reify makes it; a
           * deftype's is one only through its own withMeta. */
          return static_cast<instance_obj *>(o)->type->reified ? new instance_obj{ *static_cast<instance_obj *>(o) }
                                                               : nullptr;
        default:
          return nullptr;
      }
    }

    object *copy_for_meta(object *o)
    {
      auto *copy = try_copy_for_meta(o);
      if(copy == nullptr)
      {
        fail(a_type_name(o) + " cannot carry metadata");
      }
      return copy;
    }

    object *check_meta_map(object *m, char const *op)
    {
      /* Any IPersistentMap, a record among them (instaparse's Failure). */
      if(m->type != tag::map && m->type != tag::nil && m->type != tag::record)
      {
        fail(std::string{ op } + " expects a map of metadata, got " + type_name(m));
      }
      return m;
    }

    object *meta(int argc, args_t argv)
    {
      check_arity("meta", argc, 1, 1);
      return meta_of(argv[0]);
    }

    object *with_meta(int argc, args_t argv)
    {
      check_arity("with-meta", argc, 2, 2);
      if(auto *f = type_method_of(argv[0], "withMeta"))
      {
        return call_method(f, { argv[0], check_meta_map(argv[1], "with-meta") });
      }
      auto *copy = copy_for_meta(argv[0]);
      set_meta(copy, check_meta_map(argv[1], "with-meta"));
      return copy;
    }

    object *apply_to_meta(object *current, int argc, args_t argv)
    {
      std::vector<object *> args{ current };
      args.insert(args.end(), argv + 2, argv + argc);
      return check_meta_map(invoke(argv[1], static_cast<int>(args.size()), args.data()),
                            "vary-meta");
    }

    object *vary_meta(int argc, args_t argv)
    {
      check_arity("vary-meta", argc, 2, -1);
      if(auto *f = type_method_of(argv[0], "withMeta"))
      {
        return call_method(f, { argv[0], apply_to_meta(meta_of(argv[0]), argc, argv) });
      }
      auto *copy = copy_for_meta(argv[0]);
      set_meta(copy, apply_to_meta(meta_of(argv[0]), argc, argv));
      return copy;
    }

    /* Vars and other references change their metadata in place. */
    object *reset_meta(int argc, args_t argv)
    {
      check_arity("reset-meta!", argc, 2, 2);
      set_meta(argv[0], check_meta_map(argv[1], "reset-meta!"));
      return argv[1];
    }

    object *alter_meta(int argc, args_t argv)
    {
      check_arity("alter-meta!", argc, 2, -1);
      auto *m = apply_to_meta(meta_of(argv[0]), argc, argv);
      set_meta(argv[0], m);
      return m;
    }

    std::mt19937_64 &random_engine()
    {
      static std::mt19937_64 engine{ std::random_device{}() };
      return engine;
    }

    double number(object *o, char const *op)
    {
      if(o->type == tag::integer)
      {
        return static_cast<double>(static_cast<integer_obj *>(o)->value);
      }
      if(o->type == tag::real)
      {
        return static_cast<real_obj *>(o)->value;
      }
      if(is_number(o))
      {
        return as_double(o, op);
      }
      fail(std::string{ op } + " expects a number, got " + type_name(o));
    }

    object *rand(int argc, args_t argv)
    {
      check_arity("rand", argc, 0, 1);
      double const scale = argc == 1 ? number(argv[0], "rand") : 1.0;
      return real(std::uniform_real_distribution<double>{ 0.0, 1.0 }(random_engine()) * scale);
    }

    object *rand_int(int argc, args_t argv)
    {
      check_arity("rand-int", argc, 1, 1);
      auto const n = static_cast<int64_t>(number(argv[0], "rand-int"));
      if(n <= 0)
      {
        return integer(0);
      }
      return integer(std::uniform_int_distribution<int64_t>{ 0, n - 1 }(random_engine()));
    }

    object *infinite_p(int argc, args_t argv)
    {
      check_arity("infinite?", argc, 1, 1);
      return boolean(std::isinf(number(argv[0], "infinite?")));
    }

    object *nan_p(int argc, args_t argv)
    {
      check_arity("NaN?", argc, 1, 1);
      return boolean(std::isnan(number(argv[0], "NaN?")));
    }

    std::string const &as_text(object *o, char const *op)
    {
      if(o->type != tag::string)
      {
        fail(std::string{ op } + " expects a string, got " + type_name(o));
      }
      return static_cast<string_obj *>(o)->value;
    }

    /* parse-long, parse-double and parse-boolean of a non-string: Clojure
     * 1.11's IllegalArgumentException. */
    std::string const &parse_arg(object *o)
    {
      if(o->type != tag::string)
      {
        fail("Expected string, got " + (o->type == tag::nil ? std::string{ "nil" } : class_name_of(o)));
      }
      return static_cast<string_obj *>(o)->value;
    }

    object *namespace_(int argc, args_t argv)
    {
      check_arity("namespace", argc, 1, 1);
      switch(argv[0]->type)
      {
        case tag::keyword:
          {
            auto const &ns = static_cast<keyword_obj *>(argv[0])->ns;
            return ns.empty() ? nil() : string(ns);
          }
        case tag::symbol:
          {
            auto const &ns = static_cast<symbol_obj *>(argv[0])->ns;
            return ns.empty() ? nil() : string(ns);
          }
        default:
          fail(std::string{ "namespace expects a keyword or symbol, got " } + type_name(argv[0]));
      }
    }

    // ---- text ------------------------------------------------------------------

    /* Strings are UTF-8; subs and count work in code points, as Clojure's do in
     * UTF-16 units for everything outside the astral planes. */
    std::vector<size_t> code_point_offsets(std::string const &s)
    {
      std::vector<size_t> at;
      for(size_t i = 0; i < s.size(); ++i)
      {
        if((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80)
        {
          at.push_back(i);
        }
      }
      at.push_back(s.size());
      return at;
    }

    object *subs(int argc, args_t argv)
    {
      check_arity("subs", argc, 2, 3);
      /* (.subSequence x start end) of a deftype that is a CharSequence:
       * its own method (instaparse's Segment). */
      if(auto *own = type_method_of(argv[0], argc == 3 ? "subSequence" : "substring"))
      {
        return invoke(own, argc, argv);
      }
      object *builder_text = string_builder_text(argv[0]); /* (.substring sb 2) */
      auto const &s = as_text(builder_text != nullptr ? builder_text : argv[0], "subs");
      auto const start = static_cast<int64_t>(number(argv[1], "subs"));
      auto const end = argc == 3 ? static_cast<int64_t>(number(argv[2], "subs")) : -1;
      /* Offsets found by walking only as far as end (O(1) for ASCII). */
      auto *text = builder_text != nullptr ? static_cast<string_obj *>(builder_text)
        : argv[0]->type == tag::string      ? static_cast<string_obj *>(argv[0])
                                            : nullptr;
      string_obj copy{ text == nullptr ? s : std::string{} };
      if(text == nullptr)
      {
        text = &copy;
      }
      auto const from = string_offset(text, start);
      auto const to = end < 0 && argc == 2 ? s.size() : end < start ? std::string::npos : string_offset(text, end);
      if(from == std::string::npos || to == std::string::npos)
      {
        auto const length = static_cast<int64_t>(string_length(text));
        fail("begin " + std::to_string(start) + ", end "
             + std::to_string(argc == 3 ? end : length) + ", length " + std::to_string(length));
      }
      return string(s.substr(from, to - from));
    }

    /* Java's ',' flag: thousands separators in the integer part (the first run of digits). */
    std::string grouped(std::string formatted)
    {
      auto const first = formatted.find_first_of("0123456789");
      if(first == std::string::npos)
      {
        return formatted;
      }
      auto last = formatted.find_first_not_of("0123456789", first);
      if(last == std::string::npos)
      {
        last = formatted.size();
      }
      for(auto at = last; at > first + 3; at -= 3)
      {
        formatted.insert(at - 3, 1, ',');
      }
      return formatted;
    }

    /* The shortest digits that read back as |v|, and the power of ten of
     * the first: d.ddd × 10^exponent. */
    std::pair<std::string, int> shortest_digits(double v)
    {
      char buf[64];
      for(int precision = 0; precision <= 16; ++precision)
      {
        std::snprintf(buf, sizeof buf, "%.*e", precision, std::fabs(v));
        if(std::strtod(buf, nullptr) == std::fabs(v))
        {
          break;
        }
      }
      std::string digits;
      char const *p = buf;
      for(; *p != 'e'; ++p)
      {
        if(*p != '.')
        {
          digits += *p;
        }
      }
      return { digits, std::atoi(p + 1) };
    }

    /* Java's %.Nf rounds the double's shortest decimal form half up (2.675
     * → 2.68, 2.5 → 3), where C's printf rounds its exact binary value
     * (2.67, 2). The value returned prints with %.Nf as Java prints v. */
    double round_half_up(double v, int places)
    {
      if(!std::isfinite(v) || places > 17)
      {
        return v;
      }
      auto const [digits, exponent] = shortest_digits(v);
      /* digits × 10^-(fraction digits); keep `places` of them, round on the next. */
      int const fraction = static_cast<int>(digits.size()) - 1 - exponent;
      if(fraction <= places)
      {
        return v;
      }
      int const keep = static_cast<int>(digits.size()) - (fraction - places);
      std::string kept = keep > 0 ? digits.substr(0, static_cast<size_t>(keep)) : "0";
      char const next = keep >= 0 && keep < static_cast<int>(digits.size()) ? digits[static_cast<size_t>(keep)] : '0';
      if(next >= '5')
      {
        int i = static_cast<int>(kept.size()) - 1;
        for(; i >= 0 && kept[static_cast<size_t>(i)] == '9'; --i)
        {
          kept[static_cast<size_t>(i)] = '0';
        }
        if(i < 0)
        {
          kept.insert(kept.begin(), '1');
        }
        else
        {
          ++kept[static_cast<size_t>(i)];
        }
      }
      auto const rounded = std::strtod((kept + "e-" + std::to_string(places)).c_str(), nullptr);
      return std::signbit(v) ? -rounded : rounded;
    }

    /* Java prints a double's digits past its shortest decimal form as zeros
     * (%.20f of 0.1 is 0.10000000000000000000, %.2f of 1e300 a 1 and 300
     * zeros), where C's printf prints the binary value's exact digits. Rewrites
     * printed, the %f or %e text of v, so. */
    void zeros_past_shortest(std::string &printed, double v)
    {
      if(!std::isfinite(v) || v == 0.0)
      {
        return;
      }
      auto const significant = shortest_digits(v).first.size();
      size_t seen = 0;
      bool started = false;
      for(auto &c : printed)
      {
        if(c == 'e' || c == 'E')
        {
          break;
        }
        if(c < '0' || c > '9')
        {
          continue;
        }
        started = started || c != '0';
        if(started && seen++ >= significant)
        {
          c = '0';
        }
      }
    }

    /* digits (d.ddd × 10^exponent) rounded half up to their first `keep`,
     * a carry past the first digit moving the exponent: 9.96 to 2 is 1.0 × 10^1. */
    std::pair<std::string, int> round_significant_digits(std::string const &digits, int exponent, size_t keep)
    {
      if(digits.size() <= keep)
      {
        return { digits, exponent };
      }
      std::string kept = digits.substr(0, keep);
      if(digits[keep] >= '5')
      {
        int i = static_cast<int>(kept.size()) - 1;
        for(; i >= 0 && kept[static_cast<size_t>(i)] == '9'; --i)
        {
          kept[static_cast<size_t>(i)] = '0';
        }
        if(i < 0)
        {
          kept.insert(kept.begin(), '1');
          kept.pop_back();
          ++exponent;
        }
        else
        {
          ++kept[static_cast<size_t>(i)];
        }
      }
      return { kept, exponent };
    }

    /* The same for %.Ne: Java rounds the shortest digits half up to
     * precision + 1 significant digits (1234.5 → 1.235e+03, where C gives
     * 1.234e+03). */
    double round_half_up_scientific(double v, int precision)
    {
      if(!std::isfinite(v) || v == 0.0 || precision > 16)
      {
        return v;
      }
      auto [digits, exponent] = shortest_digits(v);
      auto const keep = static_cast<size_t>(precision) + 1;
      if(digits.size() <= keep)
      {
        return v;
      }
      std::string kept;
      std::tie(kept, exponent) = round_significant_digits(digits, exponent, keep);
      auto const rounded = std::strtod((kept.substr(0, 1) + "." + kept.substr(1) + "e" + std::to_string(exponent)).c_str(), nullptr);
      return std::signbit(v) ? -rounded : rounded;
    }

    /* format: %s %d %f %.Nf %e %g %x %o %c %b %h %n %% (and the upper-case
     * forms) with flags and widths, as Java's. */
    std::string upper(std::string const &s);

    /* text with format's flags: ".n" keeps n characters, a width pads with
     * spaces (on the right after "-"); characters, not bytes, as in Java. */
    std::string padded(std::string text, std::string const &flags)
    {
      auto const dot = flags.find('.');
      if(dot != std::string::npos)
      {
        auto keep = static_cast<size_t>(std::atoi(flags.c_str() + dot + 1));
        size_t at = 0;
        for(; at < text.size() && keep > 0; --keep)
        {
          utf8::next(text, at);
        }
        text.resize(at);
      }
      auto const width_at = flags.find_first_of("123456789");
      auto const width = width_at == std::string::npos || (dot != std::string::npos && width_at > dot)
        ? size_t{ 0 }
        : static_cast<size_t>(std::atoi(flags.c_str() + width_at));
      auto const length = utf8::length(text);
      if(length >= width)
      {
        return text;
      }
      auto const fill = std::string(width - length, ' ');
      return flags.find('-') != std::string::npos ? text + fill : fill + text;
    }

    object *format(int argc, args_t argv)
    {
      check_arity("format", argc, 1, -1);
      auto const &spec = as_text(argv[0], "format");
      std::string out;
      int next = 1;
      int previous = 0;
      for(size_t i = 0; i < spec.size(); ++i)
      {
        if(spec[i] != '%')
        {
          out += spec[i];
          continue;
        }
        size_t j = i + 1;
        /* %2$s: an argument chosen by its position, as java.util.Formatter. */
        int position = 0;
        /* %<s: the argument the previous conversion took. */
        auto const relative = j < spec.size() && spec[j] == '<';
        if(relative)
        {
          ++j;
        }
        for(size_t k = j; !relative && k < spec.size() && std::isdigit(static_cast<unsigned char>(spec[k])); ++k)
        {
          if(k + 1 < spec.size() && spec[k + 1] == '$')
          {
            position = std::atoi(spec.c_str() + j);
            j = k + 2;
            break;
          }
        }
        auto const flags_at = j;
        while(j < spec.size() && std::strchr("-+ 0#,.0123456789(", spec[j]) != nullptr)
        {
          ++j;
        }
        if(j >= spec.size())
        {
          fail("format: the format string ends in the middle of %" + spec.substr(i + 1));
        }
        auto const conversion = spec[j];
        auto flags = spec.substr(flags_at, j - flags_at);
        auto const group = std::erase(flags, ',') > 0;
        /* Java's '(' flag: a negative number in parentheses (%d only here). */
        auto const parens = std::erase(flags, '(') > 0;
        if(parens && conversion != 'd')
        {
          fail(std::string{ "format: the ( flag is supported with %d, not %" } + conversion);
        }
        i = j;
        if(conversion == '%')
        {
          out += '%';
          continue;
        }
        if(conversion == 'n')
        {
          out += '\n';
          continue;
        }
        auto const chosen = relative ? previous : position > 0 ? position : next++;
        previous = chosen;
        if(chosen < 1 || chosen >= argc)
        {
          fail("format: not enough arguments for the format string \"" + spec + "\"");
        }
        auto *arg = argv[chosen];
        char buffer[512];
        auto const printf_spec = "%" + flags;
        switch(conversion)
        {
          case 's':
          case 'S':
          case 'c':
            {
              /* As String.format: nil is "null"; width and precision count characters. */
              auto text = arg->type == tag::nil ? std::string{ "null" }
                : conversion == 'c' && arg->type == tag::integer
                ? str(character(static_cast<int32_t>(static_cast<integer_obj *>(arg)->value)))
                : str(arg);
              out += padded(conversion == 'S' ? upper(text) : text, flags);
              break;
            }
          case 'd':
          case 'x':
          case 'X':
          case 'o':
            {
              if(arg->type == tag::big_integer && conversion == 'd')
              {
                /* A java.math.BigInteger's digits (group and pad as any %d). */
                auto const text = integer_text(static_cast<big_integer_obj *>(arg)->value);
                out += padded(group ? grouped(text.c_str()) : text, flags);
                break;
              }
              if(arg->type != tag::integer)
              {
                fail(std::string{ "format: %" } + conversion + " expects an integer, got "
                     + type_name(arg));
              }
              auto const v = static_cast<long long>(static_cast<integer_obj *>(arg)->value);
              if(parens && v < 0)
              {
                std::snprintf(buffer, sizeof buffer, "%llu", 0ULL - static_cast<unsigned long long>(v));
                out += padded("(" + (group ? grouped(buffer) : std::string{ buffer }) + ")", flags);
                break;
              }
              auto const c = conversion == 'd' ? "lld" : conversion == 'x' ? "llx" : conversion == 'X' ? "llX" : "llo";
              std::snprintf(buffer, sizeof buffer, (printf_spec + c).c_str(), v);
              out += group && conversion == 'd' ? grouped(buffer) : std::string{ buffer };
              break;
            }
          case 'f':
          case 'e':
          case 'E':
          case 'g':
          case 'G':
            {
              auto const dot = flags.find('.');
              auto const precision = dot == std::string::npos ? 6 : std::atoi(flags.c_str() + dot + 1);
              /* A BigDecimal rounds exactly, half up, before it becomes a double. */
              auto v = arg->type == tag::big_decimal && conversion == 'f'
                ? as_double(decimal_rounded(static_cast<big_decimal_obj *>(arg), precision), "format")
                : number(arg, "format");
              if(!std::isfinite(v))
              {
                /* Java's words, padded to the width alone: no precision, zeros or grouping. */
                auto const text = std::isnan(v) ? "NaN"
                  : v < 0                       ? "-Infinity"
                  : flags.find('+') != std::string::npos ? "+Infinity"
                                                         : "Infinity";
                std::string width{ "%" };
                for(auto const c : flags.substr(0, flags.find('.')))
                {
                  if(c == '-' || (c >= '1' && c <= '9') || (c == '0' && width.size() > 1 && width.back() != '-'))
                  {
                    width += c;
                  }
                }
                std::snprintf(buffer, sizeof buffer, (width + "s").c_str(), text);
                out += buffer;
                break;
              }
              if(conversion == 'f')
              {
                v = round_half_up(v, precision);
              }
              else if(conversion == 'e' || conversion == 'E')
              {
                v = round_half_up_scientific(v, precision);
              }
              else
              {
                /* Java's %g: precision significant digits, trailing zeros
                 * kept; decimal from 10^-4 up to 10^precision, else %e. */
                auto const digits = precision == 0 ? 1 : precision;
                v = round_half_up_scientific(v, digits - 1);
                auto const m = std::fabs(v);
                auto const spec = printf_spec.substr(0, printf_spec.find('.'));
                if(m == 0 || (m >= 1e-4 && m < std::pow(10.0, digits)))
                {
                  auto const exponent = m == 0 ? 0 : static_cast<int>(std::floor(std::log10(m)));
                  auto const decimals = std::max(0, digits - 1 - exponent);
                  std::snprintf(buffer, sizeof buffer, (spec + "." + std::to_string(decimals) + "f").c_str(), v);
                }
                else
                {
                  std::snprintf(buffer, sizeof buffer, (spec + "." + std::to_string(digits - 1) + "e").c_str(), v);
                }
                out += conversion == 'G' ? upper(buffer) : std::string{ buffer };
                break;
              }
              std::snprintf(buffer, sizeof buffer, (printf_spec + conversion).c_str(), v);
              std::string printed{ buffer };
              zeros_past_shortest(printed, v);
              out += group && conversion == 'f' ? grouped(printed) : printed;
              break;
            }
          case 'b':
          case 'B':
            {
              std::string const text = truthy(arg) ? "true" : "false";
              out += padded(conversion == 'B' ? upper(text) : text, flags);
              break;
            }
          case 'h':
          case 'H':
            {
              /* Java's %h: the argument's hashCode in hex; nil is "null". */
              std::string text = "null";
              if(arg->type != tag::nil)
              {
                std::snprintf(buffer, sizeof buffer, "%x", static_cast<unsigned>(java_hash(arg)));
                text = buffer;
              }
              out += padded(conversion == 'H' ? upper(text) : text, flags);
              break;
            }
          default:
            fail(std::string{ "format: unsupported conversion %" } + conversion);
        }
      }
      if(next < argc)
      {
        // Java ignores extra arguments too.
      }
      return string(out);
    }

    /* Each code point through libc's Unicode case tables (musl's need no locale). */
    std::string map_case(std::string const &s, std::wint_t (*to)(std::wint_t))
    {
      std::string out;
      out.reserve(s.size());
      for(size_t i = 0; i < s.size();)
      {
        utf8::append(out, static_cast<char32_t>(to(static_cast<std::wint_t>(utf8::next(s, i)))));
      }
      return out;
    }

    std::string lower(std::string const &s)
    {
      return map_case(s, std::towlower);
    }

    std::string upper(std::string const &s)
    {
      /* As String.toUpperCase: ß has no capital of one letter and becomes SS. */
      std::string out;
      std::string_view rest{ s };
      for(auto at = rest.find("\u00DF"); at != std::string_view::npos; at = rest.find("\u00DF"))
      {
        out += rest.substr(0, at);
        out += "SS";
        rest.remove_prefix(at + 2);
      }
      out += rest;
      return map_case(out, std::towupper);
    }

    object *str_join(int argc, args_t argv)
    {
      check_arity("join", argc, 1, 2);
      auto const separator = argc == 2 ? str(argv[0]) : std::string{};
      std::string out;
      bool first_item = true;
      for(auto *x : to_items(argv[argc - 1]))
      {
        if(!first_item)
        {
          out += separator;
        }
        out += str(x);
        first_item = false;
      }
      return string(out);
    }

    /* split by a regex (or a plain string), dropping trailing empty strings as Java does. */
    object *str_split(int argc, args_t argv)
    {
      check_arity("split", argc, 2, 3);
      auto const &s = as_text(argv[0], "split");
      auto const limit = argc == 3 ? static_cast<int64_t>(number(argv[2], "split")) : 0;
      std::vector<std::string> parts;
      if(argv[1]->type == tag::regex)
      {
        size_t start = 0;
        for(auto const &m : regex::find_all(*static_cast<regex_obj *>(argv[1]), s))
        {
          if(limit > 0 && static_cast<int64_t>(parts.size()) == limit - 1)
          {
            break;
          }
          auto const at = m.begin();
          if(m.end() == at && at == 0)
          {
            continue;
          }
          parts.push_back(s.substr(start, at - start));
          start = m.end();
        }
        parts.push_back(s.substr(start));
      }
      else
      {
        auto const separator = as_text(argv[1], "split");
        size_t start = 0;
        for(size_t at; !separator.empty() && (at = s.find(separator, start)) != std::string::npos;)
        {
          if(limit > 0 && static_cast<int64_t>(parts.size()) == limit - 1)
          {
            break;
          }
          parts.push_back(s.substr(start, at - start));
          start = at + separator.size();
        }
        parts.push_back(s.substr(start));
      }
      if(limit == 0)
      {
        /* As Java's split: with any separator found, every trailing empty
         * string goes ("\n" splits into []); with none, the text stays whole
         * ("" is [""]). */
        while(parts.size() > 1 && parts.back().empty())
        {
          parts.pop_back();
        }
        if(parts.size() == 1 && parts[0].empty() && !s.empty())
        {
          parts.clear();
        }
      }
      std::vector<object *> out;
      for(auto &p : parts)
      {
        out.push_back(string(std::move(p)));
      }
      return vector_from(std::move(out));
    }

    object *split_lines(int argc, args_t argv)
    {
      check_arity("split-lines", argc, 1, 1);
      object *args[] = { argv[0], new regex_obj{ "\r?\n" } };
      return str_split(2, args);
    }

    /* replace / replace-first: a string, char or regex match; a string (with $1
     * groups for a regex) or a fn of the match as the replacement. */
    object *replace_text(char const *name, int argc, args_t argv, bool all)
    {
      check_arity(name, argc, 3, 3);
      auto const &s = as_text(argv[0], name);
      if(argv[1]->type == tag::regex)
      {
        auto const &re = *static_cast<regex_obj *>(argv[1]);
        auto const *replacement = argv[2]->type == tag::string ? &as_text(argv[2], name) : nullptr;
        std::string out;
        size_t start = 0;
        for(auto const &m : regex::find_all(re, s, all ? std::numeric_limits<size_t>::max() : 1))
        {
          out += s.substr(start, m.begin() - start);
          if(replacement)
          {
            out += regex::expand_replacement(m, *replacement, re);
          }
          else
          {
            auto *value = regex::match_value(m);
            out += str(invoke(argv[2], 1, &value));
          }
          start = m.end();
        }
        return string(out + s.substr(start));
      }
      auto const match = str(argv[1]);
      auto const replacement = str(argv[2]);
      if(match.empty())
      {
        /* As String.replace: the replacement before every character and
         * at the end (replace-first: at the start). */
        if(!all)
        {
          return string(replacement + s);
        }
        std::string out;
        for(size_t i = 0; i < s.size();)
        {
          auto const from = i;
          utf8::next(s, i);
          out += replacement + s.substr(from, i - from);
        }
        return string(out + replacement);
      }
      std::string out;
      size_t start = 0;
      for(size_t at; (at = s.find(match, start)) != std::string::npos;)
      {
        out += s.substr(start, at - start) + replacement;
        start = at + match.size();
        if(!all)
        {
          break;
        }
      }
      return string(out + s.substr(start));
    }

    object *str_replace(int argc, args_t argv)
    {
      return replace_text("replace", argc, argv, true);
    }

    object *str_replace_first(int argc, args_t argv)
    {
      return replace_text("replace-first", argc, argv, false);
    }

    object *upper_case(int argc, args_t argv)
    {
      check_arity("upper-case", argc, 1, 1);
      return string(upper(str(argv[0])));
    }

    object *lower_case(int argc, args_t argv)
    {
      check_arity("lower-case", argc, 1, 1);
      return string(lower(str(argv[0])));
    }

    object *capitalize(int argc, args_t argv)
    {
      check_arity("capitalize", argc, 1, 1);
      auto const s = str(argv[0]);
      if(s.empty())
      {
        return string(s);
      }
      size_t rest = 0;
      utf8::next(s, rest);
      return string(upper(s.substr(0, rest)) + lower(s.substr(rest)));
    }

    object *trimmed(char const *name, int argc, args_t argv, bool left, bool right)
    {
      check_arity(name, argc, 1, 1);
      auto const &s = as_text(argv[0], name);
      size_t start = 0, end = s.size();
      while(left && start < end)
      {
        auto next = start;
        if(!utf8::java_whitespace(utf8::next(s, next)))
        {
          break;
        }
        start = next;
      }
      while(right && end > start)
      {
        auto const at = utf8::previous(s, end);
        auto probe = at;
        if(!utf8::java_whitespace(utf8::next(s, probe)))
        {
          break;
        }
        end = at;
      }
      return string(s.substr(start, end - start));
    }

    object *trim(int argc, args_t argv)
    {
      return trimmed("trim", argc, argv, true, true);
    }

    object *triml(int argc, args_t argv)
    {
      return trimmed("triml", argc, argv, true, false);
    }

    object *trimr(int argc, args_t argv)
    {
      return trimmed("trimr", argc, argv, false, true);
    }

    object *blank(int argc, args_t argv)
    {
      check_arity("blank?", argc, 1, 1);
      if(argv[0]->type == tag::nil)
      {
        return boolean(true);
      }
      auto *buffered = string_builder_text(argv[0]);
      auto const &s = as_text(buffered != nullptr ? buffered : argv[0], "blank?");
      for(size_t i = 0; i < s.size();)
      {
        if(!utf8::java_whitespace(utf8::next(s, i)))
        {
          return boolean(false);
        }
      }
      return boolean(true);
    }

    object *includes(int argc, args_t argv)
    {
      check_arity("includes?", argc, 2, 2);
      return boolean(as_text(argv[0], "includes?").find(str(argv[1])) != std::string::npos);
    }

    object *starts_with(int argc, args_t argv)
    {
      check_arity("starts-with?", argc, 2, 2);
      return boolean(as_text(argv[0], "starts-with?").starts_with(as_text(argv[1], "starts-with?")));
    }

    object *ends_with(int argc, args_t argv)
    {
      check_arity("ends-with?", argc, 2, 2);
      return boolean(as_text(argv[0], "ends-with?").ends_with(as_text(argv[1], "ends-with?")));
    }

    /* The code-point index of a byte offset, or nil for npos. */
    object *code_point_index(std::string const &s, size_t byte)
    {
      if(byte == std::string::npos)
      {
        return nil();
      }
      int64_t index = 0;
      for(size_t i = 0; i < byte; ++i)
      {
        index += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
      }
      return integer(index);
    }

    /* The byte offset of code point index i in s, clamped to [0, length]. */
    size_t clamped_offset(std::string const &s, int64_t i)
    {
      size_t at = 0;
      for(int64_t n = 0; n < i && at < s.size(); ++n)
      {
        utf8::next(s, at);
      }
      return at;
    }

    object *index_of(int argc, args_t argv)
    {
      check_arity("index-of", argc, 2, 3);
      auto const &s = as_text(argv[0], "index-of");
      auto const from = argc == 3 ? clamped_offset(s, static_cast<int64_t>(number(argv[2], "index-of"))) : 0;
      return code_point_index(s, s.find(str(argv[1]), from));
    }

    object *last_index_of(int argc, args_t argv)
    {
      check_arity("last-index-of", argc, 2, 3);
      auto const &s = as_text(argv[0], "last-index-of");
      /* (last-index-of s value from): the last match starting at or before from. */
      auto const from = argc == 3 ? clamped_offset(s, static_cast<int64_t>(number(argv[2], "last-index-of")))
                                  : std::string::npos;
      return code_point_index(s, s.rfind(str(argv[1]), from));
    }

    object *str_reverse(int argc, args_t argv)
    {
      check_arity("reverse", argc, 1, 1);
      auto const &s = as_text(argv[0], "reverse");
      auto const at = code_point_offsets(s);
      std::string out;
      for(size_t i = at.size() - 1; i > 0; --i)
      {
        out += s.substr(at[i - 1], at[i] - at[i - 1]);
      }
      return string(out);
    }

    /* (escape s cmap): each character c replaced by (cmap c) unless that is nil. */
    object *str_escape(int argc, args_t argv)
    {
      check_arity("escape", argc, 2, 2);
      as_text(argv[0], "escape");
      std::string out;
      for(auto *c : to_items(argv[0]))
      {
        auto *replacement = invoke(argv[1], 1, &c);
        out += str(replacement->type == tag::nil ? c : replacement);
      }
      return string(out);
    }

    /* (trim-newline s): s without its trailing \n and \r characters. */
    object *trim_newline(int argc, args_t argv)
    {
      check_arity("trim-newline", argc, 1, 1);
      auto s = as_text(argv[0], "trim-newline");
      while(!s.empty() && (s.back() == '\n' || s.back() == '\r'))
      {
        s.pop_back();
      }
      return string(s);
    }

    /* (re-quote-replacement s): s as a literal replacement for replace's regex
     * form, as Matcher.quoteReplacement: \ and $ escaped with a backslash. */
    object *re_quote_replacement(int argc, args_t argv)
    {
      check_arity("re-quote-replacement", argc, 1, 1);
      std::string out;
      for(auto c : as_text(argv[0], "re-quote-replacement"))
      {
        if(c == '$' || c == '\\')
        {
          out += '\\';
        }
        out += c;
      }
      return string(out);
    }

    /* parse-long, parse-double and parse-boolean (Clojure 1.11): nil when the
     * whole string is not one, an error when it is not a string. */
    object *parse_long(int argc, args_t argv)
    {
      check_arity("parse-long", argc, 1, 1);
      auto const &s = parse_arg(argv[0]);
      size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
      if(i == s.size())
      {
        return nil();
      }
      for(size_t k = i; k < s.size(); ++k)
      {
        if(s[k] < '0' || s[k] > '9')
        {
          return nil();
        }
      }
      errno = 0;
      auto const value = std::strtoll(s.c_str(), nullptr, 10);
      return errno == ERANGE ? nil() : integer(value);
    }

    object *parse_double(int argc, args_t argv)
    {
      check_arity("parse-double", argc, 1, 1);
      auto const &s = parse_arg(argv[0]);
      static regex_obj *const number = [] {
        auto *re = new regex_obj{ R"(\s*[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[dDfF]?)\s*)" };
        gc::make_permanent(re);
        return re;
      }();
      if(!regex::matches_whole(*number, s))
      {
        return nil();
      }
      auto trimmed = s;
      trimmed.erase(0, trimmed.find_first_not_of(" \t\n\r"));
      auto const sign = trimmed[0] == '-' ? -1.0 : 1.0;
      if(trimmed.find("Infinity") != std::string::npos)
      {
        return real(sign * std::numeric_limits<double>::infinity());
      }
      if(trimmed.find("NaN") != std::string::npos)
      {
        return real(std::numeric_limits<double>::quiet_NaN());
      }
      return real(std::strtod(trimmed.c_str(), nullptr));
    }

    object *parse_boolean(int argc, args_t argv)
    {
      check_arity("parse-boolean", argc, 1, 1);
      auto const &s = parse_arg(argv[0]);
      return s == "true" ? boolean(true) : s == "false" ? boolean(false) : nil();
    }

    /* (printf fmt & args): print of format's result. */
    object *printf_(int argc, args_t argv)
    {
      write_output(str(format(argc, argv)));
      return nil();
    }

    /* (munge s): s as the JVM names a Clojure name in classes, a-b? as a_b_QMARK_;
     * a symbol for a symbol, else a string. */
    object *munge(int argc, args_t argv)
    {
      check_arity("munge", argc, 1, 1);
      auto const out = munge_name(str(argv[0]));
      return argv[0]->type == tag::symbol ? symbol("", out) : string(out);
    }

    /* (clojure.lang.Compiler/demunge s): the Clojure name a class name munged. */
    object *demunge(int argc, args_t argv)
    {
      check_arity("clojure.lang.Compiler/demunge", argc, 1, 1);
      return string(demunge_name(str(argv[0])));
    }

    /* (clojure.lang.Compiler/munge s), as clojure.core's. */
    native_entry const compiler_fns[] = {
      { "munge", munge },
      { "demunge", demunge },
    };

    object *namespace_munge(int argc, args_t argv)
    {
      check_arity("namespace-munge", argc, 1, 1);
      auto out = str(argv[0]);
      std::replace(out.begin(), out.end(), '-', '_');
      return string(out);
    }

    /* clojure.string's functions call a method of their first argument, so
     * nil is the JVM's NullPointerException there, not the empty string. */
    template <native_fn F>
    object *of_text(int argc, args_t argv)
    {
      if(argc >= 1 && argv[0]->type == tag::nil)
      {
        fail("Cannot invoke \"Object.toString()\" because \"s\" is null");
      }
      /* A CharSequence (StringBuilder, StringBuffer) reads as its text. */
      if(std::any_of(argv, argv + argc, [](object *x) { return string_builder_text(x) != nullptr; }))
      {
        std::vector<object *> texts(argv, argv + argc);
        for(auto *&x : texts)
        {
          if(auto *text = string_builder_text(x))
          {
            x = text;
          }
        }
        return F(argc, texts.data());
      }
      return F(argc, argv);
    }

    native_entry const string_fns[] = {
      { "escape", of_text<str_escape> },
      { "trim-newline", of_text<trim_newline> },
      { "re-quote-replacement", of_text<re_quote_replacement> },
      { "join", str_join },
      { "split", of_text<str_split> },
      { "split-lines", of_text<split_lines> },
      { "replace", of_text<str_replace> },
      { "replace-first", of_text<str_replace_first> },
      { "upper-case", of_text<upper_case> },
      { "lower-case", of_text<lower_case> },
      { "capitalize", of_text<capitalize> },
      { "trim", of_text<trim> },
      { "triml", of_text<triml> },
      { "trimr", of_text<trimr> },
      { "blank?", blank },
      { "includes?", of_text<includes> },
      { "starts-with?", of_text<starts_with> },
      { "ends-with?", of_text<ends_with> },
      { "index-of", of_text<index_of> },
      { "last-index-of", of_text<last_index_of> },
      { "reverse", of_text<str_reverse> },
    };

    native_entry const text_fns[] = {
      { "parse-long", parse_long },
      { "parse-double", parse_double },
      { "parse-boolean", parse_boolean },
      { "printf", printf_ },
      { "meta", meta },
      { "with-meta", with_meta },
      { "vary-meta", vary_meta },
      { "reset-meta!", reset_meta },
      { "alter-meta!", alter_meta },
      { "rand", rand },
      { "rand-int", rand_int },
      { "infinite?", infinite_p },
      { "NaN?", nan_p },
      { "namespace", namespace_ },
      { "subs", subs },
      { "munge", munge },
      { "namespace-munge", namespace_munge },
      { "format", format },
    };
  }

  object *carry_meta(object *from, object *to)
  {
    if(!from->has_meta || to == from || to->has_meta)
    {
      return to;
    }
    auto const found = metadata().find(from);
    if(found == metadata().end() || found->second->type == tag::nil)
    {
      return to;
    }
    auto *copy = try_copy_for_meta(to);
    if(copy == nullptr)
    {
      return to;
    }
    set_meta(copy, found->second);
    return copy;
  }

  object *without_meta(object *o)
  {
    if(!o->has_meta)
    {
      return o;
    }
    auto *copy = try_copy_for_meta(o);
    return copy == nullptr ? o : copy;
  }

  object *stored_meta(object const *o)
  {
    auto const found = metadata().find(o);
    return found == metadata().end() ? nil() : found->second;
  }

  std::pair<std::string, int> decimal_digits(double v)
  {
    return shortest_digits(v);
  }

  double java_round_half_up(double v, int places)
  {
    return round_half_up(v, places);
  }

  std::pair<std::string, int> round_digits_half_up(std::string const &digits, int exponent, size_t keep)
  {
    return round_significant_digits(digits, exponent, keep);
  }

  namespace
  {
    /* Compiler.CHAR_MAP: each character munge replaces, and its name. */
    std::pair<char, std::string_view> const munged_chars[] = {
      { '-', "_" },          { ':', "_COLON_" },  { '+', "_PLUS_" },        { '>', "_GT_" },
      { '<', "_LT_" },        { '=', "_EQ_" },     { '~', "_TILDE_" },       { '!', "_BANG_" },
      { '@', "_CIRCA_" },     { '#', "_SHARP_" },  { '\'', "_SINGLEQUOTE_" }, { '"', "_DOUBLEQUOTE_" },
      { '%', "_PERCENT_" },   { '^', "_CARET_" },  { '&', "_AMPERSAND_" },   { '*', "_STAR_" },
      { '|', "_BAR_" },       { '{', "_LBRACE_" }, { '}', "_RBRACE_" },      { '[', "_LBRACK_" },
      { ']', "_RBRACK_" },    { '/', "_SLASH_" },  { '\\', "_BSLASH_" },     { '?', "_QMARK_" },
    };
  }

  std::string munge_name(std::string_view name)
  {
    std::string out;
    for(char c : name)
    {
      auto const found = std::find_if(std::begin(munged_chars), std::end(munged_chars),
                                      [&](auto const &m) { return m.first == c; });
      out += found == std::end(munged_chars) ? std::string_view{ &c, 1 } : found->second;
    }
    return out;
  }

  std::string demunge_name(std::string_view munged)
  {
    /* As Compiler.demunge's pattern: the longest name that matches at each
     * place wins, so _QMARK_ is ? and a lone _ is -. */
    std::string out;
    for(size_t i = 0; i < munged.size();)
    {
      std::pair<char, std::string_view> const *best = nullptr;
      for(auto const &m : munged_chars)
      {
        if(munged.substr(i).starts_with(m.second) && (best == nullptr || m.second.size() > best->second.size()))
        {
          best = &m;
        }
      }
      /* A class's $ separates the namespace from the fn: clojure.core/odd?. */
      out += best != nullptr ? best->first : munged[i] == '$' ? '/' : munged[i];
      i += best == nullptr ? 1 : best->second.size();
    }
    return out;
  }

  void install_text()
  {
    install_natives(text_fns);
    install_natives(string_fns, "clojure.string");
    install_natives(compiler_fns, "clojure.lang.Compiler");
    std::vector<object *> char_map;
    for(auto const &[c, name] : munged_chars)
    {
      char_map.push_back(character(c));
      char_map.push_back(string(std::string{ name }));
    }
    bind_root(intern_var("clojure.lang.Compiler", "CHAR_MAP"), map_from(char_map));
  }

  bool gc::mark_metadata(mark_fn mark, bool (*is_marked)(object const *))
  {
    bool any = false;
    for(auto const &[o, m] : metadata())
    {
      if(is_marked(o) && !is_marked(m))
      {
        mark(m);
        any = true;
      }
    }
    return any;
  }

  void gc::sweep_metadata(bool (*is_marked)(object const *))
  {
    std::erase_if(metadata(), [&](auto const &entry) { return !is_marked(entry.first); });
  }
}
