// The call path of every jank-level call, inline: invoke runs it, and so do
// the ABI's entry points that compiled code calls (jank_call, jank_call_var),
// each in its own frame. A jank-level call then costs two native frames, the
// caller's and the entry point's: browsers give wasm about 1 MB of stack, and
// each frame also holds the stack arguments of the largest call it makes.
//
// The path keeps no C++ object with a destructor alive across a call, and
// builds error messages out of line (namespaces.cpp), so that a call never
// goes through an exception landing pad. What needs a parameter array (many
// arguments, a variadic arity) is out of line too: the common call, of a
// closure or not, then has no C stack frame, and its native frame is
// smaller (a plain recursion went 5,125 levels deep in Node before, 5,602 after).
#pragma once

#include "namespaces.hpp"
#include "object.hpp"

#include <jank/hot_reload_abi.h>

#include <cstddef>

namespace jhr::calls
{
  /* Calls in progress, against max_call_depth. */
  extern int call_depth;
  /* Native frames in progress that may hold objects the collector cannot
   * see (a C++ native's locals, a C-backend patch's): while any is, a
   * safepoint does not collect (gc::maybe_collect_in_call). invoke and the
   * ABI's call helpers count; the safe helpers that the wasm backend's
   * patches call, which keep every value in their shadow-stack frame, do not.
   * No RAII guard, as for call_depth: an error skips the decrement, which
   * only leaves collection off until the catcher or the entry restores it. */
  extern int opaque_frames;
  /* Calls left before the clock is read again (check_time_limit). */
  extern unsigned calls_until_clock;
  /* Reads the clock, and throws time_limit_exceeded once the call from
   * JavaScript has run past the var jank.hot-reload *time-limit-ms*. */
  void check_time_limit();

  /* Enough parameters for 20 fixed arguments, a rest seq and a closure env. */
  inline constexpr size_t max_params = JANK_HOT_RELOAD_MAX_ARITY + 2;
  /* The most parameters a call passes in registers. */
  inline constexpr size_t few_params = 4;

  /* A patch function called with `count` parameters, up to max_params. */
  object *call_many(void *fn, size_t count, object **args);
  [[noreturn]] void fail_wrong_args(fn_obj const *f, int argc);
  [[noreturn]] void fail_depth();
  object *rest_seq(object **argv, int count);
  /* Everything callable that is not a function (namespaces.cpp). */
  object *invoke_callable(object *f, int argc, object **argv);

  /* Patch functions are `void *(void *, ...)`; in wasm, (i32 ...) -> i32. */
  __attribute__((always_inline)) inline object *call_few(void *fn, size_t count, object **args)
  {
    switch(count)
    {
      case 0:
        return reinterpret_cast<object *(*)()>(fn)();
      case 1:
        return reinterpret_cast<object *(*)(object *)>(fn)(args[0]);
      case 2:
        return reinterpret_cast<object *(*)(object *, object *)>(fn)(args[0], args[1]);
      case 3:
        return reinterpret_cast<object *(*)(object *, object *, object *)>(fn)(args[0], args[1], args[2]);
      default:
        return reinterpret_cast<object *(*)(object *, object *, object *, object *)>(fn)(args[0], args[1], args[2],
                                                                                           args[3]);
    }
  }

  /* A closure's patch function: its environment first, then up to
   * few_params - 1 arguments, with no parameter array. */
  __attribute__((always_inline)) inline object *call_few_with_env(void *fn, object *env, size_t count, object **args)
  {
    switch(count)
    {
      case 0:
        return reinterpret_cast<object *(*)(object *)>(fn)(env);
      case 1:
        return reinterpret_cast<object *(*)(object *, object *)>(fn)(env, args[0]);
      case 2:
        return reinterpret_cast<object *(*)(object *, object *, object *)>(fn)(env, args[0], args[1]);
      default:
        return reinterpret_cast<object *(*)(object *, object *, object *, object *)>(fn)(env, args[0], args[1],
                                                                                           args[2]);
    }
  }

  /* The rest of a fn's call path, out of line (namespaces.cpp): more than
   * few_params parameters (a closure's environment counts as one), variadic
   * arities and the wrong-arity error. They build parameter arrays on the C stack; kept out
   * of the common path, its native frame (one per jank-level call) stays
   * small, which is how deep recursion can go. */
  object *invoke_fn_slow(fn_obj const *f, int argc, object **argv);

  /* f's variadic arity called with its required arguments and a rest seq
   * given as is, unrealized: apply's call, as Clojure's RestFn.applyTo. */
  object *invoke_rest_arity(fn_obj const *f, object **required_args, object *rest);

  __attribute__((always_inline)) inline object *invoke_fn(fn_obj const *f, int argc, object **argv)
  {
    if(f->native != nullptr)
    {
      return f->native(argc, argv);
    }
    if(f->closure != nullptr)
    {
      return f->closure(f->closure_env, argc, argv);
    }
    auto const count = static_cast<size_t>(static_cast<unsigned>(argc));
    if(count <= few_params && f->fixed[argc] != nullptr && (f->env == nullptr || count < few_params))
    {
      auto *result = f->env == nullptr ? call_few(f->fixed[argc], count, argv)
                                       : call_few_with_env(f->fixed[argc], static_cast<object *>(f->env), count, argv);
      return result == nullptr ? nil() : result;
    }
    return invoke_fn_slow(f, argc, argv);
  }

  /* invoke's body. No RAII guard: a runtime error skips the decrement, and
   * every entry point resets the depth instead. */
  __attribute__((always_inline)) inline object *invoke_inline(object *f, int argc, object **argv)
  {
    if(++call_depth > max_call_depth)
    {
      fail_depth();
    }
    if(--calls_until_clock == 0)
    {
      check_time_limit();
    }
    object *result = nullptr;
    if(f != nullptr && f->type == tag::fn)
    {
      result = invoke_fn(static_cast<fn_obj *>(f), argc, argv);
    }
    else
    {
      result = invoke_callable(f, argc, argv);
    }
    --call_depth;
    return result;
  }
}
