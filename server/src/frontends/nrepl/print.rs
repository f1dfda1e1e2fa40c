//! nREPL's print middleware, for the printed value an eval answers:
//! `nrepl.middleware.print/print` naming a pretty printer (CIDER's REPL and
//! Conjure ask for one by default) lays the value out as clojure.pprint does,
//! at the `right-margin` (or `width`) its `options` give; `length` and `level`
//! there cut it as `*print-length*` and `*print-level*` do; and `quota` cuts
//! the text at that many bytes, with the status that says so.
//!
//! The page prints the value; the layout works on that text, whose brackets,
//! strings and characters are read here with no need to know the values. A
//! text that does not read as printed data (a value cut for its size) is
//! answered as it is.

use serde_bencode::value::Value;

use super::bencode::{text, Message};

/// clojure.pprint's `*print-right-margin*`.
const DEFAULT_MARGIN: usize = 72;

/// What a request asks of the printed value.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct PrintOptions {
    /// The right margin of a pretty printer; None prints as `pr` does.
    pretty: Option<usize>,
    length: Option<usize>,
    level: Option<usize>,
    quota: Option<usize>,
}

impl PrintOptions {
    /// The request's `nrepl.middleware.print/*` fields.
    pub(super) fn of(request: &Message) -> Self {
        let options = match request.get("nrepl.middleware.print/options") {
            Some(Value::Dict(options)) => Some(options),
            _ => None,
        };
        let option = |key: &str| {
            options
                .and_then(|o| o.get(key.as_bytes()))
                .and_then(non_negative)
        };
        // cider.nrepl.pprint/pprint, clojure-pprint, fipp-pprint, …,
        // conjure.internal/pprint, zprint.core/zprint; cider.nrepl.pprint/pr
        // prints as pr does.
        let printer = text(request, "nrepl.middleware.print/print").unwrap_or_default();
        let name = printer.rsplit('/').next().unwrap_or_default();
        let is_pretty = name.contains("pprint") || name.contains("zprint");
        let pretty = is_pretty.then(|| {
            option("right-margin")
                .or_else(|| option("width"))
                .unwrap_or(DEFAULT_MARGIN)
        });
        Self {
            pretty,
            length: option("length").or_else(|| option("print-length")),
            level: option("level").or_else(|| option("print-level")),
            quota: request
                .get("nrepl.middleware.print/quota")
                .and_then(non_negative),
        }
    }

    /// `value` as asked; true when the quota cut it.
    pub(super) fn apply(&self, value: String) -> (String, bool) {
        let shaped = if self.pretty.is_some() || self.length.is_some() || self.level.is_some() {
            match read(&value) {
                Some(node) => {
                    let node = limit(node, self.length, self.level, 0);
                    match self.pretty {
                        Some(margin) => Layout::new(margin).run(&node),
                        None => flat(&node),
                    }
                }
                None => value,
            }
        } else {
            value
        };
        match self.quota {
            Some(quota) if shaped.len() > quota => {
                let mut end = quota;
                while !shaped.is_char_boundary(end) {
                    end -= 1;
                }
                (shaped[..end].to_owned(), true)
            }
            _ => (shaped, false),
        }
    }
}

fn non_negative(value: &Value) -> Option<usize> {
    match value {
        Value::Int(n) => usize::try_from(*n).ok(),
        Value::Bytes(b) => std::str::from_utf8(b).ok()?.trim().parse().ok(),
        _ => None,
    }
}

/// Printed data: an atom as it was printed, or a collection's items between
/// its brackets.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Atom(String),
    Coll {
        /// `[`, `(`, `{`, `#{`, or `#:ns{`.
        open: String,
        close: char,
        items: Vec<Node>,
    },
}

impl Node {
    fn is_map(&self) -> bool {
        matches!(self, Node::Coll { close: '}', open, .. } if !open.starts_with("#{"))
    }
}

/// How deeply collections may nest for the layout: deeper printed data is
/// answered as printed, so a value of a million nested vectors cannot
/// exhaust the server's stack.
const MAX_DEPTH: usize = 512;

/// Reads printed data; None when the text is not that, whole.
fn read(text: &str) -> Option<Node> {
    let mut reader = Reader {
        chars: text.char_indices().collect(),
        text,
        at: 0,
        depth: 0,
    };
    let node = reader.node()?;
    reader.skip_space();
    (reader.at == reader.chars.len()).then_some(node)
}

struct Reader<'a> {
    chars: Vec<(usize, char)>,
    text: &'a str,
    at: usize,
    /// Collections open around the reader now.
    depth: usize,
}

impl Reader<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).map(|&(_, c)| c)
    }

    fn offset(&self, at: usize) -> usize {
        self.chars.get(at).map_or(self.text.len(), |&(i, _)| i)
    }

    fn slice(&self, from: usize) -> String {
        self.text[self.offset(from)..self.offset(self.at)].to_owned()
    }

    fn skip_space(&mut self) {
        while self.peek(0).is_some_and(|c| c.is_whitespace() || c == ',') {
            self.at += 1;
        }
    }

    fn node(&mut self) -> Option<Node> {
        self.skip_space();
        let start = self.at;
        match (self.peek(0)?, self.peek(1)) {
            ('(', _) => self.coll(1, "(", ')'),
            ('[', _) => self.coll(1, "[", ']'),
            ('{', _) => self.coll(1, "{", '}'),
            ('#', Some('{')) => self.coll(2, "#{", '}'),
            // #:a{:b 1}, a map whose keys share the namespace a.
            ('#', Some(':')) => {
                while self.peek(0)? != '{' {
                    self.at += 1;
                }
                let open = format!("{}{{", self.slice(start));
                self.coll(1, &open, '}')
            }
            ('"', _) => {
                self.at += 1;
                self.string()?;
                Some(Node::Atom(self.slice(start)))
            }
            ('#', Some('"')) => {
                self.at += 2;
                self.string()?;
                Some(Node::Atom(self.slice(start)))
            }
            ('#', Some(c)) if c.is_alphabetic() => self.tagged(start),
            (')' | ']' | '}', _) => None,
            _ => {
                self.atom();
                Some(Node::Atom(self.slice(start)))
            }
        }
    }

    /// After an opening quote: through the closing one.
    fn string(&mut self) -> Option<()> {
        loop {
            match self.peek(0)? {
                '\\' => self.at += 2,
                '"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    /// A symbol, keyword, number or character: to the next delimiter.
    fn atom(&mut self) {
        if self.peek(0) == Some('\\') {
            // \( and \, are characters, not a bracket and a comma.
            self.at += 2;
        }
        while self.peek(0).is_some_and(|c| {
            !c.is_whitespace() && !matches!(c, ',' | '(' | ')' | '[' | ']' | '{' | '}' | '"')
        }) {
            self.at += 1;
        }
    }

    /// `#inst "…"`, `#object[…]`, `#error {…}`, `#user.R{…}`: a record is the
    /// map it is, as clojure.pprint lays it out; any other tagged value stays
    /// whole, as printed.
    fn tagged(&mut self, start: usize) -> Option<Node> {
        self.atom();
        let tag = self.slice(start);
        let is_record = tag[1..].contains('.') && self.peek(0) == Some('{');
        let tagged = self.node()?;
        if is_record {
            if let Node::Coll { items, .. } = tagged {
                return Some(Node::Coll {
                    open: "{".into(),
                    close: '}',
                    items,
                });
            }
        }
        Some(Node::Atom(self.slice(start)))
    }

    fn coll(&mut self, open_len: usize, open: &str, close: char) -> Option<Node> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        self.at += open_len;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.peek(0)? == close {
                self.at += 1;
                self.depth -= 1;
                return Some(Node::Coll {
                    open: open.to_owned(),
                    close,
                    items,
                });
            }
            items.push(self.node()?);
        }
    }
}

/// `*print-length*` and `*print-level*` on printed data: a collection past
/// the level is `#`, and one longer than the length ends in `...` (a map's
/// entries count as one each).
fn limit(node: Node, length: Option<usize>, level: Option<usize>, depth: usize) -> Node {
    let Node::Coll { open, close, items } = node else {
        return node;
    };
    if level.is_some_and(|level| depth >= level) {
        return Node::Atom("#".into());
    }
    let per_item = if open.ends_with('{') && !open.starts_with("#{") {
        2
    } else {
        1
    };
    let mut kept: Vec<Node> = Vec::new();
    let total = items.len() / per_item;
    for (i, item) in items.into_iter().enumerate() {
        if length.is_some_and(|length| i / per_item >= length) {
            break;
        }
        // A map entry's key and value are one level down, as the entry is.
        kept.push(limit(item, length, level, depth + 1));
    }
    if length.is_some_and(|length| total > length) {
        kept.push(Node::Atom("...".into()));
    }
    Node::Coll {
        open,
        close,
        items: kept,
    }
}

/// As `pr` prints it: items apart by a space, a map's entries by a comma.
fn flat(node: &Node) -> String {
    match node {
        Node::Atom(text) => text.clone(),
        Node::Coll { open, close, items } => {
            let mut out = open.clone();
            let pairs = node.is_map();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(if pairs && i % 2 == 0 { ", " } else { " " });
                }
                out.push_str(&flat(item));
            }
            out.push(*close);
            out
        }
    }
}

/// clojure.pprint's layout of data (its linear newlines): a collection that
/// does not fit in what is left of the line puts each item on a line of its
/// own, aligned after its opening bracket, and a map entry that does not fit
/// puts its value under its key. What must follow an item on its line counts
/// toward the fit: the brackets that close after the last item, and the
/// separator after the others. The runtime's pprint (runtime/src/printer.cpp)
/// lays out values the same way.
struct Layout {
    margin: usize,
    out: String,
    column: usize,
}

impl Layout {
    fn new(margin: usize) -> Self {
        Self {
            margin,
            out: String::new(),
            column: 0,
        }
    }

    fn run(mut self, node: &Node) -> String {
        self.node(node, 0);
        self.out
    }

    fn fits(&self, text: &str, trailing: usize) -> bool {
        !text.contains('\n') && self.column + text.chars().count() + trailing <= self.margin
    }

    fn write(&mut self, text: &str) {
        self.out.push_str(text);
        self.column = match text.rfind('\n') {
            Some(line) => text[line + 1..].chars().count(),
            None => self.column + text.chars().count(),
        };
    }

    fn newline(&mut self, indent: usize) {
        self.out.push('\n');
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.column = indent;
    }

    fn node(&mut self, node: &Node, trailing: usize) {
        let text = flat(node);
        let Node::Coll { open, close, items } = node else {
            self.write(&text);
            return;
        };
        if self.fits(&text, trailing) {
            self.write(&text);
            return;
        }
        self.write(open);
        let indent = self.column;
        let pairs = node.is_map();
        let step = if pairs { 2 } else { 1 };
        let count = items.len().div_ceil(step);
        for (i, chunk) in items.chunks(step).enumerate() {
            if i > 0 {
                if pairs {
                    self.write(",");
                }
                self.newline(indent);
            }
            let after = if i + 1 == count {
                trailing + 1
            } else if pairs {
                2
            } else {
                1
            };
            match chunk {
                [key, value] => self.entry(key, value, after),
                [item] | [item, ..] => self.node(item, after),
                [] => {}
            }
        }
        self.write(&close.to_string());
    }

    fn entry(&mut self, key: &Node, value: &Node, trailing: usize) {
        let start = self.column;
        let text = format!("{} {}", flat(key), flat(value));
        if self.fits(&text, trailing) {
            self.write(&text);
            return;
        }
        self.node(key, 0);
        self.newline(start);
        self.node(value, trailing);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(text: &str, margin: usize) -> String {
        let options = PrintOptions {
            pretty: Some(margin),
            ..PrintOptions::default()
        };
        options.apply(text.to_owned()).0
    }

    #[test]
    fn laid_out_as_clojure_pprint_lays_it_out() {
        // Each as JVM Clojure 1.11's clojure.pprint/pprint printed it.
        assert_eq!(
            pretty("{:name \"a long name here\", :items [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19], :nested {:deep {:deeper {:deepest (0 1 2 3 4 5 6 7)}}}, :flag true}", 72),
            "{:name \"a long name here\",\n :items [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19],\n :nested {:deep {:deeper {:deepest (0 1 2 3 4 5 6 7)}}},\n :flag true}"
        );
        assert_eq!(
            pretty("#:a{:b 1, :c [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24]}", 72),
            "#:a{:b 1,\n    :c\n    [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24]}"
        );
        assert_eq!(pretty("#user.R{:a 1, :b [1 2]}", 72), "{:a 1, :b [1 2]}");
        assert_eq!(pretty("[1 2 3]", 5), "[1\n 2\n 3]");
        assert_eq!(
            pretty("{\"string key\" \"a string value that is fairly long, long enough to wrap the line\", :k \\c, :n nil}", 72),
            "{\"string key\"\n \"a string value that is fairly long, long enough to wrap the line\",\n :k \\c,\n :n nil}"
        );
    }

    #[test]
    fn the_printer_is_known_by_its_name() {
        let printer = |name: &str| {
            let mut request = Message::new();
            request.insert(
                "nrepl.middleware.print/print".into(),
                super::super::bencode::string(name),
            );
            PrintOptions::of(&request).pretty
        };
        assert_eq!(printer("cider.nrepl.pprint/clojure-pprint"), Some(72));
        assert_eq!(printer("conjure.internal/pprint"), Some(72));
        assert_eq!(printer("cider.nrepl.pprint/pr"), None);
        assert_eq!(printer("clojure.core/pr"), None);
    }

    #[test]
    fn what_is_not_printed_data_is_left_as_it_is() {
        for text in [
            "(1 2",
            "\"unterminated",
            "[1 2] extra)",
            "#object[clojure.lang.Atom 0x1 {:val 1}]",
        ] {
            assert_eq!(pretty(text, 10), text);
        }
    }

    #[test]
    fn data_nested_past_the_limit_is_answered_as_printed() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(pretty(&deep, 72), deep);
        let within = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(pretty(&within, 100_000), within);
    }

    #[test]
    fn characters_strings_and_tags_stay_whole() {
        assert_eq!(
            pretty("[\\( \\, \"a ] b\" #\"[a-z]+\" #inst \"2020-01-01T00:00:00.000-00:00\" ##Inf]", 12),
            "[\\(\n \\,\n \"a ] b\"\n #\"[a-z]+\"\n #inst \"2020-01-01T00:00:00.000-00:00\"\n ##Inf]"
        );
    }

    #[test]
    fn length_level_and_quota() {
        let options = |length, level, quota| PrintOptions {
            pretty: None,
            length,
            level,
            quota,
        };
        assert_eq!(
            options(Some(2), None, None).apply("[1 2 3] ".trim().into()),
            ("[1 2 ...]".into(), false)
        );
        assert_eq!(
            options(Some(1), None, None).apply("{:a 1, :b 2}".into()),
            ("{:a 1, ...}".into(), false)
        );
        assert_eq!(
            options(None, Some(1), None).apply("[1 [2 [3]]]".into()),
            ("[1 #]".into(), false)
        );
        assert_eq!(
            options(None, None, Some(3)).apply("\"héllo\"".into()),
            ("\"h".into(), true)
        );
    }
}
