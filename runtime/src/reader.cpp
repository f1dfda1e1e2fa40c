// read-string and clojure.edn/read-string: the data reader, for text the page
// reads while it runs (the compiler has its own reader for code). It reads
// Clojure's data syntax: nil, booleans, integers, doubles, ratios, strings,
// characters, keywords, symbols, lists, vectors, maps, sets, quote, ^metadata,
// comments and #_; read-string also reads syntax-quote (expanded as Clojure's
// reader expands it), ~ and ~@, and reader conditionals when its opts allow
// them. Anything else (regexes and anonymous fns outside read-string)
// is a clear error, not a guess.
#include "reader.hpp"

#include "native.hpp"
#include "gc.hpp"
#include "namespaces.hpp"
#include "numbers.hpp"
#include "polymorphism.hpp"
#include "inst.hpp"
#include "line_numbering.hpp"
#include "uuid.hpp"
#include "utf8.hpp"

#include <algorithm>
#include <limits>
#include <cctype>
#include <cstring>
#include <cerrno>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <cstdlib>

namespace jhr
{
  namespace
  {
    object *make_reader_conditional(object *form, bool splicing);

    /* The namespace of the code calling read-string, while it runs. */
    namespace_obj *compiled_in_ns{};

    /* How #?(...) reads: an error (Clojure's default), the branch of the
     * first feature the reader has, or kept as a reader-conditional value. */
    enum class read_cond
    {
      forbidden,
      allow,
      preserve,
    };

    class data_reader
    {
    public:
      /* code: clojure.core/read-string, where @x and #'x read as Clojure's
       * reader reads them; clojure.edn has neither. */
      explicit data_reader(std::string const &text, bool code = false, size_t start = 0)
        : text_{ text }
        , pos_{ start }
        , code_{ code }
      {
      }

      /* Where the next form starts: what a stream read leaves unread. */
      size_t position() const
      {
        return pos_;
      }

      /* clojure.edn's :readers (a map of tag symbol to fn) and :default (a fn
       * of the tag and the value) for tagged literals, #tag form. */
      void tagged_readers(object *readers, object *fallback)
      {
        readers_ = readers;
        default_ = fallback;
      }

      /* Reading from a LineNumberingPushbackReader: each list gets its
       * :line and :column, as Clojure's reader gives them. */
      void track_lines(instance_obj *reader)
      {
        line_reader_ = reader;
      }

      /* read-string's :read-cond and :features: #?(...) is read when allowed,
       * choosing among :jank, :default and the extra features. */
      void reader_conditionals(read_cond mode, object *features)
      {
        read_cond_ = mode;
        features_ = features;
      }

      /* The next form, or nullptr at the end of the text. */
      object *next()
      {
        for(;;)
        {
          skip_space();
          if(at_end())
          {
            return nullptr;
          }
          auto *f = form();
          if(f == &spliced_marker)
          {
            error("Reader conditional splicing not allowed at the top level.");
          }
          if(f != &nothing_marker)
          {
            return f;
          }
        }
      }

    private:
      std::string const &text_;
      size_t pos_{};
      bool code_{};
      /* Inside a #(...), where another is an error, as in Clojure. */
      bool in_anonymous_fn_{};
      /* x# to its fresh name, in one syntax-quote. */
      std::unordered_map<std::string, object *> gensyms_;
      object *readers_{};
      object *default_{};
      instance_obj *line_reader_{};
      read_cond read_cond_{ read_cond::forbidden };
      object *features_{};
      /* Inside a reader conditional's branches: a tag without a reader is
       * kept as written, since the branch may be for another platform. */
      bool suppress_tags_{};
      /* What form() returns for a conditional that chose no branch, and for
       * a #?@ whose items (in splice_) go into the enclosing collection. */
      static inline object nothing_marker{ tag::nil };
      static inline object spliced_marker{ tag::nil };
      std::vector<object *> splice_;

      bool at_end() const
      {
        return pos_ >= text_.size();
      }

      char peek() const
      {
        return at_end() ? '\0' : text_[pos_];
      }

      static bool is_space(char c)
      {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '\f';
      }

      /* Where a token ends: white space, or a character Clojure's reader
       * calls a terminating macro (clojure.edn's reader has fewer). */
      bool is_delimiter(char c) const
      {
        static constexpr std::string_view code_terminators = "\";@^`~()[]{}\\";
        static constexpr std::string_view edn_terminators = "\";^()[]{}\\";
        return is_space(c) || c == '\0' || (code_ ? code_terminators : edn_terminators).find(c) != std::string_view::npos;
      }

      /* A macro character: one that ends an escape's digits early. */
      static bool is_macro(char c)
      {
        return std::strchr("\";'@^`~()[]{}\\%#", c) != nullptr;
      }

      /* Character.digit for bases up to 16: the digit's value, or -1. */
      static int digit_value(char c, int base)
      {
        auto const d = c >= '0' && c <= '9' ? c - '0'
          : c >= 'a' && c <= 'f'            ? c - 'a' + 10
          : c >= 'A' && c <= 'F'            ? c - 'A' + 10
                                            : 99;
        return d < base ? d : -1;
      }

      /* An escape's digits in a string, first already read, as Clojure's
       * readUnicodeChar reads them: up to length digits, ended early by
       * white space or a macro character (an error when exact). */
      uint32_t escape_digits(char first, int base, int length, bool exact)
      {
        auto value = digit_value(first, base);
        if(value < 0)
        {
          error(std::string{ "Invalid digit: " } + first);
        }
        int read = 1;
        for(; read < length && !at_end(); ++read)
        {
          auto const c = peek();
          if(is_space(c) || is_macro(c))
          {
            break;
          }
          auto const d = digit_value(c, base);
          if(d < 0)
          {
            error(std::string{ "Invalid digit: " } + c);
          }
          value = value * base + d;
          ++pos_;
        }
        if(exact && read != length)
        {
          error("Invalid character length: " + std::to_string(read) + ", should be: " + std::to_string(length));
        }
        return static_cast<uint32_t>(value);
      }

      /* A character literal's digits after its u or o, as Clojure reads
       * them: exactly length of them. */
      uint32_t char_digits(std::string const &name, int base, size_t length)
      {
        if(name.size() != 1 + length)
        {
          error("Invalid unicode character: \\" + name);
        }
        uint32_t value = 0;
        for(size_t i = 1; i < name.size(); ++i)
        {
          auto const d = digit_value(name[i], base);
          if(d < 0)
          {
            error(std::string{ "Invalid digit: " } + name[i]);
          }
          value = value * static_cast<uint32_t>(base) + static_cast<uint32_t>(d);
        }
        return value;
      }

      [[noreturn]] void error(std::string const &message) const
      {
        /* The JVM's message first, as code matches on it; then where. */
        fail(message + " (at character " + std::to_string(pos_ + 1) + ")");
      }

      /* As the JVM's reader: a literal map or set may not say a key twice. */
      [[noreturn]] void duplicate(std::vector<object *> const &items, size_t step) const
      {
        auto *key = first_duplicate_key(items, step);
        error(key == nullptr ? std::string{ "Duplicate key" } : "Duplicate key: " + str(key));
      }

      void skip_space()
      {
        while(!at_end())
        {
          if(is_space(peek()))
          {
            ++pos_;
          }
          else if(peek() == ';')
          {
            while(!at_end() && peek() != '\n')
            {
              ++pos_;
            }
          }
          else if(text_.compare(pos_, 2, "#_") == 0)
          {
            pos_ += 2;
            if(next() == nullptr)
            {
              error("EOF while reading: #_ has no form to discard");
            }
          }
          else
          {
            return;
          }
        }
      }

      /* The characters up to the next delimiter. */
      std::string token()
      {
        auto const start = pos_;
        while(!at_end() && !is_delimiter(peek()))
        {
          ++pos_;
        }
        return text_.substr(start, pos_ - start);
      }

      /* The parameters of one #(...) as its body names them: %, %n, %&. */
      struct anonymous_params
      {
        std::vector<object *> numbered; /* [n - 1]: %n's symbol, or null */
        object *rest{};

        /* Each its own number, as Clojure's RT.nextID gives them. */
        static object *fresh(std::string const &prefix)
        {
          static int64_t counter = 0;
          return symbol("", prefix + "__" + std::to_string(++counter) + "#");
        }

        object *numbered_param(size_t n)
        {
          if(numbered.size() < n)
          {
            numbered.resize(n);
          }
          if(numbered[n - 1] == nullptr)
          {
            numbered[n - 1] = fresh("p" + std::to_string(n));
          }
          return numbered[n - 1];
        }

        /* o with every % symbol in it replaced by its parameter. */
        object *walk(object *o)
        {
          if(o->type == tag::symbol)
          {
            auto const *sym = static_cast<symbol_obj *>(o);
            auto const name = sym->ns.empty() ? sym->name : sym->ns + "/" + sym->name;
            if(name.empty() || name[0] != '%')
            {
              return o;
            }
            if(name == "%&")
            {
              return rest == nullptr ? (rest = fresh("rest")) : rest;
            }
            if(name == "%")
            {
              return numbered_param(1);
            }
            /* %n, n from 1, as Clojure's argPat: %0, %%, %1.5 are errors. */
            if(name.size() > 1 && name[1] != '0' && name.size() < 10
               && std::all_of(name.begin() + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; }))
            {
              return numbered_param(static_cast<size_t>(std::stoi(name.substr(1))));
            }
            fail("arg literal must be %, %& or %integer");
          }
          if(o->type != tag::list && o->type != tag::vector && o->type != tag::map && o->type != tag::set)
          {
            return o;
          }
          std::vector<object *> items;
          for(auto *item : to_items(o))
          {
            if(o->type == tag::map)
            {
              auto const kv = to_items(item);
              items.push_back(walk(kv.at(0)));
              items.push_back(walk(kv.at(1)));
            }
            else
            {
              items.push_back(walk(item));
            }
          }
          switch(o->type)
          {
            case tag::list:
              return list_from(items);
            case tag::vector:
              return vector_from(items);
            case tag::map:
              return map_from(items);
            default:
              return set_from(items);
          }
        }
      };

      /* #(f % %2 %&) as Clojure's reader gives it: (fn* [p1__1# p2__2# &
       * rest__3#] (f p1__1# p2__2# rest__3#)). */
      static object *anonymous_fn(object *body)
      {
        anonymous_params params;
        auto *walked = params.walk(body);
        std::vector<object *> vector;
        for(size_t n = 1; n <= params.numbered.size(); ++n)
        {
          vector.push_back(params.numbered_param(n));
        }
        if(params.rest != nullptr)
        {
          vector.push_back(symbol("", "&"));
          vector.push_back(params.rest);
        }
        return list_from({ symbol("", "fn*"), vector_from(vector), walked });
      }

      object *form()
      {
        auto const c = peek();
        switch(c)
        {
          case '(':
            {
              auto const start = pos_++;
              auto *list = list_from(until(')'));
              return line_reader_ == nullptr || count(list) == 0 ? list : with_position(list, start);
            }
          case '[':
            ++pos_;
            return vector_from(until(']'));
          case '{':
            ++pos_;
            return map_literal("");
          case ')':
          case ']':
          case '}':
            error(std::string{ "Unmatched delimiter: " } + c);
          case '"':
            ++pos_;
            return string_literal();
          case '\\':
            ++pos_;
            return char_literal();
          case ':':
            return keyword_literal();
          case '\'':
            {
              ++pos_;
              auto *quoted = next();
              if(quoted == nullptr)
              {
                error("EOF while reading: ' has no form to quote");
              }
              return list_from({ symbol("", "quote"), quoted });
            }
          case '^':
            {
              auto const start = pos_++;
              return with_reader_meta(start);
            }
          case '@':
            if(code_)
            {
              ++pos_;
              return list_from({ symbol("clojure.core", "deref"), operand("@") });
            }
            return atom();
          case '~':
            if(code_)
            {
              ++pos_;
              if(!at_end() && peek() == '@')
              {
                ++pos_;
                return list_from({ symbol("clojure.core", "unquote-splicing"), operand("~@") });
              }
              return list_from({ symbol("clojure.core", "unquote"), operand("~") });
            }
            return atom();
          case '`':
            if(code_)
            {
              ++pos_;
              gensyms_.clear();
              return syntax_quote(operand("`"));
            }
            return atom();
          case '#':
            if(code_ && text_.compare(pos_, 2, "#'") == 0)
            {
              pos_ += 2;
              return list_from({ symbol("", "var"), operand("#'") });
            }
            return dispatch();
          default:
            return atom();
        }
      }

      /* The entries of a {...} after its brace. A namespaced map, #:ns{...},
       * gives its unqualified keyword and symbol keys the namespace ns
       * (and takes :_/k as plain :k). */
      object *map_literal(std::string const &ns)
      {
        auto items = until('}');
        if(items.size() % 2 != 0)
        {
          error(ns.empty() ? "Map literal must contain an even number of forms"
                           : "Namespaced map literal must contain an even number of forms");
        }
        for(size_t i{}; !ns.empty() && i < items.size(); i += 2)
        {
          items[i] = qualified_key(items[i], ns);
        }
        auto *m = map_from(items);
        if(count(m) * 2 != items.size())
        {
          duplicate(items, 2);
        }
        return m;
      }

      static object *qualified_key(object *key, std::string const &ns)
      {
        if(key->type == tag::keyword)
        {
          auto const *k = static_cast<keyword_obj *>(key);
          return k->ns.empty() ? keyword(ns, k->name) : k->ns == "_" ? keyword("", k->name) : key;
        }
        if(key->type == tag::symbol)
        {
          auto const *k = static_cast<symbol_obj *>(key);
          return k->ns.empty() ? symbol(ns, k->name) : k->ns == "_" ? symbol("", k->name) : key;
        }
        return key;
      }

      /* #:ns{...}, and in code #::{...} (the current namespace) and
       * #::alias{...}. */
      object *namespaced_map()
      {
        pos_ += 2;
        auto const auto_resolved = peek() == ':';
        if(auto_resolved)
        {
          ++pos_;
        }
        /* As Clojure's NamespaceMapReader: #::{...} alone may have space
         * before its brace; otherwise a symbol names the namespace. */
        object *name{};
        if(at_end() || is_space(peek()))
        {
          skip_space();
          if(!auto_resolved || peek() != '{')
          {
            error("Namespaced map must specify a namespace");
          }
        }
        else if(peek() != '{')
        {
          name = operand("#:");
          skip_space();
        }
        if(peek() != '{')
        {
          error("Namespaced map must specify a map");
        }
        auto const is_plain_symbol = [](object *x) {
          return x != nullptr && x->type == tag::symbol && static_cast<symbol_obj *>(x)->ns.empty();
        };
        std::string ns;
        if(auto_resolved && name == nullptr)
        {
          ns = current_ns()->name;
        }
        else if(!is_plain_symbol(name))
        {
          error("Namespaced map must specify a valid namespace: " + str(name));
        }
        else if(auto_resolved)
        {
          auto target = alias_target(static_cast<symbol_obj *>(name)->name);
          if(!target)
          {
            error("Unknown auto-resolved namespace alias: " + str(name));
          }
          ns = *target;
        }
        else
        {
          ns = static_cast<symbol_obj *>(name)->name;
        }
        ++pos_;
        return map_literal(ns);
      }

      /* The namespace code is read in: *ns* when code binds it, else the
       * namespace the calling code was compiled in (the page binds no *ns*
       * while a form runs), as Clojure's reader has it at the REPL. */
      namespace_obj *current_ns()
      {
        static var_obj *const current = intern_var("clojure.core", "*ns*");
        if(compiled_in_ns != nullptr && !has_binding(current))
        {
          return compiled_in_ns;
        }
        auto *value = deref(current);
        return value->type == tag::ns ? static_cast<ns_obj *>(value)->ns : intern_ns("user");
      }

      /* The namespace an alias of the current namespace (or a namespace's
       * full name) stands for in ::alias/k. */
      std::optional<std::string> alias_target(std::string const &alias)
      {
        auto const &aliases = current_ns()->aliases;
        if(auto found = aliases.find(alias); found != aliases.end())
        {
          return found->second;
        }
        if(find_ns(alias) != nullptr)
        {
          return alias;
        }
        return std::nullopt;
      }

      /* ^meta form, as Clojure's reader (and clojure.edn's) reads it: a
       * keyword means {kw true}, a symbol or string means {:tag x}, and the
       * entries go onto the form's own metadata, the new ones winning. */
      object *with_reader_meta(size_t start)
      {
        auto *m = operand("^");
        if(m->type == tag::keyword)
        {
          m = map_from({ m, boolean(true) });
        }
        else if(m->type == tag::symbol || m->type == tag::string)
        {
          m = map_from({ keyword("", "tag"), m });
        }
        else if(m->type != tag::map)
        {
          error("Metadata must be Symbol,Keyword,String or Map");
        }
        auto *target = operand("^meta");
        if(line_reader_ != nullptr && (target->type == tag::list || target->type == tag::cons))
        {
          m = position_meta(m, start);
        }
        if(target->type != tag::list && target->type != tag::vector && target->type != tag::map
           && target->type != tag::set && target->type != tag::symbol)
        {
          error("Metadata can only be applied to IMetas");
        }
        auto *merged = call(core("meta"), { target });
        if(merged->type == tag::nil)
        {
          merged = map_from({});
        }
        for(auto *entry : to_items(m))
        {
          auto const kv = to_items(entry);
          merged = assoc(merged, kv.at(0), kv.at(1));
        }
        return call(core("with-meta"), { target, merged });
      }

      /* meta with the :line and :column of the text at start, where it
       * has none of its own (Clojure 1.12's precedence). */
      object *position_meta(object *meta, size_t start)
      {
        auto const at = position_in(line_reader_, start);
        static object *const line = keyword("", "line");
        static object *const column = keyword("", "column");
        meta = assoc(meta, line, get(meta, line, integer(at.line)));
        return assoc(meta, column, get(meta, column, integer(at.column)));
      }

      /* A list read from a LineNumberingPushbackReader, with its position. */
      object *with_position(object *list, size_t start)
      {
        auto *meta = call(core("meta"), { list });
        return call(core("with-meta"), { list, position_meta(meta->type == tag::nil ? map_from({}) : meta, start) });
      }

      /* The form a prefix such as @ applies to. */
      object *operand(char const *prefix)
      {
        auto *x = next();
        if(x == nullptr)
        {
          error(std::string{ "EOF while reading: " } + prefix + " has no form after it");
        }
        return x;
      }

      /* Forms up to the closing delimiter. */
      std::vector<object *> until(char close)
      {
        std::vector<object *> items;
        for(;;)
        {
          skip_space();
          if(at_end())
          {
            error(std::string{ "EOF while reading, expected " } + close);
          }
          if(peek() == close)
          {
            ++pos_;
            return items;
          }
          auto *f = form();
          if(f == &spliced_marker)
          {
            items.insert(items.end(), splice_.begin(), splice_.end());
          }
          else if(f != &nothing_marker)
          {
            items.push_back(f);
          }
        }
      }

      /* #?(:jank a :default b) or #?@(...), at the #. */
      object *conditional()
      {
        bool const splicing = text_.compare(pos_, 3, "#?@") == 0;
        pos_ += splicing ? 3 : 2;
        if(read_cond_ == read_cond::forbidden)
        {
          error("Conditional read not allowed");
        }
        skip_space();
        if(peek() != '(')
        {
          error("read-cond body must be a list");
        }
        ++pos_;
        bool const outer = suppress_tags_;
        suppress_tags_ = true;
        auto branches = until(')');
        suppress_tags_ = outer;
        if(read_cond_ == read_cond::preserve)
        {
          return make_reader_conditional(list_from(branches), splicing);
        }
        if(branches.size() % 2 != 0)
        {
          error("read-cond requires an even number of forms");
        }
        for(size_t i = 0; i < branches.size(); i += 2)
        {
          if(branches[i]->type != tag::keyword)
          {
            error("Feature should be a keyword: " + str(branches[i]));
          }
          if(auto const feature = str(branches[i]); feature == ":else" || feature == ":none")
          {
            error("Feature name " + feature + " is reserved.");
          }
          if(!has_feature(branches[i]))
          {
            continue;
          }
          if(!splicing)
          {
            return branches[i + 1];
          }
          if(!truthy(call(core("sequential?"), { branches[i + 1] })))
          {
            error("Spliced form list in read-cond-splicing must implement java.util.List");
          }
          splice_ = to_items(branches[i + 1]);
          return &spliced_marker;
        }
        return &nothing_marker;
      }

      bool has_feature(object *feature) const
      {
        auto const name = str(feature);
        if(name == ":jank" || name == ":default")
        {
          return true;
        }
        return features_ != nullptr && features_->type != tag::nil && truthy(call(core("contains?"), { features_, feature }));
      }

      object *dispatch()
      {
        if(code_ && text_.compare(pos_, 2, "#?") == 0)
        {
          return conditional();
        }
        if(text_.compare(pos_, 2, "#:") == 0 && (code_ || text_.compare(pos_, 3, "#::") != 0))
        {
          return namespaced_map();
        }
        /* #^, the old spelling of ^ that Clojure still reads. */
        if(text_.compare(pos_, 2, "#^") == 0)
        {
          auto const start = pos_;
          pos_ += 2;
          return with_reader_meta(start);
        }
        if(text_.compare(pos_, 2, "##") == 0)
        {
          pos_ += 2;
          auto *value = operand("##");
          if(value->type != tag::symbol)
          {
            error("Invalid token: ##" + str(value));
          }
          auto const name = str(value);
          if(name == "Inf")
          {
            return real(std::numeric_limits<double>::infinity());
          }
          if(name == "-Inf")
          {
            return real(-std::numeric_limits<double>::infinity());
          }
          if(name == "NaN")
          {
            return real(std::numeric_limits<double>::quiet_NaN());
          }
          error("Unknown symbolic value: ##" + name);
        }
        if(text_.compare(pos_, 2, "#{") == 0)
        {
          pos_ += 2;
          auto items = until('}');
          auto *s = set_from(items);
          if(count(s) != items.size())
          {
            duplicate(items, 1);
          }
          return s;
        }
        if(code_ && text_.compare(pos_, 2, "#(") == 0)
        {
          if(in_anonymous_fn_)
          {
            error("Nested #()s are not allowed");
          }
          ++pos_;
          in_anonymous_fn_ = true;
          auto *body = form();
          in_anonymous_fn_ = false;
          return anonymous_fn(body);
        }
        if(code_ && text_.compare(pos_, 2, "#\"") == 0)
        {
          pos_ += 2;
          return new regex_obj{ regex_source() };
        }
        /* #/(List? double): ClojureDart's tag `/`, read (and skipped) in a
         * branch of another platform as Clojure's reader does. */
        if(pos_ + 1 < text_.size()
           && (std::isalpha(static_cast<unsigned char>(text_[pos_ + 1])) || (suppress_tags_ && text_[pos_ + 1] == '/')))
        {
          ++pos_;
          return tagged(atom());
        }
        error("the data reader reads no #" + std::string(1, pos_ + 1 < text_.size() ? text_[pos_ + 1] : ' ')
              + " forms (regexes, reader conditionals and fns are code, not data)");
      }

      /* #tag form: the tag's reader from :readers applied to the form, else
       * :default applied to the tag and the form. */
      object *tagged(object *tag)
      {
        if(tag->type != tag::symbol)
        {
          error("a tagged literal's tag must be a symbol, got " + pr_str(tag));
        }
        auto *value = operand(("#" + str(tag)).c_str());
        if(readers_ != nullptr && readers_->type != tag::nil)
        {
          if(auto *reader = get(readers_, tag, nil()); reader->type != tag::nil)
          {
            return invoke(reader, 1, &value);
          }
        }
        /* Clojure's default-data-readers, which the ones given override. */
        if(auto const name = str(tag); name == "uuid")
        {
          auto *u = value->type == tag::string ? uuid_from_string(static_cast<string_obj *>(value)->value) : nullptr;
          if(u == nullptr)
          {
            error("#uuid expects a UUID's text, as #uuid \"00000000-0000-0000-0000-000000000000\"");
          }
          return u;
        }
        else if(name == "inst")
        {
          auto const ms = value->type == tag::string ? parse_timestamp(static_cast<string_obj *>(value)->value) : std::nullopt;
          if(!ms)
          {
            error("#inst expects an RFC 3339 timestamp, as #inst \"2025-09-01T20:47:03.713-00:00\"");
          }
          return new inst_obj{ *ms };
        }
        if(default_ != nullptr && default_->type != tag::nil)
        {
          object *args[] = { tag, value };
          return invoke(default_, 2, args);
        }
        if(suppress_tags_)
        {
          return call(core("tagged-literal"), { tag, value });
        }
        error("No reader function for tag " + str(tag));
      }

      /* A regex literal's text, taken as written up to the closing quote
       * (a backslash keeps the character after it, as Clojure's reader does). */
      std::string regex_source()
      {
        std::string source;
        while(!at_end() && peek() != '"')
        {
          if(peek() == '\\' && pos_ + 1 < text_.size())
          {
            source += text_[pos_++];
          }
          source += text_[pos_++];
        }
        if(at_end())
        {
          error("EOF while reading regex");
        }
        ++pos_;
        return source;
      }

      void append_utf8(std::string &out, uint32_t cp)
      {
        if(cp < 0x80)
        {
          out += static_cast<char>(cp);
        }
        else if(cp < 0x800)
        {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        else
        {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
      }

      object *string_literal()
      {
        std::string out;
        for(;;)
        {
          if(at_end())
          {
            error("EOF while reading string");
          }
          auto const c = text_[pos_++];
          if(c == '"')
          {
            return string(out);
          }
          if(c != '\\')
          {
            out += c;
            continue;
          }
          if(at_end())
          {
            error("EOF while reading string");
          }
          switch(auto const e = text_[pos_++])
          {
            case 'n':
              out += '\n';
              break;
            case 't':
              out += '\t';
              break;
            case 'r':
              out += '\r';
              break;
            case 'b':
              out += '\b';
              break;
            case 'f':
              out += '\f';
              break;
            case '"':
            case '\\':
              out += e;
              break;
            case 'u':
              {
                auto const first = at_end() ? '\0' : text_[pos_];
                if(digit_value(first, 16) < 0)
                {
                  error(std::string{ "Invalid unicode escape: \\u" } + (at_end() ? "" : std::string(1, first)));
                }
                ++pos_;
                append_utf8(out, escape_digits(first, 16, 4, true));
                break;
              }
            default:
              if(e >= '0' && e <= '9')
              {
                /* \0 to \377: an octal escape of up to three digits, ended
                 * early only by white space or a macro character, as
                 * Clojure's reader reads one ("a\0b" is an error there). */
                auto const code = escape_digits(e, 8, 3, false);
                if(code > 0377)
                {
                  error("Octal escape sequence must be in range [0, 377].");
                }
                append_utf8(out, static_cast<uint32_t>(code));
                break;
              }
              error(std::string{ "Unsupported escape character: \\" } + e);
          }
        }
      }

      object *char_literal()
      {
        if(at_end())
        {
          error("EOF while reading character");
        }
        /* The character itself, then letters for the named ones. */
        auto const start = pos_;
        auto const lead = static_cast<unsigned char>(text_[pos_]);
        pos_ += lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        while(!at_end() && !is_delimiter(peek()))
        {
          ++pos_;
        }
        auto const name = text_.substr(start, pos_ - start);
        if(name == "newline")
        {
          return character('\n');
        }
        if(name == "space")
        {
          return character(' ');
        }
        if(name == "tab")
        {
          return character('\t');
        }
        if(name == "return")
        {
          return character('\r');
        }
        if(name == "backspace")
        {
          return character('\b');
        }
        if(name == "formfeed")
        {
          return character('\f');
        }
        if(name.size() > 1 && name[0] == 'u')
        {
          auto const code = char_digits(name, 16, 4);
          if(code >= 0xD800 && code <= 0xDFFF)
          {
            error("Invalid character constant: \\" + name);
          }
          return character(static_cast<int32_t>(code));
        }
        if(name.size() > 1 && name[0] == 'o')
        {
          /* \o101: an octal code up to 377. */
          if(name.size() > 4)
          {
            error("Invalid octal escape sequence length: " + std::to_string(name.size() - 1));
          }
          auto const code = char_digits(name, 8, name.size() - 1);
          if(code > 0377)
          {
            error("Octal escape sequence must be in range [0, 377].");
          }
          return character(static_cast<int32_t>(code));
        }
        auto chars = to_items(string(name));
        if(chars.size() != 1)
        {
          error("Unsupported character: \\" + name);
        }
        return chars[0];
      }

      object *keyword_literal()
      {
        ++pos_;
        auto const t = token();
        if(t.empty() || (t[0] == ':' && !code_))
        {
          error(t.empty() ? "Invalid token: :" : "::" + t.substr(1) + " needs a namespace to resolve against; write it in full");
        }
        if(t == ":" || t.ends_with(':'))
        {
          error("Invalid token: :" + t);
        }
        if(t[0] == ':')
        {
          /* ::k in the current namespace, ::alias/k in the alias's. */
          auto const name = t.substr(1);
          auto const slash = name.find('/');
          if(slash == std::string::npos)
          {
            return keyword(current_ns()->name, name);
          }
          auto target = alias_target(name.substr(0, slash));
          if(!target)
          {
            error("Invalid token: :" + t + " (no namespace has the alias " + name.substr(0, slash) + " here)");
          }
          return keyword(*target, name.substr(slash + 1));
        }
        auto const slash = t.find('/');
        if(slash == std::string::npos || t == "/")
        {
          return keyword("", t);
        }
        if(slash == t.size() - 1 && !t.ends_with("//"))
        {
          error("Invalid token: :" + t);
        }
        return keyword(t.substr(0, slash), t.substr(slash + 1));
      }

      object *atom()
      {
        auto const t = token();
        if(t.empty())
        {
          error(std::string{ "Unexpected character: " } + peek());
        }
        if(t == "nil")
        {
          return nil();
        }
        if(t == "true" || t == "false")
        {
          return boolean(t == "true");
        }
        auto const first = t[0];
        auto const digit_at = (first == '-' || first == '+') ? 1u : 0u;
        if(t.size() > digit_at && std::isdigit(static_cast<unsigned char>(t[digit_at])))
        {
          return number(t);
        }
        if(t.ends_with(':') || t.find("::") != std::string::npos)
        {
          error("Invalid token: " + t);
        }
        auto const slash = t.find('/');
        if(slash != std::string::npos && slash == t.size() - 1 && t != "/" && !t.ends_with("//"))
        {
          error("Invalid token: " + t);
        }
        if(slash == std::string::npos || t == "/" || slash == 0 || slash == t.size() - 1)
        {
          return symbol("", t);
        }
        return symbol(t.substr(0, slash), t.substr(slash + 1));
      }

      /* ---- syntax-quote, as Clojure's reader expands it ---------------------- */

      /* `x: a symbol resolved in the current namespace (a special form stays
       * as written, x# is one fresh name per syntax-quote), ~x the form
       * itself, a collection built from its items with ~@ spliced; anything
       * else is itself. */
      object *syntax_quote(object *form)
      {
        auto const quote = [](object *x) { return list_from({ symbol("", "quote"), x }); };
        auto const core_sym = [](char const *name) { return symbol("clojure.core", name); };
        switch(form->type)
        {
          case tag::symbol:
            return quote(resolve_for_syntax_quote(static_cast<symbol_obj *>(form)));
          case tag::keyword:
          case tag::string:
          case tag::integer:
          case tag::real:
          case tag::character:
          case tag::nil:
          case tag::boolean:
          case tag::ratio:
          case tag::big_integer:
          case tag::big_decimal:
          case tag::regex:
            return form;
          case tag::map:
            {
              std::vector<object *> flat;
              for(auto *e : to_items(form))
              {
                auto kv = to_items(e);
                flat.push_back(kv.at(0));
                flat.push_back(kv.at(1));
              }
              return list_from({ core_sym("apply"), core_sym("hash-map"), seq_concat(flat) });
            }
          case tag::vector:
            return list_from({ core_sym("apply"), core_sym("vector"), seq_concat(to_items(form)) });
          case tag::set:
            return list_from({ core_sym("apply"), core_sym("hash-set"), seq_concat(to_items(form)) });
          default:
            break;
        }
        if(is_call_of(form, "unquote"))
        {
          return to_items(form).at(1);
        }
        if(is_call_of(form, "unquote-splicing"))
        {
          error("splice not in list");
        }
        if(form->type == tag::list || form->type == tag::cons)
        {
          auto items = to_items(form);
          return items.empty() ? list_from({ core_sym("list") }) : seq_concat(items);
        }
        return quote(form);
      }

      /* (clojure.core/seq (clojure.core/concat ...)), each item a
       * (clojure.core/list item) or, spliced, the item itself. */
      object *seq_concat(std::vector<object *> const &items)
      {
        std::vector<object *> parts{ symbol("clojure.core", "concat") };
        for(auto *item : items)
        {
          if(is_call_of(item, "unquote"))
          {
            parts.push_back(list_from({ symbol("clojure.core", "list"), to_items(item).at(1) }));
          }
          else if(is_call_of(item, "unquote-splicing"))
          {
            parts.push_back(to_items(item).at(1));
          }
          else
          {
            parts.push_back(list_from({ symbol("clojure.core", "list"), syntax_quote(item) }));
          }
        }
        return list_from({ symbol("clojure.core", "seq"), list_from(parts) });
      }

      static bool is_call_of(object *form, char const *name)
      {
        if(form->type != tag::list)
        {
          return false;
        }
        auto items = to_items(form);
        if(items.size() != 2 || items[0]->type != tag::symbol)
        {
          return false;
        }
        auto const *head = static_cast<symbol_obj *>(items[0]);
        return head->ns == "clojure.core" && head->name == name;
      }

      object *resolve_for_syntax_quote(symbol_obj *sym)
      {
        static std::string const special[] = { "def", "loop*", "recur", "if", "case*", "let*", "letfn*", "do", "fn*",
                                               "throw", "try", "catch", "finally", "monitor-enter", "monitor-exit",
                                               "new", "set!", "var", "quote", "import*", "deftype*", "reify*", "&", "." };
        auto const &name = sym->name;
        if(sym->ns.empty())
        {
          if(std::find(std::begin(special), std::end(special), name) != std::end(special))
          {
            return sym;
          }
          if(name.size() > 1 && name.ends_with('#'))
          {
            auto &fresh = gensyms_[name];
            if(fresh == nullptr)
            {
              static int64_t counter = 0;
              fresh = symbol("", name.substr(0, name.size() - 1) + "__" + std::to_string(++counter) + "__auto__");
            }
            return fresh;
          }
          if(name.starts_with('.') || name.ends_with('.'))
          {
            return sym; /* a method or a constructor */
          }
        }
        else
        {
          /* An alias's namespace in full; a class's static member as written. */
          auto const &aliases = current_ns()->aliases;
          if(auto found = aliases.find(sym->ns); found != aliases.end())
          {
            return symbol(found->second, name);
          }
          return sym;
        }
        auto *resolved = call(core("ns-resolve"), { ns_value(current_ns()), sym });
        if(resolved->type == tag::var)
        {
          auto const *var = static_cast<var_obj *>(resolved);
          return symbol(var->ns->name, var->name);
        }
        if(resolved->type == tag::record_type)
        {
          return symbol("", str(resolved));
        }
        return symbol(current_ns()->name, name);
      }

      /* The digits of body in radix, or nothing if one is not a digit there. */
      static std::optional<big_int> digits_in(std::string_view body, unsigned radix)
      {
        if(body.empty())
        {
          return std::nullopt;
        }
        big_int v = 0;
        for(char const c : body)
        {
          auto const lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          unsigned const d = std::isdigit(static_cast<unsigned char>(c)) ? static_cast<unsigned>(c - '0')
            : (lower >= 'a' && lower <= 'z')                             ? static_cast<unsigned>(lower - 'a' + 10)
                                                                         : 99u;
          if(d >= radix)
          {
            return std::nullopt;
          }
          v = v * radix + d;
        }
        return v;
      }

      /* An integer as Clojure's reader reads one: decimal, 0x hex, 0 octal or
       * NrDDD, maybe signed; a BigInt with an N or past a long's range. */
      /* 1.5M, 2M, 1e3M: a BigDecimal, as Clojure's reader reads one. */
      object *decimal_literal(std::string const &t)
      {
        if(auto *d = parse_big_decimal(t.substr(0, t.size() - 1)))
        {
          return d;
        }
        error("Invalid number: " + t);
      }

      std::optional<object *> integer_literal(std::string_view t)
      {
        bool const negative = t.starts_with('-');
        if(t.starts_with('-') || t.starts_with('+'))
        {
          t.remove_prefix(1);
        }
        bool const big = t.ends_with('N');
        if(big)
        {
          t.remove_suffix(1);
        }
        std::optional<big_int> v;
        if(t.starts_with("0x") || t.starts_with("0X"))
        {
          v = digits_in(t.substr(2), 16);
        }
        else if(auto const r = t.find_first_of("rR"); r != std::string_view::npos && r > 0 && r <= 2)
        {
          auto const radix = digits_in(t.substr(0, r), 10);
          if(!radix || *radix < 2 || *radix > 36)
          {
            return std::nullopt;
          }
          v = digits_in(t.substr(r + 1), static_cast<unsigned>(*radix));
        }
        else if(t.size() > 1 && t.starts_with('0'))
        {
          v = digits_in(t.substr(1), 8);
        }
        else
        {
          v = digits_in(t, 10);
        }
        if(!v)
        {
          return std::nullopt;
        }
        if(negative)
        {
          *v = -*v;
        }
        return big ? big_integer(*v) : integer_or_big(*v);
      }

      object *number(std::string const &t)
      {
        if(auto const slash = t.find('/'); slash != std::string::npos)
        {
          std::string_view const text{ t };
          auto const n = integer_literal(text.substr(0, slash));
          auto const d = integer_literal(text.substr(slash + 1));
          if(!n || !d || text.find_first_of("xXrRN") != std::string_view::npos
             || !std::isdigit(static_cast<unsigned char>(t[slash + 1])) || is_zero(*d))
          {
            error("Invalid number: " + t);
          }
          /* As Clojure's reader: 4/2 reads as the long 2. */
          return arithmetic(arith::div, *n, *d, "/");
        }
        if(t.find_first_of(".eE") == std::string::npos || t.starts_with("0x") || t.starts_with("-0x")
           || t.starts_with("+0x") || t.find_first_of("rR") != std::string::npos)
        {
          if(t.ends_with('M') && t.find_first_of("xXrR") == std::string::npos)
          {
            return decimal_literal(t);
          }
          if(auto const v = integer_literal(t))
          {
            return *v;
          }
          error("Invalid number: " + t);
        }
        if(t.ends_with('M'))
        {
          return decimal_literal(t);
        }
        char *end = nullptr;
        auto const v = std::strtod(t.c_str(), &end);
        if(*end != '\0')
        {
          error("Invalid number: " + t);
        }
        return real(v);
      }

      static bool is_zero(object *o)
      {
        return compare_numbers(o, integer(0), "/") == 0;
      }
    };

    std::string const &source_text(object *o, char const *op)
    {
      if(o->type != tag::string)
      {
        fail(std::string{ op } + " expects a string, got " + type_name(o));
      }
      return static_cast<string_obj *>(o)->value;
    }

    /* (read-string {:read-cond :allow :features #{:cljs}} s): reader
     * conditionals as the opts say. */
    void reader_conditional_opts(data_reader &reader, object *opts)
    {
      auto *mode = get(opts, keyword("", "read-cond"), nil());
      auto *features = get(opts, keyword("", "features"), nil());
      if(equals(mode, keyword("", "allow")))
      {
        reader.reader_conditionals(read_cond::allow, features);
      }
      else if(equals(mode, keyword("", "preserve")))
      {
        reader.reader_conditionals(read_cond::preserve, features);
      }
      /* Any other :read-cond leaves conditionals forbidden, as Clojure's. */
    }

    /* clojure.core's reader takes #tag literals from *data-readers* and
     * *default-data-reader-fn*, which code binds. */
    void code_tag_readers(data_reader &reader)
    {
      static var_obj *const readers = intern_var("clojure.core", "*data-readers*");
      static var_obj *const fallback = intern_var("clojure.core", "*default-data-reader-fn*");
      reader.tagged_readers(deref(readers), deref(fallback));
    }

    /* (read-string s): the first form of s; EOF is an error, as in Clojure. */
    object *read_string(int argc, args_t argv)
    {
      check_arity("read-string", argc, 1, 2);
      data_reader reader{ source_text(argv[argc - 1], "read-string"), true };
      code_tag_readers(reader);
      static object absent{ tag::nil };
      object *eof = &absent;
      if(argc == 2 && argv[0]->type != tag::nil)
      {
        reader_conditional_opts(reader, argv[0]);
        eof = get(argv[0], keyword("", "eof"), &absent);
      }
      auto *form = reader.next();
      if(form == nullptr)
      {
        if(eof == &absent || equals(eof, keyword("", "eofthrow")))
        {
          fail("EOF while reading");
        }
        return eof;
      }
      return form;
    }

    /* (clojure.edn/read-string s) and (clojure.edn/read-string opts s), opts
     * with :readers, :default and :eof (what an empty string reads as, else nil). */
    object *edn_read_string(int argc, args_t argv)
    {
      check_arity("read-string", argc, 1, 2);
      auto *opts = argc == 2 ? argv[0] : nil();
      auto *eof = opts->type == tag::nil ? nil() : get(opts, keyword("", "eof"), nil());
      if(argv[argc - 1]->type == tag::nil)
      {
        return eof;
      }
      data_reader reader{ source_text(argv[argc - 1], "clojure.edn/read-string") };
      if(opts->type != tag::nil)
      {
        reader.tagged_readers(get(opts, keyword("", "readers"), nil()), get(opts, keyword("", "default"), nil()));
      }
      auto *form = reader.next();
      return form == nullptr ? eof : form;
    }

    /* The next form of a string reader ((java.io.StringReader. s), maybe
     * in a PushbackReader, or *in* inside with-in-str), which then stands
     * after it; nullptr at its end. */
    object *read_from(object *stream, bool code, object *opts)
    {
      auto *string_reader = underlying_string_reader(stream);
      if(string_reader == nullptr)
      {
        fail("read expects a reader ((java.io.PushbackReader. (java.io.StringReader. s)), or *in* inside with-in-str), got "
             + a_type_name(stream));
      }
      auto &values = string_reader->values;
      auto const &text = static_cast<string_obj *>(values[0])->value;
      data_reader reader{ text, code, static_cast<size_t>(static_cast<integer_obj *>(values[1])->value) };
      if(is_line_numbering_reader(stream))
      {
        reader.track_lines(static_cast<instance_obj *>(stream));
      }
      if(code)
      {
        code_tag_readers(reader);
        if(opts->type != tag::nil)
        {
          reader_conditional_opts(reader, opts);
        }
      }
      else if(opts->type != tag::nil)
      {
        reader.tagged_readers(get(opts, keyword("", "readers"), nil()), get(opts, keyword("", "default"), nil()));
      }
      auto *form = reader.next();
      values[1] = integer(static_cast<int64_t>(reader.position()));
      return form;
    }

    /* (read), (read stream), (read stream eof-error? eof-value), and with
     * recursive?, or (read opts stream) with :eof. */
    object *read(int argc, args_t argv)
    {
      check_arity("read", argc, 0, 4);
      static var_obj *const in = intern_var("clojure.core", "*in*");
      bool const opts_first = argc == 2 && argv[0]->type == tag::map;
      auto *stream = argc == 0 ? deref(in) : opts_first ? argv[1] : argv[0];
      auto *form = read_from(stream, true, opts_first ? argv[0] : nil());
      if(form != nullptr)
      {
        return form;
      }
      static object absent{ tag::nil };
      auto *eof = opts_first ? get(argv[0], keyword("", "eof"), &absent) : argc >= 3 ? argv[2] : &absent;
      bool const eof_error = opts_first ? eof == &absent : argc < 3 || truthy(argv[1]);
      if(eof_error)
      {
        fail("EOF while reading");
      }
      return eof == &absent ? nil() : eof;
    }

    /* (read+string) and read+string with read's arguments: [form text], the
     * text the form was read from, trimmed, as a REPL keeps it. */
    object *read_plus_string(int argc, args_t argv)
    {
      check_arity("read+string", argc, 0, 4);
      static var_obj *const in = intern_var("clojure.core", "*in*");
      bool const opts_first = argc == 2 && argv[0]->type == tag::map;
      auto *stream = argc == 0 ? deref(in) : opts_first ? argv[1] : argv[0];
      auto *string_reader = underlying_string_reader(stream);
      auto const position = [string_reader]() -> size_t {
        if(string_reader == nullptr)
        {
          return 0;
        }
        return static_cast<size_t>(static_cast<integer_obj *>(string_reader->values[1])->value);
      };
      auto const start = position();
      auto *form = read(argc, argv);
      auto const end = position();
      auto const &text = static_cast<string_obj *>(string_reader->values[0])->value;
      /* Java's String.trim: off both ends, every character up to a space. */
      auto first = start;
      auto last = end;
      while(first < last && static_cast<unsigned char>(text[first]) <= ' ')
      {
        ++first;
      }
      while(last > first && static_cast<unsigned char>(text[last - 1]) <= ' ')
      {
        --last;
      }
      return vector_from({ form, string(text.substr(first, last - first)) });
    }

    /* (clojure.edn/read), (clojure.edn/read stream), (clojure.edn/read opts
     * stream): EOF is an error unless opts has :eof. */
    object *edn_read(int argc, args_t argv)
    {
      check_arity("read", argc, 0, 2);
      static var_obj *const in = intern_var("clojure.core", "*in*");
      auto *opts = argc == 2 ? argv[0] : nil();
      auto *form = read_from(argc == 0 ? deref(in) : argv[argc - 1], false, opts);
      if(form != nullptr)
      {
        return form;
      }
      static object absent{ tag::nil };
      auto *eof = opts->type == tag::nil ? &absent : get(opts, keyword("", "eof"), &absent);
      if(eof == &absent)
      {
        fail("EOF while reading");
      }
      return eof;
    }

    /* (load-string s): each form of s evaluated in turn, by the page's eval,
     * in the namespace the call is written in (the compiler passes it);
     * the last one's value. */
    object *load_string(int argc, args_t argv)
    {
      check_arity("load-string", argc, 1, 2);
      data_reader reader{ source_text(argv[argc - 1], "load-string"), true };
      code_tag_readers(reader);
      object *result{ nil() };
      while(auto *form = reader.next())
      {
        object *args[] = { argc == 2 ? argv[0] : deref(intern_var("clojure.core", "*ns*")), form };
        result = invoke(core("eval"), 2, args);
      }
      return result;
    }

    // ---- tagged literals and reader conditionals, as values -------------------------

    /* clojure.lang.TaggedLiteral (fields tag and form) and
     * clojure.lang.ReaderConditional (form and splicing?): values that
     * compare and hash by their fields, answer keyword lookups for them, and
     * print as they are written. */
    struct literal_type
    {
      char const *name;
      char const *fields[2];
    };

    literal_type const tagged_literal_type{ "clojure.lang.TaggedLiteral", { "tag", "form" } };
    literal_type const reader_conditional_type{ "clojure.lang.ReaderConditional", { "form", "splicing?" } };

    object *literal_lookup(int argc, args_t argv)
    {
      check_arity("valAt", argc, 2, 3);
      auto const *t = static_cast<instance_obj *>(argv[0])->type;
      auto const &names = t->name == tagged_literal_type.name ? tagged_literal_type.fields : reader_conditional_type.fields;
      for(size_t i = 0; i < 2; ++i)
      {
        if(equals(argv[1], keyword("", names[i])))
        {
          return static_cast<instance_obj *>(argv[0])->values[i];
        }
      }
      return argc == 3 ? argv[2] : nil();
    }

    object *literal_equals(int argc, args_t argv)
    {
      check_arity("equals", argc, 2, 2);
      auto *a = static_cast<instance_obj *>(argv[0]);
      auto *b = argv[1];
      return boolean(b->type == tag::instance && static_cast<instance_obj *>(b)->type == a->type
                     && equals(a->values[0], static_cast<instance_obj *>(b)->values[0])
                     && equals(a->values[1], static_cast<instance_obj *>(b)->values[1]));
    }

    object *literal_hash(int argc, args_t argv)
    {
      check_arity("hashCode", argc, 1, 1);
      auto *a = static_cast<instance_obj *>(argv[0]);
      return integer(static_cast<int32_t>(31 * hash(a->values[0]) + hash(a->values[1])));
    }

    /* #tag form, and #?(...) or #?@(...). */
    object *literal_text(int argc, args_t argv)
    {
      check_arity("print", argc, 1, 2);
      auto *a = static_cast<instance_obj *>(argv[0]);
      bool const readably = argc < 2 || truthy(argv[1]);
      auto const show = [readably](object *x) { return readably ? pr_str(x) : print_str(x); };
      if(a->type->name == tagged_literal_type.name)
      {
        return string("#" + str(a->values[0]) + " " + show(a->values[1]));
      }
      return string((truthy(a->values[1]) ? "#?@" : "#?") + show(a->values[0]));
    }

    record_type_obj *literal_record_type(literal_type const &lt)
    {
      auto *t = new record_type_obj{ lt.name, {} };
      gc::make_permanent(t);
      t->lookup_fn = permanent_method("valAt", literal_lookup);
      t->equals_fn = permanent_method("equals", literal_equals);
      t->hash_fn = permanent_method("hashCode", literal_hash);
      t->print_fn = permanent_method("print", literal_text);
      return t;
    }

    record_type_obj *tagged_literal_record()
    {
      static record_type_obj *t = literal_record_type(tagged_literal_type);
      return t;
    }

    record_type_obj *reader_conditional_record()
    {
      static record_type_obj *t = literal_record_type(reader_conditional_type);
      return t;
    }

    object *tagged_literal(int argc, args_t argv)
    {
      check_arity("tagged-literal", argc, 2, 2);
      if(argv[0]->type != tag::symbol)
      {
        fail("tagged-literal expects a symbol tag, got " + a_type_name(argv[0]));
      }
      return new instance_obj{ tagged_literal_record(), { argv[0], argv[1] } };
    }

    object *reader_conditional(int argc, args_t argv)
    {
      check_arity("reader-conditional", argc, 2, 2);
      return new instance_obj{ reader_conditional_record(), { argv[0], boolean(truthy(argv[1])) } };
    }

    object *make_reader_conditional(object *form, bool splicing)
    {
      return new instance_obj{ reader_conditional_record(), { form, boolean(splicing) } };
    }

    object *is_tagged_literal(int argc, args_t argv)
    {
      check_arity("tagged-literal?", argc, 1, 1);
      return boolean(argv[0]->type == tag::instance && static_cast<instance_obj *>(argv[0])->type == tagged_literal_record());
    }

    object *is_reader_conditional(int argc, args_t argv)
    {
      check_arity("reader-conditional?", argc, 1, 1);
      return boolean(argv[0]->type == tag::instance
                     && static_cast<instance_obj *>(argv[0])->type == reader_conditional_record());
    }

    /* (read-string* ns ...) and (read* ns ...): what the compiler makes of
     * read-string and read, with the namespace the call is compiled in, for
     * ::k and #::{}. */
    template <object *(*reader_fn)(int, args_t)>
    object *read_in_ns(int argc, args_t argv)
    {
      check_arity("read-string", argc, 2, -1);
      auto *const saved = compiled_in_ns;
      compiled_in_ns = argv[0]->type == tag::ns ? static_cast<ns_obj *>(argv[0])->ns : nullptr;
      struct restore
      {
        namespace_obj *value;
        ~restore()
        {
          compiled_in_ns = value;
        }
      } const restore_on_exit{ saved };
      return reader_fn(argc - 1, argv + 1);
    }

    /* A string literal's rest, read from r past its opening quote, with
     * its escapes read as the reader reads them: what Clojure's
     * LispReader$StringReader gives (instaparse reads a grammar's strings
     * with one). */
    object *string_literal_rest(int argc, args_t argv)
    {
      check_arity("LispReader$StringReader", argc, 1, 4);
      std::string raw = "\"";
      bool escaped = false;
      while(true)
      {
        auto const code = as<integer_obj>(call(core("reader-char*"), { argv[0] }), tag::integer, "a character code")->value;
        if(code < 0)
        {
          fail("EOF while reading string");
        }
        if(!escaped && code == '"')
        {
          break;
        }
        escaped = !escaped && code == '\\';
        utf8::append(raw, static_cast<char32_t>(code));
      }
      raw += '"';
      data_reader reader{ raw, true };
      return reader.next();
    }

    /* (clojure.lang.LispReader$StringReader.): the reader macro of a string. */
    object *string_reader_new(int argc, args_t)
    {
      check_arity("LispReader$StringReader.", argc, 0, 0);
      static fn_obj *const reader = permanent_method("StringReader", string_literal_rest);
      return reader;
    }

    native_entry const reader_fns[] = {
      { "lisp-string-reader*", string_reader_new },
      { "read-string*", read_in_ns<read_string> },
      { "read*", read_in_ns<read> },
      { "tagged-literal", tagged_literal },
      { "tagged-literal?", is_tagged_literal },
      { "reader-conditional", reader_conditional },
      { "reader-conditional?", is_reader_conditional },
      { "read-string", read_string },
      { "read", read },
      { "read+string", read_plus_string },
      { "load-string", load_string },
    };

    native_entry const edn_fns[] = {
      { "read-string", edn_read_string },
      { "read", edn_read },
    };
  }

  void install_reader()
  {
    install_natives(reader_fns);
    install_natives(edn_fns, "clojure.edn");
  }
}
