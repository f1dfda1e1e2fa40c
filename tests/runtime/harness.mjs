// Loads the reference runtime (built by emcc from runtime/) in Node and compiles
// patches with the server's real compile pipeline (`jank-hot-reload compile`).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import readline from 'node:readline';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runtimeDir = path.join(repoRoot, 'runtime/build');
const serverBin = process.env.JANK_HOT_RELOAD_BIN
  ?? path.join(repoRoot, 'target/debug/jank-hot-reload');

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jank-hot-reload-test-'));
// Every test process makes one; none outlives it.
process.on('exit', () => fs.rmSync(workDir, { recursive: true, force: true }));

/** One `jank-hot-reload compile-server` per compiler and backend, answering JSON lines in order. */
const compileServers = new Map();

/** The jank backend the tests use unless they say: JANK_BACKEND, else the server's default. */
export const defaultBackend = process.env.JANK_BACKEND ?? null;

function compileServer(compiler, backend, bin = serverBin) {
  const key = `${compiler}/${backend}/${bin}`;
  let server = compileServers.get(key);
  if (!server) {
    const args = ['compile-server', '--compiler', compiler, ...(backend ? ['--backend', backend] : [])];
    const child = spawn(bin, args, {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const waiting = [];
    server = { child, waiting };
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      waiting.shift()?.resolve(JSON.parse(line));
      if (waiting.length === 0) keepAlive(server, false);
    });
    child.on('exit', (code) => {
      for (const w of waiting.splice(0)) w.reject(new Error(`compile-server exited with ${code}`));
    });
    keepAlive(server, false);
    compileServers.set(key, server);
  }
  return server;
}

/** Holds the test process open only while a compile is outstanding. */
function keepAlive({ child }, on) {
  for (const handle of [child, child.stdin, child.stdout]) {
    if (on) handle.ref?.();
    else handle.unref?.();
  }
}

let compileCount = 0;

/** Compiles through the real pipeline; resolves to the answer, ok or not.
 * `capabilities`: compile jank for a page with these (as its hello reports them). */
export function compileAnswer(source, { lang = 'c', compiler = 'fast', backend = defaultBackend, capabilities, rt, bin } = {}) {
  // Named by its text, in a directory per compile server: the same program
  // has the same file name (which clojure.test reports print) on every backend.
  const name = `p${crypto.createHash('sha256').update(source).digest('hex').slice(0, 12)}`;
  const extension = { c: 'c', 'c++': 'cpp', cpp: 'cpp', jank: 'jank' }[lang] ?? 'c';
  const dir = path.join(workDir, `${compiler}-${backend ?? 'default'}${bin ? `-${crypto.createHash('sha256').update(bin).digest('hex').slice(0, 8)}` : ''}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.${extension}`);
  const output = path.join(dir, `${name}-${++compileCount}.wasm`);
  fs.writeFileSync(file, source);
  const server = compileServer(compiler, backend, bin);
  // A runtime other than the one this compile server compiled for last is,
  // to it, a new page: it may lack the namespaces the session loaded from
  // source, so a require loads them again.
  const newPage = rt !== undefined && server.lastRuntime !== rt;
  if (rt !== undefined) server.lastRuntime = rt;
  return new Promise((resolve, reject) => {
    server.waiting.push({ resolve, reject });
    keepAlive(server, true);
    server.child.stdin.write(`${JSON.stringify({ file, output, capabilities, new_page: newPage })}\n`);
  }).then((answer) => (answer.ok && !answer.no_patch ? { ...answer, wasm: fs.readFileSync(output) } : answer));
}

/** Compiles C/C++ source to a side module; resolves to { wasm, entry_symbol, ... }. */
export async function compilePatch(source, options) {
  const answer = await compileAnswer(source, options);
  if (!answer.ok) throw new Error(`compile failed: ${JSON.stringify(answer.error)}`);
  return answer;
}

/** A fresh runtime instance; `form` is 'entry-symbol', 'seed', or 'fork' (the
 * jank fork's exact ABI, entry-symbol form). */
export async function loadRuntime(form = 'entry-symbol') {
  const base = { seed: 'jank_runtime_seed', fork: 'jank_runtime_fork' }[form] ?? 'jank_runtime';
  const { default: create } = await import(path.join(runtimeDir, `${base}.js`));
  const printed = [];
  const Module = await create({
    // Node's fetch cannot load a local .wasm for emcc 3.1.6 MODULARIZE builds.
    wasmBinary: fs.readFileSync(path.join(runtimeDir, `${base}.wasm`)),
    // An evaluation's output arrives in one piece (several lines).
    print: (text) => { for (const line of String(text).split('\n')) printed.push(line); },
    printErr: (line) => printed.push(line),
  });
  // JANK_GC_STRESS=n: collect at every nth chance inside a call, due or not,
  // which finds a value a patch keeps where the collector cannot see it.
  if (process.env.JANK_GC_STRESS && Module._jank_gc_stress) Module._jank_gc_stress(Number(process.env.JANK_GC_STRESS));
  return new Runtime(Module, form, printed);
}

let patchCounter = 0;

export class Runtime {
  constructor(Module, form, printed) {
    this.Module = Module;
    this.form = form;
    this.printed = printed;
  }

  /** The raw wasm export, whose `length` is its real parameter count. */
  rawExport(name) {
    const exports = this.Module.asm ?? this.Module.wasmExports;
    return exports[name];
  }

  /** Writes the bytes into Emscripten's FS and loads them; returns the C result. */
  load(bytes, entrySymbol, fsPath = `/patches/p${++patchCounter}.wasm`) {
    const FS = this.Module.FS;
    FS.mkdirTree(path.posix.dirname(fsPath));
    FS.writeFile(fsPath, bytes);
    return this.form === 'seed'
      ? this.Module.ccall('jank_hot_reload_load_patch', 'number', ['string'], [fsPath])
      : this.Module.ccall('jank_hot_reload_load_patch', 'number', ['string', 'string'], [fsPath, entrySymbol]);
  }

  /** Calls an export returning a malloc'd C string, and frees it. */
  takeString(name, argTypes = [], args = []) {
    const ptr = this.Module.ccall(name, 'number', argTypes, args);
    const text = this.Module.UTF8ToString(ptr);
    this.Module._free(ptr);
    return text;
  }

  stats() {
    return JSON.parse(this.takeString('jank_hot_reload_get_stats'));
  }

  /** Runs the garbage collector now (a quiescent point); the objects freed. */
  collect() {
    return this.Module._jank_gc_collect();
  }

  gcStats() {
    return JSON.parse(this.takeString('jank_gc_stats'));
  }

  lastError() {
    return this.takeString('jank_hot_reload_last_error');
  }

  vars() {
    return JSON.parse(this.takeString('jank_hot_reload_list_vars')).namespaces;
  }

  /** Runs a zero-arity var: { ok, value | error, out }. */
  run(qualifiedName) {
    return JSON.parse(this.takeString('jank_hot_reload_run_var', ['string'], [qualifiedName]));
  }

  /** Runs a var and returns its printed value, failing loudly on an error. */
  value(qualifiedName) {
    const result = this.run(qualifiedName);
    if (!result.ok) throw new Error(`${qualifiedName} failed: ${result.error}`);
    return result.value;
  }
}

/** C source helpers every test patch starts with. */
export const C_PRELUDE = `
#define ARGS(...) (void *[]){__VA_ARGS__}
#define NARGS(...) (int)(sizeof(ARGS(__VA_ARGS__)) / sizeof(void *))
#define CORE(name, ...) jank_call_var("clojure.core", name, NARGS(__VA_ARGS__), ARGS(__VA_ARGS__))
#define CALL(ns, name, ...) jank_call_var(ns, name, NARGS(__VA_ARGS__), ARGS(__VA_ARGS__))
#define I(n) jank_box_integer(n)
#define S(s) jank_make_string(s)
#define K(n) jank_make_keyword("", n)
#define VEC(...) jank_make_vector(NARGS(__VA_ARGS__), ARGS(__VA_ARGS__))
`;

/** A patch defining `ns/name` of arity 1 as (+ v addend). */
export function adderSource(name, addend) {
  return `${C_PRELUDE}
static void *adder(void *v) { return jank_box_integer(jank_unbox_integer(v) + ${addend}); }
JANK_PATCH_SYMBOLS({ "${name}", "1", (void *)adder })
`;
}

/** A patch defining a zero-arity `ns/name` whose body is the C expression `expr`. */
export function thunkSource(name, expr, extra = '') {
  return `${C_PRELUDE}
${extra}
static void *thunk(void) { return ${expr}; }
JANK_PATCH_SYMBOLS({ "${name}", "0", (void *)thunk })
`;
}

/**
 * Evaluates jank source the way the page does: compile (one compile session
 * across calls, like an editor's), load, then run the value var.
 * Resolves to { value, out } or { error, phase }. `bin`: another build of the
 * server to compile with (a benchmark's baseline).
 */
export async function evalJank(rt, source, { backend = defaultBackend, capabilities, bin } = {}) {
  const answer = await compileAnswer(source, { lang: 'jank', backend, capabilities, rt, bin });
  if (!answer.ok) return { error: answer.error.message, phase: answer.error.phase, at: [answer.error.line, answer.error.column] };
  if (answer.no_patch) return { value: answer.static_value };
  if (rt.load(answer.wasm, answer.entry_symbol) !== 0) return { error: rt.lastError(), phase: 'load' };
  // Between calls from JavaScript is a quiescent point: collect at each one, so
  // every program here also checks that nothing live is ever freed.
  rt.collect();
  if (!answer.run_var) return { value: answer.static_value };
  // The run var carries side effects even when the answer is a defn's var.
  const result = rt.run(answer.run_var);
  rt.collect();
  if (!result.ok) return { error: result.error, phase: 'run' };
  return { value: answer.answer_is_static ? answer.static_value : result.value, out: result.out };
}
