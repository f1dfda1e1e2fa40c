// The JVM instance methods whose meaning depends on the target's type, as
// reflection picks them on the JVM: (.indexOf s "x") is String.indexOf and
// (.indexOf v 2) is List.indexOf, (.getName c) names a class and (.getName k)
// a keyword. The compiler turns such a call into (jvm-method* "indexOf" target
// args...); methods with one meaning whatever the target become the clojure.core
// function that does the same at compile time instead. A method this target's
// class lacks fails with the JVM's message, and a nil target is the JVM's
// NullPointerException.
#include "jvm_methods.hpp"

#include "atomics.hpp"

#include "classes.hpp"
#include "codecs.hpp"
#include "io.hpp"
#include "java_random.hpp"
#include "jvm_classes.hpp"
#include "java_util.hpp"
#include "line_numbering.hpp"
#include "regex.hpp"
#include "uuid.hpp"
#include "references.hpp"
#include "uri.hpp"
#include "locale.hpp"
#include "native.hpp"
#include "number_methods.hpp"
#include "object.hpp"
#include "polymorphism.hpp"
#include "utf8.hpp"

#include <cctype>
#include <string>
#include <vector>

namespace jhr
{
  namespace
  {
    /* (.getBytes s charset): the string's bytes in UTF-8 (its own form), UTF-16
     * (big-endian after a byte-order mark, as Java writes it), UTF-16BE,
     * UTF-16LE, US-ASCII or ISO-8859-1; a character the charset lacks is '?',
     * as Java replaces it. */
    object *string_bytes(std::string const &text, std::string charset)
    {
      for(auto &c : charset)
      {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      std::vector<object *> bytes;
      auto const put = [&](unsigned v) { bytes.push_back(integer(static_cast<int8_t>(static_cast<uint8_t>(v)))); };
      if(charset == "UTF-8" || charset == "UTF8")
      {
        for(unsigned char const c : text)
        {
          put(c);
        }
        return new array_obj{ std::move(bytes), 'B' };
      }
      bool const utf16 = charset == "UTF-16" || charset == "UTF-16BE" || charset == "UTF-16LE";
      unsigned const highest = charset == "US-ASCII" || charset == "ASCII" ? 0x7F : 0xFF;
      if(!utf16 && charset != "US-ASCII" && charset != "ASCII" && charset != "ISO-8859-1" && charset != "LATIN1")
      {
        fail("Unsupported charset: " + charset + " (the page knows UTF-8, UTF-16, UTF-16BE, UTF-16LE, US-ASCII and ISO-8859-1)");
      }
      bool const little = charset == "UTF-16LE";
      auto const unit = [&](unsigned u) {
        put(little ? u & 0xFF : u >> 8);
        put(little ? u >> 8 : u & 0xFF);
      };
      if(charset == "UTF-16" && !text.empty())
      {
        unit(0xFEFF);
      }
      for(size_t i = 0; i < text.size();)
      {
        auto const cp = static_cast<unsigned>(utf8::next(text, i));
        if(!utf16)
        {
          put(cp <= highest ? cp : '?');
        }
        else if(cp < 0x10000)
        {
          unit(cp);
        }
        else
        {
          unit(0xD800 + ((cp - 0x10000) >> 10));
          unit(0xDC00 + ((cp - 0x10000) & 0x3FF));
        }
      }
      return new array_obj{ std::move(bytes), 'B' };
    }

    object *string_fn(char const *name)
    {
      return deref(intern_var("clojure.string", name));
    }

    [[noreturn]] void no_such_method(std::string const &method, int args, object *target)
    {
      fail("No matching method " + method + " found taking " + std::to_string(args) + " args for class "
           + class_name_of(target));
    }

    bool is_text(object *x)
    {
      return x->type == tag::string;
    }

    bool is_sequential(object *x)
    {
      return call(core("sequential?"), { x }) != boolean(false);
    }

    /* Java's String.indexOf and lastIndexOf take a string or a char (as a
     * char or its code); clojure.string's take a string or a char. */
    object *text_needle(object *x)
    {
      return x->type == tag::integer ? call(core("char"), { x }) : x;
    }

    object *text_index(object *s, object *needle, object *from, bool last)
    {
      auto *found = from == nullptr
        ? call(string_fn(last ? "last-index-of" : "index-of"), { s, text_needle(needle) })
        : call(string_fn(last ? "last-index-of" : "index-of"), { s, text_needle(needle), from });
      return found->type == tag::nil ? integer(-1) : found;
    }

    std::u32string code_points(std::string const &s)
    {
      std::u32string out;
      for(size_t i = 0; i < s.size();)
      {
        out += utf8::next(s, i);
      }
      return out;
    }

    /* (jvm-method* "indexOf" target args...). */
    object *jvm_method(int argc, args_t argv)
    {
      check_arity("jvm-method*", argc, 2, -1);
      auto const method = str(argv[0]);
      auto *target = argv[1];
      auto *args = argv + 2;
      int const n = argc - 2;
      if(target->type == tag::nil)
      {
        fail("Cannot invoke \"Object.getClass()\" because \"target\" is null");
      }
      /* A StringBuilder's indexOf and the rest it shares with String. */
      if(auto *text = string_builder_text(target);
         text != nullptr && (method == "indexOf" || method == "lastIndexOf" || method == "codePointAt"))
      {
        target = text;
      }
      /* Class.isArray: the JVM names array classes "[J", "[Ljava.lang.String;". */
      if(target->type == tag::record_type && method == "isArray" && n == 0)
      {
        return boolean(static_cast<record_type_obj *>(target)->name.starts_with('['));
      }
      /* Class.isInstance: instance? of the class. */
      if(target->type == tag::record_type && method == "isInstance" && n == 1)
      {
        return call(core("instance?"), { target, args[0] });
      }
      /* A transient's Java methods: a set's contains, a map's containsKey
       * and valAt, and count, as clojure.core reads them. */
      if(target->type == tag::transient)
      {
        if((method == "contains" || method == "containsKey") && n == 1)
          return call(core("contains?"), { target, args[0] });
        if(method == "count" && n == 0)
          return call(core("count"), { target });
        if((method == "valAt" || method == "get") && n == 1)
          return call(core("get"), { target, args[0] });
        if(method == "valAt" && n == 2)
          return call(core("get"), { target, args[0], args[1] });
      }
      /* A deftype's or reify's own method of an interface it implements, or
       * of a protocol or definterface it implements inline. */
      auto *own = type_method_of(target, method);
      if(own == nullptr)
      {
        own = inline_protocol_method(target, method);
      }
      if(own != nullptr)
      {
        std::vector<object *> call_args{ target };
        call_args.insert(call_args.end(), args, args + n);
        return invoke(own, static_cast<int>(call_args.size()), call_args.data());
      }
      if(object * answer{}; java_util_method(method, target, n, args, &answer)
                            || random_method(method, target, n, args, &answer)
                            || atomic_method(method, target, n, args, &answer)
                            || host_object_method(method, target, n, args, &answer)
                            || codec_method(method, target, n, args, &answer)
                            || uri_method(method, target, n, &answer)
                            || locale_method(method, target, n, &answer)
                            || uuid_method(method, target, n, &answer)
                            || line_numbering_method(method, target, n, args, &answer)
                            || multi_fn_method(method, target, n, &answer)
                            || reference_method(method, target, n, args, &answer)
                            || regex_method(method, target, n, args, &answer)
                            || file_method(method, target, n, args, &answer)
                            || number_method(method, target, n, args, &answer))
      {
        return answer;
      }
      auto const text = is_text(target);
      if(method == "indexOf" || method == "lastIndexOf")
      {
        bool const last = method == "lastIndexOf";
        if(text && (n == 1 || n == 2))
        {
          return text_index(target, args[0], n == 2 ? args[1] : nullptr, last);
        }
        if(!text && n == 1 && is_sequential(target))
        {
          return integer(list_position(target, args[0], last));
        }
      }
      else if(method == "contains" && n == 1)
      {
        if(text)
        {
          return call(string_fn("includes?"), { target, args[0] });
        }
        if(call(core("set?"), { target }) != boolean(false))
        {
          return boolean(contains(target, args[0]));
        }
        if(is_sequential(target))
        {
          return boolean(list_position(target, args[0], false) >= 0);
        }
      }
      else if(method == "get" && n == 1)
      {
        if(call(core("map?"), { target }) != boolean(false))
        {
          return get(target, args[0], nil());
        }
        if(is_sequential(target))
        {
          return call(core("nth"), { target, args[0] });
        }
      }
      else if(method == "containsValue" && n == 1 && call(core("map?"), { target }) != boolean(false))
      {
        return boolean(list_position(call(core("vals"), { target }), args[0], false) >= 0);
      }
      else if((method == "keySet" || method == "values" || method == "entrySet") && n == 0
              && call(core("map?"), { target }) != boolean(false))
      {
        if(method == "keySet")
        {
          return call(core("set"), { call(core("keys"), { target }) });
        }
        return method == "values" ? call(core("vec"), { call(core("vals"), { target }) })
                                  : call(core("set"), { target });
      }
      else if(method == "getName" && n == 0 && target->type != tag::ns)
      {
        if(target->type == tag::keyword || target->type == tag::symbol)
        {
          return call(core("name"), { target });
        }
        return call(core("class-name*"), { target });
      }
      else if(method == "getNamespace" && n == 0 && (target->type == tag::keyword || target->type == tag::symbol))
      {
        return call(core("namespace"), { target });
      }
      else if(method == "getClass" && n == 0)
      {
        return call(core("class"), { target });
      }
      else if(method == "compareTo" && n == 1)
      {
        return call(core("compare"), { target, args[0] });
      }
      else if(text)
      {
        auto const &s = static_cast<string_obj *>(target)->value;
        if(method == "equalsIgnoreCase" && n == 1)
        {
          return boolean(is_text(args[0])
                         && equals(call(string_fn("lower-case"), { target }), call(string_fn("lower-case"), { args[0] })));
        }
        if(method == "compareToIgnoreCase" && n == 1)
        {
          return call(core("compare"), { call(string_fn("lower-case"), { target }),
                                         call(string_fn("lower-case"), { args[0] }) });
        }
        if(method == "codePointAt" && n == 1)
        {
          return call(core("int"), { call(core("nth"), { target, args[0] }) });
        }
        if(method == "isBlank" && n == 0)
        {
          return call(string_fn("blank?"), { target });
        }
        if(method == "strip" && n == 0)
        {
          return call(string_fn("trim"), { target });
        }
        if(method == "stripLeading" && n == 0)
        {
          return call(string_fn("triml"), { target });
        }
        if(method == "stripTrailing" && n == 0)
        {
          return call(string_fn("trimr"), { target });
        }
        if(method == "intern" && n == 0)
        {
          return target;
        }
        if(method == "repeat" && n == 1)
        {
          auto const times = as<integer_obj>(args[0], tag::integer, "a count")->value;
          if(times < 0)
          {
            fail("count is negative: " + std::to_string(times));
          }
          std::string out;
          out.reserve(s.size() * static_cast<size_t>(times));
          for(int64_t i = 0; i < times; ++i)
          {
            out += s;
          }
          return string(out);
        }
        if(method == "codePoints" && n == 0)
        {
          std::vector<object *> codes;
          for(auto const c : code_points(s))
          {
            codes.push_back(integer(static_cast<int64_t>(c)));
          }
          return list_from(codes);
        }
      }
      /* ISeq's next, on anything seqable that is not an iterator. */
      if(method == "next" && n == 0 && is_seqable(target))
      {
        return call(core("next"), { target });
      }
      /* PrintWriter's print and println on *out* and *err*: (.println *err* "x")
       * writes to the stream, as (binding [*out* *err*] (println "x")). */
      if((method == "println" || method == "print") && n <= 1 && target->type == tag::keyword
         && static_cast<keyword_obj *>(target)->ns.empty()
         && (static_cast<keyword_obj *>(target)->name == "out" || static_cast<keyword_obj *>(target)->name == "err"))
      {
        auto text = n == 0 ? std::string{} : args[0]->type == tag::nil ? std::string{ "null" } : str(args[0]);
        if(method == "println")
        {
          text += '\n';
        }
        push_bindings(map_from({ intern_var("clojure.core", "*out*"), target }));
        try
        {
          write_output(text);
        }
        catch(...)
        {
          pop_bindings();
          throw;
        }
        pop_bindings();
        return nil();
      }
      /* A writer's flush: *out* flushes, a string writer has nothing to. */
      if(method == "flush" && n == 0)
      {
        return call(core("flush"), {});
      }
      /* (.getChars s begin end dst dst-begin): s's characters from begin
       * to end into the char array dst. */
      if(method == "getChars" && n == 4 && target->type == tag::string && args[2]->type == tag::array)
      {
        auto const &s = static_cast<string_obj *>(target)->value;
        auto const begin = as<integer_obj>(args[0], tag::integer, "an index")->value;
        auto const end = as<integer_obj>(args[1], tag::integer, "an index")->value;
        auto *dst = static_cast<array_obj *>(args[2]);
        auto const at = as<integer_obj>(args[3], tag::integer, "an index")->value;
        auto const length = static_cast<int64_t>(utf8::length(s));
        if(begin < 0 || end > length || begin > end || at < 0 || at + (end - begin) > static_cast<int64_t>(dst->items.size()))
        {
          fail("StringIndexOutOfBoundsException: getChars from " + std::to_string(begin) + " to " + std::to_string(end)
               + " of a string of " + std::to_string(length) + " into an array of " + std::to_string(dst->items.size()));
        }
        size_t byte = 0;
        for(int64_t i = 0; i < end; ++i)
        {
          auto const c = utf8::next(s, byte);
          if(i >= begin)
          {
            dst->items[static_cast<size_t>(at + i - begin)] = character(static_cast<int32_t>(c));
          }
        }
        return nil();
      }
      if(method == "getBytes" && (n == 0 || (n == 1 && args[0]->type == tag::string)) && text)
      {
        return string_bytes(static_cast<string_obj *>(target)->value,
                            n == 0 ? std::string{ "UTF-8" } : static_cast<string_obj *>(args[0])->value);
      }
      /* An atom's IAtom methods. */
      if((method == "reset" && n == 1) || (method == "swap" && n >= 1))
      {
        std::vector<object *> call_args{ target };
        call_args.insert(call_args.end(), args, args + n);
        return invoke(core(method == "reset" ? "reset!" : "swap!"), static_cast<int>(call_args.size()),
                      call_args.data());
      }
      /* CharSequence's length, on strings and StringBuilders. */
      if(method == "length" && n == 0)
      {
        return call(core("count"), { target });
      }
      /* IPersistentStack's, on Clojure's vectors, lists and queues. */
      if((method == "peek" || method == "pop") && n == 0)
      {
        return call(core(method.c_str()), { target });
      }
      if(n == 0)
      {
        /* Reflection finds a deftype's field as well: (.cache x). */
        if(auto *field = basis_field(target, method))
        {
          return field;
        }
        fail("No matching field found: " + method + " for class " + class_name_of(target));
      }
      no_such_method(method, n, target);
    }

    /* Throwable.toString: its class and message, and an ExceptionInfo's data. */
    std::string throwable_string(object *e)
    {
      auto const cls = class_name_of(e);
      auto *message = call(core("ex-message"), { e });
      auto out = cls + (message->type == tag::nil ? "" : ": " + str(message));
      if(auto *data = call(core("ex-data"), { e }); data->type != tag::nil)
      {
        out += " " + pr_str(data);
      }
      return out;
    }

    /* (stack-trace-text* e): what (.printStackTrace e) prints, without the
     * frames the page does not keep: each exception of the cause chain. */
    object *stack_trace_text(int argc, args_t argv)
    {
      check_arity("stack-trace-text*", argc, 1, 1);
      std::string out = throwable_string(argv[0]);
      for(auto *cause = call(core("ex-cause"), { argv[0] }); cause->type != tag::nil;
          cause = call(core("ex-cause"), { cause }))
      {
        out += "\nCaused by: " + throwable_string(cause);
      }
      return string(out);
    }

    /* (.getStackTrace e): the page keeps no frames. */
    object *stack_trace_elements(int argc, args_t)
    {
      check_arity("getStackTrace", argc, 1, 1);
      return new array_obj{ {}, 'L' };
    }

    native_entry const method_fns[] = {
      { "jvm-method*", jvm_method },
      { "stack-trace-text*", stack_trace_text },
      { "stack-trace-elements*", stack_trace_elements },
    };
  }

  void install_jvm_methods()
  {
    install_natives(method_fns);
  }
}
