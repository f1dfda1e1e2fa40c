//! clojure.string, regexes, `format` and the type and number functions, for
//! macros: what a macro body calls to build names, docstrings and checks
//! (`(symbol (str/replace (name s) "-" "_"))`, `(format "%s!" x)`,
//! `(instance? String x)`). A builtin named `ns/name` belongs to that
//! namespace; the rest to clojure.core.
//!
//! Regexes are Rust's `regex` crate, which reads the patterns macros write
//! as java.util.regex does (no backreferences or lookaround).

use super::builtins::{arity, call, items, str_arg};
use super::{error, Builtin, Interp, Result};
use crate::form::{pr_str, str_of, Form, FormKind};
use crate::tagged::LiteralTag;

/// Clojure's Compiler.CHAR_MAP: each character munge replaces, and its name
/// (the page's is in runtime/src/text.cpp).
pub const CHAR_MAP: &[(char, &str)] = &[
    ('-', "_"),
    (':', "_COLON_"),
    ('+', "_PLUS_"),
    ('>', "_GT_"),
    ('<', "_LT_"),
    ('=', "_EQ_"),
    ('~', "_TILDE_"),
    ('!', "_BANG_"),
    ('@', "_CIRCA_"),
    ('#', "_SHARP_"),
    ('\'', "_SINGLEQUOTE_"),
    ('"', "_DOUBLEQUOTE_"),
    ('%', "_PERCENT_"),
    ('^', "_CARET_"),
    ('&', "_AMPERSAND_"),
    ('*', "_STAR_"),
    ('|', "_BAR_"),
    ('{', "_LBRACE_"),
    ('}', "_RBRACE_"),
    ('[', "_LBRACK_"),
    (']', "_RBRACK_"),
    ('/', "_SLASH_"),
    ('\\', "_BSLASH_"),
    ('?', "_QMARK_"),
];

fn v(kind: FormKind) -> Result<Form> {
    Ok(Form::value(kind))
}

fn string(s: impl Into<String>) -> Result<Form> {
    v(FormKind::Str(s.into()))
}

fn boolean(b: bool) -> Result<Form> {
    v(FormKind::Bool(b))
}

/// A regex literal compiled. fancy-regex has Java's lookaround and
/// backreferences, which the regex crate lacks.
fn regex(form: &Form, what: &str) -> Result<fancy_regex::Regex> {
    let FormKind::Regex(source) = &*form.kind else {
        return error(format!("{what} needs a regex, got {}", form.describe()));
    };
    fancy_regex::Regex::new(source).map_err(|e| super::Thrown::Error(format!("{what}: {e}")))
}

/// A regex's failure while it runs (too much backtracking), as an error.
fn ran<T>(result: std::result::Result<T, fancy_regex::Error>, what: &str) -> Result<T> {
    result.map_err(|e| super::Thrown::Error(format!("{what}: {e}")))
}

/// A match as re-find gives it: the text, or [text group…] with nil for a
/// group that took no part.
fn found(captures: &fancy_regex::Captures<'_, str>) -> Form {
    if captures.len() == 1 {
        return Form::value(FormKind::Str(captures[0].to_owned()));
    }
    Form::value(FormKind::Vector(
        captures
            .iter()
            .map(|group| match group {
                Some(m) => Form::value(FormKind::Str(m.as_str().to_owned())),
                None => Form::nil(),
            })
            .collect(),
    ))
}

/// `$1` in a replacement string, as Matcher.replaceAll reads it.
fn expand(captures: &fancy_regex::Captures<'_, str>, replacement: &str) -> String {
    let mut out = String::new();
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '$' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let group = digits.parse::<usize>().ok().and_then(|n| captures.get(n));
                out.push_str(group.map_or("", |m| m.as_str()));
            }
            _ => out.push(c),
        }
    }
    out
}

/// clojure.string/replace and replace-first: a string or char for a string
/// or char, or a regex for a replacement string (`$1`) or a fn of the match.
fn replace(i: &mut Interp<'_>, a: Vec<Form>, all: bool, what: &str) -> Result<Form> {
    arity(what, &a, |n| n == 3)?;
    let s = str_arg(&a[0], what)?;
    let limit = if all { usize::MAX } else { 1 };
    match (&*a[1].kind, &*a[2].kind) {
        (FormKind::Str(_) | FormKind::Char(_), _) => {
            let (from, to) = (str_of(&a[1]), str_of(&a[2]));
            string(if all {
                s.replace(&from, &to)
            } else {
                s.replacen(&from, &to, 1)
            })
        }
        (FormKind::Regex(_), _) => {
            let re = regex(&a[1], what)?;
            let mut out = String::new();
            let mut last = 0;
            for captures in re.captures_iter(s.as_str()).take(limit) {
                let captures = ran(captures, what)?;
                let whole = captures.get(0).map_or(0..0, |m| m.range());
                out.push_str(&s[last..whole.start]);
                match &*a[2].kind {
                    FormKind::Str(replacement) => out.push_str(&expand(&captures, replacement)),
                    _ => out.push_str(&str_of(&call(i, &a[2], vec![found(&captures)])?)),
                }
                last = whole.end;
            }
            out.push_str(&s[last..]);
            string(out)
        }
        _ => error(format!("{what} needs a string, char or regex to match")),
    }
}

/// `format`'s conversions: %s %d %f %e %x %X %o %c %b %n %% with flags,
/// width and precision, as java.util.Formatter writes them.
fn format(a: &[Form]) -> Result<String> {
    let spec = str_arg(&a[0], "format")?;
    let mut args = a[1..].iter();
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(f) = chars.peek().filter(|f| "-+ 0#,.0123456789".contains(**f)) {
            flags.push(*f);
            chars.next();
        }
        let Some(conversion) = chars.next() else {
            return error("format: the format string ends in the middle of a conversion");
        };
        if conversion == '%' || conversion == 'n' {
            out.push(if conversion == '%' { '%' } else { '\n' });
            continue;
        }
        let Some(arg) = args.next() else {
            return error(format!("format: not enough arguments for \"{spec}\""));
        };
        let left = flags.contains('-');
        let zero = flags.starts_with('0') || flags.contains("-0") || flags.contains("+0");
        let (width, precision) = match flags
            .trim_start_matches(['-', '+', ' ', '#', ','])
            .split_once('.')
        {
            Some((w, p)) => (w.parse::<usize>().ok(), p.parse::<usize>().ok()),
            None => (
                flags
                    .trim_start_matches(['-', '+', ' ', '#', ',', '0'])
                    .parse()
                    .ok(),
                None,
            ),
        };
        let number = |form: &Form| match &*form.kind {
            FormKind::Int(n) => Ok(*n as f64),
            FormKind::Float(f) => Ok(*f),
            _ => error(format!(
                "format: %{conversion} needs a number, got {}",
                form.describe()
            )),
        };
        let integer = |form: &Form| match &*form.kind {
            FormKind::Int(n) => Ok(*n),
            _ => error(format!(
                "format: %{conversion} needs an integer, got {}",
                form.describe()
            )),
        };
        let mut text = match conversion {
            's' | 'S' => {
                let t = if matches!(*arg.kind, FormKind::Nil) {
                    "null".into()
                } else {
                    str_of(arg)
                };
                let t = match precision {
                    Some(p) => t.chars().take(p).collect(),
                    None => t,
                };
                if conversion == 'S' {
                    t.to_uppercase()
                } else {
                    t
                }
            }
            'd' => {
                let n = integer(arg)?;
                let sign = if flags.contains('+') && n >= 0 {
                    "+"
                } else {
                    ""
                };
                format!("{sign}{n}")
            }
            'x' => format!("{:x}", integer(arg)?),
            'X' => format!("{:X}", integer(arg)?),
            'o' => format!("{:o}", integer(arg)?),
            'f' => format!("{:.*}", precision.unwrap_or(6), number(arg)?),
            'e' => {
                let t = format!("{:.*e}", precision.unwrap_or(6), number(arg)?);
                // Java writes the exponent signed and with two digits: 1.5e+03.
                match t.split_once('e') {
                    Some((m, e)) => {
                        let (sign, digits) = e.strip_prefix('-').map_or(("+", e), |d| ("-", d));
                        format!("{m}e{sign}{digits:0>2}")
                    }
                    None => t,
                }
            }
            'c' => match &*arg.kind {
                FormKind::Char(c) => c.to_string(),
                _ => return error("format: %c needs a character"),
            },
            'b' => (!matches!(*arg.kind, FormKind::Nil | FormKind::Bool(false))).to_string(),
            _ => return error(format!("format: unsupported conversion %{conversion}")),
        };
        if let Some(width) = width.filter(|w| *w > text.chars().count()) {
            let fill = width - text.chars().count();
            text = if left {
                format!("{text}{}", " ".repeat(fill))
            } else if zero && "dxXofe".contains(conversion) {
                let (sign, digits) = text.split_at(usize::from(text.starts_with(['-', '+'])));
                format!("{sign}{}{digits}", "0".repeat(fill))
            } else {
                format!("{}{text}", " ".repeat(fill))
            };
        }
        out.push_str(&text);
    }
    Ok(out)
}

fn text_buffer(text: String) -> Form {
    let marker = Form::value(FormKind::Keyword {
        ns: "jank.hot-reload".to_owned(),
        name: crate::form::TEXT_BUFFER.to_owned(),
        auto: false,
    });
    let content = Form::value(FormKind::Vector(vec![
        marker,
        Form::value(FormKind::Str(text)),
    ]));
    Form::value(FormKind::Cell(std::sync::Arc::new(std::sync::Mutex::new(
        content,
    ))))
}

/// Appends to a macro's StringBuilder.
fn append_text(buffer: &Form, text: &str) -> Result<()> {
    let (FormKind::Cell(cell), Some(old)) = (&*buffer.kind, crate::form::text_buffer_text(buffer))
    else {
        return error(format!(
            ".append in a macro needs a StringBuilder, got {}",
            buffer.describe()
        ));
    };
    let updated = text_buffer(old + text);
    let FormKind::Cell(new_cell) = &*updated.kind else {
        return error("internal error: a text buffer is a cell");
    };
    let content = new_cell
        .lock()
        .map(|c| c.clone())
        .unwrap_or_else(|p| p.into_inner().clone());
    match cell.lock() {
        Ok(mut slot) => *slot = content,
        Err(p) => *p.into_inner() = content,
    }
    Ok(())
}

/// The key the compiler's `class` and `type` give a value, the prelude's
/// `type-key` of a class name: `String` in a macro is `:string`.
pub(super) fn type_key(form: &Form) -> &'static str {
    if super::types::type_name(form).is_some() {
        return if super::types::is_record(form) {
            "map"
        } else {
            "object"
        };
    }
    match &*form.kind {
        FormKind::Nil => "nil",
        FormKind::Bool(_) => "boolean",
        FormKind::Int(_) => "integer",
        FormKind::Float(_) => "double",
        FormKind::Ratio(..) => "ratio",
        FormKind::BigInt(_) => "big-integer",
        FormKind::BigDecimal { .. } => "big-decimal",
        FormKind::Str(_) => "string",
        FormKind::Char(_) => "char",
        FormKind::Regex(_) => "regex",
        FormKind::Keyword { .. } => "keyword",
        FormKind::Symbol { .. } => "symbol",
        FormKind::List(_) => "seq",
        FormKind::Vector(_) => "vector",
        FormKind::Map(_) => "map",
        FormKind::Set(_) => "set",
        FormKind::Fn(_) | FormKind::Builtin(_) => "fn",
        FormKind::Var { .. } => "var",
        FormKind::Cell(_) => "atom",
        FormKind::ExInfo(_) => "exception",
        FormKind::Class(_) => "class",
        FormKind::Tagged {
            tag: LiteralTag::Inst,
            ..
        } => "inst",
        FormKind::Tagged {
            tag: LiteralTag::Uuid,
            ..
        } => "uuid",
        FormKind::Tagged {
            tag: LiteralTag::Ratio,
            ..
        } => "ratio",
    }
}

/// The JVM interfaces a value of kind `key` implements, by simple name,
/// beyond those the prelude's type-keys name as the kind itself
/// (IPersistentMap is :map): what a macro's `Named` or `IFn` stands for,
/// in `instance?` and in protocol dispatch.
pub(super) fn interfaces(key: &str) -> impl Iterator<Item = &'static str> {
    const COLLECTION: &[&str] = &[
        "IPersistentCollection",
        "Seqable",
        "Iterable",
        "IObj",
        "IMeta",
    ];
    let (own, collection): (&[&str], bool) = match key {
        "keyword" => (&["Named", "IFn", "Comparable", "IHashEq"], false),
        "symbol" => (
            &["Named", "IFn", "Comparable", "IHashEq", "IObj", "IMeta"],
            false,
        ),
        "string" | "char" | "boolean" | "integer" | "double" | "ratio" | "big-integer"
        | "big-decimal" => (&["Comparable"], false),
        "seq" => (&["Sequential", "List", "Collection"], true),
        "vector" => (
            &[
                "Sequential",
                "Associative",
                "Indexed",
                "Counted",
                "IFn",
                "ILookup",
                "IPersistentStack",
                "Reversible",
                "List",
                "RandomAccess",
                "Comparable",
                "IEditableCollection",
                "Collection",
            ],
            true,
        ),
        "map" => (
            &[
                "Associative",
                "ILookup",
                "Counted",
                "IFn",
                "Map",
                "IEditableCollection",
                "IKVReduce",
                "MapEquivalence",
            ],
            true,
        ),
        "set" => (
            &["Counted", "IFn", "Set", "IEditableCollection", "Collection"],
            true,
        ),
        "fn" => (
            &["IFn", "Fn", "Runnable", "Callable", "IObj", "IMeta"],
            false,
        ),
        "atom" => (&["IDeref", "IRef", "IAtom"], false),
        "var" => (&["IDeref", "IFn", "IRef"], false),
        _ => (&[], false),
    };
    own.iter()
        .chain(if collection { COLLECTION } else { &[] })
        .copied()
}

/// Whether `name` is an interface a macro's values answer to (`Named`).
pub fn is_interface_name(name: &str) -> bool {
    const KINDS: &[&str] = &[
        "keyword", "symbol", "string", "seq", "vector", "map", "set", "fn", "atom", "var",
    ];
    name == "IRecord" || KINDS.iter().any(|kind| interfaces(kind).any(|i| i == name))
}

/// Whether a value of kind `key` is an instance of `class` (a type key).
pub(super) fn is_instance(class: &str, key: &str) -> bool {
    class == key
        || interfaces(key).any(|i| i == class)
        || (matches!(class, "default" | "object") && key != "nil")
        || (class == "number"
            && matches!(
                key,
                "integer" | "double" | "ratio" | "big-integer" | "big-decimal"
            ))
}

/// `(isa? child parent)` on the values a macro has.
pub(super) fn isa(interp: &Interp<'_>, child: &Form, parent: &Form) -> bool {
    if child == parent {
        return true;
    }
    match (&*child.kind, &*parent.kind) {
        (FormKind::Vector(children), FormKind::Vector(parents)) => {
            children.len() == parents.len()
                && children.iter().zip(parents).all(|(c, p)| isa(interp, c, p))
        }
        (FormKind::Class(child), FormKind::Class(parent)) => {
            super::classes::is_a(interp, child, parent)
        }
        (
            FormKind::Keyword {
                ns: child_ns,
                name: child,
                ..
            },
            FormKind::Keyword {
                ns: parent_ns,
                name: parent,
                ..
            },
        ) if child_ns.is_empty() && parent_ns.is_empty() => {
            matches!(parent.as_str(), "object" | "number") && is_instance(parent, child)
        }
        _ => false,
    }
}

fn int_arg(form: &Form, what: &str) -> Result<i64> {
    match &*form.kind {
        FormKind::Int(n) => Ok(*n),
        FormKind::Float(f) => Ok(*f as i64),
        FormKind::Char(c) => Ok(i64::from(u32::from(*c))),
        FormKind::BigInt(n) => {
            i64::try_from(n).or_else(|_| error(format!("Value out of range for long: {n}")))
        }
        _ => error(format!("{what} needs a number, got {}", form.describe())),
    }
}

fn bits(a: &[Form], what: &str, op: fn(i64, i64) -> i64) -> Result<Form> {
    arity(what, a, |n| n >= 2)?;
    let mut acc = int_arg(&a[0], what)?;
    for x in &a[1..] {
        acc = op(acc, int_arg(x, what)?);
    }
    v(FormKind::Int(acc))
}

fn chars_fn(a: Vec<Form>, what: &str, f: fn(&str) -> String) -> Result<Form> {
    arity(what, &a, |n| n == 1)?;
    string(f(&str_arg(&a[0], what)?))
}

fn test_fn(a: Vec<Form>, what: &str, f: fn(&str, &str) -> bool) -> Result<Form> {
    arity(what, &a, |n| n == 2)?;
    boolean(f(&str_arg(&a[0], what)?, &str_of(&a[1])))
}

builtins_named! {TEXT_BUILTINS,
    // A macro's fresh name (core.logic's tabled names its fn
    // `tabled-<uuid>`): in a macro a random UUID is its text.
    ("UUID/randomUUID", |_, a| {
        arity("UUID/randomUUID", &a, |n| n == 0)?;
        Ok(Form::value(FormKind::Str(random_uuid_text())))
    }),
    ("clojure.string/upper-case", |_, a| chars_fn(a, "upper-case", str::to_uppercase)),
    ("clojure.string/lower-case", |_, a| chars_fn(a, "lower-case", str::to_lowercase)),
    ("clojure.string/capitalize", |_, a| chars_fn(a, "capitalize", |s| {
        let mut chars = s.chars();
        chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect())
    })),
    ("clojure.string/trim", |_, a| chars_fn(a, "trim", |s| s.trim().to_owned())),
    ("clojure.string/triml", |_, a| chars_fn(a, "triml", |s| s.trim_start().to_owned())),
    ("clojure.string/trimr", |_, a| chars_fn(a, "trimr", |s| s.trim_end().to_owned())),
    ("clojure.string/trim-newline", |_, a| chars_fn(a, "trim-newline", |s| s.trim_end_matches(['\n', '\r']).to_owned())),
    ("clojure.string/reverse", |_, a| chars_fn(a, "reverse", |s| s.chars().rev().collect())),
    ("clojure.string/blank?", |_, a| {
        arity("blank?", &a, |n| n == 1)?;
        boolean(str_of(&a[0]).trim().is_empty())
    }),
    ("clojure.string/starts-with?", |_, a| test_fn(a, "starts-with?", |s, x| s.starts_with(x))),
    ("clojure.string/ends-with?", |_, a| test_fn(a, "ends-with?", |s, x| s.ends_with(x))),
    ("clojure.string/includes?", |_, a| test_fn(a, "includes?", |s, x| s.contains(x))),
    ("clojure.string/index-of", |_, a| {
        arity("index-of", &a, |n| n == 2)?;
        let s = str_arg(&a[0], "index-of")?;
        Ok(s.find(&str_of(&a[1])).map_or_else(Form::nil, |at| Form::value(FormKind::Int(s[..at].chars().count() as i64))))
    }),
    ("clojure.string/last-index-of", |_, a| {
        arity("last-index-of", &a, |n| n == 2)?;
        let s = str_arg(&a[0], "last-index-of")?;
        Ok(s.rfind(&str_of(&a[1])).map_or_else(Form::nil, |at| Form::value(FormKind::Int(s[..at].chars().count() as i64))))
    }),
    ("clojure.string/join", |_, a| {
        arity("join", &a, |n| n == 1 || n == 2)?;
        let (separator, coll) = if a.len() == 2 { (str_of(&a[0]), &a[1]) } else { (String::new(), &a[0]) };
        string(items(coll)?.iter().map(str_of).collect::<Vec<_>>().join(&separator))
    }),
    ("clojure.string/split", |_, a| {
        arity("split", &a, |n| n == 2 || n == 3)?;
        let s = str_arg(&a[0], "split")?;
        let re = regex(&a[1], "split")?;
        let limit = match a.get(2) { Some(l) => int_arg(l, "split")?, None => 0 };
        let mut parts: Vec<&str> = if limit > 0 {
            ran(re.splitn(s.as_str(), limit as usize).collect(), "split")?
        } else {
            ran(re.split(s.as_str()).collect(), "split")?
        };
        // As String.split: a leading empty part from a match at 0 of width 0
        // goes, and with no limit the trailing empty parts go.
        if limit == 0 {
            while parts.len() > 1 && parts.last() == Some(&"") {
                parts.pop();
            }
        }
        v(FormKind::Vector(parts.into_iter().map(|p| Form::value(FormKind::Str(p.to_owned()))).collect()))
    }),
    ("clojure.string/split-lines", |_, a| {
        arity("split-lines", &a, |n| n == 1)?;
        let s = str_arg(&a[0], "split-lines")?;
        let mut lines: Vec<&str> = s.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        while lines.len() > 1 && lines.last() == Some(&"") {
            lines.pop();
        }
        v(FormKind::Vector(lines.into_iter().map(|l| Form::value(FormKind::Str(l.to_owned()))).collect()))
    }),
    ("clojure.string/replace", |i, a| replace(i, a, true, "replace")),
    ("clojure.string/replace-first", |i, a| replace(i, a, false, "replace-first")),
    ("clojure.string/escape", |i, a| {
        arity("escape", &a, |n| n == 2)?;
        let s = str_arg(&a[0], "escape")?;
        let mut out = String::new();
        for c in s.chars() {
            let replacement = call(i, &a[1], vec![Form::value(FormKind::Char(c))])?;
            match &*replacement.kind {
                FormKind::Nil => out.push(c),
                _ => out.push_str(&str_of(&replacement)),
            }
        }
        string(out)
    }),
    ("re-pattern", |_, a| {
        arity("re-pattern", &a, |n| n == 1)?;
        match &*a[0].kind {
            FormKind::Regex(_) => Ok(a[0].clone()),
            _ => v(FormKind::Regex(str_arg(&a[0], "re-pattern")?)),
        }
    }),
    ("re-find", |_, a| {
        arity("re-find", &a, |n| n == 1 || n == 2)?;
        if a.len() == 1 {
            return super::matcher::re_find(&a[0]);
        }
        let s = str_arg(&a[1], "re-find")?;
        Ok(ran(regex(&a[0], "re-find")?.captures(s.as_str()), "re-find")?.map_or_else(Form::nil, |c| found(&c)))
    }),
    ("re-matches", |_, a| {
        arity("re-matches", &a, |n| n == 2)?;
        let s = str_arg(&a[1], "re-matches")?;
        let re = regex(&a[0], "re-matches")?;
        Ok(ran(re.captures(s.as_str()), "re-matches")?
            .filter(|c| c.get(0).is_some_and(|m| m.start() == 0 && m.end() == s.len()))
            .map_or_else(Form::nil, |c| found(&c)))
    }),
    ("re-seq", |_, a| {
        arity("re-seq", &a, |n| n == 2)?;
        let s = str_arg(&a[1], "re-seq")?;
        let all: Vec<Form> = regex(&a[0], "re-seq")?
            .captures_iter(s.as_str())
            .map(|c| ran(c, "re-seq").map(|c| found(&c)))
            .collect::<Result<_>>()?;
        Ok(if all.is_empty() { Form::nil() } else { Form::value(FormKind::List(all)) })
    }),
    ("format", |_, a| {
        arity("format", &a, |n| n >= 1)?;
        string(format(&a)?)
    }),
    // A macro's printing goes to the server's log, as println's does.
    ("print", |i, a| {
        i.print(&a.iter().map(str_of).collect::<Vec<_>>().join(" "));
        Ok(Form::nil())
    }),
    ("pr", |i, a| {
        i.print(&a.iter().map(pr_str).collect::<Vec<_>>().join(" "));
        Ok(Form::nil())
    }),
    ("newline", |i, _| {
        i.print("\n");
        Ok(Form::nil())
    }),
    ("prn-str", |_, a| string(a.iter().map(pr_str).collect::<Vec<_>>().join(" ") + "\n")),
    ("println-str", |_, a| string(a.iter().map(str_of).collect::<Vec<_>>().join(" ") + "\n")),
    ("munge", |_, a| {
        arity("munge", &a, |n| n == 1)?;
        let mut out = String::new();
        for c in str_of(&a[0]).chars() {
            match CHAR_MAP.iter().find(|(from, _)| *from == c) {
                Some((_, name)) => out.push_str(name),
                None => out.push(c),
            }
        }
        let munged = Form::value(FormKind::Str(out));
        Ok(match &*a[0].kind {
            FormKind::Symbol { .. } => Form::symbol(&str_of(&munged), a[0].pos),
            _ => munged,
        })
    }),
    ("parse-long", |_, a| {
        arity("parse-long", &a, |n| n == 1)?;
        let s = str_arg(&a[0], "parse-long")?;
        Ok(s.strip_prefix('+').unwrap_or(&s).parse::<i64>().map_or_else(|_| Form::nil(), |n| Form::value(FormKind::Int(n))))
    }),
    ("parse-double", |_, a| {
        arity("parse-double", &a, |n| n == 1)?;
        Ok(str_arg(&a[0], "parse-double")?.trim().parse::<f64>().map_or_else(|_| Form::nil(), |f| Form::value(FormKind::Float(f))))
    }),
    ("read-string", |_, a| {
        arity("read-string", &a, |n| n == 1)?;
        let text = str_arg(&a[0], "read-string")?;
        match crate::reader::read_all(&text) {
            Ok(forms) => Ok(forms.into_iter().next().unwrap_or_else(Form::nil)),
            Err(e) => error(e.message),
        }
    }),
    ("class", |_, a| {
        arity("class", &a, |n| n == 1)?;
        Ok(super::classes::class_of(&a[0]))
    }),
    // A value's :type metadata, else its class, as Clojure's type.
    ("type", |_, a| {
        arity("type", &a, |n| n == 1)?;
        let tagged = a[0].meta.as_ref().and_then(|m| super::builtins::get(m, &Form::keyword("type")));
        Ok(tagged.unwrap_or_else(|| super::classes::class_of(&a[0])))
    }),
    ("instance?", |i, a| {
        arity("instance?", &a, |n| n == 2)?;
        if super::types::name_of_type(&a[0]).is_some() {
            return boolean(super::types::is_instance_of(&a[0], &a[1]));
        }
        match &*a[0].kind {
            FormKind::Class(class) => boolean(super::classes::is_instance_of(i, class, &a[1])),
            FormKind::Keyword { name, .. } => boolean(is_instance(name, type_key(&a[1]))),
            // A class or interface the compiler has no key for, such as a
            // definterface's or a protocol's (core.logic's `(instance?
            // ITreeTerm x)`): a built-in value is an instance of the
            // interfaces its kind has, a type's instance of those it lists.
            FormKind::Symbol { name, .. } => {
                let simple = name.rsplit('.').next().unwrap_or(name);
                boolean(if super::types::type_name(&a[1]).is_some() {
                    super::types::implements(&a[1], simple)
                } else {
                    is_instance(simple, type_key(&a[1]))
                })
            }
            // A protocol or definterface the namespace defines
            // ({:protocol "my.ns/P"} here): what lists it inline is one.
            FormKind::Map(_) => match super::builtins::get(&a[0], &Form::keyword("protocol")) {
                Some(name) => {
                    let name = str_of(&name);
                    let simple = name.rsplit('/').next().unwrap_or(&name);
                    boolean(super::types::implements(&a[1], simple))
                }
                None => error(format!("instance? in a macro needs a class name, got {}", a[0].describe())),
            },
            _ => error(format!("instance? in a macro needs a class name, got {}", a[0].describe())),
        }
    }),
    // Classes are type keys in a macro (`(isa? (eval hint) String)`, as
    // hiccup reads a type hint): a key is its own, Number's and Object's.
    // No keyword hierarchy is made by derive at compile time.
    // isa? of two classes, or of two type keys (`:integer` of `:number`):
    // the part of isa? that is not a hierarchy's (prelude/macro_time.jank).
    ("class-isa?*", |i, a| {
        arity("class-isa?*", &a, |n| n == 2)?;
        boolean(isa(i, &a[0], &a[1]))
    }),
    ("ns-name", |_, a| {
        arity("ns-name", &a, |n| n == 1)?;
        Ok(Form::symbol(&str_of(&a[0]), a[0].pos))
    }),
    ("the-ns", |_, a| {
        arity("the-ns", &a, |n| n == 1)?;
        Ok(Form::symbol(&str_of(&a[0]), a[0].pos))
    }),
    // A macro's (eval form): analyzed and run in the compiler. The analyzer
    // passes the namespace first, as it does for the page's eval.
    ("eval", |i, a| {
        arity("eval", &a, |n| n == 1 || n == 2)?;
        let form = a.last().cloned().unwrap_or_else(Form::nil);
        crate::analyzer::eval_at_compile_time(&form, i.knowledge)
    }),
    // A namespace is its name here.
    ("create-ns", |_, a| {
        arity("create-ns", &a, |n| n == 1)?;
        Ok(Form::symbol(&str_of(&a[0]), a[0].pos))
    }),
    // *ns* in a fn (and the namespace its resolve looks in): in the page the
    // namespace the fn is written in, as the page binds no *ns*; in a macro,
    // as on the JVM, the namespace being compiled, so a helper in a library
    // resolves the symbols of the code that called its macro.
    ("code-ns*", |i, a| {
        arity("code-ns*", &a, |n| n == 1)?;
        i.knowledge.compile_time_value("clojure.core", "*ns*")
    }),
    // A class named in a fn the page also runs (`String` in `(isa? t
    // String)`), when a macro calls that fn: the key the compiler's `class`
    // gives, as the class is in a macro's own code.
    ("class-named*", |i, a| {
        arity("class-named*", &a, |n| n == 1)?;
        if let Some(full) = crate::knowledge::runtime_class_name(&str_of(&a[0])) {
            return Ok(Form::value(FormKind::Class(full.to_owned())));
        }
        let type_key = i.knowledge.compile_time_value("clojure.core", "type-key")?;
        i.apply(&type_key, vec![Form::symbol(&str_of(&a[0]), a[0].pos)])
    }),
    // A protocol and its methods, for macros whose helpers call them
    // (eval/protocols.rs).
    ("protocol*", |_, a| {
        arity("protocol*", &a, |n| n == 1 || n == 2)?;
        Ok(Form::value(FormKind::Map(vec![Form::keyword("protocol"), a[0].clone()])))
    }),
    ("satisfies?", |i, a| {
        arity("satisfies?", &a, |n| n == 2)?;
        boolean(super::protocols::satisfies(i, &a[0], &a[1])?)
    }),
    ("protocol-method*", |_, a| {
        arity("protocol-method*", &a, |n| n == 2)?;
        Ok(super::protocols::new_method(&str_of(&a[1])))
    }),
    ("add-protocol-impl*", |i, a| {
        arity("add-protocol-impl*", &a, |n| n == 3)?;
        if !super::protocols::add_impl(i, &a[0], a[1].clone(), a[2].clone()) {
            return error(format!("add-protocol-impl* needs a protocol method, got {}", a[0].describe()));
        }
        Ok(Form::nil())
    }),
    // binding's halves, for macros whose helpers bind a dynamic var.
    ("push-thread-bindings", |i, a| {
        arity("push-thread-bindings", &a, |n| n == 1)?;
        let FormKind::Map(pairs) = &*a[0].kind else {
            return error("push-thread-bindings needs a map of vars to values");
        };
        let mut frame = Vec::new();
        for pair in pairs.chunks(2) {
            let (FormKind::Var { ns, name }, Some(value)) = (&*pair[0].kind, pair.get(1)) else {
                return error("push-thread-bindings needs a map of vars to values");
            };
            frame.push((ns.clone(), name.clone(), value.clone()));
        }
        i.bindings.push(frame);
        Ok(Form::nil())
    }),
    ("pop-thread-bindings", |i, a| {
        arity("pop-thread-bindings", &a, |n| n == 0)?;
        match i.bindings.pop() {
            Some(_) => Ok(Form::nil()),
            None => error("pop-thread-bindings without a matching push-thread-bindings"),
        }
    }),
    ("var-get", |i, a| {
        arity("var-get", &a, |n| n == 1)?;
        match &*a[0].kind {
            FormKind::Var { ns, name } => i.var_value(ns, name),
            _ => error(format!("var-get needs a var, got {}", a[0].describe())),
        }
    }),
    ("find-var", |i, a| {
        arity("find-var", &a, |n| n == 1)?;
        let FormKind::Symbol { ns, name } = &*a[0].kind else {
            return error("find-var needs a qualified symbol");
        };
        Ok(match i.knowledge.entry(ns, name) {
            Some(_) if !ns.is_empty() => Form::value(FormKind::Var { ns: ns.clone(), name: name.clone() }),
            _ => Form::nil(),
        })
    }),
    ("int", |_, a| { arity("int", &a, |n| n == 1)?; v(FormKind::Int(int_arg(&a[0], "int")?)) }),
    ("long", |_, a| { arity("long", &a, |n| n == 1)?; v(FormKind::Int(int_arg(&a[0], "long")?)) }),
    ("double", |_, a| {
        arity("double", &a, |n| n == 1)?;
        v(FormKind::Float(match *a[0].kind {
            FormKind::Float(f) => f,
            FormKind::Ratio(n, d) => n as f64 / d as f64,
            _ => int_arg(&a[0], "double")? as f64,
        }))
    }),
    // (StringBuilder.) in a fn a macro calls: a cell holding its text,
    // which .append (write-to*) adds to and str reads (form.rs).
    ("string-builder*", |_, a| {
        arity("string-builder*", &a, |n| n <= 1)?;
        // A number is a capacity, as Java's StringBuilder(int): it starts empty.
        let text = a
            .first()
            .filter(|x| !matches!(*x.kind, FormKind::Int(_)))
            .map(str_of)
            .unwrap_or_default();
        Ok(text_buffer(text))
    }),
    ("write-to*", |_, a| {
        arity("write-to*", &a, |n| n == 2)?;
        append_text(&a[0], &str_of(&a[1]))?;
        Ok(a[0].clone())
    }),
    ("write*", |_, a| {
        arity("write*", &a, |n| n == 2)?;
        append_text(&a[0], &str_of(&a[1]))?;
        Ok(Form::nil())
    }),
    // (.x p) in a fn a macro calls: p's field x where p is a map with that
    // key, else the var x called on p (`(.toString sb)` is `str`).
    ("field-of*", |i, a| {
        arity("field-of*", &a, |n| n == 2 || n == 3)?;
        if let Some(value) = matches!(*a[0].kind, FormKind::Map(_)).then(|| super::builtins::get(&a[0], &a[1])).flatten() {
            return Ok(value);
        }
        match a.get(2) {
            Some(fallback) => call(i, fallback, vec![a[0].clone()]),
            None => error(format!("No matching field found: {} for {}", str_of(&a[1]), a[0].describe())),
        }
    }),
    ("float", |_, a| {
        arity("float", &a, |n| n == 1)?;
        let f = match *a[0].kind {
            FormKind::Float(f) => f,
            FormKind::Ratio(n, d) => n as f64 / d as f64,
            _ => int_arg(&a[0], "float")? as f64,
        };
        v(FormKind::Float(f64::from(f as f32)))
    }),
    // The JVM methods chosen by the target's class (runtime/src/jvm_methods.cpp),
    // when a macro calls a fn the page also runs: String's indexOf,
    // lastIndexOf and contains, and a keyword's or symbol's getName.
    ("jvm-method*", |i, a| {
        arity("jvm-method*", &a, |n| n >= 2)?;
        let method = str_of(&a[0]);
        let (target, args) = (&a[1], &a[2..]);
        if let Some(answer) = super::classes::method(i, &method, target, args) {
            return answer;
        }
        if let Some(answer) = super::matcher::method(&method, target, args) {
            return answer;
        }
        if let Some(own) = super::types::named_method(target, &method) {
            let mut with_this = vec![target.clone()];
            with_this.extend(args.iter().cloned());
            return i.apply(&own, with_this);
        }
        // (.dirty x): a field of x's type, as Java reads a public field.
        if let (Some(Some(value)), []) = (super::types::field(target, &Form::keyword(&method)), args) {
            return Ok(value);
        }
        let text = |f: &Form| match &*f.kind {
            FormKind::Str(s) => Some(s.clone()),
            FormKind::Char(c) => Some(c.to_string()),
            _ => None,
        };
        let position = |found: Option<usize>, s: &str| {
            v(FormKind::Int(found.map_or(-1, |at| s[..at].chars().count() as i64)))
        };
        match (method.as_str(), &*target.kind, args) {
            ("indexOf", FormKind::Str(s), [needle]) => match text(needle) {
                Some(needle) => position(s.find(&needle), s),
                None => error("indexOf in a macro needs a string or a char"),
            },
            ("lastIndexOf", FormKind::Str(s), [needle]) => match text(needle) {
                Some(needle) => position(s.rfind(&needle), s),
                None => error("lastIndexOf in a macro needs a string or a char"),
            },
            ("contains", FormKind::Str(s), [needle]) => match text(needle) {
                Some(needle) => boolean(s.contains(&needle)),
                None => error("contains in a macro needs a string"),
            },
            // An AtomicReference's get and set (builtins.rs atomic-new*).
            ("get", FormKind::Cell(cell), []) if super::types::name_of_type(target).is_none() => {
                Ok(super::cells::read(cell))
            }
            ("set", FormKind::Cell(cell), [x]) if super::types::name_of_type(target).is_none() => {
                if let Ok(mut slot) = cell.lock() {
                    *slot = x.clone();
                }
                Ok(Form::nil())
            }
            ("getName", FormKind::Keyword { name, .. } | FormKind::Symbol { name, .. }, []) => {
                v(FormKind::Str(name.clone()))
            }
            ("getNamespace", FormKind::Keyword { ns, .. } | FormKind::Symbol { ns, .. }, []) => {
                Ok(if ns.is_empty() { Form::nil() } else { Form::value(FormKind::Str(ns.clone())) })
            }
            // Pattern's source, as core.match compares regex patterns.
            ("pattern" | "toString", FormKind::Regex(source), []) => string(source),
            // String's own, as code written for the JVM calls them on text.
            ("length", FormKind::Str(s), []) => v(FormKind::Int(s.encode_utf16().count() as i64)),
            ("isBlank", FormKind::Str(s), []) => boolean(s.trim().is_empty()),
            ("strip", FormKind::Str(s), []) => string(s.trim()),
            ("stripLeading", FormKind::Str(s), []) => string(s.trim_start()),
            ("stripTrailing", FormKind::Str(s), []) => string(s.trim_end()),
            ("intern", FormKind::Str(s), []) => string(s.clone()),
            ("repeat", FormKind::Str(s), [n]) => {
                let n = usize::try_from(int_arg(n, "repeat")?)
                    .map_err(|_| super::Thrown::Error("repeat: count is negative".into()))?;
                string(s.repeat(n))
            }
            ("equalsIgnoreCase", FormKind::Str(s), [other]) => {
                boolean(text(other).is_some_and(|o| o.to_lowercase() == s.to_lowercase()))
            }
            ("compareTo" | "compareToIgnoreCase", FormKind::Str(s), [other]) => match text(other) {
                Some(o) => {
                    let fold = |t: &str| if method == "compareTo" { t.to_owned() } else { t.to_lowercase() };
                    v(FormKind::Int(java_compare(&fold(s), &fold(&o))))
                }
                None => error(format!(".{method} in a macro needs a string")),
            },
            ("codePointAt", FormKind::Str(s), [at]) => {
                let at = int_arg(at, "codePointAt")?;
                match usize::try_from(at).ok().and_then(|at| s.chars().nth(at)) {
                    Some(c) => v(FormKind::Int(i64::from(u32::from(c)))),
                    None => error(format!("Index {at} out of bounds for length {}", s.chars().count())),
                }
            }
            ("get", FormKind::Map(_) | FormKind::Vector(_), [key]) => {
                Ok(super::builtins::get(target, key).unwrap_or_else(Form::nil))
            }
            // An iterator over a collection: a cell holding what is left.
            ("iterator", _, []) => {
                let rest = items(target)?;
                Ok(Form::value(FormKind::Cell(std::sync::Arc::new(std::sync::Mutex::new(
                    Form::value(FormKind::List(rest)),
                )))))
            }
            ("hasNext" | "next", FormKind::Cell(cell), []) => {
                let mut slot = cell.lock().unwrap_or_else(|p| p.into_inner());
                let FormKind::List(rest) = &*slot.kind else {
                    return error(format!(".{method} in a macro needs an iterator"));
                };
                if method == "hasNext" {
                    return boolean(!rest.is_empty());
                }
                let Some((first, rest)) = rest.split_first() else {
                    return error("No such element: the iterator is at its end (java.util.NoSuchElementException)");
                };
                let first = first.clone();
                *slot = Form::value(FormKind::List(rest.to_vec()));
                Ok(first)
            }
            _ => error(format!(
                "the method .{method} of {} does not run in a macro (the compiler has String's indexOf, lastIndexOf and contains, getName, and iterators)",
                target.describe()
            )),
        }
    }),
    ("char", |_, a| {
        arity("char", &a, |n| n == 1)?;
        let code = u32::try_from(int_arg(&a[0], "char")?).ok().and_then(char::from_u32);
        code.map_or_else(|| error("char: not a character code"), |c| v(FormKind::Char(c)))
    }),
    ("bit-and", |_, a| bits(&a, "bit-and", |x, y| x & y)),
    ("bit-or", |_, a| bits(&a, "bit-or", |x, y| x | y)),
    ("bit-xor", |_, a| bits(&a, "bit-xor", |x, y| x ^ y)),
    ("bit-shift-left", |_, a| bits(&a, "bit-shift-left", |x, n| x.wrapping_shl(n as u32))),
    ("bit-shift-right", |_, a| bits(&a, "bit-shift-right", |x, n| x.wrapping_shr(n as u32))),
    ("bit-not", |_, a| { arity("bit-not", &a, |n| n == 1)?; v(FormKind::Int(!int_arg(&a[0], "bit-not")?)) }),
}

/// String.compareTo: the difference of the first UTF-16 units that differ,
/// else of the lengths.
fn java_compare(a: &str, b: &str) -> i64 {
    let (a, b): (Vec<u16>, Vec<u16>) = (a.encode_utf16().collect(), b.encode_utf16().collect());
    match a.iter().zip(&b).find(|(x, y)| x != y) {
        Some((x, y)) => i64::from(*x) - i64::from(*y),
        None => a.len() as i64 - b.len() as i64,
    }
}

/// A version 4 UUID's text, from the standard library's per-process random
/// hash keys and a counter.
fn random_uuid_text() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut bits = [0u64; 2];
    for (i, word) in bits.iter_mut().enumerate() {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        hasher.write_usize(i);
        *word = hasher.finish();
    }
    let high = (bits[0] & !0xf000) | 0x4000;
    let low = (bits[1] & !(0xc << 60)) | (0x8 << 60);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        high >> 32,
        (high >> 16) & 0xffff,
        high & 0xffff,
        low >> 48,
        low & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> Form {
        Form::value(FormKind::Str(x.into()))
    }

    #[test]
    fn format_writes_as_java_does() {
        let int = |n| Form::value(FormKind::Int(n));
        let float = |f| Form::value(FormKind::Float(f));
        assert_eq!(
            format(&[
                s("%s-%d|%5d|%-4s|%05d|%x"),
                s("a"),
                int(1),
                int(42),
                s("ab"),
                int(-42),
                int(255)
            ])
            .unwrap(),
            "a-1|   42|ab  |-0042|ff"
        );
        assert_eq!(
            format(&[
                s("%.2f %e %% %b"),
                float(1.23456),
                float(1500.0),
                Form::nil()
            ])
            .unwrap(),
            "1.23 1.500000e+03 % false"
        );
        assert!(format(&[s("%d")]).is_err());
    }

    #[test]
    fn replacement_groups() {
        let re = fancy_regex::Regex::new("(\\w+) (\\w+)").unwrap();
        let captures = re.captures("hello world").unwrap().unwrap();
        assert_eq!(expand(&captures, "$2 $1 \\$"), "world hello $");
    }
}
