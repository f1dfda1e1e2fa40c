// What every file of natively implemented clojure.core functions shares:
// the argument-count check and the table that interns them.
#pragma once

#include "namespaces.hpp"
#include "object.hpp"

#include <span>
#include <string>

namespace jhr
{
  using args_t = object **;

  /* A runtime error unless min <= argc <= max (max < 0: no upper bound). */
  inline void check_arity(char const *name, int argc, int min, int max)
  {
    if(argc < min || (max >= 0 && argc > max))
    {
      fail("Wrong number of args (" + std::to_string(argc) + ") passed to: clojure.core/" + name);
    }
  }

  struct native_entry
  {
    char const *name;
    native_fn fn;
  };

  /* Binds each clojure.core/name to its native function. */
  inline void install_natives(std::span<native_entry const> entries)
  {
    for(auto const &[name, fn] : entries)
    {
      auto *f = new fn_obj{};
      f->name = std::string{ "clojure.core/" } + name;
      f->native = fn;
      bind_root(intern_var("clojure.core", name), f);
    }
  }
}
