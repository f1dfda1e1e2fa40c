#!/usr/bin/env node
// Loads a jank.js/jank.wasm build in Node and prints what it offers for hot
// reload: the runtime methods the client needs, the load ABI, the helpers
// patches import, this project's extensions, and the registry's limits.
//
//   node scripts/check-runtime.mjs path/to/jank.js [path/to/jank.wasm] [--json]
//
// Exits 1 when the client cannot work with it at all (no load export, or a
// runtime method it needs is missing), naming the flag that adds each piece.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// The same lists as protocol/src/capabilities.rs (a test keeps them equal).
export const HELPERS = ['jank_box_integer', 'jank_box_double', 'jank_make_string', 'jank_make_keyword',
  'jank_make_symbol', 'jank_make_vector', 'jank_make_set', 'jank_make_list', 'jank_make_map', 'jank_nil_value',
  'jank_truthy', 'jank_call_var', 'jank_deref_var', 'jank_make_fn_wrapper', 'jank_call', 'jank_make_closure',
  'jank_fn_add_arity', 'jank_make_char', 'jank_make_boolean', 'jank_var', 'jank_set_var_root', 'jank_throw',
  'jank_try'];
export const EXTENSIONS = ['jank_hot_reload_run_var', 'jank_hot_reload_run_eval', 'jank_hot_reload_list_vars', 'jank_hot_reload_last_error',
  'jank_hot_reload_capabilities', 'jank_gc_maybe', 'jank_gc_stats', 'jank_hot_reload_loop_tick', 'jank_gc_add_root', 'jank_hot_reload_core_op',
  'jank_hot_reload_core_deref', 'jank_hot_reload_safepoint', 'jank_hot_reload_safe_call', 'jank_hot_reload_safe_try'];
const FORK_LIMITS = { max_arity: 4, variadic: false, multi_arity: false, call_var_max_args: 5, fn_wrapper_max_arity: 3 };

/** Helpers the built-in compiler's wasm backend builds in the patch when a
 * page lacks them (compiler/src/backend/wasm/stand_ins.rs), and through what. */
const STOOD_IN = {
  jank_make_boolean: 'clojure.core/boolean', jank_make_char: 'clojure.core/char', jank_make_list: 'list and conj',
  jank_make_map: 'array-map and assoc', jank_make_closure: 'partial, one arity per closure', jank_call: 'apply',
  jank_set_var_root: 'intern', jank_var: 'intern',
};

/** What each missing helper or extension costs, in a developer's words. */
const NEEDED_FOR = {
  jank_make_list: 'quoted lists', jank_make_map: 'map literals', jank_call: 'calling a fn value',
  jank_make_closure: 'fns that close over locals', jank_fn_add_arity: 'multi-arity fn values',
  jank_make_char: 'character literals', jank_make_boolean: 'true and false', jank_var: "#'var",
  jank_set_var_root: 'def', jank_throw: 'throw', jank_try: 'try',
  jank_hot_reload_run_var: 'evaluating expressions (values in the editor)',
  jank_hot_reload_run_eval: '*1, *2, *3 and *e per editor session',
  jank_hot_reload_list_vars: 'namespace sync on connect', jank_hot_reload_last_error: 'precise load errors',
  jank_hot_reload_capabilities: 'registry limits beyond the fork\'s', jank_gc_maybe: 'the reference collector',
  jank_gc_stats: 'collector figures',
  jank_hot_reload_loop_tick: 'the time limit stopping a loop that calls nothing else',
  jank_gc_add_root: 'literals built once per patch (identical? string literals)',
  jank_hot_reload_core_op: 'arithmetic and comparisons called directly, as Clojure inlines them',
  jank_hot_reload_core_deref: '@x and named-fn recursion without a call through clojure.core/deref',
  jank_hot_reload_safepoint: 'collecting garbage inside a long call',
  jank_hot_reload_safe_call: 'collecting garbage inside a long call',
  jank_hot_reload_safe_try: 'collecting garbage inside a long call',
};

/** The Module factory a jank.js exports: ES6 (MODULARIZE + EXPORT_ES6), UMD/CommonJS, or a global. */
async function loadFactory(jsPath) {
  const source = fs.readFileSync(jsPath, 'utf8');
  if (/^\s*export\s+default\b/m.test(source) || /\bexport\s*\{/.test(source)) {
    const module = await import(pathToFileURL(path.resolve(jsPath)).href);
    return module.default;
  }
  const required = createRequire(import.meta.url)(path.resolve(jsPath));
  if (typeof required === 'function') return required;
  if (typeof required?.default === 'function') return required.default;
  throw new Error(`${jsPath} exports no Module factory: build it with -sMODULARIZE=1 (and -sEXPORT_ES6=1 for an ES module)`);
}

export async function checkRuntime(jsPath, wasmPath) {
  const factory = await loadFactory(jsPath);
  const wasm = wasmPath ?? jsPath.replace(/\.m?js$/, '.wasm');
  const Module = await factory({
    wasmBinary: fs.readFileSync(wasm),
    print: () => {},
    printErr: () => {},
  });
  const raw = Module.asm ?? Module.wasmExports ?? null;
  const has = (name) => typeof Module[`_${name}`] === 'function' || typeof raw?.[name] === 'function';
  const problems = [];
  const methods = {};
  for (const method of ['FS', 'ccall', 'UTF8ToString']) {
    methods[method] = Module[method] !== undefined;
    if (!methods[method]) problems.push(`${method} is not on the Module: add it to -sEXPORTED_RUNTIME_METHODS`);
  }
  let abi = null;
  const load = raw?.jank_hot_reload_load_patch ?? Module._jank_hot_reload_load_patch;
  if (typeof load !== 'function') {
    problems.push('jank_hot_reload_load_patch is not exported: build jank with the hot-reload registry (MAIN_MODULE)');
  } else if (raw) {
    abi = load.length === 1 ? 'seed' : 'entry-symbol';
  } else {
    abi = 'unknown (no Module.asm or wasmExports: the client needs the abi option)';
  }
  const helpers = HELPERS.filter(has);
  const extensions = EXTENSIONS.filter(has);
  let limits = FORK_LIMITS;
  let limitsFrom = 'assumed: the jank fork\'s registry (no jank_hot_reload_capabilities)';
  if (extensions.includes('jank_hot_reload_capabilities')) {
    const pointer = Module.ccall('jank_hot_reload_capabilities', 'number', [], []);
    limits = { call_var_max_args: null, ...JSON.parse(Module.UTF8ToString(pointer)) };
    Module._free?.(pointer);
    limitsFrom = 'reported by jank_hot_reload_capabilities';
  }
  return {
    runtime_methods: methods,
    raw_exports: Module.asm ? 'Module.asm' : Module.wasmExports ? 'Module.wasmExports' : 'none',
    abi,
    helpers,
    missing_helpers: HELPERS.filter((h) => !helpers.includes(h)),
    extensions,
    missing_extensions: EXTENSIONS.filter((e) => !extensions.includes(e)),
    limits,
    limits_from: limitsFrom,
    problems,
  };
}

function report(r) {
  const lines = [];
  const yes = (b) => (b ? 'yes' : 'no');
  lines.push(`load ABI:          ${r.abi ?? 'none'}`);
  lines.push(`raw exports:       ${r.raw_exports}`);
  lines.push(`runtime methods:   ${Object.entries(r.runtime_methods).map(([k, v]) => `${k} ${yes(v)}`).join(', ')}`);
  lines.push(`helpers:           ${r.helpers.length} of ${HELPERS.length}`);
  for (const h of r.missing_helpers) {
    const standIn = STOOD_IN[h] ? `; the wasm backend stands in for it through ${STOOD_IN[h]}` : '';
    lines.push(`  missing ${h} (needed for ${NEEDED_FOR[h] ?? 'generated code'}${standIn})`);
  }
  lines.push(`extensions:        ${r.extensions.join(', ') || 'none'}`);
  for (const e of r.missing_extensions) lines.push(`  missing ${e} (needed for ${NEEDED_FOR[e] ?? 'an extension'})`);
  const l = r.limits;
  lines.push(`registry limits:   arities 0-${l.max_arity}, variadic ${yes(l.variadic)}, multi-arity ${yes(l.multi_arity)}, `
    + `jank_call_var args ${l.call_var_max_args ?? 'any'}, fn wrapper arities 0-${l.fn_wrapper_max_arity}`);
  lines.push(`                   (${r.limits_from})`);
  lines.push(r.problems.length ? `cannot hot-reload:\n${r.problems.map((p) => `  ${p}`).join('\n')}` : 'ready for hot reload');
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2).filter((a) => a !== '--json');
  if (args.length === 0) {
    console.error('usage: node scripts/check-runtime.mjs path/to/jank.js [path/to/jank.wasm] [--json]');
    process.exit(2);
  }
  try {
    const result = await checkRuntime(args[0], args[1]);
    console.log(process.argv.includes('--json') ? JSON.stringify(result, null, 2) : report(result));
    process.exit(result.problems.length ? 1 : 0);
  } catch (e) {
    console.error(`check-runtime: ${e.message}`);
    process.exit(1);
  }
}
