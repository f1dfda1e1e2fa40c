// The wasm backend: jank straight to an Emscripten side module. Each kernel
// form runs in the reference runtime; the module's shape is what Emscripten's
// loader needs; it loads through both ABI forms.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { compileAnswer, evalJank, loadRuntime } from './harness.mjs';

let rt;
before(async () => {
  rt = await loadRuntime();
});

async function value(source) {
  const result = await evalJank(rt, source, { backend: 'wasm' });
  assert.equal(result.error, undefined, `${source}\n→ ${result.phase} error: ${result.error}`);
  return result.value;
}

describe('the wasm backend runs every kernel form', () => {
  const cases = {
    'constants of every kind': ['[nil true false 42 -7 1.5 "a\\"b\\n" \\a :k :ns/k \'sym 1/2 #"x+"]', '[nil true false 42 -7 1.5 "a\\"b\\n" \\a :k :ns/k sym 1/2 #"x+"]'],
    'the extremes of integers and doubles': ['[9223372036854775807 -9223372036854775808 ##Inf ##-Inf]', '[9223372036854775807 -9223372036854775808 ##Inf ##-Inf]'],
    'strings beyond ASCII': ['[(count "é☃z") (str "☃" \\é)]', '[3 "☃é"]'],
    'def and a var call': ['(def base 40) (defn add-base [v] (+ v base)) (add-base 2)', '42'],
    'if, do and let': ['(let [a 1 b (if (pos? a) (do :side :yes) :no)] [a b])', '[1 :yes]'],
    'loop and recur, 100,000 times': ['(loop [i 0 acc 0] (if (< i 100000) (recur (inc i) (+ acc i)) acc))', '4999950000'],
    'recur to a fn head': ['(defn count-down [n] (if (zero? n) :done (recur (dec n)))) (count-down 100000)', ':done'],
    'closures over locals, nested': ['(let [a 1] (let [f (fn [b] (fn [c] (+ a b c)))] ((f 10) 100)))', '111'],
    'multi-arity and variadic': ['(defn m ([] 0) ([a] a) ([a b & more] (apply + a b more))) [(m) (m 5) (m 1 2) (m 1 2 3 4)]', '[0 5 3 10]'],
    'a named fn calling itself': ['((fn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2))))) 20)', '6765'],
    'letfn': ['(letfn [(ev? [n] (if (zero? n) true (od? (dec n)))) (od? [n] (if (zero? n) false (ev? (dec n))))] (ev? 100))', 'true'],
    'try, catch and finally': ['(let [log (atom [])] [(try (swap! log conj :body) (throw (ex-info "no" {:k 1})) (catch Exception e (ex-data e)) (finally (swap! log conj :finally))) @log])', '[{:k 1} [:body :finally]]'],
    'a runtime error caught': ['(try (/ 1 0) (catch Exception e (ex-message e)))', '"Divide by zero"'],
    'case': ['(map (fn [x] (case x 1 :one (2 3) :two-or-three "s" :string :other)) [1 3 "s" 9])', '(:one :two-or-three :string :other)'],
    'collection literals with computed items': ['(let [x 2] [{:a x} #{x} (list x)])', '[{:a 2} #{2} (2)]'],
    'quoted data with metadata': ["(meta '^:tagged [1])", '{:tagged true}'],
    'calling any callable': ['[(:a {:a 1}) ({:b 2} :b) (#{3} 3) ([4 5] 1) (#\'inc 1)]', '[1 2 3 5 2]'],
    'var metadata': ['(defn ^:private documented "the doc" [x] x) (:doc (meta #\'documented))', '"the doc"'],
    'def without a value': ['(def unbound-yet) (bound? #\'unbound-yet)', 'false'],
    'macros expanding into everything': ['(for [x (range 3) :when (odd? x) y [:a :b]] [x y])', '([1 :a] [1 :b])'],
  };
  for (const [name, [source, expected]] of Object.entries(cases)) {
    it(name, async () => assert.equal(await value(source), expected));
  }

  it('a throw escapes as a run error, and the page keeps its vars', async () => {
    await value('(defn still-here [] :yes)');
    const thrown = await evalJank(rt, '(throw (ex-info "out" {}))', { backend: 'wasm' });
    assert.equal(thrown.phase, 'run');
    assert.match(thrown.error, /out/);
    assert.equal(await value('(still-here)'), ':yes');
  });
});

describe('the module the wasm backend writes', () => {
  let answer;
  let module;
  before(async () => {
    answer = await compileAnswer('(defn shaped [x] (str "s" x)) (shaped 1)', { lang: 'jank', backend: 'wasm' });
    assert.ok(answer.ok, JSON.stringify(answer.error));
    module = new WebAssembly.Module(answer.wasm);
  });

  it('starts with the dylink.0 section, as Emscripten 3.1.6 requires', () => {
    assert.equal(answer.wasm[8], 0, 'a custom section right after the header');
    // [9] is the section's size (one LEB byte here), [10] its name's length.
    const name = new TextDecoder().decode(answer.wasm.subarray(11, 11 + answer.wasm[10]));
    assert.equal(name, 'dylink.0');
    assert.equal(WebAssembly.Module.customSections(module, 'dylink.0').length, 1);
  });

  it('imports memory, table, bases and stack pointer from env, and only helpers besides', () => {
    const imports = WebAssembly.Module.imports(module);
    const byName = Object.fromEntries(imports.map((i) => [i.name, i]));
    assert.equal(byName.memory.kind, 'memory');
    assert.equal(byName.__indirect_function_table.kind, 'table');
    for (const g of ['__memory_base', '__table_base', '__stack_pointer']) assert.equal(byName[g].kind, 'global');
    assert.ok(imports.every((i) => i.module === 'env'));
    assert.ok(imports.filter((i) => i.kind === 'function').every((i) => i.name.startsWith('jank_')));
  });

  it('exports its unique entry, jank_patch_symbols and its defns\' arglists, nothing else', () => {
    const exports = WebAssembly.Module.exports(module).map((e) => e.name).sort();
    assert.deepEqual(exports, [answer.entry_symbol, 'jank_patch_meta', 'jank_patch_symbols'].sort());
    assert.match(answer.entry_symbol, /^jank_patch_symbols_[0-9a-f]{16}$/);
  });

  it('gives a plain defn\'s arglists to the page through jank_patch_meta, on both ABI forms', async () => {
    const source = '(defn plain-args ([a] a) ([a {:keys [b]}] b))';
    for (const form of ['entry-symbol', 'seed']) {
      const rt = await loadRuntime(form);
      const plain = await compileAnswer(source, { lang: 'jank', backend: 'wasm', rt });
      assert.equal(plain.run_var ?? null, null, 'a plain defn runs no code');
      assert.equal(rt.load(plain.wasm, plain.entry_symbol), 0, rt.lastError());
      const check = await evalJank(rt, "(:arglists (meta #'plain-args))", { backend: 'wasm' });
      assert.equal(check.value, '([a] [a {:keys [b]}])', JSON.stringify(check));
    }
  });

  it('leaves a patch with no arglists without jank_patch_meta', async () => {
    const expression = await compileAnswer('(+ 1 2)', { lang: 'jank', backend: 'wasm' });
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(expression.wasm)).map((e) => e.name);
    assert.ok(!exports.includes('jank_patch_meta'), exports.join(' '));
  });

  it('loads through the seed ABI form too', async () => {
    const seed = await loadRuntime('seed');
    assert.equal(seed.load(answer.wasm, answer.entry_symbol), 0, seed.lastError());
    assert.equal(seed.value(answer.run_var), '"s1"');
  });

  it('is smaller than 2 KB for a one-line defn', async () => {
    const small = await compileAnswer('(defn tiny [v] (+ v 49))', { lang: 'jank', backend: 'wasm' });
    assert.ok(small.bytes < 2048, `${small.bytes} bytes`);
  });
});
