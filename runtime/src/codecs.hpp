// java.net.URLEncoder and URLDecoder, and java.util.Base64 (codecs.cpp).
#pragma once

#include <string>

namespace jhr
{
  struct object;

  /* Binds URLEncoder/encode, URLDecoder/decode, Base64/getEncoder and the
   * rest, and StandardCharsets/UTF_8. */
  void install_codecs();

  /* A Base64 encoder's or decoder's methods (.encodeToString, .decode,
   * .withoutPadding), for jvm-method*: true, with *answer set, when the
   * target is one. */
  bool codec_method(std::string const &method, object *target, int argc, object **argv, object **answer);
}
