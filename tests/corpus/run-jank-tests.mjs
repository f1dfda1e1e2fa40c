// Runs a directory of jank test files (jank's layout) against the reference
// runtime and prints each result and the pass rate:
//   node tests/corpus/run-jank-tests.mjs DIR [--failures] [--jank-assert]
// --jank-assert first defines assert as jank's clojure.core does (it throws
// ex-info "assertion failed" with the form under :assertion).
import { evalJank, loadRuntime } from '../runtime/harness.mjs';
import { runTestFile, testFiles } from './layout.mjs';

const [dir, ...flags] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node tests/corpus/run-jank-tests.mjs DIR [--failures]');
  process.exit(2);
}
const rt = await loadRuntime();
if (flags.includes('--jank-assert')) {
  const defined = await evalJank(rt, `(in-ns 'user)
(defmacro assert
  ([x] (when *assert* (list 'clojure.core/when-not x (list 'throw (list 'clojure.core/ex-info "assertion failed" {:assertion (pr-str x)})))))
  ([x message] (when *assert* (list 'clojure.core/when-not x (list 'throw (list 'clojure.core/ex-info "assertion failed" {:assertion (pr-str x) :message message}))))))`);
  if (defined.error) throw new Error(`defining jank's assert: ${defined.error}`);
}
const tally = {};
for (const test of testFiles(dir)) {
  const { ok, detail } = await runTestFile(rt, test);
  tally[test.kind] ??= { passed: 0, total: 0 };
  tally[test.kind].total += 1;
  if (ok) tally[test.kind].passed += 1;
  if (!ok || !flags.includes('--failures')) {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${test.name}${ok ? '' : `: ${detail.split('\n')[0].slice(0, 200)}`}`);
  }
}
for (const [kind, { passed, total }] of Object.entries(tally)) {
  console.log(`${kind}: ${passed}/${total} (${Math.round((100 * passed) / total)}%)`);
}
process.exit(0);
