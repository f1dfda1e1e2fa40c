// java.util.Locale, as a value code passes to case and format methods
// (locale.cpp).
#pragma once

#include <string>

namespace jhr
{
  struct object;

  /* Interns locale-new*, Locale's statics and constants (US, ROOT, ...). */
  void install_locale();

  /* Whether x is a java.util.Locale: String/format and the case methods
   * take one first, and the page formats and cases as the root locale. */
  bool is_locale(object const *x);

  /* A Locale's methods (.getLanguage, .toLanguageTag, ...), for jvm-method*:
   * true, with *answer set, when the target is a Locale. */
  bool locale_method(std::string const &method, object *target, int argc, object **answer);
}
