//! Forms: what the reader produces, what macros take and return, and the
//! values of the compile-time evaluator.
//!
//! Code is data: a macro receives its call's forms as ordinary values and
//! returns new ones, so one type serves the reader, the expander and the
//! evaluator. The few kinds that only exist at compile time (functions,
//! cells, exceptions) are never emitted into a patch; the analyzer refuses
//! them with a message.

use std::fmt::{self, Write};
use std::sync::{Arc, Mutex};

use crate::eval::{Builtin, Closure};
use crate::tagged::LiteralTag;

/// 1-based line and column of a form's first character; line 0 means the
/// form was built by a macro and takes the position of the call it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn is_known(self) -> bool {
        self.line > 0
    }
}

#[derive(Debug, Clone)]
pub enum FormKind {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A ratio in lowest terms with a positive denominator other than 1.
    Ratio(i64, i64),
    /// Clojure's BigInt: `1N`, or an integer literal past a long's range.
    BigInt(num_bigint::BigInt),
    /// java.math.BigDecimal, `1.50M`: `unscaled` × 10^-`scale` (150 at scale 2).
    BigDecimal {
        unscaled: num_bigint::BigInt,
        scale: i32,
    },
    Str(String),
    Char(char),
    /// `#"…"`: the pattern's source text.
    Regex(String),
    /// `ns` is empty when unqualified; `auto` (`::kw`) keywords are resolved by the analyzer.
    Keyword {
        ns: String,
        name: String,
        auto: bool,
    },
    Symbol {
        ns: String,
        name: String,
    },
    List(Vec<Form>),
    Vector(Vec<Form>),
    /// Keys and values alternating.
    Map(Vec<Form>),
    Set(Vec<Form>),
    // ---- compile-time only --------------------------------------------------
    /// A function of the compile-time evaluator (a macro, or a helper it calls).
    Fn(Arc<Closure>),
    /// A clojure.core function implemented in Rust for the evaluator.
    Builtin(&'static Builtin),
    /// `(var ns/name)` at compile time.
    Var {
        ns: String,
        name: String,
    },
    /// An atom or volatile at compile time.
    Cell(Arc<Mutex<Form>>),
    /// A value made by `ex-info` at compile time.
    ExInfo(Arc<ExInfo>),
    /// A JVM class at compile time, by its full name (`java.lang.String`):
    /// what a class name evaluates to in a macro, and what `class` gives.
    /// Compiled into code, it is the page's class of that name.
    Class(String),
    /// `#inst "…"` or `#uuid "…"`, in its canonical text: a value the page
    /// makes with the tag's maker (see [`crate::tagged`]).
    Tagged {
        tag: LiteralTag,
        text: String,
    },
}

#[derive(Debug)]
pub struct ExInfo {
    pub message: String,
    pub data: Form,
    pub cause: Option<Form>,
}

/// A form is cheap to copy: macros and the evaluator pass forms around by
/// value, so its contents are shared and copied only when changed.
#[derive(Debug, Clone)]
pub struct Form {
    pub kind: Arc<FormKind>,
    pub pos: Pos,
    /// `^meta` read before the form, or attached by `with-meta`; a map form.
    pub meta: Option<Arc<Form>>,
    /// How deeply collections nest in it (1 for an atom), kept so that a
    /// macro building a form nested a million deep fails with a message
    /// instead of overflowing the stack of whatever walks it next.
    pub depth: u32,
}

/// The smallest and largest integers [`shared_kind`] keeps one copy of.
const SHARED_INTS: std::ops::RangeInclusive<i64> = -16..=256;

/// nil, the booleans and small integers, made once: the compile-time
/// evaluator makes them at nearly every step of a macro.
static SHARED_KINDS: std::sync::LazyLock<Vec<Arc<FormKind>>> = std::sync::LazyLock::new(|| {
    [FormKind::Nil, FormKind::Bool(false), FormKind::Bool(true)]
        .into_iter()
        .chain(SHARED_INTS.map(FormKind::Int))
        .map(Arc::new)
        .collect()
});

/// `kind` in an Arc: a shared one for nil, booleans and small integers.
fn shared_kind(kind: FormKind) -> Arc<FormKind> {
    let index = match kind {
        FormKind::Nil => 0,
        FormKind::Bool(b) => 1 + usize::from(b),
        FormKind::Int(i) if SHARED_INTS.contains(&i) => (3 + i - SHARED_INTS.start()) as usize,
        _ => return Arc::new(kind),
    };
    SHARED_KINDS[index].clone()
}

/// The deepest nesting a form may have.
pub const MAX_FORM_DEPTH: u32 = 1_000;

/// Equality is Clojure's `=` on data (metadata and positions are ignored);
/// compile-time objects are equal only to themselves.
impl PartialEq for FormKind {
    fn eq(&self, other: &Self) -> bool {
        use FormKind::*;
        match (self, other) {
            (Nil, Nil) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Float(a), Float(b)) => a == b,
            (Ratio(a, b), Ratio(c, d)) => a == c && b == d,
            (BigInt(a), BigInt(b)) => a == b,
            // By value, as Clojure's = of BigDecimals: 1.5M is 1.50M.
            (
                BigDecimal {
                    unscaled: a,
                    scale: s,
                },
                BigDecimal {
                    unscaled: b,
                    scale: t,
                },
            ) => decimal_stripped(a, *s) == decimal_stripped(b, *t),
            (BigInt(a), Int(b)) | (Int(b), BigInt(a)) => *a == num_bigint::BigInt::from(*b),
            (Str(a), Str(b)) | (Regex(a), Regex(b)) => a == b,
            (Char(a), Char(b)) => a == b,
            // `::k` is not `:k`: it names the current namespace's k.
            (
                Keyword {
                    ns: a,
                    name: b,
                    auto: x,
                },
                Keyword {
                    ns: c,
                    name: d,
                    auto: y,
                },
            ) => a == c && b == d && x == y,
            (Symbol { ns: a, name: b }, Symbol { ns: c, name: d })
            | (Var { ns: a, name: b }, Var { ns: c, name: d }) => a == c && b == d,
            // Lists and vectors with the same items are equal, as in Clojure.
            (List(a) | Vector(a), List(b) | Vector(b)) => a == b,
            (Map(a), Map(b)) => {
                a.len() == b.len()
                    && a.chunks(2).all(|kv| {
                        b.chunks(2)
                            .any(|other| other[0] == kv[0] && other.get(1) == kv.get(1))
                    })
            }
            (Set(a), Set(b)) => a.len() == b.len() && a.iter().all(|x| b.contains(x)),
            (Fn(a), Fn(b)) => Arc::ptr_eq(a, b),
            (Builtin(a), Builtin(b)) => std::ptr::eq(*a, *b),
            (Cell(a), Cell(b)) => Arc::ptr_eq(a, b),
            (ExInfo(a), ExInfo(b)) => Arc::ptr_eq(a, b),
            (Class(a), Class(b)) => a == b,
            (Tagged { tag: a, text: b }, Tagged { tag: c, text: d }) => a == c && b == d,
            _ => false,
        }
    }
}

impl PartialEq for Form {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}

impl Form {
    pub fn new(kind: FormKind, pos: Pos) -> Self {
        let depth = match &kind {
            FormKind::List(items)
            | FormKind::Vector(items)
            | FormKind::Map(items)
            | FormKind::Set(items) => 1 + items.iter().map(|f| f.depth).max().unwrap_or(0),
            _ => 1,
        };
        Self {
            kind: shared_kind(kind),
            pos,
            meta: None,
            depth,
        }
    }

    /// The kind, to change: copied first if another form shares it.
    pub fn kind_mut(&mut self) -> &mut FormKind {
        Arc::make_mut(&mut self.kind)
    }

    /// The kind, taken out (copied only if shared).
    pub fn into_kind(self) -> FormKind {
        Arc::unwrap_or_clone(self.kind)
    }

    /// A form built at compile time, with no position of its own.
    pub fn value(kind: FormKind) -> Self {
        Self::new(kind, Pos::default())
    }

    pub fn nil() -> Self {
        Self::value(FormKind::Nil)
    }

    pub fn symbol(name: &str, pos: Pos) -> Self {
        Self::new(
            FormKind::Symbol {
                ns: String::new(),
                name: name.to_owned(),
            },
            pos,
        )
    }

    pub fn qualified_symbol(ns: &str, name: &str, pos: Pos) -> Self {
        Self::new(
            FormKind::Symbol {
                ns: ns.to_owned(),
                name: name.to_owned(),
            },
            pos,
        )
    }

    pub fn keyword(name: &str) -> Self {
        Self::value(FormKind::Keyword {
            ns: String::new(),
            name: name.to_owned(),
            auto: false,
        })
    }

    pub fn list(items: Vec<Form>, pos: Pos) -> Self {
        Self::new(FormKind::List(items), pos)
    }

    /// The name of an unqualified symbol.
    pub fn as_simple_symbol(&self) -> Option<&str> {
        match &*self.kind {
            FormKind::Symbol { ns, name } if ns.is_empty() => Some(name),
            _ => None,
        }
    }

    /// The name of an unqualified keyword.
    pub fn as_keyword_name(&self) -> Option<&str> {
        match &*self.kind {
            FormKind::Keyword { ns, name, .. } if ns.is_empty() => Some(name),
            _ => None,
        }
    }

    pub fn truthy(&self) -> bool {
        !matches!(*self.kind, FormKind::Nil | FormKind::Bool(false))
    }

    /// The items of any sequential or set form, or None.
    pub fn items(&self) -> Option<&[Form]> {
        match &*self.kind {
            FormKind::List(items)
            | FormKind::Vector(items)
            | FormKind::Set(items)
            | FormKind::Map(items) => Some(items),
            _ => None,
        }
    }

    /// The value of `key` in this form's metadata map.
    pub fn meta_get(&self, key: &str) -> Option<&Form> {
        let FormKind::Map(items) = &*self.meta.as_ref()?.kind else {
            return None;
        };
        items.chunks(2).find_map(|kv| match &*kv[0].kind {
            FormKind::Keyword { ns, name, .. } if ns.is_empty() && name == key => kv.get(1),
            _ => None,
        })
    }

    /// Gives every form without a position (built by a macro) the position
    /// of the nearest enclosing form that has one, or `pos`, so that errors
    /// in an expansion point at the call. Forms that are all positioned
    /// (the user's own, passed through) are left as they are, unshared.
    pub fn locate(mut self, pos: Pos) -> Form {
        if !self.pos.is_known() {
            self.pos = pos;
        }
        let here = self.pos;
        let Some(items) = self.items() else {
            return self;
        };
        if !items.iter().any(Form::lacks_position) {
            return self;
        }
        if let FormKind::List(items)
        | FormKind::Vector(items)
        | FormKind::Map(items)
        | FormKind::Set(items) = self.kind_mut()
        {
            for item in items.iter_mut() {
                if item.lacks_position() {
                    let taken = std::mem::replace(item, Form::nil());
                    *item = taken.locate(here);
                }
            }
        }
        self
    }

    /// Whether this form or any form inside it has no position.
    fn lacks_position(&self) -> bool {
        !self.pos.is_known()
            || self
                .items()
                .is_some_and(|items| items.iter().any(Form::lacks_position))
    }

    /// What the type is called in messages: "a vector", "nil", ...
    pub fn describe(&self) -> &'static str {
        match &*self.kind {
            FormKind::Nil => "nil",
            FormKind::Bool(_) => "a boolean",
            FormKind::Int(_) => "an integer",
            FormKind::Float(_) => "a double",
            FormKind::Ratio(..) => "a ratio",
            FormKind::BigInt(_) => "a big integer",
            FormKind::BigDecimal { .. } => "a big decimal",
            FormKind::Str(_) => "a string",
            FormKind::Char(_) => "a character",
            FormKind::Regex(_) => "a regex",
            FormKind::Keyword { .. } => "a keyword",
            FormKind::Symbol { .. } => "a symbol",
            FormKind::List(_) => "a list",
            FormKind::Vector(_) => "a vector",
            FormKind::Map(_) => "a map",
            FormKind::Set(_) => "a set",
            FormKind::Fn(_) | FormKind::Builtin(_) => "a function",
            FormKind::Var { .. } => "a var",
            FormKind::Cell(_) => "an atom",
            FormKind::ExInfo(_) => "an exception",
            FormKind::Class(_) => "a class",
            FormKind::Tagged {
                tag: LiteralTag::Inst,
                ..
            } => "an instant",
            FormKind::Tagged {
                tag: LiteralTag::Uuid,
                ..
            } => "a UUID",
            FormKind::Tagged {
                tag: LiteralTag::Ratio,
                ..
            } => "a ratio",
        }
    }
}

/// `pr-str`: the printed form Clojure reads back.
pub fn pr_str(form: &Form) -> String {
    let mut out = String::new();
    print(form, true, &mut out);
    out
}

/// `pr-str` cut to about `max` characters, for naming a form in a message.
pub fn pr_str_short(form: &Form, max: usize) -> String {
    let printed = pr_str(form);
    if printed.chars().count() <= max {
        return printed;
    }
    let cut: String = printed.chars().take(max).collect();
    format!("{cut} ...")
}

/// `str`: strings and characters unquoted, nil empty.
pub fn str_of(form: &Form) -> String {
    match &*form.kind {
        FormKind::Nil => String::new(),
        FormKind::Str(s) => s.clone(),
        FormKind::Char(c) => c.to_string(),
        // A Pattern's toString is its source.
        FormKind::Regex(source) => source.clone(),
        // jank's str of an inst is its timestamp, as the page's.
        FormKind::Tagged { text, .. } => text.clone(),
        _ => text_buffer_text(form).unwrap_or_else(|| pr_str(form)),
    }
}

/// The key marking a cell as a StringBuilder's in a macro: `[key text]`.
pub const TEXT_BUFFER: &str = "text-buffer";

/// A macro's StringBuilder (a cell holding `[:jank.hot-reload/text-buffer
/// text]`, see eval/text.rs): its text.
pub fn text_buffer_text(form: &Form) -> Option<String> {
    let FormKind::Cell(cell) = &*form.kind else {
        return None;
    };
    let content = cell
        .lock()
        .map(|c| c.clone())
        .unwrap_or_else(|p| p.into_inner().clone());
    match &*content.kind {
        FormKind::Vector(items) => match items.as_slice() {
            [marker, text] => match (&*marker.kind, &*text.kind) {
                (FormKind::Keyword { ns, name, .. }, FormKind::Str(text))
                    if ns == "jank.hot-reload" && name == TEXT_BUFFER =>
                {
                    Some(text.clone())
                }
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&pr_str(self))
    }
}

fn print_all(items: &[Form], readably: bool, out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        print(item, readably, out);
    }
}

/// Clojure's printing of a double: always a decimal point or an exponent.
pub fn print_double(v: f64) -> String {
    if v.is_nan() {
        "##NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "##Inf" } else { "##-Inf" }.into()
    } else if v == v.trunc() && v.abs() < 1e16 {
        format!("{v:.1}")
    } else {
        let text = format!("{v:?}");
        text.replace("e", "E")
    }
}

fn print(form: &Form, readably: bool, out: &mut String) {
    match &*form.kind {
        FormKind::Nil => out.push_str("nil"),
        FormKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        FormKind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        FormKind::Float(v) => out.push_str(&print_double(*v)),
        FormKind::Ratio(n, d) => {
            let _ = write!(out, "{n}/{d}");
        }
        FormKind::BigInt(v) => {
            let _ = write!(out, "{v}N");
        }
        FormKind::BigDecimal { unscaled, scale } => {
            out.push_str(&decimal_text(unscaled, *scale));
            out.push('M');
        }
        FormKind::Str(s) if readably => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        FormKind::Str(s) => out.push_str(s),
        FormKind::Char(c) if readably => out.push_str(&char_literal(*c)),
        FormKind::Char(c) => out.push(*c),
        FormKind::Regex(r) => {
            let _ = write!(out, "#\"{r}\"");
        }
        FormKind::Keyword { ns, name, auto } => {
            out.push(':');
            if *auto {
                out.push(':');
            }
            if !ns.is_empty() {
                out.push_str(ns);
                out.push('/');
            }
            out.push_str(name);
        }
        FormKind::Symbol { ns, name } => {
            if !ns.is_empty() {
                out.push_str(ns);
                out.push('/');
            }
            out.push_str(name);
        }
        FormKind::List(items) => {
            out.push('(');
            print_all(items, readably, out);
            out.push(')');
        }
        FormKind::Vector(items) => {
            out.push('[');
            print_all(items, readably, out);
            out.push(']');
        }
        FormKind::Map(items) => {
            out.push('{');
            for (i, kv) in items.chunks(2).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                print_all(kv, readably, out);
            }
            out.push('}');
        }
        FormKind::Set(items) => {
            out.push_str("#{");
            print_all(items, readably, out);
            out.push('}');
        }
        FormKind::Fn(closure) => {
            let _ = write!(out, "#object[fn {}]", closure.name());
        }
        FormKind::Builtin(b) => {
            let _ = write!(out, "#object[fn clojure.core/{}]", b.name);
        }
        FormKind::Var { ns, name } => {
            let _ = write!(out, "#'{ns}/{name}");
        }
        FormKind::Cell(cell) => {
            let state = cell
                .lock()
                .map(|v| v.clone())
                .unwrap_or_else(|_| Form::nil());
            match crate::eval::types::printed(&state) {
                Some(text) => out.push_str(&text),
                None => {
                    let _ = write!(out, "#object[atom {}]", pr_str(&state));
                }
            }
        }
        FormKind::ExInfo(ex) => {
            let _ = write!(
                out,
                "#error {{:cause {:?}, :data {}}}",
                ex.message,
                pr_str(&ex.data)
            );
        }
        // As Clojure prints a class: its name.
        FormKind::Class(name) => out.push_str(name),
        FormKind::Tagged {
            tag: LiteralTag::Ratio,
            text,
        } => out.push_str(text),
        FormKind::Tagged { tag, text } => {
            let _ = write!(out, "#{} \"{text}\"", tag.name());
        }
    }
}

/// `\a`, `\newline`, `\u0000`: a character as the reader reads it back.
pub fn char_literal(c: char) -> String {
    match c {
        '\n' => "\\newline".into(),
        ' ' => "\\space".into(),
        '\t' => "\\tab".into(),
        '\r' => "\\return".into(),
        '\u{8}' => "\\backspace".into(),
        '\u{c}' => "\\formfeed".into(),
        c if c.is_control() => format!("\\u{:04x}", c as u32),
        c => format!("\\{c}"),
    }
}

/// BigDecimal.toString: plain digits with a point, or, for a negative scale
/// or a very small value, one digit, a point and an `E` exponent.
pub fn decimal_text(unscaled: &num_bigint::BigInt, scale: i32) -> String {
    let digits = unscaled.magnitude().to_string();
    let sign = if unscaled.sign() == num_bigint::Sign::Minus {
        "-"
    } else {
        ""
    };
    let adjusted = -i64::from(scale) + digits.len() as i64 - 1;
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    if scale > 0 && adjusted >= -6 {
        let scale = scale as usize;
        return if digits.len() > scale {
            let (whole, fraction) = digits.split_at(digits.len() - scale);
            format!("{sign}{whole}.{fraction}")
        } else {
            format!("{sign}0.{}{digits}", "0".repeat(scale - digits.len()))
        };
    }
    let (first, rest) = digits.split_at(1);
    let point = if rest.is_empty() {
        String::new()
    } else {
        format!(".{rest}")
    };
    let exponent_sign = if adjusted >= 0 { "+" } else { "" };
    format!("{sign}{first}{point}E{exponent_sign}{adjusted}")
}

/// The same value without trailing zeros, for equality by value.
fn decimal_stripped(unscaled: &num_bigint::BigInt, scale: i32) -> (num_bigint::BigInt, i64) {
    let ten = num_bigint::BigInt::from(10);
    let zero = num_bigint::BigInt::from(0);
    let (mut u, mut s) = (unscaled.clone(), i64::from(scale));
    if u == zero {
        return (u, 0);
    }
    while &u % &ten == zero {
        u /= &ten;
        s -= 1;
    }
    (u, s)
}
