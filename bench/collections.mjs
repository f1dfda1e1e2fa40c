// Persistent collections at two sizes, on the reference runtime (under Node)
// and on JVM Clojure in the same run: build an n-entry map with assoc, look
// up 1,000,000 keys in it, conj n items onto a vector, build an n-entry sorted
// map (keys in descending order, so every insertion rebalances). The small size is
// repeated (100,000 / n times in one call) so both sizes time the same number
// of operations, which keeps the small case above timer noise.
// Usage: node bench/collections.mjs [runs]
//        node bench/collections.mjs [runs] --curve   (assoc cost per op, 1,000 to 200,000 entries)
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { evalJank, loadRuntime } from '../tests/runtime/harness.mjs';

const runs = Number(process.argv[2] ?? 5);
const sizes = [5000, 100000];
const definitions = `
(defn build-map [n] (reduce (fn [m i] (assoc m i i)) {} (range n)))
(defn lookups [m n] (loop [i 0 acc 0] (if (< i 1000000) (recur (inc i) (+ acc (get m (rem i n)))) acc)))
(defn conj-vector [n] (reduce conj [] (range n)))
(defn build-sorted [n] (reduce (fn [m i] (assoc m (- n i) i)) (sorted-map) (range n)))`;
const ops = sizes.at(-1);
const cases = (n) => ({
  [`assoc ${n} entries`]: `(dotimes [_ ${ops / n}] (build-map ${n}))`,
  [`1,000,000 lookups in ${n}`]: `(lookups (build-map ${n}) ${n})`,
  [`conj ${n} items`]: `(dotimes [_ ${ops / n}] (conj-vector ${n}))`,
  [`sorted assoc ${n} entries`]: `(dotimes [_ ${ops / n}] (build-sorted ${n}))`,
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function jank() {
  const rt = await loadRuntime();
  const defined = await evalJank(rt, definitions);
  if (defined.error) throw new Error(defined.error);
  const out = {};
  for (const n of sizes) {
    for (const [name, form] of Object.entries(cases(n))) {
      // Compile once into a zero-arity var, then time only the calls.
      const compiled = await evalJank(rt, `(defn bench-case [] ${form})`);
      if (compiled.error) throw new Error(compiled.error);
      const times = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        const result = rt.run('user/bench-case');
        times.push(performance.now() - start);
        if (!result.ok) throw new Error(`${name}: ${result.error}`);
        rt.collect();
      }
      out[name] = median(times);
    }
  }
  return out;
}

function jvm() {
  const forms = sizes.flatMap((n) => Object.entries(cases(n)));
  const program = `${definitions}
(doseq [[name f] ${JSON.stringify(forms.map(([name, form]) => [name, form])).replace(/","/g, '" (fn [] ').replace(/"\]/g, ')]').replace(/\\"/g, '"')}]
  (dotimes [_ 3] (f))
  (let [times (sort (for [_ (range ${runs})] (let [t (System/nanoTime)] (f) (/ (- (System/nanoTime) t) 1e6))))]
    (println (str name "\\t" (nth times (quot ${runs} 2))))))`;
  const out = execFileSync('clojure', ['-e', program], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return Object.fromEntries(out.trim().split('\n').map((line) => { const [k, v] = line.split('\t'); return [k, Number(v)]; }));
}

/** Microseconds per assoc while building maps of growing size (jank runtime only). */
async function curve() {
  const rt = await loadRuntime();
  const defined = await evalJank(rt, definitions);
  if (defined.error) throw new Error(defined.error);
  console.log('| entries | µs per assoc | against 5,000 |\n|---:|---:|---:|');
  const rows = [];
  for (const n of [1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000]) {
    const reps = Math.max(1, Math.round(200000 / n));
    const compiled = await evalJank(rt, `(defn bench-case [] (dotimes [_ ${reps}] (build-map ${n})))`);
    if (compiled.error) throw new Error(compiled.error);
    const times = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      rt.run('user/bench-case');
      times.push(performance.now() - start);
      rt.collect();
    }
    rows.push([n, (1000 * median(times)) / (reps * n)]);
  }
  const base = rows.find(([n]) => n === 5000)[1];
  for (const [n, us] of rows) console.log(`| ${n} | ${us.toFixed(3)} | ${(us / base).toFixed(2)}× |`);
}

if (process.argv.includes('--curve')) {
  await curve();
  process.exit(0);
}

const ours = await jank();
const theirs = jvm();
console.log(`| case (${ops} operations each; 1,000,000 for lookups) | jank runtime (ms) | JVM Clojure (ms) |\n|---|---:|---:|`);
for (const name of Object.keys(ours)) console.log(`| ${name} | ${ours[name].toFixed(1)} | ${theirs[name].toFixed(1)} |`);
const linear = sizes[1] / sizes[0];
console.log(`\n| what ${sizes[1]} cost against ${sizes[0]} (${linear}× is linear; target ≤ 25×) | jank runtime | JVM Clojure |\n|---|---:|---:|`);
for (const [label, key] of [['assoc', (n) => `assoc ${n} entries`], ['conj', (n) => `conj ${n} items`],
  ['sorted assoc (n log n: 20 × log 100,000 / log 5,000 = 27× is its linear)', (n) => `sorted assoc ${n} entries`]]) {
  const [a, b] = sizes.map(key);
  console.log(`| ${label} | ${(linear * ours[b] / ours[a]).toFixed(1)}× | ${(linear * theirs[b] / theirs[a]).toFixed(1)}× |`);
}
const [la, lb] = sizes.map((n) => `1,000,000 lookups in ${n}`);
console.log(`| lookup, per key (same count of lookups) | ${(ours[lb] / ours[la]).toFixed(1)}× | ${(theirs[lb] / theirs[la]).toFixed(1)}× |`);
