// clojure.pprint/cl-format: Common Lisp's format directives, the ones Clojure
// code uses: ~a ~s ~d ~b ~o ~x ~r ~f ~e ~$ ~c ~p ~% ~& ~~ ~* ~^ ~?,
// iteration ~{...~}, conditionals ~[...~;...~:;...~], case conversion
// ~(...~) and justification ~<...~;...~>. Any other directive is an error
// that names it.
#include "cl_format.hpp"

#include "namespaces.hpp"
#include "native.hpp"
#include "numbers.hpp"
#include "polymorphism.hpp"
#include "text.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <cctype>

#include <cmath>
#include <cstdio>
#include <optional>
#include <tuple>

namespace jhr
{
  namespace
  {
    /* One directive: ~mincol,padchar:@d. */
    struct directive
    {
      std::vector<std::optional<std::string>> params; /* each as written: "5", "'x", or none */
      bool colon{};
      bool at{};
      char op{};
      size_t end{}; /* just past the directive character */
    };

    class formatter
    {
    public:
      formatter(std::string const &control, std::vector<object *> args)
        : control_{ control }
        , args_{ std::move(args) }
      {
      }

      std::string run()
      {
        run_segment(0, control_.size(), args_, at_);
        return std::move(out_);
      }

      /* How many arguments the directives used (for ~@?). */
      size_t consumed() const
      {
        return at_;
      }

    private:
      std::string const &control_;
      std::vector<object *> args_;
      size_t at_{};
      std::string out_;

      [[noreturn]] static void error(std::string const &message)
      {
        fail("cl-format: " + message);
      }

      directive parse(size_t tilde) const
      {
        directive d;
        auto i = tilde + 1;
        std::string current;
        bool have = false;
        for(; i < control_.size(); ++i)
        {
          auto const c = control_[i];
          if(c == '\'' && i + 1 < control_.size())
          {
            current = control_.substr(i, 2);
            have = true;
            ++i;
          }
          else if(std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == 'v' || c == 'V' || c == '#')
          {
            current += c;
            have = true;
          }
          else if(c == ',')
          {
            d.params.push_back(have ? std::optional{ current } : std::nullopt);
            current.clear();
            have = false;
          }
          else
          {
            break;
          }
        }
        if(have)
        {
          d.params.push_back(current);
        }
        for(; i < control_.size() && (control_[i] == ':' || control_[i] == '@'); ++i)
        {
          (control_[i] == ':' ? d.colon : d.at) = true;
        }
        if(i >= control_.size())
        {
          error("the control string ends inside a directive");
        }
        d.op = static_cast<char>(std::tolower(static_cast<unsigned char>(control_[i])));
        d.end = i + 1;
        return d;
      }

      object *next_arg(std::vector<object *> const &args, size_t &at)
      {
        if(at >= args.size())
        {
          error("not enough arguments for the directives");
        }
        return args[at++];
      }

      /* Parameter n as a number (v takes it from the arguments), or fallback. */
      int64_t number(directive const &d, size_t n, int64_t fallback, std::vector<object *> const &args, size_t &at)
      {
        if(n >= d.params.size() || !d.params[n])
        {
          return fallback;
        }
        auto const &p = *d.params[n];
        if(p == "v" || p == "V")
        {
          auto *x = next_arg(args, at);
          return x->type == tag::integer ? static_cast<integer_obj *>(x)->value : fallback;
        }
        if(p == "#")
        {
          return static_cast<int64_t>(args.size() - at);
        }
        if(p.starts_with('\''))
        {
          return static_cast<unsigned char>(p[1]);
        }
        return std::stoll(p);
      }

      char character(directive const &d, size_t n, char fallback) const
      {
        if(n < d.params.size() && d.params[n] && d.params[n]->starts_with('\''))
        {
          return (*d.params[n])[1];
        }
        return fallback;
      }

      /* text padded to mincol with padchar, on the left when @. */
      static std::string pad(std::string text, int64_t mincol, char padchar, bool left)
      {
        auto const length = static_cast<int64_t>(utf8::length(text));
        if(length >= mincol)
        {
          return text;
        }
        std::string const padding(static_cast<size_t>(mincol - length), padchar);
        return left ? padding + text : text + padding;
      }

      /* ~D ~B ~O ~X, and ~nR, whose parameters start after the radix (`first`). */
      std::string radix_text(object *x, int radix, directive const &d, std::vector<object *> const &args, size_t &at,
                             size_t first = 0)
      {
        auto const mincol = number(d, first, 0, args, at);
        auto const padchar = character(d, first + 1, ' ');
        auto const commachar = character(d, first + 2, ',');
        auto const interval = number(d, first + 3, 3, args, at);
        if(x->type != tag::integer)
        {
          return pad(str(x), mincol, padchar, true);
        }
        auto const value = static_cast<integer_obj *>(x)->value;
        auto magnitude = value < 0 ? -static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
        std::string digits;
        do
        {
          digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[magnitude % static_cast<uint64_t>(radix)]);
          magnitude /= static_cast<uint64_t>(radix);
        } while(magnitude > 0);
        if(d.colon && interval > 0)
        {
          for(auto i = static_cast<int64_t>(digits.size()) - interval; i > 0; i -= interval)
          {
            digits.insert(static_cast<size_t>(i), 1, commachar);
          }
        }
        if(value < 0)
        {
          digits.insert(digits.begin(), '-');
        }
        else if(d.at)
        {
          digits.insert(digits.begin(), '+');
        }
        return pad(digits, mincol, padchar, true);
      }

      /* ~R: ~nR in radix n; else English (~:R as an ordinal) or Roman
       * numerals (~@R, and ~:@R without subtraction), as Clojure writes them. */
      std::string r_directive(directive const &d, std::vector<object *> const &args, size_t &at)
      {
        if(!d.params.empty() && d.params[0])
        {
          auto const radix = number(d, 0, 10, args, at);
          if(radix < 2 || radix > 36)
          {
            error("~R's radix must be between 2 and 36, got " + std::to_string(radix));
          }
          return radix_text(next_arg(args, at), static_cast<int>(radix), d, args, at, 1);
        }
        auto *x = next_arg(args, at);
        if(x->type != tag::integer && is_number(x))
        {
          /* Clojure reads a fraction's whole part: (cl-format nil "~r" 1.5) is "one". */
          x = integer(static_cast<int64_t>(as_double(x, "cl-format")));
        }
        if(x->type != tag::integer)
        {
          return print_str(x);
        }
        auto const value = static_cast<integer_obj *>(x)->value;
        if(!d.at)
        {
          return english_number(value, d.colon);
        }
        if(value <= 0 || value >= 4000)
        {
          directive const grouped{ {}, true, false, 'd', 0 };
          return radix_text(x, 10, grouped, args, at);
        }
        return roman_numeral(value, d.colon);
      }

      static std::string english_below_hundred(int64_t n, bool ordinal)
      {
        static char const *const ones[] = { "",        "one",     "two",       "three",    "four",
                                            "five",    "six",     "seven",     "eight",    "nine",
                                            "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                            "fifteen", "sixteen", "seventeen", "eighteen", "nineteen" };
        static char const *const ordinal_ones[] = { "",          "first",      "second",      "third",
                                                    "fourth",    "fifth",      "sixth",       "seventh",
                                                    "eighth",    "ninth",      "tenth",       "eleventh",
                                                    "twelfth",   "thirteenth", "fourteenth",  "fifteenth",
                                                    "sixteenth", "seventeenth", "eighteenth", "nineteenth" };
        static char const *const tens[] = { "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety" };
        static char const *const ordinal_tens[] = { "",          "",          "twentieth", "thirtieth",  "fortieth",
                                                    "fiftieth",  "sixtieth",  "seventieth", "eightieth", "ninetieth" };
        if(n < 20)
        {
          return ordinal ? ordinal_ones[n] : ones[n];
        }
        if(n % 10 == 0)
        {
          return ordinal ? ordinal_tens[n / 10] : tens[n / 10];
        }
        return std::string{ tens[n / 10] } + "-" + english_below_hundred(n % 10, ordinal);
      }

      static std::string english_below_thousand(int64_t n, bool ordinal)
      {
        if(n < 100)
        {
          return english_below_hundred(n, ordinal);
        }
        auto text = english_below_hundred(n / 100, false) + " hundred";
        if(n % 100 == 0)
        {
          return ordinal ? text + "th" : text;
        }
        return text + " " + english_below_hundred(n % 100, ordinal);
      }

      /* "one thousand, two hundred thirty-four"; as an ordinal, the last
       * group says it ("one thousand, first"), or "th" ends a round number. */
      static std::string english_number(int64_t value, bool ordinal)
      {
        static char const *const scales[] = { "", " thousand", " million", " billion", " trillion", " quadrillion", " quintillion" };
        if(value == 0)
        {
          return ordinal ? "zeroth" : "zero";
        }
        auto magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
        std::vector<int64_t> groups;
        for(; magnitude > 0; magnitude /= 1000)
        {
          groups.push_back(static_cast<int64_t>(magnitude % 1000));
        }
        std::string text;
        for(auto i = groups.size(); i-- > 0;)
        {
          if(groups[i] == 0)
          {
            continue;
          }
          text += (text.empty() ? "" : ", ") + english_below_thousand(groups[i], ordinal && i == 0) + scales[i];
        }
        if(ordinal && groups[0] == 0)
        {
          text += "th";
        }
        return (value < 0 ? "minus " : "") + text;
      }

      static std::string roman_numeral(int64_t n, bool old_style)
      {
        static std::pair<int64_t, char const *> const modern[] = { { 1000, "M" }, { 900, "CM" }, { 500, "D" }, { 400, "CD" },
                                                                   { 100, "C" },  { 90, "XC" },  { 50, "L" },  { 40, "XL" },
                                                                   { 10, "X" },   { 9, "IX" },   { 5, "V" },   { 4, "IV" },
                                                                   { 1, "I" } };
        static std::pair<int64_t, char const *> const old[] = { { 1000, "M" }, { 500, "D" }, { 100, "C" }, { 50, "L" },
                                                                { 10, "X" },   { 5, "V" },   { 1, "I" } };
        std::string text;
        auto add = [&](auto const &table) {
          for(auto const &[step, letters] : table)
          {
            for(; n >= step; n -= step)
            {
              text += letters;
            }
          }
        };
        if(old_style)
        {
          add(old);
        }
        else
        {
          add(modern);
        }
        return text;
      }

      std::string fixed_text(object *x, directive const &d, std::vector<object *> const &args, size_t &at)
      {
        auto const width = number(d, 0, 0, args, at);
        auto const decimals = number(d, 1, -1, args, at);
        if(!is_number(x))
        {
          return pad(str(x), width, ' ', true);
        }
        auto const value = as_double(x, "cl-format");
        std::string text;
        if(decimals >= 0)
        {
          char buffer[512];
          std::snprintf(buffer, sizeof buffer, "%.*f", static_cast<int>(decimals), value);
          text = buffer;
        }
        else
        {
          text = str(real(value));
        }
        if(d.at && value >= 0)
        {
          text.insert(text.begin(), '+');
        }
        return pad(text, width, character(d, 2, ' '), true);
      }

      /* ~e: d.ddd E+x, the shortest digits unless ~,d gives how many after the
       * point; ~,,e the exponent's least digits; ~w the width. */
      std::string exponential_text(object *x, directive const &d, std::vector<object *> const &args, size_t &at)
      {
        auto const width = number(d, 0, 0, args, at);
        auto const decimals = number(d, 1, -1, args, at);
        auto const exponent_digits = number(d, 2, 1, args, at);
        if(!is_number(x))
        {
          return pad(str(x), width, ' ', true);
        }
        auto const value = as_double(x, "cl-format");
        auto [digits, exponent] = value == 0.0 ? std::pair<std::string, int>{ "0", 0 } : decimal_digits(value);
        if(decimals >= 0)
        {
          std::tie(digits, exponent) = round_digits_half_up(digits, exponent, static_cast<size_t>(decimals) + 1);
        }
        auto fraction = digits.substr(1);
        if(decimals >= 0)
        {
          fraction.resize(static_cast<size_t>(decimals), '0');
        }
        if(fraction.empty() && decimals != 0)
        {
          fraction = "0";
        }
        auto power = std::to_string(std::abs(exponent));
        if(static_cast<int64_t>(power.size()) < exponent_digits)
        {
          power.insert(0, static_cast<size_t>(exponent_digits) - power.size(), '0');
        }
        std::string text = std::signbit(value) ? "-" : (d.at ? "+" : "");
        text += digits.substr(0, 1) + "." + fraction + "E" + (exponent < 0 ? "-" : "+") + power;
        return pad(text, width, character(d, 5, ' '), true);
      }

      /* ~$: money, ~d,n,w,padchar$: d digits after the point (2), at least n
       * before it (1), padded on the left to w; @ signs a positive value, and
       * : puts the sign before the padding. */
      std::string money_text(object *x, directive const &d, std::vector<object *> const &args, size_t &at)
      {
        auto const decimals = number(d, 0, 2, args, at);
        auto const whole_digits = number(d, 1, 1, args, at);
        auto const width = number(d, 2, 0, args, at);
        auto const padchar = character(d, 3, ' ');
        if(!is_number(x))
        {
          return pad(str(x), width, ' ', true);
        }
        auto const value = as_double(x, "cl-format");
        char buffer[512];
        std::snprintf(buffer, sizeof buffer, "%.*f", static_cast<int>(decimals),
                      std::fabs(java_round_half_up(value, static_cast<int>(decimals))));
        std::string number_text = buffer;
        auto const point = number_text.find('.');
        auto const whole = static_cast<int64_t>(point == std::string::npos ? number_text.size() : point);
        if(whole < whole_digits)
        {
          number_text.insert(0, static_cast<size_t>(whole_digits - whole), '0');
        }
        if(decimals == 0)
        {
          number_text += '.';
        }
        std::string const sign = std::signbit(value) ? "-" : (d.at ? "+" : "");
        auto const padding = std::max<int64_t>(0, width - static_cast<int64_t>(sign.size() + number_text.size()));
        std::string const fill(static_cast<size_t>(padding), padchar);
        return d.colon ? sign + fill + number_text : fill + sign + number_text;
      }

      /* ~:c names a character as Common Lisp does ("Space", "Control-A"),
       * ~@c reads back (\a), ~c is the character. */
      static std::string character_text(object *x, directive const &d)
      {
        if(d.at)
        {
          return pr_str(x);
        }
        if(!d.colon || x->type != tag::character)
        {
          return str(x);
        }
        auto const code = static_cast<char_obj *>(x)->codepoint;
        switch(code)
        {
          case 8:
            return "Backspace";
          case 9:
            return "Tab";
          case 10:
            return "Newline";
          case 13:
            return "Return";
          case 32:
            return "Space";
          case 127:
            return "Rubout";
          default:
            if(code < 32)
            {
              return std::string{ "Control-" } + static_cast<char>(code + 64);
            }
            return str(x);
        }
      }

      /* ~(...~): lower case; ~:( every word capitalized; ~@( the first
       * letter; ~:@( upper case. A word starts after a character that is not
       * a letter, digit or _, as Clojure's \W\w. */
      static std::string convert_case(std::string text, directive const &d)
      {
        auto const word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
        for(auto &c : text)
        {
          c = static_cast<char>(d.colon && d.at ? std::toupper(static_cast<unsigned char>(c))
                                                : std::tolower(static_cast<unsigned char>(c)));
        }
        if(d.colon && !d.at)
        {
          for(size_t i = 0; i < text.size(); ++i)
          {
            if(i == 0 ? std::isalpha(static_cast<unsigned char>(text[0])) : !word(text[i - 1]) && word(text[i]))
            {
              text[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
            }
          }
        }
        else if(d.at && !d.colon)
        {
          auto const first = std::find_if(text.begin(), text.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
          if(first != text.end())
          {
            *first = static_cast<char>(std::toupper(static_cast<unsigned char>(*first)));
          }
        }
        return text;
      }

      /* ~mincol,colinc,minpad,padchar<...~;...~>: the segments spread over
       * mincol columns (or mincol plus colinc steps, to fit minpad between
       * them), padding between them, before the first with :, after the
       * last with @; one segment alone is right-justified. The first gaps
       * take what does not divide evenly. */
      std::string justified(std::vector<std::string> const &segments, directive const &d, std::vector<object *> const &args,
                            size_t &at)
      {
        auto const mincol = number(d, 0, 0, args, at);
        auto const colinc = std::max<int64_t>(1, number(d, 1, 1, args, at));
        auto const minpad = number(d, 2, 0, args, at);
        auto const padchar = character(d, 3, ' ');
        bool const before = d.colon || (segments.size() == 1 && !d.at);
        bool const after = d.at;
        auto const gaps = static_cast<int64_t>(segments.size()) - 1 + (before ? 1 : 0) + (after ? 1 : 0);
        int64_t total = 0;
        for(auto const &segment : segments)
        {
          total += static_cast<int64_t>(utf8::length(segment));
        }
        auto width = mincol;
        auto const needed = total + minpad * gaps;
        if(needed > width)
        {
          width = mincol + colinc * ((needed - mincol + colinc - 1) / colinc);
        }
        auto const padding = width - total;
        int64_t gap = 0;
        auto const fill = [&]() {
          auto const n = gaps == 0 ? 0 : padding / gaps + (gap < padding % gaps ? 1 : 0);
          ++gap;
          return std::string(static_cast<size_t>(std::max<int64_t>(0, n)), padchar);
        };
        std::string text = before ? fill() : "";
        for(size_t k = 0; k < segments.size(); ++k)
        {
          text += segments[k];
          if(k + 1 < segments.size())
          {
            text += fill();
          }
        }
        return after ? text + fill() : text;
      }

      /* Runs control_[from, to) over args from at into its own text. */
      std::string run_aside(size_t from, size_t to, std::vector<object *> const &args, size_t &at)
      {
        auto saved = std::move(out_);
        out_.clear();
        run_segment(from, to, args, at);
        auto text = std::move(out_);
        out_ = std::move(saved);
        return text;
      }

      /* The index of the directive that closes the one at `open` (~} ~] ~)
       * or ~>), with the start of each clause (~;) in between. */
      size_t closing(size_t open, char close, std::vector<size_t> &separators) const
      {
        int depth = 0;
        for(auto i = open; i < control_.size(); ++i)
        {
          if(control_[i] != '~')
          {
            continue;
          }
          auto const d = parse(i);
          if(d.op == '{' || d.op == '[' || d.op == '(' || d.op == '<')
          {
            ++depth;
          }
          else if(d.op == '}' || d.op == ']' || d.op == ')' || d.op == '>')
          {
            if(depth == 0)
            {
              if(d.op != close)
              {
                error(std::string{ "~" } + d.op + " closes nothing here");
              }
              separators.push_back(i);
              return i;
            }
            --depth;
          }
          else if(d.op == ';' && depth == 0)
          {
            separators.push_back(i);
          }
          i = d.end - 1;
        }
        error(std::string{ "no ~" } + close + " closes the directive");
      }

      /* Runs control_[from, to) over args from at; false when ~^ ended it. */
      bool run_segment(size_t from, size_t to, std::vector<object *> const &args, size_t &at)
      {
        for(auto i = from; i < to;)
        {
          if(control_[i] != '~')
          {
            out_ += control_[i++];
            continue;
          }
          auto const d = parse(i);
          i = d.end;
          switch(d.op)
          {
            case 'a':
            case 's':
              {
                auto *x = next_arg(args, at);
                auto text = d.op == 'a' ? (x->type == tag::nil ? std::string{ "nil" } : print_str(x)) : pr_str(x);
                out_ += pad(text, number(d, 0, 0, args, at), character(d, 3, ' '), d.at);
                break;
              }
            case 'd':
              out_ += radix_text(next_arg(args, at), 10, d, args, at);
              break;
            case 'b':
              out_ += radix_text(next_arg(args, at), 2, d, args, at);
              break;
            case 'o':
              out_ += radix_text(next_arg(args, at), 8, d, args, at);
              break;
            case 'x':
              out_ += radix_text(next_arg(args, at), 16, d, args, at);
              break;
            case 'f':
              out_ += fixed_text(next_arg(args, at), d, args, at);
              break;
            case 'r':
              out_ += r_directive(d, args, at);
              break;
            case 'c':
              out_ += character_text(next_arg(args, at), d);
              break;
            case 'e':
              out_ += exponential_text(next_arg(args, at), d, args, at);
              break;
            case '$':
              out_ += money_text(next_arg(args, at), d, args, at);
              break;
            case '?':
              {
                /* ~? formats its argument with the next one's items; ~@? with
                 * the arguments that follow. */
                auto const control = as<string_obj>(next_arg(args, at), tag::string, "a control string")->value;
                if(d.at)
                {
                  formatter inner{ control, std::vector<object *>(args.begin() + static_cast<std::ptrdiff_t>(at), args.end()) };
                  out_ += inner.run();
                  at += inner.consumed();
                }
                else
                {
                  formatter inner{ control, to_items(next_arg(args, at)) };
                  out_ += inner.run();
                }
                break;
              }
            case '(':
              {
                std::vector<size_t> ends;
                auto const close = closing(i, ')', ends);
                out_ += convert_case(run_aside(i, close, args, at), d);
                i = parse(close).end;
                break;
              }
            case '<':
              {
                std::vector<size_t> separators;
                auto const close = closing(i, '>', separators);
                std::vector<std::string> segments;
                auto start = i;
                bool first = true;
                for(auto s : separators)
                {
                  auto text = run_aside(start, s, args, at);
                  /* ~:; after the first: it is what goes before a line that
                   * overflows, which a string never does here. */
                  if(!(first && s != close && parse(s).colon))
                  {
                    segments.push_back(std::move(text));
                  }
                  first = false;
                  start = parse(s).end;
                }
                out_ += justified(segments, d, args, at);
                i = parse(close).end;
                break;
              }
            case 'p':
              {
                if(d.colon)
                {
                  if(at == 0)
                  {
                    error("~:p has no argument to back up to");
                  }
                  --at;
                }
                auto *x = next_arg(args, at);
                bool const one = x->type == tag::integer && static_cast<integer_obj *>(x)->value == 1;
                out_ += d.at ? (one ? "y" : "ies") : (one ? "" : "s");
                break;
              }
            case '%':
              out_.append(static_cast<size_t>(number(d, 0, 1, args, at)), '\n');
              break;
            case '&':
              if(!out_.empty() && out_.back() != '\n')
              {
                out_ += '\n';
              }
              break;
            case '~':
              out_.append(static_cast<size_t>(number(d, 0, 1, args, at)), '~');
              break;
            case '\n':
              while(i < to && (control_[i] == ' ' || control_[i] == '\t'))
              {
                ++i;
              }
              break;
            case '*':
              {
                auto const n = static_cast<size_t>(number(d, 0, 1, args, at));
                if(d.colon)
                {
                  at = at >= n ? at - n : 0;
                }
                else
                {
                  at = std::min(args.size(), at + n);
                }
                break;
              }
            case '^':
              if(at >= args.size())
              {
                return false;
              }
              break;
            case '{':
              {
                std::vector<size_t> ends;
                auto const close = closing(i, '}', ends);
                auto const body_end = close;
                auto const after = parse(close).end;
                std::vector<object *> items;
                size_t *items_at = nullptr;
                size_t own_at = 0;
                if(d.at)
                {
                  items = args;
                  items_at = &at;
                }
                else
                {
                  items = to_items(next_arg(args, at));
                  items_at = &own_at;
                }
                while(*items_at < items.size())
                {
                  if(d.colon)
                  {
                    auto sub = to_items(items[(*items_at)++]);
                    size_t sub_at = 0;
                    run_segment(i, body_end, sub, sub_at);
                  }
                  else if(!run_segment(i, body_end, items, *items_at))
                  {
                    break;
                  }
                }
                i = after;
                break;
              }
            case '[':
              {
                std::vector<size_t> separators;
                auto const close = closing(i, ']', separators);
                std::vector<std::pair<size_t, size_t>> clauses;
                auto start = i;
                for(auto s : separators)
                {
                  clauses.emplace_back(start, s);
                  start = parse(s).end;
                }
                /* A ~:; before the last clause makes it the default. */
                bool const has_default = separators.size() >= 2 && parse(separators[separators.size() - 2]).colon;
                size_t chosen = clauses.size();
                if(d.colon)
                {
                  chosen = truthy(next_arg(args, at)) ? 1 : 0;
                }
                else if(d.at)
                {
                  /* ~@[...~]: the clause when the argument is true, which it uses. */
                  if(truthy(args.size() > at ? args[at] : nil()))
                  {
                    run_segment(clauses[0].first, clauses[0].second, args, at);
                  }
                  else
                  {
                    ++at;
                  }
                  i = parse(close).end;
                  break;
                }
                else
                {
                  auto *x = next_arg(args, at);
                  chosen = x->type == tag::integer && static_cast<integer_obj *>(x)->value >= 0
                             ? static_cast<size_t>(static_cast<integer_obj *>(x)->value)
                             : clauses.size();
                  if(has_default && chosen >= clauses.size() - 1)
                  {
                    chosen = clauses.size() - 1;
                  }
                }
                if(chosen < clauses.size())
                {
                  run_segment(clauses[chosen].first, clauses[chosen].second, args, at);
                }
                i = parse(close).end;
                break;
              }
            default:
              error(std::string{ "the directive ~" } + control_[d.end - 1] + " is not supported here");
          }
        }
        return true;
      }
    };
  }

  object *cl_format(int argc, args_t argv)
  {
    check_arity("cl-format", argc, 2, -1);
    auto const control = as<string_obj>(argv[1], tag::string, "a control string")->value;
    formatter f{ control, std::vector<object *>(argv + 2, argv + argc) };
    auto text = f.run();
    if(argv[0]->type == tag::nil || (argv[0]->type == tag::boolean && !truthy(argv[0])))
    {
      return string(text);
    }
    if(!append_to_string_writer(argv[0], text))
    {
      write_output(text);
    }
    return nil();
  }
}
