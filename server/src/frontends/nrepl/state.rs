//! cider-nrepl's track-state. After each op that evaluates, the session hears
//! which namespaces changed since it last heard: each namespace's aliases,
//! refers and vars, and of each var what CIDER uses of its metadata (`fn` or
//! `macro`, `style/indent`, `indent`, `deprecated`, `test`). CIDER colours a
//! buffer's macros and functions by it, indents a macro by its
//! `:style/indent`, and tells a test var without an eval. `cider/get-state`
//! asks for it directly.
//!
//! The server knows a var is a function from its arglists (defn, fn natives),
//! not from its value as cider-nrepl does, so a `def` of a `fn` without
//! arglists (a deftest's var too) is not marked `fn`; that only leaves it
//! uncoloured when CIDER colours functions.
//!
//! A namespace's vars are described again only when its var table changed:
//! the compiler shares an unchanged table between versions of what it knows,
//! so comparing pointers tells, and an eval costs only the namespace it touched.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use serde_bencode::value::Value;

use super::bencode::{string, strings};
use super::{lock, NreplServer, Reply};
use crate::jank::codegen::EVAL_NS;
use crate::jank::form::{pr_str, Form, FormKind};
use crate::jank::knowledge::{VarEntry, VarTable};
use crate::jank::Knowledge;

/// A var as CIDER's cache holds it: its keys with their values, printed.
pub(super) type VarState = Vec<(&'static str, String)>;
type Interns = BTreeMap<String, VarState>;

/// One namespace as track-state describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NsState {
    /// Alias to namespace.
    aliases: Vec<(String, String)>,
    /// Referred name to `ns/name` (clojure.core's left out, as cider-nrepl
    /// leaves them out: CIDER looks there anyway).
    refers: Vec<(String, String)>,
    interns: Arc<Interns>,
}

/// A namespace's vars as last described, by the table they came from.
type Described = HashMap<String, (Arc<VarTable>, Arc<Interns>)>;

/// Every namespace's [`Described`], shared by the sessions.
#[derive(Default)]
pub(super) struct InternsCache(Mutex<Described>);

/// What one session was last told, by namespace.
#[derive(Default)]
pub(super) struct Told(HashMap<String, NsState>);

/// Sends the session of `reply` what changed since it was last told (an
/// empty `changed-namespaces` when nothing did, as cider-nrepl does). A
/// request without a session has no one to remember what it was told.
pub(super) fn send(server: &NreplServer, reply: &Reply) {
    let Some(session) = &reply.session else {
        return;
    };
    let now = server
        .evaluator
        .with_knowledge(|k| project(k, &mut lock(&server.interns.0)));
    let mut changed: Vec<(String, NsState)> = now;
    {
        let mut sessions = lock(&server.sessions);
        let told = &mut sessions.entry(session.clone()).or_default().told.0;
        changed.retain(|(ns, state)| told.get(ns) != Some(state));
        for (ns, state) in &changed {
            told.insert(ns.clone(), state.clone());
        }
    }
    reply.send(vec![
        ("status", strings(["state"])),
        ("repl-type", string("clj")),
        ("changed-namespaces", encode(&changed)),
    ]);
}

/// Every namespace the compiler knows, described.
fn project(knowledge: &Knowledge, cache: &mut Described) -> Vec<(String, NsState)> {
    knowledge
        .namespace_tables()
        .filter(|(ns, _)| !ns.starts_with(EVAL_NS))
        .map(|(ns, table)| {
            let interns = match cache.get(ns) {
                Some((seen, interns)) if Arc::ptr_eq(seen, table) => interns.clone(),
                _ => {
                    let interns = Arc::new(describe_vars(ns, table));
                    cache.insert(ns.clone(), (table.clone(), interns.clone()));
                    interns
                }
            };
            let mut aliases = knowledge.aliases_of(ns);
            aliases.sort();
            let mut refers: Vec<_> = knowledge
                .refers_of(ns)
                .into_iter()
                .filter(|(_, target)| target != "clojure.core")
                .map(|(name, target)| {
                    let qualified = format!("{target}/{name}");
                    (name, qualified)
                })
                .collect();
            refers.sort();
            let state = NsState {
                aliases,
                refers,
                interns,
            };
            (ns.clone(), state)
        })
        .collect()
}

fn describe_vars(ns: &str, table: &VarTable) -> Interns {
    table
        .iter()
        .filter(|(_, var)| var.in_page || var.is_macro)
        .map(|(name, var)| (name.clone(), describe_var(ns, var, Detail::Kind)))
        .collect()
}

/// How much of a var to describe.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Detail {
    /// What track-state keeps for every var of every namespace.
    Kind,
    /// With its arglists and docstring too, as cider-nrepl's
    /// `ns-vars-with-meta` gives them for CIDER's namespace browser.
    WithDocs,
}

/// A var's metadata as cider-nrepl gives it: each value printed.
pub(super) fn describe_var(ns: &str, var: &VarEntry, detail: Detail) -> VarState {
    let arglists = var.arglists();
    let mut state = VarState::new();
    if detail == Detail::WithDocs {
        if !arglists.is_empty() {
            let printed: Vec<String> = arglists.iter().map(pr_str).collect();
            state.push(("arglists", format!("({})", printed.join(" "))));
        }
        if let Some(doc) = var.meta_value("", "doc") {
            state.push(("doc", pr_str(doc)));
        }
    }
    if var.is_macro {
        state.push(("macro", "true".into()));
    } else if !arglists.is_empty() {
        state.push(("fn", "true".into()));
    }
    for (key_ns, key, field) in [
        ("", "deprecated", "deprecated"),
        ("", "indent", "indent"),
        ("style", "indent", "style/indent"),
    ] {
        if let Some(value) = var.meta_value(key_ns, key) {
            state.push((field, pr_str(value)));
        }
    }
    if var.meta_value("", "test").is_some() {
        // cider-nrepl prints the test fn; CIDER only asks whether it is there.
        state.push(("test", "true".into()));
    }
    let has_indent = state.iter().any(|(k, _)| k.ends_with("indent"));
    // clojure.* macros' indentation is clojure-mode's own, as cider-nrepl
    // leaves it.
    if var.is_macro && !has_indent && !ns.starts_with("clojure.") {
        if let Some(indent) = body_indent(&arglists) {
            state.push(("style/indent", indent.to_string()));
        }
    }
    state
}

/// A macro whose arglist ends in `& body` indents its body like `when`'s or
/// `let`'s: the arguments before `&` are special, so `[x & body]` is `1`.
fn body_indent(arglists: &[Form]) -> Option<usize> {
    arglists.iter().find_map(|arglist| {
        let FormKind::Vector(params) = &*arglist.kind else {
            return None;
        };
        match params.as_slice() {
            [before @ .., amp, body] if is_symbol(amp, "&") && is_symbol(body, "body") => {
                Some(before.len())
            }
            _ => None,
        }
    })
}

fn is_symbol(form: &Form, wanted: &str) -> bool {
    matches!(&*form.kind, FormKind::Symbol { ns, name } if ns.is_empty() && name == wanted)
}

fn encode(changed: &[(String, NsState)]) -> Value {
    let pairs = |pairs: &[(String, String)]| {
        Value::Dict(
            pairs
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), string(v.clone())))
                .collect(),
        )
    };
    Value::Dict(
        changed
            .iter()
            .map(|(ns, state)| {
                let interns = Value::Dict(
                    state
                        .interns
                        .iter()
                        .map(|(name, fields)| {
                            let fields = fields
                                .iter()
                                .map(|(k, v)| (k.as_bytes().to_vec(), string(v.clone())))
                                .collect();
                            (name.as_bytes().to_vec(), Value::Dict(fields))
                        })
                        .collect(),
                );
                let described = [
                    ("aliases", pairs(&state.aliases)),
                    ("refers", pairs(&state.refers)),
                    ("interns", interns),
                ];
                let fields = described
                    .into_iter()
                    .map(|(k, v)| (k.as_bytes().to_vec(), v))
                    .collect();
                (ns.as_bytes().to_vec(), Value::Dict(fields))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn knowledge(code: &str) -> Knowledge {
        let mut knowledge = Knowledge::default();
        crate::jank::compile(code, None, &mut knowledge).expect("compiles");
        knowledge
    }

    fn state_of<'a>(project: &'a [(String, NsState)], ns: &str) -> &'a NsState {
        &project.iter().find(|(n, _)| n == ns).expect("described").1
    }

    fn fields(state: &NsState, var: &str) -> Vec<(&'static str, String)> {
        state.interns.get(var).cloned().expect("interned")
    }

    #[test]
    fn vars_aliases_and_refers_are_described_as_cider_reads_them() {
        let k = knowledge(
            "(ns shapes (:require [clojure.string :as str] [clojure.set :refer [union]])) \
             (defn area [s] (* s s)) \
             (defmacro with-shape [shape & body] `(do ~@body)) \
             (defmacro spaced {:style/indent 2} [a b & forms] `(do ~@forms)) \
             (defn ^{:deprecated \"0.2\"} old [] 1) \
             (def sides 4)",
        );
        let project = project(&k, &mut HashMap::new());
        let shapes = state_of(&project, "shapes");
        assert_eq!(shapes.aliases, [("str".into(), "clojure.string".into())]);
        assert_eq!(
            shapes.refers,
            [("union".into(), "clojure.set/union".into())]
        );
        assert_eq!(fields(shapes, "area"), [("fn", "true".into())]);
        assert_eq!(
            fields(shapes, "with-shape"),
            [("macro", "true".into()), ("style/indent", "1".into())]
        );
        assert_eq!(
            fields(shapes, "spaced"),
            [("macro", "true".into()), ("style/indent", "2".into())]
        );
        assert_eq!(
            fields(shapes, "old"),
            [("fn", "true".into()), ("deprecated", "\"0.2\"".into())]
        );
        assert_eq!(fields(shapes, "sides"), []);
        let core = state_of(&project, "clojure.core");
        assert_eq!(fields(core, "map"), [("fn", "true".into())]);
        assert_eq!(fields(core, "when"), [("macro", "true".into())]);
    }

    #[test]
    fn the_namespace_browser_gets_arglists_and_docs_printed() {
        let k = knowledge(
            "(ns shapes) (defn area \"The area of a square.\" ([s] (* s s)) ([w h] (* w h)))",
        );
        let var = k.entry("shapes", "area").expect("defined");
        assert_eq!(
            describe_var("shapes", var, Detail::WithDocs),
            [
                ("arglists", "([s] [w h])".into()),
                ("doc", "\"The area of a square.\"".into()),
                ("fn", "true".into())
            ]
        );
    }

    #[test]
    fn a_deftest_var_is_a_test() {
        let k = knowledge("(ns shapes-test (:require [clojure.test :refer [deftest is]])) (deftest area-test (is true))");
        let project = project(&k, &mut HashMap::new());
        let fields = fields(state_of(&project, "shapes-test"), "area-test");
        assert!(fields.contains(&("test", "true".into())), "{fields:?}");
    }

    #[test]
    fn an_unchanged_namespace_reuses_its_description() {
        let mut k = knowledge("(ns a) (defn f [] 1)");
        let mut cache = HashMap::new();
        let first = project(&k, &mut cache);
        crate::jank::compile("(ns b) (defn g [] 2)", None, &mut k).expect("compiles");
        let second = project(&k, &mut cache);
        assert!(Arc::ptr_eq(
            &state_of(&first, "a").interns,
            &state_of(&second, "a").interns
        ));
        assert!(state_of(&second, "b").interns.contains_key("g"));
    }
}
