#include "namespaces.hpp"
#include "text.hpp"
#include "classes.hpp"

#include "gc.hpp"
#include "invoke.hpp"
#include "native.hpp"
#include "polymorphism.hpp"

#include <jank/hot_reload_abi.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <vector>
#include <chrono>
#include <utility>

#ifdef __EMSCRIPTEN__
  #include <emscripten/console.h>
  #include <emscripten/emscripten.h>
#endif

namespace jhr
{
  namespace
  {
    std::map<std::string, namespace_obj *> &namespaces()
    {
      static std::map<std::string, namespace_obj *> all;
      return all;
    }

    /* Output being collected, innermost last: an evaluation's (also shown in
     * the console), and with-out-str's inside it (kept from everything else,
     * as Clojure's binding of *out* to a StringWriter keeps it). */
    struct capture
    {
      std::string text;
      bool echo;
      /* *out* when the capture began: a nested one (with-out-str, pr-str)
       * takes what is written until the code inside binds *out* anew. */
      object *out{};
    };
    std::vector<capture> captures;

    /* What one capture keeps before the evaluation fails: past this, an
     * infinite seq is being printed, and the page would otherwise print
     * until its memory ran out, with nothing left to report the error. */
    constexpr size_t max_captured_output = size_t{ 32 } << 20;

    /* Calls a patch function pointer with exactly N object parameters. Patch
     * functions are `void *(void *, ...)`; in wasm that is (i32 ...) -> i32. */
    template <size_t... I>
    object *call_exact(void *fn, object **args, std::index_sequence<I...>)
    {
      using fn_type = object *(*)(decltype((void)I, static_cast<object *>(nullptr))...);
      return reinterpret_cast<fn_type>(fn)(args[I]...);
    }

    [[noreturn]] __attribute__((noinline)) void fail_parameter_count(size_t count)
    {
      fail("internal error: " + std::to_string(count) + " parameters exceed the limit");
    }

    template <size_t... N>
    object *call_with_count(void *fn, size_t count, object **args, std::index_sequence<N...>)
    {
      object *result = nullptr;
      bool const matched
        = ((count == N ? (result = call_exact(fn, args, std::make_index_sequence<N>{}), true)
                       : false)
           || ...);
      if(!matched)
      {
        fail_parameter_count(count);
      }
      return result;
    }
  }

  namespace calls
  {
    int call_depth = 0;
    /* Opaque until an entry from JavaScript that allows collection says otherwise. */
    int opaque_frames = 1;
    /* About a millisecond of calls between two readings of the clock. */
    constexpr unsigned calls_between_clock_reads = 1u << 14;
    unsigned calls_until_clock = calls_between_clock_reads;
    /* When the current call from JavaScript began (ms). */
    double entry_started_ms = 0;
    /* Until when a `finally` after the limit may run (allow_cleanup_time). */
    double cleanup_until_ms = 0;

    double now_ms()
    {
#ifdef __EMSCRIPTEN__
      return emscripten_get_now();
#else
      return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
#endif
    }

    void check_time_limit()
    {
      calls_until_clock = calls_between_clock_reads;
      static var_obj *const limit_var = intern_var("jank.hot-reload", "*time-limit-ms*");
      auto *limit = deref(limit_var);
      if(limit->type != tag::integer && limit->type != tag::real)
      {
        return;
      }
      auto const limit_ms = limit->type == tag::integer ? static_cast<double>(static_cast<integer_obj *>(limit)->value)
                                                        : static_cast<real_obj *>(limit)->value;
      auto const now = now_ms();
      if(limit_ms > 0 && now - entry_started_ms > limit_ms && now > cleanup_until_ms)
      {
        call_depth = 0;
        throw time_limit_exceeded{ limit_ms };
      }
    }

    object *call_many(void *fn, size_t count, object **args)
    {
      return call_with_count(fn, count, args, std::make_index_sequence<max_params + 1>{});
    }

    /* Messages are built here, out of the call path (see invoke.hpp). */
    [[noreturn]] void fail_wrong_args(fn_obj const *f, int argc)
    {
      fail("Wrong number of args (" + std::to_string(argc) + ") passed to: "
           + (fn_name(f).empty() ? std::string{ "fn" } : fn_name(f)));
    }

    [[noreturn]] void fail_depth()
    {
      call_depth = 0;
      fail("StackOverflowError: call depth exceeded " + std::to_string(max_call_depth)
           + " (runaway recursion? use loop/recur)");
    }

    object *rest_seq(object **argv, int count)
    {
      return count <= 0 ? nil() : list_from(std::vector<object *>(argv, argv + count));
    }

    namespace
    {
      /* Calls ptr with the fn's environment (a closure's) first, then the arguments. */
      object *call_pointer(fn_obj const *f, void *ptr, object **args, size_t count)
      {
        object *result = nullptr;
        if(f->env == nullptr)
        {
          result = count <= few_params ? call_few(ptr, count, args) : call_many(ptr, count, args);
        }
        else
        {
          object *params[max_params + 1];
          params[0] = static_cast<object *>(f->env);
          for(size_t i = 0; i < count; ++i)
          {
            params[i + 1] = args[i];
          }
          result = count + 1 <= few_params ? call_few(ptr, count + 1, params) : call_many(ptr, count + 1, params);
        }
        return result == nullptr ? nil() : result;
      }
    }

    __attribute__((noinline)) object *invoke_fn_slow(fn_obj const *f, int argc, object **argv)
    {
      if(argc >= 0 && argc <= JANK_HOT_RELOAD_MAX_ARITY && f->fixed[argc] != nullptr)
      {
        return call_pointer(f, f->fixed[argc], argv, static_cast<size_t>(argc));
      }
      if(f->variadic != nullptr && argc >= f->variadic_required)
      {
        object *params[JANK_HOT_RELOAD_MAX_ARITY + 1];
        auto const required = static_cast<size_t>(f->variadic_required);
        for(size_t i = 0; i < required; ++i)
        {
          params[i] = argv[i];
        }
        params[required] = rest_seq(argv + required, argc - f->variadic_required);
        return call_pointer(f, f->variadic, params, required + 1);
      }
      fail_wrong_args(f, argc);
    }
  }

  namespace calls
  {
    object *invoke_rest_arity(fn_obj const *f, object **required_args, object *rest)
    {
      object *params[JANK_HOT_RELOAD_MAX_ARITY + 1];
      auto const required = static_cast<size_t>(f->variadic_required);
      for(size_t i = 0; i < required; ++i)
      {
        params[i] = required_args[i];
      }
      params[required] = rest;
      if(++call_depth > max_call_depth)
      {
        fail_depth();
      }
      ++opaque_frames;
      auto *result = call_pointer(f, f->variadic, params, required + 1);
      --opaque_frames;
      --call_depth;
      return result;
    }
  }

  namespace_obj *find_ns(std::string const &name)
  {
    auto const found = namespaces().find(name);
    return found == namespaces().end() ? nullptr : found->second;
  }

  namespace_obj *intern_ns(std::string const &name)
  {
    auto *ns = find_ns(name);
    if(ns == nullptr)
    {
      ns = new namespace_obj{ name, {} };
      namespaces().emplace(name, ns);
      ++names_generation;
    }
    return ns;
  }

  ns_obj *ns_value(namespace_obj *ns)
  {
    if(ns->value == nullptr)
    {
      ns->value = new ns_obj{ ns };
      gc::make_permanent(ns->value);
    }
    return ns->value;
  }

  namespace
  {
    struct var_cache_entry
    {
      char const *ns;
      char const *name;
      var_obj *var;
    };

    /* Direct-mapped. An entry is checked against its var's own names on every
     * hit, because a caller's strings may be temporary (a JS caller's, on the
     * stack) and be reused for other names. Vars are never freed (unmapped
     * ones stay alive for the code that holds them); unmapping one clears the
     * cache, so a name always finds the var it names now. */
    std::array<var_cache_entry, 1024> &var_cache()
    {
      static std::array<var_cache_entry, 1024> cache{};
      return cache;
    }
  }

  namespace
  {
    std::vector<var_obj *> &unmapped_vars()
    {
      static std::vector<var_obj *> vars;
      return vars;
    }
  }

  void unmap_var(namespace_obj *ns, std::string const &name)
  {
    /* A referred name is a mapping too, as ns-unmap removes it on the JVM. */
    ns->refers.erase(name);
    auto const found = ns->vars.find(name);
    if(found != ns->vars.end())
    {
      unmapped_vars().push_back(found->second);
      found->second->unmapped = true;
      ns->vars.erase(found);
      var_cache().fill({});
      ++names_generation;
    }
  }

  bool remove_namespace(std::string const &name)
  {
    auto const found = namespaces().find(name);
    if(found == namespaces().end())
    {
      return false;
    }
    /* Its vars stay alive, as an unmapped var does: loaded patches may
     * still hold them. */
    for(auto const &[_, var] : found->second->vars)
    {
      unmapped_vars().push_back(var);
      var->unmapped = true;
    }
    namespaces().erase(found);
    var_cache().fill({});
    ++names_generation;
    return true;
  }

  uint64_t names_generation = 0;

  std::map<std::string, namespace_obj *> const &all_namespaces()
  {
    return namespaces();
  }

  var_obj *find_var(std::string const &ns, std::string const &name)
  {
    auto *n = find_ns(ns);
    if(n == nullptr)
    {
      return nullptr;
    }
    auto const found = n->vars.find(name);
    return found == n->vars.end() ? nullptr : found->second;
  }

  /* Kept out of line: its strings have destructors, which would route the
   * cached path through a JS exception trampoline (see invoke below). */
  __attribute__((noinline)) static var_obj *find_var_uncached(char const *ns, char const *name)
  {
    return find_var(std::string{ ns }, std::string{ name });
  }

  var_obj *find_var(char const *ns, char const *name)
  {
    /* Names sit a few bytes apart in a patch's strings: mix every bit. */
    auto key = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(ns)) * 2654435761u
      + static_cast<uint32_t>(reinterpret_cast<uintptr_t>(name));
    key ^= key >> 15;
    key *= 0x2c1b3c6du;
    key ^= key >> 12;
    auto &entry = var_cache()[key % var_cache().size()];
    /* strcmp, not std::string's ==, which may throw and so would go through
     * a JS trampoline. */
    if(entry.var != nullptr && entry.ns == ns && entry.name == name
       && std::strcmp(entry.var->name.c_str(), name) == 0 && std::strcmp(entry.var->ns->name.c_str(), ns) == 0)
    {
      return entry.var;
    }
    auto *var = find_var_uncached(ns, name);
    if(var != nullptr)
    {
      entry = { ns, name, var };
    }
    return var;
  }

  var_obj *intern_var(std::string const &ns, std::string const &name)
  {
    auto *n = intern_ns(ns);
    auto const found = n->vars.find(name);
    if(found != n->vars.end())
    {
      return found->second;
    }
    auto *var = new var_obj{ n, name };
    n->vars.emplace(name, var);
    if(ns != eval_thunks_ns)
    {
      ++names_generation;
    }
    return var;
  }

  void bind_root(var_obj *var, object *value)
  {
    auto *old = var->bound ? var->root : nil();
    var->root = value;
    var->bound = true;
    /* As Var.bindRoot: the var's watches see every new root. */
    if(var->watches.empty())
    {
      return;
    }
    for(auto const &[key, fn] : std::vector<std::pair<object *, object *>>{ var->watches })
    {
      object *args[] = { key, var, old, value };
      invoke(fn, 4, args);
    }
  }

  namespace
  {
    /* clojure.lang.Var$Unbound: what an unbound var holds, as in Clojure. It
     * prints as "Unbound: #'ns/x", and calling it throws. */
    object *unbound_text(int, object **argv)
    {
      auto const *var = static_cast<var_obj const *>(static_cast<instance_obj *>(argv[0])->values[0]);
      return string("Unbound: #'" + qualified_name(var));
    }

    object *unbound_call(int, object **argv)
    {
      auto const *var = static_cast<var_obj const *>(static_cast<instance_obj *>(argv[0])->values[0]);
      fail("Attempting to call unbound fn: #'" + qualified_name(var));
    }

    record_type_obj *unbound_type()
    {
      static record_type_obj *const type = [] {
        auto *t = new record_type_obj{ "clojure.lang.Var$Unbound", {} };
        t->reified = true;
        gc::make_permanent(t);
        t->to_string = permanent_method("toString", unbound_text);
        t->invoke_fn = permanent_method("invoke", unbound_call);
        return t;
      }();
      return type;
    }
  }

  /* An unbound var's value, out of deref's path. */
  __attribute__((noinline)) static object *unbound_value(var_obj *var)
  {
    return new instance_obj{ unbound_type(), { var } };
  }

  namespace
  {
    /* Dynamic bindings: one frame per `binding` form, innermost last. */
    std::vector<std::vector<std::pair<var_obj *, object *>>> &binding_frames()
    {
      static std::vector<std::vector<std::pair<var_obj *, object *>>> frames;
      return frames;
    }

    __attribute__((noinline)) object *bound_value(var_obj *var)
    {
      auto const &frames = binding_frames();
      for(auto frame = frames.rbegin(); frame != frames.rend(); ++frame)
      {
        for(auto const &[v, value] : *frame)
        {
          if(v == var)
          {
            return value;
          }
        }
      }
      return nullptr;
    }
  }

  /* A var of the program's own namespaces, whose ^:dynamic the page knows.
   * clojure.core's and the bundled libraries' are taken as Clojure has
   * them, and with-local-vars' have no namespace of their own. */
  static bool program_var(var_obj const *var)
  {
    auto const &ns = var->ns->name;
    return !var->name.empty() && !ns.starts_with("clojure.") && ns != "clojure.core" && !ns.starts_with("jank.");
  }

  static bool declared_dynamic(var_obj *var)
  {
    return truthy(get(stored_meta(var), keyword("", "dynamic"), nil()));
  }

  void push_bindings(object *map)
  {
    std::vector<std::pair<var_obj *, object *>> frame;
    for(auto *entry : to_items(map))
    {
      auto items = to_items(entry);
      auto *var = as<var_obj>(items.at(0), tag::var, "a var");
      if(program_var(var) && !declared_dynamic(var))
      {
        fail("Can't dynamically bind non-dynamic var: " + var->ns->name + "/" + var->name);
      }
      frame.emplace_back(var, items.at(1));
    }
    binding_frames().push_back(std::move(frame));
  }

  bool has_binding(var_obj *var)
  {
    return bound_value(var) != nullptr;
  }

  object *current_bindings()
  {
    std::vector<object *> pairs;
    for(auto const &frame : binding_frames())
    {
      for(auto const &[v, value] : frame)
      {
        pairs.push_back(v);
        pairs.push_back(value);
      }
    }
    /* Later frames come later, so the innermost binding of a var wins. */
    auto *m = map_from({});
    for(size_t i = 0; i < pairs.size(); i += 2)
    {
      m = assoc(m, pairs[i], pairs[i + 1]);
    }
    return m;
  }

  void set_var(var_obj *var, object *value)
  {
    auto &frames = binding_frames();
    for(auto frame = frames.rbegin(); frame != frames.rend(); ++frame)
    {
      for(auto &[v, bound] : *frame)
      {
        if(v == var)
        {
          bound = value;
          return;
        }
      }
    }
    /* Without a binding, set! changes only what a REPL binds (clojure.core's
     * *print-length*, *warn-on-reflection* and the like), here the root. */
    if(program_var(var))
    {
      fail("Can't change/establish root binding of: " + var->name + " with set");
    }
    bind_root(var, value);
  }

  void pop_bindings()
  {
    if(binding_frames().empty())
    {
      fail("pop-thread-bindings without a matching push");
    }
    binding_frames().pop_back();
  }

  int current_call_depth()
  {
    return calls::call_depth;
  }

  void restore_call_depth(int depth)
  {
    calls::call_depth = depth;
  }

  object *deref(var_obj *var)
  {
    if(!binding_frames().empty())
    {
      if(auto *value = bound_value(var))
      {
        return value;
      }
    }
    if(!var->bound)
    {
      return unbound_value(var);
    }
    return var->root;
  }

  std::string qualified_name(var_obj const *var)
  {
    return var->ns->name + "/" + var->name;
  }

  bool split_qualified_name(std::string const &qualified, std::string &ns, std::string &name)
  {
    auto const slash = qualified.find('/');
    if(slash == std::string::npos || slash == 0 || slash + 1 == qualified.size())
    {
      return false;
    }
    ns = qualified.substr(0, slash);
    name = qualified.substr(slash + 1);
    return true;
  }

  object *invoke(object *f, int argc, object **argv)
  {
    ++calls::opaque_frames;
    auto *result = calls::invoke_inline(f, argc, argv);
    --calls::opaque_frames;
    return result;
  }

  /* Everything callable that is not a function: slower paths, messages allowed. */
  object *calls::invoke_callable(object *f, int argc, object **argv)
  {
    if(f == nullptr || f->type == tag::nil)
    {
      fail("Cannot call nil as a function");
    }
    switch(f->type)
    {
      case tag::var:
        {
          /* Nothing of this frame is needed once the var's value is
           * called: the call is as transparent as the var's own. */
          --call_depth;
          return invoke_inline(deref(static_cast<var_obj *>(f)), argc, argv);
        }
      case tag::multi_fn:
      case tag::protocol_fn:
        --call_depth;
        return invoke_polymorphic(f, argc, argv);
      case tag::keyword:
      case tag::symbol:
      case tag::map:
      case tag::set:
        {
          if(argc < 1 || argc > 2)
          {
            /* As the JVM names them: a keyword by itself, the rest by class. */
            fail("Wrong number of args (" + std::to_string(argc)
                 + ") passed to: " + (f->type == tag::keyword ? pr_str(f) : class_name_of(f)));
          }
          auto *not_found = argc == 2 ? argv[1] : nil();
          /* A keyword or a symbol looks itself up; a map or set looks up its argument. */
          return f->type == tag::keyword || f->type == tag::symbol ? get(argv[0], f, not_found)
                                                                   : get(f, argv[0], not_found);
        }
      case tag::transient:
        /* A transient map, set or vector looks up as its collection does. */
        --call_depth;
        return invoke(transient_value(f), argc, argv);
      case tag::vector:
        {
          if(argc != 1)
          {
            fail("Wrong number of args (" + std::to_string(argc) + ") passed to: " + class_name_of(f));
          }
          if(argv[0]->type != tag::integer)
          {
            fail("Key must be integer");
          }
          auto *v = static_cast<vector_obj *>(f);
          auto const i = static_cast<integer_obj *>(argv[0])->value;
          if(i < 0 || static_cast<size_t>(i) >= v->count)
          {
            fail("Index " + std::to_string(i) + " out of bounds for a vector of "
                 + std::to_string(v->count));
          }
          return v->at(static_cast<size_t>(i));
        }
      case tag::instance:
      case tag::record:
        if(auto *method = interface_fn(f, &record_type_obj::invoke_fn))
        {
          --call_depth;
          std::vector<object *> args{ f };
          args.insert(args.end(), argv, argv + argc);
          return invoke(method, static_cast<int>(args.size()), args.data());
        }
        fail("Cannot call " + a_type_name(f) + " as a function: " + pr_str(f));
      default:
        fail("Cannot call " + a_type_name(f) + " as a function: " + pr_str(f));
    }
  }

  void reset_call_depth()
  {
    calls::call_depth = 0;
    calls::calls_until_clock = calls::calls_between_clock_reads;
    calls::entry_started_ms = calls::now_ms();
    calls::cleanup_until_ms = 0;
    binding_frames().clear();
  }

  void allow_cleanup_time()
  {
    calls::cleanup_until_ms = calls::now_ms() + 1000;
    calls::calls_until_clock = calls::calls_between_clock_reads;
  }

  std::string time_limit_message(time_limit_exceeded const &e)
  {
    auto const seconds = e.limit_ms / 1000;
    auto amount = std::to_string(seconds);
    amount.erase(amount.find_last_not_of('0') + 1);
    if(amount.ends_with('.'))
    {
      amount.pop_back();
    }
    return "stopped after " + amount + " s, the page's limit for one call (an endless loop or recursion?); "
           "the page and its definitions are as they were. For longer work, (binding "
           "[jank.hot-reload/*time-limit-ms* 60000] ...), or nil for no limit";
  }

  void write_output(std::string const &text)
  {
    /* (binding [*out* (java.io.StringWriter.)] (print ...)) writes there. */
    static var_obj *const out = intern_var("clojure.core", "*out*");
    auto *writer = deref(out);
    /* The innermost capture this writer's text belongs to: a with-out-str
     * whose *out* it still is, else the evaluation's own. So (binding [*out*
     * *err*] ...) inside with-out-str is not captured there, as on the JVM. */
    capture *target = nullptr;
    for(auto at = captures.rbegin(); at != captures.rend(); ++at)
    {
      if(at->echo || at->out == writer)
      {
        target = &*at;
        break;
      }
    }
    bool const captured = target != nullptr && !target->echo;
    if(!captured && append_to_string_writer(writer, text))
    {
      return;
    }
    if(target == nullptr)
    {
      auto *stream = writer->type == tag::keyword && static_cast<keyword_obj *>(writer)->name == "err" ? stderr : stdout;
      std::fwrite(text.data(), 1, text.size(), stream);
      std::fflush(stream);
      return;
    }
    if(target->text.size() + text.size() > max_captured_output)
    {
      fail("the output passed 32 MiB: is an infinite seq being printed? ((range), iterate, cycle "
           "and repeat never end: take from them first, or bind *print-length*)");
    }
    target->text += text;
  }

  namespace
  {
    /* An evaluation's output reaches the console in one piece when it ends:
     * stdout would call console.log once per line, which costs Chromium
     * 0.1 ms or more a line (2 s for 10,000 printlns). */
    void echo_to_console(std::string const &text)
    {
      auto const lines = text.ends_with('\n') ? text.substr(0, text.size() - 1) : text;
#ifdef __EMSCRIPTEN__
      _emscripten_out(lines.c_str());
#else
      std::puts(lines.c_str());
#endif
    }
  }

  void begin_output_capture()
  {
    /* An evaluation is outermost: whatever an aborted one left goes. */
    captures.clear();
    captures.push_back({ {}, true });
  }

  void begin_nested_output_capture()
  {
    static var_obj *const out = intern_var("clojure.core", "*out*");
    captures.push_back({ {}, false, deref(out) });
  }

  std::string end_output_capture()
  {
    if(captures.empty())
    {
      return {};
    }
    auto text = std::move(captures.back().text);
    bool const echo = captures.back().echo;
    captures.pop_back();
    if(echo && !text.empty())
    {
      echo_to_console(text);
    }
    return text;
  }

  void gc::mark_namespaces(mark_fn mark)
  {
    for(auto const &[name, ns] : namespaces())
    {
      for(auto const &[var_name, var] : ns->vars)
      {
        mark(var);
      }
    }
    for(auto *var : unmapped_vars())
    {
      mark(var);
    }
    for(auto const &frame : binding_frames())
    {
      for(auto const &[var, value] : frame)
      {
        mark(var);
        mark(value);
      }
    }
  }
}
