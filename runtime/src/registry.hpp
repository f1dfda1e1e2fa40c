// The hot-reload registry: loads side modules and rebinds vars to their functions.
#pragma once

#include <string>
#include <vector>

namespace jhr
{
  class hot_reload_registry
  {
  public:
    static hot_reload_registry &instance();

    /* dlopens the patch at `path`, asks `entry_symbol` for its symbol table,
     * validates every entry, and only then rebinds the vars. Returns 0, or -1
     * with last_error() saying why; on -1 no var has changed. */
    int load_patch(std::string const &path, std::string const &entry_symbol);

    /* The jank fork's registry, behaviour for behaviour (its test profile):
     * a symbol that fails to register is skipped and the load still returns
     * 0; the arity is the signature's leading number ("2+" is 2) and must be
     * 0 to 4; each entry replaces the var's root, so the last arity wins. */
    int load_patch_like_fork(std::string const &path, std::string const &symbol_name);

    std::string stats_json() const;
    std::string list_vars_json() const;

    std::string const &last_error() const
    {
      return last_error_;
    }

  private:
    struct module_info
    {
      std::string path;
      std::string entry_symbol;
      std::vector<std::string> symbols;
    };

    int reject(std::string message);
    int register_like_fork(char const *qualified_name, void *fn_ptr, char const *signature);

    std::vector<module_info> modules_;
    size_t registered_symbols_{};
    std::string last_error_;
  };
}
