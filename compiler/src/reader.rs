//! The reader: jank/Clojure text to forms, each with its position.
//!
//! Every error carries a line, a column and a message, and no input makes it
//! panic (see the property test). Nesting is bounded so that hostile input
//! cannot overflow the stack.

use std::fmt;

use crate::tagged::LiteralTag;

pub use crate::form::{Form, FormKind, Pos};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.pos.line, self.pos.column, self.message)
    }
}

/// Deepest nesting the reader accepts.
const MAX_DEPTH: usize = 200;

/// Reads every top-level form. `(comment …)` forms are kept; the analyzer
/// treats them as nil. `#_` discards are dropped here.
pub fn read_all(text: &str) -> Result<Vec<Form>, ReadError> {
    read_all_at(text, Pos { line: 1, column: 1 })
}

/// As [`read_all`], for text that starts at `start` in its file: the forms'
/// positions, and errors', are the file's.
pub fn read_all_at(text: &str, start: Pos) -> Result<Vec<Form>, ReadError> {
    Ok(read_top_level_at(text, start)?
        .into_iter()
        .map(|(form, _)| form)
        .collect())
}

/// Every top-level form with the byte range of its text in `text`.
pub fn read_top_level(text: &str) -> Result<Vec<(Form, std::ops::Range<usize>)>, ReadError> {
    read_top_level_at(text, Pos { line: 1, column: 1 })
}

/// As [`read_top_level`], for text that starts at `start` in its file.
pub fn read_top_level_at(
    text: &str,
    start: Pos,
) -> Result<Vec<(Form, std::ops::Range<usize>)>, ReadError> {
    let chars: Vec<char> = text.chars().collect();
    let mut byte_at = Vec::with_capacity(chars.len() + 1);
    let mut offset = 0;
    for c in &chars {
        byte_at.push(offset);
        offset += c.len_utf8();
    }
    byte_at.push(offset);
    let mut reader = Reader {
        in_anon_fn: false,
        chars,
        at: 0,
        line: start.line.max(1),
        column: start.column.max(1),
        depth: 0,
        in_conditional: 0,
    };
    let mut forms = Vec::new();
    loop {
        reader.skip_whitespace();
        let start = reader.at;
        let Some(form) = reader.read_form()? else {
            break;
        };
        // read_form skipped #_ discards first: start at the form itself.
        let first = byte_at[start.min(reader.at)];
        forms.push((form, first..byte_at[reader.at]));
    }
    Ok(forms)
}

/// The features `#?` reader conditionals choose from, in order of preference.
pub const FEATURES: &[&str] = &["jank", "default"];

/// The head the reader gives a syntax-quoted form: `` `x `` reads as
/// `(syntax-quote x)`, expanded by the analyzer, which knows the namespace.
pub const SYNTAX_QUOTE: &str = "syntax-quote";

enum Conditional {
    Nothing,
    One(Form),
    Splice(Vec<Form>),
}

struct Reader {
    /// Inside `#(...)`, where another `#(` is an error.
    in_anon_fn: bool,
    chars: Vec<char>,
    at: usize,
    line: u32,
    column: u32,
    depth: usize,
    /// Inside a reader conditional's branches, where a tagged literal this
    /// compiler does not read (`:cljs #queue []`) is kept as an
    /// [`UNKNOWN_TAG`] form: an error only in the branch that is chosen.
    in_conditional: usize,
}

/// The head of the form an unknown tagged literal reads as in a reader
/// conditional's branches: `(jank.reader/unknown-tag "queue" [])`.
const UNKNOWN_TAG: &str = "unknown-tag";
const UNKNOWN_TAG_NS: &str = "jank.reader";

/// The tag of the first unknown tagged literal in `form`, if any.
fn unknown_tag_in(form: &Form) -> Option<String> {
    if let FormKind::List(items) = &*form.kind {
        if let (Some(head), Some(tag)) = (items.first(), items.get(1)) {
            if matches!(&*head.kind, FormKind::Symbol { ns, name } if ns == UNKNOWN_TAG_NS && name == UNKNOWN_TAG)
            {
                if let FormKind::Str(tag) = &*tag.kind {
                    return Some(tag.clone());
                }
            }
        }
    }
    form.items()?.iter().find_map(unknown_tag_in)
}

/// Ends a symbol, number or character token: whitespace and Clojure's
/// terminating macro characters. A quote, `#` or `%` inside a token is part of
/// it, as in `inc'`, `+'` or `x#`.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')' | '[' | ']' | '{' | '}' | '"' | ';' | ',' | '@' | '^' | '`' | '~' | '\\'
        )
}

impl Reader {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.at + offset).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn error<T>(&self, pos: Pos, message: impl Into<String>) -> Result<T, ReadError> {
        Err(ReadError {
            pos,
            message: message.into(),
        })
    }

    fn skip_whitespace(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == ',' {
                self.next();
            } else if c == ';' {
                while let Some(c) = self.next() {
                    if c == '\n' {
                        break;
                    }
                }
            } else {
                break;
            }
        }
    }

    /// The next form, or None at the end of input.
    fn read_form(&mut self) -> Result<Option<Form>, ReadError> {
        loop {
            self.skip_whitespace();
            let pos = self.pos();
            let Some(c) = self.peek() else {
                return Ok(None);
            };
            match c {
                ')' | ']' | '}' => return self.error(pos, format!("unmatched delimiter: {c}")),
                '#' if self.peek_at(1) == Some('_') => {
                    self.next();
                    self.next();
                    if self.read_required(pos, "a form after #_")?.is_none() {
                        return self.error(pos, "#_ at the end of input has nothing to discard");
                    }
                    continue;
                }
                '#' if self.peek_at(1) == Some('?') => {
                    let forms = self.read_conditional(pos)?;
                    match forms {
                        Conditional::Nothing => continue,
                        Conditional::One(form) => return Ok(Some(form)),
                        Conditional::Splice(_) => {
                            return self.error(
                                pos,
                                "#?@ splices into a collection; it is not allowed at the top level",
                            )
                        }
                    }
                }
                _ => return self.read_nonblank(pos).map(Some),
            }
        }
    }

    /// `#?(:jank a :default b)` and `#?@(...)`: the branch of the first
    /// feature this compiler has (`:jank`, then `:default`), or nothing.
    fn read_conditional(&mut self, pos: Pos) -> Result<Conditional, ReadError> {
        self.next();
        self.next();
        let splice = self.peek() == Some('@');
        if splice {
            self.next();
        }
        // `#? (:clj ...)`: Clojure's reader allows whitespace before the list.
        self.skip_whitespace();
        if self.peek() != Some('(') {
            return self.error(
                pos,
                "a reader conditional is a list: #?(:jank x :default y)",
            );
        }
        let at = self.pos();
        self.in_conditional += 1;
        let body = self.read_coll(at, ')', FormKind::List);
        self.in_conditional -= 1;
        let FormKind::List(items) = body?.into_kind() else {
            return self.error(pos, "a reader conditional is a list");
        };
        if items.len() % 2 != 0 {
            return self.error(
                pos,
                "a reader conditional needs an even number of forms: feature, form, ...",
            );
        }
        for pair in items.chunks(2) {
            let FormKind::Keyword { ns, name, .. } = &*pair[0].kind else {
                return self.error(
                    pair[0].pos,
                    "a reader conditional feature must be a keyword",
                );
            };
            if ns.is_empty() && FEATURES.contains(&name.as_str()) {
                let chosen = pair[1].clone();
                if let Some(tag) = unknown_tag_in(&chosen) {
                    return self.error(
                        chosen.pos,
                        format!("tagged literals (#{tag}) are not supported by the built-in jank compiler"),
                    );
                }
                if !splice {
                    return Ok(Conditional::One(chosen));
                }
                let at = chosen.pos;
                return match chosen.into_kind() {
                    FormKind::List(items) | FormKind::Vector(items) => {
                        Ok(Conditional::Splice(items))
                    }
                    _ => self.error(at, "#?@ needs a list or vector to splice"),
                };
            }
        }
        Ok(Conditional::Nothing)
    }

    /// A form that must be there (after a reader macro).
    fn read_required(&mut self, macro_pos: Pos, what: &str) -> Result<Option<Form>, ReadError> {
        match self.read_form()? {
            Some(form) => Ok(Some(form)),
            None => self.error(macro_pos, format!("EOF while reading: expected {what}")),
        }
    }

    fn read_nonblank(&mut self, pos: Pos) -> Result<Form, ReadError> {
        let Some(c) = self.peek() else {
            return self.error(pos, "EOF while reading");
        };
        match c {
            '(' => self.read_coll(pos, ')', FormKind::List),
            '[' => self.read_coll(pos, ']', FormKind::Vector),
            '{' => {
                let form = self.read_coll(pos, '}', FormKind::Map)?;
                if let FormKind::Map(items) = &*form.kind {
                    if items.len() % 2 != 0 {
                        return self.error(pos, "a map literal needs an even number of forms");
                    }
                    if let Some(key) = first_duplicate(items.iter().step_by(2)) {
                        return self.error(pos, format!("Duplicate key: {key}"));
                    }
                }
                Ok(form)
            }
            '"' => self.read_string(pos),
            '\\' => self.read_char(pos),
            '\'' => self.read_wrapped(pos, "quote"),
            '@' => self.read_wrapped_qualified(pos, "clojure.core", "deref"),
            '^' => self.read_meta(pos),
            '`' => self.read_wrapped(pos, SYNTAX_QUOTE),
            '~' if self.peek_at(1) == Some('@') => {
                self.next();
                self.read_wrapped_qualified(pos, "clojure.core", "unquote-splicing")
            }
            '~' => self.read_wrapped_qualified(pos, "clojure.core", "unquote"),
            '#' => self.read_dispatch(pos),
            _ => self.read_atom(pos),
        }
    }

    fn read_coll(
        &mut self,
        pos: Pos,
        close: char,
        make: fn(Vec<Form>) -> FormKind,
    ) -> Result<Form, ReadError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error(pos, format!("forms nested deeper than {MAX_DEPTH}"));
        }
        self.next();
        let mut items = Vec::new();
        loop {
            self.skip_whitespace();
            match self.peek() {
                None => {
                    return self.error(
                        pos,
                        format!("EOF while reading: this form was never closed with {close}"),
                    )
                }
                Some(c) if c == close => {
                    self.next();
                    break;
                }
                Some(c @ (')' | ']' | '}')) => {
                    let at = self.pos();
                    return self.error(at, format!("unmatched delimiter: {c} (expected {close})"));
                }
                Some('#') if self.peek_at(1) == Some('_') => {
                    let at = self.pos();
                    self.next();
                    self.next();
                    if self.read_form_in_coll(at)?.is_none() {
                        return self.error(
                            at,
                            "#_ before the end of a collection has nothing to discard",
                        );
                    }
                }
                Some('#') if self.peek_at(1) == Some('?') => {
                    let at = self.pos();
                    match self.read_conditional(at)? {
                        Conditional::Nothing => {}
                        Conditional::One(form) => items.push(form),
                        Conditional::Splice(forms) => items.extend(forms),
                    }
                }
                Some(_) => {
                    let at = self.pos();
                    items.push(self.read_nonblank(at)?);
                }
            }
        }
        self.depth -= 1;
        Ok(Form::new(make(items), pos))
    }

    /// Inside a collection, a discarded form must not be the closing delimiter.
    fn read_form_in_coll(&mut self, at: Pos) -> Result<Option<Form>, ReadError> {
        self.skip_whitespace();
        match self.peek() {
            None => self.error(at, "EOF while reading"),
            Some(')' | ']' | '}') => Ok(None),
            // `#_#_ a b` discards two forms.
            Some('#') if self.peek_at(1) == Some('_') => {
                let inner = self.pos();
                self.next();
                self.next();
                if self.read_form_in_coll(inner)?.is_none() {
                    return self.error(
                        inner,
                        "#_ before the end of a collection has nothing to discard",
                    );
                }
                self.read_form_in_coll(at)
            }
            // `#_ #?(:clj x)` discards the branch read; when none is, the
            // form after it, as Clojure's reader does.
            Some('#') if self.peek_at(1) == Some('?') => {
                let inner = self.pos();
                match self.read_conditional(inner)? {
                    Conditional::Nothing => self.read_form_in_coll(at),
                    Conditional::One(form) => Ok(Some(form)),
                    Conditional::Splice(forms) => Ok(Some(Form::list(forms, inner))),
                }
            }
            Some(_) => {
                let pos = self.pos();
                self.read_nonblank(pos).map(Some)
            }
        }
    }

    fn read_wrapped_qualified(
        &mut self,
        pos: Pos,
        ns: &str,
        name: &str,
    ) -> Result<Form, ReadError> {
        let mut form = self.read_wrapped(pos, name)?;
        if let FormKind::List(items) = form.kind_mut() {
            items[0] = Form::qualified_symbol(ns, name, pos);
        }
        Ok(form)
    }

    fn read_wrapped(&mut self, pos: Pos, wrapper: &str) -> Result<Form, ReadError> {
        self.next();
        let inner = self
            .read_required(pos, &format!("a form after {wrapper}"))?
            .unwrap_or_else(|| Form::new(FormKind::Nil, pos));
        Ok(Form::new(
            FormKind::List(vec![Form::symbol(wrapper, pos), inner]),
            pos,
        ))
    }

    fn read_meta(&mut self, pos: Pos) -> Result<Form, ReadError> {
        self.next();
        let meta = self
            .read_required(pos, "metadata after ^")?
            .unwrap_or_else(|| Form::new(FormKind::Nil, pos));
        let meta = match *meta.kind {
            FormKind::Map(_) => meta,
            FormKind::Keyword { .. } => Form::new(
                FormKind::Map(vec![
                    meta.clone(),
                    Form::new(FormKind::Bool(true), meta.pos),
                ]),
                meta.pos,
            ),
            FormKind::Symbol { .. } | FormKind::Str(_) => Form::new(
                FormKind::Map(vec![
                    Form::new(
                        FormKind::Keyword {
                            ns: String::new(),
                            name: "tag".into(),
                            auto: false,
                        },
                        meta.pos,
                    ),
                    meta.clone(),
                ]),
                meta.pos,
            ),
            _ => {
                return self.error(
                    meta.pos,
                    "metadata must be a map, keyword, symbol or string",
                )
            }
        };
        let target_pos = self.pos();
        let mut target = self
            .read_required(pos, "a form after its metadata")?
            .unwrap_or_else(|| Form::new(FormKind::Nil, target_pos));
        // `^:a ^{:b 1} x`: the inner metadata, then the outer's entries over it.
        let meta = match (target.meta.as_deref(), &*meta.kind) {
            (Some(inner), FormKind::Map(outer)) => match &*inner.kind {
                FormKind::Map(items) => {
                    let mut merged = items.clone();
                    for entry in outer.chunks(2) {
                        let key = crate::form::pr_str(&entry[0]);
                        match merged
                            .chunks(2)
                            .position(|kv| crate::form::pr_str(&kv[0]) == key)
                        {
                            Some(at) => merged[2 * at + 1] = entry[1].clone(),
                            None => merged.extend(entry.iter().cloned()),
                        }
                    }
                    Form::new(FormKind::Map(merged), meta.pos)
                }
                _ => meta,
            },
            _ => meta,
        };
        target.meta = Some(std::sync::Arc::new(meta));
        Ok(target)
    }

    fn read_dispatch(&mut self, pos: Pos) -> Result<Form, ReadError> {
        self.next();
        match self.peek() {
            // `#^`, the old spelling of `^` that Clojure still reads.
            Some('^') => self.read_meta(pos),
            Some('{') => {
                let set = self.read_coll(pos, '}', FormKind::Set)?;
                if let FormKind::Set(items) = &*set.kind {
                    if let Some(key) = first_duplicate(items.iter()) {
                        return self.error(pos, format!("Duplicate key: {key}"));
                    }
                }
                Ok(Form::new(set.into_kind(), pos))
            }
            Some('(') => {
                if self.in_anon_fn {
                    return self.error(pos, "Nested #()s are not allowed");
                }
                self.in_anon_fn = true;
                let body = self.read_coll(pos, ')', FormKind::List);
                self.in_anon_fn = false;
                super::anon_fn::expand(body?)
            }
            Some('\'') => self.read_wrapped(pos, "var"),
            Some('#') => {
                self.next();
                let symbol = self.read_atom(self.pos())?;
                match symbol.as_simple_symbol() {
                    Some("Inf") => Ok(Form::new(FormKind::Float(f64::INFINITY), pos)),
                    Some("-Inf") => Ok(Form::new(FormKind::Float(f64::NEG_INFINITY), pos)),
                    Some("NaN") => Ok(Form::new(FormKind::Float(f64::NAN), pos)),
                    _ => self.error(
                        pos,
                        "unknown symbolic value: expected ##Inf, ##-Inf or ##NaN",
                    ),
                }
            }
            Some('"') => self.read_regex(pos),
            Some(':') => self.read_namespaced_map(pos),
            // `#/(List? double)`: ClojureDart's tag `/`, which Clojure's
            // reader reads (and skips) in a branch of another platform.
            Some(c) if c.is_alphabetic() || c == '/' => {
                let tag = self.read_atom(self.pos())?;
                match tag.as_simple_symbol() {
                    Some("inst") => return self.read_tagged(LiteralTag::Inst, pos),
                    Some("uuid") => return self.read_tagged(LiteralTag::Uuid, pos),
                    _ => {}
                }
                if let Some(form) = self.read_record_literal(&tag, pos)? {
                    return Ok(form);
                }
                if self.in_conditional > 0 {
                    let value = self
                        .read_required(pos, "a form after its tag")?
                        .unwrap_or_else(Form::nil);
                    return Ok(Form::list(
                        vec![
                            Form::qualified_symbol(UNKNOWN_TAG_NS, UNKNOWN_TAG, pos),
                            Form::value(FormKind::Str(crate::form::pr_str(&tag))),
                            value,
                        ],
                        pos,
                    ));
                }
                self.error(
                    pos,
                    format!(
                        "tagged literals (#{tag}) are not supported by the built-in jank compiler"
                    ),
                )
            }
            Some(c) => self.error(pos, format!("unsupported reader macro #{c}")),
            None => self.error(pos, "EOF while reading a # reader macro"),
        }
    }

    /// `#my.ns.Point{:x 1}` and `#my.ns.Point[1 2]`: a record, by its class
    /// name, from a map of its fields or their values in order. Its fields
    /// are read, not evaluated, as Clojure's reader gives them; the record is
    /// made when the code runs, where Clojure's reader makes it at once.
    fn read_record_literal(&mut self, tag: &Form, pos: Pos) -> Result<Option<Form>, ReadError> {
        let FormKind::Symbol { ns, name } = &*tag.kind else {
            return Ok(None);
        };
        let maker = match self.peek() {
            Some('{') => "map->record*",
            Some('[') => "make-record*",
            _ => return Ok(None),
        };
        if !ns.is_empty() || !name.contains('.') {
            return Ok(None);
        }
        let fields = self
            .read_required(pos, "a record's fields after its class name")?
            .unwrap_or_else(Form::nil);
        Ok(Some(Form::list(
            vec![
                Form::qualified_symbol("clojure.core", maker, pos),
                tag.clone(),
                quoted_keeping_records(fields),
            ],
            pos,
        )))
    }

    /// `#inst "…"` and `#uuid "…"`: a value, checked and in its canonical
    /// text (see [`crate::tagged`]); the page makes it with the tag's maker.
    fn read_tagged(&mut self, tag: LiteralTag, pos: Pos) -> Result<Form, ReadError> {
        let text = self.read_required(pos, &format!("a string after #{}", tag.name()))?;
        let canonical = match text.as_ref().map(|t| &*t.kind) {
            Some(FormKind::Str(s)) => tag.canonical(s),
            _ => None,
        };
        match canonical {
            Some(text) => Ok(Form::new(FormKind::Tagged { tag, text }, pos)),
            None => self.error(
                pos,
                match tag {
                    LiteralTag::Inst => "#inst expects an RFC 3339 timestamp, as #inst \"2025-09-01T20:47:03.713-00:00\"",
                    LiteralTag::Uuid => "#uuid expects a UUID's text, as #uuid \"00000000-0000-0000-0000-000000000000\"",
                    LiteralTag::Ratio => "a ratio is written n/d, with no tag",
                },
            ),
        }
    }

    /// `#"…"`: the pattern text as written; only `\"` is unescaped.
    fn read_regex(&mut self, pos: Pos) -> Result<Form, ReadError> {
        self.next();
        let mut pattern = String::new();
        loop {
            match self.next() {
                None => return self.error(pos, "EOF while reading a regex"),
                Some('"') => break,
                // A backslash keeps the character after it, both kept as
                // written (Clojure's `(str #"a\"b")` is `a\"b`).
                Some('\\') => match self.next() {
                    None => return self.error(pos, "EOF while reading a regex"),
                    Some(c) => {
                        pattern.push('\\');
                        pattern.push(c);
                    }
                },
                Some(c) => pattern.push(c),
            }
        }
        Ok(Form::new(FormKind::Regex(pattern), pos))
    }

    /// `#:ns{:a 1}`: unqualified keyword (and symbol) keys take the namespace;
    /// `:_/k` stays unqualified. `#::{:a 1}` and `#::alias{:a 1}` make them
    /// auto-resolved (`::a`, `::alias/a`), resolved where the map is analyzed.
    fn read_namespaced_map(&mut self, pos: Pos) -> Result<Form, ReadError> {
        let (ns, auto) = if self.peek_at(1) == Some(':') {
            self.next();
            self.next();
            let mut alias = String::new();
            while let Some(c) = self
                .peek()
                .filter(|c| *c != '{' && !c.is_whitespace() && *c != ',')
            {
                alias.push(c);
                self.next();
            }
            (alias, true)
        } else {
            let prefix = self.read_atom(self.pos())?;
            match &*prefix.kind {
                FormKind::Keyword {
                    ns,
                    name,
                    auto: false,
                } if ns.is_empty() => (name.clone(), false),
                _ => {
                    return self.error(
                        pos,
                        "a namespaced map is #:ns{...} with a plain namespace name",
                    )
                }
            }
        };
        self.skip_whitespace();
        if self.peek() != Some('{') {
            return self.error(pos, "a namespaced map needs a map after #:ns");
        }
        let at = self.pos();
        let map = self.read_nonblank(at)?;
        let FormKind::Map(mut items) = map.into_kind() else {
            return self.error(pos, "a namespaced map needs a map after #:ns");
        };
        for key in items.iter_mut().step_by(2) {
            match key.kind_mut() {
                FormKind::Keyword {
                    ns: key_ns,
                    auto: key_auto @ false,
                    ..
                } => {
                    if key_ns.is_empty() {
                        key_ns.clone_from(&ns);
                        *key_auto = auto;
                    } else if key_ns == "_" {
                        key_ns.clear();
                    }
                }
                FormKind::Symbol { ns: key_ns, .. } if !auto => {
                    if key_ns.is_empty() {
                        key_ns.clone_from(&ns);
                    } else if key_ns == "_" {
                        key_ns.clear();
                    }
                }
                _ => {}
            }
        }
        Ok(Form::new(FormKind::Map(items), pos))
    }

    fn read_string(&mut self, pos: Pos) -> Result<Form, ReadError> {
        self.next();
        let mut out = String::new();
        loop {
            let at = self.pos();
            match self.next() {
                None => return self.error(pos, "EOF while reading a string"),
                Some('"') => break,
                Some('\\') => {
                    let escaped = match self.next() {
                        Some('n') => '\n',
                        Some('t') => '\t',
                        Some('r') => '\r',
                        Some('b') => '\u{8}',
                        Some('f') => '\u{c}',
                        // \0 to \377: an octal escape of up to three digits,
                        // ended early only by white space or a macro
                        // character, as Clojure reads one ("a\0b" is an error).
                        Some(first @ '0'..='9') => {
                            let digit = |c: char| c.to_digit(8);
                            let Some(mut code) = digit(first) else {
                                return self.error(at, format!("Invalid digit: {first}"));
                            };
                            for _ in 1..3 {
                                match self.peek() {
                                    None => break,
                                    Some(c)
                                        if c.is_whitespace()
                                            || "\";'@^`~()[]{}\\%#".contains(c) =>
                                    {
                                        break
                                    }
                                    Some(c) => match digit(c) {
                                        Some(d) => {
                                            self.next();
                                            code = code * 8 + d;
                                        }
                                        None => {
                                            return self.error(at, format!("Invalid digit: {c}"))
                                        }
                                    },
                                }
                            }
                            if code > 0o377 {
                                return self
                                    .error(at, "Octal escape sequence must be in range [0, 377].");
                            }
                            char::from_u32(code).unwrap_or('\0')
                        }
                        Some('"') => '"',
                        Some('\\') => '\\',
                        Some('u') => self.read_string_unicode(at)?,
                        Some(c) => {
                            return self.error(at, format!("unsupported escape character: \\{c}"))
                        }
                        None => return self.error(pos, "EOF while reading a string"),
                    };
                    out.push(escaped);
                }
                Some(c) => out.push(c),
            }
        }
        Ok(Form::new(FormKind::Str(out), pos))
    }

    /// The four hex digits after `\u`: one UTF-16 code unit.
    fn read_code_unit(&mut self, at: Pos) -> Result<u32, ReadError> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = self.next().and_then(|c| c.to_digit(16));
            match digit {
                Some(d) => code = code * 16 + d,
                None => return self.error(at, "\\u needs exactly four hex digits"),
            }
        }
        Ok(code)
    }

    /// A `\u` escape in a string: a surrogate pair written as two escapes
    /// (`"\ud83d\ude00"`, as Java source writes a character past the BMP)
    /// is the one character they encode.
    fn read_string_unicode(&mut self, at: Pos) -> Result<char, ReadError> {
        let code = self.read_code_unit(at)?;
        if (0xD800..0xDC00).contains(&code)
            && self.peek() == Some('\\')
            && self.peek_at(1) == Some('u')
        {
            self.next();
            self.next();
            let low = self.read_code_unit(at)?;
            if (0xDC00..0xE000).contains(&low) {
                let combined = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                if let Some(c) = char::from_u32(combined) {
                    return Ok(c);
                }
            }
        }
        char::from_u32(code).map_or_else(
            || {
                self.error(
                    at,
                    format!("invalid character \\u{code:04x} (a lone surrogate: the page's strings are UTF-8)"),
                )
            },
            Ok,
        )
    }

    fn read_char(&mut self, pos: Pos) -> Result<Form, ReadError> {
        self.next();
        let Some(first) = self.next() else {
            return self.error(pos, "EOF while reading a character");
        };
        let mut token = String::from(first);
        while let Some(c) = self.peek() {
            if is_delimiter(c) {
                break;
            }
            token.push(c);
            self.next();
        }
        let c = match token.as_str() {
            "newline" => '\n',
            "space" => ' ',
            "tab" => '\t',
            "return" => '\r',
            "backspace" => '\u{8}',
            "formfeed" => '\u{c}',
            "nul" | "null" => '\0',
            t if t.chars().count() == 1 => first,
            t if t.starts_with('o') && (2..=4).contains(&t.len()) => {
                match u32::from_str_radix(&t[1..], 8)
                    .ok()
                    .filter(|c| *c <= 0o377)
                    .and_then(char::from_u32)
                {
                    Some(c) => c,
                    None => {
                        return self.error(
                            pos,
                            format!("invalid octal character literal \\{t}: at most \\o377"),
                        )
                    }
                }
            }
            t if t.starts_with('u') && t.len() == 5 => {
                match u32::from_str_radix(&t[1..], 16)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(c) => c,
                    None => return self.error(pos, format!("invalid character literal \\{t}")),
                }
            }
            t => return self.error(pos, format!("unsupported character: \\{t}")),
        };
        Ok(Form::new(FormKind::Char(c), pos))
    }

    fn read_atom(&mut self, pos: Pos) -> Result<Form, ReadError> {
        let mut token = String::new();
        while let Some(c) = self.peek() {
            if is_delimiter(c) {
                break;
            }
            if c == '#' && token.is_empty() {
                return self.error(pos, "unexpected #");
            }
            token.push(c);
            self.next();
        }
        if token.is_empty() {
            return self.error(pos, "expected a form");
        }
        parse_atom(&token)
            .map(|kind| Form::new(kind, pos))
            .map_err(|message| ReadError { pos, message })
    }
}

fn parse_atom(token: &str) -> Result<FormKind, String> {
    match token {
        "nil" => return Ok(FormKind::Nil),
        "true" => return Ok(FormKind::Bool(true)),
        "false" => return Ok(FormKind::Bool(false)),
        _ => {}
    }
    let first = token.chars().next().unwrap_or(' ');
    let signed_digit =
        (first == '-' || first == '+') && token[1..].starts_with(|c: char| c.is_ascii_digit());
    if first.is_ascii_digit() || signed_digit {
        return parse_number(token);
    }
    if let Some(rest) = token.strip_prefix(':') {
        let (auto, rest) = match rest.strip_prefix(':') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        // `:/` is the keyword named `/`, as `/` is a symbol.
        let lone_slash = rest == "/" && !auto;
        if rest.is_empty() || rest.starts_with(':') || (rest.ends_with('/') && !lone_slash) {
            return Err(format!("invalid keyword: {token}"));
        }
        let (ns, name) = split_symbol(rest);
        return Ok(FormKind::Keyword { ns, name, auto });
    }
    if token.ends_with(':') && token.len() > 1 || token.contains("::") {
        return Err(format!("invalid symbol: {token}"));
    }
    let (ns, name) = split_symbol(token);
    if name.is_empty() || (!ns.is_empty() && token.starts_with('/')) {
        return Err(format!("invalid symbol: {token}"));
    }
    Ok(FormKind::Symbol { ns, name })
}

/// `ns/name`; a lone `/` is the division symbol.
fn split_symbol(token: &str) -> (String, String) {
    if token == "/" {
        return (String::new(), "/".into());
    }
    match token.find('/') {
        Some(at) if at > 0 => (token[..at].to_owned(), token[at + 1..].to_owned()),
        _ => (String::new(), token.to_owned()),
    }
}

/// `n/d` in lowest terms; an integer when the denominator divides out.
pub fn ratio(n: i64, d: i64) -> FormKind {
    fn gcd(a: i64, b: i64) -> i64 {
        if b == 0 {
            a.abs()
        } else {
            gcd(b, a % b)
        }
    }
    let g = gcd(n, d).max(1);
    let (mut n, mut d) = (n / g, d / g);
    if d < 0 {
        n = -n;
        d = -d;
    }
    if d == 1 {
        FormKind::Int(n)
    } else {
        FormKind::Ratio(n, d)
    }
}

/// A ratio past a long's range in lowest terms: an integer when the
/// denominator divides out, else its text for the page to read back.
fn big_ratio(n: num_bigint::BigInt, d: num_bigint::BigInt) -> FormKind {
    let mut a = n.magnitude().clone();
    let mut b = d.magnitude().clone();
    while b != num_bigint::BigUint::ZERO {
        let r = &a % &b;
        a = b;
        b = r;
    }
    let g = num_bigint::BigInt::from(a);
    let (n, d) = (n / &g, d / &g);
    if d == num_bigint::BigInt::from(1) {
        return match i64::try_from(&n) {
            Ok(small) => FormKind::Int(small),
            Err(_) => FormKind::BigInt(n),
        };
    }
    match (i64::try_from(&n), i64::try_from(&d)) {
        (Ok(n), Ok(d)) => ratio(n, d),
        _ => FormKind::Tagged {
            tag: LiteralTag::Ratio,
            text: format!("{n}/{d}"),
        },
    }
}

/// The digits of `1.5M`, `2M` or `1e3M` (sign and M taken off) as Java's
/// `new BigDecimal(text)` reads them: an unscaled integer and a scale.
fn big_decimal(body: &str, negative: bool) -> Option<FormKind> {
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], body[at + 1..].parse::<i64>().ok()?),
        None => (body, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude: num_bigint::BigInt = digits.parse().ok()?;
    let scale = i32::try_from(fraction.len() as i64 - exponent).ok()?;
    Some(FormKind::BigDecimal {
        unscaled: if negative { -magnitude } else { magnitude },
        scale,
    })
}

fn parse_number(token: &str) -> Result<FormKind, String> {
    let (negative, digits) = match token.as_bytes()[0] {
        b'-' => (true, &token[1..]),
        b'+' => (false, &token[1..]),
        _ => (false, token),
    };
    // An integer with an N suffix is a BigInt, as is one past a long's range.
    let (big, digits) = match digits.strip_suffix('N') {
        Some(rest) if !rest.contains(['.', '/']) => (true, rest),
        _ => (false, digits),
    };
    let integer = |radix: u32, body: &str| -> Result<FormKind, String> {
        if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
            return Err(format!("invalid number: {token}"));
        }
        let magnitude = num_bigint::BigInt::parse_bytes(body.as_bytes(), radix)
            .ok_or_else(|| format!("invalid number: {token}"))?;
        let value = if negative { -magnitude } else { magnitude };
        Ok(match i64::try_from(&value) {
            Ok(small) if !big => FormKind::Int(small),
            _ => FormKind::BigInt(value),
        })
    };
    if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        return integer(16, hex);
    }
    if let Some(at) = digits.find(['r', 'R']) {
        let radix: u32 = digits[..at]
            .parse()
            .map_err(|_| format!("invalid radix in {token}"))?;
        if !(2..=36).contains(&radix) {
            return Err(format!("radix out of range (2 to 36) in {token}"));
        }
        return integer(radix, &digits[at + 1..]);
    }
    if let Some((numerator, denominator)) = digits.split_once('/') {
        let parse = |part: &str| {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("invalid ratio: {token}"));
            }
            num_bigint::BigInt::parse_bytes(part.as_bytes(), 10)
                .ok_or_else(|| format!("invalid ratio: {token}"))
        };
        let (n, d) = (parse(numerator)?, parse(denominator)?);
        if d == num_bigint::BigInt::ZERO {
            return Err(format!("divide by zero in ratio literal: {token}"));
        }
        let n = if negative { -n } else { n };
        return Ok(match (i64::try_from(&n), i64::try_from(&d)) {
            (Ok(n), Ok(d)) => ratio(n, d),
            _ => big_ratio(n, d),
        });
    }
    if let Some(body) = digits.strip_suffix('M') {
        return big_decimal(body, negative).ok_or_else(|| format!("invalid number: {token}"));
    }
    if big && digits.contains(['e', 'E']) {
        return Err(format!("invalid number: {token}"));
    }
    if digits.contains(['.', 'e', 'E']) {
        return token
            .parse::<f64>()
            .map(FormKind::Float)
            .map_err(|_| format!("invalid number: {token}"));
    }
    if digits.len() > 1 && digits.starts_with('0') {
        return integer(8, &digits[1..]);
    }
    integer(10, digits)
}

/// The first form equal to an earlier one: Clojure's reader rejects a set
/// or map literal that repeats a key (`#{1 1}`, `{:a 1 :a 2}`).
fn first_duplicate<'a>(keys: impl Iterator<Item = &'a Form>) -> Option<&'a Form> {
    let mut seen: Vec<&Form> = Vec::new();
    for key in keys {
        if seen.contains(&key) {
            return Some(key);
        }
        seen.push(key);
    }
    None
}

/// A record literal's call, as [`Reader::read_record_literal`] writes it.
fn is_record_literal(form: &Form) -> bool {
    match &*form.kind {
        FormKind::List(items) => matches!(
            items.first().map(|head| &*head.kind),
            Some(FormKind::Symbol { ns, name })
                if ns == "clojure.core" && (name == "make-record*" || name == "map->record*")
        ),
        _ => false,
    }
}

fn holds_record_literal(form: &Form) -> bool {
    is_record_literal(form)
        || form
            .items()
            .is_some_and(|items| items.iter().any(holds_record_literal))
}

/// Code for `form` as read, unevaluated, but for the record literals nested
/// in it, which are made: `#my.R[#my.R[42]]` holds a record, as Clojure's
/// reader gives it, not the call that makes one.
fn quoted_keeping_records(form: Form) -> Form {
    if is_record_literal(&form) {
        return form;
    }
    let pos = form.pos;
    if !holds_record_literal(&form) {
        return Form::list(vec![Form::symbol("quote", pos), form], pos);
    }
    let rebuilt = |items: &[Form]| {
        items
            .iter()
            .cloned()
            .map(quoted_keeping_records)
            .collect::<Vec<_>>()
    };
    match &*form.kind {
        FormKind::Vector(items) => Form::new(FormKind::Vector(rebuilt(items)), pos),
        FormKind::Map(items) => Form::new(FormKind::Map(rebuilt(items)), pos),
        FormKind::Set(items) => Form::new(FormKind::Set(rebuilt(items)), pos),
        FormKind::List(items) => {
            let mut call = vec![Form::qualified_symbol("clojure.core", "list", pos)];
            call.extend(rebuilt(items));
            Form::list(call, pos)
        }
        _ => Form::list(vec![Form::symbol("quote", pos), form], pos),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> FormKind {
        let forms = read_all(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(forms.len(), 1, "{text}");
        (*forms[0].kind).clone()
    }

    fn err(text: &str) -> ReadError {
        read_all(text).expect_err(text)
    }

    fn sym(name: &str) -> FormKind {
        FormKind::Symbol {
            ns: String::new(),
            name: name.into(),
        }
    }

    #[test]
    fn scalars() {
        assert_eq!(one("nil"), FormKind::Nil);
        assert_eq!(one("true"), FormKind::Bool(true));
        assert_eq!(one("42"), FormKind::Int(42));
        assert_eq!(one("-42"), FormKind::Int(-42));
        assert_eq!(one("+7"), FormKind::Int(7));
        assert_eq!(one("0x1F"), FormKind::Int(31));
        assert_eq!(one("2r1010"), FormKind::Int(10));
        assert_eq!(one("36rZZ"), FormKind::Int(1295));
        assert_eq!(one("017"), FormKind::Int(15));
        assert_eq!(one("-9223372036854775808"), FormKind::Int(i64::MIN));
        let big = |text: &str| FormKind::BigInt(text.parse().expect("a big integer"));
        assert_eq!(one("99999999999999999999"), big("99999999999999999999"));
        assert_eq!(one("-9223372036854775809"), big("-9223372036854775809"));
        assert_eq!(one("7N"), big("7"));
        assert_eq!(one("0x1FN"), big("31"));
        assert_eq!(one("017N"), big("15"));
        assert_eq!(one("36rZZZZZZZZZZZZZZZZ"), big("7958661109946400884391935"));
        let decimal = |unscaled: i64, scale: i32| FormKind::BigDecimal {
            unscaled: unscaled.into(),
            scale,
        };
        assert_eq!(one("1.50M"), decimal(150, 2));
        assert_eq!(one("-2M"), decimal(-2, 0));
        assert_eq!(one("1e3M"), decimal(1, -3));
        assert_eq!(one("017M"), decimal(17, 0));
        assert_eq!(crate::form::decimal_text(&150.into(), 2), "1.50");
        assert_eq!(crate::form::decimal_text(&1.into(), -3), "1E+3");
        assert_eq!(crate::form::decimal_text(&(-12).into(), 8), "-1.2E-7");
        assert_eq!(crate::form::decimal_text(&5.into(), 6), "0.000005");
        assert_eq!(one("1.5"), FormKind::Float(1.5));
        assert_eq!(one("-2e3"), FormKind::Float(-2000.0));
        assert_eq!(one("##Inf"), FormKind::Float(f64::INFINITY));
        assert_eq!(one(r#""a\"b\n\u00e9""#), FormKind::Str("a\"b\né".into()));
        assert_eq!(one(r"\a"), FormKind::Char('a'));
        assert_eq!(one(r"\newline"), FormKind::Char('\n'));
        assert_eq!(one(r"\u0041"), FormKind::Char('A'));
    }

    #[test]
    fn symbols_and_keywords() {
        assert_eq!(one("foo-bar?"), sym("foo-bar?"));
        assert_eq!(one("/"), sym("/"));
        assert_eq!(
            one("clojure.core/+"),
            FormKind::Symbol {
                ns: "clojure.core".into(),
                name: "+".into()
            }
        );
        assert_eq!(
            one(":a/b"),
            FormKind::Keyword {
                ns: "a".into(),
                name: "b".into(),
                auto: false
            }
        );
        assert_eq!(
            one("::k"),
            FormKind::Keyword {
                ns: String::new(),
                name: "k".into(),
                auto: true
            }
        );
    }

    #[test]
    fn uuid_literals_are_values_and_checked() {
        assert!(matches!(
            one(r#"#uuid "0E4B3B7E-1d2c-4c1a-9f3e-2a1b3c4d5e6f""#),
            FormKind::Tagged { tag: LiteralTag::Uuid, text } if text == "0e4b3b7e-1d2c-4c1a-9f3e-2a1b3c4d5e6f"
        ));
        assert!(err(r#"#uuid "not-a-uuid""#)
            .message
            .contains("#uuid expects a UUID"));
        assert!(err("#uuid 5").message.contains("#uuid expects a UUID"));
    }

    #[test]
    fn inst_literals_are_values_and_checked() {
        for text in [
            "2025",
            "2025-09",
            "2025-09-01",
            "2025-09-01T20:47",
            "2025-09-01T20:47:03.713-00:00",
            "2024-02-29T23:59:59.123456789Z",
            "2025-09-01T20:47:03+05:30",
        ] {
            assert!(
                matches!(
                    one(&format!("#inst \"{text}\"")),
                    FormKind::Tagged {
                        tag: LiteralTag::Inst,
                        ..
                    }
                ),
                "{text}"
            );
        }
        for bad in [
            "",
            "25-09-01",
            "2025-13-01",
            "2025-02-29",
            "2025-09-01T24:00",
            "2025-09-01T20:47.5",
            "2025-09-01X",
            "2025-09-01T20:47:03+0530",
        ] {
            assert!(
                err(&format!("#inst \"{bad}\""))
                    .message
                    .contains("#inst expects an RFC 3339 timestamp"),
                "{bad}"
            );
        }
        assert!(err("#inst 5").message.contains("#inst expects"));
    }

    #[test]
    fn a_quote_inside_a_symbol_is_part_of_it() {
        assert_eq!(one("+'"), sym("+'"));
        assert_eq!(one("inc'"), sym("inc'"));
        assert_eq!(one("a'b"), sym("a'b"));
        let forms = read_all("(+' x 'y)").expect("read");
        let FormKind::List(items) = &*forms[0].kind else {
            panic!("not a list: {:?}", forms[0].kind);
        };
        assert_eq!(*items[0].kind, sym("+'"));
        assert_eq!(*items[1].kind, sym("x"));
        assert!(matches!(&*items[2].kind, FormKind::List(quoted) if quoted.len() == 2));
    }

    #[test]
    fn collections_and_reader_macros() {
        assert!(matches!(one("(a [b {c d} #{e}])"), FormKind::List(items) if items.len() == 2));
        assert_eq!(
            one("'x"),
            FormKind::List(vec![
                Form::symbol("quote", Pos { line: 1, column: 1 }),
                Form::new(sym("x"), Pos { line: 1, column: 2 })
            ])
        );
        assert!(
            matches!(one("@a"), FormKind::List(items) if matches!(&*items[0].kind, FormKind::Symbol { ns, name } if ns == "clojure.core" && name == "deref"))
        );
        assert!(
            matches!(one("#'a"), FormKind::List(items) if items[0].as_simple_symbol() == Some("var"))
        );
        assert_eq!(read_all("1 #_ 2 3").expect("read").len(), 2);
        assert!(matches!(one("[1 #_2]"), FormKind::Vector(items) if items.len() == 1));
        assert!(matches!(one("[1 #_ #?(:jank 2) 3]"), FormKind::Vector(items) if items.len() == 2));
        assert!(
            matches!(one("[1 #_ #?(:cljs 2) 3 4]"), FormKind::Vector(items) if items.len() == 2)
        );
        let meta = read_all("^:private foo").expect("read");
        assert!(meta[0].meta.is_some());
        assert_eq!(read_all("; just a comment\n  ").expect("read").len(), 0);
    }

    #[test]
    fn positions() {
        let forms = read_all("(a\n  (b c))").expect("read");
        let FormKind::List(items) = &*forms[0].kind else {
            panic!()
        };
        assert_eq!(items[1].pos, Pos { line: 2, column: 3 });
    }

    #[test]
    fn ratios_are_read_in_lowest_terms() {
        assert_eq!(one("1/2"), FormKind::Ratio(1, 2));
        assert_eq!(one("-2/4"), FormKind::Ratio(-1, 2));
        assert_eq!(one("4/2"), FormKind::Int(2));
    }

    #[test]
    fn regex_literals_keep_their_text() {
        assert_eq!(one(r#"#"a\d+\"b""#), FormKind::Regex(r#"a\d+\"b"#.into()));
    }

    #[test]
    fn reader_conditionals_pick_jank_then_default() {
        assert_eq!(one("#?(:clj 1 :jank 2 :default 3)"), FormKind::Int(2));
        assert_eq!(one("#?(:clj 1 :default 3)"), FormKind::Int(3));
        assert_eq!(read_all("#?(:clj 1) 5").map(|f| f.len()), Ok(1));
        assert_eq!(
            one("[0 #?@(:jank [1 2] :clj [3]) 4]"),
            FormKind::Vector(
                [0, 1, 2, 4]
                    .iter()
                    .map(|i| Form::new(FormKind::Int(*i), Pos::default()))
                    .collect()
            )
        );
        assert_eq!(one("(#?(:cljs 1))"), FormKind::List(Vec::new()));
        assert_eq!(one("#? (:clj 1 :jank 2)"), FormKind::Int(2));
    }

    #[test]
    fn namespaced_maps_qualify_their_keys() {
        let FormKind::Map(items) = one("#:person{:name 1 :_/raw 2 :other/x 3}") else {
            panic!("not a map");
        };
        let keys: Vec<String> = items.iter().step_by(2).map(crate::form::pr_str).collect();
        assert_eq!(keys, [":person/name", ":raw", ":other/x"]);
    }

    #[test]
    fn syntax_quote_and_unquote_read_as_forms() {
        assert_eq!(
            crate::form::pr_str(&read_all("`(a ~b ~@c)").unwrap()[0]),
            "(syntax-quote (a (clojure.core/unquote b) (clojure.core/unquote-splicing c)))"
        );
    }

    #[test]
    fn character_names() {
        assert_eq!(one(r"\space"), FormKind::Char(' '));
        assert_eq!(one(r"\tab"), FormKind::Char('\t'));
        assert_eq!(one(r"\o101"), FormKind::Char('A'));
        assert_eq!(one(r"\u00e9"), FormKind::Char('é'));
    }

    #[test]
    fn errors_carry_positions() {
        let e = err("(defn f [x]\n  (+ x 1)");
        assert_eq!(e.pos, Pos { line: 1, column: 1 });
        assert!(e.message.contains("never closed with )"), "{e}");
        let e = err("(a))");
        assert_eq!((e.pos.line, e.pos.column), (1, 4));
        assert!(e.message.contains("unmatched delimiter"));
        assert!(err("1.5.2M").message.contains("invalid number"));
        assert!(err("1e5N").message.contains("invalid number"));
        assert!(err("\"abc").message.contains("EOF while reading a string"));
        assert!(err(r#""\q""#).message.contains("unsupported escape"));
        assert!(err("{:a}").message.contains("even number"));
        assert_eq!(err("#{1 2 1}").message, "Duplicate key: 1");
        assert_eq!(err("{:a 1 :b 2 :a 3}").message, "Duplicate key: :a");
        assert_eq!(err("#{[1 (f)] [1 (f)]}").message, "Duplicate key: [1 (f)]");
        assert!(err("1/0").message.contains("divide by zero"));
        assert!(err("3r9").message.contains("invalid number"));
        assert!(err("#?(:clj)").message.contains("even number"));
        assert!(err("#?@(:jank [1])").message.contains("top level"));
        assert!(err("[#?@(:jank 1)]")
            .message
            .contains("list or vector to splice"));
        assert!(err("#point [1 2]")
            .message
            .contains("tagged literals (#point)"));
        assert!(err("#\"abc").message.contains("EOF while reading a regex"));
        assert!(err(r"\o400").message.contains("octal"));
        assert!(err(":").message.contains("invalid keyword"));
        assert!(err("(#_)").message.contains("nothing to discard"));
        assert!(err(&"(".repeat(2000)).message.contains("nested deeper"));
    }
}
