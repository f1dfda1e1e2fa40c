// The C exports: the helpers patches import, and the host API the client calls.
// Entry points called from JavaScript catch every runtime error; helpers called
// from patch code let errors unwind to the nearest entry point.
#include <jank/hot_reload_abi.h>

#include "core.hpp"
#include "gc.hpp"
#include "invoke.hpp"
#include "json.hpp"
#include "lang.hpp"
#include "namespaces.hpp"
#include "object.hpp"
#include "registry.hpp"

#include <cstdlib>
#include <new>
#include <map>
#include <vector>

#ifdef __EMSCRIPTEN__
  #include <emscripten.h>
  #define JANK_EXPORT EMSCRIPTEN_KEEPALIVE
#else
  #define JANK_EXPORT __attribute__((visibility("default")))
#endif

/* The fork profile (JANK_HOT_RELOAD_PROFILE_FORK) is a test target with the
 * exact ABI of the jank fork's hot-reload registry (pfeodrippe/jank, branch
 * nrepl): its helpers only, with their limits, and none of this project's
 * extensions, which are then left unexported. */
#ifdef JANK_HOT_RELOAD_PROFILE_FORK
  #define JANK_EXTENSION
#else
  #define JANK_EXTENSION JANK_EXPORT
#endif

using namespace jhr;

namespace
{
  std::string text(char const *s);

  [[noreturn]] __attribute__((noinline)) void fail_bad_args(int argc)
  {
    fail("bad argument array for " + std::to_string(argc) + " arguments");
  }

  [[maybe_unused]] bool const core_installed = (install_core(), true);

  object *obj(void *p)
  {
    return p == nullptr ? nil() : static_cast<object *>(p);
  }

  /* Arguments as objects, in place: null entries become nil. Kept free of
   * destructors because it sits on the call path (see namespaces.cpp). */
  object **args_in_place(int argc, void **args)
  {
    if(argc < 0 || (argc > 0 && args == nullptr))
    {
      fail_bad_args(argc);
    }
    for(int i = 0; i < argc; ++i)
    {
      if(args[i] == nullptr)
      {
        args[i] = nil();
      }
    }
    return reinterpret_cast<object **>(args);
  }

  __attribute__((noinline)) var_obj *resolve_var(char const *ns, char const *name)
  {
    auto *var = ns == nullptr || name == nullptr ? nullptr : find_var(ns, name);
    if(var == nullptr)
    {
      fail("Unable to resolve var: " + text(ns) + "/" + text(name));
    }
    return var;
  }

  std::vector<object *> objs(int argc, void **args)
  {
    if(argc < 0)
    {
      fail("negative argument count " + std::to_string(argc));
    }
    if(argc > 0 && args == nullptr)
    {
      fail("null argument array with " + std::to_string(argc) + " arguments");
    }
    std::vector<object *> out;
    out.reserve(static_cast<size_t>(argc));
    for(int i = 0; i < argc; ++i)
    {
      out.push_back(obj(args[i]));
    }
    return out;
  }

  std::string text(char const *s)
  {
    return s == nullptr ? std::string{} : std::string{ s };
  }

  fn_obj *add_arity(fn_obj *fn, void *fn_ptr, int arity)
  {
    if(fn_ptr == nullptr)
    {
      fail("null function pointer");
    }
    if(arity >= 0)
    {
      if(arity > JANK_HOT_RELOAD_MAX_ARITY)
      {
        fail("arity " + std::to_string(arity) + " exceeds the maximum of "
             + std::to_string(JANK_HOT_RELOAD_MAX_ARITY));
      }
      fn->fixed[arity] = fn_ptr;
    }
    else
    {
      auto const required = -arity - 1;
      if(required > JANK_HOT_RELOAD_MAX_ARITY)
      {
        fail("variadic arity needs too many fixed parameters: " + std::to_string(required));
      }
      fn->variadic = fn_ptr;
      fn->variadic_required = required;
    }
    return fn;
  }

  [[maybe_unused]] int load_patch(char const *path, char const *entry)
  {
    if(path == nullptr || entry == nullptr)
    {
      return -1;
    }
    reset_call_depth();
    try
    {
      return hot_reload_registry::instance().load_patch(path, entry);
    }
    catch(std::exception const &e)
    {
      std::fprintf(stderr, "[jank-hot-reload] load failed: %s\n", e.what());
      return -1;
    }
    catch(time_limit_exceeded const &e)
    {
      std::fprintf(stderr, "[jank-hot-reload] load failed: %s\n", time_limit_message(e).c_str());
      return -1;
    }
  }
}

namespace
{
  /* Each REPL session's *1 *2 *3 *e, retained against the collector, and
   * its *print-namespace-maps*, which an nREPL session binds: true, and a
   * set! of it lasts for that session only. */
  struct repl_values
  {
    object *values[4]{};
    bool namespace_maps{ true };
  };

  var_obj *namespace_maps_var()
  {
    static var_obj *const var = intern_var("clojure.core", "*print-namespace-maps*");
    return var;
  }

  std::map<std::string, repl_values> &repl_sessions()
  {
    static std::map<std::string, repl_values> sessions;
    return sessions;
  }

  char const *const repl_var_names[4] = { "*1", "*2", "*3", "*e" };

  void set_repl_value(repl_values &session, int slot, object *value)
  {
    if(session.values[slot] != nullptr)
    {
      gc::release(session.values[slot]);
    }
    session.values[slot] = value;
    gc::retain(value);
  }

  /* The session's values become the roots of clojure.core's *1 *2 *3 *e. */
  void install_repl_values(repl_values const &session)
  {
    for(int slot = 0; slot < 4; ++slot)
    {
      auto *value = session.values[slot];
      bind_root(intern_var("clojure.core", repl_var_names[slot]), value == nullptr ? nil() : value);
    }
  }

  /* The most of a value's or an output's text that goes into an answer:
   * the page sends it to the dev server in one message, which the server
   * takes up to 1 MiB by default. The browser console has the whole output. */
  constexpr size_t max_reply_text = size_t{ 256 } << 10;

  /* Cuts `text` to max_reply_text bytes (on a character boundary) and says
   * how much was left out, and where the rest is. */
  void cut_for_reply(std::string &text, char const *what, char const *rest, bool whole = true)
  {
    if(text.size() <= max_reply_text)
    {
      return;
    }
    if(!whole)
    {
      /* Printing stopped (pr_str_within): how much more there is, is unknown. */
      text.resize(max_reply_text);
      text += "\n... [" + std::string(what) + " cut at 256 KiB; " + rest + "]\n";
      return;
    }
    auto end = max_reply_text;
    while(end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    {
      --end;
    }
    auto const left_out = text.size() - end;
    text.resize(end);
    text += "\n... [" + std::string(what) + " cut at 256 KiB: " + std::to_string(left_out)
      + " more bytes; " + rest + "]\n";
  }

  /* Runs a zero-arity var; `session` (if any) is a REPL session whose
   * values it sees and updates. */
  std::string run_var_json(char const *qualified_name, char const *session)
  {
    /* The outermost entry from JavaScript is where collection inside the
     * call may start: nothing opaque is below it. A nested one (JavaScript
     * called from inside a call) keeps it off: the frames below are unseen. */
    static int entries = 0;
    auto const opaque_before = calls::opaque_frames;
    calls::opaque_frames = entries == 0 ? 0 : opaque_before + 1;
    ++entries;
    struct leave_entry
    {
      int opaque;
      ~leave_entry()
      {
        --entries;
        calls::opaque_frames = opaque;
      }
    } const leaving{ opaque_before };
    reset_call_depth();
    begin_output_capture();
    std::string value, error;
    bool ok = false;
    bool value_stopped = false;
    repl_values *repl = session == nullptr ? nullptr : &repl_sessions()[session];
    auto *const namespace_maps_root = namespace_maps_var()->root;
    if(repl != nullptr)
    {
      install_repl_values(*repl);
      bind_root(namespace_maps_var(), boolean(repl->namespace_maps));
    }
    try
    {
      std::string ns, name;
      if(!split_qualified_name(text(qualified_name), ns, name))
      {
        fail("bad qualified name '" + text(qualified_name) + "': expected \"namespace/name\"");
      }
      auto *var = find_var(ns, name);
      if(var == nullptr)
      {
        fail("Unable to resolve var: " + text(qualified_name));
      }
      auto *result = calls::invoke_inline(deref(var), 0, nullptr);
      /* Printed no further than the reply takes: (range) shows its start. */
      value = pr_str_within(result, max_reply_text, value_stopped);
      ok = true;
      if(repl != nullptr)
      {
        set_repl_value(*repl, 2, repl->values[1] == nullptr ? nil() : repl->values[1]);
        set_repl_value(*repl, 1, repl->values[0] == nullptr ? nil() : repl->values[0]);
        set_repl_value(*repl, 0, result);
      }
    }
    catch(std::exception const &e)
    {
      /* A call that ran out of memory left the heap full until the next
       * collection: the collector's reserve pays for this report. */
      if(dynamic_cast<std::bad_alloc const *>(&e) != nullptr)
      {
        gc::release_reserve();
      }
      error = message_of(e);
      if(repl != nullptr)
      {
        try
        {
          set_repl_value(*repl, 3, caught_value(e));
        }
        catch(...)
        {
          /* *e stays what it was: the error itself is reported. */
        }
      }
    }
    catch(time_limit_exceeded const &e)
    {
      error = time_limit_message(e);
    }
    catch(...)
    {
      gc::release_reserve();
      /* Not a std::exception: what running out of memory while building a
       * huge collection ends in, here. */
      error = "the runtime failed without a message: out of memory? (an infinite seq realized in "
              "full: (range), iterate, cycle and repeat never end)";
    }
    if(repl != nullptr)
    {
      try
      {
        install_repl_values(*repl);
      }
      catch(...)
      {
        /* Out of memory for *1 *2 *3: they stay as they were. */
      }
      /* (set! *print-namespace-maps* false) lasts for the session. */
      repl->namespace_maps = truthy(namespace_maps_var()->root);
      bind_root(namespace_maps_var(), namespace_maps_root);
    }
    try
    {
      auto out = end_output_capture();
      cut_for_reply(out, "output", "the browser console has the whole output");
      cut_for_reply(value, "value", "def it, and look at a part of it", !value_stopped);
      std::string json = ok ? "{\"ok\":true,\"value\":" + json_string(value)
                            : "{\"ok\":false,\"error\":" + json_string(error);
      json += ",\"out\":" + json_string(out) + "}";
      return json;
    }
    catch(std::exception const &)
    {
      /* A value or output too large to quote in the memory left. */
      return R"({"ok":false,"error":"out of memory while reporting the result: the value or its output is too large","out":""})";
    }
  }

  /* In a catch of time_limit_exceeded: no jank catch stops it, but the
   * cleanup runs (with-redefs, a binding's restore), with a second of its
   * own; then it goes on unwinding. */
  [[noreturn]] void rethrow_past_time_limit(int depth, void *finally_)
  {
    restore_call_depth(depth);
    if(finally_ != nullptr)
    {
      allow_cleanup_time();
      invoke(obj(finally_), 0, nullptr);
    }
    throw;
  }
}

extern "C"
{
  JANK_EXPORT void *jank_box_integer(int64_t value)
  {
    return integer(value);
  }

  JANK_EXPORT int64_t jank_unbox_integer(void *o)
  {
    auto *x = obj(o);
#ifdef JANK_HOT_RELOAD_PROFILE_FORK
    if(x->type != tag::integer && x->type != tag::real)
    {
      return 0; // the fork answers 0 for anything but a number
    }
#endif
    if(x->type == tag::real)
    {
      return static_cast<int64_t>(static_cast<real_obj *>(x)->value);
    }
    return as<integer_obj>(x, tag::integer, "an integer")->value;
  }

  JANK_EXPORT void *jank_box_double(double value)
  {
    return real(value);
  }

  JANK_EXPORT double jank_unbox_double(void *o)
  {
    auto *x = obj(o);
#ifdef JANK_HOT_RELOAD_PROFILE_FORK
    if(x->type != tag::integer && x->type != tag::real)
    {
      return 0.0;
    }
#endif
    if(x->type == tag::integer)
    {
      return static_cast<double>(static_cast<integer_obj *>(x)->value);
    }
    return as<real_obj>(x, tag::real, "a number")->value;
  }

  JANK_EXPORT void *jank_make_string(char const *s)
  {
    return string(text(s));
  }

  JANK_EXPORT void *jank_make_keyword(char const *ns, char const *name)
  {
    if(name == nullptr || *name == '\0')
    {
      fail("a keyword needs a name");
    }
    return keyword(text(ns), name);
  }

  JANK_EXPORT void *jank_make_symbol(char const *ns, char const *name)
  {
    if(name == nullptr || *name == '\0')
    {
      fail("a symbol needs a name");
    }
    return symbol(text(ns), name);
  }

  JANK_EXPORT void *jank_make_vector(int argc, void **elements)
  {
    return vector_from(objs(argc, elements));
  }

  JANK_EXPORT void *jank_make_set(int argc, void **elements)
  {
    return set_from(objs(argc, elements));
  }

  JANK_EXTENSION void *jank_make_list(int argc, void **elements)
  {
    return list_from(objs(argc, elements));
  }

  JANK_EXTENSION void *jank_make_map(int argc, void **elements)
  {
    return map_from(objs(argc, elements));
  }

  JANK_EXPORT void *jank_nil_value(void)
  {
    return nil();
  }

  JANK_EXPORT int jank_truthy(void *o)
  {
    return truthy(obj(o)) ? 1 : 0;
  }

  JANK_EXPORT void *jank_call_var(char const *ns, char const *name, int argc, void **args)
  {
#ifdef JANK_HOT_RELOAD_PROFILE_FORK
    /* The fork: a missing var, or more than 5 arguments, prints and gives nil. */
    if(find_var(text(ns), text(name)) == nullptr)
    {
      std::printf("[hot-reload] ERROR: Var not found: %s/%s\n", ns, name);
      return nil();
    }
    if(argc > 5)
    {
      std::printf("[hot-reload] ERROR: jank_call_var only supports up to 5 args, got %d\n", argc);
      return nil();
    }
#endif
    ++calls::opaque_frames;
    auto *result = calls::invoke_inline(deref(resolve_var(ns, name)), argc, args_in_place(argc, args));
    --calls::opaque_frames;
    return result;
  }

  /* The fork's one arithmetic helper. */
  JANK_EXPORT void *jank_add_integers(void *a, void *b)
  {
    return integer(jank_unbox_integer(a) + jank_unbox_integer(b));
  }

  JANK_EXPORT void *jank_deref_var(char const *ns, char const *name)
  {
#ifdef JANK_HOT_RELOAD_PROFILE_FORK
    if(find_var(text(ns), text(name)) == nullptr)
    {
      return nil(); // the fork: a missing var derefs to nil
    }
#endif
    return deref(resolve_var(ns, name));
  }

  JANK_EXPORT void *jank_make_fn_wrapper(void *fn_ptr, int arity)
  {
#ifdef JANK_HOT_RELOAD_PROFILE_FORK
    if(arity < 0 || arity > 3)
    {
      std::printf("[hot-reload] ERROR: jank_make_fn_wrapper only supports arity 0-3, got %d\n", arity);
      return nil();
    }
#endif
    return add_arity(new fn_obj{}, fn_ptr, arity);
  }

  JANK_EXPORT void *jank_println(int argc, void **args)
  {
    return jank_call_var("clojure.core", "println", argc, args);
  }

  /* What a call of fn runs: a var's value (a var a patch resolved once, and
   * that was unmapped since, is found again by its name). Inline, so that
   * the call helpers add no native frame. */
  namespace
  {
    __attribute__((always_inline)) inline object *callee_of(void *fn)
    {
      auto *f = obj(fn);
      if(f->type != tag::var)
      {
        return f;
      }
      auto *var = static_cast<var_obj *>(f);
      if(var->unmapped)
      {
        var = resolve_var(var->ns->name.c_str(), var->name.c_str());
      }
      return deref(var);
    }
  }

  /* The wasm backend calls a var it resolved once (kept in the patch) through
   * here: its value is called at once, with no more native frames than
   * jank_call_var's, so recursion goes as deep. */
  JANK_EXTENSION void *jank_call(void *fn, int argc, void **args)
  {
    auto *f = callee_of(fn);
    ++calls::opaque_frames;
    auto *result = calls::invoke_inline(f, argc, args_in_place(argc, args));
    --calls::opaque_frames;
    return result;
  }

  JANK_EXTENSION void *jank_make_closure(void *fn_ptr, int arity, void *env)
  {
    auto *fn = new fn_obj{};
    fn->env = env == nullptr ? nil() : env;
    return add_arity(fn, fn_ptr, arity);
  }

  JANK_EXTENSION void *jank_fn_add_arity(void *fn, void *fn_ptr, int arity)
  {
    return add_arity(as<fn_obj>(obj(fn), tag::fn, "a function"), fn_ptr, arity);
  }

  JANK_EXTENSION void *jank_make_char(int32_t codepoint)
  {
    return character(codepoint);
  }

  JANK_EXTENSION void *jank_make_boolean(int value)
  {
    return boolean(value != 0);
  }

  /* #'x: the var, interned when code names it before its def has run, as
   * (def g [#'g]) does (Clojure's def interns its var first; the compiler
   * has checked that the name is defined). */
  JANK_EXTENSION void *jank_var(char const *ns, char const *name)
  {
    if(ns != nullptr && name != nullptr && *ns != '\0' && *name != '\0' && find_var(ns, name) == nullptr)
    {
      return intern_var(ns, name);
    }
    return resolve_var(ns, name);
  }

  JANK_EXTENSION void *jank_set_var_root(char const *ns, char const *name, void *value)
  {
    if(ns == nullptr || name == nullptr || *ns == '\0' || *name == '\0')
    {
      fail("jank_set_var_root needs a namespace and a name");
    }
    auto *var = intern_var(ns, name);
    bind_root(var, obj(value));
    return var;
  }

  JANK_EXTENSION void jank_throw_message(char const *message)
  {
    fail(text(message));
  }

  JANK_EXTENSION void *jank_throw(void *value)
  {
    throw_value(obj(value));
  }

  namespace
  {
    /* try/catch/finally around the thunks a patch made of its forms. The
     * safe form calls the body and the handler transparently (their frames
     * keep what they hold in the shadow stack), so a safepoint inside them
     * may collect; the finally always runs as an opaque call, since this
     * frame then holds the body's value or the exception in flight. */
    object *run_try(void *body, void *handler, void *finally_, bool safe)
    {
      auto const depth = current_call_depth();
      auto const opaque = calls::opaque_frames;
      auto const call = [safe](void *f, int argc, object **argv) {
        return safe ? calls::invoke_inline(obj(f), argc, argv) : invoke(obj(f), argc, argv);
      };
      object *result = nullptr;
      try
      {
        result = call(body, 0, nullptr);
      }
      catch(time_limit_exceeded const &)
      {
        calls::opaque_frames = opaque;
        rethrow_past_time_limit(depth, finally_);
      }
      catch(std::exception const &e)
      {
        restore_call_depth(depth);
        calls::opaque_frames = opaque;
        if(handler == nullptr)
        {
          if(finally_ != nullptr)
          {
            invoke(obj(finally_), 0, nullptr);
          }
          throw;
        }
        object *caught = caught_value(e);
        try
        {
          result = call(handler, 1, &caught);
        }
        catch(time_limit_exceeded const &)
        {
          calls::opaque_frames = opaque;
          rethrow_past_time_limit(depth, finally_);
        }
        catch(...)
        {
          restore_call_depth(depth);
          calls::opaque_frames = opaque;
          if(finally_ != nullptr)
          {
            invoke(obj(finally_), 0, nullptr);
          }
          throw;
        }
      }
      if(finally_ != nullptr)
      {
        invoke(obj(finally_), 0, nullptr);
      }
      return result;
    }
  }

  JANK_EXTENSION void *jank_try(void *body, void *handler, void *finally_)
  {
    return run_try(body, handler, finally_, false);
  }

  /* The wasm backend's helpers when the page has them: the same calls,
   * transparent to the collector (see calls::opaque_frames). */
  JANK_EXTENSION void *jank_hot_reload_safe_try(void *body, void *handler, void *finally_)
  {
    return run_try(body, handler, finally_, true);
  }

  JANK_EXTENSION void *jank_hot_reload_safe_call(void *fn, int argc, void **args)
  {
    gc::safepoint();
    return calls::invoke_inline(callee_of(fn), argc, args_in_place(argc, args));
  }

  /* Every recur of a safe patch: the loop tick, and a chance to collect. */
  JANK_EXTENSION void *jank_hot_reload_safepoint(void)
  {
    if(--calls::calls_until_clock == 0)
    {
      calls::check_time_limit();
    }
    gc::safepoint();
    return jank_nil_value();
  }

  /* For tests: collect at every nth chance inside a call (0: when due). */
  JANK_EXTENSION void jank_gc_stress(int every)
  {
    gc::set_stress(every < 0 ? 0u : static_cast<unsigned>(every));
  }

#if defined(JANK_HOT_RELOAD_PROFILE_FORK)
  JANK_EXPORT int jank_hot_reload_load_patch(char const *path, char const *symbol_name)
  {
    if(path == nullptr || symbol_name == nullptr)
    {
      return -1;
    }
    reset_call_depth();
    return hot_reload_registry::instance().load_patch_like_fork(path, symbol_name);
  }
#elif defined(JANK_HOT_RELOAD_ABI_SEED)
  /* The seed form: every patch exports the same entry name. */
  JANK_EXPORT int jank_hot_reload_load_patch(char const *path)
  {
    return load_patch(path, "jank_patch_symbols");
  }
#else
  JANK_EXPORT int jank_hot_reload_load_patch(char const *path, char const *entry_symbol)
  {
    return load_patch(path, entry_symbol);
  }
#endif

  JANK_EXPORT char const *jank_hot_reload_get_stats(void)
  {
    return malloc_copy(hot_reload_registry::instance().stats_json());
  }

  /* The registry's limits, so the compiler emits only what it registers
   * (a runtime without this export is taken to have the jank fork's). */
  JANK_EXTENSION char const *jank_hot_reload_capabilities(void)
  {
    auto const max = std::to_string(JANK_HOT_RELOAD_MAX_ARITY);
    return malloc_copy("{\"max_arity\":" + max + ",\"variadic\":true,\"multi_arity\":true"
                       ",\"fn_wrapper_max_arity\":" + max + "}");
  }

  /* Patches call this on every recur, where a loop jumps back without a
   * call: a loop that calls nothing else, (loop [] (recur)), is stopped at
   * the time limit like any other (calls::check_time_limit). */
  JANK_EXTENSION void *jank_hot_reload_loop_tick(void)
  {
    if(--calls::calls_until_clock == 0)
    {
      calls::check_time_limit();
    }
    return jank_nil_value();
  }

  /* clojure.core's + - * < > <= >= == = inc dec, called by patches directly
   * as Clojure inlines them (core_op); each counts as a call toward the time
   * limit. */
  JANK_EXTENSION void *jank_hot_reload_core_op(int op, void *a, void *b)
  {
    if(--calls::calls_until_clock == 0)
    {
      calls::check_time_limit();
    }
    return core_op(op, obj(a), b == nullptr ? nullptr : obj(b));
  }

  JANK_EXTENSION void *jank_hot_reload_core_deref(void *x)
  {
    return core_deref(obj(x));
  }

  JANK_EXTENSION char const *jank_hot_reload_last_error(void)
  {
    return malloc_copy(hot_reload_registry::instance().last_error());
  }

  JANK_EXTENSION char const *jank_hot_reload_list_vars(void)
  {
    return malloc_copy(hot_reload_registry::instance().list_vars_json());
  }

  JANK_EXTENSION char const *jank_hot_reload_run_var(char const *qualified_name)
  {
    return malloc_copy(run_var_json(qualified_name, nullptr));
  }

  /* Runs an editor's eval as run_var does, as the REPL session `session`:
   * its *1 *2 *3 and *e are in place while the code runs, then shift to the
   * value (or *e takes what was thrown). */
  JANK_EXTENSION char const *jank_hot_reload_run_eval(char const *qualified_name,
                                                      char const *session)
  {
    return malloc_copy(run_var_json(qualified_name, session == nullptr ? "" : session));
  }

  /* -1 when the collection could not run (out of memory even for it):
   * the page keeps running, and the next quiescent point tries again. */
  JANK_EXTENSION int jank_gc_collect(void)
  {
    try
    {
      return static_cast<int>(gc::collect());
    }
    catch(...)
    {
      return -1;
    }
  }

  JANK_EXTENSION int jank_gc_maybe(void)
  {
    try
    {
      return gc::maybe_collect() ? 1 : 0;
    }
    catch(...)
    {
      return -1;
    }
  }

  JANK_EXTENSION void jank_gc_retain(void *o)
  {
    gc::retain(obj(o));
  }

  JANK_EXTENSION void jank_gc_release(void *o)
  {
    gc::release(obj(o));
  }

  JANK_EXTENSION void jank_gc_add_root(void **slot)
  {
    gc::add_root(reinterpret_cast<object **>(slot));
  }

  JANK_EXTENSION char const *jank_gc_stats(void)
  {
    return malloc_copy(gc::stats_json());
  }
}
