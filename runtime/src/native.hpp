// What every file of natively implemented clojure.core functions shares:
// the argument-count check and the table that interns them.
#pragma once

#include "gc.hpp"
#include "namespaces.hpp"
#include "object.hpp"

#include <initializer_list>
#include <span>
#include <string>
#include <vector>

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

  /* The value of clojure.core/name, for natives that call other functions. */
  inline object *core(char const *name)
  {
    return deref(intern_var("clojure.core", name));
  }

  /* (f args ...). */
  inline object *call(object *f, std::initializer_list<object *> args)
  {
    std::vector<object *> argv(args);
    return invoke(f, static_cast<int>(argv.size()), argv.data());
  }

  /* A function object running `body` with `env`. `name` is static text (a
   * literal or a table's): the fn keeps the pointer. */
  inline object *native_closure(char const *name, native_closure_fn body, object *env)
  {
    auto *f = new fn_obj{};
    f->core_name = name;
    f->closure = body;
    f->closure_env = env;
    return f;
  }

  /* A type's method (toString, equals, invoke, ...) as a native fn the
   * collector never frees: the type, made once, keeps it. */
  inline fn_obj *permanent_method(std::string const &name, native_fn f)
  {
    auto *fn = new fn_obj{};
    fn->name = name;
    fn->native = f;
    gc::make_permanent(fn);
    return fn;
  }

  /* A closure's environment of up to env_obj::capacity values. */
  inline object *env_of(std::initializer_list<object *> items)
  {
    if(items.size() > env_obj::capacity)
    {
      fail("internal error: a C++ closure captured more than env_obj::capacity values");
    }
    auto *e = new env_obj{};
    for(auto *x : items)
    {
      e->slots[e->count++] = x;
    }
    return e;
  }

  /* A lazy seq whose body is `body` with `env`, run once on the first seq. */
  inline object *lazy(native_closure_fn body, object *env)
  {
    return new lazy_seq_obj{ body, env };
  }

  inline object *lazy(native_closure_fn body, std::initializer_list<object *> env)
  {
    return new lazy_seq_obj{ body, env_of(env) };
  }

  /* How many values a closure's environment holds. */
  inline size_t env_size(object *env)
  {
    return env->type == tag::env ? static_cast<env_obj *>(env)->count : static_cast<vector_obj *>(env)->count;
  }

  /* The i-th item of a closure's environment: an env_of, or a vector (for
   * closures that capture any number of values). */
  inline object *env_at(object *env, size_t i)
  {
    if(env->type == tag::env)
    {
      return static_cast<env_obj *>(env)->slots[i];
    }
    return static_cast<vector_obj *>(env)->at(i);
  }

  /* Binds each ns/name (clojure.core unless said) to its native function. */
  inline void install_natives(std::span<native_entry const> entries, char const *ns = "clojure.core")
  {
    for(auto const &[name, fn] : entries)
    {
      auto *f = new fn_obj{};
      f->name = std::string{ ns } + "/" + name;
      f->native = fn;
      bind_root(intern_var(ns, name), f);
    }
  }
}
