/* The jank hot-reload ABI: what a host runtime exports and what a patch imports.
 *
 * This header is the single description of the ABI. The reference runtime
 * implements it, the dev server force-includes it into every patch it
 * compiles, and it follows the helper names and C signatures of jank's own
 * hot_reload_registry so that patches built here load into a real jank.wasm.
 *
 * Objects are opaque `void *` handles owned by the runtime. */
#ifndef JANK_HOT_RELOAD_ABI_H
#define JANK_HOT_RELOAD_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One entry of a patch's symbol table.
 * `signature` is the arity as a decimal string ("0" to "20"); "N+" declares a
 * variadic function taking N fixed parameters followed by one rest parameter
 * (a seq of the extra arguments, or nil). Several entries with the same
 * `qualified_name` in one patch form one multi-arity function. */
typedef struct patch_symbol {
  const char *qualified_name; /* "ns/name" */
  const char *signature;
  void *fn_ptr; /* void *(*)(void *, ...) taking as many void * as the signature says */
} patch_symbol;

/* The entry every patch exports, under a unique name (jank_patch_symbols_<id>). */
typedef patch_symbol *(*jank_patch_symbols_fn)(int *count);

/* Optional: metadata the symbol table cannot carry, which the reference
 * runtime applies after binding the roots. `jank_patch_meta` returns EDN: a
 * map of each fn's qualified symbol to its :arglists ({user/f ([x] [x y])}).
 * A runtime that does not look for the export loads the patch the same. */
typedef const char *(*jank_patch_meta_fn)(void);

/* Largest fixed arity a patch function may have. */
#define JANK_HOT_RELOAD_MAX_ARITY 20

/* ---- Helpers exported by the main module, imported by patches (jank's names). ---- */
void *jank_box_integer(int64_t value);
int64_t jank_unbox_integer(void *obj);
void *jank_box_double(double value);
double jank_unbox_double(void *obj);
void *jank_make_string(const char *str);
void *jank_make_keyword(const char *ns, const char *name);
void *jank_make_symbol(const char *ns, const char *name);
void *jank_make_vector(int argc, void **elements);
void *jank_make_set(int argc, void **elements);
void *jank_make_list(int argc, void **elements);
/* `elements` alternates key, value; argc counts both. */
void *jank_make_map(int argc, void **elements);
void *jank_nil_value(void);
int jank_truthy(void *obj);
void *jank_call_var(const char *ns, const char *name, int argc, void **args);
void *jank_deref_var(const char *ns, const char *name);
/* `arity` as in a signature; a negative arity -(N+1) declares "N+" (variadic). */
void *jank_make_fn_wrapper(void *fn_ptr, int arity);
void *jank_println(int argc, void **args);

/* ---- Optional extensions of the reference runtime, found by feature detection. ---- */
/* Calls any callable object (fn, var, keyword, map, set, vector). */
void *jank_call(void *fn, int argc, void **args);
/* A closure: fn_ptr receives `env` as its first parameter, before the arguments. */
void *jank_make_closure(void *fn_ptr, int arity, void *env);
/* Adds another arity to a function object made by jank_make_fn_wrapper/closure. */
void *jank_fn_add_arity(void *fn, void *fn_ptr, int arity);
void *jank_make_char(int32_t codepoint);
void *jank_make_boolean(int value);
/* The var object itself (`#'ns/name`); a runtime error if it does not exist. */
void *jank_var(const char *ns, const char *name);
/* `(def name value)`: interns the var and binds its root; returns the var. */
void *jank_set_var_root(const char *ns, const char *name, void *value);
/* Throws a runtime error that carries `message`; never returns. */
void jank_throw_message(const char *message);
/* `(throw value)`: throws any value; never returns. */
void *jank_throw(void *value);
/* `(try ...)`: calls the zero-arity fn `body`; if it throws, calls `handler`
 * (a one-arity fn, or NULL to rethrow) with the thrown value, or, for a
 * runtime error, an ex-info carrying its message. The zero-arity fn
 * `finally_` (or NULL) runs last in every case. Returns body's or handler's value. */
void *jank_try(void *body, void *handler, void *finally_);

/* ---- The host API the browser client calls. ---- */
/* Both return 0 on success and -1 on error (jank_hot_reload_last_error says why).
 * A runtime exports exactly one of the two forms under the one name
 * jank_hot_reload_load_patch; the client tells them apart by parameter count. */
int jank_hot_reload_load_patch(const char *path
#if !defined(JANK_HOT_RELOAD_ABI_SEED)
                               ,
                               const char *entry_symbol
#endif
);
/* malloc'd JSON: {"loaded_modules":N,"registered_symbols":M,"module_paths":[...]}.
 * The caller frees it. */
const char *jank_hot_reload_get_stats(void);
/* Extension, malloc'd: the message of the last failed load, or "" if none. */
const char *jank_hot_reload_last_error(void);
/* Extension, malloc'd JSON: runs the zero-arity var "ns/name" and returns
 * {"ok":true,"value":"<pr-str>","out":"..."} or {"ok":false,"error":"...","out":"..."}. */
const char *jank_hot_reload_run_var(const char *qualified_name);
/* Extension: clojure.core's + - * < > <= >= == = inc dec (op 0 to 10, in
 * that order; b unused by inc and dec), which patches call directly as
 * Clojure inlines them. */
void *jank_hot_reload_core_op(int op, void *a, void *b);
/* Extension: clojure.core's deref of one argument, which patches call
 * directly for @x and for every use of a named fn's or a letfn's name (a
 * box, read on each use). */
void *jank_hot_reload_core_deref(void *x);
/* Extension: patches call it on every recur (a loop's back edge), so that a
 * loop with no other call is stopped at the page's time limit; returns nil. */
void *jank_hot_reload_loop_tick(void);
/* Extension, malloc'd JSON: {"namespaces":{"user":["ggg",...],...}}. */
const char *jank_hot_reload_list_vars(void);

/* ---- Extension: the reference runtime's garbage collector. ----
 * Collections are precise and run only when the host asks, at a quiescent
 * point: between calls from JavaScript, never while a wasm frame is live.
 * Object pointers JavaScript keeps past the current task must be retained. */
/* Collects now; returns the number of objects freed. */
int jank_gc_collect(void);
/* Collects if enough was allocated since the last collection; 1 if it did. */
int jank_gc_maybe(void);
/* Keeps obj alive (counted) until released as many times. */
void jank_gc_retain(void *obj);
void jank_gc_release(void *obj);
/* A patch's constant slot: what it holds at each collection stays alive. */
void jank_gc_add_root(void **slot);
/* malloc'd JSON: {"collections":N,"live_objects":N,"live_bytes":N,
 * "allocated_objects":N,"allocated_bytes":N,"freed_objects":N,"last_pause_ms":X,"pause_p50_ms":X,
 * "pause_p99_ms":X,"pause_max_ms":X}. */
const char *jank_gc_stats(void);

#ifdef __cplusplus
}
#endif

#endif
