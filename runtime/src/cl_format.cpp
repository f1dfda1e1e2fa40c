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
      /* Inside ~:{, the sublists after the current one, for ~:^; and
       * whether ~:^ ended the iteration. */
      size_t sublists_left_{ 1 };
      bool stop_iteration_{};

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
        /* A double with no fraction prints as the integer it is, as
         * Clojure's format-integer rounds it; a BigInt in base 10 too. */
        if(x->type == tag::real)
        {
          auto const v = static_cast<real_obj *>(x)->value;
          if(std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9.2e18)
          {
            x = integer(static_cast<int64_t>(v));
          }
        }
        std::string digits;
        bool negative = false;
        if(x->type == tag::big_integer && radix == 10)
        {
          digits = str(x);
          negative = digits.starts_with('-');
          if(negative)
          {
            digits.erase(0, 1);
          }
        }
        else if(x->type != tag::integer)
        {
          return pad(str(x), mincol, padchar, true);
        }
        else
        {
          auto const value = static_cast<integer_obj *>(x)->value;
          negative = value < 0;
          auto magnitude = value < 0 ? -static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
          do
          {
            digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[magnitude % static_cast<uint64_t>(radix)]);
            magnitude /= static_cast<uint64_t>(radix);
          } while(magnitude > 0);
        }
        if(d.colon && interval > 0)
        {
          for(auto i = static_cast<int64_t>(digits.size()) - interval; i > 0; i -= interval)
          {
            digits.insert(static_cast<size_t>(i), 1, commachar);
          }
        }
        if(negative)
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

      /* A number's digits and exponent as Clojure's float-parts reads them
       * from its printed text: "1.5E-5" is {"15", -5}, 120.0 is {"12", 2}. */
      static std::pair<std::string, int64_t> float_parts(std::string text)
      {
        for(auto &c : text)
        {
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        auto const exp_at = text.find('e');
        auto const dot_at = text.find('.');
        std::string mantissa, exponent;
        if(exp_at == std::string::npos)
        {
          if(dot_at == std::string::npos)
          {
            mantissa = text;
            exponent = std::to_string(static_cast<int64_t>(text.size()) - 1);
          }
          else
          {
            mantissa = text.substr(0, dot_at) + text.substr(dot_at + 1);
            exponent = std::to_string(static_cast<int64_t>(dot_at) - 1);
          }
        }
        else if(dot_at == std::string::npos)
        {
          mantissa = text.substr(0, exp_at);
          exponent = text.substr(exp_at + 1);
        }
        else
        {
          mantissa = text.substr(0, 1) + text.substr(2, exp_at - 2);
          exponent = text.substr(exp_at + 1);
        }
        auto const last = mantissa.find_last_not_of('0');
        auto trimmed = last == std::string::npos ? std::string{} : mantissa.substr(0, last + 1);
        auto const first = trimmed.find_first_not_of('0');
        auto const delta = first == std::string::npos ? static_cast<int64_t>(trimmed.size()) : static_cast<int64_t>(first);
        trimmed = first == std::string::npos ? std::string{} : trimmed.substr(first);
        if(trimmed.empty())
        {
          return { "0", 0 };
        }
        if(exponent.starts_with('+'))
        {
          exponent.erase(0, 1);
        }
        return { trimmed, std::stoll(exponent) - delta };
      }

      /* Digits one larger, as Clojure's inc-s: "199" is "200", "99" "100". */
      static std::string increment_digits(std::string s)
      {
        for(auto i = static_cast<int64_t>(s.size()) - 1; i >= 0; --i)
        {
          if(s[static_cast<size_t>(i)] != '9')
          {
            ++s[static_cast<size_t>(i)];
            return s;
          }
          s[static_cast<size_t>(i)] = '0';
        }
        return "1" + s;
      }

      struct rounded_digits
      {
        std::string mantissa;
        int64_t exponent;
        bool expanded;
      };

      /* Clojure's round-str: the digits rounded half up where ~,d (or else
       * the width) puts the last one. */
      static rounded_digits round_for_fixed(std::string m, int64_t e, std::optional<int64_t> d, std::optional<int64_t> w)
      {
        if(!d && !w)
        {
          return { m, e, false };
        }
        auto len = static_cast<int64_t>(m.size());
        if(w)
        {
          w = std::max<int64_t>(2, *w);
        }
        int64_t round_pos = d ? e + *d + 1 : e >= 0 ? std::max(e + 1, *w - 1) : *w + e;
        auto m1 = m;
        auto e1 = e;
        if(round_pos == 0)
        {
          m1 = "0" + m;
          e1 = e + 1;
          round_pos = 1;
          len += 1;
        }
        if(round_pos < 0)
        {
          return { "0", 0, false };
        }
        if(len <= round_pos)
        {
          return { m, e, false };
        }
        auto result = m1.substr(0, static_cast<size_t>(round_pos));
        if(m1[static_cast<size_t>(round_pos)] >= '5')
        {
          auto up = increment_digits(result);
          bool const expanded = up.size() > result.size();
          return { expanded ? up.substr(0, up.size() - 1) : up, e1, expanded };
        }
        return { result, e1, false };
      }

      /* Clojure's get-fixed: the digits with zeros to fill, and the point. */
      static std::string fixed_digits(std::string m, int64_t e, std::optional<int64_t> d)
      {
        if(e < 0)
        {
          m = std::string(static_cast<size_t>(-e - 1), '0') + m;
        }
        auto const e1 = e < 0 ? -1 : e;
        auto const target = d ? e1 + *d + 1 : e1 + 1;
        if(static_cast<int64_t>(m.size()) < target)
        {
          m += std::string(static_cast<size_t>(target - static_cast<int64_t>(m.size())), '0');
        }
        if(e1 < 0)
        {
          return "." + m;
        }
        auto const at = static_cast<size_t>(e1 + 1);
        return m.substr(0, at) + "." + m.substr(at);
      }

      /* The parameters of ~F, ~E and ~G, as Clojure names them. */
      struct float_params
      {
        std::optional<int64_t> w, d, e;
        int64_t k{};
        std::optional<char> overflowchar;
        char padchar{ ' ' };
        char exponentchar{ 'E' };
        bool at{};
      };

      /* ~F's w,d,k,overflowchar,padchar; ~E's and ~G's w,d,e,k,overflowchar,
       * padchar,exponentchar (k 1 by default). */
      float_params float_params_of(directive const &d, std::vector<object *> const &args, size_t &at, bool exponential)
      {
        auto const given = [&](size_t n) { return n < d.params.size() && d.params[n].has_value(); };
        auto const optional_number = [&](size_t n) {
          return given(n) ? std::optional{ number(d, n, 0, args, at) } : std::nullopt;
        };
        float_params p;
        p.w = optional_number(0);
        p.d = optional_number(1);
        size_t next = 2;
        if(exponential)
        {
          p.e = optional_number(next++);
        }
        p.k = number(d, next++, exponential ? 1 : 0, args, at);
        p.overflowchar = given(next) ? std::optional{ character(d, next, ' ') } : std::nullopt;
        p.padchar = character(d, next + 1, ' ');
        if(exponential)
        {
          p.exponentchar = character(d, next + 2, 'E');
        }
        p.at = d.at;
        return p;
      }

      /* A number's sign and its magnitude's digits and exponent. */
      struct float_value
      {
        bool negative;
        std::string mantissa;
        int64_t exponent;
      };

      static float_value float_value_of(object *x)
      {
        bool const negative = truthy(call(core("neg?"), { x }));
        auto *magnitude = negative ? call(core("-"), { x }) : x;
        if(magnitude->type == tag::ratio)
        {
          /* Clojure's convert-ratio: a double, or a BigDecimal (in
           * *math-context*) when the ratio is past a double's range. */
          auto const v = as_double(magnitude, "cl-format");
          magnitude = std::isinf(v) || v == 0.0 ? call(core("bigdec"), { magnitude }) : real(v);
        }
        auto [mantissa, exponent] = float_parts(str(magnitude));
        return { negative, mantissa, exponent };
      }

      /* ~F as Clojure's fixed-float writes it: w the width, d the digits
       * after the point, k the power of ten to scale by; a point always,
       * and a leading or trailing 0 when it fits. */
      static std::string fixed_float(object *x, float_params const &p)
      {
        auto const [negative, mantissa, exponent] = float_value_of(x);
        auto const scaled = exponent + p.k;
        bool const add_sign = p.at || negative;
        bool append_zero = !p.d && static_cast<int64_t>(mantissa.size()) - 1 <= scaled;
        auto const rounded = round_for_fixed(mantissa, scaled, p.d, p.w ? std::optional{ *p.w - (add_sign ? 1 : 0) } : std::nullopt);
        auto repr = fixed_digits(rounded.mantissa, rounded.expanded ? rounded.exponent + 1 : rounded.exponent, p.d);
        if(p.w && p.d && *p.d >= 1 && repr.size() > 1 && repr[0] == '0' && repr[1] == '.'
           && static_cast<int64_t>(repr.size()) > *p.w - (add_sign ? 1 : 0))
        {
          repr.erase(0, 1);
        }
        bool prepend_zero = repr.starts_with('.');
        std::string const sign = add_sign ? (negative ? "-" : "+") : "";
        if(p.w)
        {
          auto const signed_len = static_cast<int64_t>(repr.size() + sign.size());
          prepend_zero = prepend_zero && signed_len < *p.w;
          append_zero = append_zero && signed_len < *p.w;
          auto const full = signed_len + ((prepend_zero || append_zero) ? 1 : 0);
          if(full > *p.w && p.overflowchar)
          {
            return std::string(static_cast<size_t>(*p.w), *p.overflowchar);
          }
          return std::string(static_cast<size_t>(std::max<int64_t>(0, *p.w - full)), p.padchar) + sign
            + (prepend_zero ? "0" : "") + repr + (append_zero ? "0" : "");
        }
        return sign + (prepend_zero ? "0" : "") + repr + (append_zero ? "0" : "");
      }

      static std::string zeros(int64_t n)
      {
        return std::string(static_cast<size_t>(std::max<int64_t>(0, n)), '0');
      }

      /* ~E as Clojure's exponential-float writes it: k digits before the
       * point (1), d after it, e the exponent's least digits, w the width. */
      static std::string exponential_float(object *x, float_params const &p)
      {
        auto [negative, mantissa, exponent] = float_value_of(x);
        auto const k = p.k;
        bool const add_sign = p.at || negative;
        std::string const sign = add_sign ? (negative ? "-" : "+") : "";
        for(;;)
        {
          bool prepend_zero = k <= 0;
          auto const scaled_exponent = exponent - (k - 1);
          auto const digits = std::to_string(scaled_exponent < 0 ? -scaled_exponent : scaled_exponent);
          auto const exponent_text = std::string{ p.exponentchar } + (scaled_exponent < 0 ? "-" : "+")
            + (p.e ? zeros(*p.e - static_cast<int64_t>(digits.size())) : "") + digits;
          auto const exponent_width = static_cast<int64_t>(exponent_text.size());
          auto const base_width = static_cast<int64_t>(mantissa.size());
          auto const scaled_mantissa = zeros(-k) + mantissa + (p.d ? zeros(*p.d - (base_width - 1) - (k < 0 ? -k : 0)) : "");
          std::optional<int64_t> const w_mantissa = p.w ? std::optional{ *p.w - exponent_width } : std::nullopt;
          std::optional<int64_t> round_d;
          if(p.d)
          {
            round_d = k > 0 ? *p.d : *p.d - 1;
          }
          auto const rounded = round_for_fixed(scaled_mantissa, 0, round_d,
                                               w_mantissa ? std::optional{ *w_mantissa - (add_sign ? 1 : 0) } : std::nullopt);
          if(rounded.expanded)
          {
            mantissa = rounded.mantissa;
            ++exponent;
            continue;
          }
          auto const &m = rounded.mantissa;
          auto const full_mantissa = k < 0 ? "." + m
                                           : m.substr(0, std::min<size_t>(static_cast<size_t>(k), m.size())) + "."
              + m.substr(std::min<size_t>(static_cast<size_t>(k), m.size()));
          bool append_zero = k == static_cast<int64_t>(m.size()) && !p.d;
          if(!p.w)
          {
            return sign + (prepend_zero ? "0" : "") + full_mantissa + (append_zero ? "0" : "") + exponent_text;
          }
          auto const signed_len = static_cast<int64_t>(full_mantissa.size()) + exponent_width + (add_sign ? 1 : 0);
          prepend_zero = prepend_zero && signed_len != *p.w;
          auto const full = prepend_zero ? signed_len + 1 : signed_len;
          append_zero = append_zero && full < *p.w;
          if((full > *p.w || (p.e && exponent_width - 2 > *p.e)) && p.overflowchar)
          {
            return std::string(static_cast<size_t>(*p.w), *p.overflowchar);
          }
          return std::string(static_cast<size_t>(std::max<int64_t>(0, *p.w - full - (append_zero ? 1 : 0))), p.padchar) + sign
            + (prepend_zero ? "0" : "") + full_mantissa + (append_zero ? "0" : "") + exponent_text;
        }
      }

      /* ~G as Clojure's general-float chooses: ~F, then spaces where the
       * exponent would be, when the number's digits fit; else ~E. */
      static std::string general_float(object *x, float_params const &p)
      {
        auto const [negative, mantissa, exponent] = float_value_of(x);
        bool const zero = x->type == tag::real && static_cast<real_obj *>(x)->value == 0.0;
        auto const n = zero ? 0 : exponent + 1;
        auto const ee = p.e ? *p.e + 2 : 4;
        auto const d = p.d ? *p.d : std::max<int64_t>(static_cast<int64_t>(mantissa.size()), std::min<int64_t>(n, 7));
        auto const dd = d - n;
        if(0 <= dd && dd <= d)
        {
          float_params fixed = p;
          fixed.w = p.w ? std::optional{ *p.w - ee } : std::nullopt;
          fixed.d = dd;
          fixed.k = 0;
          return fixed_float(x, fixed) + std::string(static_cast<size_t>(ee), ' ');
        }
        return exponential_float(x, p);
      }

      /* ~F, ~E and ~G of a number; anything else as ~A would print it. */
      std::string float_text(object *x, directive const &d, std::vector<object *> const &args, size_t &at, char op)
      {
        auto const p = float_params_of(d, args, at, op != 'f');
        if(!is_number(x))
        {
          return pad(str(x), p.w.value_or(0), ' ', true);
        }
        return op == 'f' ? fixed_float(x, p) : op == 'e' ? exponential_float(x, p) : general_float(x, p);
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
              out_ += float_text(next_arg(args, at), d, args, at, 'f');
              break;
            case 'r':
              out_ += r_directive(d, args, at);
              break;
            case 'c':
              out_ += character_text(next_arg(args, at), d);
              break;
            case 'e':
              out_ += float_text(next_arg(args, at), d, args, at, 'e');
              break;
            case 'g':
              out_ += float_text(next_arg(args, at), d, args, at, 'g');
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
            case 't':
              {
                /* ~colnum,colincT to a column; ~colrel,colinc@T by a number of
                 * columns, then to a multiple of colinc; the column counted
                 * from this output's last line break, as Clojure's column
                 * writer counts it from the call's start. */
                auto const line = out_.rfind('\n');
                int64_t current = 0;
                for(auto k = line == std::string::npos ? 0 : line + 1; k < out_.size(); ++k)
                {
                  current += (static_cast<unsigned char>(out_[k]) & 0xC0) != 0x80 ? 1 : 0;
                }
                auto const colnum = number(d, 0, 1, args, at);
                auto const colinc = number(d, 1, 1, args, at);
                int64_t spaces = 0;
                if(d.at)
                {
                  auto const offset = colinc > 0 ? (colnum + current) % colinc : 0;
                  spaces = colnum + (offset == 0 ? 0 : colinc - offset);
                }
                else
                {
                  spaces = current < colnum ? colnum - current : colinc == 0 ? 0 : colinc - (current - colnum) % colinc;
                }
                out_.append(static_cast<size_t>(std::max<int64_t>(0, spaces)), ' ');
                break;
              }
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
                if(d.at)
                {
                  /* ~n@*: to argument n (the first by default). */
                  at = std::min(args.size(), static_cast<size_t>(std::max<int64_t>(0, number(d, 0, 0, args, at))));
                  break;
                }
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
              {
                /* ~^ ends when no argument is left; with parameters, when the
                 * one is 0, the two are equal, or the three are in order.
                 * ~:^ inside ~:{ ends the whole iteration at its last sublist. */
                auto const given = std::count_if(d.params.begin(), d.params.end(), [](auto const &p) { return p.has_value(); });
                bool stop = false;
                if(given == 0)
                {
                  stop = d.colon ? sublists_left_ == 0 : at >= args.size();
                }
                else
                {
                  auto const a = number(d, 0, 0, args, at);
                  auto const b = number(d, 1, 0, args, at);
                  auto const c = number(d, 2, 0, args, at);
                  stop = given == 1 ? a == 0 : given == 2 ? a == b : (a <= b && b <= c);
                }
                if(stop)
                {
                  stop_iteration_ = d.colon;
                  return false;
                }
                break;
              }
            case '{':
              {
                std::vector<size_t> ends;
                auto const close = closing(i, '}', ends);
                auto const body_end = close;
                auto const after = parse(close).end;
                if(close == i)
                {
                  /* ~{~}: the body is the next argument, a control string. */
                  auto const control = as<string_obj>(next_arg(args, at), tag::string, "a control string")->value;
                  if(control.empty())
                  {
                    /* Nothing to run: its list is taken, and nothing printed. */
                    if(!d.at)
                    {
                      next_arg(args, at);
                    }
                    i = after;
                    break;
                  }
                  std::string wrapped{ "~" };
                  if(auto const most = number(d, 0, -1, args, at); most >= 0)
                  {
                    wrapped += std::to_string(most);
                  }
                  wrapped += std::string{ d.colon ? ":" : "" } + (d.at ? "@" : "") + "{" + control
                    + (parse(close).colon ? "~:}" : "~}");
                  if(d.at)
                  {
                    formatter inner{ wrapped, std::vector<object *>(args.begin() + static_cast<std::ptrdiff_t>(at), args.end()) };
                    out_ += inner.run();
                    at += inner.consumed();
                  }
                  else
                  {
                    formatter inner{ wrapped, { next_arg(args, at) } };
                    out_ += inner.run();
                  }
                  i = after;
                  break;
                }
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
                /* ~n{: at most n passes; ~{...~:}: at least one. */
                auto const most = number(d, 0, -1, args, at);
                bool const at_least_once = parse(close).colon;
                auto const saved_left = sublists_left_;
                for(int64_t pass = 0; most < 0 || pass < most; ++pass)
                {
                  if(*items_at >= items.size() && !(at_least_once && pass == 0))
                  {
                    break;
                  }
                  if(d.colon)
                  {
                    auto sub = *items_at < items.size() ? to_items(items[(*items_at)++]) : std::vector<object *>{};
                    size_t sub_at = 0;
                    sublists_left_ = items.size() - *items_at;
                    run_segment(i, body_end, sub, sub_at);
                    if(stop_iteration_)
                    {
                      stop_iteration_ = false;
                      break;
                    }
                  }
                  else
                  {
                    auto const before = *items_at;
                    if(!run_segment(i, body_end, items, *items_at))
                    {
                      break;
                    }
                    /* A body that takes no argument would pass forever. */
                    if(*items_at == before && most < 0)
                    {
                      break;
                    }
                  }
                }
                sublists_left_ = saved_left;
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
                  /* ~n[ (~#[: by how many arguments are left) selects by its
                   * parameter; a plain ~[ by the next argument. */
                  bool const given = !d.params.empty() && d.params[0];
                  auto *x = given ? integer(number(d, 0, 0, args, at)) : next_arg(args, at);
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
