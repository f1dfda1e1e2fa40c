//! The editor's macro expansion (cider-nrepl's `macroexpand` op, CIDER's
//! C-c C-m): one form expanded by the compiler, which holds every macro, its
//! qualified symbols shown as the editor asks, laid out for reading.
//!
//! Nothing reaches the page: expansion runs macros only, on a copy of what
//! the compiler knows, so a macro with side effects in the compiler (a
//! `defmacro` inside the form, say) leaves no trace.

pub use crate::analyzer::Expander;
use crate::form::{Form, FormKind};
use crate::knowledge::Knowledge;
use crate::{analyzer, diagnostics::code_frame, pretty, reader, with_big_stack};
use jank_hot_reload_protocol::{EvalError, Phase};

impl Expander {
    /// The op's `expander` values: `macroexpand-1`, `macroexpand`,
    /// `macroexpand-all`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "macroexpand-1" => Some(Self::One),
            "macroexpand" => Some(Self::Full),
            "macroexpand-all" => Some(Self::All),
            _ => None,
        }
    }
}

/// How qualified symbols are shown (the op's `display-namespaces`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamespaceDisplay {
    /// As the expansion has them: `clojure.core/let`.
    Qualified,
    /// Every namespace dropped: `let`, `join`.
    None,
    /// As they would be written in the namespace: unqualified when referred
    /// or defined there, through an alias when it has one (`str/join`).
    Tidy,
}

impl NamespaceDisplay {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "qualified" => Some(Self::Qualified),
            "none" => Some(Self::None),
            "tidy" => Some(Self::Tidy),
            _ => None,
        }
    }
}

/// The expansion of the one form in `source`, read and expanded in
/// namespace `ns`, with a copy of what the compiler knows.
pub fn macroexpand(
    source: &str,
    ns: &str,
    expander: Expander,
    display: NamespaceDisplay,
    mut knowledge: Knowledge,
) -> Result<String, EvalError> {
    let error = |phase: Phase, line: u32, column: u32, message: String| EvalError {
        phase,
        message,
        file: None,
        line: Some(line),
        column: Some(column),
        code_frame: code_frame(source, line, column),
    };
    let forms = reader::read_all(source)
        .map_err(|e| error(Phase::Read, e.pos.line, e.pos.column, e.message))?;
    let [form] = forms.as_slice() else {
        return Err(error(
            Phase::Read,
            1,
            1,
            format!("macroexpand takes one form; this code has {}", forms.len()),
        ));
    };
    knowledge.enter_ns(ns);
    let expanded =
        with_big_stack(|| analyzer::expand(form, expander, &mut knowledge)).map_err(|e| {
            error(
                Phase::Analyze,
                e.pos.line.max(1),
                e.pos.column.max(1),
                e.message,
            )
        })?;
    let shown = show_namespaces(expanded, display, &knowledge);
    Ok(pretty::pretty_str(&shown))
}

/// `form` with each qualified symbol shown as `display` says, seen from
/// `knowledge`'s current namespace.
fn show_namespaces(mut form: Form, display: NamespaceDisplay, knowledge: &Knowledge) -> Form {
    if display == NamespaceDisplay::Qualified {
        return form;
    }
    match form.kind_mut() {
        FormKind::Symbol { ns, name } if !ns.is_empty() => {
            if let Some(shown) = shown_ns(ns, name, display, knowledge) {
                *ns = shown;
            }
        }
        FormKind::List(items)
        | FormKind::Vector(items)
        | FormKind::Map(items)
        | FormKind::Set(items) => {
            let taken = std::mem::take(items);
            *items = taken
                .into_iter()
                .map(|item| show_namespaces(item, display, knowledge))
                .collect();
        }
        _ => {}
    }
    form
}

/// The namespace part `ns/name` is shown with (empty: none), or None to
/// leave it as it is.
fn shown_ns(
    ns: &str,
    name: &str,
    display: NamespaceDisplay,
    knowledge: &Knowledge,
) -> Option<String> {
    let current = knowledge.current_ns.as_str();
    match display {
        NamespaceDisplay::Qualified => None,
        NamespaceDisplay::None => Some(String::new()),
        NamespaceDisplay::Tidy => {
            if let Some((alias, _)) = knowledge
                .aliases_of(current)
                .into_iter()
                .find(|(_, target)| target == ns)
            {
                return Some(alias);
            }
            let written_bare = ns == current
                || knowledge
                    .resolve_in(current, "", name)
                    .is_ok_and(|(found_ns, found)| found_ns == ns && found == name);
            written_bare.then(String::new)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(source: &str, expander: Expander, display: NamespaceDisplay) -> String {
        let mut knowledge = Knowledge::default();
        crate::compile(
            "(ns shapes (:require [clojure.string :as str])) (defmacro twice [x] `(do ~x ~x)) (defmacro joined [xs] `(str/join \",\" ~xs))",
            None,
            &mut knowledge,
        )
        .expect("the namespace compiles");
        macroexpand(source, "shapes", expander, display, knowledge)
            .unwrap_or_else(|e| panic!("{source}: {}", e.message))
    }

    #[test]
    fn each_expander_goes_as_far_as_its_name_says() {
        use NamespaceDisplay::Qualified;
        assert_eq!(
            expand("(twice (f))", Expander::One, Qualified),
            "(do (f) (f))"
        );
        assert_eq!(
            expand("(when a b)", Expander::One, Qualified),
            "(if a (do b))"
        );
        assert_eq!(
            expand("(when-not a (when b c))", Expander::Full, Qualified),
            "(if a nil (do (when b c)))"
        );
        assert_eq!(
            expand("(when-not a (when b c))", Expander::All, Qualified),
            "(if a nil (do (if b (do c))))"
        );
        assert_eq!(
            expand("(f x)", Expander::Full, Qualified),
            "(f x)",
            "no macro: the form itself"
        );
    }

    #[test]
    fn namespaces_are_shown_as_asked() {
        assert_eq!(
            expand("(joined xs)", Expander::One, NamespaceDisplay::Qualified),
            "(clojure.string/join \",\" xs)"
        );
        assert_eq!(
            expand("(joined xs)", Expander::One, NamespaceDisplay::Tidy),
            "(str/join \",\" xs)"
        );
        assert_eq!(
            expand("(joined xs)", Expander::One, NamespaceDisplay::None),
            "(join \",\" xs)"
        );
        let when_let = "(when-let [x (f)] x)";
        let qualified = expand(when_let, Expander::One, NamespaceDisplay::Qualified);
        assert!(qualified.contains("(clojure.core/when "), "{qualified}");
        let tidy = expand(when_let, Expander::One, NamespaceDisplay::Tidy);
        assert!(
            tidy.contains("(when ") && !tidy.contains("clojure.core/"),
            "{tidy}"
        );
    }

    #[test]
    fn bad_code_is_an_error_with_its_place() {
        let expand = |source| {
            macroexpand(
                source,
                "user",
                Expander::One,
                NamespaceDisplay::Tidy,
                Knowledge::default(),
            )
        };
        let unread = expand("(when a").expect_err("an unclosed form");
        assert_eq!(unread.phase, Phase::Read);
        let two = expand("a b").expect_err("two forms");
        assert!(two.message.contains("one form"), "{}", two.message);
    }
}
