// The reference runtime's garbage collector, under Node: collections at
// quiescent points free garbage and keep everything a root reaches. evalJank
// already collects after every load and run, so every test in tests/runtime
// and tests/corpus runs under it too; these tests push it harder.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { evalJank, loadRuntime } from './harness.mjs';

let rt;
before(async () => {
  rt = await loadRuntime();
});

async function value(source) {
  const result = await evalJank(rt, source);
  assert.equal(result.error, undefined, `${source}\n→ ${result.phase} error: ${result.error}`);
  return result.value;
}

const MiB = 1048576;

/** Calls clojure.core/<name> from JavaScript on object pointers. */
function callCore(name, ...args) {
  const { Module } = rt;
  const argv = Module._malloc(4 * Math.max(args.length, 1));
  args.forEach((a, i) => Module.HEAPU32[(argv >> 2) + i] = a);
  const result = Module.ccall('jank_call_var', 'number', ['string', 'string', 'number', 'number'],
    ['clojure.core', name, args.length, argv]);
  Module._free(argv);
  return result;
}

const countOf = (ptr) => Number(rt.Module._jank_unbox_integer(callCore('count', ptr)));

describe('the garbage collector', () => {
  it('keeps every root across far more allocation than the heap holds', async () => {
    // Everything a hot-reload user keeps: defonce state with a watch, a
    // validator, a constant-returning fn, a multimethod, a protocol on a record,
    // a partly realized infinite lazy seq, a delay, metadata, a dynamic var.
    await value(`
      (defonce state (atom {:ticks 0} :validator map?))
      (def seen (atom []))
      (add-watch state :log (fn [_ _ _ n] (swap! seen conj (:ticks n))))
      (defn constants [] ["text" :kw 'sym #"a+b" {:k [1 2 3] :s #{4 5}} 2.5 123456789 \\x '(q r)])
      (defn greeting [] "hello")
      (identical? (greeting) (greeting))
      (defmulti area :shape)
      (defmethod area :square [{:keys [side]}] (* side side))
      (defmethod area :default [_] :unknown)
      (defprotocol Named (label [this]))
      (defrecord Dog [name] Named (label [this] (str "dog " name)))
      (def rex (->Dog "rex"))
      (def naturals (iterate inc 0))
      (def first-ten (doall (take 10 naturals)))
      (def lazy-later (map #(* % %) (range)))
      (def once (delay (str "forced " (count first-ten))))
      (defn ^{:doc "adds" :arglists '([a b])} add [a b] (+ a b))
      (def tagged (with-meta [1 2] {:tag :pair}))
      (def ^:dynamic *depth* 0)
      (defn churn [n] (count (mapv (fn [i] {:k (str "k" i) :v (vec (range 8)) :s #{i}}) (range n))))
      :ok`);
    const heapBefore = rt.Module.HEAP8.length;
    const statsBefore = rt.gcStats();

    for (let i = 0; i < 40; i++) {
      assert.equal(await value(`(do (swap! state update :ticks inc) (churn 5000))`), '5000');
      rt.collect();
    }

    const stats = rt.gcStats();
    const allocatedMiB = (stats.allocated_bytes - statsBefore.allocated_bytes) / MiB;
    assert.ok(allocatedMiB > 2 * heapBefore / MiB,
      `the loop allocated ${allocatedMiB.toFixed(0)} MiB of objects, more than twice the ${heapBefore / MiB} MiB heap`);
    assert.ok(rt.Module.HEAP8.length <= heapBefore + 16 * MiB,
      `the heap stayed bounded: ${heapBefore / MiB} → ${rt.Module.HEAP8.length / MiB} MiB`);
    assert.ok(stats.live_objects < statsBefore.live_objects + 2000,
      `live objects stayed flat: ${statsBefore.live_objects} → ${stats.live_objects}`);

    assert.equal(await value('[@state (count @seen) (last @seen)]'), '[{:ticks 40} 40 40]');
    assert.equal(await value('(constants)'), '["text" :kw sym #"a+b" {:k [1 2 3], :s #{4 5}} 2.5 123456789 \\x (q r)]');
    // The built-in compiler builds a literal once, in a slot it registers as a root.
    assert.equal(await value('[(greeting) (identical? (greeting) (greeting))]'), '["hello" true]', 'a cached constant survives every collection');
    assert.equal(await value('[(area {:shape :square :side 3}) (area {:shape :circle})]'), '[9 :unknown]');
    assert.equal(await value('[(label rex) rex (= rex (->Dog "rex"))]'), '["dog rex" #user.Dog{:name "rex"} true]');
    assert.equal(await value('[first-ten (nth naturals 20) (take 3 (drop 5 lazy-later))]'), '[(0 1 2 3 4 5 6 7 8 9) 20 (25 36 49)]');
    assert.equal(await value('[(realized? once) @once]'), '[false "forced 10"]');
    assert.equal(await value('[(:doc (meta #\'add)) (:arglists (meta #\'add)) (meta tagged)]'), '["adds" ([a b]) {:tag :pair}]');
    assert.equal(await value('[*depth* (binding [*depth* 1] *depth*)]'), '[0 1]');
    assert.equal(await value('(try (reset! state 5) (catch Exception e :refused))'), ':refused');

    // defonce keeps the same atom across a reload of the form.
    await value('(defonce state (atom {:ticks 0}))');
    assert.equal(await value('(:ticks @state)'), '40');
  });

  it('keeps what arrays, transients, promises and the global hierarchy hold', async () => {
    await value(`(in-ns 'user)
      (def arr (object-array 3)) (aset arr 0 (vec (range 100))) (aset arr 1 {:k (str "v" 1)})
      (def tr (transient [])) (dotimes [i 50] (conj! tr (str "s" i)))
      (def pr (promise)) (deliver pr (list 1 2 (str "x" 3)))
      (derive ::kid ::parent)
      nil`);
    for (let i = 0; i < 5; i++) {
      await value('(dotimes [_ 50] (into [] (map str (range 500))))');
      rt.collect();
    }
    assert.equal(await value('[(count (aget arr 0)) (get (aget arr 1) :k) (count (persistent! tr)) (last @pr) (isa? ::kid ::parent)]'),
      '[100 "v1" 50 "x3" true]');
  });

  it("keeps what java.util's mutable collections hold, and their comparators", async () => {
    await value(`(in-ns 'user)
      (def jm (java.util.HashMap.)) (dotimes [i 2000] (.put jm (str "k" i) [i (str "v" i)]))
      (def jl (java.util.ArrayList.)) (dotimes [i 500] (.add jl (str "item" i)))
      (def jq (java.util.PriorityQueue. (comparator (fn [a b] (> (count a) (count b))))))
      (doseq [s ["a" "bbb" "cc" (apply str (repeat 9 "z"))]] (.add jq (str s)))
      (def jd (java.util.ArrayDeque.)) (dotimes [i 100] (.push jd {:n (str i)}))
      nil`);
    for (let i = 0; i < 5; i++) {
      await value('(dotimes [_ 50] (into [] (map str (range 500))))');
      rt.collect();
    }
    assert.equal(await value('[(count jm) (get jm "k1999") (.get jl 499) (.poll jq) (.poll jq) (:n (.peekFirst jd)) (count jd)]'),
      '[2000 [1999 "v1999"] "item499" "zzzzzzzzz" "bbb" "99" 100]');
  });

  it('keeps the trees of sorted maps and sets, shared between versions', async () => {
    await value(`(in-ns 'user)
      (def sm (reduce #(assoc %1 (str "k" %2) %2) (sorted-map) (range 3000)))
      (def sm2 (reduce dissoc sm (map #(str "k" %) (range 0 3000 2))))
      (def ss (into (sorted-set-by >) (map #(* 3 %) (range 2000))))
      nil`);
    for (let i = 0; i < 5; i++) {
      await value('(dotimes [_ 20] (into (sorted-map) (map (fn [i] [(str i) i]) (range 500))))');
      rt.collect();
    }
    assert.equal(await value('[(count sm) (get sm "k2999") (count sm2) (first sm2) (count ss) (first ss) (last ss) (reduce + (vals sm))]'),
      '[3000 2999 1500 ["k1" 1] 2000 5997 0 4498500]');
  });

  it('keeps what unrealized lazy steps and ranges capture', async () => {
    // A lazy step's captured values live in a closure environment (env_of),
    // not a vector: they must survive collections until the step runs.
    await value(`(in-ns 'user)
      (def pending (map (fn [v] (str (peek v) "/" (count v))) (take 100 (iterate (fn [v] (conj v (str "s" (count v)))) ["a"]))))
      (def partway (drop 40 (partition-all 3 (interleave (range 1000) (map str (range 1000))))))
      (def long-range (range 5 500000000 5))
      nil`);
    for (let i = 0; i < 5; i++) {
      await value('(dotimes [_ 20] (doall (map (fn [x] (str x)) (take 500 (iterate inc 0)))))');
      rt.collect();
    }
    assert.equal(await value('[(count pending) (last pending) (first partway) (count long-range) (nth long-range 99999998) (first (drop 3 long-range))]'),
      '[100 "s99/100" (60 "60" 61) 99999999 499999995 20]');
  });

  it('reads a string by index without a character object per character', async () => {
    await value('(def long-text (apply str (repeat 20000 "ab")))');
    const before = rt.gcStats().allocated_objects;
    assert.equal(await value('(do (dotimes [_ 100] (nth long-text 39999) (first long-text) (count long-text) (get long-text 7) (subs long-text 39990 39991) (.charAt long-text 12345)) [(nth long-text 39999) (count long-text)])'),
      '[\\b 40000]');
    const allocated = rt.gcStats().allocated_objects - before;
    // Each call makes at most its result; a walk that boxed every character made 40,000 per call.
    assert.ok(allocated < 20000, `600 reads of a 40,000-character string allocated ${allocated} objects`);
  });

  it('frees what is no longer reachable', async () => {
    await value('(def big (vec (map str (range 20000))))');
    const holding = rt.gcStats();
    await value('(def big nil)'); // evalJank collects after the run
    const after = rt.gcStats();
    assert.ok(after.freed_objects - holding.freed_objects >= 20000,
      `dropping the vector freed ${after.freed_objects - holding.freed_objects} objects`);
    assert.ok(after.live_objects <= holding.live_objects - 19000, `${holding.live_objects} → ${after.live_objects}`);
  });

  it('keeps objects JavaScript retains until it releases them', () => {
    const { Module } = rt;
    const text = Module.ccall('jank_make_string', 'number', ['string'], ['kept by JavaScript']);
    Module._jank_gc_retain(text);
    Module._jank_gc_retain(text);
    rt.collect();
    Module._jank_gc_release(text);
    rt.collect();
    assert.equal(countOf(text), 18, 'still retained once');
    Module._jank_gc_release(text);
    const live = rt.gcStats().live_objects;
    assert.ok(rt.collect() >= 1);
    assert.ok(rt.gcStats().live_objects < live, 'released, it is freed');
  });

  it('keeps what a registered root slot holds, as patches keep their constants', () => {
    const { Module } = rt;
    const slot = Module._malloc(4);
    const items = [1, 2, 3].map((n) => Module._jank_box_integer(BigInt(n * 1000)));
    const argv = Module._malloc(12);
    items.forEach((p, i) => Module.HEAPU32[(argv >> 2) + i] = p);
    Module.HEAPU32[slot >> 2] = Module._jank_make_vector(3, argv);
    Module._free(argv);
    Module._jank_gc_add_root(slot);
    for (let i = 0; i < 3; i++) rt.collect();
    const kept = Module.HEAPU32[slot >> 2];
    assert.equal(countOf(kept), 3);
    assert.equal(Number(Module._jank_unbox_integer(callCore('last', kept))), 3000);
  });

  it('forgets an object whose constructor threw (an invalid regex), so no sweep frees it twice', async () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(await value('(try (re-pattern "(") (catch :default e (ex-message e)))'),
        '"Invalid regex #\\"(\\": Unmatched marking parenthesis ( or \\\\( near index 1"');
      rt.collect();
      assert.equal(await value('[(re-pattern "a") (str (re-find #"\\d+" "ab12"))]'), '[#"a" "12"]');
      rt.collect();
    }
  });

  it('gives emptied blocks back, to every size and to malloc: after an eval runs out of memory on one size of object, evals that need other sizes still run', async () => {
    // Its own runtime: this one grows to the most memory wasm32 has.
    const fresh = await loadRuntime();
    // No time limit: on a loaded machine the limit could end it before memory does.
    const runaway = await evalJank(fresh, '(binding [jank.hot-reload/*time-limit-ms* nil] (count (map inc (range))))');
    assert.match(runaway.error ?? '', /out of memory/);
    // Small hash maps: trie nodes and map entries, sizes the runaway's
    // conses, numbers and lazy steps did not use. Before, the runaway's blocks
    // stayed on their sizes' free lists and this ran out of memory too.
    const after = await evalJank(fresh, '(count (doall (repeatedly 200000 #(zipmap (range 12) (range)))))');
    assert.equal(after.error, undefined, `after the runaway: ${after.phase} error: ${after.error}`);
    assert.equal(after.value, '200000');
  });

  it('collects after an eval that ran out of memory, and never throws to JavaScript: definitions and later evals are intact', async () => {
    // Its own runtime: this one grows to the most memory wasm32 has.
    const fresh = await loadRuntime();
    await evalJank(fresh, '(def kept (atom {:n 42}))');
    for (const runaway of ['(vec (iterate inc 0))', '(count (map inc (range)))', '(reduce conj [] (map str (range)))']) {
      const result = await evalJank(fresh, `(binding [jank.hot-reload/*time-limit-ms* nil] ${runaway})`);
      assert.match(result.error ?? '', /out of memory/, runaway);
      // The collector has memory of its own held back: it runs, and frees the runaway's garbage.
      const freed = fresh.Module._jank_gc_collect();
      assert.ok(freed >= 0, `the collection after ${runaway} failed (${freed})`);
      assert.equal((await evalJank(fresh, '(:n @kept)')).value, '42');
      assert.equal((await evalJank(fresh, '(count (doall (repeatedly 100000 #(vector 1 2))))')).value, '100000');
    }
  });

  it('marks a long live seq with a short mark stack: an eval that filled memory with a seq a var holds leaves a page that collects, and frees it once the var lets go', async () => {
    const fresh = await loadRuntime();
    await evalJank(fresh, '(def head (map inc (iterate inc 0)))');
    const result = await evalJank(fresh, '(binding [jank.hot-reload/*time-limit-ms* nil] (count head))');
    assert.match(result.error ?? '', /out of memory/);
    // Every realized cell is live (head holds the first): marking them used
    // to keep each cell's number on the mark stack, which itself ran out.
    assert.ok(fresh.Module._jank_gc_collect() >= 0, 'the collection over the live seq failed');
    const holding = fresh.gcStats().live_objects;
    assert.ok(holding > 1000000, `the seq's ${holding} cells`);
    await evalJank(fresh, '(def head nil)'); // collects after it runs
    const after = fresh.gcStats().live_objects;
    assert.ok(after < holding / 10, `${after} objects live once nothing held the seq's ${holding}`);
    assert.equal((await evalJank(fresh, '(count (doall (repeatedly 100000 #(vector 1 2))))')).value, '100000');
  });

  it("holds an eval's garbage in little more memory than its objects take: blocks come from slabs, not one aligned malloc each", async () => {
    // Its own runtime, so that the heap's growth is this eval's.
    const fresh = await loadRuntime();
    const heapBefore = fresh.Module.HEAP8.length;
    const allocatedBefore = fresh.gcStats().allocated_bytes;
    // Numbers, list cells and lazy steps, none kept past their step: nothing
    // is collected inside a call, so the heap holds all of them at its end.
    const result = await evalJank(fresh, '(reduce + (map (fn [i] (count (list i i i))) (range 2000 4000000)))');
    assert.equal(result.value, '11994000');
    const grew = fresh.Module.HEAP8.length - heapBefore;
    const made = fresh.gcStats().allocated_bytes - allocatedBefore;
    // 1.52 with slabs; 2.50 when each 32 KiB block was malloc's aligned
    // allocation, which left nearly a block unusable before it.
    assert.ok(grew < 1.8 * made, `the heap grew ${(grew / MiB).toFixed(0)} MiB for ${(made / MiB).toFixed(0)} MiB of objects`);
  });

  it('reports its figures', () => {
    const stats = rt.gcStats();
    for (const key of ['collections', 'live_objects', 'live_bytes', 'allocated_objects', 'allocated_bytes',
      'freed_objects', 'last_pause_ms', 'pause_p50_ms', 'pause_p99_ms', 'pause_max_ms']) {
      assert.equal(typeof stats[key], 'number', key);
    }
    assert.ok(stats.collections > 40 && stats.freed_objects > 100000);
  });
});
