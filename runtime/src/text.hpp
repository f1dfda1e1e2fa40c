// Metadata, random numbers, float predicates and regular expressions (text.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace jhr
{
  struct object;

  /* o's metadata as with-meta gave it (nil when none), for *print-meta*. */
  object *stored_meta(object const *o);

  /* `to`, or a copy of it carrying `from`'s metadata: what assoc, conj, pop and
   * the rest return, as Clojure's collections keep their metadata. */
  object *carry_meta(object *from, object *to);

  /* o without metadata (a copy when it has some), as a transient starts. */
  object *without_meta(object *o);

  /* Interns meta, with-meta, rand, re-find and the rest of text.cpp's vars. */
  /* The shortest digits that read back as |v|, and the power of ten of the
   * first: d.ddd × 10^exponent, as Java prints a double. */
  std::pair<std::string, int> decimal_digits(double v);

  /* v rounded half up at `places` decimals, as Java rounds its shortest
   * decimal form (2.675 → 2.68), to print with %.Nf. */
  double java_round_half_up(double v, int places);

  /* digits (d.ddd × 10^exponent, as decimal_digits gives them) rounded half
   * up to their first `keep`, with the exponent a carry moves. */
  std::pair<std::string, int> round_digits_half_up(std::string const &digits, int exponent, size_t keep);

  /* name as the JVM's compiler names it in classes (Compiler.munge):
   * a-b? is a_b_QMARK_. Dots stay. */
  std::string munge_name(std::string_view name);

  /* The inverse (Compiler.demunge): a_b_QMARK_ is a-b?, and a class's $ a
   * slash, so clojure.core$odd_QMARK_ is clojure.core/odd?. */
  std::string demunge_name(std::string_view munged);

  void install_text();
}
