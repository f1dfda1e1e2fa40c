//! cider-nrepl's test ops (CIDER's C-c C-t): `test`, `test-var-query`,
//! `test-all` and `retest`.
//!
//! The tests run in the page, through the bundled jank library
//! `jank.hot-reload.test`, which collects clojure.test's report as data.
//! The page's printed report is read back here with the compiler's reader
//! and answered as CIDER renders it: `summary`, `results` (each assertion by
//! namespace and var), `elapsed-time` and `ns-elapsed-time`. A failing or
//! erring test is kept per session, for `retest`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_bencode::value::Value;

use super::bencode::{string, strings, text, Message};
use super::{lock, NreplServer, Reply};
use crate::jank::form::{Form, FormKind};
use crate::jank::{codegen::EVAL_NS, reader};

/// Namespace name → the names of the vars to run (none: all its tests).
pub(super) type Query = BTreeMap<String, Vec<String>>;

/// Which test op a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TestOp {
    /// `test`: the request's `ns`, its `tests` or all of them.
    Namespace,
    /// `test-var-query`: `var-query`'s `ns-query` `exactly` and `exactly`.
    VarQuery,
    /// `test-all`: every namespace the compiler knows outside clojure.*.
    All,
    /// `retest`: what failed or erred in the session's last run.
    Retest,
}

impl TestOp {
    pub(super) fn from_op(op: &str) -> Option<Self> {
        match op {
            "test" => Some(Self::Namespace),
            "test-var-query" => Some(Self::VarQuery),
            "test-all" => Some(Self::All),
            "retest" => Some(Self::Retest),
            _ => None,
        }
    }
}

fn list_of_strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::List(items)) => items
            .iter()
            .filter_map(|v| match v {
                Value::Bytes(b) => String::from_utf8(b.clone()).ok(),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn dict_get<'a>(value: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    match value {
        Some(Value::Dict(d)) => d.get(key.as_bytes()),
        _ => None,
    }
}

/// The namespaces and vars `request` asks to run. `known` lists the
/// namespaces the compiler knows (for `test-all`); `last_failures` is the
/// session's (for `retest`).
pub(super) fn query_of(
    op: TestOp,
    request: &Message,
    known: &[String],
    last_failures: &Query,
) -> Query {
    let mut query = Query::new();
    match op {
        TestOp::Namespace => {
            if let Some(ns) = text(request, "ns").filter(|ns| !ns.is_empty()) {
                query.insert(ns, list_of_strings(request.get("tests")));
            }
        }
        TestOp::VarQuery => {
            let var_query = request.get("var-query");
            for ns in list_of_strings(dict_get(dict_get(var_query, "ns-query"), "exactly")) {
                query.entry(ns).or_default();
            }
            for qualified in list_of_strings(dict_get(var_query, "exactly")) {
                if let Some((ns, name)) = qualified.rsplit_once('/') {
                    query
                        .entry(ns.to_owned())
                        .or_default()
                        .push(name.to_owned());
                }
            }
        }
        TestOp::All => {
            for ns in known {
                let library = ns.starts_with("clojure.")
                    || ns.starts_with("jank.")
                    || ns.starts_with(EVAL_NS);
                if !library {
                    query.insert(ns.clone(), Vec::new());
                }
            }
        }
        TestOp::Retest => query = last_failures.clone(),
    }
    query
}

/// A string as a jank string literal.
fn literal(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The code that loads `loads` (test namespaces on the source path the page
/// has not loaded yet, as cider-nrepl loads them), then runs `query` in the
/// page and returns its report.
pub(super) fn run_code(query: &Query, loads: &[String]) -> String {
    let entries: Vec<String> = query
        .iter()
        .map(|(ns, vars)| {
            let names: Vec<String> = vars.iter().map(|v| literal(v)).collect();
            format!("{} [{}]", literal(ns), names.join(" "))
        })
        .collect();
    let requires: String = loads.iter().map(|ns| format!("(require '{ns}) ")).collect();
    format!(
        "{requires}(require 'jank.hot-reload.test) (jank.hot-reload.test/run {{{}}})",
        entries.join(", ")
    )
}

/// A printed report as nREPL values: maps as dictionaries keyed by name,
/// sequences as lists, nil left out.
fn to_bencode(form: &Form) -> Option<Value> {
    match &*form.kind {
        FormKind::Nil => None,
        FormKind::Int(i) => Some(Value::Int(*i)),
        FormKind::Str(s) => Some(string(s.clone())),
        FormKind::Keyword { name, .. } | FormKind::Symbol { name, .. } => {
            Some(string(name.clone()))
        }
        FormKind::List(items) | FormKind::Vector(items) | FormKind::Set(items) => {
            Some(Value::List(items.iter().filter_map(to_bencode).collect()))
        }
        FormKind::Map(items) => Some(Value::Dict(
            items
                .chunks(2)
                .filter_map(|pair| {
                    let key = match &*pair[0].kind {
                        FormKind::Str(s) => s.clone(),
                        FormKind::Keyword { name, .. } | FormKind::Symbol { name, .. } => {
                            name.clone()
                        }
                        _ => crate::jank::form::pr_str(&pair[0]),
                    };
                    Some((key.into_bytes(), to_bencode(pair.get(1)?)?))
                })
                .collect(),
        )),
        _ => Some(string(crate::jank::form::pr_str(form))),
    }
}

/// What the report says: the fields for the reply, the namespaces the page
/// lacks, and what failed or erred (for `retest`).
pub(super) struct Report {
    pub fields: Vec<(&'static str, Value)>,
    pub missing: Vec<String>,
    pub failures: Query,
}

/// Reads the report the page printed.
pub(super) fn read_report(printed: &str) -> Result<Report, String> {
    let forms = reader::read_all(printed)
        .map_err(|e| format!("the page's test report did not read: {}", e.message))?;
    let Some(Value::Dict(mut report)) = forms.first().and_then(to_bencode) else {
        return Err(format!(
            "the page's test report is not a map: {printed:.200}"
        ));
    };
    let missing = list_of_strings(report.get(b"missing".as_slice()));
    let mut failures = Query::new();
    if let Some(Value::Dict(results)) = report.get(b"results".as_slice()) {
        for (ns, vars) in results {
            let Value::Dict(vars) = vars else { continue };
            for (var, assertions) in vars {
                let Value::List(assertions) = assertions else {
                    continue;
                };
                let failed = assertions.iter().any(|a| {
                    matches!(dict_get(Some(a), "type"), Some(Value::Bytes(t)) if t == b"fail" || t == b"error")
                });
                if failed {
                    failures
                        .entry(String::from_utf8_lossy(ns).into_owned())
                        .or_default()
                        .push(String::from_utf8_lossy(var).into_owned());
                }
            }
        }
    }
    let mut fields = Vec::new();
    for key in ["summary", "results", "elapsed-time", "ns-elapsed-time"] {
        if let Some(value) = report.remove(key.as_bytes()) {
            fields.push((key, value));
        }
    }
    Ok(Report {
        fields,
        missing,
        failures,
    })
}

/// Runs a test op for the request's session.
pub(super) fn handle(server: Arc<NreplServer>, op: TestOp, request: &Message, reply: Reply) {
    let session = reply.session.clone().unwrap_or_default();
    let known: Vec<String> = server
        .evaluator
        .with_knowledge(|k| k.namespaces().map(|(ns, _)| ns.clone()).collect());
    let last_failures = lock(&server.sessions)
        .get(&session)
        .map(|s| s.last_test_failures.clone())
        .unwrap_or_default();
    let query = query_of(op, request, &known, &last_failures);
    let loads: Vec<String> = server.evaluator.with_knowledge(|k| {
        query
            .keys()
            .filter(|ns| k.needs_loading(ns) && k.find_source(ns).is_some())
            .cloned()
            .collect()
    });
    if query.is_empty() {
        let status = if op == TestOp::Retest {
            "done"
        } else {
            "namespace-not-found"
        };
        reply.send(vec![("status", strings(["done", status]))]);
        return;
    }
    let code = run_code(&query, &loads);
    tokio::spawn(async move {
        let result = server
            .eval_for_op(&session, reply.id.clone(), code, None)
            .await;
        if let Some(out) = result.out.filter(|o| !o.is_empty()) {
            reply.send(vec![("out", string(out))]);
        }
        let report = match (result.ok, result.value, result.error) {
            (true, Some(value), _) => read_report(&value),
            (_, _, Some(error)) => Err(error.to_string()),
            _ => Err("the tests did not run".into()),
        };
        match report {
            Ok(report) if report.missing.len() == query.len() => {
                reply.send(vec![("status", strings(["done", "namespace-not-found"]))]);
            }
            Ok(report) => {
                if let Some(s) = lock(&server.sessions).get_mut(&session) {
                    s.last_test_failures = report.failures;
                }
                reply.done(report.fields);
            }
            Err(message) => reply.send(vec![
                ("err", string(format!("{message}\n"))),
                ("status", strings(["done", "error"])),
            ]),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(fields: Vec<(&str, Value)>) -> Message {
        fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
    }

    #[test]
    fn each_op_names_its_namespaces_and_vars() {
        let ns_tests = request(vec![
            ("ns", string("a.core-test")),
            ("tests", strings(["t1", "t2"])),
        ]);
        let query = query_of(TestOp::Namespace, &ns_tests, &[], &Query::new());
        assert_eq!(
            query,
            Query::from([("a.core-test".into(), vec!["t1".into(), "t2".into()])])
        );

        let var_query = Value::Dict(
            [
                (
                    b"ns-query".to_vec(),
                    Value::Dict([(b"exactly".to_vec(), strings(["b.test"]))].into()),
                ),
                (b"exactly".to_vec(), strings(["c.test/one"])),
            ]
            .into(),
        );
        let query = query_of(
            TestOp::VarQuery,
            &request(vec![("var-query", var_query)]),
            &[],
            &Query::new(),
        );
        assert_eq!(
            query,
            Query::from([
                ("b.test".into(), vec![]),
                ("c.test".into(), vec!["one".into()])
            ])
        );

        let known = [
            "user".to_owned(),
            "clojure.core".to_owned(),
            "app.test".to_owned(),
        ];
        let all = query_of(TestOp::All, &request(vec![]), &known, &Query::new());
        assert_eq!(all.keys().collect::<Vec<_>>(), ["app.test", "user"]);
    }

    #[test]
    fn the_code_quotes_names_as_jank_strings() {
        let query = Query::from([("a\"b".into(), vec!["t".into()])]);
        assert_eq!(
            run_code(&query, &[]),
            "(require 'jank.hot-reload.test) (jank.hot-reload.test/run {\"a\\\"b\" [\"t\"]})"
        );
        let loads = ["app.core-test".to_owned()];
        assert!(run_code(&query, &loads)
            .starts_with("(require 'app.core-test) (require 'jank.hot-reload.test)"));
    }

    #[test]
    fn a_printed_report_becomes_the_reply_and_the_failures() {
        let printed = r#"{:summary {:ns 1, :var 2, :test 2, :pass 1, :fail 1, :error 0}, :results {"a.test" {"t1" [{:type "pass", :ns "a.test", :var "t1", :index 0}], "t2" [{:type "fail", :ns "a.test", :var "t2", :index 0, :expected "(= 1 2)\n", :actual "(not (= 1 2))\n", :line 3}]}}, :missing [], :elapsed-time {:ms 2, :humanized "Completed in 2 ms"}}"#;
        let report = read_report(printed).expect("reads");
        assert_eq!(
            report.failures,
            Query::from([("a.test".into(), vec!["t2".into()])])
        );
        let names: Vec<&str> = report.fields.iter().map(|(k, _)| *k).collect();
        assert_eq!(names, ["summary", "results", "elapsed-time"]);
        let Value::Dict(summary) = &report.fields[0].1 else {
            panic!("a dict")
        };
        assert_eq!(summary.get(b"fail".as_slice()), Some(&Value::Int(1)));
        assert!(read_report("(1 2").is_err());
        assert!(read_report("[1 2]").is_err());
    }
}
