// Metadata, random numbers, float predicates and regular expressions.
#include "text.hpp"

#include "native.hpp"
#include "namespaces.hpp"
#include "object.hpp"

#include <cmath>
#include <random>
#include <regex>
#include <unordered_map>

namespace jhr
{
  struct regex_obj::compiled
  {
    std::regex re;
  };

  regex_obj::regex_obj(std::string s)
    : object{ tag::regex }
    , source{ std::move(s) }
    , re{ nullptr }
  {
    try
    {
      re = new compiled{ std::regex{ source, std::regex::ECMAScript } };
    }
    catch(std::regex_error const &e)
    {
      fail("Invalid regex #\"" + source + "\": " + e.what());
    }
  }

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
      auto const found = metadata().find(o);
      return found == metadata().end() ? nil() : found->second;
    }

    /* A copy that can carry other metadata. */
    object *copy_for_meta(object *o)
    {
      switch(o->type)
      {
        case tag::list:
          return new list_obj{ *static_cast<list_obj *>(o) };
        case tag::vector:
          return new vector_obj{ *static_cast<vector_obj *>(o) };
        case tag::vector_seq:
          return new vector_seq_obj{ *static_cast<vector_seq_obj *>(o) };
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
          return new cons_obj{ first(o), rest(o) };
        default:
          fail(std::string{ "a " } + type_name(o) + " cannot carry metadata");
      }
    }

    object *check_meta_map(object *m, char const *op)
    {
      if(m->type != tag::map && m->type != tag::nil)
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
      auto *copy = copy_for_meta(argv[0]);
      metadata()[copy] = check_meta_map(argv[1], "with-meta");
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
      auto *copy = copy_for_meta(argv[0]);
      metadata()[copy] = apply_to_meta(meta_of(argv[0]), argc, argv);
      return copy;
    }

    /* Vars and other references change their metadata in place. */
    object *reset_meta(int argc, args_t argv)
    {
      check_arity("reset-meta!", argc, 2, 2);
      metadata()[argv[0]] = check_meta_map(argv[1], "reset-meta!");
      return argv[1];
    }

    object *alter_meta(int argc, args_t argv)
    {
      check_arity("alter-meta!", argc, 2, -1);
      auto *m = apply_to_meta(meta_of(argv[0]), argc, argv);
      metadata()[argv[0]] = m;
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

    regex_obj *as_regex(object *o, char const *op)
    {
      if(o->type != tag::regex)
      {
        fail(std::string{ op } + " expects a regex, got " + type_name(o));
      }
      return static_cast<regex_obj *>(o);
    }

    std::string const &as_text(object *o, char const *op)
    {
      if(o->type != tag::string)
      {
        fail(std::string{ op } + " expects a string, got " + type_name(o));
      }
      return static_cast<string_obj *>(o)->value;
    }

    object *re_pattern(int argc, args_t argv)
    {
      check_arity("re-pattern", argc, 1, 1);
      if(argv[0]->type == tag::regex)
      {
        return argv[0];
      }
      return new regex_obj{ as_text(argv[0], "re-pattern") };
    }

    /* A match: the whole text, or [whole group1 ...] when the regex has groups. */
    object *match_value(std::smatch const &m)
    {
      if(m.size() == 1)
      {
        return string(m.str(0));
      }
      std::vector<object *> groups;
      for(size_t i = 0; i < m.size(); ++i)
      {
        groups.push_back(m[i].matched ? string(m.str(i)) : nil());
      }
      return vector_from(groups);
    }

    object *re_find(int argc, args_t argv)
    {
      check_arity("re-find", argc, 2, 2);
      auto const &text = as_text(argv[1], "re-find");
      std::smatch m;
      if(!std::regex_search(text, m, as_regex(argv[0], "re-find")->re->re))
      {
        return nil();
      }
      return match_value(m);
    }

    object *re_matches(int argc, args_t argv)
    {
      check_arity("re-matches", argc, 2, 2);
      auto const &text = as_text(argv[1], "re-matches");
      std::smatch m;
      if(!std::regex_match(text, m, as_regex(argv[0], "re-matches")->re->re))
      {
        return nil();
      }
      return match_value(m);
    }

    object *re_seq(int argc, args_t argv)
    {
      check_arity("re-seq", argc, 2, 2);
      auto const &text = as_text(argv[1], "re-seq");
      auto const &re = as_regex(argv[0], "re-seq")->re->re;
      std::vector<object *> found;
      for(std::sregex_iterator it{ text.begin(), text.end(), re }, end; it != end; ++it)
      {
        found.push_back(match_value(*it));
      }
      return found.empty() ? nil() : list_from(found);
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

    native_entry const text_fns[] = {
      { "meta", meta },
      { "with-meta", with_meta },
      { "vary-meta", vary_meta },
      { "reset-meta!", reset_meta },
      { "alter-meta!", alter_meta },
      { "rand", rand },
      { "rand-int", rand_int },
      { "infinite?", infinite_p },
      { "NaN?", nan_p },
      { "re-pattern", re_pattern },
      { "re-find", re_find },
      { "re-matches", re_matches },
      { "re-seq", re_seq },
      { "namespace", namespace_ },
    };
  }

  void install_text()
  {
    install_natives(text_fns);
  }
}
