// Text codecs Clojure programs call through interop: java.net.URLEncoder and
// URLDecoder (form encoding, as a query string is built), and java.util.Base64's
// encoders and decoders, over byte arrays as (.getBytes s) makes them. Each
// gives what Java gives, and bad input is Java's IllegalArgumentException.
#include "codecs.hpp"

#include "classes.hpp"
#include "native.hpp"
#include "object.hpp"
#include "utf8.hpp"

#include <array>
#include <string>
#include <vector>

namespace jhr
{
  namespace
  {
    constexpr char hex_digits[] = "0123456789ABCDEF";

    std::string const &text_arg(object *o, char const *op)
    {
      if(o->type != tag::string)
      {
        fail(std::string{ op } + " expects a string, got " + type_name(o));
      }
      return static_cast<string_obj *>(o)->value;
    }

    /* The charset argument: UTF-8 is the only one a page's text is in. */
    void check_charset(object *o, char const *op)
    {
      auto const &name = text_arg(o, op);
      if(name != "UTF-8" && name != "utf-8" && name != "UTF8" && name != "utf8")
      {
        fail("Unsupported charset: " + name + " (" + op + " here encodes UTF-8 only)");
      }
    }

    /* URLEncoder.encode: letters, digits and ".-*_" stay, a space is "+",
     * every other byte of the UTF-8 text is %XX. */
    object *url_encode(int argc, args_t argv)
    {
      check_arity("URLEncoder/encode", argc, 1, 2);
      auto const &text = text_arg(argv[0], "URLEncoder/encode");
      if(argc == 2)
      {
        check_charset(argv[1], "URLEncoder/encode");
      }
      std::string out;
      for(unsigned char const c : text)
      {
        if(std::isalnum(c) || c == '.' || c == '-' || c == '*' || c == '_')
        {
          out += static_cast<char>(c);
        }
        else if(c == ' ')
        {
          out += '+';
        }
        else
        {
          out += '%';
          out += hex_digits[c >> 4];
          out += hex_digits[c & 15];
        }
      }
      return string(std::move(out));
    }

    /* URLDecoder.decode: "+" is a space and %XX a byte, read back as UTF-8. */
    object *url_decode(int argc, args_t argv)
    {
      check_arity("URLDecoder/decode", argc, 1, 2);
      auto const &text = text_arg(argv[0], "URLDecoder/decode");
      if(argc == 2)
      {
        check_charset(argv[1], "URLDecoder/decode");
      }
      std::string out;
      for(size_t i = 0; i < text.size(); ++i)
      {
        auto const c = text[i];
        if(c == '+')
        {
          out += ' ';
          continue;
        }
        if(c != '%')
        {
          out += c;
          continue;
        }
        if(i + 2 >= text.size())
        {
          fail("URLDecoder: Incomplete trailing escape (%) pattern");
        }
        auto const high = utf8::hex_digit(text[i + 1]), low = utf8::hex_digit(text[i + 2]);
        if(high < 0 || low < 0)
        {
          fail("URLDecoder: Illegal hex characters in escape (%) pattern - Error at index "
               + std::to_string(high < 0 ? 0 : 1) + " in: \""
               + text.substr(i + 1, 2) + "\"");
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
      }
      return string(std::move(out));
    }

    // ---- java.util.Base64 --------------------------------------------------------

    constexpr char basic_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    constexpr char url_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /* An encoder's or decoder's fields: whether it is the URL-safe alphabet,
     * and (an encoder's) whether it pads with "=". */
    enum field : size_t
    {
      url_field = 0,
      padding_field = 1,
    };

    record_type_obj *coder_type(bool encoder)
    {
      static record_type_obj *types[2] = {};
      auto *&t = types[encoder ? 1 : 0];
      if(t == nullptr)
      {
        t = class_named(encoder ? "java.util.Base64$Encoder" : "java.util.Base64$Decoder");
        gc::make_permanent(t);
      }
      return t;
    }

    instance_obj *as_coder(object *x, bool encoder)
    {
      return x->type == tag::instance && static_cast<instance_obj *>(x)->type == coder_type(encoder)
        ? static_cast<instance_obj *>(x)
        : nullptr;
    }

    object *make_coder(bool encoder, bool url, bool padding = true)
    {
      auto *c = new instance_obj{ coder_type(encoder), { boolean(url), boolean(padding) } };
      return c;
    }

    /* A byte array's bytes. */
    std::string bytes_of(object *o, char const *op)
    {
      if(o->type == tag::array)
      {
        std::string out;
        for(auto *b : static_cast<array_obj *>(o)->items)
        {
          out += static_cast<char>(as<integer_obj>(b, tag::integer, "a byte")->value & 0xFF);
        }
        return out;
      }
      fail(std::string{ op } + " expects a byte array, got " + type_name(o));
    }

    object *byte_array(std::string const &bytes)
    {
      std::vector<object *> items;
      items.reserve(bytes.size());
      for(unsigned char const c : bytes)
      {
        items.push_back(integer(static_cast<int8_t>(c)));
      }
      return new array_obj{ std::move(items), 'B' };
    }

    std::string encode(std::string const &bytes, bool url, bool padding)
    {
      auto const *alphabet = url ? url_alphabet : basic_alphabet;
      std::string out;
      size_t i = 0;
      for(; i + 3 <= bytes.size(); i += 3)
      {
        uint32_t const n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8)
          | static_cast<unsigned char>(bytes[i + 2]);
        out += alphabet[n >> 18];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += alphabet[n & 63];
      }
      auto const rest = bytes.size() - i;
      if(rest > 0)
      {
        uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
        if(rest == 2)
        {
          n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        }
        out += alphabet[n >> 18];
        out += alphabet[(n >> 12) & 63];
        if(rest == 2)
        {
          out += alphabet[(n >> 6) & 63];
        }
        if(padding)
        {
          out += rest == 2 ? "=" : "==";
        }
      }
      return out;
    }

    /* Base64.Decoder.decode, step for step as Java's decode0 reads, so
     * that bad input fails with Java's message. */
    std::string decode(std::string const &text, bool url)
    {
      if(text.size() == 1)
      {
        fail("Input byte[] should at least have 2 bytes for base64 bytes");
      }
      std::array<int, 256> values{};
      values.fill(-1);
      values['='] = -2;
      auto const *alphabet = url ? url_alphabet : basic_alphabet;
      for(int i = 0; i < 64; ++i)
      {
        values[static_cast<unsigned char>(alphabet[i])] = i;
      }
      std::string out;
      uint32_t bits = 0;
      int shift = 18;
      size_t at = 0;
      while(at < text.size())
      {
        auto const byte = static_cast<unsigned char>(text[at++]);
        auto const v = values[byte];
        if(v == -2)
        {
          if((shift == 6 && (at == text.size() || text[at++] != '=')) || shift == 18)
          {
            fail("Input byte array has wrong 4-byte ending unit");
          }
          break;
        }
        if(v < 0)
        {
          char hex[8];
          auto const signed_byte = static_cast<int8_t>(byte);
          std::snprintf(hex, sizeof hex, signed_byte < 0 ? "-%x" : "%x", signed_byte < 0 ? -signed_byte : signed_byte);
          fail("Illegal base64 character " + std::string{ hex });
        }
        bits |= static_cast<uint32_t>(v) << shift;
        shift -= 6;
        if(shift < 0)
        {
          out += static_cast<char>(bits >> 16);
          out += static_cast<char>((bits >> 8) & 0xFF);
          out += static_cast<char>(bits & 0xFF);
          shift = 18;
          bits = 0;
        }
      }
      if(shift == 6)
      {
        out += static_cast<char>(bits >> 16);
      }
      else if(shift == 0)
      {
        out += static_cast<char>(bits >> 16);
        out += static_cast<char>((bits >> 8) & 0xFF);
      }
      else if(shift == 12)
      {
        fail("Last unit does not have enough valid bits");
      }
      if(at < text.size())
      {
        fail("Input byte array has incorrect ending byte at " + std::to_string(at));
      }
      return out;
    }

    native_entry const url_encoder_fns[] = {
      { "encode", url_encode },
    };
    native_entry const url_decoder_fns[] = {
      { "decode", url_decode },
    };
    native_entry const base64_fns[] = {
      { "getEncoder", [](int argc, args_t) { check_arity("Base64/getEncoder", argc, 0, 0); return make_coder(true, false); } },
      { "getDecoder", [](int argc, args_t) { check_arity("Base64/getDecoder", argc, 0, 0); return make_coder(false, false); } },
      { "getUrlEncoder", [](int argc, args_t) { check_arity("Base64/getUrlEncoder", argc, 0, 0); return make_coder(true, true); } },
      { "getUrlDecoder", [](int argc, args_t) { check_arity("Base64/getUrlDecoder", argc, 0, 0); return make_coder(false, true); } },
    };
  }

  bool codec_method(std::string const &method, object *target, int argc, object **argv, object **answer)
  {
    if(auto *e = as_coder(target, true))
    {
      bool const url = e->values[url_field] == boolean(true), padding = e->values[padding_field] == boolean(true);
      if(method == "withoutPadding" && argc == 0)
      {
        *answer = make_coder(true, url, false);
        return true;
      }
      if((method == "encodeToString" || method == "encode") && argc == 1)
      {
        auto const text = encode(bytes_of(argv[0], "Base64.Encoder.encode"), url, padding);
        *answer = method == "encode" ? byte_array(text) : string(text);
        return true;
      }
      return false;
    }
    if(auto *d = as_coder(target, false); d != nullptr && method == "decode" && argc == 1)
    {
      auto const text = argv[0]->type == tag::string ? static_cast<string_obj *>(argv[0])->value
                                                     : bytes_of(argv[0], "Base64.Decoder.decode");
      *answer = byte_array(decode(text, d->values[url_field] == boolean(true)));
      return true;
    }
    return false;
  }

  void install_codecs()
  {
    install_natives(url_encoder_fns, "URLEncoder");
    install_natives(url_decoder_fns, "URLDecoder");
    install_natives(base64_fns, "Base64");
    bind_root(intern_var("StandardCharsets", "UTF_8"), string("UTF-8"));
  }
}
