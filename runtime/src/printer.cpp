// pr-str and str: Clojure's printed forms of every type.
#include "classes.hpp"
#include "hash.hpp"
#include "lang.hpp"
#include "namespaces.hpp"
#include "numbers.hpp"
#include "polymorphism.hpp"
#include "text.hpp"
#include "object.hpp"
#include "utf8.hpp"
#include "inst.hpp"
#include "uuid.hpp"
#include "native.hpp"

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace jhr
{
  namespace
  {
    /* "0x…": an object's identity, as the JVM prints it beside its class. */
    std::string identity_hex(object const *o)
    {
      char buf[24];
      std::snprintf(buf, sizeof buf, "0x%lx", static_cast<unsigned long>(reinterpret_cast<uintptr_t>(o)));
      return buf;
    }

    void print(std::string &out, object const *o, bool readably);

    /* pprint's reference types, as Clojure's pprint-ideref writes them:
     * #<Atom@1f2e3d: value>. */
    void pretty_reference(std::string &out, char const *cls, object const *o, object const *value)
    {
      out += std::string{ "#<" } + cls + '@' + identity_hex(o).substr(2) + ": ";
      print(out, value, true);
      out += '>';
    }

    /* Object.toString, for the classes that do not override it: the class,
     * '@', and the hashCode in hex (a value hash for these, so the JVM
     * prints the same text every run). */
    std::string default_to_string(std::string const &class_name, object *o)
    {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%x", static_cast<unsigned>(java_hash(o)));
      return class_name + '@' + buf;
    }

    /* Clojure's form (Java's Double.toString, or Float.toString for a
     * float): plain digits with at least one decimal between 1e-3 and 1e7,
     * "1.0E10" style outside, always the shortest digits that read back to
     * the same value. Where one digit would do, Java weighs two as well and
     * takes the closer (Double/MIN_VALUE is 4.9E-324, not 5.0E-324), which
     * is what "%.1e" gives. */
    std::string format_double(double d, bool single = false)
    {
      auto const reads_back = [&](char const *text) {
        return single ? std::strtof(text, nullptr) == static_cast<float>(d) : std::strtod(text, nullptr) == d;
      };
      if(std::isnan(d))
      {
        return "##NaN";
      }
      if(std::isinf(d))
      {
        return d > 0 ? "##Inf" : "##-Inf";
      }
      char buf[64];
      auto const magnitude = std::fabs(d);
      if(magnitude == 0.0 || (magnitude >= 1e-3 && magnitude < 1e7))
      {
        for(int decimals = 1; decimals <= 20; ++decimals)
        {
          std::snprintf(buf, sizeof buf, "%.*f", decimals, d);
          if(reads_back(buf))
          {
            break;
          }
        }
        return buf;
      }
      for(int precision = 2; precision <= 17; ++precision)
      {
        std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
        if(reads_back(buf))
        {
          break;
        }
      }
      /* "1.5e+10" → "1.5E10", "1e+10" → "1.0E10" */
      std::string s{ buf };
      auto const e = s.find('e');
      std::string mantissa = s.substr(0, e);
      if(mantissa.find('.') == std::string::npos)
      {
        mantissa += ".0";
      }
      int const exponent = std::atoi(s.c_str() + e + 1);
      return mantissa + "E" + std::to_string(exponent);
    }

    void print_string_readably(std::string &out, std::string const &s)
    {
      out += '"';
      for(char c : s)
      {
        switch(c)
        {
          case '"':
            out += "\\\"";
            break;
          case '\\':
            out += "\\\\";
            break;
          case '\n':
            out += "\\n";
            break;
          case '\t':
            out += "\\t";
            break;
          case '\r':
            out += "\\r";
            break;
          default:
            out += c;
        }
      }
      out += '"';
    }

    void print_char_readably(std::string &out, int32_t cp)
    {
      switch(cp)
      {
        case '\n':
          out += "\\newline";
          return;
        case ' ':
          out += "\\space";
          return;
        case '\t':
          out += "\\tab";
          return;
        case '\r':
          out += "\\return";
          return;
        case '\b':
          out += "\\backspace";
          return;
        case '\f':
          out += "\\formfeed";
          return;
        default:
          out += '\\';
          utf8::append(out, cp);
      }
    }

    void print(std::string &out, object const *o, bool readably);

    /* *print-length* and *print-level* (nil: no limit, -1 here), read once
     * per top-level print, and how deep in collections the printer is. */
    struct print_limits
    {
      int64_t length{ -1 };
      int64_t level{ -1 };
      int64_t depth{};
      /* Inside pprint, which prints a record as the map it is, and an atom,
       * a ref, an agent, a volatile or a delay as #<Atom@1f: value>. */
      bool pretty{};
      /* *print-readably* false: strings and characters print raw, as print does. */
      bool raw{};
      /* *print-dup*: print and str too print strings and characters readably. */
      bool dup{};
      /* *print-namespace-maps*: {:a/x 1 :a/y 2} prints as #:a{:x 1, :y 2}. */
      bool namespace_maps{};
      /* *verbose-defrecords*: under *print-dup*, a record prints as its map
       * (#user.R{:a 1}), not its values (#user.R[1]). */
      bool verbose_records{};
      /* *print-meta*: a symbol's or a collection's metadata first, ^{:a 1} [1]. */
      bool with_meta{};
      /* pr_str_within's budget (-1: none), and whether printing passed it. */
      int64_t max_chars{ -1 };
      bool stopped{};
    };

    print_limits &limits()
    {
      static print_limits current;
      return current;
    }

    int64_t limit_var(char const *name)
    {
      auto *var = find_var("clojure.core", name);
      if(var == nullptr || !var->bound)
      {
        return -1;
      }
      auto *value = deref(var);
      return value->type == tag::integer ? static_cast<integer_obj *>(value)->value : -1;
    }

    /* A boolean setting's value, or `otherwise` when its var is not bound. */
    bool flag_var(char const *name, bool otherwise)
    {
      auto *var = find_var("clojure.core", name);
      return var == nullptr || !var->bound ? otherwise : truthy(deref(var));
    }

    /* The namespace every key of a map shares (keywords or symbols), as
     * *print-namespace-maps* prints it; empty when they do not. */
    std::string shared_key_namespace(map_obj const *m)
    {
      std::string shared;
      bool mixed = m->entries.size() == 0;
      m->entries.for_each([&](object *k, object *) {
        std::string const *ns = nullptr;
        if(k->type == tag::keyword)
        {
          ns = &static_cast<keyword_obj *>(k)->ns;
        }
        else if(k->type == tag::symbol)
        {
          ns = &static_cast<symbol_obj *>(k)->ns;
        }
        if(ns == nullptr || ns->empty() || (!shared.empty() && *ns != shared))
        {
          mixed = true;
          return;
        }
        shared = *ns;
      });
      return mixed ? std::string{} : shared;
    }

    /* ^meta before a symbol or collection that has some, as *print-meta* asks. */
    void print_meta(std::string &out, object const *o)
    {
      switch(o->type)
      {
        case tag::symbol:
        case tag::list:
        case tag::vector:
        case tag::map:
        case tag::set:
        case tag::record:
        case tag::var:
          break;
        default:
          return;
      }
      auto *self = const_cast<object *>(o);
      auto *m = o->type == tag::var ? invoke(deref(intern_var("clojure.core", "meta")), 1, &self) : stored_meta(o);
      if(m->type == tag::nil || (m->type == tag::map && static_cast<map_obj *>(m)->entries.size() == 0))
      {
        return;
      }
      out += '^';
      /* A lone :tag prints as the tag, ^String x, as Clojure's print-meta does. */
      auto *tag_value = m->type == tag::map && static_cast<map_obj *>(m)->entries.size() == 1
        ? get(m, keyword("", "tag"), nullptr)
        : nullptr;
      print(out, tag_value != nullptr ? tag_value : m, true);
      out += ' ';
    }

    /* A top-level print reads the limits; a print inside one keeps them. */
    struct limits_scope
    {
      print_limits saved{ limits() };

      limits_scope()
      {
        if(saved.depth == 0)
        {
          limits().length = limit_var("*print-length*");
          limits().level = limit_var("*print-level*");
          limits().dup = flag_var("*print-dup*", false);
          limits().raw = !flag_var("*print-readably*", true) && !limits().dup;
          limits().namespace_maps = flag_var("*print-namespace-maps*", false);
          limits().verbose_records = limits().dup && flag_var("*verbose-defrecords*", false);
          limits().with_meta = flag_var("*print-meta*", false);
        }
      }

      ~limits_scope()
      {
        limits() = saved;
      }

      limits_scope(limits_scope const &) = delete;
      limits_scope &operator=(limits_scope const &) = delete;
    };

    /* The text print, println, pr and prn are making, and how much of it is
     * already written to *out*: the JVM's printer streams, so a lazy seq
     * whose realization prints lands after what came before it. */
    struct output_stream
    {
      std::string const *buffer{};
      size_t written{};
    };

    output_stream &streaming()
    {
      static output_stream stream;
      return stream;
    }

    /* Writes what out holds beyond what is written, if out is being streamed. */
    void flush_streamed(std::string const &out)
    {
      auto &stream = streaming();
      if(stream.buffer == &out && out.size() > stream.written)
      {
        auto const pending = out.substr(stream.written);
        stream.written = out.size();
        write_output(pending);
      }
    }

    /* seq of s, first writing what is printed so far when that realizes
     * a lazy seq (whose body may print). */
    object *seq_streamed(std::string const &out, object *s)
    {
      if(s->type == tag::lazy_seq && !static_cast<lazy_seq_obj *>(s)->is_realized())
      {
        flush_streamed(out);
      }
      return seq(s);
    }

    /* Opens a collection: false (and "#") past *print-level*. */
    bool enter_collection(std::string &out)
    {
      auto &l = limits();
      if(l.level >= 0 && l.depth >= l.level)
      {
        out += '#';
        return false;
      }
      ++l.depth;
      return true;
    }

    void leave_collection()
    {
      --limits().depth;
    }

    /* True (and "...") once *print-length* items are printed. */
    bool past_length(std::string &out, size_t printed, char const *separator)
    {
      if(limits().max_chars >= 0 && static_cast<int64_t>(out.size()) > limits().max_chars)
      {
        limits().stopped = true;
        return true;
      }
      auto const length = limits().length;
      if(length < 0 || static_cast<int64_t>(printed) < length)
      {
        return false;
      }
      out += printed > 0 ? separator : "";
      out += "...";
      return true;
    }

    void print_items(std::string &out,
                     std::vector<object *> const &items,
                     char const *open,
                     char const *close,
                     bool readably,
                     char const *separator = " ")
    {
      if(!enter_collection(out))
      {
        return;
      }
      out += open;
      for(size_t i = 0; i < items.size(); ++i)
      {
        if(past_length(out, i, separator))
        {
          break;
        }
        if(i > 0)
        {
          out += separator;
        }
        print(out, items[i], readably);
      }
      out += close;
      leave_collection();
    }

    /* A seq, walked one item at a time: *print-length* stops an infinite one. */
    void print_seq(std::string &out, object *coll, bool readably)
    {
      if(!enter_collection(out))
      {
        return;
      }
      out += '(';
      size_t printed = 0;
      for(auto *s = seq_streamed(out, coll); s->type != tag::nil; ++printed)
      {
        /* The next item is realized before this one prints, as the JVM's
         * (loop [[x & xs] ...]) does: it shows in the order of output. */
        auto *x = first(s);
        auto *more = seq_streamed(out, rest(s));
        if(past_length(out, printed, ""))
        {
          break;
        }
        print(out, x, readably);
        if(more->type != tag::nil)
        {
          out += ' ';
        }
        s = more;
      }
      out += ')';
      leave_collection();
    }

    /* An exception as Clojure's print-method lays it out: the root cause's
     * message and data, then each exception of the chain under :via, then
     * :trace, which is empty here because there are no stack frames. */
    void print_error(std::string &out, ex_info_obj const *thrown, bool readably)
    {
      std::vector<ex_info_obj const *> chain;
      for(auto const *e = thrown; e != nullptr;
          e = e->cause->type == tag::ex_info ? static_cast<ex_info_obj const *>(e->cause) : nullptr)
      {
        chain.push_back(e);
      }
      auto const *root = chain.back();
      auto const text = [&](ex_info_obj const *e) {
        auto const &message = e->message;
        if(e->message_is_nil)
        {
          out += "nil";
        }
        else if(readably)
        {
          print_string_readably(out, message);
        }
        else
        {
          out += message;
        }
      };
      out += "#error {\n :cause ";
      text(root);
      if(root->data->type != tag::nil)
      {
        out += "\n :data ";
        print(out, root->data, readably);
      }
      out += "\n :via\n [";
      for(size_t i = 0; i < chain.size(); ++i)
      {
        out += i == 0 ? "{:type " : "\n  {:type ";
        out += exception_class_name(chain[i]);
        out += "\n   :message ";
        text(chain[i]);
        if(chain[i]->data->type != tag::nil)
        {
          out += "\n   :data ";
          print(out, chain[i]->data, readably);
        }
        out += '}';
      }
      out += "]\n :trace\n []}";
    }

    void print(std::string &out, object const *o, bool readably)
    {
      if(o == nullptr)
      {
        out += "nil";
        return;
      }
      if(print_by_user_method(const_cast<object *>(o), out))
      {
        return;
      }
      if(limits().with_meta && readably)
      {
        print_meta(out, o);
      }
      switch(o->type)
      {
        case tag::nil:
          out += "nil";
          return;
        case tag::boolean:
          out += static_cast<boolean_obj const *>(o)->value ? "true" : "false";
          return;
        case tag::integer:
          out += std::to_string(static_cast<integer_obj const *>(o)->value);
          return;
        case tag::real:
          out += format_double(static_cast<real_obj const *>(o)->value, static_cast<real_obj const *>(o)->single);
          return;
        case tag::ratio:
          out += integer_text(static_cast<ratio_obj const *>(o)->numerator) + "/"
            + integer_text(static_cast<ratio_obj const *>(o)->denominator);
          return;
        case tag::big_decimal:
          /* With its M even under print, as the N of a BigInt. */
          out += big_decimal_text(static_cast<big_decimal_obj const *>(o)) + "M";
          return;
        case tag::big_integer:
          {
            /* With its N even under print, as Clojure's print-method; only str
             * drops it, and a java.math.BigInteger never has it. */
            auto const *b = static_cast<big_integer_obj const *>(o);
            out += integer_text(b->value) + (b->java_biginteger ? "" : "N");
            return;
          }
        case tag::string:
          if(readably)
          {
            print_string_readably(out, static_cast<string_obj const *>(o)->value);
          }
          else
          {
            out += static_cast<string_obj const *>(o)->value;
          }
          return;
        case tag::character:
          if(readably)
          {
            print_char_readably(out, static_cast<char_obj const *>(o)->codepoint);
          }
          else
          {
            utf8::append(out, static_cast<char_obj const *>(o)->codepoint);
          }
          return;
        case tag::keyword:
          {
            auto const *k = static_cast<keyword_obj const *>(o);
            out += ':';
            out += k->ns.empty() ? k->name : k->ns + "/" + k->name;
            return;
          }
        case tag::symbol:
          {
            auto const *s = static_cast<symbol_obj const *>(o);
            out += s->ns.empty() ? s->name : s->ns + "/" + s->name;
            return;
          }
        case tag::list:
        case tag::vector_seq:
        case tag::long_range:
        case tag::lazy_seq:
        case tag::cons:
          print_seq(out, const_cast<object *>(o), readably);
          return;
        case tag::vector:
          print_items(out, to_items(const_cast<object *>(o)), "[", "]", readably);
          return;
        case tag::set:
          print_items(out, static_cast<set_obj const *>(o)->members(), "#{", "}", readably);
          return;
        case tag::map:
          {
            if(!enter_collection(out))
            {
              return;
            }
            auto const *m = static_cast<map_obj const *>(o);
            auto const key_ns = limits().namespace_maps ? shared_key_namespace(m) : std::string{};
            if(!key_ns.empty())
            {
              out += "#:" + key_ns;
            }
            out += '{';
            size_t printed = 0;
            bool cut = false;
            m->entries.for_each([&](object *k, object *v) {
              if(cut || (cut = past_length(out, printed, ", ")))
              {
                return;
              }
              out += printed++ == 0 ? "" : ", ";
              if(key_ns.empty())
              {
                print(out, k, readably);
              }
              else if(k->type == tag::keyword)
              {
                out += ":" + static_cast<keyword_obj *>(k)->name;
              }
              else
              {
                out += static_cast<symbol_obj *>(k)->name;
              }
              out += ' ';
              print(out, v, readably);
            });
            out += '}';
            leave_collection();
            return;
          }
        case tag::fn:
          {
            /* As the JVM prints a fn: its class, identity and toString. */
            auto const cls = fn_class_name(static_cast<fn_obj const *>(o));
            auto const id = identity_hex(o);
            out += "#object[" + cls + ' ' + id + ' ';
            print(out, string(cls + '@' + id.substr(2)), readably);
            out += ']';
            return;
          }
        case tag::var:
          /* with-local-vars' vars have no name, as the JVM prints them. */
          out += static_cast<var_obj const *>(o)->name.empty() ? "#<Var: --unnamed-->"
                                                               : "#'" + qualified_name(static_cast<var_obj const *>(o));
          return;
        case tag::cell:
          {
            auto const *c = static_cast<cell_obj const *>(o);
            char const *const cls = !c->is_atom                   ? "Volatile"
              : c->kind == reference::ref                           ? "Ref"
              : c->kind == reference::agent                         ? "Agent"
                                                                    : "Atom";
            if(limits().pretty)
            {
              pretty_reference(out, cls, o, c->value);
              return;
            }
            /* A failed agent says so, as the JVM's deref-style printing does. */
            out += std::string{ "#object[clojure.lang." } + cls + ' ' + identity_hex(o)
              + (c->agent_error != nullptr ? " {:status :failed, :val " : " {:status :ready, :val ");
            print(out, c->value, true);
            out += "}]";
            return;
          }
        case tag::trie_node:
          out += "#object[jank.trie-node]"; /* internal; never a value */
          return;
        case tag::tree_node:
          out += "#object[jank.tree-node]"; /* internal; never a value */
          return;
        case tag::reduced:
          out += "#object[clojure.lang.Reduced " + identity_hex(o) + " {:status :ready, :val ";
          print(out, static_cast<reduced_obj const *>(o)->value, true);
          out += "}]";
          return;
        case tag::delay:
          {
            auto const *d = static_cast<delay_obj const *>(o);
            if(limits().pretty)
            {
              static object *const not_delivered = keyword("", "not-delivered");
              pretty_reference(out, d->is_promise ? "Promise" : "Delay", o, d->thunk == nullptr ? d->value : not_delivered);
              return;
            }
            out += std::string{ d->is_promise ? "#object[clojure.lang.Promise " : "#object[clojure.lang.Delay " } + identity_hex(o)
              + " {:status ";
            if(d->thunk == nullptr)
            {
              out += ":ready, :val ";
              print(out, d->value, true);
            }
            else
            {
              out += ":pending, :val nil";
            }
            out += "}]";
            return;
          }
        case tag::record:
          {
            auto const *r = static_cast<record_obj const *>(o);
            if(!limits().pretty)
            {
              out += '#' + r->type->name;
            }
            if(limits().dup && !limits().pretty && !limits().verbose_records)
            {
              /* print-dup's IRecord method: its values, (vals r). */
              out += '[';
              auto const values = to_items(call(core("vals"), { const_cast<object *>(o) }));
              for(size_t i = 0; i < values.size(); ++i)
              {
                out += i == 0 ? "" : ", ";
                print(out, values[i], readably);
              }
              out += ']';
              return;
            }
            print(out, r->fields, readably);
            return;
          }
        case tag::uuid:
          out += "#uuid \"" + uuid_string(static_cast<uuid_obj const *>(o)) + '"';
          return;
        case tag::env:
          out += "#object[closure-environment " + identity_hex(o) + "]";
          return;
        case tag::inst:
          /* As Clojure's print-method for a Date, under print as under pr. */
          out += "#inst \"" + timestamp_string(static_cast<inst_obj const *>(o)) + '"';
          return;
        case tag::instance:
          if(auto *print_fn = interface_fn(const_cast<object *>(o), &record_type_obj::print_fn))
          {
            object *args[] = { const_cast<object *>(o), boolean(readably) };
            out += str(invoke(print_fn, 2, args));
            return;
          }
          /* As print-method's methods for ISeq and IPersistentVector, and
           * for an Eduction under pr (print shows the object, below). */
          if(declares(o, "clojure.lang.ISeq") || declares(o, "clojure.lang.IPersistentList")
             || (readably && static_cast<instance_obj const *>(o)->type->name == "clojure.core.Eduction"))
          {
            print_seq(out, const_cast<object *>(o), readably);
            return;
          }
          if(declares(o, "clojure.lang.IPersistentVector"))
          {
            print_items(out, to_items(const_cast<object *>(o)), "[", "]", readably);
            return;
          }
          if(auto *view = readably ? interface_fn(const_cast<object *>(o), &record_type_obj::persistent_view) : nullptr)
          {
            /* A java.util list, map or set prints as Clojure's print-method
             * prints a java.util.Collection or Map under pr: as a vector, map
             * or set, its items in the collection's own order. print and
             * println show it as the object below, as the JVM does. */
            auto *self = const_cast<object *>(o);
            auto const shape = invoke(view, 1, &self)->type;
            out += shape == tag::map ? "{" : shape == tag::set ? "#{" : "[";
            bool first_item = true;
            for(auto *item : to_items(self))
            {
              out += first_item ? "" : shape == tag::map ? ", " : " ";
              first_item = false;
              if(shape == tag::map)
              {
                print(out, first(item), readably);
                out += ' ';
                print(out, first(rest(item)), readably);
              }
              else
              {
                print(out, item, readably);
              }
            }
            out += shape == tag::map ? "}" : shape == tag::set ? "}" : "]";
            return;
          }
          {
            /* As the JVM prints an object: its class, identity and toString. */
            out += "#object[" + static_cast<instance_obj const *>(o)->type->name + ' '
              + identity_hex(o) + ' ';
            print(out, string(str(const_cast<object *>(o))), readably);
            out += ']';
            return;
          }
        case tag::record_type:
          out += static_cast<record_type_obj const *>(o)->name;
          return;
        case tag::transient:
          {
            /* As the JVM prints one: its class, identity and Object.toString. */
            auto const cls = class_name_of(const_cast<object *>(o));
            auto const id = identity_hex(o);
            out += "#object[" + cls + ' ' + id + ' ';
            print(out, string(cls + '@' + id.substr(2)), readably);
            out += ']';
            return;
          }
        case tag::array:
          {
            if(limits().pretty)
            {
              /* Inside pprint, as its pprint-array writes one. */
              print_items(out, to_items(const_cast<object *>(o)), "[", "]", readably, ", ");
              return;
            }
            /* As the JVM prints an array: its class ("[J" for long[]) as a
             * string (quoted when printed readably), its identity and its
             * toString. */
            auto const cls = array_class_name(static_cast<array_obj const *>(o));
            auto const id = identity_hex(o);
            out += "#object[";
            print(out, string(cls), readably);
            out += ' ' + id + ' ';
            print(out, string(cls + '@' + id.substr(2)), readably);
            out += ']';
            return;
          }
        case tag::multi_fn:
          {
            /* As the JVM prints one: its class, identity and Object.toString. */
            auto const id = identity_hex(o);
            out += "#object[clojure.lang.MultiFn " + id + ' ';
            print(out, string("clojure.lang.MultiFn@" + id.substr(2)), readably);
            out += ']';
          }
          return;
        case tag::protocol:
          out += "#object[protocol " + static_cast<protocol_obj const *>(o)->name + "]";
          return;
        case tag::protocol_fn:
          {
            auto const *f = static_cast<protocol_fn_obj const *>(o);
            out += "#object[protocol-fn " + f->protocol + "/" + f->method + "]";
            return;
          }
        case tag::regex:
          out += "#\"" + static_cast<regex_obj const *>(o)->source + "\"";
          return;
        case tag::queue:
          if(limits().pretty)
          {
            /* Inside pprint, as its pprint-pqueue writes one. */
            out += "<-";
            print_items(out, to_items(const_cast<object *>(o)), "(", ")", readably);
            out += "-<";
            return;
          }
          /* As ClojureScript prints a queue (the JVM shows #object[...]). */
          out += "#queue ";
          print(out, vector_from(to_items(const_cast<object *>(o))), readably);
          return;
        case tag::ns:
          /* As jank prints a namespace: its name (the JVM shows #object[...]). */
          out += static_cast<ns_obj const *>(o)->ns->name;
          return;
        case tag::ex_info:
          {
            print_error(out, static_cast<ex_info_obj const *>(o), readably);
            return;
          }
      }
    }
  }

  namespace
  {
    /* clojure.pprint/pprint's layout of data, as Clojure's pretty printer
     * gives it with linear newlines at a right margin of 72: a collection that
     * does not fit in what is left of the line puts each item on a line of its
     * own, aligned after its opening bracket, and a map entry that does not
     * fit puts its value under its key. */
    class pretty_printer
    {
    public:
      std::string take()
      {
        return std::move(out_);
      }

      /* Lays o out from the current column. `trailing` columns follow it on
       * its last line before a line may break: the brackets that close
       * around it, or the separator after it. */
      void value(object *o, size_t trailing = 0)
      {
        if(o->type == tag::record)
        {
          /* Clojure's pretty printer lays a record out as the map it is. */
          value(static_cast<record_obj *>(o)->fields, trailing);
          return;
        }
        if(o->type == tag::queue)
        {
          /* Clojure's pprint-pqueue: the items as a list between <- and -<. */
          write("<-");
          auto const items = to_items(o);
          value(items.empty() ? static_cast<object *>(const_cast<list_obj *>(empty_list())) : list_from(items),
                trailing + 2);
          write("-<");
          return;
        }
        /* Clojure's pprint-array: a Java array as a vector with ", " between items. */
        bool const array = o->type == tag::array;
        if(array)
        {
          o = vector_from(to_items(o));
        }
        std::string flat;
        if(array)
        {
          print_items(flat, to_items(o), "[", "]", true, ", ");
        }
        else
        {
          print(flat, o, true);
        }
        /* {:a/x 1 :a/y 2} opens with #:a{ under *print-namespace-maps*, and its
         * keys lose the namespace, as in print. */
        auto const key_ns = o->type == tag::map && limits().namespace_maps
          ? shared_key_namespace(static_cast<map_obj const *>(o))
          : std::string{};
        auto const open = key_ns.empty() ? opening(o) : "#:" + key_ns + "{";
        if(open.empty() || fits(flat, trailing))
        {
          write(flat);
          return;
        }
        std::string cut;
        if(!enter_collection(cut))
        {
          write(cut);
          return;
        }
        write(open);
        auto const indent = column_;
        bool const is_map = o->type == tag::map;
        std::string const close = o->type == tag::vector ? "]" : is_map || o->type == tag::set ? "}" : ")";
        size_t printed = 0;
        for(auto *s = seq(o); s->type != tag::nil; ++printed)
        {
          std::string ellipsis;
          bool const past = past_length(ellipsis, printed, "");
          auto *item = past ? nil() : first(s);
          auto *const next = past ? nil() : seq(rest(s));
          /* What follows an item before its line may break: the closing
           * brackets after the last; after the others, the separator, which
           * Clojure's printer writes before the break (", " or " "). */
          auto const after = next->type == tag::nil ? trailing + close.size() : is_map || array ? 2 : 1;
          if(printed > 0)
          {
            write(is_map || array ? "," : "");
            /* An array's newlines fill (pprint-array's ~:_): an item that
             * fits goes on the same line. */
            std::string item_flat = " ";
            if(array)
            {
              past ? void(item_flat += ellipsis) : print(item_flat, item, true);
            }
            if(array && fits(item_flat, past ? trailing + close.size() : after))
            {
              write(" ");
            }
            else
            {
              newline(indent);
            }
          }
          if(past)
          {
            write(ellipsis);
            break;
          }
          s = next;
          if(is_map)
          {
            entry(key_ns.empty() ? first(item) : without_namespace(first(item)), first(rest(item)), after);
          }
          else
          {
            value(item, after);
          }
        }
        write(close);
        leave_collection();
      }

      /* The right margin: *print-right-margin* of clojure.pprint, 72 unless bound. */
      explicit pretty_printer(size_t right_margin)
        : margin{ right_margin }
      {
      }

    private:
      size_t margin;
      std::string out_;
      size_t column_{};

      static object *without_namespace(object *key)
      {
        return key->type == tag::keyword ? keyword("", static_cast<keyword_obj *>(key)->name)
                                         : symbol("", static_cast<symbol_obj *>(key)->name);
      }

      /* What opens o when it is laid out over lines; empty when it is not. */
      static std::string opening(object const *o)
      {
        switch(o->type)
        {
          case tag::vector:
            return "[";
          case tag::map:
            return "{";
          case tag::set:
            return "#{";
          case tag::list:
          case tag::vector_seq:
          case tag::long_range:
          case tag::lazy_seq:
          case tag::cons:
            return "(";
          default:
            return {};
        }
      }

      /* A key and its value: on one line if they fit, else the value under the key. */
      void entry(object *key, object *val, size_t trailing)
      {
        auto const start = column_;
        std::string flat;
        print(flat, key, true);
        flat += ' ';
        print(flat, val, true);
        if(fits(flat, trailing))
        {
          write(flat);
          return;
        }
        value(key);
        newline(start);
        value(val, trailing);
      }

      bool fits(std::string const &text, size_t trailing) const
      {
        return column_ + utf8::length(text) + trailing <= margin;
      }

      void write(std::string const &text)
      {
        out_ += text;
        auto const line = text.rfind('\n');
        column_ = line == std::string::npos ? column_ + utf8::length(text)
                                            : utf8::length(text.substr(line + 1));
      }

      /* A line break, without the spaces that were to come before it. */
      void newline(size_t indent)
      {
        while(!out_.empty() && out_.back() == ' ')
        {
          out_.pop_back();
        }
        out_ += '\n';
        out_.append(indent, ' ');
        column_ = indent;
      }
    };
  }

  std::string pprint_str(object *o)
  {
    limits_scope scope;
    limits().pretty = true;
    static var_obj *const right_margin = intern_var("clojure.pprint", "*print-right-margin*");
    auto *margin = right_margin->bound ? deref(right_margin) : nil();
    pretty_printer printer{ margin->type == tag::integer && static_cast<integer_obj *>(margin)->value > 0
                              ? static_cast<size_t>(static_cast<integer_obj *>(margin)->value)
                              : 72 };
    printer.value(o);
    return printer.take() + '\n';
  }

  std::string pr_str(object const *o)
  {
    limits_scope scope;
    std::string out;
    print(out, o, !limits().raw);
    return out;
  }

  std::string pr_str_within(object const *o, size_t max_chars, bool &stopped)
  {
    limits_scope scope;
    limits().max_chars = static_cast<int64_t>(max_chars);
    limits().stopped = false;
    std::string out;
    print(out, o, !limits().raw);
    stopped = limits().stopped;
    return out;
  }

  std::string str(object const *o)
  {
    /* Only a top-level string or character prints raw; inside collections
     * everything prints readably, as in Clojure. */
    if(o == nullptr || o->type == tag::nil)
    {
      return {};
    }
    /* The common atoms print the same under any *print-…* setting: no
     * need to read those vars (five lookups, more than the printing). */
    switch(o->type)
    {
      case tag::string:
        return static_cast<string_obj const *>(o)->value;
      case tag::integer:
        return std::to_string(static_cast<integer_obj const *>(o)->value);
      case tag::keyword:
        {
          auto const *k = static_cast<keyword_obj const *>(o);
          return ':' + (k->ns.empty() ? k->name : k->ns + "/" + k->name);
        }
      case tag::symbol:
        {
          auto const *sym = static_cast<symbol_obj const *>(o);
          return sym->ns.empty() ? sym->name : sym->ns + "/" + sym->name;
        }
      default:
        break;
    }
    limits_scope scope;
    std::string out;
    if(o->type == tag::ex_info)
    {
      /* As Throwable.toString: the class and message, then ex-info's data. */
      auto const *e = static_cast<ex_info_obj const *>(o);
      out = e->message_is_nil ? exception_class_name(e) : exception_class_name(e) + ": " + e->message;
      if(e->data->type != tag::nil)
      {
        out += ' ';
        print(out, e->data, true);
      }
      return out;
    }
    switch(o->type)
    {
      /* As their toString: the pattern, the namespace's name; a fn's class
       * and identity (Object.toString). */
      case tag::fn:
        return fn_class_name(static_cast<fn_obj const *>(o)) + '@' + identity_hex(o).substr(2);
      case tag::array:
        return array_class_name(static_cast<array_obj const *>(o)) + '@' + identity_hex(o).substr(2);
      case tag::multi_fn:
        return "clojure.lang.MultiFn@" + identity_hex(o).substr(2);
      case tag::regex:
        return static_cast<regex_obj const *>(o)->source;
      case tag::ns:
        return static_cast<ns_obj const *>(o)->ns->name;
      case tag::record_type:
        return class_to_string(static_cast<record_type_obj const *>(o));
      case tag::big_integer:
        return integer_text(static_cast<big_integer_obj const *>(o)->value);
      case tag::big_decimal:
        return big_decimal_text(static_cast<big_decimal_obj const *>(o));
      case tag::real:
        {
          /* As Double.toString: a top-level infinity or NaN spells itself out;
           * printing, and str of a collection, keep ##Inf. */
          auto const d = static_cast<real_obj const *>(o)->value;
          if(std::isnan(d))
          {
            return "NaN";
          }
          if(std::isinf(d))
          {
            return d > 0 ? "Infinity" : "-Infinity";
          }
          print(out, o, true);
          return out;
        }
      case tag::record:
        if(auto *to_string = static_cast<record_obj const *>(o)->type->to_string)
        {
          auto *self = const_cast<object *>(o);
          return str(invoke(to_string, 1, &self));
        }
        return default_to_string(static_cast<record_obj const *>(o)->type->name, const_cast<object *>(o));
      /* PersistentQueue does not override toString. (A lazy seq does not
       * either, on the JVM, but jank's str prints its elements, and so does
       * this runtime.) */
      case tag::queue:
        return default_to_string("clojure.lang.PersistentQueue", const_cast<object *>(o));
      case tag::uuid:
        return uuid_string(static_cast<uuid_obj const *>(o));
      /* jank's str of an inst is its timestamp (the JVM's Date.toString
       * spells it in the machine's time zone instead). */
      case tag::inst:
        return timestamp_string(static_cast<inst_obj const *>(o));
      case tag::instance:
        {
          auto const *i = static_cast<instance_obj const *>(o);
          if(i->type->to_string != nullptr)
          {
            auto *self = const_cast<object *>(o);
            return str(invoke(i->type->to_string, 1, &self));
          }
          return i->type->name + '@' + identity_hex(o).substr(2);
        }
      default:
        print(out, o, o->type != tag::string && o->type != tag::character);
        return out;
    }
  }

  void print_to_output(int argc, object **argv, bool readably, bool newline)
  {
    std::string out;
    auto &stream = streaming();
    auto const saved = stream;
    stream = { &out, 0 };
    try
    {
      for(int i = 0; i < argc; ++i)
      {
        if(i > 0)
        {
          out += ' ';
        }
        limits_scope scope;
        print(out, argv[i], (readably || limits().dup) && !limits().raw);
      }
    }
    catch(...)
    {
      stream = saved;
      throw;
    }
    if(newline)
    {
      out += '\n';
    }
    auto const pending = out.substr(stream.written);
    stream = saved;
    write_output(pending);
  }

  std::string print_str(object const *o)
  {
    limits_scope scope;
    std::string out;
    print(out, o, false);
    return out;
  }
}
