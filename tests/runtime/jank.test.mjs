// The built-in jank compiler, form by form: compiled by the server's pipeline,
// loaded into the reference runtime under Node, and checked by printed value.
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

const cases = {
  'literals of every reader type': [
    '[nil true false 42 -7 0x10 2r101 1.5 -2.0e3 "a\\"b\\n" \\a \\newline :k :ns/k ::auto]',
    '[nil true false 42 -7 16 5 1.5 -2000.0 "a\\"b\\n" \\a \\newline :k :ns/k :user/auto]',
  ],
  'collections': ['[{:a [1 #{2}]} (list 1 2) []]', '[{:a [1 #{2}]} (1 2) []]'],
  'quote': ["'(1 a [b c/d] {:k x})", '(1 a [b c/d] {:k x})'],
  'def returns the var, and the value is usable': ['(def answer 41) (inc answer)', '42'],
  'def alone prints the var': ['(def some-var 1)', "#'user/some-var"],
  'defn returns the var': ['(defn ggg [v] (+ v 49))', "#'user/ggg"],
  'calling a defn': ['(defn ggg [v] (+ v 49)) (ggg 10)', '59'],
  'defn with docstring and metadata': ['(defn ^:private twice "doubles" {:added "1"} [a] (* a 2)) (twice 21)', '42'],
  'multi-arity and variadic defn': [
    '(defn m ([] 0) ([a] a) ([a b] (+ a b)) ([a b & more] (apply + a b more))) [(m) (m 1) (m 1 2) (m 1 2 3 4)]',
    '[0 1 3 10]',
  ],
  'if, do, when, when-not': ['[(if nil 1 2) (if 0 1 2) (do 1 2) (when true 3) (when-not true 3) (when false 1)]', '[2 1 2 3 nil nil]'],
  'cond': ['(defn sign [n] (cond (neg? n) :neg (zero? n) :zero :else :pos)) (map sign [-1 0 5])', '(:neg :zero :pos)'],
  'and, or': ['[(and) (and 1 2) (and 1 nil 2) (or) (or nil false 3) (or nil false)]', '[true 2 nil nil 3 false]'],
  'let': ['(let [a 1 b (+ a 1) a (* b 10)] [a b])', '[20 2]'],
  'vector destructuring': ['(let [[a b & r :as all] [1 2 3 4] [x [y]] [5 [6]]] [a b r all x y])', '[1 2 (3 4) [1 2 3 4] 5 6]'],
  'map destructuring': [
    '(let [{:keys [a b] :or {b 5} :as m} {:a 1} {x :x} {:x 9} {:strs [s]} {"s" 7}] [a b m x s])',
    '[1 5 {:a 1} 9 7]',
  ],
  'fn parameters destructure': ['((fn [[a b] {:keys [c]}] (+ a b c)) [1 2] {:c 3})', '6'],
  'closures over locals': ['(let [n 10 add (fn [x] (+ x n))] [(add 5) (map add [1 2])])', '[15 (11 12)]'],
  'closures over closures': ['(defn adder [n] (fn [x] (fn [y] (+ n x y)))) (((adder 1) 2) 3)', '6'],
  'a named fn calls itself': ['((fn fact [n] (if (< n 2) 1 (* n (fact (dec n))))) 10)', '3628800'],
  'multi-arity anonymous fn': ['(let [f (fn ([] :none) ([x] x) ([x & xs] (count xs)))] [(f) (f 1) (f 1 2 3)])', '[:none 1 2]'],
  'anonymous fn literals': ['[(map #(* % %) [1 2 3]) (#(+ %1 %2) 1 2) (#(apply + %&) 1 2 3) (#(vector %2 %1) 1 2)]', '[(1 4 9) 3 6 [2 1]]'],
  'loop/recur: factorial of 20': ['(loop [i 20 acc 1] (if (zero? i) acc (recur (dec i) (* acc i))))', '2432902008176640000'],
  'loop/recur: sum of a range of 100,000': [
    '(loop [xs (range 100000) acc 0] (if (empty? xs) acc (recur (rest xs) (+ acc (first xs)))))',
    '4999950000',
  ],
  'recur to a fn head, 100,000 times': ['(defn count-down [n] (if (zero? n) :done (recur (dec n)))) (count-down 100000)', ':done'],
  'recur in a closure': ['(let [step 2 f (fn [n acc] (if (> n 10) acc (recur (+ n step) (conj acc n))))] (f 0 []))', '[0 2 4 6 8 10]'],
  'threading macros': ['[(-> 1 inc (* 10)) (->> [1 2 3] (map inc) (reduce +)) (-> {:a {:b 5}} :a :b)]', '[20 9 5]'],
  'deref and var': ['(def v 5) [@#\'v (deref #\'v) #\'user/v]', "[5 5 #'user/v]"],
  'keywords, maps and sets are callable': ['[(:a {:a 1}) ({:b 2} :b) (#{3} 3) (:z {} :default)]', '[1 2 3 :default]'],
  'higher-order core functions': ['[(filter odd? (range 10)) (reduce + 0 (map inc [1 2 3])) (into [] (remove even? [1 2 3]))]', '[(1 3 5 7 9) 9 [1 3]]'],
  'strings': ['(str "a" 1 :k nil [1 "s"])', '"a1:k[1 \\"s\\"]"'],
  'comment and #_': ['(comment (this would fail)) #_(nor this) 7', '7'],
  'in-ns': ["(in-ns 'other.place) (def z 1)", "#'other.place/z"],
  // Its value is the namespace it enters (which prints as its name, as jank's).
  'in-ns gives the namespace': ["(in-ns 'entered.place)", 'entered.place'],
};

describe('special forms and macros compile, load and run', () => {
  for (const [name, [source, expected]] of Object.entries(cases)) {
    it(name, async () => {
      assert.equal(await value(`(in-ns 'user) ${source}`), expected);
    });
  }

  it('ns with :require, :as and :refer', async () => {
    assert.equal(await value('(ns app.util) (defn twice [x] (* 2 x))'), "#'app.util/twice");
    assert.equal(await value('(ns app.main (:require [app.util :as u :refer [twice]])) [(u/twice 2) (twice 3)]'), '[4 6]');
  });

  it('println output comes back with the value', async () => {
    const result = await evalJank(rt, '(in-ns \'user) (println "hi" 1 [2]) (prn "q") :done');
    assert.deepEqual([result.value, result.out], [':done', 'hi 1 [2]\n"q"\n']);
  });

  it('with-out-str keeps its text from the output and keeps the output before and after it', async () => {
    const result = await evalJank(rt, `(in-ns 'user) (println "a")
      (def captured (with-out-str (print "x") (print (str "[" (with-out-str (print "y")) "]"))))
      (println "b" captured)`);
    assert.equal(result.out, 'a\nb x[y]\n');
  });

  it('a redefinition takes effect for earlier callers', async () => {
    await value("(in-ns 'user) (defn inner [] 1) (defn outer [] (inner))");
    assert.equal(await value('(outer)'), '1');
    await value('(defn inner [] 2)');
    assert.equal(await value('(outer)'), '2');
  });

  it('after ns-unmap and a new def, earlier callers call the new var, as a reset multimethod needs', async () => {
    await value("(in-ns 'user) (defmulti unmapped-area :k) (defmethod unmapped-area :sq [_] :old) (defn unmapped-caller [] (unmapped-area {:k :sq}))");
    assert.equal(await value('(unmapped-caller)'), ':old');
    await value("(ns-unmap 'user 'unmapped-area) (defmulti unmapped-area :k) (defmethod unmapped-area :sq [_] :new)");
    assert.equal(await value('(unmapped-caller)'), ':new');
    const gone = await evalJank(rt, "(ns-unmap 'user 'unmapped-area) (unmapped-caller)");
    assert.match(gone.error, /Unable to resolve var: user\/unmapped-area/);
  });

  it('side effects before a trailing defn still run, and the var answers', async () => {
    const result = await evalJank(rt, '(in-ns \'user) (println "before") (defn after-print [] 1)');
    assert.deepEqual([result.value, result.out], ["#'user/after-print", 'before\n']);
  });

  it('ns alone needs no patch', async () => {
    const result = await evalJank(rt, '(ns only.a.namespace)');
    assert.equal(result.value, 'nil');
  });

  it("the page's eval, like the compiler, reaches another namespace's private var only through var", async () => {
    await value('(ns priv.eval.a) (defn- hidden [] :hidden) (defn shown [] :shown)');
    await value('(ns priv.eval.b)');
    const hidden = await evalJank(rt, '(eval (read-string "(priv.eval.a/hidden)"))');
    assert.deepEqual([hidden.phase, hidden.error], ['run', "var: #'priv.eval.a/hidden is not public"]);
    assert.equal(await value('(eval (read-string "(priv.eval.a/shown)"))'), ':shown');
    assert.equal(await value('(eval (read-string "((var priv.eval.a/hidden))"))'), ':hidden');
  });

  it('after an ns alone, the page knows the namespace: resolve, *ns* and eval work in it', async () => {
    assert.equal((await evalJank(rt, '(ns only.seen.by.the.compiler)')).value, 'nil');
    assert.equal(await value("(resolve 'inc)"), "#'clojure.core/inc");
    assert.equal((await evalJank(rt, "(resolve 'clojure.core/map)")).value, "#'clojure.core/map");
    assert.equal((await evalJank(rt, '(ns-name *ns*)')).value, 'only.seen.by.the.compiler');
    assert.equal((await evalJank(rt, '(eval (read-string "(+ 1 2)"))')).value, '3');
  });
});

describe('errors', () => {
  const errors = [
    ['unbalanced parentheses', '(defn f [x]\n  (+ x 1)', 'read', /never closed/, [1, 1]],
    ['unmatched delimiter', '(+ 1 2))', 'read', /unmatched delimiter/, [1, 8]],
    ['malformed BigDecimal literal', '(+ 1 1.5.2M)', 'read', /invalid number: 1.5.2M/, [1, 6]],
    ['unknown symbol', "(in-ns 'user)\n(defn f [x] (+ x undefined-thing))", 'analyze', /Unable to resolve symbol: undefined-thing/, [2, 18]],
    ['unknown namespace', '(nope/f 1)', 'analyze', /No such namespace: nope/, [1, 2]],
    ['unknown var in a known namespace', '(clojure.core/frobnicate 1)', 'analyze', /No such var: clojure.core\/frobnicate/, [1, 2]],
    ['a constructor of a class no one defined', '(my.app.Widget. 1)', 'analyze', /unsupported form: \(my\.app\.Widget\. \.\.\.\) is host interop/, [1, 1]],
    ['recur outside tail position', '(loop [i 0] (inc (recur i)))', 'analyze', /Can only recur from tail position/, [1, 18]],
    ['recur with the wrong count', '(loop [i 0] (recur 1 2))', 'analyze', /expected: 1 args, got: 2/, [1, 13]],
    ['recur outside any loop', '(recur 1)', 'analyze', /only allowed inside a loop or a fn/, [1, 1]],
    ['if with too many forms', '(if 1 2 3 4)', 'analyze', /if takes a test/, [1, 1]],
    ['let with an odd binding vector', '(let [a] a)', 'analyze', /even number/, [1, 1]],
    ['a macro as a value', '(map when [1])', 'analyze', /Can't take the value of a macro: #'clojure.core\/when/, [1, 6]],
    ['two variadic arities', '(fn ([& a] 1) ([x & b] 2))', 'analyze', /Can't have more than 1 variadic overload/, [1, 15]],
    ['another namespace\'s private var', "(ns priv.a) (defn- hidden [] 1) (ns priv.b) (priv.a/hidden)", 'analyze', /var: #'priv.a\/hidden is not public/, [1, 46]],
  ];
  for (const [name, source, phase, pattern, at] of errors) {
    it(name, async () => {
      const result = await evalJank(rt, source);
      assert.equal(result.phase, phase, `${source}: ${result.error}`);
      assert.match(result.error, pattern);
      assert.deepEqual(result.at, at, `${source}: ${result.error}`);
    });
  }

  it('a method the page does not have fails when it is called, as JVM reflection does, so code that names it loads', async () => {
    assert.deepEqual(await evalJank(rt, '(.getChannel "a")'), {
      error: 'No matching field found: getChannel for class java.lang.String',
      phase: 'run',
    });
    assert.match((await evalJank(rt, '(.toInstant "a" 1 2)')).error, /^No matching method toInstant found taking 2 args for class java\.lang\.String/);
    assert.equal(await value("(in-ns 'user) (defn maybe-instant [d] (if (string? d) d (.toInstant d)))"), "#'user/maybe-instant");
    assert.equal(await value('(maybe-instant "now")'), '"now"');
    assert.equal(await value('(try (maybe-instant 1) (catch IllegalArgumentException e (ex-message e)))'), '"No matching field found: toInstant for class java.lang.Long"');
  });

  it('a JVM class the page lacks: code naming it loads, the class is a value to extend, a static field an object, and a call fails when it runs', async () => {
    const program = `(ns absent.classes)
(defprotocol Describe (describe [x]))
(extend java.time.Instant Describe {:describe (fn [_] "an instant")})
(extend-protocol Describe String (describe [s] (str "text " s)))
(defn stamp [x] (if (string? x) (describe x) (.toInstant (.atStartOfDay x (java.time.ZoneId/systemDefault)))))
(def formatter java.time.format.DateTimeFormatter/ISO_INSTANT)`;
    assert.equal((await evalJank(rt, program)).error, undefined);
    assert.equal(await value('(absent.classes/stamp "now")'), '"text now"');
    assert.equal(await value('(identical? absent.classes/formatter java.time.format.DateTimeFormatter/ISO_INSTANT)'), 'true');
    assert.equal(await value('[(instance? java.time.Instant "now") (class absent.classes/formatter)]'), '[false java.time.format.DateTimeFormatter]');
    assert.equal(await value('(try (java.time.ZoneId/systemDefault) (catch UnsupportedOperationException e (ex-message e)))'),
      '"No class java.time.ZoneId in the page: java.time.ZoneId/systemDefault is JVM interop that the reference runtime does not have"');
    assert.equal(await value('(try (java.sql.Date. 0) (catch UnsupportedOperationException _ :unsupported))'), ':unsupported');
    assert.equal(await value('(try (.getZone absent.classes/formatter) (catch IllegalArgumentException e (ex-message e)))'),
      '"No matching field found: getZone for class java.time.format.DateTimeFormatter"');
    assert.deepEqual(await evalJank(rt, '(absent.classes/stamp 1)'), {
      error: 'No class java.time.ZoneId in the page: java.time.ZoneId/systemDefault is JVM interop that the reference runtime does not have',
      phase: 'run',
    });
  });

  it('calling a constant that is not a function throws when it runs, as on the JVM', async () => {
    const result = await evalJank(rt, "(in-ns 'user) (1 2)");
    assert.deepEqual([result.phase, result.error], ['run', 'Cannot call an integer as a function: 1']);
    assert.equal(await value('(try ("s" 1) (catch ClassCastException e :cce))'), ':cce');
  });

  it('an infinite seq printed ends in an error at 32 MiB, a long output or value is cut for the wire, and an endless value shows its start', async () => {
    const endless = await evalJank(rt, '(println (range))');
    assert.equal(endless.phase, 'run');
    assert.match(endless.error, /^the output passed 32 MiB: is an infinite seq being printed\?/);
    const long = await evalJank(rt, '(dotimes [i 100000] (println i))');
    assert.equal(long.value, 'nil');
    assert.ok(long.out.startsWith('0\n1\n2\n'));
    assert.match(long.out, /\n\.\.\. \[output cut at 256 KiB: 326746 more bytes; the browser console has the whole output\]\n$/);
    assert.ok(rt.printed.includes('99999'), 'the console (stdout) gets all of it');
    const big = await evalJank(rt, '(vec (range 100000))');
    assert.match(big.value, /^\[0 1 2 [\d ]+\n\.\.\. \[value cut at 256 KiB; def it, and look at a part of it\]\n$/);
    // Printing a value stops at the cut: an endless seq shows its start.
    const endlessValue = await evalJank(rt, '{:a (range)}');
    assert.match(endlessValue.value, /^\{:a \(0 1 2 [\d ]+\n\.\.\. \[value cut at 256 KiB; def it, and look at a part of it\]\n$/);
    assert.equal(await value('(count (with-out-str (dotimes [i 100000] (println i))))'), '588890', 'with-out-str keeps all of it');
    assert.equal(await value('(+ 1 1)'), '2', 'the runtime keeps working');
  });

  it('a call from the page that runs past jank.hot-reload/*time-limit-ms* is stopped, and no catch keeps it going', async () => {
    const endless = '(binding [jank.hot-reload/*time-limit-ms* 300] (loop [i 0] (when (< i 10) (recur i))))';
    const stopped = await evalJank(rt, endless);
    assert.equal(stopped.phase, 'run');
    assert.match(stopped.error, /^stopped after 0\.3 s, the page's limit for one call \(an endless loop or recursion\?\); the page and its definitions are as they were/);
    const caught = await evalJank(rt, `(def cleanup (atom [])) (try ${endless} (catch Throwable t (swap! cleanup conj :caught)) (finally (swap! cleanup conj :finally)))`);
    assert.match(caught.error ?? '', /^stopped after 0\.3 s/, 'not even a catch of Throwable keeps it going');
    assert.equal(await value('@cleanup'), '[:finally]', 'a finally still runs');
    const redefined = await evalJank(rt, `(defn original [] :original) (with-redefs [original (fn [] :redefined)] ${endless})`);
    assert.match(redefined.error ?? '', /^stopped after 0\.3 s/);
    assert.equal(await value('(original)'), ':original', 'with-redefs puts the root back');
    // A loop that calls nothing jumps back through the page's loop tick.
    await evalJank(rt, '(defn spin [x] (if x (recur x) x))');
    for (const callFree of ['(loop [] (recur))', '(while true)', '(spin true)']) {
      const result = await evalJank(rt, `(binding [jank.hot-reload/*time-limit-ms* 200] ${callFree})`);
      assert.match(result.error ?? '', /^stopped after 0\.2 s/, callFree);
    }
    assert.equal(await value('jank.hot-reload/*time-limit-ms*'), '8000', 'the default, under the server\'s 10 s wait');
    assert.equal(await value('(binding [jank.hot-reload/*time-limit-ms* nil] (reduce + (range 100000)))'), '4999950000');
    assert.equal(await value('(+ 1 1)'), '2', 'the runtime keeps working');
  });

  it('runtime errors come back from the page with their message', async () => {
    const result = await evalJank(rt, "(in-ns 'user) (/ 1 0)");
    assert.deepEqual([result.phase, result.error], ['run', 'Divide by zero']);
    assert.equal(await value('(+ 1 1)'), '2', 'the runtime keeps working');
  });
});

describe('the compiler and the runtime agree on clojure.core', () => {
  it('every var the compiler resolves in clojure.core and the library namespaces exists in the runtime', async () => {
    const knowledge = (await import('node:fs')).readFileSync(new URL('../../compiler/src/knowledge.rs', import.meta.url), 'utf8');
    const listed = (name) => {
      const start = knowledge.indexOf(`pub const ${name}`);
      return [...knowledge.slice(start, knowledge.indexOf('];', start)).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    };
    // JVM_CLASSES: ("Integer", &["parseInt", ...]) per class.
    const jvmClasses = () => {
      const start = knowledge.indexOf('pub const JVM_CLASSES');
      const block = knowledge.slice(start, knowledge.indexOf('\n];', start));
      return [...block.matchAll(/\(\s*"(\w+)",\s*&\[([^\]]*)\]/g)].map((m) => [m[1], m[2]]);
    };
    // LIBRARY_NAMESPACES: ("clojure.string", CLOJURE_STRING_VARS) per namespace.
    const libraryNamespaces = () => {
      const start = knowledge.indexOf('pub const LIBRARY_NAMESPACES');
      const block = knowledge.slice(start, knowledge.indexOf('\n];', start));
      return [...block.matchAll(/\(\s*"([^"]+)",\s*([A-Z_0-9]+),?\s*\)/g)].map((m) => [m[1], m[2]]);
    };
    const listedOrInline = (list) => (list.includes('"') ? [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]) : listed(list));
    const names = listed('CORE_VARS');
    const libraries = libraryNamespaces();
    assert.ok(libraries.length > 15, `${libraries.length} library namespaces`);
    for (const [ns, list] of [...libraries, ...jvmClasses()]) {
      const qualified = listedOrInline(list).map((n) => `${ns}/${n}`);
      assert.ok(qualified.length > 0, `${qualified.length} ${ns} names`);
      const result = await evalJank(rt, `(in-ns 'user) (count [${qualified.join(' ')}])`);
      assert.equal(result.error, undefined, result.error);
      assert.equal(result.value, String(qualified.length));
    }
    assert.ok(names.length > 70, `${names.length} names`);
    const result = await evalJank(rt, `(in-ns 'user) (count [${names.map((n) => `clojure.core/${n}`).join(' ')}])`);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.value, String(names.length));
  });
});
