//! The reader: jank/Clojure text to forms, each with its position.
//!
//! Every error carries a line, a column and a message, and no input makes it
//! panic (see the property test). Nesting is bounded so that hostile input
//! cannot overflow the stack.

use std::fmt;

/// 1-based line and column of a form's first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Char(char),
    /// `ns` is empty when unqualified; `auto` keywords are resolved by the analyzer.
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
    Map(Vec<Form>),
    Set(Vec<Form>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub pos: Pos,
    /// `^meta` read before the form, kept as a map form.
    pub meta: Option<Box<Form>>,
}

impl Form {
    pub fn new(kind: FormKind, pos: Pos) -> Self {
        Self {
            kind,
            pos,
            meta: None,
        }
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

    /// The name of an unqualified symbol.
    pub fn as_simple_symbol(&self) -> Option<&str> {
        match &self.kind {
            FormKind::Symbol { ns, name } if ns.is_empty() => Some(name),
            _ => None,
        }
    }
}

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
    Ok(read_top_level(text)?
        .into_iter()
        .map(|(form, _)| form)
        .collect())
}

/// Every top-level form with the byte range of its text in `text`.
pub fn read_top_level(text: &str) -> Result<Vec<(Form, std::ops::Range<usize>)>, ReadError> {
    let chars: Vec<char> = text.chars().collect();
    let mut byte_at = Vec::with_capacity(chars.len() + 1);
    let mut offset = 0;
    for c in &chars {
        byte_at.push(offset);
        offset += c.len_utf8();
    }
    byte_at.push(offset);
    let mut reader = Reader {
        chars,
        at: 0,
        line: 1,
        column: 1,
        depth: 0,
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

struct Reader {
    chars: Vec<char>,
    at: usize,
    line: u32,
    column: u32,
    depth: usize,
}

fn is_delimiter(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '(' | ')' | '[' | ']' | '{' | '}' | '"' | ';' | ',' | '@' | '^' | '`' | '~' | '\''
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
                _ => return self.read_nonblank(pos).map(Some),
            }
        }
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
                if let FormKind::Map(items) = &form.kind {
                    if items.len() % 2 != 0 {
                        return self.error(pos, "a map literal needs an even number of forms");
                    }
                }
                Ok(form)
            }
            '"' => self.read_string(pos),
            '\\' => self.read_char(pos),
            '\'' => self.read_wrapped(pos, "quote"),
            '@' => self.read_wrapped(pos, "deref"),
            '^' => self.read_meta(pos),
            '`' | '~' => self.error(
                pos,
                format!("syntax quote and unquote ({c}) are not supported"),
            ),
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
            Some(_) => {
                let pos = self.pos();
                self.read_nonblank(pos).map(Some)
            }
        }
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
        let meta = match meta.kind {
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
        target.meta = Some(Box::new(meta));
        Ok(target)
    }

    fn read_dispatch(&mut self, pos: Pos) -> Result<Form, ReadError> {
        self.next();
        match self.peek() {
            Some('{') => {
                let set = self.read_coll(pos, '}', FormKind::Set)?;
                Ok(Form::new(set.kind, pos))
            }
            Some('(') => {
                let body = self.read_coll(pos, ')', FormKind::List)?;
                super::anon_fn::expand(body)
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
            Some('"') => self.error(pos, "regex literals (#\"…\") are not supported"),
            Some(c) => self.error(pos, format!("unsupported reader macro #{c}")),
            None => self.error(pos, "EOF while reading a # reader macro"),
        }
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
                        Some('0') => '\0',
                        Some('"') => '"',
                        Some('\\') => '\\',
                        Some('u') => self.read_unicode_escape(at)?,
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

    fn read_unicode_escape(&mut self, at: Pos) -> Result<char, ReadError> {
        let mut code = 0u32;
        for _ in 0..4 {
            let digit = self.next().and_then(|c| c.to_digit(16));
            match digit {
                Some(d) => code = code * 16 + d,
                None => return self.error(at, "\\u needs exactly four hex digits"),
            }
        }
        char::from_u32(code).map_or_else(
            || self.error(at, format!("invalid character \\u{code:04x}")),
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
            t if t.chars().count() == 1 => first,
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
            if is_delimiter(c) && !(token.is_empty() && c == '\'') {
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
        if rest.is_empty() || rest.starts_with(':') || rest.ends_with('/') {
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

fn parse_number(token: &str) -> Result<FormKind, String> {
    let (negative, digits) = match token.as_bytes()[0] {
        b'-' => (true, &token[1..]),
        b'+' => (false, &token[1..]),
        _ => (false, token),
    };
    let out_of_range = || format!("integer literal out of range for a 64-bit integer: {token}");
    let integer = |radix: u32, body: &str| -> Result<FormKind, String> {
        if body.is_empty() {
            return Err(format!("invalid number: {token}"));
        }
        let magnitude = u64::from_str_radix(body, radix).map_err(|e| match e.kind() {
            std::num::IntErrorKind::PosOverflow => out_of_range(),
            _ => format!("invalid number: {token}"),
        })?;
        let value = if negative {
            if magnitude > i64::MAX as u64 + 1 {
                return Err(out_of_range());
            }
            (magnitude as i64).wrapping_neg()
        } else {
            i64::try_from(magnitude).map_err(|_| out_of_range())?
        };
        Ok(FormKind::Int(value))
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
    if digits.contains('/') {
        return Err(format!("ratio literals are not supported: {token}"));
    }
    if digits.ends_with('N') || digits.ends_with('M') {
        return Err(format!(
            "arbitrary-precision literals are not supported: {token}"
        ));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> FormKind {
        let forms = read_all(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(forms.len(), 1, "{text}");
        forms[0].kind.clone()
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
            matches!(one("@a"), FormKind::List(items) if items[0].as_simple_symbol() == Some("deref"))
        );
        assert!(
            matches!(one("#'a"), FormKind::List(items) if items[0].as_simple_symbol() == Some("var"))
        );
        assert_eq!(read_all("1 #_ 2 3").expect("read").len(), 2);
        assert!(matches!(one("[1 #_2]"), FormKind::Vector(items) if items.len() == 1));
        let meta = read_all("^:private foo").expect("read");
        assert!(meta[0].meta.is_some());
        assert_eq!(read_all("; just a comment\n  ").expect("read").len(), 0);
    }

    #[test]
    fn positions() {
        let forms = read_all("(a\n  (b c))").expect("read");
        let FormKind::List(items) = &forms[0].kind else {
            panic!()
        };
        assert_eq!(items[1].pos, Pos { line: 2, column: 3 });
    }

    #[test]
    fn errors_carry_positions() {
        let e = err("(defn f [x]\n  (+ x 1)");
        assert_eq!(e.pos, Pos { line: 1, column: 1 });
        assert!(e.message.contains("never closed with )"), "{e}");
        let e = err("(a))");
        assert_eq!((e.pos.line, e.pos.column), (1, 4));
        assert!(e.message.contains("unmatched delimiter"));
        assert!(err("99999999999999999999").message.contains("out of range"));
        assert!(err("\"abc").message.contains("EOF while reading a string"));
        assert!(err(r#""\q""#).message.contains("unsupported escape"));
        assert!(err("{:a}").message.contains("even number"));
        assert!(err("1/2").message.contains("ratio"));
        assert!(err("3r9").message.contains("invalid number"));
        assert!(err("#?(:clj 1)")
            .message
            .contains("unsupported reader macro"));
        assert!(err("`x").message.contains("syntax quote"));
        assert!(err(":").message.contains("invalid keyword"));
        assert!(err("(#_)").message.contains("nothing to discard"));
        assert!(err(&"(".repeat(2000)).message.contains("nested deeper"));
    }
}
