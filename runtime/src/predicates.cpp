// clojure.core's type and value predicates beyond the basic ones in core.cpp
// (coll?, seqable?, int?, qualified-keyword?, ...), and the small value
// constructors that go with them (boolean, char, gensym).
#include "predicates.hpp"
#include "classes.hpp"

#include "native.hpp"
#include "numbers.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace jhr
{
  namespace
  {
    bool is_seq(object const *o)
    {
      return o->type == tag::list || o->type == tag::vector_seq || o->type == tag::cons
        || o->type == tag::lazy_seq || o->type == tag::long_range;
    }

    bool is_sorted_coll(object const *o)
    {
      return (o->type == tag::map && static_cast<map_obj const *>(o)->entries.is_sorted())
        || (o->type == tag::set && static_cast<set_obj const *>(o)->items.is_sorted());
    }

    bool coll_p(object const *o)
    {
      switch(o->type)
      {
        case tag::vector:
        case tag::map:
        case tag::set:
        case tag::record:
        case tag::queue:
          return true;
        default:
          return is_seq(o) || declares_collection(o);
      }
    }

    bool sequential_p(object const *o)
    {
      return o->type == tag::vector || o->type == tag::queue || is_seq(o) || declares_sequential(o);
    }

    bool associative_p(object const *o)
    {
      return o->type == tag::map || o->type == tag::vector || o->type == tag::record
        || declares(o, "clojure.lang.Associative") || declares(o, "clojure.lang.IPersistentMap")
        || declares(o, "clojure.lang.IPersistentVector");
    }

    bool ifn_p(object const *o)
    {
      switch(o->type)
      {
        case tag::fn:
        case tag::multi_fn:
        case tag::protocol_fn:
        case tag::keyword:
        case tag::symbol:
        case tag::map:
        case tag::set:
        case tag::vector:
        case tag::var:
          return true;
        /* A deftype or defrecord that implements clojure.lang.IFn. */
        case tag::instance:
          return static_cast<instance_obj const *>(o)->type->invoke_fn != nullptr;
        case tag::record:
          return static_cast<record_obj const *>(o)->type->invoke_fn != nullptr;
        default:
          return false;
      }
    }

    bool seqable_p(object const *o)
    {
      return o->type == tag::nil || o->type == tag::string || o->type == tag::array || coll_p(o) || is_seqable(o);
    }

    bool int_p(object const *o)
    {
      return o->type == tag::integer;
    }

    int64_t int_value(object const *o)
    {
      return static_cast<integer_obj const *>(o)->value;
    }

    bool pos_int_p(object const *o)
    {
      return int_p(o) && int_value(o) > 0;
    }

    bool neg_int_p(object const *o)
    {
      return int_p(o) && int_value(o) < 0;
    }

    bool nat_int_p(object const *o)
    {
      return int_p(o) && int_value(o) >= 0;
    }

    bool double_p(object const *o)
    {
      return o->type == tag::real;
    }

    bool boolean_p(object const *o)
    {
      return o->type == tag::boolean;
    }

    bool char_p(object const *o)
    {
      return o->type == tag::character;
    }

    bool true_p(object const *o)
    {
      return o->type == tag::boolean && static_cast<boolean_obj const *>(o)->value;
    }

    bool false_p(object const *o)
    {
      return o->type == tag::boolean && !static_cast<boolean_obj const *>(o)->value;
    }

    bool any_p(object const *)
    {
      return true;
    }

    bool list_p(object const *o)
    {
      return o->type == tag::list || declares(o, "clojure.lang.IPersistentList");
    }

    bool var_p(object const *o)
    {
      return o->type == tag::var;
    }

    bool indexed_p(object const *o)
    {
      return o->type == tag::vector || declares(o, "clojure.lang.Indexed") || declares(o, "clojure.lang.IPersistentVector");
    }

    bool reversible_p(object const *o)
    {
      return o->type == tag::vector || is_sorted_coll(o) || declares(o, "clojure.lang.Reversible")
        || declares(o, "clojure.lang.IPersistentVector");
    }

    bool delay_p(object const *o)
    {
      return o->type == tag::delay && !static_cast<delay_obj const *>(o)->is_promise;
    }

    bool future_p(object const *o)
    {
      return o->type == tag::delay && static_cast<delay_obj const *>(o)->is_future;
    }

    bool volatile_p(object const *o)
    {
      return o->type == tag::cell && !static_cast<cell_obj const *>(o)->is_atom;
    }

    /* The namespace part of a keyword or symbol, empty when it has none. */
    bool has_namespace(object const *o)
    {
      if(o->type == tag::keyword)
      {
        return !static_cast<keyword_obj const *>(o)->ns.empty();
      }
      return !static_cast<symbol_obj const *>(o)->ns.empty();
    }

    bool ident_p(object const *o)
    {
      return o->type == tag::keyword || o->type == tag::symbol;
    }

    bool simple_ident_p(object const *o)
    {
      return ident_p(o) && !has_namespace(o);
    }

    bool qualified_ident_p(object const *o)
    {
      return ident_p(o) && has_namespace(o);
    }

    bool simple_keyword_p(object const *o)
    {
      return o->type == tag::keyword && !has_namespace(o);
    }

    bool qualified_keyword_p(object const *o)
    {
      return o->type == tag::keyword && has_namespace(o);
    }

    bool simple_symbol_p(object const *o)
    {
      return o->type == tag::symbol && !has_namespace(o);
    }

    bool qualified_symbol_p(object const *o)
    {
      return o->type == tag::symbol && has_namespace(o);
    }

    template <bool (*Pred)(object const *)>
    object *predicate(int argc, args_t argv)
    {
      check_arity("predicate", argc, 1, 1);
      return boolean(Pred(argv[0]));
    }

    object *identical_p(int argc, args_t argv)
    {
      check_arity("identical?", argc, 2, 2);
      return boolean(identical(argv[0], argv[1]));
    }

    object *distinct_p(int argc, args_t argv)
    {
      check_arity("distinct?", argc, 1, -1);
      for(int i = 0; i < argc; ++i)
      {
        for(int j = i + 1; j < argc; ++j)
        {
          if(equals(argv[i], argv[j]))
          {
            return boolean(false);
          }
        }
      }
      return boolean(true);
    }

    /* (boolean x): false for nil and false, true for anything else. */
    object *boolean_(int argc, args_t argv)
    {
      check_arity("boolean", argc, 1, 1);
      return boolean(truthy(argv[0]));
    }

    /* (char n): the character with code point n; a character is itself. */
    object *char_(int argc, args_t argv)
    {
      check_arity("char", argc, 1, 1);
      if(argv[0]->type == tag::character)
      {
        return argv[0];
      }
      auto const code = as_double(argv[0], "char");
      if(code < 0 || code > 0x10FFFF)
      {
        fail("Value out of range for char: " + pr_str(argv[0]));
      }
      return character(static_cast<int32_t>(code));
    }

    /* (gensym) and (gensym prefix): a fresh symbol, G__123 by default. */
    object *gensym(int argc, args_t argv)
    {
      check_arity("gensym", argc, 0, 1);
      static int64_t counter = 0;
      auto const prefix = argc == 1 ? str(argv[0]) : std::string{ "G__" };
      return symbol("", prefix + std::to_string(++counter));
    }

    /* (num x): x, which must be a number. */
    object *num(int argc, args_t argv)
    {
      check_arity("num", argc, 1, 1);
      if(!is_number(argv[0]))
      {
        fail(std::string{ "num expects a number, got " } + type_name(argv[0]));
      }
      return argv[0];
    }

    /* (uri? x): a java.net.URI (uri.cpp). */
    object *is_uri(int argc, args_t argv)
    {
      check_arity("uri?", argc, 1, 1);
      return call(core("instance?"), { class_named("java.net.URI"), argv[0] });
    }

    /* (class? x): the classes here are deftype and defrecord types. */
    object *class_p(int argc, args_t argv)
    {
      check_arity("class?", argc, 1, 1);
      return boolean(argv[0]->type == tag::record_type);
    }

    /* (find-keyword "name") and (find-keyword "ns" "name"). Clojure's gives
     * nil for a keyword nothing made; this one makes it, because a patch
     * makes its keyword constants when its code first runs, not when it is
     * read, so a keyword the program mentions may not exist yet. */
    object *find_keyword(int argc, args_t argv)
    {
      check_arity("find-keyword", argc, 1, 2);
      if(argc == 2)
      {
        return keyword(str(argv[0]), str(argv[1]));
      }
      switch(argv[0]->type)
      {
        case tag::keyword:
          return argv[0];
        case tag::symbol:
          {
            auto const *s = static_cast<symbol_obj *>(argv[0]);
            return keyword(s->ns, s->name);
          }
        default:
          {
            /* "ns/name", as (symbol "ns/name") splits it. */
            auto const text = str(argv[0]);
            auto const slash = text.find('/');
            if(slash == std::string::npos || slash == 0 || slash + 1 == text.size())
            {
              return keyword("", text);
            }
            return keyword(text.substr(0, slash), text.substr(slash + 1));
          }
      }
    }

    /* (special-symbol? 'if): the special forms, as Clojure lists them. */
    object *special_symbol_p(int argc, args_t argv)
    {
      check_arity("special-symbol?", argc, 1, 1);
      static char const *const special[] = { "def",   "loop*",  "recur", "if",     "case*",   "let*",
                                             "letfn*", "do",    "fn*",   "quote",  "var",     "import*",
                                             ".",     "set!",   "deftype*", "reify*", "try",   "catch",
                                             "throw", "finally", "monitor-enter", "monitor-exit", "new", "&" };
      if(argv[0]->type != tag::symbol || !static_cast<symbol_obj *>(argv[0])->ns.empty())
      {
        return boolean(false);
      }
      auto const &name = static_cast<symbol_obj *>(argv[0])->name;
      return boolean(std::any_of(std::begin(special), std::end(special), [&](char const *s) { return name == s; }));
    }

    native_entry const predicate_fns[] = {
      { "uri?", is_uri },
      { "class?", class_p },
      { "find-keyword", find_keyword },
      { "special-symbol?", special_symbol_p },
      { "num", num },
      { "coll?", predicate<coll_p> },
      { "sequential?", predicate<sequential_p> },
      { "associative?", predicate<associative_p> },
      { "ifn?", predicate<ifn_p> },
      { "seqable?", predicate<seqable_p> },
      { "int?", predicate<int_p> },
      { "pos-int?", predicate<pos_int_p> },
      { "neg-int?", predicate<neg_int_p> },
      { "nat-int?", predicate<nat_int_p> },
      { "double?", predicate<double_p> },
      { "float?", predicate<double_p> },
      { "boolean?", predicate<boolean_p> },
      { "char?", predicate<char_p> },
      { "true?", predicate<true_p> },
      { "false?", predicate<false_p> },
      { "any?", predicate<any_p> },
      { "list?", predicate<list_p> },
      { "var?", predicate<var_p> },
      { "indexed?", predicate<indexed_p> },
      { "reversible?", predicate<reversible_p> },
      { "delay?", predicate<delay_p> },
      { "future?", predicate<future_p> },
      { "volatile?", predicate<volatile_p> },
      { "ident?", predicate<ident_p> },
      { "simple-ident?", predicate<simple_ident_p> },
      { "qualified-ident?", predicate<qualified_ident_p> },
      { "simple-keyword?", predicate<simple_keyword_p> },
      { "qualified-keyword?", predicate<qualified_keyword_p> },
      { "simple-symbol?", predicate<simple_symbol_p> },
      { "qualified-symbol?", predicate<qualified_symbol_p> },
      { "identical?", identical_p },
      { "distinct?", distinct_p },
      { "boolean", boolean_ },
      { "char", char_ },
      { "gensym", gensym },
    };
  }

  void install_predicates()
  {
    install_natives(predicate_fns);
    /* The printer's names and escapes of characters, as Clojure's maps. */
    bind_root(intern_var("clojure.core", "char-name-string"),
              map_from({ character('\n'), string("newline"), character('\t'), string("tab"),
                         character(' '), string("space"), character('\b'), string("backspace"),
                         character('\f'), string("formfeed"), character('\r'), string("return") }));
    bind_root(intern_var("clojure.core", "char-escape-string"),
              map_from({ character('\n'), string("\\n"), character('\t'), string("\\t"),
                         character('\r'), string("\\r"), character('"'), string("\\\""),
                         character('\\'), string("\\\\"), character('\f'), string("\\f"),
                         character('\b'), string("\\b") }));
  }
}
