//! java.util.regex.Matcher at compile time: `(re-matcher re s)`, then
//! `re-find` or `.find`, `.lookingAt` and `.matches`, and `.group`,
//! `.start` and `.end` of the last match, as instaparse's parser reads a
//! regex at the front of its text while `defparser` expands.
//!
//! A matcher is a marked cell (cells.rs): its regex, its text, the byte
//! offset the next find starts at, and the last match's groups and span.

use super::builtins::arity;
use super::{cells, error, Builtin, Interp, Result};
use crate::form::{Form, FormKind};

const MARKER: &str = "compile-time-matcher";

fn int(n: i64) -> Form {
    Form::value(FormKind::Int(n))
}

/// The text a regex reads: a string, or a CharSequence type's toString.
fn text_of(interp: &mut Interp<'_>, form: &Form) -> Result<String> {
    match &*form.kind {
        FormKind::Str(s) => Ok(s.clone()),
        _ => match super::types::text(interp, form)? {
            Some(text) => Ok(text),
            None => error(format!(
                "re-matcher needs a string, got {}",
                form.describe()
            )),
        },
    }
}

/// Java's regexes have lookaround, which fancy-regex has and regex lacks.
fn compile(source: &str, what: &str) -> Result<fancy_regex::Regex> {
    fancy_regex::Regex::new(source).map_err(|e| super::Thrown::Error(format!("{what}: {e}")))
}

/// The matcher's regex source and text, when `f` is a matcher.
fn parts(f: &Form) -> Option<(std::sync::Arc<std::sync::Mutex<Form>>, Form)> {
    cells::marked(f, MARKER).map(|(cell, state)| (cell.clone(), state))
}

/// Runs `source` from byte `from`, and records the match in the matcher;
/// whether there was one. `at_start`: only a match at `from` counts, as
/// lookingAt's (the leftmost match starts there when one can).
fn run(
    cell: &std::sync::Mutex<Form>,
    state: &Form,
    source: &str,
    from: usize,
    at_start: bool,
) -> Result<bool> {
    let text = crate::form::str_of(&cells::field(state, "text"));
    let re = compile(source, "re-matcher")?;
    let captures = match text.get(from..) {
        Some(rest) => re
            .captures(rest)
            .map_err(|e| super::Thrown::Error(format!("re-matcher: {e}")))?,
        None => None,
    }
    .filter(|c| !at_start || c.get(0).is_some_and(|m| m.start() == 0));
    let Some(captures) = captures else {
        cells::set(cell, "groups", Form::nil());
        return Ok(false);
    };
    let whole = captures.get(0).map_or(0..0, |m| m.start()..m.end());
    let groups: Vec<Form> = (0..captures.len())
        .map(|i| {
            captures.get(i).map_or_else(Form::nil, |m| {
                Form::value(FormKind::Str(m.as_str().to_owned()))
            })
        })
        .collect();
    let start = from + whole.start;
    let end = from + whole.end;
    let chars = |byte: usize| text[..byte].chars().count() as i64;
    // An empty match moves the next find on by a character, as Java's.
    let next = if end == start {
        text[end..]
            .chars()
            .next()
            .map_or(text.len() + 1, |c| end + c.len_utf8())
    } else {
        end
    };
    cells::set(cell, "groups", Form::value(FormKind::Vector(groups)));
    cells::set(cell, "start", int(chars(start)));
    cells::set(cell, "end", int(chars(end)));
    cells::set(cell, "next", int(next as i64));
    Ok(true)
}

fn source_of(state: &Form) -> String {
    match &*cells::field(state, "regex").kind {
        FormKind::Regex(source) => source.clone(),
        _ => String::new(),
    }
}

/// `.find`: the next match from where the last ended.
fn find(f: &Form) -> Result<bool> {
    let Some((cell, state)) = parts(f) else {
        return error("find needs a matcher");
    };
    let from = match &*cells::field(&state, "next").kind {
        FormKind::Int(n) => *n as usize,
        _ => 0,
    };
    let text_len = crate::form::str_of(&cells::field(&state, "text")).len();
    if from > text_len {
        cells::set(&cell, "groups", Form::nil());
        return Ok(false);
    }
    run(&cell, &state, &source_of(&state), from, false)
}

/// `source` that must match the whole text. A comment that the regex's
/// own (?x) allows runs to the end of a line, so the group closes on the
/// next one.
fn whole(source: &str) -> String {
    let end = if source.contains("(?x") { "\n" } else { "" };
    format!(r"\A(?:{source}{end})\z")
}

/// What re-find and re-groups give for the last match.
fn last_found(f: &Form) -> Form {
    let Some((_, state)) = parts(f) else {
        return Form::nil();
    };
    match &*cells::field(&state, "groups").kind {
        FormKind::Vector(groups) if groups.len() == 1 => groups[0].clone(),
        FormKind::Vector(_) => cells::field(&state, "groups"),
        _ => Form::nil(),
    }
}

/// A matcher's methods, for jvm-method*; None when `target` is no matcher.
pub(super) fn method(method: &str, target: &Form, args: &[Form]) -> Option<Result<Form>> {
    let (cell, state) = parts(target)?;
    let boolean = |b: bool| Form::value(FormKind::Bool(b));
    let group = |n: usize| match &*cells::field(&state, "groups").kind {
        FormKind::Vector(groups) => match groups.get(n) {
            Some(g) => Ok(g.clone()),
            None => error(format!("No group {n}")),
        },
        _ => error("No match found (java.lang.IllegalStateException)"),
    };
    Some(match (method, args) {
        ("find", []) => find(target).map(boolean),
        ("lookingAt", []) => run(&cell, &state, &source_of(&state), 0, true).map(boolean),
        ("matches", []) => run(&cell, &state, &whole(&source_of(&state)), 0, false).map(boolean),
        ("group", []) => group(0),
        ("group", [n]) => match &*n.kind {
            FormKind::Int(n) => group(*n as usize),
            _ => error("group in a macro takes a group's number"),
        },
        ("start", []) => Ok(cells::field(&state, "start")),
        ("end", []) => Ok(cells::field(&state, "end")),
        _ => return None,
    })
}

builtins_named! {MATCHER_BUILTINS,
    ("re-matcher", |i, a| {
        arity("re-matcher", &a, |n| n == 2)?;
        if !matches!(*a[0].kind, FormKind::Regex(_)) {
            return error(format!("re-matcher needs a regex, got {}", a[0].describe()));
        }
        let text = text_of(i, &a[1])?;
        Ok(cells::new(MARKER, "java.util.regex.Matcher", vec![
            ("regex", a[0].clone()),
            ("text", Form::value(FormKind::Str(text))),
            ("next", int(0)),
            ("groups", Form::nil()),
            ("start", Form::nil()),
            ("end", Form::nil()),
        ]))
    }),
    ("re-groups", |_, a| {
        arity("re-groups", &a, |n| n == 1)?;
        Ok(last_found(&a[0]))
    }),
}

/// `(re-find m)`: the matcher's next match, as re-find gives it.
pub(super) fn re_find(m: &Form) -> Result<Form> {
    Ok(if find(m)? { last_found(m) } else { Form::nil() })
}
