// java.util.Locale: a language, a country and a variant, as code hands one to
// String.toUpperCase or String/format to pin the JVM's locale-dependent
// behaviour (honeysql's upper-case in Locale/US). The page has one behaviour,
// the root locale's, so a Locale here is only a value: it prints, compares and
// answers its getters as Java's does, and the default locale can be read and
// set, but nothing formats or cases differently because of it.
#include "locale.hpp"

#include "classes.hpp"
#include "hash.hpp"
#include "lang.hpp"
#include "native.hpp"
#include "object.hpp"

#include <cctype>
#include <string>

namespace jhr
{
  namespace
  {
    record_type_obj *locale_type();

    instance_obj *as_locale(object const *x)
    {
      return x->type == tag::instance && static_cast<instance_obj const *>(x)->type == locale_type()
        ? const_cast<instance_obj *>(static_cast<instance_obj const *>(x))
        : nullptr;
    }

    std::string const &part(instance_obj const *l, size_t i)
    {
      return static_cast<string_obj *>(l->values[i])->value;
    }

    std::string cased(std::string s, bool upper)
    {
      for(auto &c : s)
      {
        auto const u = static_cast<unsigned char>(c);
        c = static_cast<char>(upper ? std::toupper(u) : std::tolower(u));
      }
      return s;
    }

    /* Locale.toString: "en_US", "en", "_US", "en_US_POSIX". */
    std::string text_of(instance_obj const *l)
    {
      auto const &language = part(l, 0);
      auto const &country = part(l, 1);
      auto const &variant = part(l, 2);
      if(country.empty() && variant.empty())
      {
        return language;
      }
      return language + "_" + country + (variant.empty() ? "" : "_" + variant);
    }

    /* Locale.toLanguageTag: "en-US"; the root locale is "und". */
    std::string language_tag(instance_obj const *l)
    {
      auto tag = part(l, 0).empty() ? std::string{ "und" } : part(l, 0);
      if(!part(l, 1).empty())
      {
        tag += "-" + part(l, 1);
      }
      if(!part(l, 2).empty())
      {
        tag += "-" + part(l, 2);
      }
      return tag;
    }

    record_type_obj *locale_type()
    {
      static record_type_obj *type = [] {
        auto *t = class_named("java.util.Locale");
        t->to_string = permanent_method("toString", [](int, args_t argv) -> object * {
          return string(text_of(as_locale(argv[0])));
        });
        t->equals_fn = permanent_method("equals", [](int, args_t argv) {
          auto *other = as_locale(argv[1]);
          return boolean(other != nullptr && text_of(other) == text_of(as_locale(argv[0])));
        });
        t->hash_fn = permanent_method("hashCode", [](int, args_t argv) {
          return integer(static_cast<int32_t>(hash(string(text_of(as_locale(argv[0]))))));
        });
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    /* Java lower-cases the language and upper-cases the country; the variant
     * stays as given. */
    object *make_locale(std::string const &language, std::string const &country, std::string const &variant)
    {
      auto *l = new instance_obj{ locale_type(),
                                  { string(cased(language, false)), string(cased(country, true)), string(variant) } };
      return l;
    }

    std::string const &text_arg(object *x, char const *what)
    {
      if(x->type != tag::string)
      {
        fail(std::string{ what } + " expects a string, got " + type_name(x));
      }
      return static_cast<string_obj *>(x)->value;
    }

    /* (locale-new* language [country [variant]]): (java.util.Locale. ...). */
    object *locale_new(int argc, args_t argv)
    {
      check_arity("Locale.", argc, 1, 3);
      return make_locale(text_arg(argv[0], "Locale."),
                         argc > 1 ? text_arg(argv[1], "Locale.") : "",
                         argc > 2 ? text_arg(argv[2], "Locale.") : "");
    }

    object *&default_locale()
    {
      static object *locale = [] {
        auto *l = make_locale("en", "US", "");
        gc::make_permanent(l);
        return l;
      }();
      return locale;
    }

    /* Locale/forLanguageTag "en-US": the language, then a region of two
     * letters or three digits; "und" and "" are the root locale. */
    object *for_language_tag(int argc, args_t argv)
    {
      check_arity("Locale/forLanguageTag", argc, 1, 1);
      auto const &tag = text_arg(argv[0], "Locale/forLanguageTag");
      std::string subtags[3];
      size_t n = 0;
      for(size_t start = 0; start <= tag.size() && n < 3;)
      {
        auto const end = std::min(tag.find_first_of("-_", start), tag.size());
        subtags[n++] = tag.substr(start, end - start);
        start = end + 1;
      }
      auto const language = subtags[0] == "und" ? std::string{} : subtags[0];
      return make_locale(language, subtags[1], "");
    }

    /* (.toUpperCase s locale) and (.toLowerCase s locale). */
    template <bool upper>
    object *case_in_locale(int argc, args_t argv)
    {
      check_arity(upper ? "toUpperCase" : "toLowerCase", argc, 2, 2);
      if(as_locale(argv[1]) == nullptr)
      {
        fail("Cannot cast " + class_name_of(argv[1]) + " to java.util.Locale");
      }
      return call(deref(intern_var("clojure.string", upper ? "upper-case" : "lower-case")), { argv[0] });
    }

    native_entry const locale_fns[] = {
      { "locale-new*", locale_new },
      { "upper-case-in*", case_in_locale<true> },
      { "lower-case-in*", case_in_locale<false> },
    };

    native_entry const locale_statics[] = {
      { "getDefault",
        [](int argc, args_t) -> object * {
          check_arity("Locale/getDefault", argc, 0, 1);
          return default_locale();
        } },
      { "setDefault",
        [](int argc, args_t argv) -> object * {
          check_arity("Locale/setDefault", argc, 1, 2);
          auto *l = argv[argc - 1];
          if(as_locale(l) == nullptr)
          {
            fail("Locale/setDefault expects a java.util.Locale, got " + class_name_of(l));
          }
          gc::make_permanent(l);
          default_locale() = l;
          return nil();
        } },
      { "forLanguageTag", for_language_tag },
    };
  }

  bool is_locale(object const *x)
  {
    return as_locale(x) != nullptr;
  }

  bool locale_method(std::string const &method, object *target, int argc, object **answer)
  {
    auto *l = as_locale(target);
    if(l == nullptr || argc != 0)
    {
      return false;
    }
    if(method == "getLanguage")
      *answer = l->values[0];
    else if(method == "getCountry")
      *answer = l->values[1];
    else if(method == "getVariant")
      *answer = l->values[2];
    else if(method == "toLanguageTag")
      *answer = string(language_tag(l));
    else
      return false;
    return true;
  }

  void install_locale()
  {
    install_natives(locale_fns);
    install_natives(locale_statics, "Locale");
    struct named
    {
      char const *name, *language, *country;
    };
    static named const constants[] = {
      { "ROOT", "", "" },         { "ENGLISH", "en", "" },    { "US", "en", "US" },
      { "UK", "en", "GB" },       { "CANADA", "en", "CA" },   { "FRENCH", "fr", "" },
      { "FRANCE", "fr", "FR" },   { "CANADA_FRENCH", "fr", "CA" }, { "GERMAN", "de", "" },
      { "GERMANY", "de", "DE" },  { "ITALIAN", "it", "" },    { "ITALY", "it", "IT" },
      { "JAPANESE", "ja", "" },   { "JAPAN", "ja", "JP" },    { "KOREAN", "ko", "" },
      { "KOREA", "ko", "KR" },    { "CHINESE", "zh", "" },    { "CHINA", "zh", "CN" },
    };
    for(auto const &c : constants)
    {
      auto *l = make_locale(c.language, c.country, "");
      gc::make_permanent(l);
      bind_root(intern_var("Locale", c.name), l);
    }
  }
}
