//! Code laid out for reading: what an editor shows of a macro expansion.
//!
//! A form that fits in the line is printed on it, as `pr-str` prints it.
//! One that does not breaks the way Clojure code is written by hand: a call
//! keeps its head (and a short first argument) on the opening line and puts
//! each further argument on a line of its own, two columns in; a binding
//! vector puts one binding pair per line; a map one entry per line. The
//! result reads back as the same form.

use crate::form::{pr_str, Form, FormKind};

/// The column a line should stay within.
const WIDTH: usize = 80;

/// Heads whose first argument is a binding vector, laid out a pair per line.
const BINDING_HEADS: &[&str] = &[
    "let",
    "let*",
    "loop",
    "loop*",
    "binding",
    "when-let",
    "if-let",
    "when-some",
    "if-some",
    "with-open",
    "with-redefs",
    "doseq",
    "dotimes",
    "for",
    "letfn",
    "letfn*",
    "with-local-vars",
];

/// `form` laid out within [`WIDTH`] columns where its parts allow.
pub fn pretty_str(form: &Form) -> String {
    let mut out = String::new();
    layout(form, 0, &mut out);
    out
}

/// Appends `form`, whose first character goes at `column`.
fn layout(form: &Form, column: usize, out: &mut String) {
    let flat = pr_str(form);
    if column + flat.len() <= WIDTH || form.meta.is_some() {
        out.push_str(&flat);
        return;
    }
    match &*form.kind {
        FormKind::List(items) if !items.is_empty() => call(items, column, out),
        FormKind::Vector(items) => sequence('[', ']', items, column, 1, out),
        FormKind::Map(items) => sequence('{', '}', items, column, 2, out),
        FormKind::Set(items) => {
            out.push('#');
            sequence('{', '}', items, column + 1, 1, out);
        }
        FormKind::List(_) => out.push_str("()"),
        _ => out.push_str(&flat),
    }
}

/// `(head first` then each further argument on its own line, two in.
fn call(items: &[Form], column: usize, out: &mut String) {
    out.push('(');
    let head = pr_str(&items[0]);
    out.push_str(&head);
    let body = column + 2;
    let mut rest = &items[1..];
    let binds = items[0]
        .as_simple_symbol()
        .or_else(|| symbol_name(&items[0]))
        .is_some_and(|name| BINDING_HEADS.contains(&name));
    if let Some(first) = rest.first() {
        let first_column = column + 1 + head.len() + 1;
        let keeps_line = matches!(&*items[0].kind, FormKind::Symbol { .. })
            && (binds || first_column + pr_str(first).len() <= WIDTH);
        if keeps_line {
            out.push(' ');
            match (&*first.kind, binds) {
                (FormKind::Vector(bindings), true) => {
                    if first_column + pr_str(first).len() <= WIDTH {
                        out.push_str(&pr_str(first));
                    } else {
                        sequence('[', ']', bindings, first_column, 2, out);
                    }
                }
                _ => layout(first, first_column, out),
            }
            rest = &rest[1..];
        }
    }
    for item in rest {
        newline(body, out);
        layout(item, body, out);
    }
    out.push(')');
}

/// Items between `open` and `close`, `per_line` of them to a line, aligned
/// one column in from the opening bracket.
fn sequence(
    open: char,
    close: char,
    items: &[Form],
    column: usize,
    per_line: usize,
    out: &mut String,
) {
    out.push(open);
    let inner = column + 1;
    for (i, group) in items.chunks(per_line).enumerate() {
        if i > 0 {
            newline(inner, out);
        }
        let mut at = inner;
        for (j, item) in group.iter().enumerate() {
            if j > 0 {
                out.push(' ');
                at += 1;
            }
            let start = out.len();
            layout(item, at, out);
            at += out.len() - start;
        }
    }
    out.push(close);
}

fn newline(column: usize, out: &mut String) {
    out.push('\n');
    out.extend(std::iter::repeat_n(' ', column));
}

/// The name of a qualified symbol (`clojure.core/let` is a `let`).
fn symbol_name(form: &Form) -> Option<&str> {
    match &*form.kind {
        FormKind::Symbol { name, .. } => Some(name),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reader::read_all;

    fn pretty(source: &str) -> String {
        let forms = read_all(source).expect("reads");
        pretty_str(&forms[0])
    }

    #[test]
    fn a_short_form_stays_on_its_line() {
        assert_eq!(pretty("(when x (inc x))"), "(when x (inc x))");
    }

    #[test]
    fn a_long_form_breaks_as_code_is_written() {
        let source = "(let* [temp__auto__ (some-long-function-name argument-one argument-two) other (g 2)] (clojure.core/when temp__auto__ (clojure.core/let [x temp__auto__] (inc x) (println \"a fairly long string here\" x))))";
        let laid_out = pretty(source);
        assert_eq!(
            laid_out,
            "(let* [temp__auto__ (some-long-function-name argument-one argument-two)\n       other (g 2)]\n  (clojure.core/when temp__auto__\n    (clojure.core/let [x temp__auto__]\n      (inc x)\n      (println \"a fairly long string here\" x))))"
        );
        let again = read_all(&laid_out).expect("reads back");
        assert_eq!(
            pr_str(&again[0]),
            pr_str(&read_all(source).expect("reads")[0])
        );
        assert!(laid_out.lines().all(|line| line.len() <= WIDTH));
    }

    #[test]
    fn maps_break_one_entry_to_a_line() {
        let source = "{:first-key \"a value that is long enough\" :second-key \"another long value to print\"}";
        assert_eq!(
            pretty(source),
            "{:first-key \"a value that is long enough\"\n :second-key \"another long value to print\"}"
        );
    }
}
