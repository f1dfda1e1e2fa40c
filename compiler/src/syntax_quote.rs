//! Syntax-quote: `` `(a ~b ~@c) `` to the code that builds that form.
//!
//! The reader leaves `(syntax-quote x)`; this runs in the analyzer, which
//! knows the namespace, so symbols are qualified as Clojure's reader does:
//! special forms stay bare, `x#` becomes one gensym per syntax-quote, an
//! alias resolves to its namespace, a known var to the namespace it lives
//! in, and anything else to the current namespace.

use std::collections::HashMap;

use crate::eval::builtin_gensym;
use crate::form::{Form, FormKind, Pos};
use crate::knowledge::Knowledge;

/// The special forms: never namespace-qualified.
pub const SPECIAL_FORMS: &[&str] = &[
    "def",
    "if",
    "do",
    "let*",
    "loop*",
    "recur",
    "fn*",
    "quote",
    "var",
    "throw",
    "try",
    "catch",
    "finally",
    "letfn*",
    "case*",
    "new",
    "set!",
    ".",
    "&",
    "ns",
    "in-ns",
    "monitor-enter",
    "monitor-exit",
    "import*",
    "deftype*",
    "reify*",
];

pub fn is_special(name: &str) -> bool {
    SPECIAL_FORMS.contains(&name)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxQuoteError {
    pub pos: Pos,
    pub message: String,
}

type Result<T> = std::result::Result<T, SyntaxQuoteError>;

/// The code that builds `form` (the argument of one syntax-quote).
pub fn expand(form: &Form, knowledge: &Knowledge) -> Result<Form> {
    let mut quoter = Quoter {
        knowledge,
        gensyms: HashMap::new(),
    };
    quoter.quote(form)
}

struct Quoter<'k> {
    knowledge: &'k Knowledge,
    gensyms: HashMap<String, String>,
}

/// `java.lang.Exception` for `Exception`: the classes every namespace imports.
fn java_lang_class(name: &str) -> Option<String> {
    crate::knowledge::RUNTIME_CLASSES
        .iter()
        .find(|full| full.strip_prefix("java.lang.") == Some(name))
        .map(|full| (*full).to_owned())
        .or_else(|| {
            OTHER_JAVA_LANG_CLASSES
                .contains(&name)
                .then(|| format!("java.lang.{name}"))
        })
}

/// java.lang's other public classes, which the page lacks but code names in
/// a syntax-quote all the same (schema's `(catch ThreadDeath e ...)`).
const OTHER_JAVA_LANG_CLASSES: &[&str] = &[
    "AbstractMethodError",
    "Appendable",
    "ArrayStoreException",
    "BootstrapMethodError",
    "ClassCircularityError",
    "ClassFormatError",
    "ClassLoader",
    "ClassNotFoundException",
    "CloneNotSupportedException",
    "Cloneable",
    "Enum",
    "EnumConstantNotPresentException",
    "ExceptionInInitializerError",
    "IllegalAccessError",
    "IllegalAccessException",
    "IllegalCallerException",
    "IllegalMonitorStateException",
    "IllegalThreadStateException",
    "IncompatibleClassChangeError",
    "InstantiationError",
    "InstantiationException",
    "InternalError",
    "InterruptedException",
    "LinkageError",
    "NoClassDefFoundError",
    "NoSuchFieldError",
    "NoSuchFieldException",
    "NoSuchMethodError",
    "NoSuchMethodException",
    "Process",
    "ProcessBuilder",
    "Readable",
    "ReflectiveOperationException",
    "SecurityException",
    "StackOverflowError",
    "StrictMath",
    "ThreadDeath",
    "ThreadGroup",
    "TypeNotPresentException",
    "UnknownError",
    "UnsatisfiedLinkError",
    "UnsupportedClassVersionError",
    "VerifyError",
    "VirtualMachineError",
    "Void",
];

fn core(name: &str, pos: Pos) -> Form {
    Form::qualified_symbol("clojure.core", name, pos)
}

fn call(name: &str, mut args: Vec<Form>, pos: Pos) -> Form {
    args.insert(0, core(name, pos));
    Form::list(args, pos)
}

fn quoted(form: Form) -> Form {
    let pos = form.pos;
    Form::list(vec![Form::symbol("quote", pos), form], pos)
}

/// `(clojure.core/unquote x)` → x, and likewise for unquote-splicing.
fn unquoted<'f>(form: &'f Form, which: &str) -> Option<&'f Form> {
    match &*form.kind {
        FormKind::List(items) if items.len() == 2 => match &*items[0].kind {
            FormKind::Symbol { ns, name } if ns == "clojure.core" && name == which => {
                Some(&items[1])
            }
            _ => None,
        },
        _ => None,
    }
}

impl Quoter<'_> {
    fn quote(&mut self, form: &Form) -> Result<Form> {
        let pos = form.pos;
        if let Some(value) = unquoted(form, "unquote") {
            return Ok(value.clone());
        }
        // A syntax-quote inside one expands first, as Clojure's reader does.
        if let FormKind::List(items) = &*form.kind {
            if let [head, inner] = items.as_slice() {
                if head.as_simple_symbol() == Some(crate::reader::SYNTAX_QUOTE) {
                    let expanded = expand(inner, self.knowledge)?;
                    return self.quote(&expanded);
                }
            }
        }
        if unquoted(form, "unquote-splicing").is_some() {
            return Err(SyntaxQuoteError {
                pos,
                message: "~@ (unquote-splicing) must be inside a list, vector, map or set".into(),
            });
        }
        let built = match &*form.kind {
            FormKind::Symbol { ns, name } => quoted(Form::new(self.symbol(ns, name), pos)),
            FormKind::List(items) if items.is_empty() => call("list", Vec::new(), pos),
            FormKind::List(items) => call("seq", vec![self.concat(items, pos)?], pos),
            FormKind::Vector(items) => call("vec", vec![self.concat(items, pos)?], pos),
            FormKind::Set(items) => call("set", vec![self.concat(items, pos)?], pos),
            FormKind::Map(items) => call(
                "apply",
                vec![core("hash-map", pos), self.concat(items, pos)?],
                pos,
            ),
            // Self-evaluating: numbers, strings, keywords, nil, booleans, chars, regexes.
            _ => return Ok(form.clone()),
        };
        // Metadata on a syntax-quoted collection is kept (e.g. ^:macro, type hints).
        match &form.meta {
            Some(meta) if form.items().is_some() => {
                let meta = self.quote(meta)?;
                Ok(call("with-meta", vec![built, meta], pos))
            }
            _ => Ok(built),
        }
    }

    /// `(concat (list a') b ...)`, with `~@x` spliced as `x`.
    fn concat(&mut self, items: &[Form], pos: Pos) -> Result<Form> {
        let mut parts = Vec::with_capacity(items.len());
        for item in items {
            match unquoted(item, "unquote-splicing") {
                Some(spliced) => parts.push(spliced.clone()),
                None => {
                    let q = self.quote(item)?;
                    parts.push(call("list", vec![q], item.pos));
                }
            }
        }
        Ok(call("concat", parts, pos))
    }

    fn symbol(&mut self, ns: &str, name: &str) -> FormKind {
        let symbol = |ns: &str, name: &str| FormKind::Symbol {
            ns: ns.to_owned(),
            name: name.to_owned(),
        };
        if ns.is_empty() {
            if is_special(name) {
                return symbol("", name);
            }
            if let Some(base) = name.strip_suffix('#') {
                let fresh = self
                    .gensyms
                    .entry(name.to_owned())
                    .or_insert_with(|| format!("{base}__{}__auto__", builtin_gensym()))
                    .clone();
                return symbol("", &fresh);
            }
            // Java interop forms (.method, Class.) are left alone.
            if name.starts_with('.') || (name.ends_with('.') && name.len() > 1) {
                return symbol("", name);
            }
            return match self.knowledge.resolve("", name) {
                Ok((var_ns, var_name)) => symbol(&var_ns, &var_name),
                // As Clojure's reader: a class's full name stays as written, and
                // a java.lang class's simple name becomes its full name.
                Err(_) if name.contains('.') => symbol("", name),
                Err(_) => match java_lang_class(name) {
                    Some(full) => symbol("", &full),
                    None => symbol(&self.knowledge.current_ns, name),
                },
            };
        }
        symbol(&self.knowledge.resolve_ns_alias(ns), name)
    }
}

/// The form a syntax-quote's expansion builds, when it builds a constant:
/// no `~` or `~@` in it, only the `seq`, `concat`, `list`, `vec`, `set`,
/// `apply hash-map` and `with-meta` calls that [`expand`] writes around quoted
/// parts. `(eval `(let [x# 1] x#))` compiles that form ahead, as
/// `(eval '(...))` does. None for anything else.
pub fn constant_value(code: &Form) -> Option<Form> {
    let pos = code.pos;
    let items = match &*code.kind {
        FormKind::List(items) => items,
        FormKind::Symbol { .. } => return None,
        _ if code.items().is_some() => return None,
        _ => return Some(code.clone()),
    };
    let (head, args) = items.split_first()?;
    let head = match &*head.kind {
        FormKind::Symbol { ns, name } if ns.is_empty() && name == "quote" => {
            return match args {
                [quoted] => Some(quoted.clone()),
                _ => None,
            };
        }
        FormKind::Symbol { ns, name } if ns == "clojure.core" => name.as_str(),
        _ => return None,
    };
    let parts =
        |forms: &[Form]| -> Option<Vec<Form>> { forms.iter().map(constant_value).collect() };
    let seq_items = |form: &Form| constant_value(form)?.items().map(<[Form]>::to_vec);
    let kind = match (head, args) {
        ("list", _) => FormKind::List(parts(args)?),
        ("concat", _) => FormKind::List(
            args.iter()
                .map(seq_items)
                .collect::<Option<Vec<_>>>()?
                .concat(),
        ),
        ("seq", [inner]) => FormKind::List(seq_items(inner)?),
        ("vec", [inner]) => FormKind::Vector(seq_items(inner)?),
        ("set", [inner]) => FormKind::Set(seq_items(inner)?),
        ("apply", [f, inner]) if *f == core("hash-map", pos) => FormKind::Map(seq_items(inner)?),
        ("with-meta", [built, meta]) => {
            let mut value = constant_value(built)?;
            value.meta = Some(std::sync::Arc::new(constant_value(meta)?));
            return Some(value);
        }
        _ => return None,
    };
    Some(Form::new(kind, pos))
}
