//! Macros, syntax-quote and the compile-time evaluator, checked inside the
//! compiler (the page-side behaviour is the corpus's job, under Node).

use jank_hot_reload_compiler::{compile, eval_in_compiler, Knowledge};

/// The printed value of `source` evaluated in the compiler.
fn value(knowledge: &mut Knowledge, source: &str) -> String {
    match eval_in_compiler(source, knowledge) {
        Ok(v) => v,
        Err(e) => panic!("{source}: {} error: {}", e.phase, e.message),
    }
}

fn fresh() -> Knowledge {
    Knowledge::default()
}

#[test]
fn a_defmacro_expands_at_its_call() {
    let k = &mut fresh();
    value(k, "(defmacro twice [x] `(* 2 ~x))");
    assert_eq!(
        value(k, "(macroexpand-1 '(twice 21))"),
        "(clojure.core/* 2 21)"
    );
    assert!(compile("(twice 21)", None, k).is_ok());
}

#[test]
fn redefining_a_macro_changes_later_compiles_and_names_the_stale_vars() {
    let k = &mut fresh();
    compile("(defmacro version [] 1)", None, k).expect("first macro");
    compile("(defn uses-version [] (version))", None, k).expect("user");
    assert_eq!(value(k, "(macroexpand-1 '(version))"), "1");
    let unit = compile("(defmacro version [] 2)", None, k).expect("redefined");
    assert_eq!(value(k, "(macroexpand-1 '(version))"), "2");
    let notice = unit.notice.expect("a notice about stale vars");
    assert!(notice.contains("#'user/uses-version"), "{notice}");
    assert_eq!(unit.static_value, "#'user/version");
    assert!(
        unit.c_source.is_some() || unit.wasm.is_some(),
        "the page gets the macro's var, for ns-publics and meta"
    );
}

#[test]
fn form_and_env_are_the_call_and_the_locals() {
    let k = &mut fresh();
    value(k, "(defmacro whole [& _] (list 'quote &form))");
    assert_eq!(value(k, "(whole 1 2)"), "(whole 1 2)");
    value(
        k,
        "(defmacro locals [] (list 'quote (vec (sort (keys &env)))))",
    );
    assert_eq!(value(k, "(let [b 1 a 2] (locals))"), "[a b]");
}

#[test]
fn syntax_quote_qualifies_symbols_like_clojures_reader() {
    let k = &mut fresh();
    assert_eq!(value(k, "`foo"), "user/foo");
    assert_eq!(value(k, "`map"), "clojure.core/map");
    assert_eq!(value(k, "`if"), "if");
    assert_eq!(value(k, "`other/x"), "other/x");
    assert_eq!(
        value(k, "(let [x 1 xs [2 3]] `(a ~x ~@xs))"),
        "(user/a 1 2 3)"
    );
    assert_eq!(value(k, "`[1 {:k ~(+ 1 1)}]"), "[1 {:k 2}]");
    assert_eq!(value(k, "```\"meow\""), "\"meow\"");
}

#[test]
fn auto_gensyms_are_one_per_syntax_quote() {
    let k = &mut fresh();
    assert_eq!(value(k, "(let [[a b] `[x# x#]] (= a b))"), "true");
    assert_eq!(value(k, "(= `x# `x#)"), "false");
    let name = value(k, "`tmp#");
    assert!(
        name.starts_with("tmp__") && name.ends_with("__auto__"),
        "{name}"
    );
}

#[test]
fn macros_call_helper_functions_defined_earlier() {
    let k = &mut fresh();
    compile("(defn square-form [x] `(* ~x ~x))", None, k).expect("helper");
    compile("(defmacro squared [x] (square-form x))", None, k).expect("macro");
    assert_eq!(
        value(k, "(macroexpand '(squared 3))"),
        "(clojure.core/* 3 3)"
    );
}

#[test]
fn destructure_is_a_compile_time_function() {
    let k = &mut fresh();
    let bindings = value(k, "(destructure '[[a b] v])");
    assert!(bindings.contains("clojure.core/nth"), "{bindings}");
    assert_eq!(
        value(k, "(let [[a [b c] & more] [1 [2 3] 4 5]] [a b c more])"),
        "[1 2 3 (4 5)]"
    );
    assert_eq!(
        value(k, "(let [{:keys [a b] :or {b 9}} {:a 1}] [a b])"),
        "[1 9]"
    );
}

#[test]
fn core_macros_expand_as_in_clojure() {
    let k = &mut fresh();
    assert_eq!(value(k, "(macroexpand-1 '(when a b c))"), "(if a (do b c))");
    assert_eq!(value(k, "(macroexpand '(-> x (f 1) g))"), "(g (f x 1))");
    assert_eq!(value(k, "(macroexpand '(->> x (f 1) g))"), "(g (f 1 x))");
    assert_eq!(value(k, "(cond-> 1 true inc false dec)"), "2");
    assert_eq!(value(k, "(case 2 (1 2) :low 3 :three :other)"), ":low");
    assert_eq!(
        value(k, "(for [x [1 2] y [:a :b] :when (odd? x)] [x y])"),
        "([1 :a] [1 :b])"
    );
    assert_eq!(value(k, "(letfn [(ev? [n] (if (zero? n) true (od? (dec n)))) (od? [n] (if (zero? n) false (ev? (dec n))))] (ev? 10))"), "true");
    assert_eq!(
        value(
            k,
            "(try (throw (ex-info \"x\" {:a 1})) (catch :default e (ex-data e)))"
        ),
        "{:a 1}"
    );
    assert_eq!(
        value(k, "((fn fact [n] (if (< n 2) 1 (* n (fact (dec n))))) 10)"),
        "3628800"
    );
    assert_eq!(
        value(
            k,
            "(let [f (fn me [n] (if (zero? n) me (me (dec n))))] (fn? (f 3)))"
        ),
        "true"
    );
}

#[test]
fn an_error_inside_a_macro_points_at_the_call_and_names_the_macro() {
    let k = &mut fresh();
    compile(
        "(defmacro explode [] (throw (ex-info \"kaboom\" {})))",
        None,
        k,
    )
    .expect("macro");
    let error = compile("(+ 1\n   (explode))", None, k).expect_err("expansion fails");
    assert_eq!((error.line, error.column), (Some(2), Some(4)));
    assert!(error.message.contains("kaboom"), "{}", error.message);
    assert!(error.message.contains("user/explode"), "{}", error.message);
    assert!(error.code_frame.is_some_and(|f| f.contains("(explode)")));
}

#[test]
fn an_error_in_an_expansion_points_at_the_users_form() {
    let k = &mut fresh();
    compile("(defmacro calls-missing [] `(no-such-fn 1))", None, k).expect("macro");
    let error = compile("(do\n  (calls-missing))", None, k).expect_err("unknown fn");
    assert_eq!(
        (error.line, error.column),
        (Some(2), Some(3)),
        "{}",
        error.message
    );
    assert!(error.message.contains("no-such-fn"), "{}", error.message);
    assert!(
        error
            .message
            .contains("in the expansion of user/calls-missing"),
        "{}",
        error.message
    );
}

#[test]
fn a_runaway_macro_is_an_error_not_a_crash() {
    let k = &mut fresh();
    compile("(defmacro forever [] `(forever))", None, k).expect("macro");
    let error = compile("(forever)", None, k).expect_err("runaway");
    assert!(
        error.message.contains("did not terminate"),
        "{}",
        error.message
    );
    compile("(defmacro deeper [n] `(deeper ~(inc n)))", None, k).expect("macro");
    assert!(compile("(deeper 0)", None, k).is_err());
    compile("(defn spin [n] (spin (inc n)))", None, k).expect("fn");
    compile("(defmacro spins [] (spin 0))", None, k).expect("macro");
    let error = compile("(spins)", None, k).expect_err("compile-time recursion");
    assert!(
        error.message.contains("StackOverflowError"),
        "{}",
        error.message
    );
}

#[test]
fn a_macro_cannot_be_used_as_a_value_or_embed_a_function() {
    let k = &mut fresh();
    let error = compile("(map when [1])", None, k).expect_err("macro value");
    assert!(
        error.message.contains("Can't take the value of a macro"),
        "{}",
        error.message
    );
    compile("(defmacro gives-fn [] (fn [] 1))", None, k).expect("macro");
    let error = compile("(gives-fn)", None, k).expect_err("embedded fn");
    assert!(error.message.contains("only data"), "{}", error.message);
}

#[test]
fn compile_time_only_helpers_stay_out_of_the_page() {
    let k = &mut fresh();
    let error = compile("(destructure '[a 1])", None, k).expect_err("compiler-only var");
    assert!(
        error.message.contains("exists only in the compiler"),
        "{}",
        error.message
    );
}

#[test]
fn reader_conditionals_choose_jank() {
    let k = &mut fresh();
    assert_eq!(value(k, "#?(:clj 1 :jank 2)"), "2");
    assert_eq!(value(k, "[#?@(:jank [1 2]) 3]"), "[1 2 3]");
}

#[test]
fn auto_resolved_keywords_follow_the_namespace() {
    let k = &mut fresh();
    assert_eq!(value(k, "::k"), ":user/k");
    assert_eq!(value(k, "(let [{::keys [a]} {::a 1}] a)"), "1");
}

#[test]
fn a_macro_building_huge_or_deep_values_fails_with_a_message() {
    let k = &mut fresh();
    compile(
        "(defmacro deep [] (loop [x nil n 0] (if (< n 100000) (recur [x] (inc n)) x)))",
        None,
        k,
    )
    .expect("macro");
    let error = compile("(deep)", None, k).expect_err("too deep");
    assert!(error.message.contains("nested"), "{}", error.message);
    compile("(defmacro wide [] (loop [x [1] n 0] (if (< n 40) (recur (concat x x) (inc n)) (count x))))", None, k).expect("macro");
    let error = compile("(wide)", None, k).expect_err("too big");
    assert!(error.message.contains("limit"), "{}", error.message);
    compile("(defmacro forever-loop [] (loop [] (recur)))", None, k).expect("macro");
    let error = compile("(forever-loop)", None, k).expect_err("runaway loop");
    assert!(error.message.contains("steps"), "{}", error.message);
}

#[test]
fn a_macro_expanding_into_itself_without_end_is_an_error() {
    let k = &mut fresh();
    compile("(defmacro grow [& xs] `(do (grow ~@xs 1)))", None, k).expect("macro");
    let error = compile("(grow)", None, k).expect_err("endless expansion");
    assert!(
        error.message.contains("nests more than"),
        "{}",
        error.message
    );
}

#[test]
fn a_macro_sees_its_calls_line_and_column_and_the_file_being_compiled() {
    use jank_hot_reload_compiler::Origin;
    let k = &mut fresh();
    compile(
        "(defmacro place [] (pr-str [(:line (meta &form)) (:column (meta &form)) *file*]))",
        None,
        k,
    )
    .expect("macro");
    // An editor's eval of one form that sits at line 10, column 5 of its file.
    let origin = Origin {
        file: Some("src/app/core.clj"),
        line: 10,
        column: 5,
    };
    let unit = compile("(def p [(place)\n  (place)])", origin, k).expect("uses");
    let c = unit.c_source.expect("code");
    assert!(c.contains(r#"[10 13 \042src/app/core.clj\042]"#), "{c}");
    assert!(c.contains(r#"[11 3 \042src/app/core.clj\042]"#), "{c}");
    // Code with no file is NO_SOURCE_PATH, as Clojure's REPL has it.
    let unit = compile("(def q (place))", None, k).expect("no file");
    let c = unit.c_source.expect("code");
    assert!(c.contains(r#"[1 8 \042NO_SOURCE_PATH\042]"#), "{c}");
}

#[test]
fn errors_in_code_at_an_origin_point_into_the_file() {
    use jank_hot_reload_compiler::Origin;
    let k = &mut fresh();
    let origin = Origin {
        file: Some("src/app/core.clj"),
        line: 10,
        column: 5,
    };
    let error = compile("(do 1\n  (no-such-fn 2))", origin, k).expect_err("unresolved");
    assert_eq!(
        (error.line, error.column),
        (Some(11), Some(4)),
        "{}",
        error.message
    );
    let frame = error.code_frame.expect("a code frame");
    assert!(frame.contains("> 11 |   (no-such-fn 2))"), "{frame}");
    let error = compile("(no-such-fn 2)", origin, k).expect_err("unresolved");
    assert_eq!(
        (error.line, error.column),
        (Some(10), Some(6)),
        "{}",
        error.message
    );
}

#[test]
fn a_failing_assertion_reports_its_file_and_line() {
    use jank_hot_reload_compiler::Origin;
    let k = &mut fresh();
    let origin = Origin {
        file: Some("/home/me/app/test/app/core_test.clj"),
        line: 20,
        column: 1,
    };
    let unit = compile(
        "(clojure.test/deftest t\n  (clojure.test/is (= 1 2)))",
        origin,
        k,
    )
    .expect("deftest");
    let c = unit.c_source.expect("code");
    // JVM Clojure names the file as its stack trace does: without the path.
    assert!(c.contains(r#"core_test.clj"#), "{c}");
    assert!(!c.contains("/home/me"), "{c}");
}
