//! Compiling for pages that load less than the reference runtime: the jank
//! fork's registry and helper set. Each form that needs what the page lacks
//! is a compile error naming the form and what is missing.

use jank_hot_reload_compiler::{compile_for, CodeBackend, Knowledge};
use jank_hot_reload_protocol::{capabilities::HELPERS, Capabilities, RegistryLimits};

/// The fork's page: its helpers only, no extensions, its registry.
fn fork() -> Capabilities {
    let fork_helpers = [
        "jank_box_integer",
        "jank_box_double",
        "jank_make_string",
        "jank_make_keyword",
        "jank_make_symbol",
        "jank_make_vector",
        "jank_make_set",
        "jank_nil_value",
        "jank_truthy",
        "jank_call_var",
        "jank_deref_var",
        "jank_make_fn_wrapper",
    ];
    assert!(fork_helpers.iter().all(|h| HELPERS.contains(h)));
    Capabilities {
        helpers: fork_helpers.iter().map(|s| s.to_string()).collect(),
        extensions: vec![],
        limits: RegistryLimits::FORK,
    }
}

fn compile(source: &str, caps: &Capabilities) -> Result<(), String> {
    compile_with(source, caps, CodeBackend::Wasm)
}

fn compile_with(source: &str, caps: &Capabilities, backend: CodeBackend) -> Result<(), String> {
    let mut knowledge = Knowledge::default();
    compile_for(source, None, &mut knowledge, backend, Some(caps))
        .map(|_| ())
        .map_err(|e| {
            format!(
                "{}:{} {}",
                e.line.unwrap_or(0),
                e.column.unwrap_or(0),
                e.message
            )
        })
}

#[track_caller]
fn refused(source: &str, wanted: &[&str]) {
    let error = compile(source, &fork()).expect_err("the fork's page cannot load this");
    for w in wanted {
        assert!(error.contains(w), "{error:?} should mention {w:?}");
    }
}

#[test]
fn what_the_fork_loads_compiles() {
    let caps = fork();
    compile("(defn ggg [v] (+ v 49))", &caps).expect("a defn");
    compile("(defn f [a b c d] [a b c d #{:k} \"s\" 1.5 'sym])", &caps).expect("four args");
    compile("(defn g [xs] (mapv (fn [x] (* 2 x)) xs))", &caps).expect("a fn value");
    compile("(defn h [a b c d e] (str a b c d e))", &fork_with_arity(5)).expect("limits");
    // A docstring's metadata is an extra the page goes without.
    compile("(defn doc \"Says hi.\" [] :hi)", &caps).expect("a docstring");
    // What the fork has no helper for, the wasm backend builds through clojure.core.
    for source in [
        "(defn adder [n] (fn [x] (+ x n)))",
        "(defn twice [f x] (f (f x)))",
        "(defn call3 [f] (f 1 2 3))",
        "(defn q [] '(1 2 3 4 5 6 7))",
        "(defn mp [] {:a 1 :b 2 :c 3})",
        "(defn b [] [true false \\a])",
        "(defn cs [x] (case x 1 true \\c '(1) false))",
        "(defn init! [] (def state 0))",
        "(defn self [] #'self)",
    ] {
        compile(source, &caps).unwrap_or_else(|e| panic!("{source}: {e}"));
    }
}

#[test]
fn the_c_backend_has_no_stand_ins() {
    for (source, helper) in [
        ("(defn q [] '(1 2))", "jank_make_list"),
        ("(defn mp [] {:a 1})", "jank_make_map"),
        ("(defn b [] true)", "jank_make_boolean"),
        ("(defn adder [n] (fn [x] (+ x n)))", "jank_make_closure"),
    ] {
        let error = compile_with(source, &fork(), CodeBackend::C).expect_err(source);
        assert!(error.contains(helper), "{error:?} should name {helper}");
    }
}

fn fork_with_arity(max: u32) -> Capabilities {
    let mut caps = fork();
    caps.limits.max_arity = max;
    caps
}

#[test]
fn each_missing_piece_is_named_with_its_form() {
    refused(
        "(defn adder [n] (fn [a b c] (+ a b c n)))",
        &[
            "1:1",
            "(defn adder ...)",
            "a closure of 3 arguments",
            "0 to 3",
        ],
    );
    refused(
        "(defn call4 [f] (f 1 2 3 4))",
        &["(defn call4 ...)", "4 arguments", "at most 3"],
    );
    refused(
        "(defn f [] (str 1 2 3 4 5 6))",
        &["(defn f ...)", "6 arguments", "at most 5"],
    );
    refused("(defn m ([] 0) ([x] x))", &["(defn m ...)", "2 arities"]);
    refused(
        "(defn v [& xs] xs)",
        &["(defn v ...)", "rest argument", "\"0+\""],
    );
    refused("(defn five [a b c d e] a)", &["5 arguments", "0 to 4"]);
    refused(
        "\n  (+ 1 2)",
        &["2:3", "(+ 1 2)", "jank_hot_reload_run_var"],
    );
    refused("(defn t [] (try 1 (catch :default e 2)))", &["jank_try"]);
    refused(
        "(defn w [] (fn [a b c d] a))",
        &["jank_make_fn_wrapper", "0 to 3"],
    );
    refused("(defn th [] (throw (ex-info \"x\" {})))", &["jank_throw"]);
}

/// The reference runtime's page: every helper and extension, its registry.
fn reference() -> Capabilities {
    Capabilities {
        helpers: HELPERS.iter().map(|s| s.to_string()).collect(),
        extensions: jank_hot_reload_protocol::capabilities::EXTENSIONS
            .iter()
            .map(|s| s.to_string())
            .collect(),
        limits: RegistryLimits {
            max_arity: 20,
            variadic: true,
            multi_arity: true,
            call_var_max_args: None,
            fn_wrapper_max_arity: 20,
        },
    }
}

#[test]
fn the_reference_runtime_loads_everything() {
    let caps = reference();
    for source in [
        "(defn adder [n] (fn [x] (+ x n)))",
        "(defn m ([] 0) ([x] x))",
        "(defn v [& xs] xs)",
        "(+ 1 2)",
        "(defn q [] '(1 2))",
        "(defn kw [] ((fn [& {:keys [a b]}] (+ a b)) :a 1 :b 2))",
    ] {
        compile(source, &caps).unwrap_or_else(|e| panic!("{source}: {e}"));
    }
}

/// Every corpus program, compiled for the reference runtime, is never refused
/// for a capability: the target pass asks only what a page lacks.
#[test]
fn no_corpus_program_is_refused_by_the_reference_runtime() {
    let caps = reference();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "jank") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 100, "found the corpus");
    for file in files {
        let source = std::fs::read_to_string(&file).expect("read");
        if let Err(e) = compile(&source, &caps) {
            assert!(!e.contains("this page's"), "{}: {e}", file.display());
        }
    }
}

#[test]
fn a_closure_of_several_arities_needs_the_closure_helper() {
    let mut caps = reference();
    caps.helpers.retain(|h| h != "jank_make_closure");
    compile("(defn f [n] (fn [x] (+ x n)))", &caps).expect("one arity is stood in for");
    let error = compile("(defn f [n] (fn ([] n) ([x] (+ x n))))", &caps)
        .expect_err("the stand-in makes closures of one arity");
    assert!(
        error.contains("(defn f ...) makes a closure with several arities"),
        "{error}"
    );
}

/// The env imports of the wasm module `source` compiles to for `caps`.
fn imports_for(source: &str, caps: &Capabilities) -> Vec<String> {
    let mut knowledge = Knowledge::default();
    let unit = compile_for(source, None, &mut knowledge, CodeBackend::Wasm, Some(caps))
        .unwrap_or_else(|e| panic!("{source}: {}", e.message));
    let wasm = unit.wasm.expect("a wasm module").bytes;
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(&wasm) {
        if let Ok(wasmparser::Payload::ImportSection(imports)) = payload {
            for import in imports.into_imports().flatten() {
                names.push(import.name.to_owned());
            }
        }
    }
    names
}

/// A `recur` calls the loop tick where the page exports it, so that its time
/// limit stops a loop that calls nothing else; a page without it (the fork)
/// gets no such import, and code without a call-free `recur` never imports it.
#[test]
fn a_recur_ticks_only_on_pages_that_export_the_tick() {
    use jank_hot_reload_protocol::capabilities::{SAFEPOINT, SAFE_CALL, SAFE_TRY};
    let tick = jank_hot_reload_protocol::capabilities::LOOP_TICK.to_owned();
    // A page with the tick but not the safepoints (an older reference runtime).
    let mut ticking = reference();
    ticking
        .extensions
        .retain(|e| ![SAFEPOINT, SAFE_CALL, SAFE_TRY].contains(&e.as_str()));
    let spin = "(defn spin [x] (loop [] (if x (recur) x)))";
    assert!(imports_for(spin, &ticking).contains(&tick));
    assert!(imports_for("(defn same [n] (if (pos? n) (recur n) n))", &ticking).contains(&tick));
    // A recur whose arguments call something counts through that call.
    assert!(
        !imports_for("(defn down [n] (if (pos? n) (recur (dec n)) n))", &ticking).contains(&tick)
    );
    assert!(!imports_for("(defn ggg [v] (+ v 49))", &ticking).contains(&tick));
    assert!(!imports_for(spin, &fork()).contains(&tick));
    // The reference page's safepoint is its tick too.
    let on_reference = imports_for(spin, &reference());
    assert!(on_reference.contains(&SAFEPOINT.to_owned()) && !on_reference.contains(&tick));
}

/// Where the page exports all three safe helpers, the wasm backend calls and
/// tries through them (the page may then collect inside the call); a page
/// missing any of them gets the plain helpers.
#[test]
fn calls_go_through_the_safe_helpers_only_on_pages_that_have_them() {
    use jank_hot_reload_protocol::capabilities::{SAFE_CALL, SAFE_TRY};
    let source = "(defn f [g x] (try (g x) (catch Exception e nil)))";
    let on_reference = imports_for(source, &reference());
    assert!(
        on_reference.contains(&SAFE_CALL.to_owned()),
        "{on_reference:?}"
    );
    assert!(
        on_reference.contains(&SAFE_TRY.to_owned()),
        "{on_reference:?}"
    );
    assert!(!on_reference
        .iter()
        .any(|i| i == "jank_call" || i == "jank_try"));
    let mut without_try = reference();
    without_try.extensions.retain(|e| e != SAFE_TRY);
    let plain = imports_for(source, &without_try);
    assert!(plain.contains(&"jank_call".to_owned()) && plain.contains(&"jank_try".to_owned()));
    assert!(!plain.contains(&SAFE_CALL.to_owned()));
}

/// Literals are built once and kept in a root slot where the page exports
/// the collector's root registration; the fork's page builds them where used.
#[test]
fn constants_are_kept_only_on_pages_with_root_slots() {
    let add_root = jank_hot_reload_protocol::capabilities::GC_ADD_ROOT.to_owned();
    for source in [
        "(defn s [] \"text\")",
        "(defn q [] '(1 2))",
        "(defn f [x] (* x 0.5))",
    ] {
        assert!(
            imports_for(source, &reference()).contains(&add_root),
            "{source}"
        );
    }
    assert!(!imports_for("(defn k [] [:k 1 nil true \\c])", &reference()).contains(&add_root));
    assert!(!imports_for("(defn s [] \"text\")", &fork()).contains(&add_root));
}

/// clojure.core's arithmetic and comparisons go to the page's core op, as
/// Clojure inlines them, where the page exports it; anything else (another
/// arity, the user's own `+`, the fork's page) calls the var.
#[test]
fn arithmetic_is_inlined_only_on_pages_with_the_core_op() {
    let core_op = jank_hot_reload_protocol::capabilities::CORE_OP.to_owned();
    for source in [
        "(defn f [a b] (+ a b))",
        "(defn f [a] (inc a))",
        "(defn f [a b] (< a b))",
        "(defn f [a b] (= a b))",
    ] {
        assert!(
            imports_for(source, &reference()).contains(&core_op),
            "{source}"
        );
    }
    for source in [
        "(defn f [a b c] (+ a b c))",
        "(defn f [a] (- a))",
        "(ns mine (:refer-clojure :exclude [+])) (defn + [a b] a) (defn f [a b] (+ a b))",
    ] {
        assert!(
            !imports_for(source, &reference()).contains(&core_op),
            "{source}"
        );
    }
    assert!(!imports_for("(defn f [a b] (+ a b))", &fork()).contains(&core_op));
}

/// One-argument `deref` goes to the page's core deref where the page exports
/// it: `@a`, and a named fn's or a letfn's use of its own name (a box). The
/// timeout arity and the fork's page call the var.
#[test]
fn deref_is_inlined_only_on_pages_with_the_core_deref() {
    let core_deref = jank_hot_reload_protocol::capabilities::CORE_DEREF.to_owned();
    for source in [
        "(defn f [a] @a)",
        "(defn f [a] (deref a))",
        "(def f (fn self [n] (if (zero? n) 0 (self (dec n)))))",
        "(defn f [] (letfn [(ev? [n] (if (zero? n) true (od? (dec n)))) (od? [n] (ev? (dec n)))] (ev? 4)))",
    ] {
        assert!(
            imports_for(source, &reference()).contains(&core_deref),
            "{source}"
        );
    }
    assert!(!imports_for("(defn f [p] (deref p 10 :timeout))", &reference()).contains(&core_deref));
    assert!(!imports_for("(defn f [a] @a)", &fork()).contains(&core_deref));
}
