//! cider-nrepl's `undef` and `undef-all` (CIDER's C-c C-u): a name, or every
//! name of a namespace, taken out of the page and the compiler alike.
//!
//! Each becomes top-level `ns-unmap` / `ns-unalias` forms evaluated as any
//! eval is, so the page drops the var and the compiler forgets it in one step,
//! and a later use is the "Unable to resolve symbol" a Clojure REPL gives.

use std::sync::Arc;

use super::bencode::{string, strings, text, Message};
use super::{NreplServer, Reply};
use crate::eval::Requester;
use crate::jank::Knowledge;

/// The forms that undefine `symbol` in `ns`: an unqualified name is both a
/// var (or refer) and an alias there; `other/name` is the var `name` of
/// `other`, which may be an alias of `ns`.
pub(super) fn undef_code(ns: &str, symbol: &str, knowledge: &Knowledge) -> String {
    match symbol
        .split_once('/')
        .filter(|(q, n)| !q.is_empty() && !n.is_empty())
    {
        Some((qualifier, name)) => {
            let target = knowledge
                .aliases_of(ns)
                .into_iter()
                .find(|(alias, _)| alias == qualifier)
                .map(|(_, target)| target)
                .unwrap_or_else(|| qualifier.to_owned());
            format!("(ns-unmap '{target} '{name})")
        }
        None => format!("(ns-unalias '{ns} '{symbol}) (ns-unmap '{ns} '{symbol})"),
    }
}

/// The forms that undefine every var `ns` defines or refers from outside
/// clojure.core, and every alias it has (clojure.core's refers stay, as
/// cider-nrepl keeps the JVM's default imports, so that the namespace still
/// reads when it is evaluated again).
pub(super) fn undef_all_code(ns: &str, knowledge: &Knowledge) -> String {
    let mut forms = Vec::new();
    for (name, _) in knowledge
        .namespaces()
        .filter(|(n, _)| *n == ns)
        .flat_map(|(_, vars)| vars)
    {
        forms.push(format!("(ns-unmap '{ns} '{name})"));
    }
    for (name, target) in knowledge.refers_of(ns) {
        if target != "clojure.core" {
            forms.push(format!("(ns-unmap '{ns} '{name})"));
        }
    }
    for (alias, _) in knowledge.aliases_of(ns) {
        forms.push(format!("(ns-unalias '{ns} '{alias})"));
    }
    forms.push("nil".into());
    forms.join(" ")
}

/// Runs `undef` (`all`: `undef-all`) for the request's `sym` in its `ns`.
pub(super) fn handle(server: Arc<NreplServer>, all: bool, request: &Message, reply: Reply) {
    let op = if all { "undef-all" } else { "undef" };
    let fail = move |reply: &Reply, message: String| {
        reply.send(vec![
            ("err", string(format!("{message}\n"))),
            (
                "status",
                strings(["done".to_owned(), format!("{op}-error")]),
            ),
        ]);
    };
    let session = reply.session.clone().unwrap_or_default();
    let ns = text(request, "ns")
        .filter(|ns| !ns.is_empty())
        .unwrap_or_else(|| server.evaluator.current_ns(Requester::Editor(&session)));
    let symbol = text(request, "sym").or_else(|| text(request, "symbol"));
    let (code, answer) = match (all, symbol) {
        (true, _) => (
            server.evaluator.with_knowledge(|k| undef_all_code(&ns, k)),
            ns.clone(),
        ),
        (false, Some(symbol)) if !symbol.is_empty() => (
            server
                .evaluator
                .with_knowledge(|k| undef_code(&ns, &symbol, k)),
            symbol,
        ),
        (false, _) => {
            fail(&reply, "undef needs the symbol to undefine (sym)".into());
            return;
        }
    };
    tokio::spawn(async move {
        let result = server
            .eval_for_op(&session, reply.id.clone(), code, Some(ns))
            .await;
        match result.error.filter(|_| !result.ok) {
            None => reply.done(vec![(op, string(answer))]),
            Some(error) => fail(&reply, error.to_string()),
        }
        super::state::send(&server, &reply);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn knowledge() -> Knowledge {
        let mut knowledge = Knowledge::default();
        crate::jank::compile(
            "(ns shapes (:require [clojure.string :as str] [clojure.set :refer [union]])) (defn area [s] s) (def sides 4)",
            None,
            &mut knowledge,
        )
        .expect("compiles");
        knowledge
    }

    #[test]
    fn a_name_is_unmapped_where_it_lives() {
        let k = knowledge();
        assert_eq!(
            undef_code("shapes", "area", &k),
            "(ns-unalias 'shapes 'area) (ns-unmap 'shapes 'area)"
        );
        assert_eq!(
            undef_code("shapes", "str/join", &k),
            "(ns-unmap 'clojure.string 'join)"
        );
        assert_eq!(
            undef_code("shapes", "other.ns/f", &k),
            "(ns-unmap 'other.ns 'f)"
        );
    }

    #[test]
    fn undef_all_takes_vars_outside_refers_and_aliases_but_not_clojure_core() {
        let code = undef_all_code("shapes", &knowledge());
        for form in [
            "(ns-unmap 'shapes 'area)",
            "(ns-unmap 'shapes 'sides)",
            "(ns-unmap 'shapes 'union)",
            "(ns-unalias 'shapes 'str)",
        ] {
            assert!(code.contains(form), "{code} lacks {form}");
        }
        assert!(
            !code.contains("'map)"),
            "clojure.core's refers stay: {code}"
        );
    }
}
