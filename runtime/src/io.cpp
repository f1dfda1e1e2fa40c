// slurp, spit, java.io.File and file writers, on Emscripten's file system:
// in a page, the in-memory FS the client writes patches into; under Node,
// the same. A program that keeps a scratch file, or reads one a page
// preloaded, runs as it does on the JVM. A missing file throws the JVM's
// java.io.FileNotFoundException message. clojure.java.io
// (compiler/src/libraries/clojure/java/io.jank) is built on these.
#include "io.hpp"

#include "classes.hpp"
#include "gc.hpp"
#include "native.hpp"
#include "object.hpp"
#include "polymorphism.hpp"

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace jhr
{
  namespace
  {
    /* java.io.File: its one field is its path. It prints as the JVM prints
     * one, and str gives the path. */
    record_type_obj *file_type()
    {
      static record_type_obj *type = [] {
        auto *t = class_named("java.io.File");
        auto *to_string = new fn_obj{};
        to_string->name = "toString";
        to_string->native = [](int, args_t argv) { return static_cast<instance_obj *>(argv[0])->values[0]; };
        t->to_string = to_string;
        gc::make_permanent(t);
        gc::make_permanent(to_string);
        return t;
      }();
      return type;
    }

    bool is_file(object *x)
    {
      return x->type == tag::instance && static_cast<instance_obj *>(x)->type == file_type();
    }

    object *make_file(std::string path)
    {
      return new instance_obj{ file_type(), { string(std::move(path)) } };
    }

    /* A file's name: a string or a java.io.File. */
    std::string path_arg(object *o, char const *op)
    {
      if(is_file(o))
      {
        return static_cast<string_obj *>(static_cast<instance_obj *>(o)->values[0])->value;
      }
      if(o->type != tag::string)
      {
        fail(std::string{ op } + " expects a file name (a string or a java.io.File), got " + type_name(o));
      }
      return static_cast<string_obj *>(o)->value;
    }

    std::string read_file(std::string const &path)
    {
      std::ifstream in{ path, std::ios::binary };
      if(!in || std::filesystem::is_directory(path))
      {
        fail(path + (std::filesystem::is_directory(path) ? " (Is a directory)" : " (No such file or directory)"));
      }
      std::ostringstream text;
      text << in.rdbuf();
      return text.str();
    }

    void write_file(std::string const &path, std::string const &text, bool append)
    {
      std::ofstream out{ path, append ? std::ios::binary | std::ios::app : std::ios::binary | std::ios::trunc };
      if(!out)
      {
        fail(path + " (No such file or directory)");
      }
      out << text;
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

    /* (slurp f & opts): the whole text of a file (a name or a File) or
     * what is left of a reader. */
    object *slurp(int argc, args_t argv)
    {
      check_arity("slurp", argc, 1, -1);
      if(std::string rest; read_rest_of_string_reader(argv[0], rest))
      {
        return string(std::move(rest));
      }
      return string(read_file(path_arg(argv[0], "slurp")));
    }

    /* (spit f content & {:keys [append]}): writes (str content); nil. */
    object *spit(int argc, args_t argv)
    {
      check_arity("spit", argc, 2, -1);
      write_file(path_arg(argv[0], "spit"), str(argv[1]), appending(argc, argv));
      return nil();
    }

    /* (file* path): (java.io.File. path), what clojure.java.io/file makes. */
    object *file(int argc, args_t argv)
    {
      check_arity("file*", argc, 1, 1);
      return make_file(path_arg(argv[0], "clojure.java.io/file"));
    }

    object *file_p(int argc, args_t argv)
    {
      check_arity("file?*", argc, 1, 1);
      return boolean(is_file(argv[0]));
    }

    // ---- file writers ------------------------------------------------------------

    /* (clojure.java.io/writer f): text written to it is buffered and goes
     * to the file at .flush and .close (with-open closes it). Fields: the
     * buffer, the path, and whether the file is appended to. */
    enum writer_field : size_t
    {
      writer_buffer,
      writer_path,
      writer_append,
    };

    record_type_obj *file_writer_type();

    instance_obj *as_file_writer(object *w)
    {
      return w->type == tag::instance && static_cast<instance_obj *>(w)->type == file_writer_type()
        ? static_cast<instance_obj *>(w)
        : nullptr;
    }

    /* Writes what is buffered; later writes append after it. */
    object *flush_writer(instance_obj *w)
    {
      auto &values = w->values;
      auto *buffer = static_cast<string_obj *>(values[writer_buffer]);
      write_file(path_arg(values[writer_path], "flush"), buffer->value, truthy(values[writer_append]));
      values[writer_buffer] = string("");
      values[writer_append] = boolean(true);
      return nil();
    }

    record_type_obj *file_writer_type()
    {
      static record_type_obj *type = [] {
        auto *t = class_named("java.io.BufferedWriter");
        auto *close = new fn_obj{};
        close->name = "close";
        close->native = [](int, args_t argv) { return flush_writer(static_cast<instance_obj *>(argv[0])); };
        t->close_fn = close;
        gc::make_permanent(t);
        gc::make_permanent(close);
        return t;
      }();
      return type;
    }

    /* (file-writer* f append?): a file writer, the file emptied unless appending. */
    object *file_writer(int argc, args_t argv)
    {
      check_arity("file-writer*", argc, 2, 2);
      auto const path = path_arg(argv[0], "clojure.java.io/writer");
      auto const append = truthy(argv[1]);
      write_file(path, "", append);
      return new instance_obj{ file_writer_type(), { string(""), string(path), boolean(append) } };
    }

    // ---- directories -------------------------------------------------------------

    object *list_files(std::string const &dir);

    void walk(object *f, std::vector<object *> &out)
    {
      out.push_back(f);
      auto *children = list_files(path_arg(f, "file-seq"));
      if(children->type != tag::nil)
      {
        for(auto *child : static_cast<array_obj *>(children)->items)
        {
          walk(child, out);
        }
      }
    }

    /* (file-seq dir): dir and every file and directory under it, each
     * directory before its entries (sorted here; the JVM's order is the
     * file system's). */
    object *file_seq(int argc, args_t argv)
    {
      check_arity("file-seq", argc, 1, 1);
      std::vector<object *> out;
      walk(is_file(argv[0]) ? argv[0] : make_file(path_arg(argv[0], "file-seq")), out);
      return list_from(out);
    }

    /* (delete-file* f): whether f (a file or an empty directory) was deleted. */
    object *delete_file(int argc, args_t argv)
    {
      check_arity("delete-file*", argc, 1, 1);
      std::error_code ignored;
      return boolean(std::filesystem::remove(path_arg(argv[0], "delete-file"), ignored));
    }

    /* (make-dirs* f): whether the directory and its parents were made. */
    object *make_dirs(int argc, args_t argv)
    {
      check_arity("make-dirs*", argc, 1, 1);
      std::error_code ignored;
      return boolean(std::filesystem::create_directories(path_arg(argv[0], "mkdirs"), ignored));
    }

    /* A directory's entries as Files, sorted; nil when it is no directory. */
    object *list_files(std::string const &dir)
    {
      std::error_code error;
      std::vector<std::string> names;
      for(std::filesystem::directory_iterator it{ dir, error }, end; !error && it != end; it.increment(error))
      {
        names.push_back(it->path().string());
      }
      if(error || !std::filesystem::is_directory(dir))
      {
        return nil();
      }
      std::sort(names.begin(), names.end());
      std::vector<object *> files;
      for(auto &name : names)
      {
        files.push_back(make_file(std::move(name)));
      }
      return new array_obj{ std::move(files), 'L' };
    }

    native_entry const io_fns[] = {
      { "slurp", slurp },
      { "spit", spit },
      { "file*", file },
      { "file?*", file_p },
      { "file-writer*", file_writer },
      { "delete-file*", delete_file },
      { "make-dirs*", make_dirs },
      { "file-seq", file_seq },
    };
  }

  void install_io()
  {
    install_natives(io_fns);
  }

  bool append_to_file_writer(object *w, std::string const &text)
  {
    auto *writer = as_file_writer(w);
    if(writer == nullptr)
    {
      return false;
    }
    auto *buffer = static_cast<string_obj *>(writer->values[writer_buffer]);
    buffer->value += text;
    buffer->changed();
    return true;
  }

  bool file_method(std::string const &method, object *target, int argc, object **, object **answer)
  {
    if(auto *writer = as_file_writer(target); writer != nullptr && method == "flush" && argc == 0)
    {
      *answer = flush_writer(writer);
      return true;
    }
    if(!is_file(target) || argc != 0)
    {
      return false;
    }
    namespace fs = std::filesystem;
    auto const path = path_arg(target, method.c_str());
    fs::path const p{ path };
    std::error_code error;
    if(method == "exists")
    {
      *answer = boolean(fs::exists(p, error));
    }
    else if(method == "isDirectory")
    {
      *answer = boolean(fs::is_directory(p, error));
    }
    else if(method == "isFile")
    {
      *answer = boolean(fs::is_regular_file(p, error));
    }
    else if(method == "getName")
    {
      *answer = string(p.filename().string());
    }
    else if(method == "getPath" || method == "toString")
    {
      *answer = string(path);
    }
    else if(method == "getAbsolutePath" || method == "getCanonicalPath")
    {
      auto const absolute = fs::absolute(p, error);
      *answer = string(method == "getCanonicalPath" ? absolute.lexically_normal().string() : absolute.string());
    }
    else if(method == "getParent" || method == "getParentFile")
    {
      auto const parent = p.parent_path().string();
      *answer = parent.empty() ? nil() : method == "getParent" ? string(parent) : make_file(parent);
    }
    else if(method == "length")
    {
      auto const size = fs::file_size(p, error);
      *answer = integer(error ? 0 : static_cast<int64_t>(size));
    }
    else if(method == "delete")
    {
      *answer = boolean(fs::remove(p, error));
    }
    else if(method == "mkdir")
    {
      *answer = boolean(fs::create_directory(p, error));
    }
    else if(method == "mkdirs")
    {
      *answer = boolean(fs::create_directories(p, error));
    }
    else if(method == "createNewFile")
    {
      auto const made = !fs::exists(p, error);
      if(made)
      {
        write_file(path, "", false);
      }
      *answer = boolean(made);
    }
    else if(method == "listFiles")
    {
      *answer = list_files(path);
    }
    else if(method == "list")
    {
      auto *files = list_files(path);
      if(files->type == tag::nil)
      {
        *answer = files;
        return true;
      }
      std::vector<object *> names;
      for(auto *f : static_cast<array_obj *>(files)->items)
      {
        names.push_back(string(fs::path{ path_arg(f, "list") }.filename().string()));
      }
      *answer = new array_obj{ std::move(names), 'L' };
    }
    else
    {
      return false;
    }
    return true;
  }
}
