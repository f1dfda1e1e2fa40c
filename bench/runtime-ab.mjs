// Two builds of the reference runtime side by side, in one Node process, the
// cases interleaved so that both see the same machine: what a runtime change
// did, measured against its baseline in the same run. Each case is timed as
// the call, and as the call plus the collection the page runs after it: a
// runtime that collects inside the call pays then what another pays after.
// Usage: node bench/runtime-ab.mjs BASE_DIR [NEW_DIR] [runs]
//   BASE_DIR, NEW_DIR: directories holding jank_runtime.{js,wasm} (NEW_DIR
//   defaults to runtime/build). bench/run-runtime-ab.sh builds a baseline
//   from a git revision.
//   BASE_BIN (environment): the baseline's server, so that each runtime runs
//   code from its own compiler; without it both use JANK_HOT_RELOAD_BIN's.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Runtime, evalJank, repoRoot } from '../tests/runtime/harness.mjs';

const [baseDir, newDir = path.join(repoRoot, 'runtime/build'), runsArg = '9'] = process.argv.slice(2);
if (!baseDir) {
  console.error('usage: node bench/runtime-ab.mjs BASE_DIR [NEW_DIR] [runs]');
  process.exit(2);
}
const runs = Number(runsArg);

const definitions = `
(defn build-map [n] (reduce (fn [m i] (assoc m i i)) {} (range n)))
(defn lookups [m n] (loop [i 0 acc 0] (if (< i 1000000) (recur (inc i) (+ acc (get m (rem i n)))) acc)))
(defn fib [n] (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))`;
/** What each case exercises: the collections, calls by name, strings, lazy seqs, regexes, literals. */
const cases = {
  'assoc 5,000 entries ×20': '(dotimes [_ 20] (build-map 5000))',
  'assoc 100,000 entries': '(build-map 100000)',
  '1,000,000 lookups in 5,000': '(lookups (build-map 5000) 5000)',
  '(fib 24)': '(fib 24)',
  'str of 20,000 numbers': '(count (apply str (map (fn [i] (str i ",")) (range 20000))))',
  'map/filter/reduce over 300,000': '(reduce + (map inc (filter odd? (range 300000))))',
  'loop of 1,000,000 (<, inc, +)': '(loop [i 0 acc 0] (if (< i 1000000) (recur (inc i) (+ acc i)) acc))',
  'into [] of 1,000,000': '(count (into [] (range 1000000)))',
  'reduce over (range 3,000,000)': '(reduce + (range 3000000))',
  'take 300,000 of iterate': '(reduce + (take 300000 (iterate inc 0)))',
  're-seq and split over 50,000 numbers': '(let [s (clojure.string/join " " (range 50000))] (+ (count (re-seq #"\\d+" s)) (count (clojure.string/split s #" "))))',
  'regex replace with groups, 20,000 fields': '(count (clojure.string/replace (clojure.string/join "," (range 20000)) #"(\\d)(\\d)" "$2$1"))',
  'a regex literal in a loop, 100,000 re-find': '(loop [i 0 n 0] (if (< i 100000) (recur (inc i) (if (re-find #"\\d+" "ab12") (inc n) n)) n))',
  'a quoted list in a loop, 100,000 count': "(loop [i 0 n 0] (if (< i 100000) (recur (inc i) (+ n (count '(a b c d)))) n))",
  'a float literal in a loop, 1,000,000 *': '(loop [i 0 x 1.0] (if (< i 1000000) (recur (inc i) (* x 1.0000001)) x))',
};

async function load(dir, bin) {
  const { default: create } = await import(path.resolve(dir, 'jank_runtime.js'));
  const quiet = () => {};
  const Module = await create({
    wasmBinary: fs.readFileSync(path.resolve(dir, 'jank_runtime.wasm')),
    print: quiet,
    printErr: quiet,
  });
  const rt = new Runtime(Module, 'entry-symbol', []);
  const defined = await evalJank(rt, definitions, { bin });
  if (defined.error) throw new Error(`${dir}: ${defined.error}`);
  for (const [i, form] of Object.values(cases).entries()) {
    const compiled = await evalJank(rt, `(defn bench-case-${i} [] ${form})`, { bin });
    if (compiled.error) throw new Error(`${dir}: ${compiled.error}`);
  }
  return rt;
}

const runtimes = { base: await load(baseDir, process.env.BASE_BIN), new: await load(newDir) };
const times = Object.keys(cases).map(() => ({ base: [], new: [], baseTotal: [], newTotal: [] }));
for (let run = 0; run < runs; run++) {
  for (const i of Object.keys(cases).keys()) {
    for (const [which, rt] of Object.entries(runtimes)) {
      const start = performance.now();
      const result = rt.run(`user/bench-case-${i}`);
      times[i][which].push(performance.now() - start);
      if (!result.ok) throw new Error(`${which}: ${result.error}`);
      rt.collect();
      times[i][`${which}Total`].push(performance.now() - start);
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`| case (median of ${runs}) | base call (ms) | new call (ms) | new / base | base call + collection | new call + collection | new / base |
|---|---:|---:|---:|---:|---:|---:|`);
for (const [i, name] of Object.keys(cases).entries()) {
  const [b, n] = [median(times[i].base), median(times[i].new)];
  const [bt, nt] = [median(times[i].baseTotal), median(times[i].newTotal)];
  console.log(`| ${name} | ${b.toFixed(1)} | ${n.toFixed(1)} | ${(n / b).toFixed(2)} | ${bt.toFixed(1)} | ${nt.toFixed(1)} | ${(nt / bt).toFixed(2)} |`);
}
process.exit(0);
