// slurp and spit, on Emscripten's file system: in a page, the in-memory FS
// the client writes patches into; under Node, the same. A program that keeps
// a scratch file, or reads one a page preloaded, runs as it does on the JVM.
// A missing file throws the JVM's java.io.FileNotFoundException message.
#include "io.hpp"

#include "native.hpp"
#include "object.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

namespace jhr
{
  namespace
  {
    /* A file's name: a string (the page has no java.io.File). */
    std::string path_arg(object *o, char const *op)
    {
      if(o->type != tag::string)
      {
        fail(std::string{ op } + " expects a file name (a string), got " + type_name(o));
      }
      return static_cast<string_obj *>(o)->value;
    }

    /* Whether the options after the first two arguments (:append true,
     * :encoding "UTF-8") ask to append. */
    bool appending(int argc, args_t argv)
    {
      if(argc % 2 != 0)
      {
        fail("spit: the options after the content come in pairs, as :append true");
      }
      bool append = false;
      for(int i = 2; i + 1 < argc; i += 2)
      {
        if(equals(argv[i], keyword("", "append")))
        {
          append = truthy(argv[i + 1]);
        }
      }
      return append;
    }

    /* (slurp f & opts): the file's whole text. */
    object *slurp(int argc, args_t argv)
    {
      check_arity("slurp", argc, 1, -1);
      auto const path = path_arg(argv[0], "slurp");
      std::ifstream in{ path, std::ios::binary };
      if(!in)
      {
        fail(path + " (No such file or directory)");
      }
      std::ostringstream text;
      text << in.rdbuf();
      return string(text.str());
    }

    /* (spit f content & {:keys [append]}): writes (str content); nil. */
    object *spit(int argc, args_t argv)
    {
      check_arity("spit", argc, 2, -1);
      auto const path = path_arg(argv[0], "spit");
      auto const mode = appending(argc, argv) ? std::ios::binary | std::ios::app : std::ios::binary | std::ios::trunc;
      std::ofstream out{ path, mode };
      if(!out)
      {
        fail(path + " (No such file or directory)");
      }
      out << str(argv[1]);
      return nil();
    }

    native_entry const io_fns[] = {
      { "slurp", slurp },
      { "spit", spit },
    };
  }

  void install_io()
  {
    install_natives(io_fns);
  }
}
