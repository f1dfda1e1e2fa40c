// Equality, hashing and printing against JVM Clojure (Debian's `clojure`
// package, installed by scripts/bootstrap.sh): each form is printed by the JVM
// and by the reference runtime, and the two must agree character for character.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, describe, it } from 'node:test';

import { evalJank, loadRuntime } from './harness.mjs';

const forms = {
  hashing: [
    '(hash 1)', '(hash -1)', '(hash 0)', '(hash 9223372036854775807)', '(hash -9223372036854775808)',
    '(hash 1.5)', '(hash -0.0)', '(hash 0.0)', '(hash 1e100)',
    '(hash "")', '(hash "abc")', '(hash "é😀 snow ☃")',
    '(hash :a)', '(hash :ns/kw)', "(hash 'sym)", "(hash 'my.ns/sym)", '(hash \\a)', '(hash \\☃)',
    '(hash nil)', '(hash true)', '(hash false)',
    '(hash [])', '(hash [1 2 3])', "(hash '(1 2 3))", '(hash (range 3))', '(hash (map inc [0 1 2]))',
    '(hash {})', '(hash {:a 1 :b [2 3]})', '(hash (zipmap (range 20) (range 20)))',
    '(hash 1/2)', '(hash -7/3)', '(hash 5000000000/3)',
    '(hash #{})', '(hash #{1 2 3})', '(hash #{"a" :b \\c})', '(hash [{:a #{1}} (list "x")])',
  ],
  equality: [
    "(= [1 2] '(1 2))", '(= [1 2] (range 1 3))', '(= (hash [1 2]) (hash (range 1 3)))',
    '(= 1 1.0)', '(== 1 1.0)', '(= 0.0 -0.0)', '(= {:a 1 :b 2} {:b 2 :a 1})', '(= #{1 2} #{2 1})',
    '(= {:a [1 2]} {:a (list 1 2)})', '(= [] ())', '(= [] {})', '(= nil false)', '(= "a" "a")',
    '(= :a :a)', "(= 'a 'a)", '(= \\a \\a)', '(= (zipmap (range 20) (range 20)) (into {} (map vector (reverse (range 20)) (reverse (range 20)))))',
    '(= #{[1 2]} #{(list 1 2)})', '(contains? #{[1 2]} (list 1 2))', '(get {[1 2] :v} (range 1 3))',
    '(= [1 [2 {:a #{3}}]] [1 [2 {:a #{3}}]])', '(not= 1 2)', '(= 1 1 1)', '(= 1 1 2)',
    '(= (sorted-map 1 2) {1 2})', '(= (hash (sorted-set 1 2)) (hash #{1 2}))', '(= 1/2 2/4)', '(= 1/2 0.5)', '(== 1/2 0.5)', '(< 1/3 0.34 1/2)', '(= #{1/2} #{(/ 2 4)})',
    '(= (sorted-map 1 2) {1 2})', '(= (hash (sorted-set 1 2)) (hash #{1 2}))', '(= 1/2 2/4)', '(= 1/2 0.5)', '(== 1/2 0.5)', '(< 1/3 0.34 1/2)', '(= #{1/2} #{(/ 2 4)})',
  ],
  printing: [
    '(pr-str (zipmap (range 12) (map str (range 12))))', '(pr-str (set (range 20)))',
    '(pr-str #{:a :b :c "d" \\e})', '(pr-str (into #{} (map keyword ["x" "y" "z" "w"])))',
    '(pr-str {:a 1 :b "two" :c [3 4] :d {:e nil}})', '(pr-str (frequencies "mississippi"))',
    '(pr-str (group-by odd? (range 10)))', '(pr-str (zipmap ["Aa" "BB" "AaAa" "BBBB" "AaBB" "BBAa" 1 2 3 4 5] (range)))',
    '(pr-str (dissoc (zipmap ["Aa" "BB" "AaAa" "BBBB" "AaBB" "BBAa" 1 2 3 4 5] (range)) "Aa" "AaAa" 1 2 3))',
    '(pr-str (sorted-map 3 :c 1 :a 2 :b) (sorted-set-by > 1 2 3) (into (sorted-map) (zipmap (range 12) (range))))',
    '(pr-str (into #{} (map str (range 30))) (set (map keyword (map str "abcdefghijkl"))))', '(pr-str (dissoc (zipmap (range 10) (range 10)) 3 5))',
    '(pr-str "a\\"b\\\\c\\nd\\te")', '(pr-str \\a \\space \\newline \\tab)', "(pr-str '() [] {} #{})",
    "(pr-str 'sym :kw :ns/kw 'ns/sym)", '(pr-str 1 -2 1.0 1.5 -0.5 100.0 0.1 1e10 123456789.125)',
    '(pr-str nil true false)', '(pr-str (/ 1 3) (+ 1/2 1/3) (/ 1 -2) (/ 6 3) (sort [1/2 0.1 1/3 1]) (/ 1.0 0))', '(pr-str (/ 1 3) (+ 1/2 1/3) (/ 1 -2) (/ 6 3) (sort [1/2 0.1 1/3 1]) (/ 1.0 0))', '(pr-str (range 5) (map inc [1 2]) (list 1 2))',
    '(pr-str [nil "s" \\c 1.0])', '(str nil)', '(str "a" nil \\b 1 1.0 :k \'s)', '(str [1 "a" \\b nil])',
    '(str {:a "x"})', '(str (list 1 "a"))', '(with-out-str (print "a" "b" \\c [1 "x" \\d]))',
    '(with-out-str (prn "a" \\c [1 "x"]))', '(with-out-str (println "line" [1 "x"] {:k "v"}))',
    '(with-out-str (pr {:k "v"}) (print " ") (pr #{"x"}))',
  ],
};

const all = Object.values(forms).flat();

/** What JVM Clojure prints for each form, as pr-str of its value. */
function jvmValues() {
  const program = `(doseq [f (read-string (slurp *in*))] (println (pr-str (eval f))))`;
  const input = `[${all.join('\n')}]`;
  let out;
  try {
    out = execFileSync('clojure', ['-e', program], { input, encoding: 'utf8', maxBuffer: 1 << 24 });
  } catch (e) {
    throw new Error(`JVM Clojure is needed for this test (scripts/bootstrap.sh installs Debian's clojure): ${e.message}`);
  }
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, all.length, `the JVM printed ${lines.length} values for ${all.length} forms:\n${out}`);
  return new Map(all.map((f, i) => [f, lines[i]]));
}

let rt;
let jvm;
before(async () => {
  rt = await loadRuntime();
  jvm = jvmValues();
});

describe('against JVM Clojure', () => {
  for (const [family, list] of Object.entries(forms)) {
    it(`${family} agrees with the JVM`, async () => {
      const differences = [];
      for (const form of list) {
        const result = await evalJank(rt, form);
        const ours = result.error === undefined ? result.value : `${result.phase} error: ${result.error}`;
        if (ours !== jvm.get(form)) differences.push(`${form}\n  JVM:  ${jvm.get(form)}\n  jank: ${ours}`);
      }
      assert.equal(differences.length, 0, `${differences.length} of ${list.length} differ:\n${differences.join('\n')}`);
    });
  }
});
