#include "registry.hpp"

#include "json.hpp"
#include "namespaces.hpp"
#include "native.hpp"
#include "object.hpp"

#include <jank/hot_reload_abi.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#ifdef __EMSCRIPTEN__
  #include <dlfcn.h>
#endif

namespace jhr
{
  namespace
  {
    /* Most symbols one patch may register; guards against a garbage count. */
    constexpr int max_symbols_per_patch = 100000;

    struct parsed_signature
    {
      int arity;
      bool variadic;
    };

    /* "0".."20", or "N+" for N fixed parameters and a rest seq. */
    bool parse_signature(char const *sig, parsed_signature &out)
    {
      if(sig == nullptr || *sig == '\0')
      {
        return false;
      }
      int value = 0;
      char const *p = sig;
      for(; *p >= '0' && *p <= '9'; ++p)
      {
        value = value * 10 + (*p - '0');
        if(value > JANK_HOT_RELOAD_MAX_ARITY)
        {
          return false;
        }
      }
      if(p == sig)
      {
        return false;
      }
      out.arity = value;
      out.variadic = *p == '+';
      if(out.variadic)
      {
        ++p;
      }
      return *p == '\0';
    }

    bool is_wasm_file(std::string const &path, std::string &why)
    {
      auto *file = std::fopen(path.c_str(), "rb");
      if(file == nullptr)
      {
        why = "cannot open patch file " + path + ": " + std::strerror(errno);
        return false;
      }
      unsigned char magic[4]{};
      auto const n = std::fread(magic, 1, sizeof magic, file);
      std::fclose(file);
      if(n != 4 || std::memcmp(magic, "\0asm", 4) != 0)
      {
        why = "not a WebAssembly module (bad magic bytes): " + path;
        return false;
      }
      return true;
    }

    /* One function under construction: every arity a patch gives one name. */
    struct pending_fn
    {
      std::string qualified;
      std::string ns, name;
      fn_obj *fn;
    };
  }

  hot_reload_registry &hot_reload_registry::instance()
  {
    static hot_reload_registry registry;
    return registry;
  }

  int hot_reload_registry::reject(std::string message)
  {
    last_error_ = std::move(message);
    std::fprintf(stderr, "[jank-hot-reload] %s\n", last_error_.c_str());
    return -1;
  }

  namespace
  {
    /* A patch's arglists (jank_patch_meta): each var's :arglists, as a defn
     * run by code sets them. Only metadata: a bad text is ignored, and the
     * patch stays loaded. */
    void apply_arglists(char const *text)
    {
      if(text == nullptr)
      {
        return;
      }
      try
      {
        auto *arglists_key = keyword("", "arglists");
        for(auto *entries = seq(call(core("read-string"), { string(text) })); entries->type != tag::nil;
            entries = seq(rest(entries)))
        {
          auto *entry = first(entries);
          auto *sym = first(entry);
          if(sym->type != tag::symbol)
          {
            continue;
          }
          auto const *s = static_cast<symbol_obj *>(sym);
          /* First, as a defn's metadata map has it. */
          auto *var = intern_var(s->ns, s->name);
          auto *own = call(core("dissoc"), { call(core("meta"), { var }), arglists_key });
          auto *arglists = call(core("array-map"), { arglists_key, first(rest(entry)) });
          call(core("reset-meta!"), { var, call(core("merge"), { arglists, own }) });
        }
      }
      catch(std::exception const &)
      {
      }
    }
  }

  int hot_reload_registry::load_patch(std::string const &path, std::string const &entry_symbol)
  {
    last_error_.clear();
    std::string why;
    if(!is_wasm_file(path, why))
    {
      return reject(why);
    }
#ifdef __EMSCRIPTEN__
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if(handle == nullptr)
    {
      char const *err = dlerror();
      return reject("dlopen failed for " + path + ": " + (err ? err : "unknown error"));
    }
    auto const entry = reinterpret_cast<jank_patch_symbols_fn>(dlsym(handle, entry_symbol.c_str()));
    if(entry == nullptr)
    {
      return reject("entry symbol '" + entry_symbol + "' not found in " + path
                    + " (was the patch compiled for this ABI form?)");
    }
#else
    (void)entry_symbol;
    return reject("hot reload needs an Emscripten build with dynamic linking");
    jank_patch_symbols_fn entry = nullptr;
#endif

    int count = 0;
    patch_symbol *table = nullptr;
    try
    {
      table = entry(&count);
    }
    catch(std::exception const &e)
    {
      return reject("the patch's entry " + entry_symbol + " failed: " + e.what());
    }
    catch(time_limit_exceeded const &e)
    {
      return reject("the patch's entry " + entry_symbol + " failed: " + time_limit_message(e));
    }
    if(table == nullptr || count <= 0)
    {
      return reject("the patch's entry " + entry_symbol + " returned no symbols");
    }
    if(count > max_symbols_per_patch)
    {
      return reject("the patch's entry " + entry_symbol + " claims " + std::to_string(count)
                    + " symbols; at most " + std::to_string(max_symbols_per_patch)
                    + " are allowed");
    }

    /* Validate everything first: a patch either applies whole or not at all. */
    std::vector<pending_fn> pending;
    std::map<std::string, size_t> by_name;
    for(int i = 0; i < count; ++i)
    {
      auto const &sym = table[i];
      auto const where = "symbol #" + std::to_string(i) + " of " + path + ": ";
      if(sym.qualified_name == nullptr)
      {
        return reject(where + "qualified_name is null");
      }
      std::string const qualified{ sym.qualified_name };
      std::string ns, name;
      if(!split_qualified_name(qualified, ns, name))
      {
        return reject(where + "bad qualified name '" + qualified
                      + "': expected \"namespace/name\"");
      }
      parsed_signature sig{};
      if(!parse_signature(sym.signature, sig))
      {
        return reject(where + "unsupported signature '" + (sym.signature ? sym.signature : "(null)")
                      + "' for " + qualified + ": expected an arity from 0 to "
                      + std::to_string(JANK_HOT_RELOAD_MAX_ARITY) + ", optionally followed by +");
      }
      if(sym.fn_ptr == nullptr)
      {
        return reject(where + "null function pointer for " + qualified);
      }

      auto [it, inserted] = by_name.emplace(qualified, pending.size());
      if(inserted)
      {
        auto *fn = new fn_obj{};
        fn->name = qualified;
        pending.push_back({ qualified, ns, name, fn });
      }
      auto *fn = pending[it->second].fn;
      if(sig.variadic)
      {
        if(fn->variadic != nullptr)
        {
          return reject(where + qualified + " has more than one variadic arity");
        }
        fn->variadic = sym.fn_ptr;
        fn->variadic_required = sig.arity;
      }
      else
      {
        if(fn->fixed[sig.arity] != nullptr)
        {
          return reject(where + qualified + " defines arity " + std::to_string(sig.arity)
                        + " twice");
        }
        fn->fixed[sig.arity] = sym.fn_ptr;
      }
    }
    for(auto const &p : pending)
    {
      if(p.fn->variadic == nullptr)
      {
        continue;
      }
      for(int a = p.fn->variadic_required + 1; a <= JANK_HOT_RELOAD_MAX_ARITY; ++a)
      {
        if(p.fn->fixed[a] != nullptr)
        {
          return reject(p.qualified + ": a fixed arity (" + std::to_string(a)
                        + ") has more parameters than the variadic one");
        }
      }
    }

    module_info info{ path, entry_symbol, {} };
    for(auto const &p : pending)
    {
      bind_root(intern_var(p.ns, p.name), p.fn);
      info.symbols.push_back(p.qualified);
    }
#ifdef __EMSCRIPTEN__
    if(auto const meta = reinterpret_cast<jank_patch_meta_fn>(dlsym(handle, "jank_patch_meta")))
    {
      apply_arglists(meta());
    }
#endif
    registered_symbols_ += static_cast<size_t>(count);
    modules_.push_back(std::move(info));
    return 0;
  }

  int hot_reload_registry::load_patch_like_fork(std::string const &path,
                                                 std::string const &symbol_name)
  {
#ifdef __EMSCRIPTEN__
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if(handle == nullptr)
    {
      char const *err = dlerror();
      std::printf("[hot-reload] dlopen failed: %s\n", err ? err : "unknown error");
      return -1;
    }
    auto const entry = reinterpret_cast<jank_patch_symbols_fn>(dlsym(handle, symbol_name.c_str()));
    if(entry == nullptr)
    {
      std::printf("[hot-reload] Warning: Symbol %s not found in %s\n", symbol_name.c_str(),
                  path.c_str());
      return -1;
    }
    int count = 0;
    patch_symbol *table = nullptr;
    try
    {
      table = entry(&count);
    }
    catch(std::exception const &e)
    {
      std::printf("[hot-reload] the patch's entry failed: %s\n", e.what());
      return -1;
    }
    if(table == nullptr || count == 0)
    {
      std::printf("[hot-reload] Warning: jank_patch_symbols returned no symbols\n");
      return -1;
    }
    module_info info{ path, symbol_name, {} };
    for(int i = 0; i < count; ++i)
    {
      if(register_like_fork(table[i].qualified_name, table[i].fn_ptr, table[i].signature) == 0)
      {
        info.symbols.emplace_back(table[i].qualified_name);
      }
    }
    modules_.push_back(std::move(info));
    return 0;
#else
    (void)path;
    (void)symbol_name;
    return -1;
#endif
  }

  int hot_reload_registry::register_like_fork(char const *qualified_name,
                                              void *fn_ptr,
                                              char const *signature)
  {
    std::string ns, name;
    if(qualified_name == nullptr || !split_qualified_name(qualified_name, ns, name))
    {
      std::printf("[hot-reload] ERROR: Invalid qualified name (missing /): %s\n",
                  qualified_name ? qualified_name : "(null)");
      return -1;
    }
    int const arity = signature == nullptr ? 0 : static_cast<int>(std::strtol(signature, nullptr, 10));
    if(arity < 0 || arity > 4)
    {
      std::printf("[hot-reload] ERROR: Unsupported arity: %d (max 4 currently supported)\n", arity);
      return -1;
    }
    auto *fn = new fn_obj{};
    fn->name = qualified_name;
    fn->fixed[arity] = fn_ptr;
    bind_root(intern_var(ns, name), fn);
    ++registered_symbols_;
    return 0;
  }

  std::string hot_reload_registry::stats_json() const
  {
    std::string json = "{\"loaded_modules\":" + std::to_string(modules_.size())
      + ",\"registered_symbols\":" + std::to_string(registered_symbols_) + ",\"module_paths\":[";
    for(size_t i = 0; i < modules_.size(); ++i)
    {
      if(i > 0)
      {
        json += ',';
      }
      json += json_string(modules_[i].path);
    }
    json += "]}";
    return json;
  }

  std::string hot_reload_registry::list_vars_json() const
  {
    /* The client asks after every evaluation that ran code; most intern
     * nothing, and building the listing of every var costs more than the
     * rest of a small patch's load. */
    static std::string cached;
    static uint64_t cached_generation = ~uint64_t{};
    if(cached_generation == names_generation)
    {
      return cached;
    }
    std::string json = "{\"namespaces\":{";
    bool first_ns = true;
    for(auto const &[ns_name, ns] : all_namespaces())
    {
      if(ns_name == eval_thunks_ns)
      {
        continue;
      }
      if(!first_ns)
      {
        json += ',';
      }
      first_ns = false;
      json += json_string(ns_name) + ":[";
      bool first_var = true;
      for(auto const &[var_name, var] : ns->vars)
      {
        if(!first_var)
        {
          json += ',';
        }
        first_var = false;
        json += json_string(var_name);
      }
      json += ']';
    }
    json += "}}";
    cached = json;
    cached_generation = names_generation;
    return json;
  }
}
