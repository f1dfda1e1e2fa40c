// A starter clojure.core, implemented natively. Generated patches reach these
// through jank_call_var("clojure.core", name, ...), exactly as they would reach
// jank's own clojure.core.
#include "core.hpp"
#include "invoke.hpp"

#include "hash.hpp"
#include "numbers.hpp"

#include "native.hpp"
#include "lang.hpp"
#include "polymorphism.hpp"
#include "seqs.hpp"
#include "transducers.hpp"
#include "predicates.hpp"
#include "libraries.hpp"
#include "arrays.hpp"
#include "namespace_fns.hpp"
#include "concurrency.hpp"
#include "io.hpp"
#include "line_numbering.hpp"
#include "classes.hpp"
#include "jvm_classes.hpp"
#include "number_methods.hpp"
#include "codecs.hpp"
#include "absent_classes.hpp"
#include "references.hpp"
#include "uri.hpp"
#include "locale.hpp"
#include "atomics.hpp"
#include "java_random.hpp"
#include "java_util.hpp"
#include "jvm_methods.hpp"
#include "queue.hpp"
#include "clojure_test.hpp"
#include "inst.hpp"
#include "uuid.hpp"
#include "reader.hpp"
#include "colls.hpp"
#include "regex.hpp"
#include "text.hpp"
#include "namespaces.hpp"
#include "object.hpp"

#include <cmath>
#include <limits>
#include <unordered_map>

namespace jhr
{
  namespace
  {

    double to_double(object const *o, char const *op)
    {
      return as_double(o, op);
    }

    int64_t to_int(object const *o, char const *op)
    {
      if(o->type != tag::integer)
      {
        fail(std::string{ op } + " expects an integer, got " + type_name(o) + ": " + pr_str(o));
      }
      return static_cast<integer_obj const *>(o)->value;
    }

    /* A bit operation's operand: a long, as Numbers.bitOpsCast takes; any
     * other number or value is its IllegalArgumentException. */
    int64_t bit_operand(object const *o)
    {
      if(o->type != tag::integer && o->type != tag::nil)
      {
        fail("bit operation not supported for: class " + class_name_of(const_cast<object *>(o)));
      }
      return to_int(o, "a bit operation");
    }

    object *arith2(arith op, object *a, object *b, char const *name, bool promote = false)
    {
      return arithmetic(op, a, b, name, promote);
    }

    /* The unchecked-* ops: two's-complement wrap-around on longs (or ints,
     * for the -int ones), as the JVM's; other numbers as + - * do. */
    object *unchecked(arith op, object *a, object *b, char const *name, bool as_int)
    {
      if(a->type != tag::integer || b->type != tag::integer)
      {
        return arithmetic(op, a, b, name);
      }
      auto const x = static_cast<uint64_t>(static_cast<integer_obj *>(a)->value);
      auto const y = static_cast<uint64_t>(static_cast<integer_obj *>(b)->value);
      uint64_t const r = op == arith::add ? x + y : op == arith::sub ? x - y : x * y;
      return integer(as_int ? static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(r)))
                            : static_cast<int64_t>(r));
    }

    template <arith Op, bool AsInt>
    object *unchecked2(int argc, args_t argv)
    {
      check_arity("unchecked arithmetic", argc, 2, 2);
      return unchecked(Op, argv[0], argv[1], "unchecked arithmetic", AsInt);
    }

    template <arith Op, int64_t By, bool AsInt>
    object *unchecked1(int argc, args_t argv)
    {
      check_arity("unchecked arithmetic", argc, 1, 1);
      if(By == 0)
      {
        return unchecked(arith::sub, integer(0), argv[0], "unchecked-negate", AsInt);
      }
      return unchecked(Op, argv[0], integer(By), "unchecked arithmetic", AsInt);
    }

    /* Java's d2l and d2i: toward zero, saturating at the type's range, NaN 0. */
    template <typename Int>
    int64_t java_double_to(double d)
    {
      if(std::isnan(d))
      {
        return 0;
      }
      if(d >= static_cast<double>(std::numeric_limits<Int>::max()))
      {
        return std::numeric_limits<Int>::max();
      }
      if(d <= static_cast<double>(std::numeric_limits<Int>::min()))
      {
        return std::numeric_limits<Int>::min();
      }
      return static_cast<int64_t>(d);
    }

    /* (unchecked-int x), (unchecked-long x): an integer's low bits, or a
     * double as Java's (int) and (long) casts give it, no range check. */
    template <bool AsInt>
    object *unchecked_cast(int argc, args_t argv)
    {
      check_arity(AsInt ? "unchecked-int" : "unchecked-long", argc, 1, 1);
      if(argv[0]->type != tag::integer && argv[0]->type != tag::character && is_number(argv[0])
         && argv[0]->type != tag::big_integer && argv[0]->type != tag::ratio)
      {
        auto const d = to_double(argv[0], AsInt ? "unchecked-int" : "unchecked-long");
        return integer(AsInt ? java_double_to<int32_t>(d) : java_double_to<int64_t>(d));
      }
      auto const v = argv[0]->type == tag::integer
        ? static_cast<integer_obj *>(argv[0])->value
        : argv[0]->type == tag::character ? static_cast<char_obj *>(argv[0])->codepoint
                                          : java_double_to<int64_t>(to_double(argv[0], "unchecked-long"));
      return integer(AsInt ? static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v))) : v);
    }

    /* (unchecked-byte x), (unchecked-short x), (unchecked-char x): x's low
     * bits, as Java's narrowing casts keep them. */
    template <int Bits>
    object *unchecked_narrow(int argc, args_t argv)
    {
      static char const *const name = Bits == 8 ? "unchecked-byte" : Bits == 16 ? "unchecked-short" : "unchecked-char";
      check_arity(name, argc, 1, 1);
      /* A double narrows through an int, as Java's (byte) d does. */
      auto const v = static_cast<uint64_t>(
        static_cast<integer_obj *>(argv[0]->type == tag::real ? unchecked_cast<true>(argc, argv)
                                                              : unchecked_cast<false>(argc, argv))
          ->value);
      if constexpr(Bits == 0)
      {
        return character(static_cast<int32_t>(static_cast<uint16_t>(v)));
      }
      else if constexpr(Bits == 8)
      {
        return integer(static_cast<int8_t>(static_cast<uint8_t>(v)));
      }
      else
      {
        return integer(static_cast<int16_t>(static_cast<uint16_t>(v)));
      }
    }

    object *unchecked_double(int argc, args_t argv)
    {
      check_arity("unchecked-double", argc, 1, 1);
      return real(to_double(argv[0], "unchecked-double"));
    }

    /* (unchecked-float x): a Float, infinite past float's range. */
    object *unchecked_float(int argc, args_t argv)
    {
      check_arity("unchecked-float", argc, 1, 1);
      return single_float(to_double(argv[0], "unchecked-float"));
    }

    /* (unchecked-divide-int x y), (unchecked-remainder-int x y): on the two
     * ints' low 32 bits, as Java's int / and %. */
    template <bool Remainder>
    object *unchecked_int_division(int argc, args_t argv)
    {
      auto const *name = Remainder ? "unchecked-remainder-int" : "unchecked-divide-int";
      check_arity(name, argc, 2, 2);
      /* The arguments are ints: a long past an int's range is an error. */
      auto const as_int = [&](object *x) {
        auto const v = static_cast<integer_obj *>(unchecked_cast<false>(1, &x))->value;
        if(v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
        {
          fail(std::string{ "integer overflow: " } + name + " of " + pr_str(x));
        }
        return static_cast<int32_t>(v);
      };
      auto const a = as_int(argv[0]);
      auto const b = as_int(argv[1]);
      if(b == 0)
      {
        fail("/ by zero"); /* Java's int division says so */
      }
      if(a == std::numeric_limits<int32_t>::min() && b == -1)
      {
        return integer(Remainder ? 0 : a);
      }
      return integer(Remainder ? a % b : a / b);
    }

    /* promote: the primed operators, where a long overflow gives a BigInt. */
    object *fold_arith(arith op, char const *name, object *identity, int argc, args_t argv, bool promote = false)
    {
      if(argc == 0)
      {
        return identity;
      }
      if(argc == 1)
      {
        if(op == arith::sub || op == arith::div)
        {
          return arith2(op, op == arith::sub ? integer(0) : integer(1), argv[0], name, promote);
        }
        to_double(argv[0], name);
        return argv[0];
      }
      auto *acc = argv[0];
      for(int i = 1; i < argc; ++i)
      {
        acc = arith2(op, acc, argv[i], name, promote);
      }
      return acc;
    }

    object *add_promoting(int argc, args_t argv)
    {
      return fold_arith(arith::add, "+'", integer(0), argc, argv, true);
    }

    object *sub_promoting(int argc, args_t argv)
    {
      check_arity("-'", argc, 1, -1);
      return fold_arith(arith::sub, "-'", integer(0), argc, argv, true);
    }

    object *mul_promoting(int argc, args_t argv)
    {
      return fold_arith(arith::mul, "*'", integer(1), argc, argv, true);
    }

    object *add(int argc, args_t argv)
    {
      return fold_arith(arith::add, "+", integer(0), argc, argv);
    }

    object *sub(int argc, args_t argv)
    {
      check_arity("-", argc, 1, -1);
      /* (- x) of a double flips its sign, as Java's negation: (- 0.0) is -0.0. */
      if(argc == 1 && argv[0]->type == tag::real)
      {
        return real(-static_cast<real_obj *>(argv[0])->value);
      }
      return fold_arith(arith::sub, "-", integer(0), argc, argv);
    }

    object *mul(int argc, args_t argv)
    {
      return fold_arith(arith::mul, "*", integer(1), argc, argv);
    }

    object *div(int argc, args_t argv)
    {
      check_arity("/", argc, 1, -1);
      return fold_arith(arith::div, "/", integer(1), argc, argv);
    }

    // ---- bitwise operations (on 64-bit integers, as Clojure's longs) --------

    template <int64_t (*Op)(int64_t, int64_t)>
    object *bit_fold(int argc, args_t argv)
    {
      check_arity("bit operation", argc, 2, -1);
      auto acc = bit_operand(argv[0]);
      for(int i = 1; i < argc; ++i)
      {
        acc = Op(acc, bit_operand(argv[i]));
      }
      return integer(acc);
    }

    int64_t and_(int64_t a, int64_t b)
    {
      return a & b;
    }

    int64_t or_(int64_t a, int64_t b)
    {
      return a | b;
    }

    int64_t xor_(int64_t a, int64_t b)
    {
      return a ^ b;
    }

    int64_t and_not(int64_t a, int64_t b)
    {
      return a & ~b;
    }

    /* Shift counts use their low 6 bits, as the JVM's do. */
    int64_t shift_left(int64_t a, int64_t n)
    {
      return static_cast<int64_t>(static_cast<uint64_t>(a) << (n & 63));
    }

    int64_t shift_right(int64_t a, int64_t n)
    {
      return a >> (n & 63);
    }

    int64_t unsigned_shift_right(int64_t a, int64_t n)
    {
      return static_cast<int64_t>(static_cast<uint64_t>(a) >> (n & 63));
    }

    int64_t bit_of(int64_t n)
    {
      return static_cast<int64_t>(uint64_t{ 1 } << (n & 63));
    }

    int64_t set_bit(int64_t a, int64_t n)
    {
      return a | bit_of(n);
    }

    int64_t clear_bit(int64_t a, int64_t n)
    {
      return a & ~bit_of(n);
    }

    int64_t flip_bit(int64_t a, int64_t n)
    {
      return a ^ bit_of(n);
    }

    template <int64_t (*Op)(int64_t, int64_t)>
    object *bit_binary(int argc, args_t argv)
    {
      check_arity("bit operation", argc, 2, 2);
      return integer(Op(bit_operand(argv[0]), bit_operand(argv[1])));
    }

    object *bit_not(int argc, args_t argv)
    {
      check_arity("bit-not", argc, 1, 1);
      return integer(~bit_operand(argv[0]));
    }

    object *bit_test(int argc, args_t argv)
    {
      check_arity("bit-test", argc, 2, 2);
      return boolean((to_int(argv[0], "bit-test") & bit_of(to_int(argv[1], "bit-test"))) != 0);
    }

    template <typename Cmp>
    object *compare_chain(char const *name, int argc, args_t argv, Cmp cmp)
    {
      check_arity(name, argc, 1, -1);
      for(int i = 0; i + 1 < argc; ++i)
      {
        auto const *a = argv[i];
        auto const *b = argv[i + 1];
        if(!cmp(compare_numbers(a, b, name), 0))
        {
          return boolean(false);
        }
      }
      to_double(argv[argc - 1], name);
      return boolean(true);
    }

    object *lt(int argc, args_t argv)
    {
      return compare_chain("<", argc, argv, [](auto a, auto b) { return a < b; });
    }

    object *gt(int argc, args_t argv)
    {
      return compare_chain(">", argc, argv, [](auto a, auto b) { return a > b; });
    }

    object *le(int argc, args_t argv)
    {
      return compare_chain("<=", argc, argv, [](auto a, auto b) { return a <= b; });
    }

    object *ge(int argc, args_t argv)
    {
      return compare_chain(">=", argc, argv, [](auto a, auto b) { return a >= b; });
    }

    object *num_eq(int argc, args_t argv)
    {
      return compare_chain("==", argc, argv, [](auto a, auto b) { return a == b; });
    }

    object *eq(int argc, args_t argv)
    {
      check_arity("=", argc, 1, -1);
      for(int i = 0; i + 1 < argc; ++i)
      {
        if(!equals(argv[i], argv[i + 1]))
        {
          return boolean(false);
        }
      }
      return boolean(true);
    }

    object *not_eq_(int argc, args_t argv)
    {
      return boolean(!truthy(eq(argc, argv)));
    }

    object *inc(int argc, args_t argv)
    {
      check_arity("inc", argc, 1, 1);
      return arith2(arith::add, argv[0], integer(1), "inc");
    }

    object *dec(int argc, args_t argv)
    {
      check_arity("dec", argc, 1, 1);
      return arith2(arith::sub, argv[0], integer(1), "dec");
    }

    object *inc_promoting(int argc, args_t argv)
    {
      check_arity("inc'", argc, 1, 1);
      return arith2(arith::add, argv[0], integer(1), "inc'", true);
    }

    object *dec_promoting(int argc, args_t argv)
    {
      check_arity("dec'", argc, 1, 1);
      return arith2(arith::sub, argv[0], integer(1), "dec'", true);
    }

    object *int_op(char const *name, int argc, args_t argv, bool floor_mod)
    {
      check_arity(name, argc, 2, 2);
      auto const x = to_int(argv[0], name);
      auto const y = to_int(argv[1], name);
      if(y == 0)
      {
        /* Java's long division says "/ by zero"; Clojure's mod checks first. */
        fail(floor_mod ? "Divide by zero" : "/ by zero");
      }
      if(y == -1)
      {
        return integer(0);
      }
      auto r = x % y;
      if(floor_mod && r != 0 && ((r < 0) != (y < 0)))
      {
        r += y;
      }
      return integer(r);
    }

    object *quot(int argc, args_t argv);

    /* rem of any numbers: n - d * (quot n d), as Clojure's Numbers.remainder. */
    object *general_rem(char const *, args_t argv)
    {
      return remainder(argv[0], argv[1]);
    }

    object *mod(int argc, args_t argv)
    {
      if(argc != 2 || (argv[0]->type == tag::integer && argv[1]->type == tag::integer))
      {
        return int_op("mod", argc, argv, true);
      }
      /* Clojure's mod: the rem, moved to the divisor's sign. */
      auto *m = general_rem("mod", argv);
      auto const sign = [](object *x, char const *op) { return to_double(x, op) > 0; };
      if(to_double(m, "mod") == 0.0 || sign(argv[0], "mod") == sign(argv[1], "mod"))
      {
        return m;
      }
      return arith2(arith::add, m, argv[1], "mod");
    }

    object *rem(int argc, args_t argv)
    {
      if(argc != 2 || (argv[0]->type == tag::integer && argv[1]->type == tag::integer))
      {
        return int_op("rem", argc, argv, false);
      }
      return general_rem("rem", argv);
    }

    object *quot(int argc, args_t argv)
    {
      check_arity("quot", argc, 2, 2);
      if(argv[0]->type == tag::integer && argv[1]->type == tag::integer)
      {
        auto const x = static_cast<integer_obj *>(argv[0])->value;
        auto const y = static_cast<integer_obj *>(argv[1])->value;
        if(y == 0)
        {
          fail("/ by zero"); /* Java's long division */
        }
        if(y == -1)
        {
          /* Java's long division wraps: (quot Long/MIN_VALUE -1) is
           * Long/MIN_VALUE, where wasm's i64.div_s traps. */
          return integer(x == std::numeric_limits<int64_t>::min() ? x : -x);
        }
        return integer(x / y);
      }
      return quotient(argv[0], argv[1]);
    }

    /* Two doubles that are zeros of either sign: Math.max and Math.min
     * tell 0.0 from -0.0 ((min -0.0 0.0) is -0.0). */
    bool signed_zeros(object const *a, object const *b)
    {
      return a->type == tag::real && b->type == tag::real && static_cast<real_obj const *>(a)->value == 0.0
          && static_cast<real_obj const *>(b)->value == 0.0;
    }

    object *max_(int argc, args_t argv)
    {
      check_arity("max", argc, 1, -1);
      auto *best = argv[0];
      for(int i = 1; i < argc; ++i)
      {
        /* As Numbers.max: a tie goes to the later argument ((max 1 1.0) is
         * 1.0), and a NaN wins. */
        if(signed_zeros(best, argv[i]))
        {
          best = std::signbit(static_cast<real_obj *>(best)->value) ? argv[i] : best;
        }
        else if(is_rational(argv[i]) && is_rational(best) ? compare_numbers(argv[i], best, "max") >= 0
                                                          : !std::isnan(to_double(best, "max"))
                    && !(to_double(best, "max") > to_double(argv[i], "max")))
        {
          best = argv[i];
        }
      }
      return best;
    }

    object *min_(int argc, args_t argv)
    {
      check_arity("min", argc, 1, -1);
      auto *best = argv[0];
      for(int i = 1; i < argc; ++i)
      {
        if(signed_zeros(best, argv[i]))
        {
          best = std::signbit(static_cast<real_obj *>(best)->value) ? best : argv[i];
        }
        else if(is_rational(argv[i]) && is_rational(best) ? compare_numbers(argv[i], best, "min") <= 0
                                                          : !std::isnan(to_double(best, "min"))
                    && !(to_double(best, "min") < to_double(argv[i], "min")))
        {
          best = argv[i];
        }
      }
      return best;
    }

    template <bool (*Pred)(object const *)>
    object *predicate(int argc, args_t argv)
    {
      check_arity("predicate", argc, 1, 1);
      return boolean(Pred(argv[0]));
    }

    bool nil_p(object const *o)
    {
      return o->type == tag::nil;
    }

    bool some_p(object const *o)
    {
      return o->type != tag::nil;
    }

    bool not_p(object const *o)
    {
      return !truthy(o);
    }

    bool number_p(object const *o)
    {
      return is_number(o);
    }

    bool integer_p(object const *o)
    {
      return is_integer(o);
    }

    bool string_p(object const *o)
    {
      return o->type == tag::string;
    }

    bool keyword_p(object const *o)
    {
      return o->type == tag::keyword;
    }

    bool symbol_p(object const *o)
    {
      return o->type == tag::symbol;
    }

    bool vector_p(object const *o)
    {
      return o->type == tag::vector || declares(o, "clojure.lang.IPersistentVector");
    }

    bool map_p(object const *o)
    {
      return o->type == tag::map || o->type == tag::record || declares(o, "clojure.lang.IPersistentMap");
    }

    bool set_p(object const *o)
    {
      return o->type == tag::set || declares(o, "clojure.lang.IPersistentSet");
    }

    bool fn_p(object const *o)
    {
      return o->type == tag::fn || declares(o, "clojure.lang.Fn");
    }

    bool seq_p(object const *o)
    {
      return o->type == tag::list || o->type == tag::vector_seq || o->type == tag::cons
        || o->type == tag::lazy_seq || o->type == tag::long_range || declares(o, "clojure.lang.ISeq");
    }

    /* -1, 0 or 1 as a number is below, at or above zero; 2 for NaN, which is
     * none of them. Exact for every kind: (pos? 1/10^400) is true. */
    int sign_of(object const *o, char const *op)
    {
      switch(o->type)
      {
        case tag::integer:
          {
            auto const v = static_cast<integer_obj const *>(o)->value;
            return (v > 0) - (v < 0);
          }
        case tag::real:
          {
            auto const v = static_cast<real_obj const *>(o)->value;
            return std::isnan(v) ? 2 : (v > 0) - (v < 0);
          }
        default:
          {
            if(!is_number(o))
            {
              to_double(o, op); /* its error names the type */
            }
            auto const c = compare_numbers(o, integer(0), op);
            return (c > 0) - (c < 0);
          }
      }
    }

    object *zero_p(int argc, args_t argv)
    {
      check_arity("zero?", argc, 1, 1);
      return boolean(sign_of(argv[0], "zero?") == 0);
    }

    object *pos_p(int argc, args_t argv)
    {
      check_arity("pos?", argc, 1, 1);
      return boolean(sign_of(argv[0], "pos?") == 1);
    }

    object *neg_p(int argc, args_t argv)
    {
      check_arity("neg?", argc, 1, 1);
      return boolean(sign_of(argv[0], "neg?") == -1);
    }

    /* even? and odd?'s argument, as Clojure checks it; a big integer's parity is its low bit's. */
    int64_t integer_argument(object const *o)
    {
      if(o->type == tag::big_integer)
      {
        return static_cast<int64_t>(as_big(o, "even?") % 2);
      }
      if(o->type != tag::integer)
      {
        fail("Argument must be an integer: " + pr_str(o));
      }
      return static_cast<integer_obj const *>(o)->value;
    }

    object *even_p(int argc, args_t argv)
    {
      check_arity("even?", argc, 1, 1);
      return boolean(integer_argument(argv[0]) % 2 == 0);
    }

    object *odd_p(int argc, args_t argv)
    {
      check_arity("odd?", argc, 1, 1);
      return boolean(integer_argument(argv[0]) % 2 != 0);
    }

    object *empty_p(int argc, args_t argv)
    {
      check_arity("empty?", argc, 1, 1);
      /* (.isEmpty x) of a type that implements java.util.Collection. */
      if(auto *is_empty = type_method_of(argv[0], "isEmpty"))
      {
        return call_method(is_empty, { argv[0] });
      }
      switch(argv[0]->type)
      {
        /* Counted: no seq to make. */
        case tag::map:
        case tag::set:
        case tag::vector:
        case tag::string:
        case tag::transient: /* Clojure 1.12: counted, though it has no seq */
          return boolean(count(argv[0]) == 0);
        case tag::instance:
          if(interface_fn(argv[0], &record_type_obj::count_fn) != nullptr)
          {
            return boolean(count(argv[0]) == 0);
          }
          return boolean(seq(argv[0])->type == tag::nil);
        default:
          return boolean(seq(argv[0])->type == tag::nil);
      }
    }

    object *identity(int argc, args_t argv)
    {
      check_arity("identity", argc, 1, 1);
      return argv[0];
    }

    /* The names given out so far, one string object each, as the JVM interns
     * a symbol's or keyword's name: two symbols of one name give the same
     * string (core.logic compares logic variables' names with identical?).
     * An entry goes when its string is collected (gc::sweep_interned_names). */
    std::unordered_map<std::string, object *> &interned_names()
    {
      static auto *names = new std::unordered_map<std::string, object *>{};
      return *names;
    }

    /* A keyword's or symbol's name as its interned string (name_text). */
    template<typename Named>
    object *name_text(Named *x)
    {
      if(x->name_text == nullptr)
      {
        auto &slot = interned_names()[x->name];
        if(slot == nullptr)
        {
          slot = string(x->name);
        }
        x->name_text = slot;
      }
      return x->name_text;
    }

    object *str_(int argc, args_t argv)
    {
      /* One string is its own str, the same object, as on the JVM. */
      if(argc == 1 && argv[0]->type == tag::string)
      {
        return argv[0];
      }
      if(argc == 1 && argv[0]->type == tag::symbol && static_cast<symbol_obj *>(argv[0])->ns.empty())
      {
        return name_text(static_cast<symbol_obj *>(argv[0]));
      }
      std::string out;
      for(int i = 0; i < argc; ++i)
      {
        out += str(argv[i]);
      }
      return string(std::move(out));
    }

    /* pr-str and the like: what pr and the like would print, as a string.
     * Output made while realizing a lazy seq among args lands in it too, as
     * the JVM's (with-out-str (pr ...)) gives. */
    object *printed_string(int argc, args_t argv, bool readably, bool newline)
    {
      begin_nested_output_capture();
      try
      {
        print_to_output(argc, argv, readably, newline);
      }
      catch(...)
      {
        end_output_capture();
        throw;
      }
      return string(end_output_capture());
    }

    object *pr_str_(int argc, args_t argv)
    {
      return printed_string(argc, argv, true, false);
    }

    object *println(int argc, args_t argv)
    {
      print_to_output(argc, argv, false, true);
      return nil();
    }

    object *newline(int argc, args_t)
    {
      check_arity("newline", argc, 0, 0);
      write_output("\n");
      return nil();
    }

    /* Output is written as it is made; flush has nothing to do. */
    /* The page's output is written as it goes; a proxy of java.io.Writer
     * bound to *out* gets its own flush called. */
    object *flush(int argc, args_t)
    {
      check_arity("flush", argc, 0, 0);
      auto *out = deref(intern_var("clojure.core", "*out*"));
      if(auto *own = type_method_of(out, "flush"))
      {
        call_method(own, { out });
      }
      return nil();
    }

    object *print(int argc, args_t argv)
    {
      print_to_output(argc, argv, false, false);
      return nil();
    }

    object *pr(int argc, args_t argv)
    {
      print_to_output(argc, argv, true, false);
      return nil();
    }

    object *print_str_(int argc, args_t argv)
    {
      return printed_string(argc, argv, false, false);
    }

    object *println_str(int argc, args_t argv)
    {
      return printed_string(argc, argv, false, true);
    }

    object *prn_str(int argc, args_t argv)
    {
      return printed_string(argc, argv, true, true);
    }

    object *prn(int argc, args_t argv)
    {
      print_to_output(argc, argv, true, true);
      return nil();
    }

    object *vector(int argc, args_t argv)
    {
      return vector_from(std::vector<object *>(argv, argv + argc));
    }

    object *list(int argc, args_t argv)
    {
      return list_from(std::vector<object *>(argv, argv + argc));
    }

    /* (hash-map ...) is a hash map at every size, as Clojure's
     * PersistentHashMap: it prints in hash order, not insertion order. */
    object *hash_map(int argc, args_t argv)
    {
      if(argc % 2 != 0)
      {
        fail("No value supplied for key: " + pr_str(argv[argc - 1]));
      }
      /* (hash-map) is {}, an array map, as the JVM's. */
      object *out = argc == 0 ? map_from({}) : new map_obj{ entry_table::hashed() };
      for(int i = 0; i + 1 < argc; i += 2)
      {
        out = assoc(out, argv[i], argv[i + 1]);
      }
      return out;
    }

    /* (array-map k v ...): insertion order, as small maps keep it here anyway. */
    object *array_map(int argc, args_t argv)
    {
      if(argc % 2 != 0)
      {
        fail("array-map takes key-value pairs");
      }
      return array_map_from(std::vector<object *>(argv, argv + argc));
    }

    /* Keyword arguments as Clojure 1.11 reads them (& {:keys [a]}): pairs in
     * their order, a later key winning, and an odd last item a map whose
     * entries come last; a single item is the map itself. */
    object *seq_to_map_for_destructuring(int argc, args_t argv)
    {
      check_arity("seq-to-map-for-destructuring", argc, 1, 1);
      auto const items{ to_items(argv[0]) };
      if(items.size() < 2)
      {
        return items.empty() ? map_from({}) : items[0];
      }
      size_t const pairs_end{ items.size() - items.size() % 2 };
      std::vector<object *> keys_values(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(pairs_end));
      if(pairs_end < items.size())
      {
        object *trailing{ items.back() };
        if(trailing != nullptr && !map_p(trailing))
        {
          fail("No value supplied for key: " + pr_str(trailing));
        }
        for(auto *const entry : to_items(trailing))
        {
          keys_values.push_back(first(entry));
          keys_values.push_back(first(rest(entry)));
        }
      }
      /* In the order given, at any size, as Clojure's createAsIfByAssoc. */
      return array_map_from(keys_values);
    }

    /* Struct maps, which Clojure keeps for old code: a basis is its keys in
     * order, and a struct map is a map of them (nil until given) that keeps
     * that order. */
    object *create_struct(int argc, args_t argv)
    {
      check_arity("create-struct", argc, 1, -1);
      return vector_from(std::vector<object *>(argv, argv + argc));
    }

    object *struct_map(int argc, args_t argv)
    {
      check_arity("struct-map", argc, 1, -1);
      if((argc - 1) % 2 != 0)
      {
        fail("No value supplied for key: " + pr_str(argv[argc - 1]));
      }
      std::vector<object *> keys_values;
      for(auto *k : to_items(argv[0]))
      {
        keys_values.push_back(k);
        keys_values.push_back(nil());
      }
      keys_values.insert(keys_values.end(), argv + 1, argv + argc);
      return array_map_from(keys_values);
    }

    /* (struct basis & vals): the basis's keys given the vals in order. */
    object *struct_(int argc, args_t argv)
    {
      check_arity("struct", argc, 1, -1);
      auto const keys = to_items(argv[0]);
      if(static_cast<size_t>(argc - 1) > keys.size())
      {
        fail("Too many arguments to struct constructor");
      }
      std::vector<object *> keys_values;
      for(size_t i = 0; i < keys.size(); ++i)
      {
        keys_values.push_back(keys[i]);
        keys_values.push_back(i + 1 < static_cast<size_t>(argc) ? argv[i + 1] : nil());
      }
      return array_map_from(keys_values);
    }

    /* env: [key] */
    object *accessor_step(object *env, int argc, args_t argv)
    {
      check_arity("accessor", argc, 1, 1);
      return get(argv[0], env_at(env, 0), nil());
    }

    object *accessor(int argc, args_t argv)
    {
      check_arity("accessor", argc, 2, 2);
      return native_closure("accessor", accessor_step, env_of({ argv[1] }));
    }

    /* (seque coll), (seque n coll): the page has one thread, so the queue
     * that would fill ahead of the consumer is the seq itself. */
    object *seque(int argc, args_t argv)
    {
      check_arity("seque", argc, 1, 2);
      return call(core("sequence"), { argv[argc - 1] });
    }

    object *hash_set(int argc, args_t argv)
    {
      return set_from(std::vector<object *>(argv, argv + argc));
    }

    /* A literal with computed keys, {k v} or #{a b} (the compiler calls these
     * only then): two equal keys are an error, as in Clojure. */
    object *map_literal(int argc, args_t argv)
    {
      return map_from_literal(std::vector<object *>(argv, argv + argc));
    }

    object *set_literal(int argc, args_t argv)
    {
      return set_from_literal(std::vector<object *>(argv, argv + argc));
    }

    /* The items of a deftype's or reify's IReduceInit, reduced into a
     * vector, as vec and set read one; null for anything else. */
    object *reducible_items(object *coll)
    {
      auto *reduce = type_method_of(coll, "reduce");
      if(reduce == nullptr)
      {
        return nullptr;
      }
      return call_method(reduce, { coll, core("conj"), vector_from({}) });
    }

    object *vec(int argc, args_t argv)
    {
      check_arity("vec", argc, 1, 1);
      if(auto *items = reducible_items(argv[0]))
      {
        return vector_from(to_items(items));
      }
      return vector_from(to_items(argv[0]));
    }

    object *set_(int argc, args_t argv)
    {
      check_arity("set", argc, 1, 1);
      if(auto *items = reducible_items(argv[0]))
      {
        return set_from(to_items(items));
      }
      return set_from(to_items(argv[0]));
    }

    object *get_(int argc, args_t argv)
    {
      check_arity("get", argc, 2, 3);
      if(argc == 3 && argv[2] == nil())
      {
        /* An explicit nil default is still a default: a deftype's valAt
         * [this k nf] gets it, as (.valAt this k nil) in its [this k] expects. */
        static object explicit_nil{ tag::nil };
        auto *found = get(argv[0], argv[1], &explicit_nil);
        return found == &explicit_nil ? nil() : found;
      }
      return get(argv[0], argv[1], argc == 3 ? argv[2] : nil());
    }

    object *assoc_(int argc, args_t argv)
    {
      check_arity("assoc", argc, 3, -1);
      if((argc - 1) % 2 != 0)
      {
        fail("assoc expects an even number of key/value arguments");
      }
      auto *out = argv[0];
      for(int i = 1; i < argc; i += 2)
      {
        out = assoc(out, argv[i], argv[i + 1]);
      }
      return out;
    }

    object *dissoc_(int argc, args_t argv)
    {
      check_arity("dissoc", argc, 1, -1);
      auto *out = argv[0];
      for(int i = 1; i < argc; ++i)
      {
        out = dissoc(out, argv[i]);
      }
      return out;
    }

    object *conj_(int argc, args_t argv)
    {
      if(argc == 0)
      {
        return vector_from({});
      }
      auto *out = argv[0];
      for(int i = 1; i < argc; ++i)
      {
        out = conj(out, argv[i]);
      }
      return out;
    }

    object *contains_p(int argc, args_t argv)
    {
      check_arity("contains?", argc, 2, 2);
      /* Only what is keyed (maps, vectors, sets, strings, arrays, records,
       * types with containsKey): a list or a number has no keys to ask of. */
      switch(argv[0]->type)
      {
        case tag::list:
        case tag::cons:
        case tag::lazy_seq:
        case tag::long_range:
        case tag::vector_seq:
        case tag::queue:
        case tag::integer:
        case tag::real:
        case tag::keyword:
        case tag::symbol:
        case tag::boolean:
        case tag::character:
          fail("contains? not supported on type: " + class_name_of(argv[0]));
        default:
          return boolean(contains(argv[0], argv[1]));
      }
    }

    object *count_(int argc, args_t argv)
    {
      check_arity("count", argc, 1, 1);
      /* A java.util.Collection's size, as the JVM's RT.count asks one that
       * is not Counted (a Counted type's size often calls count). */
      if(auto *size = type_method_of(argv[0], "size");
         size != nullptr && interface_fn(argv[0], &record_type_obj::count_fn) == nullptr)
      {
        return call_method(size, { argv[0] });
      }
      /* A CharSequence deftype's length, as RT.count counts one. */
      if(auto *length = type_method_of(argv[0], "length");
         length != nullptr && interface_fn(argv[0], &record_type_obj::count_fn) == nullptr)
      {
        return call_method(length, { argv[0] });
      }
      return integer(static_cast<int64_t>(gc::count_collecting(argv[0])));
    }

    object *first_(int argc, args_t argv)
    {
      check_arity("first", argc, 1, 1);
      return first(argv[0]);
    }

    object *second(int argc, args_t argv)
    {
      check_arity("second", argc, 1, 1);
      return first(rest(argv[0]));
    }

    object *rest_(int argc, args_t argv)
    {
      check_arity("rest", argc, 1, 1);
      return rest(argv[0]);
    }

    object *next(int argc, args_t argv)
    {
      check_arity("next", argc, 1, 1);
      return seq(rest(argv[0]));
    }

    /* (nthnext coll n): the seq after the first n items, or nil. */
    object *nthnext(int argc, args_t argv)
    {
      check_arity("nthnext", argc, 2, 2);
      auto *s = seq(argv[0]);
      for(auto n = step_count(argv[1], "nthnext"); n > 0 && s->type != tag::nil; --n)
      {
        s = seq(rest(s));
      }
      return s;
    }

    object *seq_(int argc, args_t argv)
    {
      check_arity("seq", argc, 1, 1);
      return seq(argv[0]);
    }

    /* Onto a list, a list; onto anything else a cell that leaves its rest
     * as it is (a lazy seq stays unrealized). */
    object *cons(int argc, args_t argv)
    {
      check_arity("cons", argc, 2, 2);
      switch(argv[1]->type)
      {
        case tag::nil:
          return list_from({ argv[0] });
        case tag::list:
          {
            auto *l = static_cast<list_obj *>(argv[1]);
            return new list_obj{ argv[0], l, l->count + 1 };
          }
        case tag::array:
          /* The array's seq: an array is not itself a seq to rest into. */
          return new cons_obj{ argv[0], seq(argv[1]) };
        default:
          if(!is_seqable(argv[1]))
          {
            fail("Don't know how to create a seq from " + a_type_name(argv[1]));
          }
          return new cons_obj{ argv[0], argv[1] };
      }
    }

    object *nth(int argc, args_t argv)
    {
      check_arity("nth", argc, 2, 3);
      if(auto *f = type_method_of(argv[0], "nth"))
      {
        return argc == 2 ? call_method(f, { argv[0], argv[1] }) : call_method(f, { argv[0], argv[1], argv[2] });
      }
      auto const i = truncated_index(argv[1], "nth");
      /* A transient vector reads as the vector it is building. */
      auto *coll = argv[0]->type == tag::transient ? transient_value(argv[0]) : argv[0];
      if(coll->type == tag::vector)
      {
        auto *v = static_cast<vector_obj *>(coll);
        if(i >= 0 && static_cast<size_t>(i) < v->count)
        {
          return v->at(static_cast<size_t>(i));
        }
      }
      else if(coll->type == tag::long_range)
      {
        auto const *r = static_cast<long_range_obj *>(coll);
        if(i >= 0 && i < r->count)
        {
          return integer(r->at(i));
        }
      }
      else if(argv[0]->type == tag::nil)
      {
        /* (nth nil i) is nil, as Clojure's RT.nth gives. */
        return argc == 3 ? argv[2] : nil();
      }
      else if(argv[0]->type == tag::string)
      {
        if(auto *c = string_char_at(static_cast<string_obj *>(argv[0]), i))
        {
          return c;
        }
      }
      else if(argv[0]->type == tag::lazy_seq || argv[0]->type == tag::cons || argv[0]->type == tag::list)
      {
        /* Walk only as far as i: the seq may be infinite. */
        auto *s = seq(argv[0]);
        for(auto n = i; n > 0 && s->type != tag::nil; --n)
        {
          s = seq(rest(s));
        }
        if(i >= 0 && s->type != tag::nil)
        {
          return first(s);
        }
      }
      else
      {
        switch(argv[0]->type)
        {
          /* Not sequential: Clojure's RT.nth refuses these, (let [[a] {:a 1}] a) too. */
          case tag::map:
          case tag::set:
          case tag::record:
          case tag::boolean:
          case tag::integer:
          case tag::real:
          case tag::ratio:
          case tag::big_integer:
          case tag::big_decimal:
          case tag::keyword:
          case tag::symbol:
          case tag::character:
          case tag::fn:
          case tag::uuid:
          case tag::inst:
            {
              auto const name = class_name_of(argv[0]);
              fail("nth not supported on this type: " + name.substr(name.find_last_of('.') + 1));
            }
          default:
            break;
        }
        /* A Matcher's nth is its group n, as RT.nthFrom reads one. */
        if(object * groups{}; regex_method("groupCount", argv[0], 0, nullptr, &groups))
        {
          object *has_match{};
          regex_method("hasMatch", argv[0], 0, nullptr, &has_match);
          if(!truthy(has_match))
          {
            if(argc == 3)
            {
              return argv[2];
            }
            fail("No match found");
          }
          if(i >= 0 && i <= static_cast<integer_obj *>(groups)->value)
          {
            object *index = integer(i);
            object *group{};
            regex_method("group", argv[0], 1, &index, &group);
            return group;
          }
          if(argc == 3)
          {
            return argv[2];
          }
          fail("No group " + std::to_string(i));
        }
        auto items = to_items(argv[0]);
        if(i >= 0 && static_cast<size_t>(i) < items.size())
        {
          return items[static_cast<size_t>(i)];
        }
      }
      if(argc == 3)
      {
        return argv[2];
      }
      fail("Index " + std::to_string(i) + " out of bounds for " + a_type_name(argv[0]));
    }

    /* The map behind a map or a record. */
    map_obj *map_of(object *o)
    {
      if(o->type == tag::record)
      {
        o = static_cast<record_obj *>(o)->fields;
      }
      return as<map_obj>(o, tag::map, "a map");
    }

    /* keys or vals of a java.util.Map (or a deftype whose seq gives map
     * entries), from its entries in their order, as RT.keys walks them. */
    object *instance_map_part(object *m, bool keys)
    {
      std::vector<object *> out;
      for(auto *entry : to_items(m))
      {
        out.push_back(keys ? first(entry) : first(rest(entry)));
      }
      return out.empty() ? nil() : list_from(out);
    }

    /* keys or vals of a seq of map entries, as RT.keys reads one ((keys
     * (seq m)), and nil for an empty collection); null for a map, a record,
     * nil or a deftype. */
    object *map_part_of_seq(object *coll, char const *part)
    {
      switch(coll->type)
      {
        case tag::map:
        case tag::record:
        case tag::nil:
        case tag::instance:
          return nullptr;
        default:
          break;
      }
      if(!is_seqable(coll))
      {
        return nullptr;
      }
      std::vector<object *> out;
      for(auto *entry : to_items(coll))
      {
        out.push_back(call(core(part), { entry }));
      }
      return out.empty() ? nil() : list_from(out);
    }

    object *keys(int argc, args_t argv)
    {
      check_arity("keys", argc, 1, 1);
      if(auto *from_entries = map_part_of_seq(argv[0], "key"))
      {
        return from_entries;
      }
      if(argv[0]->type == tag::instance)
      {
        return instance_map_part(argv[0], true);
      }
      if(argv[0]->type == tag::map && count(argv[0]) > entry_table::max_array_entries)
      {
        return table_seq(argv[0], table_part::keys);
      }
      std::vector<object *> out;
      if(argv[0]->type != tag::nil)
      {
        map_of(argv[0])->entries.for_each([&](object *k, object *) { out.push_back(k); });
      }
      return out.empty() ? nil() : list_from(out);
    }

    object *vals(int argc, args_t argv)
    {
      check_arity("vals", argc, 1, 1);
      if(auto *from_entries = map_part_of_seq(argv[0], "val"))
      {
        return from_entries;
      }
      if(argv[0]->type == tag::instance)
      {
        return instance_map_part(argv[0], false);
      }
      if(argv[0]->type == tag::map && count(argv[0]) > entry_table::max_array_entries)
      {
        return table_seq(argv[0], table_part::vals);
      }
      std::vector<object *> out;
      if(argv[0]->type != tag::nil)
      {
        map_of(argv[0])->entries.for_each([&](object *, object *v) { out.push_back(v); });
      }
      return out.empty() ? nil() : list_from(out);
    }

    /* The compiled fn f (or a var holds) when it has a variadic arity, else null. */
    fn_obj *variadic_patch_fn(object *f)
    {
      if(f->type == tag::var)
      {
        f = deref(static_cast<var_obj *>(f));
      }
      if(f->type != tag::fn)
      {
        return nullptr;
      }
      auto *fn = static_cast<fn_obj *>(f);
      return fn->variadic != nullptr && fn->native == nullptr && fn->closure == nullptr ? fn : nullptr;
    }

    /* (apply f a b coll) for f with a variadic arity, as Clojure's
     * RestFn.applyTo: coll is walked only as far as f's required parameters
     * and one more, and the rest arity takes what is left as its rest seq,
     * unrealized, so (apply f (range)) ends when f reads only some of it. */
    object *apply_to_rest_arity(fn_obj *f, std::vector<object *> args, object *coll)
    {
      auto const required = static_cast<size_t>(f->variadic_required);
      auto *more = seq(coll);
      while(args.size() <= required && more->type != tag::nil)
      {
        args.push_back(first(more));
        more = seq(rest(more));
      }
      if(args.size() <= required)
      {
        return invoke(f, static_cast<int>(args.size()), args.data());
      }
      object *rest_args = more;
      for(auto i = args.size(); i > required; --i)
      {
        rest_args = new cons_obj{ args[i - 1], rest_args };
      }
      return calls::invoke_rest_arity(f, args.data(), rest_args);
    }

    object *apply(int argc, args_t argv)
    {
      check_arity("apply", argc, 2, -1);
      /* (apply concat colls) with colls lazy, maybe endless, as Clojure's
       * RestFn takes it: the colls are walked as the result is. */
      static object *const concat_fn = core("concat");
      if(argv[0] == concat_fn && (argv[argc - 1]->type == tag::lazy_seq || argv[argc - 1]->type == tag::cons))
      {
        auto *spliced = call(core("mapcat"), { core("identity"), argv[argc - 1] });
        if(argc == 2)
        {
          return spliced;
        }
        std::vector<object *> call_args(argv + 1, argv + argc - 1);
        call_args.push_back(spliced);
        return invoke(concat_fn, static_cast<int>(call_args.size()), call_args.data());
      }
      /* A deftype's IFn applyTo takes the arguments as one seq. */
      if(auto *apply_to = type_method_of(argv[0], "applyTo"))
      {
        std::vector<object *> parts(argv + 1, argv + argc);
        auto *args = argc == 2 ? seq(argv[1]) : invoke(core("list*"), static_cast<int>(parts.size()), parts.data());
        return call(apply_to, { argv[0], args });
      }
      std::vector<object *> call_args(argv + 1, argv + argc - 1);
      std::vector<object *> through_partial = call_args;
      if(auto *rest_taker = variadic_patch_fn(unwrap_partial(argv[0], through_partial)))
      {
        return apply_to_rest_arity(rest_taker, std::move(through_partial), argv[argc - 1]);
      }
      auto spread = to_items(argv[argc - 1]);
      call_args.insert(call_args.end(), spread.begin(), spread.end());
      return invoke(argv[0], static_cast<int>(call_args.size()), call_args.data());
    }

    /* "ns/name" as Symbol.intern reads it: split at the first slash, except
     * for "/" itself; no slash, no namespace. */
    std::pair<std::string, std::string> split_qualified(std::string const &text)
    {
      auto const slash = text.find('/');
      if(slash == std::string::npos || text == "/")
      {
        return { "", text };
      }
      return { text.substr(0, slash), text.substr(slash + 1) };
    }

    object *keyword_(int argc, args_t argv)
    {
      check_arity("keyword", argc, 1, 2);
      if(argc == 2)
      {
        return keyword(str(argv[0]), str(argv[1]));
      }
      if(argv[0]->type == tag::keyword)
      {
        return argv[0];
      }
      /* As Clojure's: a string or a symbol names a keyword; anything else, nil. */
      if(argv[0]->type != tag::string && argv[0]->type != tag::symbol)
      {
        return nil();
      }
      auto const [ns, name] = split_qualified(str(argv[0]));
      return keyword(ns, name);
    }

    object *symbol_(int argc, args_t argv)
    {
      check_arity("symbol", argc, 1, 2);
      if(argc == 2)
      {
        return symbol(str(argv[0]), str(argv[1]));
      }
      switch(argv[0]->type)
      {
        case tag::symbol:
          return argv[0];
        case tag::keyword:
          return symbol(static_cast<keyword_obj *>(argv[0])->ns, static_cast<keyword_obj *>(argv[0])->name);
        case tag::string:
        case tag::var:
          {
            auto const text = argv[0]->type == tag::var ? qualified_name(static_cast<var_obj *>(argv[0])) : str(argv[0]);
            auto const [ns, name] = split_qualified(text);
            return symbol(ns, name);
          }
        default:
          fail("no conversion to symbol: " + pr_str(argv[0]));
      }
    }

    object *name(int argc, args_t argv)
    {
      check_arity("name", argc, 1, 1);
      switch(argv[0]->type)
      {
        case tag::keyword:
          return name_text(static_cast<keyword_obj *>(argv[0]));
        case tag::symbol:
          return name_text(static_cast<symbol_obj *>(argv[0]));
        case tag::string:
          return argv[0];
        default:
          fail(std::string{ "name expects a keyword, symbol or string, got " }
               + type_name(argv[0]));
      }
    }

    object *throw_(int argc, args_t argv)
    {
      check_arity("throw", argc, 1, 1);
      fail(str(argv[0]));
    }

    /* The natives core_op falls back to, in its op order. */
    native_fn const core_op_natives[] = { add, sub, mul, lt, gt, le, ge, num_eq, eq, inc, dec };

    bool plain_double(object const *o)
    {
      return o->type == tag::real && !static_cast<real_obj const *>(o)->single;
    }

    native_entry const core_fns[] = {
      { "+", add },
      { "-", sub },
      { "*", mul },
      { "/", div },
      { "<", lt },
      { ">", gt },
      { "<=", le },
      { ">=", ge },
      { "==", num_eq },
      { "=", eq },
      { "not=", not_eq_ },
      { "inc", inc },
      { "dec", dec },
      /* The primed operators: a long overflow promotes to a BigInt. */
      { "+'", add_promoting },
      { "-'", sub_promoting },
      { "*'", mul_promoting },
      { "inc'", inc_promoting },
      { "dec'", dec_promoting },
      { "bit-and", bit_fold<and_> },
      { "bit-or", bit_fold<or_> },
      { "bit-xor", bit_fold<xor_> },
      { "bit-and-not", bit_fold<and_not> },
      { "bit-not", bit_not },
      { "bit-shift-left", bit_binary<shift_left> },
      { "bit-shift-right", bit_binary<shift_right> },
      { "unsigned-bit-shift-right", bit_binary<unsigned_shift_right> },
      { "bit-set", bit_binary<set_bit> },
      { "bit-clear", bit_binary<clear_bit> },
      { "bit-flip", bit_binary<flip_bit> },
      { "bit-test", bit_test },
      { "mod", mod },
      { "unchecked-add", unchecked2<arith::add, false> },
      { "unchecked-subtract", unchecked2<arith::sub, false> },
      { "unchecked-multiply", unchecked2<arith::mul, false> },
      { "unchecked-add-int", unchecked2<arith::add, true> },
      { "unchecked-subtract-int", unchecked2<arith::sub, true> },
      { "unchecked-multiply-int", unchecked2<arith::mul, true> },
      { "unchecked-inc", unchecked1<arith::add, 1, false> },
      { "unchecked-dec", unchecked1<arith::sub, 1, false> },
      { "unchecked-negate", unchecked1<arith::sub, 0, false> },
      { "unchecked-inc-int", unchecked1<arith::add, 1, true> },
      { "unchecked-dec-int", unchecked1<arith::sub, 1, true> },
      { "unchecked-negate-int", unchecked1<arith::sub, 0, true> },
      { "unchecked-int", unchecked_cast<true> },
      { "unchecked-long", unchecked_cast<false> },
      { "unchecked-byte", unchecked_narrow<8> },
      { "unchecked-short", unchecked_narrow<16> },
      { "unchecked-char", unchecked_narrow<0> },
      { "unchecked-double", unchecked_double },
      { "unchecked-float", unchecked_float },
      { "unchecked-divide-int", unchecked_int_division<false> },
      { "unchecked-remainder-int", unchecked_int_division<true> },
      { "rem", rem },
      { "quot", quot },
      { "max", max_ },
      { "min", min_ },
      { "nil?", predicate<nil_p> },
      { "some?", predicate<some_p> },
      { "not", predicate<not_p> },
      { "number?", predicate<number_p> },
      { "integer?", predicate<integer_p> },
      { "string?", predicate<string_p> },
      { "keyword?", predicate<keyword_p> },
      { "symbol?", predicate<symbol_p> },
      { "vector?", predicate<vector_p> },
      { "map?", predicate<map_p> },
      { "set?", predicate<set_p> },
      { "fn?", predicate<fn_p> },
      { "seq?", predicate<seq_p> },
      { "zero?", zero_p },
      { "pos?", pos_p },
      { "neg?", neg_p },
      { "even?", even_p },
      { "odd?", odd_p },
      { "empty?", empty_p },
      { "identity", identity },
      { "str", str_ },
      { "pr-str", pr_str_ },
      { "println", println },
      { "newline", newline },
      { "flush", flush },
      { "print", print },
      { "prn", prn },
      { "pr", pr },
      { "print-str", print_str_ },
      { "println-str", println_str },
      { "prn-str", prn_str },
      { "vector", vector },
      { "list", list },
      { "hash-map", hash_map },
      { "hash-set", hash_set },
      { "map-literal*", map_literal },
      { "set-literal*", set_literal },
      { "array-map", array_map },
      { "create-struct", create_struct },
      { "struct-map", struct_map },
      { "struct", struct_ },
      { "accessor", accessor },
      { "seque", seque },
      { "seq-to-map-for-destructuring", seq_to_map_for_destructuring },
      { "vec", vec },
      { "set", set_ },
      { "get", get_ },
      { "assoc", assoc_ },
      { "dissoc", dissoc_ },
      { "conj", conj_ },
      { "contains?", contains_p },
      { "count", count_ },
      { "first", first_ },
      { "second", second },
      { "rest", rest_ },
      { "next", next },
      { "nthnext", nthnext },
      { "seq", seq_ },
      { "cons", cons },
      { "nth", nth },
      { "keys", keys },
      { "vals", vals },
      { "apply", apply },
      { "keyword", keyword_ },
      { "symbol", symbol_ },
      { "name", name },
      { "throw", throw_ },
    };

    /* (clojure.lang.AFn/applyToHelper f args): f's invoke of the args, what a
     * deftype's applyTo hands back to when it has nothing of its own to do. */
    object *apply_to_helper(int argc, args_t argv)
    {
      check_arity("applyToHelper", argc, 2, 2);
      auto items = to_items(argv[1]);
      return invoke(argv[0], static_cast<int>(items.size()), items.data());
    }

    native_entry const afn_fns[] = {
      { "applyToHelper", apply_to_helper },
    };

    /* (clojure.lang.RT/nextID): a number no earlier call gave, what gensym
     * numbers its symbols with on the JVM (core.logic numbers its logic
     * variables so). */
    object *next_id(int argc, args_t)
    {
      check_arity("nextID", argc, 0, 0);
      static int64_t last = 0;
      return integer(++last);
    }

    native_entry const rt_fns[] = {
      { "nextID", next_id },
    };

    /* PersistentArrayMap/createWithCheck: a map of an array of keys and
     * values in their order, a key given twice an IllegalArgumentException. */
    object *array_map_with_check(int argc, args_t argv)
    {
      check_arity("clojure.lang.PersistentArrayMap/createWithCheck", argc, 1, 1);
      auto const items = to_items(argv[0]);
      for(size_t i = 0; i < items.size(); i += 2)
      {
        for(size_t j = i + 2; j < items.size(); j += 2)
        {
          if(equals(items[i], items[j]))
          {
            throw_value(new ex_info_obj{ "Duplicate key: " + pr_str(items[i]), nil(), nil(), "java.lang.IllegalArgumentException" });
          }
        }
      }
      return array_map(static_cast<int>(items.size()), const_cast<object **>(items.data()));
    }

    /* PersistentArrayMap/createAsIfByAssoc: as array-map, a later key winning. */
    object *array_map_as_if_by_assoc(int argc, args_t argv)
    {
      check_arity("clojure.lang.PersistentArrayMap/createAsIfByAssoc", argc, 1, 1);
      auto const items = to_items(argv[0]);
      return array_map(static_cast<int>(items.size()), const_cast<object **>(items.data()));
    }

    [[noreturn]] void fail_duplicate_key(object *key)
    {
      throw_value(new ex_info_obj{ "Duplicate key: " + pr_str(key), nil(), nil(), "java.lang.IllegalArgumentException" });
    }

    /* RT/map and PersistentHashMap/createWithCheck: keys and values in
     * turn, an array map up to 16 entries as RT.map makes one, a key given
     * twice an IllegalArgumentException. */
    object *rt_map(int argc, args_t argv)
    {
      check_arity("clojure.lang.RT/map", argc, 1, 1);
      auto const items = to_items(argv[0]);
      if(items.size() <= 32)
      {
        return array_map_with_check(argc, argv);
      }
      auto *m = map_from(items);
      if(count(m) * 2 != items.size())
      {
        fail_duplicate_key(first_duplicate_key(items, 2));
      }
      return m;
    }

    /* PersistentHashMap/create: of a map, or of keys and values in turn, a
     * later key winning. */
    object *hash_map_create(int argc, args_t argv)
    {
      check_arity("clojure.lang.PersistentHashMap/create", argc, 1, 1);
      if(argv[0]->type == tag::map)
      {
        return argv[0];
      }
      return map_from(to_items(argv[0]));
    }

    /* PersistentHashSet/create and createWithCheck (an element given twice
     * an IllegalArgumentException). */
    object *hash_set_create(int argc, args_t argv)
    {
      check_arity("clojure.lang.PersistentHashSet/create", argc, 1, 1);
      return set_from(to_items(argv[0]));
    }

    object *hash_set_with_check(int argc, args_t argv)
    {
      check_arity("clojure.lang.PersistentHashSet/createWithCheck", argc, 1, 1);
      auto const items = to_items(argv[0]);
      auto *s = set_from(items);
      if(count(s) != items.size())
      {
        fail_duplicate_key(first_duplicate_key(items, 1));
      }
      return s;
    }

    /* PersistentList/create: a list of a collection's items. */
    object *list_create(int argc, args_t argv)
    {
      check_arity("clojure.lang.PersistentList/create", argc, 1, 1);
      return list_from(to_items(argv[0]));
    }

    native_entry const rt_collection_fns[] = {
      { "map", rt_map },
      /* The class loader Class/forName takes: the page has one, nil. */
      { "baseLoader", [](int argc, args_t) -> object * {
         check_arity("clojure.lang.RT/baseLoader", argc, 0, 0);
         return nil();
       } },
    };
    native_entry const persistent_hash_map_fns[] = {
      { "create", hash_map_create },
      { "createWithCheck", rt_map },
    };
    native_entry const persistent_hash_set_fns[] = {
      { "create", hash_set_create },
      { "createWithCheck", hash_set_with_check },
    };
    native_entry const persistent_list_fns[] = {
      { "create", list_create },
    };

    native_entry const persistent_array_map_fns[] = {
      { "createWithCheck", array_map_with_check },
      { "createAsIfByAssoc", array_map_as_if_by_assoc },
    };

    /* clojure.lang.LazilyPersistentVector's create (of a collection) and
     * createOwning (of an array it may keep): a vector of the items. */
    native_entry const lazily_persistent_vector_fns[] = {
      { "create", vec },
      { "createOwning", vec },
    };
  }

  namespace gc
  {
    void sweep_interned_names(bool (*is_marked)(object const *))
    {
      std::erase_if(interned_names(), [&](auto const &entry) { return !is_marked(entry.second); });
    }
  }

  void install_core()
  {
    install_natives(core_fns);
    install_natives(afn_fns, "clojure.lang.AFn");
    install_natives(rt_fns, "clojure.lang.RT");
    install_natives(lazily_persistent_vector_fns, "clojure.lang.LazilyPersistentVector");
    install_natives(persistent_array_map_fns, "clojure.lang.PersistentArrayMap");
    install_natives(rt_collection_fns, "clojure.lang.RT");
    install_natives(persistent_hash_map_fns, "clojure.lang.PersistentHashMap");
    install_natives(persistent_hash_set_fns, "clojure.lang.PersistentHashSet");
    install_natives(persistent_list_fns, "clojure.lang.PersistentList");
    install_natives(std::span{ lazily_persistent_vector_fns }.first(1), "clojure.lang.PersistentVector");
    /* The collections' EMPTY statics. */
    bind_root(intern_var("clojure.lang.PersistentArrayMap", "EMPTY"), map_from({}));
    bind_root(intern_var("clojure.lang.PersistentHashMap", "EMPTY"), map_from({}));
    bind_root(intern_var("clojure.lang.PersistentVector", "EMPTY"), vector_from({}));
    bind_root(intern_var("clojure.lang.PersistentHashSet", "EMPTY"), set_from({}));
    bind_root(intern_var("clojure.lang.PersistentList", "EMPTY"), call(core("list"), {}));
    /* RT.checkSpecAsserts, which spec's check-asserts sets with set!. */
    bind_root(intern_var("clojure.lang.RT", "checkSpecAsserts"), boolean(false));
    /* The printer's limits: nil, none (printer.cpp reads them). */
    bind_root(intern_var("clojure.core", "*print-length*"), nil());
    bind_root(intern_var("clojure.core", "*print-level*"), nil());
    /* with-precision's {:precision n :rounding :HALF_UP}; nil: exact (decimal.cpp). */
    bind_root(intern_var("clojure.core", "*math-context*"), nil());
    /* Settings Clojure files set at their top, (set! *warn-on-reflection* true),
     * that mean nothing here; and the version whose semantics the runtime keeps. */
    for(auto const *name :
        { "*warn-on-reflection*", "*unchecked-math*", "*print-dup*", "*print-meta*", "*compile-files*" })
    {
      bind_root(intern_var("clojure.core", name), boolean(false));
    }
    bind_root(intern_var("clojure.core", "*command-line-args*"), nil());
    /* True, as clojure.main and nREPL bind it for every REPL and program:
     * {:a/x 1 :a/y 2} prints as #:a{:x 1, :y 2}. */
    bind_root(intern_var("clojure.core", "*print-namespace-maps*"), boolean(true));
    bind_root(intern_var("clojure.core", "*print-readably*"), boolean(true));
    bind_root(intern_var("clojure.core", "*verbose-defrecords*"), boolean(false));
    bind_root(intern_var("clojure.core", "*flush-on-newline*"), boolean(true));
    bind_root(intern_var("clojure.core", "*assert*"), boolean(true));
    /* The reader's settings: no data readers beyond #inst and #uuid (a
     * program may bind its own for clojure.edn), and #= is never read. */
    bind_root(intern_var("clojure.core", "*data-readers*"), map_from({}));
    bind_root(intern_var("clojure.core", "*default-data-reader-fn*"), nil());
    bind_root(intern_var("clojure.core", "*read-eval*"), boolean(true));
    bind_root(intern_var("clojure.core", "*file*"), string("NO_SOURCE_PATH"));
    bind_root(intern_var("clojure.core", "*clojure-version*"),
              map_from({ keyword("", "major"), integer(1), keyword("", "minor"), integer(11),
                         keyword("", "incremental"), integer(1), keyword("", "qualifier"), nil() }));
    /* The writers: everything the page prints goes to one output, so these
     * only name it, for code that binds them ((binding [*out* *err*] ...)). */
    bind_root(intern_var("clojure.core", "*out*"), keyword("", "out"));
    bind_root(intern_var("clojure.core", "*err*"), keyword("", "err"));
    install_predicates();
    install_hash();
    install_lang();
    install_text();
    install_regex();
    install_polymorphism();
    install_seqs();
    install_transducers();
    install_colls();
    install_libraries();
    install_arrays();
    install_reader();
    install_namespace_fns();
    install_queue();
    install_uuid();
    install_inst();
    install_clojure_test();
    install_jvm_classes();
    install_rounding_modes();
    install_jvm_methods();
    install_java_util();
    install_java_random();
    install_atomics();
    install_codecs();
    install_uri();
    install_locale();
    install_references();
    install_absent_classes();
    install_classes();
    install_concurrency();
    install_io();
    install_line_numbering();
  }

  namespace
  {
    /* core_op's operations, in the order the compiler numbers them. */
    enum : int
    {
      op_add,
      op_sub,
      op_mul,
      op_lt,
      op_gt,
      op_le,
      op_ge,
      op_num_eq,
      op_eq,
      op_inc,
      op_dec,
      op_count
    };

    /* A comparison of two longs or two doubles (== and = alike there). */
    template <typename T>
    object *compare_op(int op, T x, T y)
    {
      switch(op)
      {
        case op_lt:
          return boolean(x < y);
        case op_gt:
          return boolean(x > y);
        case op_le:
          return boolean(x <= y);
        case op_ge:
          return boolean(x >= y);
        default:
          return boolean(x == y);
      }
    }
  }

  object *core_op(int op, object *a, object *b)
  {
    if(op < 0 || op >= op_count)
    {
      fail("core_op: no operation " + std::to_string(op));
    }
    bool const unary = op == op_inc || op == op_dec;
    if(a->type == tag::integer && (unary || b->type == tag::integer))
    {
      auto const x = static_cast<integer_obj *>(a)->value;
      auto const y = unary ? int64_t{ 1 } : static_cast<integer_obj *>(b)->value;
      int64_t r{};
      switch(op)
      {
        case op_add:
        case op_inc:
          if(!__builtin_add_overflow(x, y, &r))
          {
            return integer(r);
          }
          break;
        case op_sub:
        case op_dec:
          if(!__builtin_sub_overflow(x, y, &r))
          {
            return integer(r);
          }
          break;
        case op_mul:
          if(!__builtin_mul_overflow(x, y, &r))
          {
            return integer(r);
          }
          break;
        default:
          return compare_op(op, x, y);
      }
    }
    else if(plain_double(a) && (unary || plain_double(b)))
    {
      auto const x = static_cast<real_obj *>(a)->value;
      auto const y = unary ? 1.0 : static_cast<real_obj *>(b)->value;
      switch(op)
      {
        case op_add:
        case op_inc:
          return real(x + y);
        case op_sub:
        case op_dec:
          return real(x - y);
        case op_mul:
          return real(x * y);
        default:
          return compare_op(op, x, y);
      }
    }
    object *args[] = { a, b };
    return core_op_natives[op](unary ? 1 : 2, args);
  }
}
