// Collection inside one call: the wasm backend's patches keep every value in
// their shadow-stack frame and call the page's safe helpers, so a safepoint
// (a recur, a call) may collect while the call runs. These tests allocate far
// more than the heap holds in single calls, through loops, recursion, try,
// binding, closures and calls through vars, and check that everything the
// call still holds comes out intact. Under GC stress (collect at every
// chance), the corpus runs as a whole too: a value a patch kept where the
// collector cannot see it would be freed and show.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { evalJank, loadRuntime } from './harness.mjs';
import { runTestFile, testFiles } from '../corpus/layout.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1048576;

async function value(rt, source, options) {
  const result = await evalJank(rt, source, options);
  assert.equal(result.error, undefined, `${source}\n→ ${result.phase} error: ${result.error}`);
  return result.value;
}

describe('collection inside a call', () => {
  let rt;
  before(async () => {
    rt = await loadRuntime();
  });

  it('a long loop collects its garbage as it runs, and keeps what it holds', async () => {
    await value(rt, `
      (defn churn [n]
        (loop [i 0 kept []]
          (if (< i n)
            (recur (inc i) (if (zero? (rem i 1000))
                             (conj kept (str "k" i))
                             (do (vec (range 40)) kept)))
            kept)))`);
    const before = rt.gcStats().collections;
    // About three million objects, 400 MB of vectors if nothing were freed.
    const result = await evalJank(rt, '(= (churn 1000000) (mapv #(str "k" %) (range 0 1000000 1000)))');
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.value, 'true');
    const collections = rt.gcStats().collections - before;
    assert.ok(collections >= 2, `${collections} collections during the call`);
    assert.ok(rt.Module.HEAP8.length < 256 * MiB, `the heap grew to ${rt.Module.HEAP8.length / MiB} MiB`);
  });

  it('keeps the values of every frame: recursion through vars, closures, try, binding and lazy seqs', async () => {
    rt.Module._jank_gc_stress(1);
    try {
      await value(rt, `
        (def ^:dynamic *scale* 1)
        (defn deep [n]
          (if (zero? n)
            []
            (let [here (str "n" n)
                  below (deep (dec n))
                  noise (vec (range 10))]
              (conj below [here (count noise) *scale*]))))
        (defn with-closure [n]
          (let [prefix (str "p" n)
                f (fn [x] (str prefix "-" x (count (vec (range 5)))))]
            (mapv f (range n))))
        (defn guarded [n]
          (try
            (loop [i 0 acc ()]
              (if (< i n) (recur (inc i) (cons (keyword (str "i" i)) acc)) (throw (ex-info "done" {:acc acc}))))
            (catch clojure.lang.ExceptionInfo e (count (:acc (ex-data e))))
            (finally (vec (range 100)))))`);
      assert.equal(await value(rt, '(binding [*scale* 3] (= (deep 200) (mapv (fn [n] [(str "n" n) 10 3]) (range 1 201))))'), 'true');
      assert.equal(await value(rt, '(with-closure 3)'), '["p3-05" "p3-15" "p3-25"]');
      assert.equal(await value(rt, '(guarded 500)'), '500');
      assert.equal(await value(rt, '(let [s (map #(str "s" %) (range 300))] (dotimes [_ 50] (vec (range 20))) (last s))'), '"s299"');
      // reduce collects between its steps, with its accumulator and seq kept.
      assert.equal(await value(rt, '(= (reduce (fn [acc x] (conj acc (str x))) [] (map inc (range 300))) (mapv str (range 1 301)))'), 'true');
      assert.equal(await value(rt, '(reduce (fn [m i] (assoc m (keyword (str "k" (rem i 7))) [i])) {} (range 200))'),
        '{:k0 [196], :k1 [197], :k2 [198], :k3 [199], :k4 [193], :k5 [194], :k6 [195]}');
      // So do count, frequencies, group-by, dorun and doall, between the cells of a lazy seq.
      assert.equal(await value(rt, '(count (map #(str "c" %) (range 500)))'), '500');
      assert.equal(await value(rt, '(frequencies (map #(keyword (str "f" (rem % 3))) (range 300)))'), '{:f0 100, :f1 100, :f2 100}');
      assert.equal(await value(rt, '(group-by odd? (map inc (range 6)))'), '{true [1 3 5], false [2 4 6]}');
      assert.equal(await value(rt, '(doall (map #(str "d" %) (range 3)))'), '("d0" "d1" "d2")');
      assert.equal(await value(rt, '(let [seen (atom 0)] (dorun (map (fn [_] (swap! seen inc)) (range 200))) @seen)'), '200');
    } finally {
      rt.Module._jank_gc_stress(0);
    }
  });

  it('a deftest under clojure.test collects as it runs, inside its fixtures, and its report counts', async () => {
    await value(rt, `
      (ns gc-in-call.tests (:require [clojure.test :refer [deftest is use-fixtures]]))
      (def log (atom []))
      (def ^:dynamic *n* 600000)
      (use-fixtures :each (fn [t] (let [tag (str "around-" (count @log))] (t) (swap! log conj tag))))
      (deftest churning
        (let [step (quot *n* 6)
              kept (loop [i 0 kept []]
                     (if (< i *n*)
                       (recur (inc i) (if (zero? (rem i step)) (conj kept (str "k" i)) (do (vec (range 30)) kept)))
                       kept))]
          (is (= (mapv #(str "k" %) (range 0 *n* step)) kept))
          (is (= 6 (count kept)))))
      (in-ns 'user)`);
    const before = rt.gcStats().collections;
    const result = await evalJank(rt, "(select-keys (clojure.test/run-tests 'gc-in-call.tests) [:test :pass :fail :error])");
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.value, '{:test 1, :pass 2, :fail 0, :error 0}');
    assert.ok(rt.gcStats().collections - before >= 2, 'collected during the test run');
    assert.equal(await value(rt, '@gc-in-call.tests/log'), '["around-0"]');
    rt.Module._jank_gc_stress(1);
    try {
      const stressed = await evalJank(rt, "(binding [gc-in-call.tests/*n* 600] (select-keys (clojure.test/run-tests 'gc-in-call.tests) [:pass :fail :error]))");
      assert.equal(stressed.error, undefined, stressed.error);
      assert.equal(stressed.value, '{:pass 2, :fail 0, :error 0}');
    } finally {
      rt.Module._jank_gc_stress(0);
    }
  });

  it('a C-backend frame is opaque: no collection while it waits on a call', async () => {
    await value(rt, '(defn churn-for [n] (dotimes [_ n] (vec (range 40))) :churned)');
    // Compiled by clang: its locals are wasm locals, which the collector
    // cannot see. (Its compiler has not seen churn-for: found at run time.)
    await value(rt, "(defn c-caller [] (let [kept (mapv str (range 100))] (@(resolve 'user/churn-for) 20000) (apply str kept)))", { backend: 'c' });
    rt.Module._jank_gc_stress(1);
    try {
      const expected = Array.from({ length: 100 }, (_, i) => i).join('');
      assert.equal(await value(rt, '(c-caller)', { backend: 'c' }), JSON.stringify(expected));
    } finally {
      rt.Module._jank_gc_stress(0);
    }
  });
});

describe('every corpus program under GC stress', () => {
  let rt;
  before(async () => {
    rt = await loadRuntime();
    rt.Module._jank_gc_stress(1);
    // Collecting at every chance is slow: give each program time.
    await value(rt, '(alter-var-root #\'jank.hot-reload/*time-limit-ms* (constantly 120000))');
  });

  // core is the largest: every third chance there keeps npm test's time.
  for (const [dir, every] of [['core', 3], ['form', 1], ['macro', 1], ['reader', 1]]) {
    it(`tests/corpus/${dir}, collecting at every ${every === 1 ? '' : `${every}rd `}chance`, async () => {
      rt.Module._jank_gc_stress(every);
      const failed = [];
      // A program that is there to churn (pass-long-call-collects) would
      // collect a million times here; the corpus runs it without stress.
      const churning = (test) => /long-call-collects/.test(test.name);
      for (const test of testFiles(path.join(here, '..', 'corpus', dir)).filter((t) => !churning(t))) {
        const { ok, detail } = await runTestFile(rt, test);
        if (!ok) failed.push(`${test.name}: ${detail.split('\n')[0].slice(0, 200)}`);
      }
      assert.deepEqual(failed, []);
    });
  }
});
