// clojure.lang.LineNumberingPushbackReader over the runtime's string
// readers. It keeps no count as characters pass: the line of an offset is
// counted from the text when asked, from the last offset asked about, so
// reading forms in order costs one pass over the text.
#include "line_numbering.hpp"

#include "classes.hpp"
#include "native.hpp"
#include "polymorphism.hpp"

namespace jhr
{
  namespace
  {
    /* The instance's fields. */
    enum : size_t
    {
      field_reader,      /* the reader it wraps */
      field_line_shift,  /* what setLineNumber added to the counted line */
      field_counted_text, /* the text the count below is of */
      field_counted_to,  /* an offset counted up to */
      field_counted_lines, /* line terminators before it */
    };

    record_type_obj *line_numbering_type()
    {
      static record_type_obj *type = class_named("clojure.lang.LineNumberingPushbackReader");
      return type;
    }

    int64_t field_integer(instance_obj *r, size_t field)
    {
      return static_cast<integer_obj *>(r->values[field])->value;
    }

    /* Line terminators in text[from, to): \n, \r\n and a lone \r, as
     * java.io.LineNumberReader counts them. */
    int64_t terminators(std::string const &text, size_t from, size_t to)
    {
      int64_t lines = 0;
      for(auto i = from; i < to; ++i)
      {
        if(text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')))
        {
          ++lines;
        }
      }
      return lines;
    }

    object *line_numbering_reader(int argc, args_t argv)
    {
      check_arity("line-numbering-reader*", argc, 1, 2);
      if(underlying_string_reader(argv[0]) == nullptr)
      {
        fail("clojure.lang.LineNumberingPushbackReader. expects a reader ((java.io.StringReader. s), or *in* inside with-in-str), got "
             + a_type_name(argv[0]));
      }
      return new instance_obj{ line_numbering_type(), { argv[0], integer(0), nil(), integer(0), integer(0) } };
    }

    constexpr native_entry line_numbering_fns[] = {
      { "line-numbering-reader*", line_numbering_reader },
    };
  }

  bool is_line_numbering_reader(object *x)
  {
    return x->type == tag::instance && static_cast<instance_obj *>(x)->type == line_numbering_type();
  }

  text_position position_in(instance_obj *r, size_t offset)
  {
    auto *text_object = underlying_string_reader(r)->values[0];
    auto const &text = static_cast<string_obj *>(text_object)->value;
    offset = std::min(offset, text.size());
    auto counted_to = static_cast<size_t>(field_integer(r, field_counted_to));
    auto lines = field_integer(r, field_counted_lines);
    /* Counted again from the start when the text changed (an unread that
     * put new characters in) or the offset is behind the count. */
    if(r->values[field_counted_text] != text_object || offset < counted_to)
    {
      counted_to = 0;
      lines = 0;
    }
    lines += terminators(text, counted_to, offset);
    r->values[field_counted_text] = text_object;
    r->values[field_counted_to] = integer(static_cast<int64_t>(offset));
    r->values[field_counted_lines] = integer(lines);
    /* The column counts characters, not bytes, since the line began. */
    auto line_start = offset;
    while(line_start > 0 && text[line_start - 1] != '\n' && text[line_start - 1] != '\r')
    {
      --line_start;
    }
    int64_t column = 1;
    for(auto i = line_start; i < offset; ++i)
    {
      column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 ? 1 : 0;
    }
    return { 1 + lines + field_integer(r, field_line_shift), column };
  }

  bool line_numbering_method(std::string const &method, object *target, int argc, object **args, object **answer)
  {
    if(!is_line_numbering_reader(target))
    {
      return false;
    }
    auto *r = static_cast<instance_obj *>(target);
    auto const here = [r] {
      return position_in(r, static_cast<size_t>(static_cast<integer_obj *>(underlying_string_reader(r)->values[1])->value));
    };
    if(method == "getLineNumber" && argc == 0)
      *answer = integer(here().line);
    else if(method == "getColumnNumber" && argc == 0)
      *answer = integer(here().column);
    else if(method == "atLineStart" && argc == 0)
      *answer = boolean(here().column == 1);
    else if(method == "setLineNumber" && argc == 1)
    {
      if(args[0]->type != tag::integer)
      {
        fail(".setLineNumber expects an int, got " + a_type_name(args[0]));
      }
      auto const shift = field_integer(r, field_line_shift);
      r->values[field_line_shift] = integer(static_cast<integer_obj *>(args[0])->value - (here().line - shift));
      *answer = nil();
    }
    else
      return false;
    return true;
  }

  void install_line_numbering()
  {
    install_natives(line_numbering_fns);
    /* *in*, which with-in-str binds: the page has no console, so at its
     * root it is a reader at its end, of the class Clojure's *in* is. */
    object *empty[] = { call(core("string-reader*"), { string("") }) };
    bind_root(intern_var("clojure.core", "*in*"), line_numbering_reader(1, empty));
  }
}
