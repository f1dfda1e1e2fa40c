// Namespaces and vars, and calling any callable object.
#pragma once

#include <cstdint>

#include "object.hpp"

#include <map>
#include <string>

namespace jhr
{
  struct namespace_obj
  {
    std::string name;
    std::map<std::string, var_obj *> vars;
    /* `alias` at run time, for ns-aliases; the compiler resolves aliases. */
    std::map<std::string, std::string> aliases{};
    /* Names referred from other namespaces (:refer, use), to the namespace. */
    std::map<std::string, std::string> refers{};
    /* The namespace as a value, made on first use. */
    ns_obj *value{};
  };

  /* The namespace as a value (the-ns). */
  ns_obj *ns_value(namespace_obj *ns);
  /* Removes a var from its namespace. The var stays alive: loaded patches
   * may still hold it, as compiled Clojure code holds an unmapped Var. */
  void unmap_var(namespace_obj *ns, std::string const &name);

  /* (remove-ns 'name): forgets the namespace; false when there was none. */
  bool remove_namespace(std::string const &name);

  namespace_obj *find_ns(std::string const &name);
  /* Finds or creates the namespace. */
  namespace_obj *intern_ns(std::string const &name);
  std::map<std::string, namespace_obj *> const &all_namespaces();

  /* Counts every change to which namespaces and vars exist (a var interned or
   * unmapped, a namespace made or removed): a listing of them is current
   * while it stays the same. */
  extern uint64_t names_generation;

  /* Where the compiler puts each evaluation's code, one var per form: the
   * editor never names them, so listings leave them out. */
  inline constexpr char const *eval_thunks_ns = "jank.hot-reload.eval";

  var_obj *find_var(std::string const &ns, std::string const &name);
  /* find_var for the ABI's C strings, through a cache keyed by the two
   * pointers: compiled code passes the same constants at every call. */
  var_obj *find_var(char const *ns, char const *name);
  /* Finds or creates the var, creating its namespace on demand. */
  var_obj *intern_var(std::string const &ns, std::string const &name);
  void bind_root(var_obj *var, object *value);
  /* The var's root; a runtime error if it is unbound. */
  object *deref(var_obj *var);
  std::string qualified_name(var_obj const *var);

  /* Splits "ns/name"; false if either part is empty or there is no slash. */
  bool split_qualified_name(std::string const &qualified, std::string &ns, std::string &name);

  /* Calls f with argc arguments. Arity mismatches, calling nil and runaway
   * recursion are runtime errors. */
  object *invoke(object *f, int argc, object **argv);

  /* Call depth past which a call fails instead of overflowing the stack. Browsers
   * give wasm about 1 MB of native stack. With two native frames per
   * jank-level call (invoke.hpp), Chromium 156 held (with this limit lifted)
   * 5,000 levels of a plain recursion, 3,750 of one whose frame holds more
   * locals, and about 1,300 levels of a recursion through reduce and map (3
   * or more counted calls each); 2,500 stops them all before the browser's
   * stack runs out (tests/e2e/recursion.test.mjs). */
  constexpr int max_call_depth = 2500;
  /* `binding`: a map of var to value, in force until the matching pop. */
  void push_bindings(object *map);
  void pop_bindings();
  /* thread-bound?: var has a `binding` in force. */
  bool has_binding(var_obj *var);
  /* get-thread-bindings: each bound var to its innermost value. */
  object *current_bindings();
  /* set! and var-set: the innermost binding of var, or, when it has none,
   * its root (an editor's REPL binds *print-length* and friends per session;
   * here the page is the session). */
  void set_var(var_obj *var, object *value);

  /* A `try` restores the depth its body unwound past. */
  int current_call_depth();
  void restore_call_depth(int depth);

  /* Entry points reset the depth and drop every `binding`: a JS-level trap
   * (the browser's stack running out, in a deep lazy seq) unwinds without
   * running the guards, and a later evaluation must not see what it left.
   * They also start the clock of the time limit. */
  void reset_call_depth();

  /* Thrown when a call from JavaScript (an eval, a patch's load, a frame)
   * runs past the var jank.hot-reload *time-limit-ms*. Not a std::exception, so no
   * jank catch, not even of Throwable, keeps an endless loop going: it
   * unwinds to the entry point, and the page runs on. */
  struct time_limit_exceeded
  {
    double limit_ms;
  };
  /* What the entry point reports for it. */
  std::string time_limit_message(time_limit_exceeded const &e);
  /* A `finally` that runs after the limit has a second of its own. */
  void allow_cleanup_time();

  /* Output of println and friends: goes to stdout, and to a capture buffer while
   * an evaluation is collecting it. */
  void write_output(std::string const &text);
  void begin_output_capture();
  /* with-out-str: collects what is printed until the matching end, apart
   * from the evaluation's output. */
  void begin_nested_output_capture();
  std::string end_output_capture();
}
