// The JVM static members that Clojure code calls most, so that code written
// for Clojure runs here as written: Integer/parseInt, Long/MAX_VALUE,
// Double/isNaN, Character/isDigit, System/currentTimeMillis, String/valueOf.
// Each class is a namespace of that name; Math is clojure.math (the compiler
// maps it). Parse failures throw as the JVM's NumberFormatException does.
#include "jvm_classes.hpp"
#include "locale.hpp"
#include "lang.hpp"

#include "classes.hpp"
#include "polymorphism.hpp"

#include "gc.hpp"
#include "native.hpp"
#include "namespaces.hpp"
#include "numbers.hpp"
#include "object.hpp"
#include "utf8.hpp"

#include <cwctype>
#include <emscripten/heap.h>
#include <bit>
#include <cstring>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <unistd.h>

namespace jhr
{
  namespace
  {
    std::string const &text_arg(object *o, char const *op)
    {
      if(o->type != tag::string)
      {
        fail(std::string{ op } + " expects a string, got " + type_name(o));
      }
      return static_cast<string_obj *>(o)->value;
    }

    /* The text Integer/parseInt and Long/parseLong read: nil is Java's
     * NumberFormatException for a null string. */
    std::string const &parsed_text(object *o, char const *op)
    {
      if(o->type == tag::nil)
      {
        fail("Cannot parse null string");
      }
      return text_arg(o, op);
    }

    int radix_arg(int argc, args_t argv, char const *op)
    {
      if(argc < 2)
      {
        return 10;
      }
      auto *r = as<integer_obj>(argv[1], tag::integer, "an integer radix");
      if(r->value < 2 || r->value > 36)
      {
        fail(std::string{ op } + ": radix " + std::to_string(r->value) + " is out of range 2 to 36");
      }
      return static_cast<int>(r->value);
    }

    [[noreturn]] void number_format(std::string const &s)
    {
      fail("For input string: \"" + s + "\"");
    }

    /* Long.parseLong's grammar: an optional sign, then digits of the radix. */
    int64_t parse_integer(std::string const &s, int radix, int64_t min, int64_t max)
    {
      size_t const start = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
      if(start == s.size())
      {
        number_format(s);
      }
      for(size_t i = start; i < s.size(); ++i)
      {
        char const c = s[i];
        int const digit = c >= '0' && c <= '9' ? c - '0'
          : c >= 'a' && c <= 'z'               ? c - 'a' + 10
          : c >= 'A' && c <= 'Z'               ? c - 'A' + 10
                                               : 99;
        if(digit >= radix)
        {
          number_format(s);
        }
      }
      errno = 0;
      auto const value = std::strtoll(s.c_str(), nullptr, radix);
      if(errno == ERANGE || value < min || value > max)
      {
        number_format(s);
      }
      return value;
    }

    object *parse_int(int argc, args_t argv)
    {
      check_arity("Integer/parseInt", argc, 1, 2);
      auto const &s = parsed_text(argv[0], "Integer/parseInt");
      return integer(parse_integer(s,
                                   radix_arg(argc, argv, "Integer/parseInt"),
                                   std::numeric_limits<int32_t>::min(),
                                   std::numeric_limits<int32_t>::max()));
    }

    object *parse_long(int argc, args_t argv)
    {
      check_arity("Long/parseLong", argc, 1, 2);
      auto const &s = parsed_text(argv[0], "Long/parseLong");
      return integer(parse_integer(s,
                                   radix_arg(argc, argv, "Long/parseLong"),
                                   std::numeric_limits<int64_t>::min(),
                                   std::numeric_limits<int64_t>::max()));
    }

    /* Long/valueOf and Integer/valueOf: a string parsed, a number as it is. */
    object *long_value_of(int argc, args_t argv)
    {
      if(argc >= 1 && argv[0]->type == tag::integer)
      {
        check_arity("Long/valueOf", argc, 1, 1);
        return argv[0];
      }
      return parse_long(argc, argv);
    }

    object *parse_double(int argc, args_t argv)
    {
      check_arity("Double/parseDouble", argc, 1, 1);
      auto const &s = text_arg(argv[0], "Double/parseDouble");
      object *parsed = invoke(deref(intern_var("clojure.core", "parse-double")), 1, argv);
      if(parsed->type == tag::nil)
      {
        number_format(s);
      }
      return parsed;
    }

    /* Float/parseFloat: parseDouble's text, kept as a JVM float. */
    object *parse_float(int argc, args_t argv)
    {
      check_arity("Float/parseFloat", argc, 1, 1);
      return single_float(as_double(parse_double(argc, argv), "Float/parseFloat"));
    }

    /* Double/valueOf and Float/valueOf: of a string, as parseDouble; of a
     * number, that number as a double (a float), as Java's boxing gives. */
    object *double_value_of(int argc, args_t argv)
    {
      check_arity("Double/valueOf", argc, 1, 1);
      return is_number(argv[0]) ? real(as_double(argv[0], "Double/valueOf")) : parse_double(argc, argv);
    }

    object *float_value_of(int argc, args_t argv)
    {
      check_arity("Float/valueOf", argc, 1, 1);
      return is_number(argv[0]) ? single_float(as_double(argv[0], "Float/valueOf")) : parse_float(argc, argv);
    }

    object *parse_boolean(int argc, args_t argv)
    {
      check_arity("Boolean/parseBoolean", argc, 1, 1);
      if(argv[0]->type != tag::string)
      {
        return boolean(false);
      }
      auto s = static_cast<string_obj *>(argv[0])->value;
      for(auto &c : s)
      {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      return boolean(s == "true");
    }

    double number_arg(object *o, char const *op)
    {
      switch(o->type)
      {
        case tag::real:
          return static_cast<real_obj *>(o)->value;
        case tag::integer:
          return static_cast<double>(static_cast<integer_obj *>(o)->value);
        default:
          fail(std::string{ op } + " expects a number, got " + type_name(o));
      }
    }

    object *is_nan(int argc, args_t argv)
    {
      check_arity("Double/isNaN", argc, 1, 1);
      return boolean(std::isnan(number_arg(argv[0], "Double/isNaN")));
    }

    /* Double/toString and Float/toString: the number as that type prints. */
    template <bool single>
    object *real_to_string(int argc, args_t argv)
    {
      auto const *op = single ? "Float/toString" : "Double/toString";
      check_arity(op, argc, 1, 1);
      auto const value = number_arg(argv[0], op);
      return string(str(single ? single_float(value) : real(value)));
    }

    object *boolean_to_string(int argc, args_t argv)
    {
      check_arity("Boolean/toString", argc, 1, 1);
      return string(truthy(argv[0]) ? "true" : "false");
    }

    object *is_infinite(int argc, args_t argv)
    {
      check_arity("Double/isInfinite", argc, 1, 1);
      return boolean(std::isinf(number_arg(argv[0], "Double/isInfinite")));
    }

    /* Double/isFinite. */
    object *is_finite(int argc, args_t argv)
    {
      check_arity("Double/isFinite", argc, 1, 1);
      return boolean(std::isfinite(number_arg(argv[0], "Double/isFinite")));
    }

    /* Double/doubleToLongBits: a double's IEEE 754 bits, every NaN as the
     * one canonical NaN; doubleToRawLongBits keeps a NaN's own bits. */
    template <bool Raw>
    object *double_to_long_bits(int argc, args_t argv)
    {
      check_arity(Raw ? "Double/doubleToRawLongBits" : "Double/doubleToLongBits", argc, 1, 1);
      auto const d = number_arg(argv[0], "Double/doubleToLongBits");
      int64_t bits{};
      std::memcpy(&bits, &d, sizeof bits);
      return integer(!Raw && std::isnan(d) ? INT64_C(0x7ff8000000000000) : bits);
    }

    /* Double/longBitsToDouble: the double of those IEEE 754 bits. */
    object *long_bits_to_double(int argc, args_t argv)
    {
      check_arity("Double/longBitsToDouble", argc, 1, 1);
      if(argv[0]->type != tag::integer)
      {
        fail("Double/longBitsToDouble expects a long, got " + pr_str(argv[0]));
      }
      double d{};
      std::memcpy(&d, &static_cast<integer_obj *>(argv[0])->value, sizeof d);
      return real(d);
    }

    /* Character's predicates and case changes, over ASCII and Latin-1. */
    int32_t char_arg(object *o, char const *op)
    {
      if(o->type == tag::integer)
      {
        return static_cast<int32_t>(static_cast<integer_obj *>(o)->value);
      }
      if(o->type != tag::character)
      {
        fail(std::string{ op } + " expects a character, got " + type_name(o));
      }
      return static_cast<char_obj *>(o)->codepoint;
    }

    /* Latin-1 exactly as Java has it; past it, libc's Unicode tables. */
    bool upper(int32_t c)
    {
      return c > 0xFF ? std::iswupper(static_cast<wint_t>(c)) != 0
                      : (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
    }

    bool lower(int32_t c)
    {
      return c > 0xFF ? std::iswlower(static_cast<wint_t>(c)) != 0
                      : (c >= 'a' && c <= 'z') || (c >= 0xDF && c <= 0xFF && c != 0xF7);
    }

    bool digit(int32_t c)
    {
      return c >= '0' && c <= '9';
    }

    bool letter(int32_t c)
    {
      return c > 0xFF ? std::iswalpha(static_cast<wint_t>(c)) != 0
                      : upper(c) || lower(c) || c == 0xAA || c == 0xB5 || c == 0xBA;
    }

    bool whitespace(int32_t c)
    {
      return utf8::java_whitespace(static_cast<char32_t>(c));
    }

    template <bool (*Test)(int32_t)>
    object *char_predicate(int argc, args_t argv)
    {
      check_arity("Character predicate", argc, 1, 1);
      return boolean(Test(char_arg(argv[0], "Character")));
    }

    /* Java's ISO control characters: U+0000 to U+001F and U+007F to U+009F. */
    bool iso_control(int32_t c)
    {
      return (c >= 0 && c <= 0x1F) || (c >= 0x7F && c <= 0x9F);
    }

    /* Character.isSpace (deprecated in Java, still called): ASCII white space. */
    bool ascii_space(int32_t c)
    {
      return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
    }

    bool letter_or_digit(int32_t c)
    {
      return letter(c) || digit(c);
    }

    object *to_upper_case(int argc, args_t argv)
    {
      check_arity("Character/toUpperCase", argc, 1, 1);
      auto const c = char_arg(argv[0], "Character/toUpperCase");
      return character(lower(c) && c != 0xDF && c != 0xFF ? c - 32 : c);
    }

    object *to_lower_case(int argc, args_t argv)
    {
      check_arity("Character/toLowerCase", argc, 1, 1);
      auto const c = char_arg(argv[0], "Character/toLowerCase");
      return character(upper(c) ? c + 32 : c);
    }

    /* (Character/digit \7 10): the digit's value in the radix, or -1. */
    object *char_digit(int argc, args_t argv)
    {
      check_arity("Character/digit", argc, 2, 2);
      auto const c = char_arg(argv[0], "Character/digit");
      auto const radix = as<integer_obj>(argv[1], tag::integer, "an integer radix")->value;
      int64_t const value = digit(c) ? c - '0'
        : (c >= 'a' && c <= 'z')      ? c - 'a' + 10
        : (c >= 'A' && c <= 'Z')      ? c - 'A' + 10
                                      : -1;
      return integer(value >= 0 && value < radix ? value : -1);
    }

    /* Character/forDigit: the digit's character in the radix (lower case),
     * or the NUL character when either is out of range, as Java gives. */
    object *char_for_digit(int argc, args_t argv)
    {
      check_arity("Character/forDigit", argc, 2, 2);
      auto const value = as<integer_obj>(argv[0], tag::integer, "an integer digit")->value;
      auto const radix = as<integer_obj>(argv[1], tag::integer, "an integer radix")->value;
      if(radix < 2 || radix > 36 || value < 0 || value >= radix)
      {
        return character(0);
      }
      return character(static_cast<int32_t>(value < 10 ? '0' + value : 'a' + value - 10));
    }

    object *char_to_string(int argc, args_t argv)
    {
      check_arity("Character/toString", argc, 1, 1);
      char_arg(argv[0], "Character/toString");
      return string(str(argv[0]));
    }

    /* Character/codePointAt, toChars and charCount, in the page's model of
     * text: a string is indexed by code points (count and subs count them),
     * so each code point is one char. */
    object *code_point_at(int argc, args_t argv)
    {
      check_arity("Character/codePointAt", argc, 2, 2);
      auto const text = str(argv[0]);
      auto const index = as<integer_obj>(argv[1], tag::integer, "an index")->value;
      size_t at = 0;
      for(int64_t i = 0; at < text.size(); ++i)
      {
        auto const cp = utf8::next(text, at);
        if(i == index)
        {
          return integer(static_cast<int64_t>(cp));
        }
      }
      fail("Index " + std::to_string(index) + " out of bounds for length " + std::to_string(utf8::length(text)));
    }

    object *to_chars(int argc, args_t argv)
    {
      check_arity("Character/toChars", argc, 1, 1);
      return new array_obj{ { character(char_arg(argv[0], "Character/toChars")) }, 'C' };
    }

    object *char_count(int argc, args_t argv)
    {
      check_arity("Character/charCount", argc, 1, 1);
      char_arg(argv[0], "Character/charCount");
      return integer(1);
    }

    object *char_value_of(int argc, args_t argv)
    {
      check_arity("Character/valueOf", argc, 1, 1);
      char_arg(argv[0], "Character/valueOf");
      return argv[0];
    }

    object *current_time_millis(int argc, args_t)
    {
      check_arity("System/currentTimeMillis", argc, 0, 0);
      auto const now = std::chrono::system_clock::now().time_since_epoch();
      return integer(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
    }

    object *nano_time(int argc, args_t)
    {
      check_arity("System/nanoTime", argc, 0, 0);
      auto const now = std::chrono::steady_clock::now().time_since_epoch();
      return integer(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count());
    }

    /* System/getProperty: the separators a program joins lines and paths
     * with, and the directories of the page's file system a program puts
     * files in; the page has no other system properties, so any other key
     * is nil (or the default given), as an unset property is on the JVM. */
    object *get_property(int argc, args_t argv)
    {
      check_arity("System/getProperty", argc, 1, 2);
      auto const &key = text_arg(argv[0], "System/getProperty");
      if(key == "user.dir")
      {
        char cwd[4096];
        return string(getcwd(cwd, sizeof cwd) != nullptr ? cwd : "/");
      }
      static std::pair<char const *, char const *> const known[] = {
        { "line.separator", "\n" },
        { "file.separator", "/" },
        { "path.separator", ":" },
        { "java.io.tmpdir", "/tmp" },
        { "user.home", "/home/web_user" },
      };
      for(auto const &[name, value] : known)
      {
        if(key == name)
        {
          return string(value);
        }
      }
      return argc == 2 ? argv[1] : nil();
    }

    /* System/getenv: a page has no environment; (System/getenv) is an
     * empty map and every variable is unset. */
    object *get_env(int argc, args_t argv)
    {
      check_arity("System/getenv", argc, 0, 1);
      if(argc == 1)
      {
        text_arg(argv[0], "System/getenv");
        return nil();
      }
      return call(core("hash-map"), {});
    }

    /* Thread/sleep: the page has one thread, so this waits in place, as a
     * JVM thread would block (the page does not paint meanwhile). */
    object *thread_sleep(int argc, args_t argv)
    {
      check_arity("Thread/sleep", argc, 1, 2);
      auto const ms = as<integer_obj>(argv[0], tag::integer, "a number of milliseconds")->value;
      if(ms < 0)
      {
        fail("Value out of range for Thread/sleep: timeout value is negative");
      }
      auto const until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
      while(std::chrono::steady_clock::now() < until)
      {
      }
      return nil();
    }

    /* The page's one thread, as Thread/currentThread gives it, and its
     * Runtime: each an instance of its class, with no fields. */
    instance_obj *host_object(char const *cls)
    {
      auto *type = class_named(cls);
      gc::make_permanent(type);
      auto *o = new instance_obj{ type, {} };
      gc::make_permanent(o);
      return o;
    }

    /* A Thread's fields: what it runs, its name, and whether it started. */
    enum thread_field : size_t
    {
      thread_runnable = 0,
      thread_name = 1,
      thread_started = 2,
    };

    record_type_obj *thread_type()
    {
      static auto *type = [] {
        auto *t = class_named("java.lang.Thread");
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    instance_obj *main_thread()
    {
      static auto *thread = [] {
        auto *t = new instance_obj{ thread_type(), { nil(), string("main"), boolean(true) } };
        gc::make_permanent(t);
        return t;
      }();
      return thread;
    }

    /* (Thread. f) and (Thread. f name): a thread of the page's one, so
     * .start runs f there and then, as future runs its body, and .join has
     * nothing to wait for. Unnamed threads are Thread-0, Thread-1, ... as
     * Java numbers them. */
    object *thread_new(int argc, args_t argv)
    {
      check_arity("Thread.", argc, 1, 2);
      static int64_t next_number = 0;
      auto *name = argc == 2 ? string(text_arg(argv[1], "Thread.")) : string("Thread-" + std::to_string(next_number++));
      return new instance_obj{ thread_type(), { argv[0], name, boolean(false) } };
    }

    /* A FutureTask's fields: what it runs, and then its value, the
     * exception it threw, or :cancelled. */
    enum future_task_field : size_t
    {
      task_callable = 0,
      task_state = 1, /* nil pending, :done, :failed or :cancelled */
      task_result = 2,
    };

    record_type_obj *future_task_type()
    {
      static auto *type = [] {
        auto *t = class_named("java.util.concurrent.FutureTask");
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    /* (FutureTask. f): f (a fn, a Callable or a Runnable) runs when a
     * thread runs the task, on the page's one thread: Thread.start, or .run. */
    object *future_task_new(int argc, args_t argv)
    {
      check_arity("FutureTask.", argc, 1, 1);
      return new instance_obj{ future_task_type(), { argv[0], nil(), nil() } };
    }

    bool future_task_method(std::string const &method, instance_obj *task, int argc, object **answer)
    {
      auto &fields = task->values;
      /* "", ":done", ":failed" or ":cancelled". */
      auto const state = fields[task_state]->type == tag::nil ? std::string{} : str(fields[task_state]);
      if(method == "run" && argc == 0)
      {
        if(state.empty())
        {
          try
          {
            auto *callable = fields[task_callable];
            auto *call = type_method_of(callable, "call");
            auto *run = call == nullptr ? type_method_of(callable, "run") : nullptr;
            fields[task_result] = call != nullptr ? invoke(call, 1, &callable)
              : run != nullptr                   ? (invoke(run, 1, &callable), nil())
                                                 : invoke(callable, 0, nullptr);
            fields[task_state] = keyword("", "done");
          }
          catch(std::exception const &e)
          {
            fields[task_result] = caught_value(e);
            fields[task_state] = keyword("", "failed");
          }
        }
        *answer = nil();
      }
      else if(method == "get" && (argc == 0 || argc == 2))
      {
        if(state == ":done")
          *answer = fields[task_result];
        else if(state == ":failed")
          throw_value(new ex_info_obj{ str(fields[task_result]), nil(), fields[task_result], "java.util.concurrent.ExecutionException" });
        else if(state == ":cancelled")
          throw_value(new ex_info_obj{ "the task was cancelled", nil(), nil(), "java.util.concurrent.CancellationException" });
        else if(argc == 2)
          throw_value(new ex_info_obj{ "the task has not run: the page has one thread, and no other runs it", nil(), nil(),
                                       "java.util.concurrent.TimeoutException" });
        else
          fail("get on a FutureTask that has not run would wait forever: the page has one thread, and no other can run it");
      }
      else if(method == "cancel" && argc == 1)
      {
        *answer = boolean(state.empty());
        if(state.empty())
        {
          fields[task_state] = keyword("", "cancelled");
        }
      }
      else if(method == "isDone" && argc == 0)
        *answer = boolean(!state.empty());
      else if(method == "isCancelled" && argc == 0)
        *answer = boolean(state == ":cancelled");
      else
        return false;
      return true;
    }

    record_type_obj *latch_type()
    {
      static auto *type = [] {
        auto *t = class_named("java.util.concurrent.CountDownLatch");
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    /* (CountDownLatch. n): a count that threads count down. The page's
     * threads run at .start, so by the time one waits on the latch every
     * thread started before has counted. */
    object *latch_new(int argc, args_t argv)
    {
      check_arity("CountDownLatch.", argc, 1, 1);
      if(argv[0]->type != tag::integer || static_cast<integer_obj *>(argv[0])->value < 0)
      {
        fail("count < 0 (CountDownLatch. needs a count of zero or more)");
      }
      return new instance_obj{ latch_type(), { argv[0] } };
    }

    /* java.lang.ThreadLocal: (ThreadLocal.), (ThreadLocal/withInitial f)
     * and (proxy [ThreadLocal] [] (initialValue [] ...)). The page has one
     * thread, so each holds one value, kept by identity in a map the
     * collector sees (the var thread-local-values*); the first .get without
     * a .set gives the initial value. */
    record_type_obj *thread_local_type()
    {
      static auto *type = [] {
        auto *t = class_named("java.lang.ThreadLocal");
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    var_obj *thread_local_values()
    {
      static auto *values = [] {
        auto *v = intern_var("clojure.core", "thread-local-values*");
        bind_root(v, map_from({}));
        return v;
      }();
      return values;
    }

    object *thread_local_new(int argc, args_t)
    {
      check_arity("ThreadLocal.", argc, 0, 0);
      return new instance_obj{ thread_local_type(), { nil() } };
    }

    object *thread_local_with_initial(int argc, args_t argv)
    {
      check_arity("ThreadLocal/withInitial", argc, 1, 1);
      return new instance_obj{ thread_local_type(), { argv[0] } };
    }

    /* Its initial value: a proxy's initialValue, withInitial's supplier's, or nil. */
    object *initial_value(object *local)
    {
      if(auto *initial = type_method_of(local, "initialValue"))
      {
        return invoke(initial, 1, &local);
      }
      auto *supplier = static_cast<instance_obj *>(local)->values.at(0);
      return supplier == nil() ? nil() : invoke(supplier, 0, nullptr);
    }

    /* Runnable.run of what a thread runs: a fn, or a reify of Runnable. */
    void run_runnable(object *runnable)
    {
      if(runnable->type == tag::instance && static_cast<instance_obj *>(runnable)->type == future_task_type())
      {
        object *ignored{};
        future_task_method("run", static_cast<instance_obj *>(runnable), 0, &ignored);
        return;
      }
      if(auto *run = type_method_of(runnable, "run"))
      {
        invoke(run, 1, &runnable);
        return;
      }
      invoke(runnable, 0, nullptr);
    }

    instance_obj *page_runtime()
    {
      static auto *runtime = host_object("java.lang.Runtime");
      return runtime;
    }

    /* System/identityHashCode: the identity #object prints (0 for nil, as Java's). */
    object *identity_hash_code(int argc, args_t argv)
    {
      check_arity("System/identityHashCode", argc, 1, 1);
      if(argv[0]->type == tag::nil)
      {
        return integer(0);
      }
      return integer(static_cast<int32_t>(reinterpret_cast<uintptr_t>(argv[0])));
    }

    /* String/valueOf: as str, but nil is "null", and a char array its text. */
    object *string_value_of(int argc, args_t argv)
    {
      check_arity("String/valueOf", argc, 1, 1);
      if(argv[0]->type == tag::array && static_cast<array_obj *>(argv[0])->kind == 'C')
      {
        std::string text;
        for(auto *c : static_cast<array_obj *>(argv[0])->items)
        {
          text += str(c);
        }
        return string(text);
      }
      return string(argv[0]->type == tag::nil ? "null" : str(argv[0]));
    }

    /* String/format: format's directives, the arguments given one by one or,
     * as Java's varargs take them, in one object array. */
    object *string_format(int argc, args_t argv)
    {
      check_arity("String/format", argc, 1, -1);
      if(is_locale(argv[0]))
      {
        /* String/format(Locale, format, args...): the page formats as the
         * root locale does. */
        return string_format(argc - 1, argv + 1);
      }
      std::vector<object *> args(argv, argv + argc);
      if(argc == 2 && argv[1]->type == tag::array && static_cast<array_obj *>(argv[1])->kind == 'L')
      {
        auto const &spread = static_cast<array_obj *>(argv[1])->items;
        args.assign({ argv[0] });
        args.insert(args.end(), spread.begin(), spread.end());
      }
      return invoke(core("format"), static_cast<int>(args.size()), args.data());
    }

    /* String/join: the delimiter between the items of one collection, or
     * between the rest of the arguments; nil items are "null", as on the JVM. */
    object *string_join(int argc, args_t argv)
    {
      check_arity("String/join", argc, 2, -1);
      auto const &delimiter = text_arg(argv[0], "String/join");
      auto const items = argc == 2 && argv[1]->type != tag::string ? to_items(argv[1])
                                                                     : std::vector<object *>(argv + 1, argv + argc);
      std::string out;
      for(size_t i = 0; i < items.size(); ++i)
      {
        out += (i == 0 ? "" : delimiter) + (items[i]->type == tag::nil ? std::string{ "null" } : str(items[i]));
      }
      return string(out);
    }

    /* Character/getNumericValue: a digit's or letter's value in base 36, else -1. */
    object *char_numeric_value(int argc, args_t argv)
    {
      check_arity("Character/getNumericValue", argc, 1, 1);
      auto const c = char_arg(argv[0], "Character/getNumericValue");
      int64_t const value = digit(c) ? c - '0'
        : (c >= 'a' && c <= 'z')      ? c - 'a' + 10
        : (c >= 'A' && c <= 'Z')      ? c - 'A' + 10
                                      : -1;
      return integer(value);
    }

    /* Integer.toHexString and friends: the value's bits read as unsigned (32
     * of them for Integer, 64 for Long), in base 2^bits_per_digit. */
    object *unsigned_digits(int argc, args_t argv, char const *op, bool is_int, int bits_per_digit)
    {
      check_arity(op, argc, 1, 1);
      auto const value = as<integer_obj>(argv[0], tag::integer, "an integer")->value;
      auto bits = is_int ? static_cast<uint64_t>(static_cast<uint32_t>(value)) : static_cast<uint64_t>(value);
      std::string digits;
      do
      {
        digits.insert(digits.begin(), "0123456789abcdef"[bits & ((1u << bits_per_digit) - 1)]);
        bits >>= bits_per_digit;
      } while(bits != 0);
      return string(digits);
    }

    /* Integer.toString and Long.toString: signed, in a radix (10 by default). */
    object *signed_digits(int argc, args_t argv, char const *op)
    {
      check_arity(op, argc, 1, 2);
      auto const value = as<integer_obj>(argv[0], tag::integer, "an integer")->value;
      auto const radix = static_cast<uint64_t>(radix_arg(argc, argv, op));
      auto magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
      std::string digits;
      do
      {
        digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[magnitude % radix]);
        magnitude /= radix;
      } while(magnitude != 0);
      return string(value < 0 ? "-" + digits : digits);
    }

    /* Integer's and Long's bit twiddling (bitCount, numberOfTrailingZeros,
     * ...) on the value's 32 or 64 bits; Integer's results wrap to an int. */
    enum class bits_op
    {
      count,
      trailing_zeros,
      leading_zeros,
      highest_one,
      lowest_one,
      reverse,
      signum,
    };

    template <bool is_int, bits_op op>
    object *bits(int argc, args_t argv)
    {
      check_arity(is_int ? "Integer bit method" : "Long bit method", argc, 1, 1);
      auto const value = as<integer_obj>(argv[0], tag::integer, "an integer")->value;
      using word = std::conditional_t<is_int, uint32_t, uint64_t>;
      constexpr int width = is_int ? 32 : 64;
      auto const w = static_cast<word>(value);
      auto const wrap = [](word x) {
        return is_int ? static_cast<int64_t>(static_cast<int32_t>(x)) : static_cast<int64_t>(x);
      };
      switch(op)
      {
        case bits_op::count:
          return integer(std::popcount(w));
        case bits_op::trailing_zeros:
          return integer(w == 0 ? width : std::countr_zero(w));
        case bits_op::leading_zeros:
          return integer(w == 0 ? width : std::countl_zero(w));
        case bits_op::highest_one:
          return integer(w == 0 ? 0 : wrap(word{ 1 } << (width - 1 - std::countl_zero(w))));
        case bits_op::lowest_one:
          return integer(wrap(w & (~w + 1)));
        case bits_op::reverse:
          {
            word out = 0;
            for(int i = 0; i < width; ++i)
            {
              out |= ((w >> i) & 1) << (width - 1 - i);
            }
            return integer(wrap(out));
          }
        case bits_op::signum:
          return integer(wrap(w) > 0 ? 1 : wrap(w) < 0 ? -1 : 0);
      }
      return nil();
    }

    /* Long/compare, Integer/compare, Double/compare: -1, 0 or 1. */
    object *compare_numbers(int argc, args_t argv)
    {
      check_arity("compare", argc, 2, 2);
      if(argv[0]->type == tag::integer && argv[1]->type == tag::integer)
      {
        auto const x = static_cast<integer_obj *>(argv[0])->value;
        auto const y = static_cast<integer_obj *>(argv[1])->value;
        return integer(x < y ? -1 : x > y ? 1 : 0);
      }
      auto const a = number_arg(argv[0], "compare");
      auto const b = number_arg(argv[1], "compare");
      if(a < b || a > b)
      {
        return integer(a < b ? -1 : 1);
      }
      /* Double.compare's total order: -0.0 below 0.0, NaN above everything
       * and equal to itself. */
      auto const rank = [](double d) { return std::isnan(d) ? 2 : std::signbit(d) ? 0 : 1; };
      return integer(rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0);
    }

    native_entry const integer_fns[] = {
      { "parseInt", parse_int },
      { "valueOf", long_value_of },
      { "toHexString", [](int argc, args_t argv) { return unsigned_digits(argc, argv, "Integer/toHexString", true, 4); } },
      { "toOctalString", [](int argc, args_t argv) { return unsigned_digits(argc, argv, "Integer/toOctalString", true, 3); } },
      { "toBinaryString", [](int argc, args_t argv) { return unsigned_digits(argc, argv, "Integer/toBinaryString", true, 1); } },
      { "toString", [](int argc, args_t argv) { return signed_digits(argc, argv, "Integer/toString"); } },
      { "bitCount", bits<true, bits_op::count> },
      { "numberOfTrailingZeros", bits<true, bits_op::trailing_zeros> },
      { "numberOfLeadingZeros", bits<true, bits_op::leading_zeros> },
      { "highestOneBit", bits<true, bits_op::highest_one> },
      { "lowestOneBit", bits<true, bits_op::lowest_one> },
      { "reverse", bits<true, bits_op::reverse> },
      { "signum", bits<true, bits_op::signum> },
      { "compare", compare_numbers },
    };
    native_entry const long_fns[] = {
      { "parseLong", parse_long },
      { "valueOf", long_value_of },
      { "toHexString", [](int argc, args_t argv) { return unsigned_digits(argc, argv, "Long/toHexString", false, 4); } },
      { "toOctalString", [](int argc, args_t argv) { return unsigned_digits(argc, argv, "Long/toOctalString", false, 3); } },
      { "toBinaryString", [](int argc, args_t argv) { return unsigned_digits(argc, argv, "Long/toBinaryString", false, 1); } },
      { "toString", [](int argc, args_t argv) { return signed_digits(argc, argv, "Long/toString"); } },
      { "bitCount", bits<false, bits_op::count> },
      { "numberOfTrailingZeros", bits<false, bits_op::trailing_zeros> },
      { "numberOfLeadingZeros", bits<false, bits_op::leading_zeros> },
      { "highestOneBit", bits<false, bits_op::highest_one> },
      { "lowestOneBit", bits<false, bits_op::lowest_one> },
      { "reverse", bits<false, bits_op::reverse> },
      { "signum", bits<false, bits_op::signum> },
      { "compare", compare_numbers },
    };
    native_entry const double_fns[] = {
      { "parseDouble", parse_double },
      { "valueOf", double_value_of },
      { "isNaN", is_nan },
      { "isInfinite", is_infinite },
      { "isFinite", is_finite },
      { "doubleToLongBits", double_to_long_bits<false> },
      { "doubleToRawLongBits", double_to_long_bits<true> },
      { "longBitsToDouble", long_bits_to_double },
      { "compare", compare_numbers },
      { "toString", real_to_string<false> },
    };
    native_entry const float_fns[] = {
      { "parseFloat", parse_float },
      { "valueOf", float_value_of },
      { "isNaN", is_nan },
      { "isInfinite", is_infinite },
      { "compare", compare_numbers },
      { "toString", real_to_string<true> },
    };
    native_entry const boolean_fns[] = {
      { "parseBoolean", parse_boolean },
      { "toString", boolean_to_string },
    };
    native_entry const character_fns[] = {
      { "isDigit", char_predicate<digit> },
      { "isLetter", char_predicate<letter> },
      { "isLetterOrDigit", char_predicate<letter_or_digit> },
      { "isAlphabetic", char_predicate<letter> },
      { "isWhitespace", char_predicate<whitespace> },
      { "isISOControl", char_predicate<iso_control> },
      { "isSpace", char_predicate<ascii_space> },
      { "isUpperCase", char_predicate<upper> },
      { "isLowerCase", char_predicate<lower> },
      { "toUpperCase", to_upper_case },
      { "toLowerCase", to_lower_case },
      { "digit", char_digit },
      { "getNumericValue", char_numeric_value },
      { "forDigit", char_for_digit },
      { "toString", char_to_string },
      { "valueOf", char_value_of },
      { "codePointAt", code_point_at },
      { "toChars", to_chars },
      { "charCount", char_count },
    };
    /* System/arraycopy: length items of src from srcPos into dest at
     * destPos, as if through a copy (so src and dest may be one array). */
    object *array_copy(int argc, args_t argv)
    {
      check_arity("System/arraycopy", argc, 5, 5);
      auto *src = as<array_obj>(argv[0], tag::array, "an array (System/arraycopy's source)");
      auto *dest = as<array_obj>(argv[2], tag::array, "an array (System/arraycopy's destination)");
      auto const index = [&](int i) {
        return as<integer_obj>(argv[i], tag::integer, "an int (System/arraycopy's position or length)")->value;
      };
      auto const from = index(1), to = index(3), length = index(4);
      if(from < 0 || to < 0 || length < 0 || from + length > static_cast<int64_t>(src->items.size())
         || to + length > static_cast<int64_t>(dest->items.size()))
      {
        throw_value(new ex_info_obj{ "arraycopy: last source index " + std::to_string(from + length) + " out of bounds for length "
                                       + std::to_string(src->items.size()) + ", or destination index "
                                       + std::to_string(to + length) + " for length " + std::to_string(dest->items.size()),
                                     nil(), nil(), "java.lang.ArrayIndexOutOfBoundsException" });
      }
      std::vector<object *> const copied(src->items.begin() + from, src->items.begin() + from + length);
      std::copy(copied.begin(), copied.end(), dest->items.begin() + to);
      return nil();
    }

    native_entry const system_fns[] = {
      { "arraycopy", array_copy },
      { "currentTimeMillis", current_time_millis },
      { "nanoTime", nano_time },
      { "getProperty", get_property },
      { "getenv", get_env },
      { "identityHashCode", identity_hash_code },
      /* A page cannot exit, and a program's -main that ends with
       * (System/exit 0) has done its work: nothing happens. */
      { "exit", [](int argc, args_t argv) {
         check_arity("System/exit", argc, 1, 1);
         as<integer_obj>(argv[0], tag::integer, "an exit status");
         return nil();
       } },
      { "lineSeparator", [](int argc, args_t) {
         check_arity("System/lineSeparator", argc, 0, 0);
         return string("\n");
       } },
    };
    /* (String. x): a copy of a string or a StringBuilder's text; a char
     * array's chars (from offset, count of them); a byte array's bytes as
     * UTF-8 (the charset argument, the JVM's default, is UTF-8 here). */
    object *string_new(int argc, args_t argv)
    {
      check_arity("String.", argc, 0, 3);
      if(argc == 0)
      {
        return string("");
      }
      if(argv[0]->type != tag::array)
      {
        if(argc > 1)
        {
          fail("No matching ctor found for class java.lang.String");
        }
        return string(str(argv[0]));
      }
      auto const *a = static_cast<array_obj *>(argv[0]);
      size_t from = 0, count = a->items.size();
      if(argc == 3)
      {
        auto const offset = as<integer_obj>(argv[1], tag::integer, "an offset")->value;
        auto const length = as<integer_obj>(argv[2], tag::integer, "a count")->value;
        if(offset < 0 || length < 0 || static_cast<size_t>(offset + length) > a->items.size())
        {
          fail("offset " + std::to_string(offset) + ", count " + std::to_string(length) + ", length "
               + std::to_string(a->items.size()));
        }
        from = static_cast<size_t>(offset);
        count = static_cast<size_t>(length);
      }
      std::string out;
      for(size_t i = from; i < from + count; ++i)
      {
        auto *item = a->items[i];
        if(a->kind == 'B' && item->type == tag::integer)
        {
          out.push_back(static_cast<char>(static_cast<integer_obj *>(item)->value & 0xFF));
        }
        else
        {
          out += str(item);
        }
      }
      return string(std::move(out));
    }

    /* String/CASE_INSENSITIVE_ORDER: compares as compareToIgnoreCase does. */
    object *case_insensitive_order(int argc, args_t argv)
    {
      check_arity("String/CASE_INSENSITIVE_ORDER", argc, 2, 2);
      auto *lower = deref(intern_var("clojure.string", "lower-case"));
      object *a[] = { argv[0] }, *b[] = { argv[1] };
      object *both[] = { invoke(lower, 1, a), invoke(lower, 1, b) };
      return invoke(deref(intern_var("clojure.core", "compare")), 2, both);
    }

    native_entry const string_constructor[] = {
      { "string-new*", string_new },
    };
    native_entry const string_fns[] = {
      { "CASE_INSENSITIVE_ORDER", case_insensitive_order },
      { "valueOf", string_value_of },
      { "join", string_join },
      { "format", string_format },
    };
    native_entry const thread_fns[] = {
      { "sleep", thread_sleep },
      { "currentThread", [](int argc, args_t) -> object * {
         check_arity("Thread/currentThread", argc, 0, 0);
         return main_thread();
       } },
    };
    /* (enumeration-seq e): the items of a java.util.Enumeration, read with
     * its hasMoreElements and nextElement (a deftype's or reify's), all at
     * once: nothing in the page makes an endless one. */
    object *enumeration_seq(int argc, args_t argv)
    {
      check_arity("enumeration-seq", argc, 1, 1);
      if(argv[0]->type == tag::nil)
      {
        return nil();
      }
      auto *method = core("jvm-method*");
      std::vector<object *> items;
      while(truthy(call(method, { string("hasMoreElements"), argv[0] })))
      {
        items.push_back(call(method, { string("nextElement"), argv[0] }));
      }
      return items.empty() ? nil() : list_from(items);
    }

    native_entry const thread_local_fns[] = {
      { "withInitial", thread_local_with_initial },
    };
    native_entry const thread_constructor[] = {
      { "thread-new*", thread_new },
      { "future-task-new*", future_task_new },
      { "thread-local-new*", thread_local_new },
      { "enumeration-seq", enumeration_seq },
      { "count-down-latch-new*", latch_new },
    };
    native_entry const runtime_fns[] = {
      { "getRuntime", [](int argc, args_t) -> object * {
         check_arity("Runtime/getRuntime", argc, 0, 0);
         return page_runtime();
       } },
    };

    void constant(char const *cls, char const *name, object *value)
    {
      bind_root(intern_var(cls, name), value);
    }
  }

  namespace
  {
    /* Numbers/reduceBigInt: a long when the BigInt fits in one. */
    object *reduce_big_int(int argc, args_t argv)
    {
      check_arity("clojure.lang.Numbers/reduceBigInt", argc, 1, 1);
      return integer_or_big(as_big(argv[0], "clojure.lang.Numbers/reduceBigInt"));
    }

    native_entry const numbers_fns[] = {
      { "reduceBigInt", reduce_big_int },
    };

    /* clojure.lang.Numbers's and BigInt's statics that are clojure.core's
     * functions under their Java names. */
    void alias_core_statics()
    {
      for(auto const &[name, fn] : { std::pair{ "add", "+" }, std::pair{ "minus", "-" }, std::pair{ "multiply", "*" },
                                     std::pair{ "divide", "/" }, std::pair{ "inc", "inc" }, std::pair{ "dec", "dec" },
                                     std::pair{ "isZero", "zero?" }, std::pair{ "isPos", "pos?" },
                                     std::pair{ "isNeg", "neg?" }, std::pair{ "lt", "<" }, std::pair{ "lte", "<=" },
                                     std::pair{ "gt", ">" }, std::pair{ "gte", ">=" }, std::pair{ "equiv", "==" },
                                     std::pair{ "quotient", "quot" }, std::pair{ "remainder", "rem" },
                                     std::pair{ "abs", "abs" }, std::pair{ "num", "num" } })
      {
        bind_root(intern_var("clojure.lang.Numbers", name), core(fn));
      }
      for(auto const *name : { "fromBigInteger", "fromLong", "valueOf" })
      {
        bind_root(intern_var("clojure.lang.BigInt", name), core("bigint"));
      }
    }
  }

  void install_jvm_classes()
  {
    install_natives(numbers_fns, "clojure.lang.Numbers");
    alias_core_statics();
    /* TimeUnit's units: what a timeout names; the page's waits do not wait. */
    for(auto const *unit : { "NANOSECONDS", "MICROSECONDS", "MILLISECONDS", "SECONDS", "MINUTES", "HOURS", "DAYS" })
    {
      bind_root(intern_var("TimeUnit", unit), symbol("", unit));
    }
    install_natives(integer_fns, "Integer");
    install_natives(long_fns, "Long");
    install_natives(double_fns, "Double");
    install_natives(float_fns, "Float");
    install_natives(boolean_fns, "Boolean");
    install_natives(character_fns, "Character");
    install_natives(system_fns, "System");
    install_natives(string_fns, "String");
    install_natives(string_constructor);
    install_natives(thread_fns, "Thread");
    install_natives(runtime_fns, "Runtime");
    install_natives(thread_local_fns, "ThreadLocal");
    install_natives(thread_constructor);
    constant("Long", "MAX_VALUE", integer(std::numeric_limits<int64_t>::max()));
    constant("Long", "MIN_VALUE", integer(std::numeric_limits<int64_t>::min()));
    constant("Integer", "MAX_VALUE", integer(std::numeric_limits<int32_t>::max()));
    constant("Integer", "MIN_VALUE", integer(std::numeric_limits<int32_t>::min()));
    constant("Long", "SIZE", integer(64));
    constant("Long", "BYTES", integer(8));
    constant("Integer", "SIZE", integer(32));
    constant("Integer", "BYTES", integer(4));
    constant("Short", "MAX_VALUE", integer(std::numeric_limits<int16_t>::max()));
    constant("Short", "MIN_VALUE", integer(std::numeric_limits<int16_t>::min()));
    constant("Byte", "MAX_VALUE", integer(std::numeric_limits<int8_t>::max()));
    constant("Byte", "MIN_VALUE", integer(std::numeric_limits<int8_t>::min()));
    constant("Double", "MAX_VALUE", real(std::numeric_limits<double>::max()));
    constant("Double", "MIN_VALUE", real(std::numeric_limits<double>::denorm_min()));
    constant("Double", "MIN_NORMAL", real(std::numeric_limits<double>::min()));
    constant("Double", "MAX_EXPONENT", integer(std::numeric_limits<double>::max_exponent - 1));
    constant("Double", "MIN_EXPONENT", integer(std::numeric_limits<double>::min_exponent - 1));
    constant("Double", "SIZE", integer(64));
    constant("Double", "BYTES", integer(8));
    constant("Float", "MIN_NORMAL", single_float(std::numeric_limits<float>::min()));
    constant("Float", "MAX_EXPONENT", integer(std::numeric_limits<float>::max_exponent - 1));
    constant("Float", "MIN_EXPONENT", integer(std::numeric_limits<float>::min_exponent - 1));
    constant("Float", "SIZE", integer(32));
    constant("Float", "BYTES", integer(4));
    constant("Double", "POSITIVE_INFINITY", real(std::numeric_limits<double>::infinity()));
    constant("Double", "NEGATIVE_INFINITY", real(-std::numeric_limits<double>::infinity()));
    constant("Double", "NaN", real(std::numeric_limits<double>::quiet_NaN()));
    constant("Float", "MAX_VALUE", single_float(std::numeric_limits<float>::max()));
    constant("Float", "MIN_VALUE", single_float(std::numeric_limits<float>::denorm_min()));
    constant("Float", "POSITIVE_INFINITY", single_float(std::numeric_limits<float>::infinity()));
    constant("Float", "NEGATIVE_INFINITY", single_float(-std::numeric_limits<float>::infinity()));
    constant("Float", "NaN", single_float(std::numeric_limits<float>::quiet_NaN()));
    constant("Boolean", "TRUE", boolean(true));
    constant("Boolean", "FALSE", boolean(false));
    /* Long/TYPE and the rest: the primitive classes, which print as `long`;
     * (make-array Long/TYPE n) and the array constructors take them. */
    for(auto const &[cls, primitive] : { std::pair{ "Long", "long" }, std::pair{ "Integer", "int" },
                                         std::pair{ "Short", "short" }, std::pair{ "Byte", "byte" },
                                         std::pair{ "Double", "double" }, std::pair{ "Float", "float" },
                                         std::pair{ "Boolean", "boolean" },
                                         std::pair{ "Character", "char" } })
    {
      auto *type = new record_type_obj{ primitive, {} };
      gc::make_permanent(type);
      constant(cls, "TYPE", type);
    }
  }

  bool host_object_method(std::string const &method, object *target, int argc, object **args, object **answer)
  {
    /* IReduce's reduce on Clojure's own collections and seqs: (.reduce coll f)
     * and (.reduce coll f init). */
    if(method == "reduce" && (argc == 1 || argc == 2) && target->type != tag::instance && target->type != tag::nil
       && is_seqable(target))
    {
      *answer = argc == 1 ? call(core("reduce"), { args[0], target }) : call(core("reduce"), { args[0], args[1], target });
      return true;
    }
    /* Namespace.getName, and its public field name. */
    if(target->type == tag::ns && (method == "getName" || method == "name") && argc == 0)
    {
      *answer = call(core("ns-name"), { target });
      return true;
    }
    if(target->type == tag::instance && static_cast<instance_obj *>(target)->type == thread_type())
    {
      auto &fields = static_cast<instance_obj *>(target)->values;
      if(method == "start" && argc == 0)
      {
        if(fields[thread_started] == boolean(true))
        {
          fail("IllegalThreadStateException: the thread was already started");
        }
        fields[thread_started] = boolean(true);
        run_runnable(fields[thread_runnable]);
        *answer = nil();
      }
      else if(method == "getName" && argc == 0)
        *answer = fields[thread_name];
      else if(method == "getId" && argc == 0)
        *answer = integer(target == main_thread() ? 1 : static_cast<int64_t>(reinterpret_cast<uintptr_t>(target) & 0xFFFF));
      else if((method == "join" && argc <= 1) || method == "interrupt" || method == "setDaemon")
        *answer = nil();
      else if((method == "isAlive" || method == "isInterrupted" || method == "isDaemon") && argc == 0)
        *answer = boolean(method == "isAlive" && target == main_thread());
      else
        return false;
      return true;
    }
    bool const is_thread_local = (target->type == tag::instance && static_cast<instance_obj *>(target)->type == thread_local_type())
      || type_method_of(target, "initialValue") != nullptr;
    if(is_thread_local && method == "set" && argc == 1)
    {
      bind_root(thread_local_values(), assoc(deref(thread_local_values()), target, args[0]));
      *answer = nil();
      return true;
    }
    if(is_thread_local && ((method == "get" && argc == 0) || (method == "remove" && argc == 0)))
    {
      auto *values = deref(thread_local_values());
      if(method == "remove")
      {
        bind_root(thread_local_values(), dissoc(values, target));
        *answer = nil();
        return true;
      }
      if(!contains(values, target))
      {
        auto *initial = initial_value(target);
        bind_root(thread_local_values(), assoc(deref(thread_local_values()), target, initial));
        *answer = initial;
        return true;
      }
      *answer = get(values, target, nil());
      return true;
    }
    if(target->type == tag::instance && static_cast<instance_obj *>(target)->type == future_task_type())
    {
      return future_task_method(method, static_cast<instance_obj *>(target), argc, answer);
    }
    if(target->type == tag::instance && static_cast<instance_obj *>(target)->type == latch_type())
    {
      auto &count = static_cast<instance_obj *>(target)->values[0];
      auto const left = static_cast<integer_obj *>(count)->value;
      if(method == "countDown" && argc == 0)
      {
        count = integer(left > 0 ? left - 1 : 0);
        *answer = nil();
      }
      else if(method == "getCount" && argc == 0)
        *answer = count;
      /* With a timeout: whether the count reached zero. */
      else if(method == "await" && argc == 2)
        *answer = boolean(left == 0);
      else if(method == "await" && argc == 0)
      {
        if(left != 0)
        {
          fail("await on a CountDownLatch with a count of " + std::to_string(left)
               + " would wait forever: the page has one thread, and no other can count it down");
        }
        *answer = nil();
      }
      else
        return false;
      return true;
    }
    if(target != page_runtime() || argc != 0)
    {
      return false;
    }
    /* The wasm heap: its size now, its most, and what the collector's
     * live objects leave of it. */
    auto const total = static_cast<int64_t>(emscripten_get_heap_size());
    if(method == "availableProcessors")
    {
      *answer = integer(1);
    }
    else if(method == "totalMemory")
    {
      *answer = integer(total);
    }
    else if(method == "maxMemory")
    {
      *answer = integer(static_cast<int64_t>(emscripten_get_heap_max()));
    }
    else if(method == "freeMemory")
    {
      *answer = integer(std::max<int64_t>(0, total - static_cast<int64_t>(gc::current_stats().live_bytes)));
    }
    else if(method == "gc")
    {
      *answer = nil();
    }
    else
    {
      return false;
    }
    return true;
  }
}
