// java.net.URI: a URI parsed into its parts as Java parses it (RFC 2396, the
// grammar java.net.URI follows), for code that builds links and reads them
// back: hiccup's (URI. "/foo"), (.getHost u), (.getPath u). A URI prints and
// converts to its text, equals another with the same parts (scheme and host
// in any case, as Java compares them), and a string with a character a URI
// cannot hold is Java's URISyntaxException, with its message.
#include "uri.hpp"

#include "classes.hpp"
#include "hash.hpp"
#include "lang.hpp"
#include "native.hpp"
#include "object.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>

namespace jhr
{
  namespace
  {
    /* A URI's parts, raw (percent escapes kept); absent parts are nullopt. */
    struct uri_parts
    {
      std::optional<std::string> scheme;
      std::optional<std::string> scheme_specific; /* an opaque URI's, or the raw text after the scheme */
      std::optional<std::string> authority;
      std::optional<std::string> user_info;
      std::optional<std::string> host;
      int port = -1;
      std::optional<std::string> path;
      std::optional<std::string> query;
      std::optional<std::string> fragment;
      bool opaque = false;
    };

    [[noreturn]] void syntax_error(std::string const &what, std::string const &input, size_t at)
    {
      fail(what + " at index " + std::to_string(at) + ": " + input);
    }

    bool is_hex(char c)
    {
      return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    }

    /* Whether c may stand in a URI's component unescaped: RFC 2396's
     * unreserved and reserved characters, and Java's "other" characters
     * (any that are not US-ASCII, control or space). */
    bool allowed(unsigned char c, bool brackets)
    {
      if(c >= 0x80)
      {
        return true;
      }
      if(std::isalnum(c))
      {
        return true;
      }
      static constexpr std::string_view marks = "-_.!~*'();/?:@&=+$,";
      return marks.find(static_cast<char>(c)) != std::string_view::npos || (brackets && (c == '[' || c == ']'));
    }

    /* Checks a component from `from` to `to` of the input, named as Java
     * names it in its errors. */
    void check(std::string const &input, size_t from, size_t to, char const *component, bool brackets = false)
    {
      for(size_t i = from; i < to; ++i)
      {
        auto const c = static_cast<unsigned char>(input[i]);
        if(c == '%')
        {
          if(i + 2 >= to || !is_hex(input[i + 1]) || !is_hex(input[i + 2]))
          {
            syntax_error("Malformed escape pair", input, i);
          }
          i += 2;
          continue;
        }
        if(!allowed(c, brackets))
        {
          syntax_error(std::string{ "Illegal character in " } + component, input, i);
        }
      }
    }

    /* [user-info@]host[:port], when the authority is a server's; Java leaves
     * the host undefined (registry-based) otherwise. */
    void parse_server(uri_parts &parts)
    {
      auto const &authority = *parts.authority;
      auto rest = authority;
      if(auto const at = rest.rfind('@'); at != std::string::npos)
      {
        parts.user_info = rest.substr(0, at);
        rest = rest.substr(at + 1);
      }
      std::string host = rest;
      std::string port;
      if(!rest.empty() && rest.front() == '[')
      {
        auto const close = rest.find(']');
        if(close == std::string::npos)
        {
          return;
        }
        host = rest.substr(0, close + 1);
        if(close + 1 < rest.size())
        {
          if(rest[close + 1] != ':')
          {
            return;
          }
          port = rest.substr(close + 2);
        }
      }
      else if(auto const colon = rest.rfind(':'); colon != std::string::npos)
      {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
      }
      if(host.empty())
      {
        parts.user_info.reset();
        return;
      }
      for(auto const c : host)
      {
        if(!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '[' || c == ']' || c == ':'))
        {
          parts.user_info.reset();
          return;
        }
      }
      if(!port.empty())
      {
        for(auto const c : port)
        {
          if(!std::isdigit(static_cast<unsigned char>(c)))
          {
            parts.user_info.reset();
            return;
          }
        }
        parts.port = std::stoi(port);
      }
      parts.host = host;
    }

    uri_parts parse(std::string const &input)
    {
      uri_parts parts;
      size_t at = 0;
      /* A scheme: a letter, then letters, digits, "+", "-" or ".", then ":". */
      auto const colon = input.find_first_of(":/?#");
      if(colon != std::string::npos && input[colon] == ':')
      {
        if(colon == 0)
        {
          syntax_error("Expected scheme name", input, 0);
        }
        for(size_t i = 0; i < colon; ++i)
        {
          auto const c = static_cast<unsigned char>(input[i]);
          if(!(std::isalpha(c) || (i > 0 && (std::isdigit(c) || c == '+' || c == '-' || c == '.'))))
          {
            syntax_error("Illegal character in scheme name", input, i);
          }
        }
        parts.scheme = input.substr(0, colon);
        at = colon + 1;
        if(at == input.size())
        {
          syntax_error("Expected scheme-specific part", input, at);
        }
      }
      auto const hash = input.find('#', at);
      auto const end = hash == std::string::npos ? input.size() : hash;
      if(hash != std::string::npos)
      {
        check(input, hash + 1, input.size(), "fragment");
        parts.fragment = input.substr(hash + 1);
      }
      parts.scheme_specific = input.substr(at, end - at);
      if(parts.scheme && input[at] != '/')
      {
        check(input, at, end, "opaque part");
        parts.opaque = true;
        return parts;
      }
      if(input.compare(at, 2, "//") == 0)
      {
        auto const authority_end = std::min(end, input.find_first_of("/?", at + 2));
        check(input, at + 2, authority_end, "authority", true);
        if(authority_end > at + 2)
        {
          parts.authority = input.substr(at + 2, authority_end - at - 2);
          parse_server(parts);
        }
        at = authority_end;
      }
      auto const question = input.find('?', at);
      auto const path_end = question == std::string::npos || question > end ? end : question;
      check(input, at, path_end, "path");
      parts.path = input.substr(at, path_end - at);
      if(path_end < end)
      {
        check(input, path_end + 1, end, "query");
        parts.query = input.substr(path_end + 1, end - path_end - 1);
      }
      return parts;
    }

    /* A component with its percent escapes decoded, as UTF-8. */
    std::string decoded(std::string const &raw)
    {
      std::string out;
      for(size_t i = 0; i < raw.size(); ++i)
      {
        if(raw[i] == '%' && i + 2 < raw.size() && is_hex(raw[i + 1]) && is_hex(raw[i + 2]))
        {
          out += static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16));
          i += 2;
        }
        else
        {
          out += raw[i];
        }
      }
      return out;
    }

    std::string lower(std::string s)
    {
      for(auto &c : s)
      {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      return s;
    }

    record_type_obj *uri_type();

    instance_obj *as_uri(object *x)
    {
      return x->type == tag::instance && static_cast<instance_obj *>(x)->type == uri_type()
        ? static_cast<instance_obj *>(x)
        : nullptr;
    }

    std::string const &text_of(instance_obj *u)
    {
      return static_cast<string_obj *>(u->values[0])->value;
    }

    /* What equality compares: the parts, with the scheme and host in lower case. */
    std::string identity_of(instance_obj *u)
    {
      auto const parts = parse(text_of(u));
      auto const part = [](std::optional<std::string> const &p) { return p ? "+" + *p : std::string{ "-" }; };
      return part(parts.scheme ? std::optional{ lower(*parts.scheme) } : std::nullopt) + "\n"
        + part(parts.host ? std::optional{ lower(*parts.host) } : parts.authority) + "\n" + std::to_string(parts.port)
        + "\n" + part(parts.user_info) + "\n" + part(parts.opaque ? parts.scheme_specific : parts.path) + "\n"
        + part(parts.query) + "\n" + part(parts.fragment);
    }

    record_type_obj *uri_type()
    {
      static record_type_obj *type = [] {
        auto *t = class_named("java.net.URI");
        t->to_string = permanent_method("toString", [](int, args_t argv) { return as_uri(argv[0])->values[0]; });
        t->equals_fn = permanent_method("equals", [](int, args_t argv) {
          auto *other = as_uri(argv[1]);
          return boolean(other != nullptr && identity_of(as_uri(argv[0])) == identity_of(other));
        });
        t->hash_fn = permanent_method("hashCode", [](int, args_t argv) {
          return integer(static_cast<int32_t>(hash(string(identity_of(as_uri(argv[0]))))));
        });
        t->compare_fn = permanent_method("compareTo", [](int, args_t argv) {
          auto *other = as_uri(argv[1]);
          if(other == nullptr)
          {
            fail("Cannot cast " + class_name_of(argv[1]) + " to java.net.URI");
          }
          auto const order = text_of(as_uri(argv[0])).compare(text_of(other));
          return integer(order < 0 ? -1 : order > 0 ? 1 : 0);
        });
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    /* (uri-new* text): (java.net.URI. text). */
    object *uri_new(int argc, args_t argv)
    {
      check_arity("URI.", argc, 1, 1);
      if(argv[0]->type != tag::string)
      {
        fail(std::string{ "URI. expects a string, got " } + type_name(argv[0]));
      }
      parse(static_cast<string_obj *>(argv[0])->value);
      return new instance_obj{ uri_type(), { argv[0] } };
    }

    // ---- java.net.URL --------------------------------------------------------------

    /* A URL's parts as java.net.URL splits them: it checks only that the
     * protocol is one it knows, and keeps every other character as written. */
    struct url_parts
    {
      std::string protocol;
      std::string host; /* "" when none, as URL gives it */
      int port = -1;
      std::optional<std::string> authority;
      std::optional<std::string> user_info;
      std::string path; /* "" when none */
      std::optional<std::string> query;
      std::optional<std::string> ref;
    };

    [[noreturn]] void malformed_url(std::string const &message)
    {
      throw_value(new ex_info_obj{ message, nil(), nil(), "java.net.MalformedURLException" });
    }

    url_parts parse_url(std::string const &spec)
    {
      url_parts out;
      auto rest = spec;
      if(auto const hash = rest.find('#'); hash != std::string::npos)
      {
        out.ref = rest.substr(hash + 1);
        rest.resize(hash);
      }
      size_t colon = 0;
      while(colon < rest.size()
            && (std::isalnum(static_cast<unsigned char>(rest[colon])) || (colon > 0 && std::strchr("+.-", rest[colon]))))
      {
        ++colon;
      }
      if(colon == 0 || colon >= rest.size() || rest[colon] != ':' || !std::isalpha(static_cast<unsigned char>(rest[0])))
      {
        malformed_url("no protocol: " + spec);
      }
      out.protocol = lower(rest.substr(0, colon));
      static constexpr std::string_view known[] = { "http", "https", "ftp", "file", "jar", "mailto" };
      if(std::find(std::begin(known), std::end(known), out.protocol) == std::end(known))
      {
        malformed_url("unknown protocol: " + out.protocol);
      }
      rest = rest.substr(colon + 1);
      if(rest.starts_with("//"))
      {
        auto const end = rest.find_first_of("/?", 2);
        auto const authority = rest.substr(2, end == std::string::npos ? std::string::npos : end - 2);
        out.authority = authority;
        auto host = authority;
        if(auto const at = host.rfind('@'); at != std::string::npos)
        {
          out.user_info = host.substr(0, at);
          host = host.substr(at + 1);
        }
        auto const port_colon = host.rfind(':');
        if(port_colon != std::string::npos && host.find(']', port_colon) == std::string::npos)
        {
          auto const digits = host.substr(port_colon + 1);
          if(!digits.empty())
          {
            if(digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 9)
            {
              malformed_url("For input string: \"" + digits + "\"");
            }
            out.port = std::stoi(digits);
          }
          host.resize(port_colon);
        }
        out.host = host;
        rest = end == std::string::npos ? std::string{} : rest.substr(end);
      }
      if(auto const question = rest.find('?'); question != std::string::npos)
      {
        out.query = rest.substr(question + 1);
        rest.resize(question);
      }
      out.path = rest;
      return out;
    }

    record_type_obj *url_type();

    instance_obj *as_url(object *x)
    {
      return x->type == tag::instance && static_cast<instance_obj *>(x)->type == url_type()
        ? static_cast<instance_obj *>(x)
        : nullptr;
    }

    record_type_obj *url_type()
    {
      static record_type_obj *type = [] {
        auto *t = class_named("java.net.URL");
        t->to_string = permanent_method("toString", [](int, args_t argv) { return as_url(argv[0])->values[0]; });
        /* Equal by their text (Java's also resolves the hosts, which the page cannot). */
        t->equals_fn = permanent_method("equals", [](int, args_t argv) {
          auto *other = as_url(argv[1]);
          return boolean(other != nullptr && text_of(as_url(argv[0])) == text_of(other));
        });
        t->hash_fn = permanent_method("hashCode", [](int, args_t argv) {
          return integer(static_cast<int32_t>(hash(as_url(argv[0])->values[0])));
        });
        gc::make_permanent(t);
        return t;
      }();
      return type;
    }

    /* (url-new* text): (java.net.URL. text). */
    object *url_new(int argc, args_t argv)
    {
      check_arity("URL.", argc, 1, 1);
      if(argv[0]->type != tag::string)
      {
        fail(std::string{ "URL. expects a string, got " } + type_name(argv[0]));
      }
      parse_url(static_cast<string_obj *>(argv[0])->value);
      return new instance_obj{ url_type(), { argv[0] } };
    }

    bool url_method(std::string const &method, instance_obj *u, object **answer)
    {
      auto const parts = parse_url(text_of(u));
      auto const text = [](std::optional<std::string> const &part) -> object * { return part ? string(*part) : nil(); };
      if(method == "getProtocol")
        *answer = string(parts.protocol);
      else if(method == "getHost")
        *answer = string(parts.host);
      else if(method == "getPort")
        *answer = integer(parts.port);
      else if(method == "getDefaultPort")
        *answer = integer(parts.protocol == "http" ? 80 : parts.protocol == "https" ? 443 : parts.protocol == "ftp" ? 21 : -1);
      else if(method == "getPath")
        *answer = string(parts.path);
      else if(method == "getQuery")
        *answer = text(parts.query);
      else if(method == "getFile")
        *answer = string(parts.path + (parts.query ? "?" + *parts.query : std::string{}));
      else if(method == "getRef")
        *answer = text(parts.ref);
      else if(method == "getAuthority")
        *answer = text(parts.authority);
      else if(method == "getUserInfo")
        *answer = text(parts.user_info);
      else if(method == "toExternalForm")
        *answer = u->values[0];
      else if(method == "toURI")
      {
        object *args[] = { u->values[0] };
        *answer = uri_new(1, args);
      }
      else
        return false;
      return true;
    }

    native_entry const uri_fns[] = {
      { "uri-new*", uri_new },
      { "url-new*", url_new },
    };

    /* URI/create: the constructor, as a static. */
    native_entry const uri_statics[] = {
      { "create", uri_new },
    };
  }

  bool uri_method(std::string const &method, object *target, int argc, object **answer)
  {
    if(auto *url = as_url(target); url != nullptr && argc == 0)
    {
      return url_method(method, url, answer);
    }
    auto *u = as_uri(target);
    if(u == nullptr || argc != 0)
    {
      return false;
    }
    auto const parts = parse(text_of(u));
    auto const text = [&](std::optional<std::string> const &part, bool decode) -> object * {
      return part ? string(decode ? decoded(*part) : *part) : nil();
    };
    if(method == "getScheme")
      *answer = text(parts.scheme, false);
    else if(method == "getSchemeSpecificPart" || method == "getRawSchemeSpecificPart")
      *answer = text(parts.scheme_specific, method == "getSchemeSpecificPart");
    else if(method == "getAuthority" || method == "getRawAuthority")
      *answer = text(parts.authority, method == "getAuthority");
    else if(method == "getUserInfo" || method == "getRawUserInfo")
      *answer = text(parts.user_info, method == "getUserInfo");
    else if(method == "getHost")
      *answer = text(parts.host, false);
    else if(method == "getPort")
      *answer = integer(parts.port);
    else if(method == "getPath" || method == "getRawPath")
      *answer = text(parts.opaque ? std::nullopt : parts.path, method == "getPath");
    else if(method == "getQuery" || method == "getRawQuery")
      *answer = text(parts.query, method == "getQuery");
    else if(method == "getFragment" || method == "getRawFragment")
      *answer = text(parts.fragment, method == "getFragment");
    else if(method == "isAbsolute")
      *answer = boolean(parts.scheme.has_value());
    else if(method == "isOpaque")
      *answer = boolean(parts.opaque);
    else
      return false;
    return true;
  }

  void install_uri()
  {
    install_natives(uri_fns);
    install_natives(uri_statics, "URI");
  }
}
