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
  // The functions most programs reach for beyond the basics, and the
  // namespaces they require beside clojure.string.
  everyday: [
    // A record's Object toString is what str gives; printing keeps the map form.
    '(do (defrecord Dog2 [name] Object (toString [this] (str "Dog " (:name this)))) [(pr-str (->Dog2 "rex")) (str (->Dog2 "a")) (str [(->Dog2 "a")]) (format "%s!" (->Dog2 "b")) (str "x" (->Dog2 "c"))])',
    // Case changes are Unicode's, not ASCII's.
    '[(clojure.string/lower-case "ÀB") (clojure.string/upper-case "éàü ñ ÿ") (clojure.string/capitalize "élan VITAL") (clojure.string/upper-case "привет") (clojure.string/lower-case "ΑΒΓ") (clojure.string/capitalize "") (clojure.string/upper-case "a😀b")]',
    // keyword and symbol of a string split at the first slash; keyword of anything else is nil.
    '[(keyword nil) (keyword 1) (namespace (keyword "a/b")) (name (keyword "a/b/c")) (namespace (symbol "x/y")) (symbol "/") (name (symbol "a/")) (= :a/b (keyword "a/b")) (= (quote x/y) (symbol "x/y"))]',
    // str of an infinity or NaN spells it out, as Double.toString; printing keeps ##Inf.
    '[(str ##-Inf) (str ##Inf " " ##NaN) (str [##Inf]) (with-out-str (print ##Inf)) (pr-str ##Inf) (format "%s" ##Inf)]',
    // defprotocol answers its name; *out* and *err* can be bound; exception classes as values.
    '[(defprotocol Shape3 (perimeter3 [s])) (binding [*out* *out*] (with-out-str (println "hi"))) (instance? clojure.lang.ExceptionInfo (ex-info "m" {})) (instance? Exception (ex-info "m" {})) (try (/ 1 0) (catch Exception e (instance? Throwable e))) (instance? Exception "s")]',
    // More JVM methods and statics that ported code calls.
    '[(.matches "abc" "a.c") (.matches "abcd" "a.c") (.replaceAll "a1b2" "\\\\d" "#") (.replaceFirst "a1b2" "\\\\d" "#") (seq (.toCharArray "ab")) (.intValue 3.7) (.doubleValue 3) (.containsKey {:a 1} :a) (.size [1 2]) (.getKey (first {:a 1})) (.getValue (first {:a 1}))]',
    '[(Integer/toHexString 255) (Integer/toHexString -1) (Integer/toBinaryString 5) (Integer/toOctalString 8) (Long/toHexString -1) (Long/toString 255 16) (Long/toString -255 16) (Integer/toString 42) (Long/toBinaryString 0)]',
    // A padded partition is the last one, eager or lazy.
    '[(partition 3 1 [:pad] (range 7)) (partition 4 4 [:a] (range 10)) (partition 3 3 [] (range 8)) (partition 3 1 [:pad] (take 7 (iterate inc 0)))]',
    '(reduce-kv (fn [m k v] (assoc m k (* v 10))) {} {:a 1 :b 2})', '(reduce-kv (fn [acc i x] (+ acc (* i x))) 0 [5 6 7])',
    '(reduce-kv (fn [acc k v] (if (= k :b) (reduced [k v]) acc)) nil (array-map :a 1 :b 2 :c 3))', '(reduce-kv conj [] nil)',
    '[(rseq [1 2 3]) (rseq []) (rseq (sorted-map 1 :a 2 :b)) (rseq (sorted-set 3 1 2))]',
    '[(subseq (sorted-map 1 :a 2 :b 3 :c) > 1) (subseq (sorted-set 1 2 3 4 5) >= 2 < 5) (rsubseq (sorted-set 1 2 3 4 5) > 2) (subseq (sorted-set 1 2) > 5)]',
    '(update-vals (sorted-map :b 2 :a 1) inc)', '(update-keys {1 :a 2 :b} str)',
    '[(counted? [1]) (counted? (map inc [1])) (bounded-count 3 (range)) (bounded-count 10 [1 2])]',
    '[(take-nth 3 (range 10)) (take 3 (take-nth 2 (range))) (take-last 2 [1 2 3]) (take-last 0 [1]) (drop-last [1 2 3]) (drop-last 2 [1 2 3])]',
    '[(list* 1 2 [3 4]) (list* []) (list* 1 nil) (ffirst [[1 2]]) (fnext [1 2]) (nfirst [[1 2 3]]) (nnext [1 2 3])]',
    '[(coll? []) (coll? "s") (coll? nil) (coll? (map inc [1])) (seqable? nil) (seqable? "a") (seqable? 1) (associative? [1]) (associative? (list 1)) (sequential? (list 1)) (sequential? {}) (ifn? :k) (ifn? 1) (ifn? #{}) (ifn? inc)]',
    '[(int? 1) (int? 1.0) (pos-int? 0) (neg-int? -1) (nat-int? 0) (double? 1.0) (float? 1.0) (boolean? false) (char? \\a) (true? true) (true? 1) (false? nil) (any? nil) (list? (list 1)) (list? [1]) (var? #\'inc) (indexed? [1]) (reversible? [1]) (reversible? (sorted-map)) (reversible? {})]',
    "[(ident? :a) (simple-ident? :a/b) (qualified-ident? 'a/b) (simple-keyword? :a) (qualified-keyword? :a/b) (simple-symbol? 'a) (qualified-symbol? 'a)]",
    '[(identical? :a :a) (distinct? 1 2 3) (distinct? 1 2 1) (boolean nil) (boolean 0) (char 97) (char \\b) (delay? (delay 1)) (volatile? (volatile! 1)) (volatile? (atom 1)) (symbol? (gensym "tmp"))]',
    '[(bit-and 12 10) (bit-or 12 10) (bit-xor 12 10) (bit-and-not 12 10) (bit-not 5) (bit-shift-left 1 10) (bit-shift-right 1024 3) (bit-shift-right -8 1) (unsigned-bit-shift-right -1 60) (bit-set 0 3) (bit-clear 15 0) (bit-flip 5 1) (bit-test 5 2) (bit-and 7 6 5)]',
    '[(parse-long "42") (parse-long "-7") (parse-long "4.2") (parse-long "") (parse-long "99999999999999999999") (parse-double "1.5") (parse-double "-2e3") (parse-double "abc") (parse-double ".5") (parse-boolean "true") (parse-boolean "yes")]',
    '(with-out-str (print "a") (newline) (printf "%s-%d" "x" 5) (run! print [1 2]))',
    '[(clojure.string/escape "a<b>&" {\\< "&lt;" \\> "&gt;"}) (clojure.string/trim-newline "hi\\r\\n") (clojure.string/replace "a.b" #"\\." (clojure.string/re-quote-replacement "$1"))]',
    '(let [t (transient [])] (dotimes [i 5] (conj! t i)) (persistent! t))', '(persistent! (reduce conj! (transient #{}) [1 2 2 3]))',
    '(persistent! (pop! (conj! (transient [1 2]) 3)))', '(persistent! (disj! (transient #{1 2 3}) 2))',
    '(let [t (transient {:a 1})] (assoc! t :b 2) [(count t) (get t :b) (persistent! t)])',
    '(tree-seq sequential? seq [1 [2 [3]] 4])', '(sort (comparator >) [1 3 2])', '[(num 5) (num 1.5) (str (ex-info "boom" {:k 1}))]',
    '(eduction (map inc) (filter odd?) [1 2 3 4])',
    '(read-string "[nil true false 1 -2 +3 1.5 -2e3 1/2 \\"s\\\\n\\" \\\\a \\\\newline \\\\u0041 :k :ns/k sym ns/sym #{1} (quote x) 0x1F]")',
    '[(clojure.edn/read-string "") (clojure.edn/read-string "{:config {:port 8080}}") (read-string "a b c")]', '[(map? (array-map :a 1)) (array-map :b 1 :a 2)]',
    '[(clojure.set/union #{1 2} #{3}) (clojure.set/union) (clojure.set/union nil #{1}) (clojure.set/intersection #{1 2 3} #{2 3 4} #{3}) (clojure.set/difference #{1 2 3} #{2} #{3}) (clojure.set/subset? #{1} #{1 2}) (clojure.set/superset? #{1} #{1 2})]',
    '[(clojure.set/select odd? #{1 2 3}) (clojure.set/map-invert {:a 1 :b 2}) (clojure.set/rename-keys {:a 1 :b 2} {:a :x :b :a}) (clojure.set/project #{{:a 1 :b 2} {:a 3 :b 4}} [:a]) (clojure.set/rename #{{:a 1}} {:a :z}) (clojure.set/index #{{:a 1 :b 2} {:a 1 :b 3} {:a 2 :b 4}} [:a])]',
    "[(clojure.walk/postwalk #(if (number? %) (inc %) %) [1 {:a 2} '(3 #{4})]) (clojure.walk/prewalk-replace {:a :b} [:a {:a :a}]) (clojure.walk/postwalk-replace {1 :one} '(1 2 [1])) (clojure.walk/walk first reverse [[1 2] [3 4]])]",
    '[(clojure.walk/keywordize-keys {"a" {"b" 1} :c 2}) (clojure.walk/stringify-keys {:a {:b 1} "c" 2}) (clojure.walk/prewalk (fn [x] (if (map? x) (dissoc x :secret) x)) {:a {:secret 1 :b 2} :secret 3})]',
    '[(clojure.math/sqrt 16) (clojure.math/pow 2 10) (clojure.math/floor 2.7) (clojure.math/ceil 2.1) (clojure.math/round 2.5) (clojure.math/round -2.5) (clojure.math/signum -3.0) (clojure.math/floor-div -7 2) (clojure.math/floor-mod -7 2) (clojure.math/hypot 3 4) (clojure.math/to-degrees clojure.math/PI)]',
    '[(clojure.math/exp 0) (clojure.math/log clojure.math/E) (clojure.math/log10 1000) (clojure.math/cbrt 27) (clojure.math/rint 2.5) (clojure.math/atan2 1 1) (clojure.math/sin 0) (clojure.math/cos 0) clojure.math/PI clojure.math/E]',
    "(do (def fib-seq (lazy-cat [0 1] (map + fib-seq (rest fib-seq)))) (take 10 fib-seq))",
    "(do (defn f1 [] :orig) (defn g1 [] (f1)) [(with-redefs [f1 (fn [] :mocked)] (g1)) (g1)])",
    "(do (defn f2 [] :orig) [(try (with-redefs [f2 (fn [] :m)] (throw (ex-info \"x\" {}))) (catch Exception _ :caught)) (f2)])",
    "(do (derive ::square ::rect) (derive ::rect ::shape) [(isa? ::square ::shape) (ancestors ::square) (parents ::square) (descendants ::shape) (isa? [::square ::rect] [::shape ::shape]) (isa? ::shape ::square)])",
    "(do (let [h (-> (make-hierarchy) (derive :a :b) (derive :b :c))] [(isa? h :a :c) (ancestors h :a) (parents h :z)]))",
    "(do (defmulti kind identity) (derive ::x ::p1) (derive ::x ::p2) (defmethod kind ::p1 [_] :p1) (defmethod kind ::p2 [_] :p2) (try (kind ::x) (catch Exception e :ambiguous)))",
    "(do (defmulti kind3 identity) (derive ::z ::r) (defmethod kind3 ::r [_] :r) (defmethod kind3 ::z [_] :z) (kind3 ::z))",
    "(do (derive ::u ::v) (underive ::u ::v) (isa? ::u ::v))",
    "(do [(range 0 1 0.25) (range 1 0 -0.5) (range 0 1/2 1/8) (take 3 (range 0 100000000)) (count (range 100000)) (range 5 0 -2) (range 3 3) (take 2 (range 1 2 0))])",
    "(do [(get \"abc\" 1) (get \"abc\" 5 :nf) (contains? \"abc\" 2)])",
    "(do (hash-map :b 1 :a 2 :c 3))",
    "(do [(hash-map) (hash-map 1 2) (assoc (hash-map :a 1) :b 2 :c 3 :d 4)])",
    "(do (format \"%,d %,.2f\" 1234567 1234.5))",
    "(do (float 1.5))",
    // JVM interop idioms on strings and exceptions, as the same clojure.core and clojure.string calls.
    "(let [r (atom [])] (try (swap! r conj 1) (throw (Exception. \"x\")) (catch Exception e (swap! r conj (.getMessage e))) (finally (swap! r conj :fin))) @r)",
    "(try (throw (IllegalArgumentException. \"bad arg\")) (catch IllegalArgumentException e (.getMessage e)))",
    "(try (throw (RuntimeException. \"outer\" (ex-info \"inner\" {:a 1}))) (catch Exception e [(.getMessage e) (ex-message (.getCause e)) (ex-data (.getCause e))]))",
    "(try (throw (ex-info \"m\" {:k 1})) (catch clojure.lang.ExceptionInfo e (.getData e)))",
    "(try (throw (java.lang.IllegalStateException. \"st\")) (catch Throwable t (ex-message t)))",
    "(.toUpperCase \"abc\")",
    "(.toLowerCase \"ABC\")",
    "(.length \"abc\")",
    "(.indexOf \"abc\" \"c\")",
    "(.indexOf \"abcabc\" \"c\" 3)",
    "(.lastIndexOf \"abcabc\" \"a\")",
    "(.substring \"hello\" 1 3)",
    "(.substring \"hello\" 2)",
    "(.startsWith \"hello\" \"he\")",
    "(.endsWith \"hello\" \"lo\")",
    "(.contains \"hello\" \"ll\")",
    "(vec (.split \"a,b,,c\" \",\"))",
    "(vec (.split \"a1b22c\" \"\\\\d+\"))",
    "(.trim \"  a \")",
    "(.replace \"aXbX\" \"X\" \"-\")",
    "(.replace \"abca\" \\a \\z)",
    "(.charAt \"abc\" 1)",
    "(.isEmpty \"\")",
    "(.isEmpty \"a\")",
    "(.concat \"ab\" \"cd\")",
    "(.toString [1 2])",
    "(let [s \"Hello World\"] (->> (.split s \" \") (map #(.toLowerCase %)) (clojure.string/join \"-\")))",
    "(map #(.toUpperCase %) [\"a\" \"b\"])",
    "[(str #\"a+b\") (str \"x\" #\"\\d\")]",
    // clojure.lang.PersistentQueue and clojure.set/join.
    "(let [q (conj clojure.lang.PersistentQueue/EMPTY 1 2 3)] [(peek q) (vec (pop q)) (seq q) (count q) (= q [1 2 3]) (= (hash q) (hash [1 2 3])) (seq (into q [4])) (rest q) (next q) (map inc q) (reduce + q) (seq (empty q)) (peek clojure.lang.PersistentQueue/EMPTY)])",
    "[(clojure.set/join #{{:a 1 :b 2} {:a 2 :b 3}} #{{:a 1 :c 3} {:a 2 :c 4}}) (clojure.set/join #{{:a 1}} #{{:x 1 :y 2}} {:a :x}) (clojure.set/join #{} #{{:a 1}}) (clojure.set/join #{{:a 1 :b 1}} #{{:a 1 :b 2}})]",
    // The JVM static members Clojure code calls most (runtime/src/jvm_classes.cpp).
    "(Integer/parseInt \"42\")",
    "(Integer/parseInt \"-17\")",
    "(Integer/parseInt \"ff\" 16)",
    "(try (Integer/parseInt \"abc\") (catch NumberFormatException e (ex-message e)))",
    "(try (Integer/parseInt \"99999999999\") (catch Exception e (ex-message e)))",
    "(Long/parseLong \"99999999999\")",
    "(Long/valueOf \"12\")",
    "(Double/parseDouble \"4.5\")",
    "(Double/parseDouble \"1e3\")",
    "(try (Double/parseDouble \"x\") (catch Exception e (ex-message e)))",
    "(Boolean/parseBoolean \"TRUE\")",
    "[(Character/isDigit \\5) (Character/isDigit \\a) (Character/isLetter \\a) (Character/isLetter \\1) (Character/isWhitespace \\space) (Character/isUpperCase \\A) (Character/isLowerCase \\A) (Character/toUpperCase \\a) (Character/toLowerCase \\Q) (Character/isLetterOrDigit \\_) (Character/digit \\7 10) (Character/digit \\f 16) (Character/digit \\z 10)]",
    "[Long/MAX_VALUE Long/MIN_VALUE Integer/MAX_VALUE Integer/MIN_VALUE Double/POSITIVE_INFINITY Double/NEGATIVE_INFINITY Double/MAX_VALUE]",
    "(Double/isNaN Double/NaN)",
    "(Double/isInfinite (/ 1.0 0))",
    "(pos? (System/currentTimeMillis))",
    "(> (System/currentTimeMillis) 1700000000000)",
    "(number? (System/nanoTime))",
    "(do (defn caesar [s k] (apply str (map (fn [c] (if (Character/isLetter c) (char (+ 97 (mod (+ (- (int c) 97) k) 26))) c)) s))) (caesar \"hello, world\" 3))",
    "(->> \"a1b22c333\" (filter #(Character/isDigit %)) (map #(Character/digit % 10)) (reduce +))",
    "(map #(Integer/parseInt %) (clojure.string/split \"1,2,3\" #\",\"))",
    "[(String/valueOf 42) (String/valueOf \\c)]",
    // Stacked reader metadata, format of nil, symbols as functions, mod and rem of doubles, int and long ranges.
    "(meta ^:foo ^{:bar 2 :foo false} [1])",
    "[(format \"%s and %s\" :a nil) (format \"%5s|\" nil)]",
    "[('a {'a 1}) ('b {'a 1} :nf) (map 'x [{'x 1} {'x 2}])]",
    "[(mod -7.5 2) (mod 7.5 -2) (rem -7.5 2) (rem 7.5 2) (mod 7 2.5) (mod 1.5 1.5)]",
    "[(int 3.9) (int -3.9) (long 1e18) (long 9007199254740993) (try (int 1e10) (catch IllegalArgumentException e (ex-message e))) (try (long 1e19) (catch IllegalArgumentException e (ex-message e)))]",
    // *print-length* and *print-level*; locking, memfn, keyword arguments (1.11), alter-var-root, set!.
    "(binding [*print-length* 2] (pr-str {:a 1 :b 2 :c 3}))",
    "(binding [*print-length* 2] (pr-str #{1 2 3} [1 2 3] '(1 2 3) (range)))",
    "(binding [*print-length* 0] (pr-str [1 2] []))",
    "(binding [*print-length* 3] (str [1 2 3 4 5]))",
    "(binding [*print-length* 3] (with-out-str (prn (range)) (println (map inc (range)))))",
    "(binding [*print-level* 0] (pr-str [1] 1))",
    "(binding [*print-level* 1] (pr-str {:a {:b 1}} [[1]] '((1))))",
    "(binding [*print-level* 2 *print-length* 2] (pr-str [[1 [2]] [3 4 5] 6]))",
    "(pr-str (take 3 (range)))",
    "(locking :lock (+ 1 1))",
    "(mapv (memfn toUpperCase) [\"a\" \"b\"])",
    "(do (defn variadic-kw [x & {:as opts}] [x opts]) [(variadic-kw 1 :a 2 :b 3) (variadic-kw 1) (variadic-kw 1 {:a 1})])",
    "(do (defn with-map-arg [x & {:keys [a b]}] [x a b]) [(with-map-arg 1 {:a 2 :b 3}) (with-map-arg 1 :a 2 :b 3)])",
    "(do (def cfg {:a 1}) [(alter-var-root (var cfg) assoc :b 2) cfg])",
    "(do (def ^:dynamic *depth* 1) [(binding [*depth* 2] (set! *depth* 3) *depth*) *depth*])",
    // Refs and dosync (one thread: at once, rolled back on an exception), io!, replace, unchecked-*, resolve.
    // (Agents, futures and pmap keep the JVM alive a minute: their tests are in tests/corpus/core/state.)
    "(do (def acct-a (ref 100)) (def acct-b (ref 0)) (defn transfer [from to amt] (dosync (alter from - amt) (alter to + amt))) (transfer acct-a acct-b 30) [@acct-a @acct-b])",
    "(do (def r (ref 10 :validator #(>= % 0))) [(try (dosync (alter r - 5) (alter r - 20)) (catch IllegalStateException e :invalid)) @r])",
    "(do (def r2 (ref 1)) [(try (dosync (ref-set r2 5) (throw (ex-info \"boom\" {}))) (catch Exception e (ex-message e))) @r2])",
    "(do (def r3 (ref [])) (dosync (commute r3 conj 1) (commute r3 conj 2)) @r3)",
    "(try (alter (ref 1) inc) (catch IllegalStateException e :no-tx))",
    "(let [log (atom []) r (ref 0)] (add-watch r :w (fn [_ _ o n] (swap! log conj [o n]))) (dosync (alter r inc) (alter r inc)) [@r @log])",
    "(io! (+ 1 2))",
    "(replace {:a 1 :b 2} [:a :c :b])",
    "(replace {1 :one} '(1 2 1))",
    "(into [] (replace {1 :one}) [1 2])",
    "[(unchecked-add Long/MAX_VALUE 1) (unchecked-multiply 4611686018427387904 4) (unchecked-inc Long/MAX_VALUE) (unchecked-negate Long/MIN_VALUE) (unchecked-int 4294967297) (unchecked-add-int 2147483647 1) (unchecked-long 3.9)]",
    "(resolve 'inc)",
    "(resolve 'no-such-thing-here)",
    // A record hashes as defrecord does: its class name's symbol hash, xor the map's.
    "(do (defrecord HashedPoint [x y]) [(hash (->HashedPoint 1 2)) (hash (assoc (->HashedPoint 1 2) :z 3)) (hash (map->HashedPoint {}))])",
    // Transducers: take-nth, keep-indexed, partition-by, halt-when, sequence over several colls.
    "(into [] (comp (map inc) (filter even?) (take 3)) (range 100))",
    "(transduce (comp (mapcat range) (dedupe)) conj [] [1 2 3])",
    "(into [] (interpose :x) [1 2 3])",
    "(into [] (partition-by odd?) [1 3 2 4 5])",
    "(into [] (take-nth 2) (range 7))",
    "(into [] (map-indexed vector) [:a :b])",
    "(into [] (keep-indexed (fn [i x] (when (even? i) x))) [:a :b :c])",
    "(into [] (comp cat (distinct)) [[1 2] [2 3]])",
    "(transduce (map inc) (completing + (fn [x] (* 10 x))) 0 [1 2])",
    "(sequence (map vector) [1 2] [:a :b])",
    "(into {} (map (fn [[k v]] [v k])) {:a 1})",
    "(reduce (fn [a x] (if (> x 3) (reduced a) (+ a x))) 0 (range 10))",
    "[(reduced? (reduced 1)) (unreduced (reduced 1)) (unreduced 2) (reduced? (ensure-reduced (reduced 1)))]",
    "(into [] (halt-when #(> % 3)) (range 10))",
    "(transduce (halt-when #(> % 3) (fn [acc x] [:halted x])) conj [] (range 10))",
    "(into [] (remove odd?) (range 5))",
    "(into [] (drop-while neg?) [-1 -2 3 -4])",
    "(into [] (take-while pos?) [1 2 -3 4])",
    "(into [] (partition-all 2) (range 5))",
    "(into [] (comp (map inc) (keep #(when (odd? %) %))) (range 6))",
    "(reduce + (eduction (map inc) (filter odd?) (range 10)))",
    "(transduce identity + (range 5))",
    "(into #{} (map #(mod % 3)) (range 10))",
    "(into (sorted-map) (map (juxt identity str)) [3 1 2])",
    "(let [xf (comp (map inc) (filter odd?))] [(into [] xf (range 5)) (sequence xf (range 5)) (transduce xf + (range 5))])",
    "(into [] (dedupe) [1 1 2 1 1])",
    "(reductions + [1 2 3])",
    "(reduce-kv (fn [acc k v] (+ acc k v)) 0 [10 20])",
    // %.Nf rounds half up as Java does; Java's inline regex flags; compare answers as compareTo does.
    "(format \"%.0f %.1f %.3f\" 2.5 0.05 1.0005)",
    "(format \"%.2f %.2f %.2f %.2f\" 2.675 1.005 0.125 -2.675)",
    "(format \"%.0f %.0f %.0f %.0f\" 0.5 1.5 -0.5 0.4)",
    "(format \"%.3f %.1f %.2f\" 0.0005 9.95 99.995)",
    "(format \"%08.2f|%,.2f|%+.1f|%10.3f\" 3.14159 1234567.891 2.25 -0.0625)",
    "(format \"%.2f %f %.10f\" 1e-10 123.456 0.1)",
    "(format \"%.1f\" 1e20)",
    "(re-find #\"(?i)HELLO\" \"say hello\")",
    "[(re-find #\"(?s)a.b\" \"a\\nb\") (re-find #\"a.b\" \"a\\nb\") (re-seq #\"(?m)^\\w\" \"ab\\ncd\") (re-find #\"(?is)A.B\" \"a\\nb\")]",
    "[(clojure.string/index-of \"abcabc\" \"c\" 3) (clojure.string/last-index-of \"abcabc\" \"c\" 3) (clojure.string/last-index-of \"abcabc\" \"a\" 0)]",
    "[(compare \"apple\" \"Apple\") (compare \"a\" \"abc\") (compare \"abc\" \"a\") (compare \"\u00e9\" \"e\") (compare \\a \\d) (compare :a :b) (compare :a/b :b) (compare (quote x) (quote y)) (compare [1 \"b\"] [1 \"a\"])]",
    "(sort [\"b\" \"A\" \"a\" \"B\" \"\u00e9\"])",
    // Numbers: equality and hashing across types, Math rounding, printing of doubles, predicates.
    "[(= 0.0 -0.0) (== 0.0 -0.0) (= ##NaN ##NaN) (== 1 1.0) (= 1 1.0) (hash 1) (hash 1.0) (hash -0.0)]",
    "[(sort [3 1.5 2/3]) (str 1/3) (/ 0 5) (/ 5 0.0) (/ -5 0.0) (* 1.0 0)]",
    "[(Math/round 2.5) (Math/round -2.5) (Math/round 2.4) (Math/floor -1.5) (Math/ceil -1.5) (Math/abs -2.5) (Math/signum -3.0)]",
    "[(Math/round 1e20) (Math/round -1e20) (Math/round ##Inf) (Math/round ##NaN)]",
    // clojure.data/diff: what only each side has, and what both share.
    '[(clojure.data/diff {:a 1 :b 2} {:a 1 :b 3 :c 4}) (clojure.data/diff [1 2 3] [1 2 4 5]) (clojure.data/diff #{1 2 3} #{2 3 4})]',
    '[(clojure.data/diff {:a {:b [1 2]} :x "s"} {:a {:b [1 3]} :x "s"}) (clojure.data/diff 1 "a") (clojure.data/diff nil nil) (clojure.data/diff [1 [2 3]] (list 1 [2 4])) (clojure.data/diff {:a 1} [1])]',
    '[(clojure.pprint/write {:a 1} :stream nil) (with-out-str (clojure.pprint/write [1 2 3])) (clojure.pprint/write (vec (range 30)) :stream nil :pretty false)]',
    // UUIDs: #uuid literals, parse-uuid and random-uuid, with java.util.UUID's hash, order and text.
    '[#uuid "0e4b3b7e-1d2c-4c1a-9f3e-2a1b3c4d5e6f" (str #uuid "0E4B3B7E-1d2c-4c1a-9f3e-2a1b3c4d5e6f") (hash #uuid "0e4b3b7e-1d2c-4c1a-9f3e-2a1b3c4d5e6f") (hash #uuid "ffffffff-ffff-ffff-ffff-ffffffffffff") (parse-uuid "nope")]',
    '[(sort [#uuid "80000000-0000-0000-0000-000000000000" #uuid "00000000-0000-0000-0000-000000000001"]) (= #uuid "0e4b3b7e-1d2c-4c1a-9f3e-2a1b3c4d5e6f" (parse-uuid "0e4b3b7e-1d2c-4c1a-9f3e-2a1b3c4d5e6f")) (clojure.edn/read-string "#uuid \\"0e4b3b7e-1d2c-4c1a-9f3e-2a1b3c4d5e6f\\"")]',
    '(let [u (random-uuid)] [(uuid? u) (count (str u)) (boolean (re-matches #"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}" (str u))) (= u (parse-uuid (str u))) (not= u (random-uuid))])',
    // clojure.pprint lays data out as the JVM's pretty printer does, at 72 columns.
    '(with-out-str (clojure.pprint/pprint {:name "a long name that goes on" :tags (sorted-set :alpha :beta :gamma :delta) :nested {:deep {:deeper [1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20]}}}))',
    '(with-out-str (clojure.pprint/pprint [{:id 1 :title "Buy milk and some other things" :done false} {:id 2 :title "Walk the dog around the block twice" :done true}]))',
    '(with-out-str (clojure.pprint/pprint {:a {:b {:c {:d {:e {:f {:g {:h {:i {:j [1 2 3 4 5 6 7 8 9 10 11 12 13 14 15]}}}}}}}}}}))',
    "(with-out-str (clojure.pprint/pprint '(defn f [x] (let [y (* x x) z (+ y y y y y y y y y y y y y y y y)] (str \"result: \" z)))))",
    '(do (defrecord PPR [a b]) (with-out-str (clojure.pprint/pprint [(->PPR (vec (range 25)) "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")])))',
    '(with-out-str (binding [*print-length* 3] (clojure.pprint/pprint {:a (vec (range 40)) :b 2 :c 3 :d 4 :e 5})))',
    '[(with-out-str (clojure.pprint/pprint nil)) (with-out-str (clojure.pprint/pprint "s")) (with-out-str (clojure.pprint/pprint (range 3)))]',
    '(with-out-str (clojure.pprint/print-table [{:a 1 :b "two"} {:a 300 :b "x"}]) (clojure.pprint/print-table [:b] [{:b "ü"}]))',
    // deftype and reify: fields, protocols and toString as on the JVM.
    "(do (defprotocol Sized (size-of [x])) (deftype Bag [items] Sized (size-of [_] (count items)) Object (toString [_] (str \"Bag of \" (count items)))) (let [b (Bag. [1 2])] [(size-of b) (.-items b) (str b) (= b b) (= b (->Bag [1 2])) (instance? Bag b) (map? b) (:items b)]))",
    "(do (defprotocol Sized2 (size2 [x])) (let [mk (fn [n] (reify Sized2 (size2 [_] n) Object (toString [_] (str \"sized \" n))))] [(size2 (mk 3)) (str (mk 4)) (satisfies? Sized2 (mk 1))]))",
    "[(clojure.math/round 0.5) (clojure.math/rint 2.5) (clojure.math/floor-div -7 2) (clojure.math/floor-mod -7 2) (clojure.math/pow 2 0.5)]",
    "[(int -1.5) (long 2.9) (double 1/8) (float 0.1)]",
    "[(rand-int 1) (<= 0 (rand) 1)]",
    "[(max 1 2 3) (min 1.5 1) (max-key :a {:a 1} {:a 3}) (min-key count \"ab\" \"c\")]",
    "[(zero? 0.0) (pos? 1/2) (neg? -0.0) (even? 0) (odd? -3) (number? 1/2) (ratio? 1/2) (integer? 1.0) (float? 1.0) (rational? 1/2) (decimal? 1.0)]",
    "[(quot 10 3) (quot -10 3) (rem -10 3) (mod -10 3) (mod 10 -3)]",
    "[(bit-and -1 255) (bit-not 0) (bit-shift-right -8 1) (unsigned-bit-shift-right -1 60) (bit-set 0 3) (bit-clear 15 0) (bit-flip 5 1)]",
    "(pr-str [1.0 -1.5 100.0 1e7 1.0E-4 1.23456789E8 3.0E-10 (/ 2.0 3)])",
    "[(num 5) (abs -5) (abs -5.5) (parse-double \"1e3\") (parse-long \"007\")]",
    "(reduce + 0.0 (repeat 10 0.1))",
    "(apply + (range 0.0 1.0 0.25))",
    "[(== 1/2 0.5) (= 1/2 0.5) (compare 1/2 0.5) (compare 1 2.0)]",
    // extend, extend-type as a function.
    "(do (defprotocol Greeter (hello [x]) (bye [x y])) (defrecord Visitor [a]) (extend String Greeter {:hello (fn [s] (str \"hi \" s)) :bye (fn [s y] [s y])}) (extend Visitor Greeter {:hello (fn [p] (:a p))}) (extend nil Greeter {:hello (fn [_] :nil)}) [(hello \"x\") (bye \"a\" 1) (hello (->Visitor 5)) (satisfies? Greeter \"s\") (hello nil)])",
    '(let [person (create-struct :name :age :email) get-name (accessor person :name)] [(struct person "ann" 30) (struct-map person :age 5 :extra 1) (struct person) (get-name (struct person "bob" 4)) (assoc (struct person "d") :age 1) (seque [1 2 3]) (seque 5 (range 3)) (take 3 (seque (range)))])',
  ],
  // Regex replacements as Java's Matcher reads them, matchers, array macros,
  // iteration, rationalize and the narrow integer casts.
  matchers: [
    '[(clojure.string/replace "a" #"a" "\\\\$") (clojure.string/replace "abc" #"b" "$0$0") (clojure.string/replace-first "aXbX" #"X" "\\\\\\\\") (clojure.string/replace "hello world" #"(\\w+)" "$1!")]',
    '[(clojure.string/replace "abcdefghijkl" #"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)" "$11-$10-$1") (clojure.string/replace "abc" #"(a)" "$12") (clojure.string/replace "abc" #"b" (clojure.string/re-quote-replacement "$1\\\\"))]',
    '(let [m (re-matcher #"\\d" "a1b2")] [(re-find m) (re-find m) (re-find m) (re-find m)])',
    '(let [m (re-matcher #"a*" "baaab")] [(re-find m) (re-find m) (re-find m) (re-find m) (re-find m)])',
    '[(let [m (re-matcher #"^\\w" "ab cd")] [(re-find m) (re-find m)]) (let [m (re-matcher #"(?m)^\\w" "ab\\ncd")] [(re-find m) (re-find m) (re-find m)])]',
    '[(re-groups (doto (re-matcher #"(a)(b)" "ab") re-find)) (let [m (re-matcher #"\\bc" "ab cd")] [(re-find m) (re-groups m)])]',
    '[(vec (amap (int-array [1 2 3]) i ret (* 2 (aget ret i)))) (let [a (int-array [1 2 3])] (areduce a i acc 0 (+ acc (aget a i))))]',
    '[(vec (iteration (fn [k] (when (< k 3) {:v k :next (inc k)})) :initk 0 :vf :v :kf :next)) (vec (iteration (fn [k] {:v k :next (when (< k 3) (inc k))}) :initk 0 :vf :v :kf :next)) (into [] (iteration (fn [k] (when (< k 3) (inc k))) :initk 0)) (vec (iteration (fn [k] (when (< k 2) {:v k :next (inc k)})) {:initk 0 :vf :v :kf :next})) (take 3 (iteration inc :initk 0))]',
    // format: arguments by position, widths and precisions in characters, %c of a code point.
    '[(format "%3$s %1$s %2$s" "a" "b" "c") (format "%2$s %s %s" "a" "b") (format "%2$d %1$.2f" 1.5 7) (format "%-5s|%5s|" "é" "ü") (format "%.2s|" "héllo") (format "%5c|" \\a) (format "%-8.3s|" "abcdef") (format "%5b|" true) (format "%c" (int \\b)) (count (format "%s" (apply str (repeat 1000 "a"))))]',
    // Throwable->map without its stack, a var's :name and :ns, macroexpand-all.
    '[(dissoc (Throwable->map (ex-info "m" {:k 1})) :via :trace) (mapv #(dissoc % :at) (:via (Throwable->map (ex-info "a" {:x 1} (ex-info "b" {:y 2}))))) (:data (Throwable->map (ex-info "a" {:x 1} (ex-info "b" {:y 2}))))]',
    '(do (defn plain-fn [x] x) (defn ^:private doc-fn "says hi" [] 1) [(:name (meta #\'plain-fn)) (str (:ns (meta #\'plain-fn))) (select-keys (meta #\'doc-fn) [:doc :private :arglists :name])])',
    "[(clojure.walk/macroexpand-all '(when x (when y z))) (clojure.walk/macroexpand-all '[(-> a b) {:k (when c d)}])]",
    // A ratio is a Number to a protocol; extends? asks about the type itself.
    '(do (defprotocol P3 (m3 [x])) (extend-protocol P3 Number (m3 [n] :num)) [(m3 1/2) (m3 1) (m3 1.5)])',
    '(do (defprotocol P4 (m4 [x])) (extend-type String P4 (m4 [s] s)) (defrecord R5 [] P4 (m4 [_] 1)) (extend-type clojure.lang.Ratio P4 (m4 [_] :r)) [(extends? P4 String) (extends? P4 Long) (extends? P4 R5) (m4 1/3)])',
    '(do (defprotocol P6 (m6 [x])) (extend-protocol P6 clojure.lang.Volatile (m6 [_] :vol) clojure.lang.Atom (m6 [_] :atom)) [(m6 (volatile! 1)) (m6 (atom 1)) (pr-str \'@a)])',
    // Printer settings, bound functions, hash helpers and the small JVM-compatibility functions.
    '[(binding [*print-readably* false] (pr-str "a\\nb" \\c [1 "x"])) (binding [*print-namespace-maps* true] (pr-str {:a/b 1 :a/c 2})) (binding [*print-namespace-maps* true] (pr-str {:a/b 1 :c 2} {\'x/y 1} {} [{:q/r {:q/s 1}}])) (binding [*print-namespace-maps* true] (with-out-str (prn {:a/b "s"}) (print {:a/b "s"}))) (with-bindings {#\'*print-length* 2} (pr-str (range 5))) (binding [*print-length* 1] (thread-bound? #\'*print-length*))]',
    '[(let [f (binding [*print-length* 1] (bound-fn [] (pr-str [1 2 3])))] (f)) (get (binding [*print-length* 1] (get-thread-bindings)) #\'*print-length*) (hash-combine 1 2) (hash-ordered-coll [1 2]) (hash-unordered-coll #{1 2}) (= (hash-unordered-coll {:a 1}) (hash {:a 1}))]',
    '[(mix-collection-hash 1 2) (char-escape-string \\newline) (char-name-string \\space) (special-symbol? \'if) (special-symbol? \'when) (munge "a-b?")]',
    '[(munge \'a-b?) (namespace-munge "a-b.c") (vec (ints (int-array [1 2]))) (vector-of :int 1 2) (clojure-version) *clojure-version*]',
    '[(replicate 2 :a) (mapv vec (to-array-2d [[1 2] [3]])) (let [a (int-array 2)] (aset-int a 0 5) (vec a)) (bytes? (byte-array 1)) (inst? 1)]',
    // print-method: a user's methods print records, deftypes and :type-tagged values, and call print-method back.
    '(do (defrecord Money [amount cur]) (defmethod print-method Money [m w] (.write w (str "#money[" (:amount m) " " (name (:cur m)) "]"))) [(pr-str (->Money 5 :eur)) (pr-str [(->Money 1 :usd) {:k (->Money 2 :gbp)}]) (with-out-str (prn (->Money 3 :eur))) (with-out-str (print (->Money 4 :eur)))])',
    '(do (defrecord Wrapped [x]) (defmethod print-method Wrapped [r w] (.write w "#wrapped ") (print-method (:x r) w)) (pr-str (->Wrapped {:a [1 "s"]})))',
    '(do (defmethod print-method ::tagged [v w] (.write w "<tagged>")) [(pr-str (with-meta {:a 1} {:type ::tagged})) (pr-str {:a 1})])',
    '(with-out-str (.write *out* "direct"))',
    '(do (deftype Pt [x y]) (defmethod print-method Pt [p w] (.write w (str "#pt " (.-x p) "," (.-y p)))) (pr-str [(Pt. 1 2)]))',
    // *print-meta*: metadata before symbols and collections, a lone :tag as ^Tag.
    '(binding [*print-meta* true] (pr-str (with-meta [1] {:a 1})))',
    '(binding [*print-meta* true] (pr-str [(with-meta \'x {:tag \'String}) (with-meta {:a (with-meta [2] {:b 1})} {:c 3}) (with-meta \'(1) {})]))',
    '(binding [*print-meta* true] (with-out-str (print (with-meta [1] {:a 1}))))',
    '(binding [*print-meta* true] (with-out-str (prn (with-meta [1] {:a 1}))))',
    '(binding [*print-meta* true] (pr-str (with-meta #{1} {:s 1}) 1 "s"))',
    // StringBuilder and StringWriter as one text buffer: .append chains, str gives the text.
    '(str (doto (StringBuilder.) (.append "a") (.append "b")))',
    '(str (-> (StringBuilder. "x") (.append 1) (.append \\c) (.append :k)))',
    '(let [sb (StringBuilder.)] (doseq [i (range 3)] (.append sb i)) (.toString sb))',
    '(let [w (java.io.StringWriter.)] (.write w "hi") (str w))',
    '(let [sb (java.lang.StringBuilder.)] (str "<" sb ">"))',
    // A missing protocol implementation names the JVM class, as Clojure users know it.
    '(do (defprotocol Q1 (q1 [x])) (extend-protocol Q1 String (q1 [s] s)) (mapv (fn [v] (try (q1 v) (catch Exception e (ex-message e)))) [:kw 1 1.5 nil [1] {:a 1} #{} \'(1) \'sym \\c true (lazy-seq [1]) (zipmap (range 10) (range 10))]))',
    // Java's named groups: matched as numbered ones, ${name} in a replacement.
    '[(re-find #"(?<year>\\d{4})-(?<month>\\d\\d)" "on 2024-05-01") (clojure.string/replace "2024-05" #"(?<y>\\d+)-(?<m>\\d+)" "${m}/${y}") (clojure.string/replace "ab" #"(?<x>a)(b)" "$2${x}") (re-matches #"(?:a)(?<n>b)(c)" "abc") (re-find #"[(?<]x" "<x") (re-seq #"(?i)(?<w>[a-z]+)" "Hi there")]',
    '[(rationalize 1.5) (rationalize 0.1) (rationalize -2.25) (rationalize 1.0E-5) (rationalize 3) (rationalize 1/3) (short 5) (byte 127) (byte 1.9) (short -32768)]',
  ],
  // BigInts: literals, promotion under the primed operators, contagion,
  // ratios of any size (a whole result is a BigInt), =, hash and printing.
  bignums: [
    '[1N 12N -3N 9223372036854775808 -9223372036854775809 0x1FN 017N 36rZZZZZZZZZZZZZZZZ (read-string "99999999999999999999") (read-string "7N")]',
    "[(inc' Long/MAX_VALUE) (dec' Long/MIN_VALUE) (+' Long/MAX_VALUE Long/MAX_VALUE) (*' 4611686018427387904 2) (-' Long/MIN_VALUE 1) (+' 1 2) (*' 3 4)]",
    "[(reduce *' (range 1 40)) (reduce * (range 1N 30)) (apply +' (repeat 5 Long/MAX_VALUE))]",
    '[(+ 1N 1) (- 5N 7) (* 2N 3) (/ 4N 2) (/ 1N 3) (/ 6 4) (/ 4 2) (+ 1N 0.5) (* 1N 1/2) (inc 1N) (dec 0N) (- 0N) (- 5N)]',
    '[(+ 1/2 1/2) (* 2/3 3) (- 1/2 1/2) (/ 1/2 1/4) (+ 1/3 100000000000000000000) (* 1/3 3N) (/ 100000000000000000000N 3)]',
    '[(quot 7N 2) (rem 7N 2) (mod -7N 2) (quot 7/2 1) (rem 7/2 1) (mod -7/2 2) (quot 100000000000000000000 3) (rem 100000000000000000000 7)]',
    '[(= 1 1N) (== 1 1N) (= 1N 1.0) (== 1N 1.0) (= 2N 2) (= 1/2 0.5) (not= 3N 4) (< 1N 2 3N) (> 100000000000000000000 1) (compare 1N 2) (compare 5N 5)]',
    '[(hash 1N) (hash 1) (hash 9223372036854775808) (hash -9223372036854775809) (hash 100000000000000000000000N) (hash 3/2) (hash (/ 100000000000000000000000N 3)) (hash 0N)]',
    '[(get {1 :a} 1N) (contains? #{1 2 3} 2N) (get (zipmap (range 20) (range)) 5N) (= [1 2] [1N 2N]) (= {:a 1} {:a 1N}) (count (set [1 1N 2 2N]))]',
    '[(str 5N) (str [1N 2]) (pr-str 5N) (print-str 5N) (with-out-str (print 7N)) (str 100000000000000000000) (format "%s" 5N)]',
    '[(integer? 1N) (int? 1N) (number? 1N) (rational? 1N) (ratio? 1N) (decimal? 1N) (zero? 0N) (pos? 2N) (neg? -2N) (even? 4N) (odd? 100000000000000000001)]',
    '[(bigint 5) (bigint 1.9) (bigint -1.9) (bigint 7/2) (bigint "123456789012345678901234567890") (biginteger 5) (long 5N) (int 7N) (double 5N) (double 1/3) (double 100000000000000000000N)]',
    '[(abs -5N) (abs -1/2) (abs 1/2) (max 1N 2 3N) (min 1N 2 3N) (max 1/2 1/3) (numerator (/ 100000000000000000000 3)) (denominator (/ 1 100000000000000000000)) (rationalize 1.0) (rationalize 1.0E10) (rationalize 1.5)]',
    '[(sort [3N 1 2.5 1/2 100000000000000000000]) (range 1N 4) (take 3 (iterate inc\' Long/MAX_VALUE)) (reduce + 0N [1 2 3])]',
  ],
  // format's %e rounds the shortest digits half up, as Java's Formatter does;
  // %d takes a BigInteger.
  formats: [
    // digits past a double's shortest form print as zeros, as Java's Formatter prints them
    '[(format "%.20f" 0.1) (format "%.2f" 1e300) (format "%.20e" 0.1) (format "%.25f" 1e-20) (format "%,.2f" 123456789012345678.0) (format "%010.3f" -1.5) (format "%.2f" 2.675) (format "%.1f" 0.15)]',
    '(format "%f|%.2f|%e|%5.1f|%-12f|%012f|%+f|%g|%10.3e|" ##Inf ##NaN ##-Inf ##Inf ##Inf ##-Inf ##Inf ##NaN ##NaN)',
    '(format "%(d|%(6d|%-(6d|%(,d|%(d" -5 -42 -7 -1234567 9)',
    '(clojure.pprint/cl-format nil "~a and ~s" "x" "y")',
    '(clojure.pprint/cl-format nil "~d item~:p" 3)',
    '(clojure.pprint/cl-format nil "~d item~:p" 1)',
    '(clojure.pprint/cl-format nil "~:d" 1234567)',
    '(clojure.pprint/cl-format nil "~5d|~5,\'0d|~@d" 42 42 42)',
    '(clojure.pprint/cl-format nil "~x ~o ~b" 255 8 5)',
    '(clojure.pprint/cl-format nil "~,2f|~8,3f|~f" 3.14159 2.5 1.5)',
    '(clojure.pprint/cl-format nil "~{~a~^, ~}" [1 2 3])',
    '(clojure.pprint/cl-format nil "~@{~a~^-~}" 1 2 3)',
    '(clojure.pprint/cl-format nil "~:{~a=~a~^; ~}" [[:a 1] [:b 2]])',
    '(clojure.pprint/cl-format nil "~[zero~;one~;two~]" 1)',
    '(clojure.pprint/cl-format nil "~:[no~;yes~]" true)',
    '(clojure.pprint/cl-format nil "~10a|~10@a|" "left" "right")',
    '(clojure.pprint/cl-format nil "a~%b~&c~&")',
    '(clojure.pprint/cl-format nil "~a ~a" nil [1 "s"])',
    '(clojure.pprint/cl-format nil "~s" [1 "s"])',
    '(clojure.pprint/cl-format nil "~c~c" \\a \\b)',
    '(clojure.pprint/cl-format nil "~d tr~:@p" 2)',
    '(clojure.pprint/cl-format nil "~a ~* ~a" 1 2 3)',
    '(with-out-str (clojure.pprint/cl-format true "hi ~a" 1))',
    '[(format "%.3e" 1234.5) (format "%.2e" 0.125) (format "%e" 123.456) (format "%.0e" 9.5) (format "%.1e" 9.96) (format "%.2E" -0.000123456) (format "%10.3e|" 1234.5) (format "%.3e" 0.0) (format "%.15e" 0.1)]',
    '[(format "%.2f" 2.675) (format "%.0f" 2.5) (format "%.2f" 0.125) (format "%d" (biginteger 12345678901234567890)) (format "%,d" (biginteger 12345678901234567890)) (format "%25d|" (biginteger 12345678901234567890))]',    '[(format "%g" 0.0001234) (format "%g" 1234.5678) (format "%g" 0.0) (format "%g" 123456789.0) (format "%.3g" 3.14159) (format "%g" 0.00001234) (format "%10.2g|" 5.0) (format "%g" -2.5) (format "%.0g" 7.7)]',
  ],
  // Smaller things real programs meet: some-fn's false, deref with a
  // timeout, namespaced maps printed as clojure.main prints them.
  odds: [
    '[((some-fn even? neg?) 3) ((some-fn even? neg?) 4) ((some-fn :a :b) {:c 1}) (deref (future 7) 100 :timeout) (deref (promise) 10 :timed-out) #:person{:name "a" :age 3} {:a/b 1 :c/d 2}]',
    '[(double 2/3) (double -7/3) (double 22/7) (double (/ 100000000000000000001 3)) (double 123456789012345678901234567890N) (* 1.0 2/3) (+ 1/3 0.5)]',
    '[(min 1 1.0) (max 1 1.0) (max 1.0 1) (min 2 1 1.0) (max ##NaN 1) (max 1 ##NaN) (min 1 ##NaN) (min 3N 1/2 0.25)]',
    '[(Long/MAX_VALUE) (Math/PI) (+ (Integer/MAX_VALUE) 1) (clojure.string/upper-case "straße") (format "%S" "ß") (.toUpperCase "ß")]',
    '[(let [sw (java.io.StringWriter.)] (binding [*out* sw] (print "hi") (println 1 2) (prn [:a])) (str sw)) (with-out-str (let [sw (java.io.StringWriter.)] (binding [*out* sw] (print "inner")) (print "outer")))]',
    '[(read-string "@a") (read-string "#\'foo") (read-string "[@x #\'y \'z]")]',
    '(do (def odd-h (-> (make-hierarchy) (derive :square :rect) (derive :rect :shape))) (defmulti odd-area :kind :hierarchy #\'odd-h) (defmethod odd-area :rect [{:keys [w]}] (* w w)) (defmethod odd-area :shape [_] :unknown) [(odd-area {:kind :square :w 3}) (odd-area {:kind :shape}) (isa? odd-h :square :shape) (isa? :square :shape)])',
    '(let [t (transient [1 2 3])] [(nth t 1) (nth t 5 :nf) (count t) (get t 0) (persistent! (conj! t 4))])',
    '(do (defmulti jvm-order :k) (defmethod jvm-order :num [_] 1) (defmethod jvm-order :str [_] 2) (defmethod jvm-order :default [_] 3) (let [t (transient [1])] (persistent! t) [(keys (methods jvm-order)) (.getName (class t))]))',
    '[(try ("not a fn" 1) (catch ClassCastException e :cce)) (try (let [n 5] (n)) (catch ClassCastException e :cce))]',
    '[(clojure.edn/read-string {:readers {\'my/tag (fn [x] [:tagged x])}} "#my/tag 5") (clojure.edn/read-string {:default (fn [t v] [t v])} "[#x/y 1]") (clojure.edn/read-string {:eof :done} "") (try (clojure.edn/read-string "#nope 1") (catch Exception e (re-find #"No reader function for tag nope" (ex-message e)))) (str (read-string "#\\"a+b\\"")) (re-find (read-string "#\\"\\\\d+\\"") "ab12")]',
  ],
  // Catch clauses by class: each catches what Java's class would, in order,
  // for the runtime's own errors and for (SomeException. "m").
  catches: [
    '[(try (throw (Exception. "x")) (catch ArithmeticException e :arith) (catch Exception e :general)) (try (/ 1 0) (catch IllegalArgumentException e :iae) (catch ArithmeticException e :arith)) (try (nth [1] 5) (catch ArithmeticException e :arith) (catch IndexOutOfBoundsException e :ioob))]',
    '[(try (throw (ex-info "x" {})) (catch IllegalStateException e :ise) (catch clojure.lang.ExceptionInfo e :exinfo)) (try (throw (IllegalStateException. "s")) (catch clojure.lang.ExceptionInfo e :exinfo) (catch RuntimeException e :rt))]',
    '[(try (Long/parseLong "zz") (catch NumberFormatException e :nfe)) (try (Long/parseLong "zz") (catch IllegalArgumentException e :iae)) (try ((fn [x] x)) (catch clojure.lang.ArityException e :arity)) (try ((fn [x] x)) (catch IllegalArgumentException e :iae-arity))]',
    '[(try (assert false) (catch Exception e :ex) (catch AssertionError e :assert)) (try (assert false) (catch Throwable e :t)) (try (assert (= 1 2) "why") (catch AssertionError e (ex-message e)))]',
    '[(try (+ 1 :a) (catch ClassCastException e :cce) (catch Exception e :ex)) (try (throw (RuntimeException. "r")) (catch Exception e (ex-message e))) (try (throw (Error. "err")) (catch Exception e :ex) (catch Error e :error))]',
    '[(try (subs "abc" 7) (catch StringIndexOutOfBoundsException e :sioobe)) (try (subs "abc" 7) (catch IndexOutOfBoundsException e :ioobe)) (try (throw (ex-info "x" {:a 1})) (catch Exception e (ex-data e))) (try (int 1e20) (catch IllegalArgumentException e :iae))]',
  ],
  // Collections keep their metadata through assoc, conj, pop, into and the
  // rest; a transient starts without it.
  metadata: [
    '(map (fn [c] (meta c)) [(assoc (with-meta {} {:a 1}) :b 2) (dissoc (with-meta {:b 1} {:a 1}) :b) (conj (with-meta #{} {:a 1}) 2) (disj (with-meta #{1} {:a 1}) 1) (pop (with-meta [1 2] {:a 1})) (conj (with-meta (list 1 2) {:a 1}) 0)])',
    '(map (fn [c] (meta c)) [(into (with-meta [] {:a 1}) [1 2]) (into (with-meta {} {:a 1}) {:b 1}) (empty (with-meta [1] {:a 1})) (update (with-meta {:n 1} {:a 1}) :n inc) (assoc (with-meta [1] {:a 1}) 0 2) (merge (with-meta {:x 1} {:a 1}) {:y 2}) (select-keys (with-meta {:x 1} {:a 1}) [:x])])',
    '(map (fn [c] (meta c)) [(conj (with-meta (sorted-map) {:a 1}) [1 2]) (conj (with-meta (sorted-set) {:a 1}) 1) (assoc (with-meta (zipmap (range 12) (range)) {:a 1}) :g 7) (persistent! (transient (with-meta [1] {:a 1}))) (assoc-in (with-meta {:a {}} {:m 1}) [:a :b] 1) (reduce conj (with-meta [] {:m 1}) [1 2]) (conj (with-meta clojure.lang.PersistentQueue/EMPTY {:a 1}) 1)])',
    '(map (fn [c] (meta c)) [(cons 0 (with-meta (list 1 2) {:a 1})) (rest (with-meta (list 1 2) {:a 1})) (seq (with-meta [1] {:a 1})) (mapv inc (with-meta [1] {:m 1})) (vec (with-meta [1] {:a 1}))])',
  ],
  // BigDecimals: Java's scales through arithmetic, toString's two forms,
  // Clojure's = and hash by value within the category.
  decimals: [
    '[1.5M 1M 0.00M -2.50M 1e3M 1.2E-10M 123456789012345678901234567890.123M 0.000001M 0.0000001M -0.5M 5E-1M]',
    '[(+ 0.1M 0.2M) (- 1M 0.25M) (* 1.5M 2.25M) (/ 1M 4M) (/ 1.00M 2) (/ 10M 4M) (/ 1M 0.01M) (+ 1.5M 1) (+ 1.5M 1/2) (+ 1.5M 0.5) (* 2 1.5M) (+ 1N 1.5M)]',
    '[(= 1.5M 1.50M) (= 1.5M 1.5) (= 1M 1) (== 1M 1) (== 1.5M 1.5) (= 0M 0.00M) (hash 1.5M) (hash 1.50M) (hash 0.00M) (hash 100M) (hash -2.5M) (hash 1e3M) (hash 123456789012345678901234567890.5M)]',
    '[(bigdec 1) (bigdec 0.1) (bigdec 1/4) (bigdec "1.50") (bigdec 2N) (bigdec 1e10) (double 1.5M) (long 2.7M) (int -2.7M) (long 1e3M) (str 1.5M 1e3M 0.0000001M)]',
    '[(quot 7.5M 2M) (rem 7.5M 2M) (quot 7M 2) (rem -7.5M 2) (mod 7.5M 2) (inc 1.5M) (dec 1.5M) (abs -1.5M) (- 1.5M) (rationalize 1.25M) (sort [2M 1.5M 1 0.5])]',
    '[(with-precision 3 (/ 1M 3M)) (with-precision 10 (/ 1M 4M)) (with-precision 5 (/ 22M 7)) (with-precision 2 (+ 1.25M 1.01M)) (with-precision 2 (* 1.25M 1.25M)) (with-precision 3 (/ 100M 4M)) (with-precision 3 (/ 1000000M 3M)) (with-precision 3 (+ 999.9M 0.1M)) (with-precision 1 (/ 95M 1)) (with-precision 50 (/ 1M 7M))]',
    '[(with-precision 3 :rounding HALF_EVEN (/ 2M 3M)) (with-precision 3 :rounding FLOOR (/ -2M 3M)) (with-precision 3 :rounding CEILING (/ -2M 3M)) (with-precision 4 :rounding DOWN (/ 1M 7M)) (with-precision 4 :rounding UP (/ 1M 7M)) (with-precision 2 :rounding HALF_DOWN (* 0.25M 1)) (with-precision 2 :rounding HALF_EVEN (* 0.25M 1))]',
    '[(try (/ 1M 3M) (catch ArithmeticException e (ex-message e))) (try (/ 1M 0M) (catch ArithmeticException e (ex-message e))) (format "%s %.2f" 1.5M 2.345M) (read-string "[1e2M -3M]") (clojure.edn/read-string "1.5M")]',
  ],
  // An exception prints as Clojure's print-method lays it out (the JVM's
  // stack frames cut away), and str gives its class and message.
  errors: [
    '(first (clojure.string/split (clojure.string/replace (pr-str (ex-info "outer" {:o 1} (ex-info "inner" {:i "s"}))) #"\\n   :at \\[[^\\]]*\\]" "") #"\\n :trace"))',
    '(first (clojure.string/split (clojure.string/replace (pr-str (try (/ 1 0) (catch Exception e e))) #"\\n   :at \\[[^\\]]*\\]" "") #"\\n :trace"))',
    '(first (clojure.string/split (clojure.string/replace (with-out-str (print (RuntimeException. "x" (IllegalStateException. "y")))) #"\\n   :at \\[[^\\]]*\\]" "") #"\\n :trace"))',
    '[(str (IllegalStateException. "bad")) (str (try (/ 1 0) (catch Exception e e))) (str (ex-info "m" {:a "s"})) (map :type (:via (Throwable->map (try (nth [] 3) (catch Exception e e)))))]',
    '(try (reduce * (range 1 30)) (catch ArithmeticException e (ex-message e)))',
    // nth refuses what is not sequential, so vector destructuring of a map or set does too (with & it walks a seq)
    '(mapv (fn [f] (try (f) (catch Throwable e [(.getSimpleName (class e)) (ex-message e)]))) [#(nth 5 0) #(nth #{1} 0) #(let [[a] {:a 1}] a) #(let [[a b & r] (sorted-set 1 2 3)] [a b r]) #(let [[a b] "xy"] [a b]) #(nth (first {:a 1}) 1) #(pop nil) #(ex-info "x" nil) #(ex-message (ex-info nil {}))])',
  ],  // clojure.pprint's layout: records, sorted and namespaced maps, *print-right-margin*.
  pretty: [
    '(do (defrecord R [a b]) (with-out-str (clojure.pprint/pprint (->R 1 {:x (range 30)}))))',
    '(with-out-str (clojure.pprint/pprint (sorted-map :b (vec (range 25)) :a "x")))',
    '(with-out-str (clojure.pprint/pprint #{:alpha :beta :gamma :delta :epsilon :zeta :eta :theta :iota :kappa :lambda}))',
    '(with-out-str (clojure.pprint/pprint {:user/name "someone with a long name" :user/email "someone@example.com" :user/roles [:admin :editor :viewer] :user/settings {:theme "dark" :notifications true}}))',
    '(with-out-str (clojure.pprint/pprint (list \'let [\'a 1 \'b 2] (list \'println \'a \'b))))',
    '(with-out-str (clojure.pprint/pprint [[1 2 3] [4 5 6] [7 8 9]]))',
    '(with-out-str (clojure.pprint/pprint "a string\\nwith newline"))',
    '(with-out-str (clojure.pprint/pprint nil))',
    '(with-out-str (binding [clojure.pprint/*print-right-margin* 20] (clojure.pprint/pprint {:aaa 1 :bbb 2 :ccc [1 2 3 4 5]})))',
  ],
  // Vectors built at once (vec, into, range's seq) at the trie's boundary sizes.
  vectors: [
    '(let [v (with-meta [1 2] {:m 1}) s (subvec [1 2 3 4] 1 3)] [(into v [3 4]) (meta (into v [3])) (into s [:a :b]) (conj (into s [:a]) :b) (into [] (range 40)) (conj (into [] (range 33)) :x) (into [0] (map inc) [1 2]) (into [] #{7}) (into [] {:a 1})])',
    '(let [v (vec (range 2000))] [(count v) (nth v 0) (nth v 31) (nth v 32) (nth v 1023) (nth v 1024) (nth v 1999) (peek v) (count (pop v)) (nth (conj v :x) 2000) (= v (range 2000)) (reduce + v) (nth (assoc v 1500 :y) 1500)])',
    '(let [v (vec (range 40000))] [(count v) (nth v 32767) (nth v 32768) (nth v 39999) (nth (conj v :z) 40000) (reduce + v) (count (into v (range 100))) (nth (pop (vec (range 1057))) 1055)])',
    '(map (fn [n] (let [v (vec (range n))] (and (= v (range n)) (= (conj v n) (range (inc n))) (= (pop (conj v n)) v)))) [0 1 31 32 33 63 64 65 1024 1025 1056 1057 1088 32768 32800 33824 33825])',
  ],
  // Chunked seqs: side effects in map, filter, keep, remove and map-indexed run a
  // chunk at a time over vectors, ranges and what is made of them, one at a time
  // over lists, sets, maps, strings and other seqs; for's innermost binding too.
  laziness: [
    '(with-out-str (first (for [x [1 2 3]] (print x))))',
    '(with-out-str (first (for [x \'(1 2 3)] (print x))))',
    '(with-out-str (first (for [x (range 40)] (print x))))',
    '(with-out-str (doall (take 2 (for [x (range 100) :when (odd? x)] (print x)))))',
    '(for [x (range 50) :while (< x 35) :when (even? x)] x)',
    '(for [x [1 2 3] y [:a :b] :when (not= x 2)] [x y])',
    '(for [x (range 3) y (range 40) :while (< y 2)] [x y])',
    '(for [[k v] {:a 1 :b 2} :let [s (str k v)]] s)',
    '(for [x (map inc [1 2 3])] (* x 10))',
    '(with-out-str (first (for [x (map inc [1 2 3])] (print x))))',
    '(for [x (vec (range 70))] x)',
    '(count (for [x (range 1000) y (range 10)] [x y]))',
    '(for [x [] ] x)',
    '(for [x (rest [1 2 3 4])] x)',
    '(take 3 (for [x (range)] (* x x)))',
    '(with-out-str (first (map print \'(1 2 3))))',
    '(with-out-str (first (map print [1 2 3])))',
    '(with-out-str (first (map print (range 3))))',
    '(with-out-str (first (map print #{1 2 3})))',
    '(with-out-str (first (map print "abc")))',
    '(with-out-str (first (map print {:a 1 :b 2})))',
    '(with-out-str (first (filter #(do (print %) true) \'(1 2 3))))',
    '(with-out-str (first (map print (map inc [1 2 3]))))',
    '(with-out-str (first (map print (list* 1 2 [3]))))',
    '(with-out-str (first (map print (cons 0 [1 2]))))',
    '(with-out-str (first (keep #(do (print %) %) \'(1 2 3))))',
    '(with-out-str (first (map-indexed (fn [i x] (print x) x) \'(1 2 3))))',
    '(with-out-str (first (remove #(do (print %) false) \'(1 2 3))))',
    '(with-out-str (first (for [x \'(1 2 3)] (print x))))',
    '(with-out-str (first (map print (seq [1 2 3]))))',
    '(with-out-str (first (map print (rest [1 2 3 4]))))',
    '(with-out-str (first (map print (take 3 [1 2 3 4]))))',
    '(with-out-str (first (map print (sort [3 2 1]))))',
    '(with-out-str (first (map print (keys {:a 1 :b 2}))))',
    '(with-out-str (first (map print (into \'() [1 2 3]))))',
  ],
  // (class x) is a JVM class, which isa?, instance?, multimethods and extend walk.
  classes: [
    '(do (deftype P [x y] Object (equals [_ o] (and (instance? P o) (= x (.-x o)) (= y (.-y o)))) (hashCode [_] (+ (* 31 x) y)) (toString [_] (str "P" x y))) [(= (P. 1 2) (P. 1 2)) (= (P. 1 2) (P. 1 3)) (= (P. 1 2) 5) (hash (P. 1 2)) (count (set [(P. 1 2) (P. 1 2) (P. 3 4)])) (get {(P. 1 2) :found} (P. 1 2)) (str (P. 1 2)) (.equals (P. 1 2) (P. 1 2)) (.hashCode (P. 0 7))])',
    '(do (deftype Q [x]) [(= (Q. 1) (Q. 1)) (let [q (Q. 1)] (= q q))])',
    '[(.. "abc" (toUpperCase) (substring 1)) (.. "abc" toUpperCase) (requiring-resolve (quote clojure.set/union)) (requiring-resolve (quote clojure.set/nope)) (with-local-vars [x 1] (var-set x 2) @x) (with-in-str "a\\nb" [(read-line) (read-line) (read-line)])]',
    '[(java.lang.Long/parseLong "12") (java.util.UUID/fromString "00000000-0000-0000-0000-000000000001") (uuid? (java.util.UUID/randomUUID)) (try (java.util.UUID/fromString "x") (catch IllegalArgumentException e :iae)) (java.lang.Math/abs -2)]',
    '[(class 1) (class 1.5) (class "a") (class :k) (class \'a) (class \\a) (class 1/2) (class 1N) (class 1.5M) (class true) (class nil)]',
    '[(class []) (class {}) (class (zipmap (range 9) (range 9))) (class #{}) (class \'(1)) (class ()) (class (lazy-seq nil)) (class (cons 1 nil)) (class (sorted-map)) (class (sorted-set)) (class (atom 1)) (class (volatile! 1)) (class (delay 1)) (class #\'inc) (class #"a") (class (class 1))]',
    '[(type 1) (type (with-meta [] {:type ::mine})) (str (class 1)) (str String) (str clojure.lang.IFn) (= (class "a") String java.lang.String) (class (ex-info "a" {})) (class (try (/ 1 0) (catch Exception e e)))]',
    '[(instance? Number 1) (instance? Number 1.5) (instance? Number "a") (instance? String "a") (instance? Object nil) (instance? Object 1) (instance? clojure.lang.IPersistentMap {}) (instance? clojure.lang.IPersistentVector []) (instance? java.util.List \'(1)) (instance? clojure.lang.Sequential []) (instance? clojure.lang.IFn :k) (instance? clojure.lang.Named \'a) (instance? Comparable "a") (instance? CharSequence "a") (instance? Exception (ex-info "a" {})) (instance? RuntimeException (IllegalStateException. "a")) (instance? clojure.lang.IDeref (atom 1)) (instance? clojure.lang.Counted [])]',
    '[(isa? Long Number) (isa? (class []) clojure.lang.IPersistentCollection) (isa? String Number) (isa? ArithmeticException RuntimeException) (isa? (class {}) java.util.Map) (class? String) (class? :k) (.getName String) (.getSimpleName (class [])) (.getName (class {})) (contains? (supers Long) Number)]',
    '(let [f (fn [x] (condp instance? x String :s Long :l Number :n clojure.lang.IPersistentMap :m :other))] (map f ["a" 1 1.5 {} []]))',
    '(do (defmulti kind class) (defmethod kind Number [_] :number) (defmethod kind Long [_] :long) (defmethod kind String [_] :string) (defmethod kind clojure.lang.IPersistentCollection [_] :coll) (defmethod kind :default [_] :other) (map kind [1 2.5 "s" [1] {} :k nil]))',
    '(do (defprotocol Size (size [x])) (extend String Size {:size count}) (extend-protocol Size clojure.lang.IPersistentVector (size [v] (count v)) Number (size [n] n)) [(size "abc") (size [1 2]) (size 7) (size 1.5)])',
    '(do (defrecord Pt [x y]) [(class (->Pt 1 2)) (instance? Pt (->Pt 1 2)) (= Pt (class (->Pt 1 2))) (instance? Object (->Pt 1 2)) (str (class (->Pt 1 2)))])',
    // What the REPL shows for a defrecord or deftype: its class.
    '(defrecord Rv [a])', '(deftype Tv [a])',
  ],
  // What the JVM shares and hashes as objects: identical?, compare-and-set!, .hashCode, statics.
  sorted: [
    '(let [ops (take 3000 (iterate #(mod (+ (* % 1103515245) 12345) 2147483648) 7)) m (reduce (fn [m x] (if (zero? (mod x 3)) (dissoc m (mod x 500)) (assoc m (mod x 500) x))) (sorted-map) ops)] [(count m) (take 10 m) (take-last 5 m) (get m 250) (first m) (last m) (hash m)])',
    '(let [ops (take 3000 (iterate #(mod (+ (* % 1103515245) 12345) 2147483648) 9)) s (reduce (fn [s x] (if (zero? (mod x 4)) (disj s (mod x 300)) (conj s (mod x 300)))) (sorted-set-by >) ops)] [(count s) (take 10 s) (contains? s 7) (subseq s > 100) (rsubseq s < 20)])',
    '(let [m (into (sorted-map) (map vector (range 100) (range 100)))] [(subseq m >= 95) (rsubseq m <= 3) (subseq m > 10 < 13) (count (reduce dissoc m (range 0 100 2))) (keys (reduce dissoc m (range 5 100)))])',
    '(let [m (sorted-map-by (fn [a b] (compare (count a) (count b))) "aa" 1 "b" 2 "ccc" 3)] [m (assoc m "xx" 9) (dissoc m "zz") (get m "qq")])',
    '(let [s (into (sorted-set) ["pear" "apple" "fig"])] [s (disj s "apple") (conj s "kiwi") (= s #{"pear" "apple" "fig"}) (= (sorted-map 1 2) {1 2}) (meta (with-meta s {:a 1}))])',
    '(= (into (sorted-map) (map vector (range 1000) (range 1000))) (zipmap (range 1000) (range 1000)))',
    '(let [m (reduce #(assoc %1 %2 %2) (sorted-map) (shuffle (range 5000)))] [(count m) (= (keys m) (range 5000)) (reduce + (vals (reduce dissoc m (range 0 5000 3))))])',
    '(sorted-map :b 1 :a 2 :c 3)',
    '(dissoc (sorted-map) :x)',
    '(assoc (sorted-map 1 :a) 1 :b)',
    '(let [k1 (with-meta [1] {:first true}) m (assoc (sorted-map) k1 :a)] (meta (first (keys (assoc m [1] :b)))))',
    '(try (assoc (sorted-map 1 2) :k 3) (catch ClassCastException e :cce))',
  ],
  strings: [
    '[(count "héllo") (nth "héllo" 1) (get "héllo" 4) (get "héllo" 5) (nth "abc" 5 :nf) (subs "héllo" 1 3) (subs "héllo" 4) (subs "héllo" 5) (.charAt "héllo" 1) (count "") (subs "" 0)]',
    '(try (subs "héllo" 2 7) (catch StringIndexOutOfBoundsException e (ex-message e)))',
    '(try (subs "abc" 2 1) (catch StringIndexOutOfBoundsException e (ex-message e)))',
    '(try (subs "abc" -1) (catch StringIndexOutOfBoundsException e (ex-message e)))',
    '(try (nth "abc" 3) (catch IndexOutOfBoundsException e :ioobe))',
    '[(nth \'(1 2 3) 2) (nth \'(1 2 3) 5 :nf) (nth (list) 0 :none)]',
    '(let [s (apply str (repeat 30000 "ab"))] [(count s) (nth s 59999) (subs s 59990) (count (filter #(= \\a (.charAt s %)) (range (count s))))])',
    '(let [sb (StringBuilder. "abc")] (.append sb "é") [(count sb) (nth sb 3) (str sb)])',
    '[(clojure.string/index-of "héllo wörld" "o") (clojure.string/index-of "héllo wörld" "o" 5) (clojure.string/index-of "héllo" "z") (clojure.string/last-index-of "héllo wörld" "l") (clojure.string/last-index-of "héllo wörld" "l" 4) (clojure.string/index-of "abc" "c" 10) (clojure.string/index-of "abc" "a" -3)]',
    '(let [s (apply str (repeat 20000 "ab"))] (loop [i 0 n 0] (if-let [j (clojure.string/index-of s "b" i)] (recur (inc j) (inc n)) n)))',
  ],
  subvectors: [
    '(let [v (vec (range 100)) s (subvec v 10 20)] [s (count s) (nth s 0) (get s 9) (get s 10) (conj s :x) (assoc s 0 :a) (pop s) (peek s) (seq s) (rseq s) (= s (range 10 20)) (hash s) (subvec s 2 4) (conj (subvec v 0 1) :y) v])',
    '(let [v (vec (range 50)) s (subvec v 5 10) s2 (conj s :a :b :c)] [s2 (count s2) v (pop (pop (pop s2))) (into s [1 2]) (reduce + (subvec v 40)) (mapv inc (subvec v 45))])',
    '(loop [v (vec (range 30000)) n 0] (if (seq v) (recur (subvec v 1) (+ n (first v))) n))',
    '(let [s (subvec (vec (range 70)) 3 67)] [(count s) (vec (take 5 (rseq s))) (last s) (reduce conj s (range 40)) (count (reduce conj s (range 40))) (nth (reduce conj s (range 40)) 70)])',
    '(let [s (subvec [1 2 3] 1)] [(pop (pop s)) (conj (pop (pop s)) 9) (empty s) (meta (with-meta s {:m 1}))])',
    '(try (subvec [1 2 3] 2 5) (catch IndexOutOfBoundsException e :ioobe))',
    '(let [s (subvec [1 2 3] 1 1)] [s (conj s 0) (count s) (seq s)])',
  ],
  // Ranges are LongRanges: counted, reducible and chunked 32 at a time from their start.
  ranges: [
    '[(class (range 3)) (class (rest (range 3))) (class (first {:a 1})) (counted? (range 5)) (seq? (range 5)) (chunked-seq? (range 3)) (chunked-seq? (seq [1])) (chunked-seq? (list 1)) (instance? clojure.lang.IReduceInit (range 2))]',
    '[(range 0) (range 5 0) (range 5 0 -1) (range 0 10 3) (range -3 3) (range 10 0 -3) (count (range 0 10 3)) (seq (range 0)) (next (range 1)) (rest (range 1)) (empty (range 3)) (range 9223372036854775806 9223372036854775807)]',
    "[(= (range 5) [0 1 2 3 4]) (= [0 1 2 3 4] (range 5)) (= (range 5) '(0 1 2 3 4)) (= (range 3) (range 4)) (hash (range 5)) (.hashCode (range 4)) (conj (range 3) 9) (meta (with-meta (range 3) {:a 1})) (str (range 3))]",
    '[(count (range 100000000)) (nth (range 10000000) 9999999) (nth (range 10) 11 :nf) (reduce + (range 1000000)) (reduce + 5 (range 10)) (reduce (fn [a x] (if (> x 5) (reduced a) (+ a x))) (range 100)) (last (range 100000)) (count (vec (range 2000000)))]',
    '[(with-out-str (first (map print (range 10 100)))) (with-out-str (first (filter (fn [x] (print x) (odd? x)) (range 40 100)))) (with-out-str (first (map print (range)))) (take 3 (drop 30 (range 100)))]',
    '[(for [x (range 3) y (range 2)] [x y]) (doall (for [x (range 40) :when (zero? (mod x 13))] x)) (transduce (comp (map inc) (filter odd?)) + (range 10)) (into #{} (range 5)) (partition 3 (range 10)) (nth (range) 100000) (take 3 (range 1 5 0))]',
  ],
  // Printing streams: output made while a lazy seq is realized lands where
  // the JVM's printer puts it, one item ahead; pr-str and with-out-str keep it.
  streaming: [
    '(with-out-str (println (map (fn [x] (println "x" x) (* 2 x)) [1 2 3])))',
    "(with-out-str (println :a (map (fn [x] (print x \"\") x) (list 1 2 3)) :b) (prn (map (fn [x] (print x) x) (range 3))) (pr [1 (lazy-seq (print \"in\") [2])]))",
    "[(pr-str (map (fn [x] (print x) x) '(1 2))) (print-str :a (map (fn [x] (print \"p\") x) [1])) (prn-str (lazy-seq (print \"q\") [1]))]",
    "(with-out-str (binding [*print-length* 2] (println (map (fn [x] (print \"M\") x) '(1 2 3 4))) (prn (range))))",
    '(let [sw (java.io.StringWriter.)] (binding [*out* sw] (print "1") [(with-out-str (print "2")) (pr-str 3) (str sw)]))',
    '(with-out-str (let [sw (java.io.StringWriter.)] (binding [*out* sw] (print "inner")) (print "outer") (print (str sw))))',
  ],
  // #inst and java.util.Date: milliseconds since the epoch, printed in UTC.
  instants: [
    '(let [d #inst "2025-09-01T20:47:03.713-00:00"] [d (pr-str d) (print-str d) (inst? d) (inst-ms d) (class d) (= d #inst "2025-09-01T20:47:03.713Z") (hash d) (.hashCode d) (compare d #inst "2026") (instance? java.util.Date d)])',
    '[#inst "2025" #inst "2025-09" #inst "2025-09-01" #inst "2025-09-01T20:47" #inst "2024-02-29T23:59:59.123456789Z" #inst "2025-09-01T20:47:03+05:30" #inst "1969-12-31T23:59:59.999Z" #inst "1600-03-01"]',
    '[(java.util.Date. 0) (.getTime (java.util.Date. 86400000)) (inst? (java.util.Date.)) (inst? 5) (sort [#inst "2026" #inst "2020" #inst "2023-05-05"]) {:created #inst "2020-01-01"}]',
    '[(read-string "#inst \\"2021-06-15T10:00:00Z\\"") (clojure.edn/read-string "{:t #inst \\"1999-12-31T23:59:59.999-00:00\\"}") (try (read-string "#inst \\"2025-13-01\\"") (catch Exception e :bad))]',
    '(do (defmulti inst-kind class) (defmethod inst-kind java.util.Date [_] :date) (defmethod inst-kind :default [_] :other) (defprotocol Stamp (stamp [x])) (extend-protocol Stamp java.util.Date (stamp [x] (inst-ms x))) [(inst-kind #inst "2020") (inst-kind 1) (stamp #inst "1970-01-01T00:00:01Z")])',
  ],
  // Smaller parts of clojure.core: unchecked casts, cast, with-bindings*,
  // test, the reader's settings, and a def's metadata evaluated as Clojure does.
  // JVM instance methods chosen by the target's class, as reflection picks them.
  methods: [
    '[(.indexOf [1 2 3] 2) (.indexOf [1 2 3] 9) (.indexOf (list 1 2) 2) (.indexOf "abc" "c") (.indexOf "abcabc" "c" 3) (.indexOf "abc" (int \\c)) (.lastIndexOf [1 2 1] 1) (.lastIndexOf "abca" "a")]',
    '[(.contains [1 2] 2) (.contains [1 2] 3) (.contains "abc" "bc") (.contains #{1} 1) (.get [1 2] 0) (.get {:a 1} :a) (.get {:a 1} :b) (.containsValue {:a 1} 1) (.containsValue {:a 1} 2)]',
    '[(.getName :a/k) (.getNamespace :a/k) (.getName (quote s)) (.getName String) (.getClass "x") (.equalsIgnoreCase "AbC" "abc") (.equalsIgnoreCase "a" nil) (.compareTo "a" "c") (.compareTo 1 2) (.compareToIgnoreCase "B" "a")]',
    '[(.codePointAt "A" 0) (.isBlank " ") (.isBlank " x") (.strip " x ") (.stripLeading " x ") (.stripTrailing " x ") (.repeat "ab" 3) (.intern "s")]',
    '[(try (.foo nil) (catch NullPointerException e (.getMessage e))) (try (.-foo nil) (catch NullPointerException e :npe)) (try (.foo 5) (catch IllegalArgumentException e (.getMessage e))) (try (.indexOf nil "a") (catch NullPointerException e :npe))]',
    '(let [o (Object.)] [(= o o) (= o (Object.)) (class o) (instance? Object o) (= (hash o) (hash o))])',
    '[(System/getProperty "line.separator") (System/getProperty "no.such.property") (System/getProperty "no.such.property" "dflt") (System/getenv "NO_SUCH_VARIABLE_HERE")]',
    "[(vec (.getBytes \"hé\")) (.isNaN (/ 0.0 0.0)) (.isInfinite (/ 1.0 0)) (let [a (atom 1)] [(.reset a 5) (.swap a inc) (.swap a + 10) (.compareAndSet a 16 0) @a]) (.next '(1 2)) (.more '(1)) (.cons [1] 2) (.without {:a 1} :a) (.entryAt {:a 1} :a) (meta (.withMeta [1] {:a 1})) (.flush *out*)]",
  ],
  // Java's whitespace (trim, blank?, Character/isWhitespace), String.replace
  // of the empty string, and \Q...\E quoting in a regex.
  text: [
    '[(clojure.string/trim "\u2003 x \u3000") (clojure.string/blank? "\u2003") (clojure.string/triml "\u00a0x") (Character/isWhitespace (char 0x2003)) (Character/isWhitespace (char 0xa0)) (clojure.string/trimr "x\u2028")]',
    '[(clojure.string/replace "abc" "" "-") (clojure.string/replace-first "abc" "" "-") (clojure.string/replace "" "" "-") (clojure.string/replace "λx" "" ".")]',
    '[(re-find (re-pattern (str "\\\\Q" "a.b" "\\\\E")) "xa.by axb") (re-find #"\\Q(x)\\E+" "(x)(x)") (re-find #"a\\Qb" "ab") (re-find #"\\\\Q" "\\\\Q")]',
  ],
  readers: [
    '[(line-seq (java.io.BufferedReader. (java.io.StringReader. "a\\nb\\r\\nc"))) (let [r (java.io.StringReader. "xλ")] [(.read r) (.read r) (.read r)]) (let [r (java.io.BufferedReader. (java.io.StringReader. "l1\\nl2"))] [(.readLine r) (.readLine r) (.readLine r)]) (with-in-str "q\\nw" [(read-line) (read-line) (read-line)]) (take 2 (line-seq (java.io.BufferedReader. (java.io.StringReader. "1\\n2\\n3")))) (line-seq (java.io.BufferedReader. (java.io.StringReader. "")))]',
      '(let [r (java.io.PushbackReader. (java.io.StringReader. "(1 2) :x ; c\n [3]"))] [(read r) (read r) (read r) (read r false :eof) (read {:eof :done} r)])',
    '(let [r (java.io.PushbackReader. (java.io.StringReader. "{:a 1} [2]"))] [(clojure.edn/read r) (clojure.edn/read r) (clojure.edn/read {:eof ::done} r)])',
    '[(with-in-str "42 (+ 1 2)" [(read) (read)]) (load-string "(+ 1 2)") (load-string "(defn ls-f [x] (when x (inc x))) (ls-f 1)") ((fn [s] (load-string s)) "(def ls-v 5) (inc ls-v)")]',
    '(binding [*data-readers* {(quote foo/bar) (fn [x] [:bar x])}] [(read-string "#foo/bar 5") (read-string "#inst \\"2020-01-01T00:00:00Z\\"")])',
    '(mapv (fn [f] (try (f) (catch Throwable e [(.getName (class e)) (ex-message e)]))) [#(read (java.io.PushbackReader. (java.io.StringReader. ""))) #(clojure.edn/read (java.io.PushbackReader. (java.io.StringReader. " ")))])',
    "[(tagged-literal 'foo 1) (tagged-literal? (tagged-literal 'foo 1)) (:tag (tagged-literal 'foo [1])) (:form (tagged-literal 'foo [1])) (= (tagged-literal 'a 1) (tagged-literal 'a 1)) (= (tagged-literal 'a 1) (tagged-literal 'a 2)) (with-out-str (print (tagged-literal 'x \"s\")))]",
    "[(clojure.edn/read-string {:default tagged-literal} \"#my/tag {:a 1}\") (map :tag (clojure.edn/read-string {:default tagged-literal} \"[#a 1 #b 2]\")) (binding [*default-data-reader-fn* tagged-literal] (read-string \"#unknown/thing [1 2]\"))]",
    "[(reader-conditional '(:clj 1 :cljs 2) false) (reader-conditional '(:clj [1]) true) (reader-conditional? (reader-conditional '() false)) (:form (reader-conditional '(:a 1) false)) (:splicing? (reader-conditional '(:a 1) true)) (tagged-literal? 1) (reader-conditional? nil)]",
  ],
  // A record is an IPersistentMap before it is an Object to a protocol, and
  // its class has its namespace's name too.
  records: [
    '(do (defprotocol Desc (desc [x])) (extend-protocol Desc Object (desc [x] :object) clojure.lang.IPersistentMap (desc [x] :map)) (defrecord Deg [d]) [(desc (->Deg 1)) (desc {}) (desc 1) (satisfies? Desc (->Deg 1))])',
    '(do (ns jvm.rec-ns) (defrecord Point [x y]) [(instance? jvm.rec_ns.Point (->Point 1 2)) (= jvm.rec_ns.Point (class (->Point 1 2))) (str jvm.rec_ns.Point)])',
    '(do (defrecord InstP [x]) (deftype InstC [n] clojure.lang.IDeref (deref [_] n) java.io.Closeable (close [_] nil)) [(instance? clojure.lang.IPersistentMap (->InstP 1)) (instance? clojure.lang.IRecord (->InstP 1)) (instance? java.util.Map (->InstP 1)) (instance? clojure.lang.IDeref (->InstC 1)) (instance? clojure.lang.IFn (->InstC 1)) (isa? InstC clojure.lang.IDeref) (instance? java.io.Closeable (->InstC 1)) (instance? clojure.lang.Counted (->InstP 1))])',
  ],
  duplicates: [
    '[(try (read-string "{:a 1 :a 2}") (catch Exception e (subs (.getMessage e) 0 17))) (try (read-string "#{1 1}") (catch Exception e (subs (.getMessage e) 0 16))) (try (clojure.edn/read-string "{\\"a\\" 1 \\"a\\" 2}") (catch Exception e (subs (.getMessage e) 0 16))) (read-string "{:a 1 :b 2}") (read-string "#{[1] (2)}")]',
  ],
  messages: [
    '[(try (first 5) (catch IllegalArgumentException e (.getMessage e))) (try (seq :k) (catch IllegalArgumentException e (.getMessage e))) (try (count 5) (catch UnsupportedOperationException e (.getMessage e))) (try (count :k) (catch UnsupportedOperationException e (.getMessage e))) (try (reduce + 0 5) (catch IllegalArgumentException e (.getMessage e)))]',
    "(mapv (fn [f] (try (f) (catch Throwable e [(.getName (class e)) (ex-message e)]))) [#(('a)) #(({} 1 2 3)) #((#{} 1 2 3)) #(([1 2])) #(([1 2] :k)) #((:a))])",
  ],
  // The seq of a hash or sorted map or set is made a subtree at a time, in
  // the JVM's order: (first m) and (seq m) cost a path, not the table.
  tables: [
    '[(seq (zipmap (range 20) (range))) (seq (set (range 20))) (seq (into (sorted-map) (map vector (range 12) (range)))) (seq (into (sorted-set-by >) (range 12))) (first (set (range 40))) (rest (set (range 10))) (next (zipmap (range 9) (range)))]',
    '(let [m (zipmap (range 30000) (range))] [(loop [m m n 0] (if (seq m) (recur (dissoc m (key (first m))) (inc n)) n)) (loop [s (set (range 30000)) n 0] (if (seq s) (recur (disj s (first s)) (inc n)) n)) (reduce + (map val m)) (count (seq m)) (empty? m)])',
    '(loop [pq (sorted-set [0 :a]) seen #{} order []] (if-let [[d node :as top] (first pq)] (let [pq (disj pq top)] (if (seen node) (recur pq seen order) (recur (into pq (for [[n w] ({:a [[:b 2] [:c 5]] :b [[:c 1] [:d 7]] :c [[:d 2]] :d []} node)] [(+ d w) n])) (conj seen node) (conj order [node d])))) order))',
    '[(count (reduce into [] (repeat 1000 (range 100)))) (meta (into (with-meta (vec (range 100)) {:m 1}) [1])) (into [1 2] [3]) (count (reduce (fn [acc x] (into acc [x])) [] (range 20000)))]',
    '(let [m (zipmap (range 40) (range 100 140)) t (into (sorted-map) m)] [(keys m) (vals m) (keys t) (vals t) (first (keys (zipmap (range 30000) (range)))) (count (vals (zipmap (range 30000) (range)))) (seq? (keys m)) (keys (zipmap (range 9) (range)))])',
  ],
  // (float x) is a java.lang.Float: rounded to float precision, printed and
  // hashed as Java's Float; arithmetic on it gives doubles.
  floats: [
    '[(float 2/3) (float 0.1) (float 1e10) (float 1e-5) (class (float 1)) (hash (float 1.5)) (= (float 0.1) 0.1) (= (float 1.5) 1.5) (+ (float 1) 2) (class (+ (float 1) (float 2))) (float 3) (str (float 0.1)) (pr-str (float 100)) (double (float 0.1)) (unchecked-float 1e40) (float? (float 1))]',
    '[(try (float 1e40) (catch IllegalArgumentException e (.getMessage e))) (try (float ##Inf) (catch IllegalArgumentException e (.getMessage e))) (float 1.0E7) (.hashCode (float 1.5)) (compare (float 1.5) 1.5) (float -0.0) (hash (float -0.0)) (float ##NaN) (* (float 0.1) 3) (float 1/3) (float 1.0E-3) (float 9.999999E-4) (unchecked-float 1.0E-50)]',
    '[(aget (float-array [1.5 0.1]) 1) (vec (float-array [0.1])) (into [] (float-array 2)) (class (aget (float-array 1) 0)) (class (aget (double-array 1) 0))]',
    '[(- 0.0) (- 1.5) (- (float 1.5)) (class (- (float 1.5))) (- 3) (- 0.0 0.0) (str (- 0.0))]',
  ],
  // A concat whose last part is another concat, as for and mapcat build
  // them, returns that part as it is: walking n of them nested is linear, and
  // does not nest n deep.
  nesting: [
    '[(count (for [x (range 50000) y (range 5)] 1)) (count (for [y (range 250000)] 1)) (count (for [x (range 500) y (range 500) :when (zero? (mod (+ x y) 7))] [x y]))]',
    '(let [f (fn f [n] (lazy-seq (when (pos? n) (concat [n] (f (dec n))))))] [(count (f 20000)) (take 3 (f 20000))])',
    '[(concat) (concat nil) (concat [1] nil [2] (lazy-seq [3 4]) []) (seq (concat [] (lazy-seq nil))) (concat [1 2] (lazy-seq [3])) (str (str "a" 1 :k :n/k (quote s) (quote n/s)))]',
  ],
  smaller: [
    '[(unchecked-byte 200) (unchecked-byte 127) (unchecked-byte 128) (unchecked-short 70000) (unchecked-short 32768) (unchecked-char 65) (unchecked-char 65601) (unchecked-double 1) (unchecked-float 1) (unchecked-divide-int 7 2) (unchecked-remainder-int -7 2) (unchecked-divide-int -2147483648 -1)]',
    '[(try (unchecked-divide-int 1 0) (catch ArithmeticException e (ex-message e))) (try (unchecked-divide-int 4294967303 2) (catch ArithmeticException e :overflow)) (cast Long 5) (cast String nil) (cast Number 1.5) (try (cast String 5) (catch ClassCastException e (ex-message e)))]',
    "[(with-bindings* {#'*print-length* 2} (fn [] (pr-str (range 10)))) (with-bindings* {#'*print-length* 1} pr-str [1 2] [3 4]) *data-readers* *default-data-reader-fn* *read-eval* (test #'prn)]",
    "(do (def ^{:k (+ 1 2) :tag String :q 'sym :v [1 2]} meta-evaluated 1) (defn ^{:test (fn [] (assert (= 1 1)))} meta-tested [] 1) (defn meta-doc {:doc (str \"a\" \"b\")} [] 1) [(select-keys (meta #'meta-evaluated) [:k :q :v]) (test #'meta-tested) (:doc (meta #'meta-doc))])",
  ],
  // with-open, the dot special form, and a Matcher's find.
  resources: [
    '(do (deftype Res [log] java.io.Closeable (close [_] (swap! log conj :closed))) (let [log (atom [])] [(with-open [a (Res. log) b (Res. log)] (swap! log conj :body) :result) @log (try (with-open [a (Res. log)] (throw (ex-info "x" {}))) (catch Exception e (ex-message e))) @log]))',
    '[(with-open [w (java.io.StringWriter.)] (.write w "hi") (str w)) (with-open [] 5) (try (with-open [x 5] :body) (catch IllegalArgumentException e (ex-message e))) (try (.close nil) (catch NullPointerException e :npe)) (with-out-str (with-open [z (reify java.lang.AutoCloseable (close [_] (print "closed")))] (print "in ")))]',
    '(do (defrecord DotP [x y]) [(. "abc" toUpperCase) (. "abc" (substring 1)) (. Math abs -3) (. Math (max 1 5)) (let [s "xy"] (. s length)) (. (->DotP 1 2) -x)])',
    '[(re-groups (doto (re-matcher #"(\\d+)-(\\d+)" "10-20 3-4") (.find))) (let [m (re-matcher #"\\d+" "a1b22c333")] [(.find m) (re-groups m) (.find m) (re-find m) (.find m)])]',
    '(let [a (lazy-seq [1 2]) b (lazy-seq a) c (lazy-seq (lazy-seq (lazy-seq [3])))] [(seq b) (seq a) (realized? a) (realized? b) (seq c) (seq c)])',
  ],
  // Futures, promises, delays and agents, run on the page's one thread.
  concurrency: [
    '(let [f (future (throw (ex-info "boom" {:a 1})))] [(try @f (catch java.util.concurrent.ExecutionException e [(ex-message e) (ex-message (ex-cause e)) (ex-data (.getCause e))])) (try @f (catch Exception e (.getName (class e)))) (realized? f)])',
    '(let [n (atom 0) d (delay (swap! n inc) (throw (Exception. "bad")))] [(try @d (catch Exception e (ex-message e))) (try @d (catch Exception e (ex-message e))) @n (realized? d)])',
    '(let [a (agent 1)] (send a + 10) (send-off a * 2) [(await-for 100 a) @a (future-cancelled? (future 1)) @(future (+ 1 2)) (deref (promise) 5 :timed-out)])',
    '(let [p (promise)] [(realized? p) (some? (deliver p 7)) @p (deliver p 8) @p (realized? p)])',
    '(try (throw (java.util.concurrent.TimeoutException. "slow")) (catch Exception e [(.getName (class e)) (ex-message e)]))',
    '[(try (throw (java.io.FileNotFoundException. "f")) (catch java.io.IOException e [(.getName (class e)) (ex-message e)])) (try (slurp "/no/such/file") (catch java.io.FileNotFoundException e (ex-message e))) (try (throw (clojure.lang.ExceptionInfo. "m" {:a 1})) (catch clojure.lang.ExceptionInfo e (ex-data e)))]',
    '(do (spit "/tmp/jank-hot-reload-spit.txt" "one\\n") (spit "/tmp/jank-hot-reload-spit.txt" "two\\n" :append true) [(slurp "/tmp/jank-hot-reload-spit.txt") (vec (make-array Long/TYPE 2)) (str Long/TYPE) Boolean/TRUE])',
  ],
  identity: [
    '[(identical? 1 1) (identical? (+ 100 27) 127) (identical? \\a \\a) (identical? (first "a") \\a) (identical? :k :k) (identical? nil nil) (identical? [1] [1])]',
    '(let [a (atom 0)] [(compare-and-set! a 0 1) @a (compare-and-set! a 0 2) @a])',
    '(let [a (atom {:c 5})] [(compare-and-set! a {:c 5} 1) @a (compare-and-set! a @a 2) @a])',
    '(let [a (atom [1])] [(compare-and-set! a [1] 1) (swap-vals! a conj 2)])',
    '(let [a (atom "s")] [(compare-and-set! a "s" 1) @a])',
    '[(.hashCode "abc") (.hashCode "") (.hashCode 5) (.hashCode -5) (.hashCode Long/MAX_VALUE) (.hashCode 1.5) (.hashCode true) (.hashCode false) (.hashCode \\a) (.hashCode :a) (.hashCode :ns/a) (.hashCode \'a/b) (.hashCode \'x)]',
    '[(String/join "," ["a" "b" nil]) (String/join "" []) (Character/getNumericValue \\7) (Character/getNumericValue \\z) (Character/getNumericValue \\-)]',
    '(let [sb (StringBuilder. "ab")] (.append sb "cd") (.append sb 1) [(.length sb) (str sb) (.toString sb)])',
    '[(.hashCode [1 2]) (.hashCode \'(1 2)) (.hashCode [1 [2 nil]]) (.hashCode {:w 1 :h 1}) (.hashCode #{1 "a"}) (.hashCode (map inc [1 2])) (.hashCode 1N) (.hashCode []) (.hashCode {}) (.hashCode (first {:a 1}))]',
    '(do (defrecord HashedRect [w h]) [(str (->HashedRect 1 1)) (.hashCode (->HashedRect 1 1)) (str (conj clojure.lang.PersistentQueue/EMPTY 1))])',
    '[(conj (map inc [1]) 0) (conj (seq [1 2]) 0) (conj (cons 1 nil) 0) (conj (lazy-seq nil) 1) (conj (rest [1 2]) 0) (class (conj (map inc [1]) 0))]',
    '[(future? (future 1)) (future? (promise)) (future? (delay 1))]',
    '(mapv (fn [f] (try (f) (catch Throwable e (.getName (class e))))) [#(.length nil) #(.size nil) #(.isEmpty nil) #(+ 1 "a") #(inc nil) #(* 2 :k) #(< 1 "2") #(count 5) #(seq 5) #(first 5) #(/ 1 nil) #(zero? nil) #(max 1 "a")])',
    '(mapv (fn [f] (try (f) (catch Throwable e (.getName (class e))))) [#(:a 1 2 3) #(nth nil 0) #(nth nil 0 :nf) #(nth [] 0) #(assoc [] 5 1) #((fn foo [x] x)) #(Integer/parseInt "x") #(apply + 1) #(first :k) #(conj 1 2) #(assoc 1 2 3) #(dissoc [1] 0) #(name nil) #(subs nil 1) #(int nil) #(compare 1 "a") #(sort [1 "a"]) #(update {} :a inc) #(swap! 5 inc) #(deref 5) #(re-find #"a" 5) #(into {} [1]) #(hash-map 1) #(long "5") #(rand-nth []) #(pop []) #(pop ())])',
    '(do (defmulti unnamed-dispatch :k) (try (unnamed-dispatch {:k 1}) (catch IllegalArgumentException e (ex-message e))))',
    '(let [sb (StringBuilder. "héllo")] (.insert sb 1 "X") (.deleteCharAt sb 0) (.setCharAt sb 0 \\Y) [(str sb) (.length sb) (.charAt sb 1) (nth sb 2) (count sb) (class sb) (instance? StringBuilder sb) (instance? CharSequence sb) (str (.reverse sb))])',
    '(let [sb (StringBuilder. "abcdef")] (.delete sb 1 3) (.append sb "!") (let [before (str sb)] (.setLength sb 2) [before (str sb) (str (doto (StringBuilder.) (.append 1) (.append \\c)))]))',
    '(let [sb (StringBuilder.)] (dotimes [_ 100000] (.append sb "x")) [(.length sb) (subs (str sb) 0 3)])',
    '(let [w (java.io.StringWriter.)] (binding [*out* w] (print "hi") (prn :x)) [(str w) (class w)])',
    '(let [r (reify clojure.lang.ILookup (valAt [_ k] (str "look-" (name k))) (valAt [_ k nf] [:nf nf]))] [(:abc r) (get r :q) (get r :q :dflt) (:z r :zz)])',
    '(do (deftype OnlyTwo [] clojure.lang.ILookup (valAt [_ k] (when (= k :a) 1))) [(get (OnlyTwo.) :a) (get (OnlyTwo.) :b) (:a (OnlyTwo.))])',
    '(do (defrecord Money [amount currency]) (defmethod print-method Money [m w] (.write w (str "#money[" (:amount m) " " (name (:currency m)) "]"))) [(pr-str (->Money 5 :usd)) (pr-str [(->Money 1 :eur)])])',
    '(do (ns jvm.order) (def a 1) (def b 2) (def c 3) (def d 4) (def e 5) (defn f [] 1) (defn- g [] 2) [(keys (ns-interns \'jvm.order)) (keys (ns-publics \'jvm.order))])',
  ],
  // java.util's mutable collections: iteration order, printing, =, hash, and
  // Clojure's functions over them, as on the JVM.
  'java-util': [
    // Map's merge and compute family with a reified java.util.function interface or a fn;
    // a reified Iterator read by iterator-seq, and a deftype that is Iterable.
    '(let [m (java.util.HashMap. {:a 1}) add (reify java.util.function.BiFunction (apply [_ a b] (+ a b)))] [(.merge m :a 5 add) (.merge m :b 7 add) (.computeIfAbsent m :k (reify java.util.function.Function (apply [_ k] [k]))) (.computeIfAbsent m :k (reify java.util.function.Function (apply [_ k] :other))) (.compute m :n (reify java.util.function.BiFunction (apply [_ k v] (inc (or v 0))))) (.computeIfPresent m :n (reify java.util.function.BiFunction (apply [_ k v] (* 10 v)))) (.computeIfPresent m :a (reify java.util.function.BiFunction (apply [_ k v] nil))) (into (sorted-map) m)])',
    '(do (defn ju-counter [n] (let [i (atom 0)] (reify java.util.Iterator (hasNext [_] (< @i n)) (next [_] (let [v @i] (swap! i inc) v))))) (deftype JuThree [] Iterable (iterator [_] (ju-counter 3))) [(iterator-seq (ju-counter 3)) (seq (JuThree.)) (into [] (JuThree.)) (reduce + (JuThree.)) (take 2 (iterator-seq (ju-counter 1000000)))])',
    '(let [al (java.util.ArrayList. [3 1 2])] (.add al 5) (.add al 0 9) [(vec al) (.remove al 0) (.contains al 5) (.indexOf al 5) (.isEmpty al) (.size al) (str al) (count al) (nth al 1) (get al 1) (= al [9 3 1 2 5]) (= [9 3 1 2 5] al) (class al)])',
    '(let [al (java.util.ArrayList. [3 1 2])] (java.util.Collections/sort al) (.set al 0 100) [al (reduce + al) (mapv inc al) (pr-str al) (hash al) (seqable? al) (sequential? al) (coll? al) (first al) (last al) (sort (java.util.ArrayList. [3 1 2]))])',
    '(let [m (java.util.HashMap.)] (dotimes [i 20] (.put m i (* i i))) (doseq [s ["banana" "apple" "cherry" "date" "elderberry" "fig"]] (.put m s (count s))) (.put m :kw 1) (.remove m 3) [m (str m) (count m) (keys m) (vals m) (get m "fig") (.get m :kw) (.getOrDefault m :zz 0) (.containsKey m 5) (contains? m 5) (into {} m) (= m (into {} m)) (= (into {} m) m) (hash m)])',
    '(let [s (java.util.HashSet. [1 2 3])] (.add s 4) (doseq [k [:x :y :z :w "q" (quote sym) 1.5]] (.add s k)) [(str s) (contains? s 2) (.contains s 9) (count s) (.remove s 1) s (= (set s) s) (hash s)])',
    '(let [pq (java.util.PriorityQueue.)] (doseq [x [5 1 4 2 8 3]] (.add pq x)) [(vec pq) (.peek pq) (.poll pq) (vec pq) (.size pq) (str pq) (.remove pq 4) (vec pq)])',
    '(let [pq (java.util.PriorityQueue. 10 (comparator >))] (doseq [x [5 1 4 2]] (.offer pq x)) [(.poll pq) (.poll pq) (vec pq) (vec (java.util.PriorityQueue. [7 3 9 1 5]))])',
    '(let [dq (java.util.ArrayDeque.)] (.push dq 1) (.push dq 2) (.addLast dq 3) [(vec dq) (.pop dq) (.peekFirst dq) (.pollLast dq) (vec dq) (str dq) (.poll (java.util.ArrayDeque.))])',
    '(let [a (int-array [3 1 2]) o (object-array ["b" "a" "c"]) l (long-array 3)] (java.util.Arrays/sort a) (java.util.Arrays/sort o) (java.util.Arrays/fill l 7) [(vec a) (java.util.Arrays/toString a) (vec o) (vec l) (vec (java.util.Arrays/asList (object-array [1 2])))])',
    '(let [l (java.util.ArrayList. [1 2 3])] (java.util.Collections/reverse l) [l (java.util.Collections/max l) (java.util.Collections/min l) (java.util.Collections/frequency [1 1 2] 1)])',
    '(let [lhm (java.util.LinkedHashMap.) tm (java.util.TreeMap.)] (.put lhm :z 1) (.put lhm :a 2) (.put tm 3 :c) (.put tm 1 :a) [lhm tm (.firstKey tm) (.lastKey tm) (keys tm) (java.util.TreeSet. [3 1 2])])',
    '(let [m (java.util.HashMap. {:a 1})] [(.putIfAbsent m :a 5) (.putIfAbsent m :b 6) m (.keySet m) (vec (.values m)) (.put m :a 7) (.remove m :zz)])',
    '[(instance? java.util.List (java.util.ArrayList.)) (instance? java.util.Map (java.util.HashMap.)) (instance? java.util.Collection (java.util.HashSet.)) (class (java.util.TreeMap.)) (empty? (java.util.ArrayList.)) (empty? (java.util.HashMap. {:a 1}))]',
    '(let [it (.iterator [1 2])] [(.hasNext it) (.next it) (.next it) (.hasNext it) (vec (iterator-seq (.iterator (java.util.ArrayList. [1 2 3])))) (let [m (.iterator (.entrySet (java.util.HashMap. {:a 1 :b 2})))] (loop [acc []] (if (.hasNext m) (recur (conj acc (key (.next m)))) acc)))])',
    '(mapv (fn [f] (try (f) (catch Throwable e (.getName (class e))))) [#(.next (.iterator [])) #(.pop (java.util.ArrayDeque.)) #(.get (java.util.ArrayList.) 2) #(.firstKey (java.util.TreeMap.)) #(.add (java.util.PriorityQueue.) nil)])',
  ],
  // clojure.math's exact arithmetic and floating-point steps, and their Math/ names.
  'math-steps': [
    '[(Long/bitCount 255) (Integer/bitCount -1) (Long/bitCount -1) (Long/numberOfTrailingZeros 8) (Integer/numberOfTrailingZeros 0) (Long/numberOfLeadingZeros 1) (Integer/numberOfLeadingZeros 1) (Integer/highestOneBit -1) (Long/highestOneBit 100) (Long/lowestOneBit 12) (Integer/reverse 1) (Long/reverse 1) (Long/signum -5) (Integer/signum 0) (Long/compare 1 2) (Integer/compare 5 5) (Double/compare 2.0 1.0) (Long/compare Long/MAX_VALUE (dec Long/MAX_VALUE))]',
    '[(clojure.math/IEEE-remainder 10.0 3.0) (clojure.math/copy-sign 2.0 -1.0) (clojure.math/next-up 1.0) (clojure.math/next-down 1.0) (clojure.math/next-after 1.0 0.0) (clojure.math/ulp 1.0) (clojure.math/ulp 1e10) (clojure.math/get-exponent 1024.0) (clojure.math/get-exponent 0.0) (clojure.math/scalb 1.5 4)]',
    '[(clojure.math/add-exact 1 2) (clojure.math/multiply-exact 3 4) (clojure.math/negate-exact 5) (clojure.math/increment-exact 1) (clojure.math/decrement-exact 1) (Math/addExact 2 3) (Math/floorMod -7 2) (<= 0 (clojure.math/random) 1)]',
    '(mapv (fn [f] (try (f) (catch Throwable e [(.getName (class e)) (ex-message e)]))) [#(clojure.math/add-exact Long/MAX_VALUE 1) #(clojure.math/multiply-exact Long/MAX_VALUE 2) #(clojure.math/negate-exact Long/MIN_VALUE) #(Math/incrementExact Long/MAX_VALUE)])',
  ],
  // Agents' error handlers and modes (an action runs when it is sent, here).
  agents: [
    '(let [errors (atom []) a (agent 0 :error-handler (fn [ag e] (swap! errors conj (ex-message e))))] (send a inc) (send a (fn [_] (throw (ex-info "bad" {})))) (send a inc) (await a) [@a @errors (error-mode a) (agent-error a) (some? (error-handler a))])',
    '(let [a (agent 0)] (send a (fn [_] (throw (ex-info "boom" {})))) (try (await-for 2000 a) (catch Exception e nil)) [(error-mode a) (ex-message (agent-error a)) (ex-message (first (agent-errors a))) (do (set-error-mode! a :continue) (error-mode a)) (restart-agent a 5) @a (agent-errors a)])',
  ],
  // Java's regex syntax (Boost.Regex with a translation, runtime/src/regex.cpp),
  // matched by code point, and java.util.regex.Matcher's methods.
  regex: [
    String.raw`[(re-seq #"." "héllo→✓") (re-seq #"\w+" "naïve café") (re-seq #"." "a😀b") (clojure.string/split "a😀b😀c" #"😀") (re-find #"\u00e9" "café") (re-find #"\x41" "zAz")]`,
    String.raw`[(re-seq #"a*" "baaac") (re-seq #"a*?" "aa") (re-seq #"" "abc") (clojure.string/split "abc" #"") (clojure.string/replace "aaa" #"a*" "-") (clojure.string/replace "abc" #"" "-")]`,
    String.raw`[(re-seq #"(?<=\$)\d+" "cost $12 and $345") (re-find #"(?<!\d)\d{3}(?!\d)" "1234 567 89") (re-seq #"\d+(?=px)" "10px 20em 30px") (clojure.string/split "a1b2c3" #"(?<=\d)") (re-find #"a++b" "aaab") (re-find #"(?>a|ab)c" "abc")]`,
    String.raw`[(re-find #"\p{Upper}+" "abcDEFghi") (re-find #"[\p{Upper}\d]+" "abC1D2e") (re-find #"\P{Digit}+" "12ab34") (re-find #"\p{L}+" "12ab34") (re-find #"\p{Punct}" "ab,c") (re-find #"\p{javaLowerCase}+" "ABcdE") (re-find #"[\P{Upper}]+" "ABcdE") (re-find #"\p{ASCII}+" "éab")]`,
    String.raw`[(re-find #"c$" "abc\n") (re-find #"^abc$" "abc\n") (re-find #"(?m)^b$" "a\nb\nc") (re-find #"a.b" "a\nb") (re-find #"(?s)a.b" "a\nb") (re-find #"(?i)hello" "Say HELLO") (re-find #"a(?i)b" "aB") (re-find #"(?i:x)y" "Xy") (re-find #"\Aab" "ab") (re-find #"ab\z" "ab") (re-find #"ab\Z" "ab\n")]`,
    String.raw`[(re-matches #"(?x) \d+  # digits" "123") (re-find #"\Q(a+)\E" "x(a+)y") (re-find #"[\]a]+" "]a]b") (re-find #"[^]a]+" "]a]bc") (re-find #"[a-z[0-9]]+" "ab12-") (re-find #"(\w)\1" "abccd") (re-find #"\bcat\b" "concat cat") (re-seq #"\b\w" "hello big world")]`,
    String.raw`[(re-find #"(?<first>\w+)\s(?<last>\w+)" "John Smith") (clojure.string/replace "John Smith" #"(?<first>\w+)\s(?<last>\w+)" "${"$"}{last}, ${"$"}{first}") (re-find #"(a)|(b)" "b") (re-find #"(\d+)-(\d+)?" "12-") (clojure.string/replace "2024-05-06" #"(\d+)-(\d+)-(\d+)" "$3/$2/$1") (re-find #"(\d)(\d)(\d)(\d)(\d)(\d)(\d)(\d)(\d)(\d)(\d)" "12345678901")]`,
    String.raw`(let [m (re-matcher #"(\w)(\d)" "a1 b2")] [(.find m) (.group m) (.group m 1) (.start m) (.end m) (.start m 2) (.end m 2) (.groupCount m) (.find m) (.group m 2) (.start m) (.find m)])`,
    String.raw`(let [m (re-matcher #"(?<year>\d{4})-(?<month>\d{2})" "on 2024-05 and")] [(.find m) (.group m "year") (.group m "month") (.start m) (.end m)])`,
    String.raw`[(let [m (re-matcher #"\d+" "123")] [(.matches m) (.group m)]) (let [m (re-matcher #"\d+" "123abc")] [(.matches m) (.lookingAt m) (.group m)]) (.matches "abc" "a.c") (.matches "abcd" "a.c") (let [m (re-matcher #"\d" "1a2")] [(re-find m) (re-find m) (re-find m) (re-find m)])]`,
    String.raw`(mapv (fn [f] (try (f) (catch Throwable e (.getName (class e))))) [#(re-pattern "(unclosed") #(re-pattern "[a") #(re-pattern "\\p{Nope}") #(.group (re-matcher #"a" "a")) #(let [m (re-matcher #"a" "a")] (.find m) (.group m 3)) #(clojure.string/replace "a" #"a" "$2")])`,
    // Pattern.split, (.split #"," s), as String.split
    String.raw`[(vec (.split #"\s*,\s*" "a , b,c")) (vec (.split #"," "a,b,c,," 2)) (vec (.split #"," "a,b,,")) (vec (.split "x1y2z" "\\d"))]`,
    String.raw`[(count (re-seq #"\S+" (apply str (repeat 10000 "ab ")))) (count (re-find #".*" (apply str (repeat 200000 "a")))) (count (re-find #"(a|b)*c" (str (apply str (repeat 100 "ab")) "c")))]`,
  ],
  // clojure.spec.alpha, bundled jank (compiler/src/libraries/clojure/spec/alpha.jank).
  spec: [
    "(do (require 'clojure.spec.alpha) :loaded)",
    String.raw`(do (clojure.spec.alpha/def :t/name string?) (clojure.spec.alpha/def :t/age (clojure.spec.alpha/and int? #(>= % 0))) (clojure.spec.alpha/def :t/email (clojure.spec.alpha/and string? #(re-find #"@" %))) (clojure.spec.alpha/def :t/person (clojure.spec.alpha/keys :req-un [:t/name :t/age] :opt-un [:t/email])) :defined)`,
    String.raw`(mapv #(clojure.spec.alpha/valid? :t/person %) [{:name "Al" :age 3} {:name "Al" :age -1} {:name "Al"}])`,
    String.raw`(mapv #(clojure.spec.alpha/explain-str :t/person %) [{:name "Al" :age -1} {:name "Al"} {:name 5 :age 3 :email "x"} {:name "A" :age 1}])`,
    String.raw`(do (clojure.spec.alpha/def :t/num (clojure.spec.alpha/or :int int? :str string?)) [(clojure.spec.alpha/conform :t/num 5) (clojure.spec.alpha/conform :t/num "a") (clojure.spec.alpha/conform :t/num :k) (clojure.spec.alpha/explain-str :t/num :k)])`,
    String.raw`(do (clojure.spec.alpha/def :t/ints (clojure.spec.alpha/coll-of int? :kind vector?)) [(clojure.spec.alpha/valid? :t/ints [1 2]) (clojure.spec.alpha/valid? :t/ints '(1 2)) (clojure.spec.alpha/explain-str :t/ints [1 :a 3]) (clojure.spec.alpha/explain-str :t/ints '(1))])`,
    String.raw`[(clojure.spec.alpha/valid? (clojure.spec.alpha/map-of keyword? int?) {:a 1}) (clojure.spec.alpha/valid? (clojure.spec.alpha/map-of keyword? int?) {:a "x"}) (clojure.spec.alpha/valid? (clojure.spec.alpha/nilable string?) nil) (clojure.spec.alpha/explain-str (clojure.spec.alpha/nilable int?) "x") (clojure.spec.alpha/explain-str #{:red :green} :blue) (clojure.spec.alpha/valid? (clojure.spec.alpha/tuple int? int?) [1 "a"]) (clojure.spec.alpha/valid? (clojure.spec.alpha/int-in 0 10) 10)]`,
    String.raw`[(clojure.spec.alpha/conform (clojure.spec.alpha/cat :n int? :rest (clojure.spec.alpha/* string?)) [1 "a" "b"]) (clojure.spec.alpha/conform (clojure.spec.alpha/cat :a int? :b (clojure.spec.alpha/? string?)) [1]) (clojure.spec.alpha/conform (clojure.spec.alpha/alt :i int? :s string?) ["x"]) (clojure.spec.alpha/valid? (clojure.spec.alpha/+ int?) [])]`,
    String.raw`(mapv (fn [[spec x]] (clojure.spec.alpha/explain-str spec x)) [[(clojure.spec.alpha/* int?) [1 "a"]] [(clojure.spec.alpha/cat :a int?) []] [(clojure.spec.alpha/cat :a int?) [1 2]] [(clojure.spec.alpha/cat :a int? :b (clojure.spec.alpha/* string?)) [1 "x" 3]] [(clojure.spec.alpha/cat :a (clojure.spec.alpha/alt :i int? :s string?)) [:k]] [(clojure.spec.alpha/cat :a int? :b string?) [1 2]] [(clojure.spec.alpha/coll-of int? :count 2) [1]]])`,
    String.raw`(do (clojure.spec.alpha/def :acct/id pos-int?) (clojure.spec.alpha/def :acct/tags (clojure.spec.alpha/coll-of keyword? :kind set?)) (clojure.spec.alpha/def :acct/owner (clojure.spec.alpha/keys :req [:acct/id] :opt [:acct/tags])) (clojure.spec.alpha/explain-str (clojure.spec.alpha/coll-of :acct/owner) [{:acct/id 1} {:acct/id -2} {:acct/tags #{"x"} :acct/id 3}]))`,
    // a spec's form names every symbol in full; explain-data reports the full form, explain abbreviates it
    String.raw`[(clojure.spec.alpha/form :t/age) (clojure.spec.alpha/form :t/person) (clojure.spec.alpha/form :t/ints) (clojure.spec.alpha/form (clojure.spec.alpha/cat :k keyword? :n (clojure.spec.alpha/? int?) :rest (clojure.spec.alpha/* string?))) (clojure.spec.alpha/form (clojure.spec.alpha/or :a (clojure.spec.alpha/keys :req-un [:t/name]) :b number?)) (clojure.spec.alpha/form (clojure.spec.alpha/map-of keyword? int?)) (clojure.spec.alpha/form (clojure.spec.alpha/tuple int? (clojure.spec.alpha/nilable string?))) (clojure.spec.alpha/form (clojure.spec.alpha/int-in 0 5)) (clojure.spec.alpha/describe :t/age)]`,
    String.raw`(mapv (fn [[spec x]] (:clojure.spec.alpha/problems (clojure.spec.alpha/explain-data spec x))) [[:t/age -1] [:t/age "x"] [:t/person {:name "a"}] [:t/person 5] [:t/ints [1 "a"]] [:t/ints '(1)] [(clojure.spec.alpha/tuple keyword? int?) [:a]] [(clojure.spec.alpha/tuple keyword? int?) [:a "b"]] [(clojure.spec.alpha/nilable int?) "x"] [(clojure.spec.alpha/coll-of int? :count 2) [1]] [(clojure.spec.alpha/int-in 0 5) 9]])`,
    String.raw`[(clojure.spec.alpha/explain-str (clojure.spec.alpha/int-in 0 5) 9) (clojure.spec.alpha/explain-str (clojure.spec.alpha/int-in 0 5) :k) (clojure.spec.alpha/valid? (clojure.spec.alpha/int-in 0 5) 4)]`,
    String.raw`[(clojure.spec.alpha/explain-data :t/name "ok") (:clojure.spec.alpha/value (clojure.spec.alpha/explain-data :t/age -5)) (clojure.spec.alpha/assert :t/name 1) (try (clojure.spec.alpha/check-asserts true) (clojure.spec.alpha/assert :t/name 1) (catch Exception e (ex-message e)) (finally (clojure.spec.alpha/check-asserts false)))]`,
  ],
  // java.lang.String's constructor and its case-insensitive comparator.
  'string-constructor': [
    String.raw`[(String. (char-array "hi")) (String. (.getBytes "héllo") "UTF-8") (String.) (String. (char-array "abcdef") 1 3) (String. (StringBuilder. "sb")) (sort String/CASE_INSENSITIVE_ORDER ["banana" "Apple" "cherry"])]`,
  ],
  // proxy, as reify: a Comparator for sort, a Callable for future-call, Object's toString.
  proxies: [
    "[(sort (proxy [java.util.Comparator] [] (compare [a b] (- b a))) [1 3 2]) (str (proxy [Object] [] (toString [] \"hi\"))) (let [n 5 p (proxy [clojure.lang.IDeref] [] (deref [] n) (toString [] (str \"P\" n)))] [@p (str p)]) (sort (reify java.util.Comparator (compare [_ a b] (compare b a))) [1 3 2])]",
    "[(get (ns-imports *ns*) 'String) (get (ns-imports *ns*) 'Math) (contains? (ns-imports *ns*) 'first)]",
  ],
  // ns-map and ns-refers, as REPL tooling and ns-unmap loops read them; extenders.
  'namespace-maps': [
    "(do (defn nsm-f [] 1) (def ^:private nsm-secret 2) [(= #'nsm-f (get (ns-map *ns*) 'nsm-f)) (= #'nsm-secret (get (ns-map *ns*) 'nsm-secret)) (get (ns-map *ns*) 'String) (get (ns-map *ns*) 'Math) (get (ns-map *ns*) 'first) (contains? (ns-refers *ns*) 'reduce) (get (ns-refers *ns*) 'nsm-f) (count (ns-refers 'clojure.core))])",
    "(do (require '[clojure.set :refer [union]]) [(get (ns-refers *ns*) 'union) (get (ns-map *ns*) 'union)])",
    "(do (def jv-x 1) (def jv-y) [(.hasRoot (var jv-x)) (.hasRoot (var jv-y)) (.isBound (var jv-x)) (.bindRoot (var jv-x) 5) jv-x])",
    "(do (defprotocol NsmShape (nsm-area [s])) (defrecord NsmSq [a] NsmShape (nsm-area [_] (* a a))) (extend-protocol NsmShape String (nsm-area [s] (count s)) nil (nsm-area [_] 0)) (defprotocol NsmNone (nsm-none [x])) [(set (extenders NsmShape)) (extenders NsmNone) (nsm-area (->NsmSq 3))])",
  ],
  'walk-demos': [
    '[(with-out-str (clojure.walk/postwalk-demo [1 [2 {:a 3}]])) (with-out-str (clojure.walk/prewalk-demo (list 1 [2])))]',
  ],
  // clojure.repl, as Conjure's doc and source keys call it after requiring it.
  repl: [
    "(do (require 'clojure.repl) :loaded)",
    '(with-out-str (clojure.repl/doc map))', '(with-out-str (clojure.repl/doc when))', '(with-out-str (clojure.repl/doc clojure.string/join))',
    '(with-out-str (clojure.repl/doc if))', '(with-out-str (clojure.repl/doc catch))', '(with-out-str (clojure.repl/doc recur))',
    '(with-out-str (clojure.repl/doc clojure.set))', '(with-out-str (clojure.repl/doc no-such-var))', '(with-out-str (clojure.repl/doc clojure.repl/doc))',
    '(with-out-str (clojure.repl/dir clojure.set))', "(clojure.repl/dir-fn 'clojure.string)",
    '(filter #(= "clojure.core" (namespace %)) (clojure.repl/apropos "index"))', '(filter #(= "clojure.core" (namespace %)) (clojure.repl/apropos #"^re-"))',
    '(with-out-str (clojure.repl/find-doc "lazy seq of the first"))',
    '(with-out-str (binding [*err* *out*] (clojure.repl/pst (ex-info "boom" {:a 1} (RuntimeException. "inner")) 0)))',
    '[(clojure.repl/demunge "clojure.core$map_QMARK_$fn__123") (clojure.repl/demunge "my_ns.core$foo_bar_BANG_") (ex-message (clojure.repl/root-cause (ex-info "a" {} (ex-info "b" {} (ex-info "c" {})))))]',
  ],
};

const all = Object.values(forms).flat();

/** What JVM Clojure prints for each form, as pr-str of its value. */
function jvmValues() {
  const program = `(require 'clojure.set 'clojure.walk 'clojure.math 'clojure.pprint 'clojure.edn 'clojure.data 'clojure.spec.alpha) (doseq [f (read-string (slurp *in*))] (println (pr-str (eval f)))) (shutdown-agents)`;
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
