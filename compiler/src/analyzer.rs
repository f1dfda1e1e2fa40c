//! The analyzer: fully expanded forms to [`ast`](crate::ast), with lexical
//! scopes. It knows only the special forms:
//!
//! `def if do let* loop* recur fn* quote var throw try letfn* case*`, plus
//! `ns`/`in-ns` at the top level. Everything else is a macro, expanded here
//! by calling the macro's compile-time fn (see `eval`), or a call.
//!
//! Symbols resolve to locals, then to vars (see `knowledge`). Anything else is
//! an error naming the symbol and its position, never a nil.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::ast::{Const, Defn, Expr, FnArity, FnExpr, LocalId, Origin, Unit};
use crate::eval::{builtin_gensym, multimethods, protocols, types, Interp};
use crate::form::{pr_str, Form, FormKind, Pos};
use crate::knowledge::{CtValue, DefinedAt, Knowledge};
use crate::reader::SYNTAX_QUOTE;
use crate::syntax_quote;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AnalyzeError {
    pub pos: Pos,
    pub message: String,
}

type Result<T> = std::result::Result<T, AnalyzeError>;

fn fail<T>(pos: Pos, message: impl Into<String>) -> Result<T> {
    Err(AnalyzeError {
        pos,
        message: message.into(),
    })
}

/// How deep macro expansions may nest before it is called a runaway macro.
const MAX_EXPANSION_DEPTH: usize = 1_000;

/// How deeply analysis may nest: the reader bounds what users write, but
/// macros can expand into themselves without end.
const MAX_NESTING: usize = 3_000;

/// The most forms one expansion may hold. Shared subforms count each time
/// they appear, since the backend emits each one: a macro that nests a form
/// in itself thirty times must fail here, not in the C compiler.
const MAX_EXPANSION_FORMS: usize = 200_000;

/// Where `recur` may jump, and with how many values.
#[derive(Clone, Copy)]
enum RecurTarget {
    To {
        arity: usize,
    },
    /// Inside a `try` body: Clojure forbids recur across it.
    AcrossTry,
}

/// A local binding; a boxed one lives in a volatile (letfn and named fns
/// that refer to themselves), read with `deref`.
#[derive(Clone, Copy)]
struct Local {
    id: LocalId,
    boxed: bool,
}

/// The function being analyzed, for captures.
struct FnFrame {
    /// Scope depth at which this fn's own locals start.
    scope_floor: usize,
    captures: Vec<LocalId>,
}

pub(crate) struct Analyzer<'k> {
    knowledge: &'k mut Knowledge,
    scopes: Vec<HashMap<String, Local>>,
    /// Which scope depth each local was bound at.
    local_depth: Vec<usize>,
    fns: Vec<FnFrame>,
    next_fn: usize,
    /// The var a def is defining, `ns/name`, while its value is analyzed:
    /// the name an anonymous fn there gives in its arity errors.
    defining: Option<String>,
    /// The defs inside the top-level form being analyzed (`(let [cache
    /// (atom {})] (defn f ...))`): their compile-time value is what
    /// running the whole form gives them (`nested_def_values`).
    nested_defs: Vec<(String, String)>,
    recur_target: Option<RecurTarget>,
    /// True while analyzing code that only runs in the compiler (macros and
    /// the prelude): vars the page lacks are allowed there.
    compile_time: bool,
    expansion_depth: usize,
    /// How many analyze calls are under way, one inside the other.
    nesting: usize,
    /// The macro the form being analyzed came from, for error messages.
    last_macro: Option<String>,
    /// Every macro this unit expanded, so redefining one can name its users.
    pub used_macros: BTreeSet<(String, String)>,
    /// `(set! *unchecked-math* true)` (or `:warn-on-boxed`) earlier in this
    /// unit: `+`, `-`, `*`, `inc` and `dec` of two longs wrap, as Clojure
    /// compiles them for the rest of the file.
    unchecked_math: bool,
    /// The next fn is a deftype's or reify's method of a Java interface,
    /// which may take more than a fn's twenty parameters (IFn's last
    /// invoke takes twenty and a rest array): set by `host-method*`.
    host_method: bool,
    /// The macros page code of this top-level form quotes (`'fn`, or
    /// `clojure.core/fn` in a syntax-quote): their vars are made in the page
    /// before the form runs, so a `resolve` of the symbol there finds a macro
    /// var, as on the JVM (clojure.spec's `res` resolves `'fn`).
    quoted_macros: BTreeSet<(String, String)>,
    /// The namespaces being loaded from source, outermost first (a require
    /// of one of them again is a cycle).
    loading: Vec<String>,
    /// The text of the top-level form being analyzed, which the vars it
    /// defines keep for clojure.repl's `source`.
    top_level_source: Option<Arc<str>>,
    /// The locals holding what each enclosing catch caught, innermost
    /// last: jank's `(throw)` in a catch rethrows it.
    caught: Vec<Form>,
}

/// How far an editor's macro expansion goes (see `expansion`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expander {
    /// `macroexpand-1`: one step.
    One,
    /// `macroexpand`: until the head is no macro.
    Full,
    /// `clojure.walk/macroexpand-all`: every macro call inside too.
    All,
}

/// `form` expanded as `expander` says, in `knowledge`'s current namespace,
/// without the reader's positions.
pub(crate) fn expand(form: &Form, expander: Expander, knowledge: &mut Knowledge) -> Result<Form> {
    let mut analyzer = Analyzer::new(knowledge, false);
    let expanded = match expander {
        Expander::One => analyzer
            .macroexpand_1(form)?
            .unwrap_or_else(|| form.clone()),
        Expander::Full => analyzer.macroexpand(form)?,
        Expander::All => analyzer.macroexpand_all(form)?,
    };
    Ok(strip_positions(expanded))
}

/// `form` analyzed as a macro's code is, in a copy of `knowledge`, and run
/// in the compiler: `eval` in a macro, as `(if (eval test) then else)`.
/// What it throws is thrown on, so a macro's catch sees an ex-info's data.
pub(crate) fn eval_at_compile_time(
    form: &Form,
    knowledge: &Knowledge,
) -> crate::eval::Result<Form> {
    let mut scratch = knowledge.clone();
    let expr = Analyzer::new(&mut scratch, true)
        .analyze(form, false)
        .map_err(|e| crate::eval::Thrown::Error(e.message))?;
    Interp::new(&scratch).eval_top(&expr)
}

/// Top-level forms to a unit. `knowledge` is updated with namespaces, the
/// vars the unit defines, and their compile-time values (so a macro defined
/// by one form expands the next).
///
/// `sources`, when given, holds each form's text, which the vars it defines
/// keep for clojure.repl's `source`.
pub(crate) fn analyze_unit(
    forms: &[Form],
    sources: &[Arc<str>],
    knowledge: &mut Knowledge,
    compile_time: bool,
) -> Result<Unit> {
    let mut analyzer = Analyzer::new(knowledge, compile_time);
    let mut unit = Unit::default();
    for (i, form) in forms.iter().enumerate() {
        analyzer.top_level_source = sources.get(i).cloned();
        unit.current = Origin {
            pos: form.pos,
            form: Some(form.clone()),
            quiet: false,
        };
        analyzer.top_level(form, &mut unit)?;
    }
    unit.ns = analyzer.knowledge.current_ns.clone();
    unit.used_macros = std::mem::take(&mut analyzer.used_macros);
    Ok(unit)
}

/// `form` with `*ns*` read as the namespace `ns`, quoted: what it means where
/// it stands, whenever the compiler computes it.
fn with_ns_as(form: &Form, ns: &str) -> Form {
    let quoted_ns = || {
        Form::list(
            vec![Form::symbol("quote", form.pos), Form::symbol(ns, form.pos)],
            form.pos,
        )
    };
    match &*form.kind {
        FormKind::Symbol { ns: sym_ns, name }
            if name == "*ns*" && (sym_ns.is_empty() || sym_ns == "clojure.core") =>
        {
            quoted_ns()
        }
        FormKind::List(items) => {
            Form::list(items.iter().map(|f| with_ns_as(f, ns)).collect(), form.pos)
        }
        FormKind::Vector(items) => Form::new(
            FormKind::Vector(items.iter().map(|f| with_ns_as(f, ns)).collect()),
            form.pos,
        ),
        _ => form.clone(),
    }
}

fn list_head(form: &Form) -> Option<(&str, &[Form])> {
    match &*form.kind {
        FormKind::List(items) => match items.first().map(|f| &*f.kind) {
            Some(FormKind::Symbol { ns, name }) if ns.is_empty() => {
                Some((name.as_str(), &items[1..]))
            }
            _ => None,
        },
        _ => None,
    }
}

fn sym(name: &str, pos: Pos) -> Form {
    Form::symbol(name, pos)
}

fn core_sym(name: &str, pos: Pos) -> Form {
    Form::qualified_symbol("clojure.core", name, pos)
}

/// Whether a literal's keys can turn out equal only when they run: two or
/// more keys, one of them computed (`#{a b}`, `{(f) 1 :k 2}`). The reader
/// already refused keys written twice, so constants alone never repeat.
fn may_repeat_keys<'a>(keys: impl Iterator<Item = &'a Form>) -> bool {
    let mut count = 0;
    let mut computed = false;
    for key in keys {
        count += 1;
        computed |= !matches!(
            &*key.kind,
            FormKind::Nil
                | FormKind::Bool(_)
                | FormKind::Int(_)
                | FormKind::Float(_)
                | FormKind::Str(_)
                | FormKind::Char(_)
                | FormKind::Keyword { auto: false, .. }
        );
    }
    count > 1 && computed
}

fn core_call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::VarCall {
        ns: "clojure.core".into(),
        name: name.into(),
        args,
    }
}

/// The JVM exception classes Clojure code constructs, `(Exception. "m")`:
/// here an ex-info without data that knows its class, for catch clauses.
const EXCEPTION_CLASSES: &[&str] = &[
    "Exception",
    "RuntimeException",
    "IllegalArgumentException",
    "IllegalStateException",
    "UnsupportedOperationException",
    "ArithmeticException",
    "IndexOutOfBoundsException",
    "NumberFormatException",
    "ClassCastException",
    "NullPointerException",
    "StringIndexOutOfBoundsException",
    "ArrayIndexOutOfBoundsException",
    "NegativeArraySizeException",
    "InterruptedException",
    "ClassNotFoundException",
    "TimeoutException",
    "ExecutionException",
    "IOException",
    "FileNotFoundException",
    "EOFException",
    "Error",
    "AssertionError",
    "Throwable",
];

/// The packages of [`EXCEPTION_CLASSES`], which a constructor may spell out.
const EXCEPTION_PACKAGES: &[&str] = &["java.lang.", "java.util.concurrent.", "java.io."];

/// `(Exception. message)` and `(Exception. message cause)` as
/// `(exception* "Exception" message cause)`; None for any other class.
fn exception_constructor(pos: Pos, class: &str, args: &[Form]) -> Option<Form> {
    if matches!(class, "ExceptionInfo" | "clojure.lang.ExceptionInfo") {
        // (ExceptionInfo. message data) and (... cause): ex-info's own arities.
        let mut items = vec![Form::qualified_symbol("clojure.core", "ex-info", pos)];
        items.extend(args.iter().cloned());
        return (2..=3)
            .contains(&args.len())
            .then(|| Form::list(items, pos));
    }
    let class = EXCEPTION_PACKAGES
        .iter()
        .find_map(|package| class.strip_prefix(package))
        .unwrap_or(class);
    if !EXCEPTION_CLASSES.contains(&class) {
        return None;
    }
    let message = match args.first() {
        Some(message) => message.clone(),
        None => Form::value(FormKind::Nil),
    };
    let mut items = vec![
        Form::qualified_symbol("clojure.core", "exception*", pos),
        Form::value(FormKind::Str(class.to_owned())),
        message,
    ];
    items.extend(args.get(1).cloned());
    (args.len() <= 2).then(|| Form::list(items, pos))
}

/// `(StringBuilder.)`, `(StringBuilder. "init")` and `(java.io.StringWriter.)`
/// as one text buffer, `(string-writer* init)`: `.append` and `.write` add to
/// it, and `str` gives its text. `(java.io.StringReader. s)` as the runtime's
/// string reader, which `(java.io.BufferedReader. r)` passes through.
/// `(String. x)`, of a string, a char array or a byte array, as
/// `(string-new* x)`. None for any other class.
fn text_io_constructor(pos: Pos, class: &str, args: &[Form]) -> Option<Form> {
    let class = class
        .strip_prefix("java.lang.")
        .or_else(|| class.strip_prefix("java.io."))
        .or_else(|| class.strip_prefix("clojure.lang."))
        .unwrap_or(class);
    if class == "File" && (1..=2).contains(&args.len()) {
        // (File. path), and (File. parent child) joined as java.io.File joins them.
        let core = |name: &str| Form::qualified_symbol("clojure.core", name, pos);
        let call = |items: Vec<Form>| Form::list(items, pos);
        let path = match args {
            [path] => call(vec![core("str"), path.clone()]),
            _ => {
                let (parent, child) = (Form::symbol("parent__", pos), Form::symbol("child__", pos));
                let bindings = vec![
                    parent.clone(),
                    call(vec![core("str"), args[0].clone()]),
                    child.clone(),
                    call(vec![core("str"), args[1].clone()]),
                ];
                let ends_with_slash = call(vec![
                    Form::symbol(".endsWith", pos),
                    parent.clone(),
                    Form::value(FormKind::Str("/".into())),
                ]);
                let joined = call(vec![
                    Form::symbol("if", pos),
                    ends_with_slash,
                    call(vec![core("str"), parent.clone(), child.clone()]),
                    call(vec![
                        core("str"),
                        parent,
                        Form::value(FormKind::Str("/".into())),
                        child,
                    ]),
                ]);
                call(vec![
                    Form::symbol("let*", pos),
                    Form::new(FormKind::Vector(bindings), pos),
                    joined,
                ])
            }
        };
        return Some(call(vec![core("file*"), path]));
    }
    let constructor = match (class, args.len()) {
        ("StringBuilder", 0 | 1) => "string-builder*",
        ("StringBuffer", 0 | 1) => "string-buffer*",
        ("String", 0..=3) => "string-new*",
        ("StringWriter", 0 | 1) => "string-writer*",
        ("StringReader", 1) => "string-reader*",
        ("BufferedReader", 1 | 2) => "buffered-reader*",
        ("PushbackReader", 1 | 2) => "pushback-reader*",
        ("LineNumberingPushbackReader", 1 | 2) => "line-numbering-reader*",
        // (PrintWriter. w): what it prints, w gets.
        ("PrintWriter", 1) => "identity",
        _ => return None,
    };
    let mut items = vec![Form::qualified_symbol("clojure.core", constructor, pos)];
    items.extend(args.iter().cloned());
    Some(Form::list(items, pos))
}

/// java.util's mutable collections (runtime/src/java_util.cpp) that
/// `(java.util.HashMap.)` and the rest construct.
const JAVA_UTIL_COLLECTIONS: &[&str] = &[
    "ArrayList",
    "LinkedList",
    "ArrayDeque",
    "PriorityQueue",
    "HashMap",
    "LinkedHashMap",
    "TreeMap",
    "HashSet",
    "LinkedHashSet",
    "TreeSet",
    "ConcurrentHashMap",
];

/// `(ArrayList.)`, `(java.util.HashMap. m)`, `(PriorityQueue. 11 cmp)`: one of
/// java.util's collections, as `(java-util-new* "java.util.HashMap" args...)`.
/// None for any other class.
fn java_util_constructor(pos: Pos, class: &str, args: &[Form]) -> Option<Form> {
    let simple = class
        .strip_prefix("java.util.concurrent.")
        .or_else(|| class.strip_prefix("java.util."))
        .unwrap_or(class);
    // (java.util.Random. 42): Java's generator, drawing what it draws on the JVM.
    if simple == "Random" && args.len() <= 1 {
        let mut items = vec![Form::qualified_symbol(
            "clojure.core",
            "java-random-new*",
            pos,
        )];
        items.extend(args.iter().cloned());
        return Some(Form::list(items, pos));
    }
    // (AtomicLong. 0) and the others (runtime/src/atomics.cpp).
    let atomic = simple.strip_prefix("atomic.").unwrap_or(simple);
    if matches!(
        atomic,
        "AtomicLong" | "AtomicInteger" | "AtomicBoolean" | "AtomicReference"
    ) && args.len() <= 1
    {
        let mut items = vec![
            Form::qualified_symbol("clojure.core", "atomic-new*", pos),
            Form::value(FormKind::Str(format!(
                "java.util.concurrent.atomic.{atomic}"
            ))),
        ];
        items.extend(args.iter().cloned());
        return Some(Form::list(items, pos));
    }
    // A WeakHashMap is a HashMap here: the page's collector reclaims what
    // nothing reaches, and a map's keys are reached through it. An
    // IdentityHashMap is one too, its keys compared by = (the caches
    // programs keep in one hold distinct keys either way).
    let simple = if matches!(simple, "WeakHashMap" | "IdentityHashMap") {
        "HashMap"
    } else {
        simple
    };
    if !JAVA_UTIL_COLLECTIONS.contains(&simple) || args.len() > 2 {
        return None;
    }
    let package = if simple == "ConcurrentHashMap" {
        "java.util.concurrent"
    } else {
        "java.util"
    };
    let mut items = vec![
        Form::qualified_symbol("clojure.core", "java-util-new*", pos),
        Form::value(FormKind::Str(format!("{package}.{simple}"))),
    ];
    items.extend(args.iter().cloned());
    Some(Form::list(items, pos))
}

/// `(Object.)`, a value equal only to itself, `(clojure.lang.MapEntry.
/// k v)`, a map entry, `(clojure.lang.SeqIterator. s)`, an iterator
/// over a seq, as a collection type's `iterator` makes one, and `(Thread.
/// f)`. None for any other class.
fn object_constructor(pos: Pos, class: &str, args: &[Form]) -> Option<Form> {
    if let ("SeqIterator" | "clojure.lang.SeqIterator", [s]) = (class, args) {
        let core = |name: &str| Form::qualified_symbol("clojure.core", name, pos);
        return Some(Form::list(
            vec![
                core("jvm-method*"),
                Form::value(FormKind::Str("iterator".into())),
                Form::list(vec![core("sequence"), s.clone()], pos),
            ],
            pos,
        ));
    }
    // java.lang.ref's (runtime/src/references.cpp).
    let reference = class.strip_prefix("java.lang.ref.").unwrap_or(class);
    if matches!(
        reference,
        "SoftReference" | "WeakReference" | "PhantomReference"
    ) && matches!(args.len(), 1 | 2)
    {
        let mut items = vec![
            Form::qualified_symbol("clojure.core", "reference-new*", pos),
            Form::value(FormKind::Str(format!("java.lang.ref.{reference}"))),
        ];
        items.extend(args.iter().cloned());
        return Some(Form::list(items, pos));
    }
    let constructor = match (class, args.len()) {
        ("Object" | "java.lang.Object", 0) => "new-object*",
        // A string literal's reader macro, as instaparse reads strings.
        ("LispReader$StringReader" | "clojure.lang.LispReader$StringReader", 0) => {
            "lisp-string-reader*"
        }
        ("MapEntry" | "clojure.lang.MapEntry", 2) => "map-entry*",
        // (Thread. f): .start runs f on the page's one thread.
        ("Thread" | "java.lang.Thread", 1 | 2) => "thread-new*",
        // (FutureTask. f): runs f when a thread (or .run) runs it.
        ("FutureTask" | "java.util.concurrent.FutureTask", 1) => "future-task-new*",
        ("CountDownLatch" | "java.util.concurrent.CountDownLatch", 1) => "count-down-latch-new*",
        ("ThreadLocal" | "java.lang.ThreadLocal", 0) => "thread-local-new*",
        ("URI" | "java.net.URI", 1) => "uri-new*",
        ("URL" | "java.net.URL", 1) => "url-new*",
        ("Locale" | "java.util.Locale", 1..=3) => "locale-new*",
        ("UUID" | "java.util.UUID", 2) => "uuid-new*",
        ("BigDecimal" | "java.math.BigDecimal", 2) => "big-decimal-new*",
        ("BigInteger" | "java.math.BigInteger", 2) => "big-integer-new*",
        ("ReferenceQueue" | "java.lang.ref.ReferenceQueue", 0) => "reference-queue-new*",
        _ => return None,
    };
    let mut items = vec![Form::qualified_symbol("clojure.core", constructor, pos)];
    items.extend(args.iter().cloned());
    Some(Form::list(items, pos))
}

/// The number classes' constructors: `(BigInteger. "12")`, `(BigDecimal.
/// "1.10")`, and the boxes' `(Long. "5")`, `(Double. 2)`, as their
/// valueOf. None for any other class.
fn number_constructor(pos: Pos, class: &str, args: &[Form]) -> Option<Form> {
    let [arg] = args else {
        return None;
    };
    let class = class
        .strip_prefix("java.lang.")
        .or_else(|| class.strip_prefix("java.math."))
        .unwrap_or(class);
    let core = |name: &str| Form::qualified_symbol("clojure.core", name, pos);
    Some(match class {
        "BigInteger" => Form::list(
            vec![
                core("biginteger"),
                Form::list(vec![core("bigint"), arg.clone()], pos),
            ],
            pos,
        ),
        "BigDecimal" => Form::list(vec![core("bigdec"), arg.clone()], pos),
        "Long" | "Integer" | "Double" | "Float" => Form::list(
            vec![Form::qualified_symbol(class, "valueOf", pos), arg.clone()],
            pos,
        ),
        // (Short. x) and (Byte. x): the page's numbers are longs, checked
        // against the narrower range as the JVM's cast would be.
        "Short" => Form::list(vec![core("short"), arg.clone()], pos),
        "Byte" => Form::list(vec![core("byte"), arg.clone()], pos),
        _ => return None,
    })
}

/// `(java.util.Date.)`, now, and `(java.util.Date. ms)`, as `(date* ...)`:
/// an inst. None for any other class.
fn date_constructor(pos: Pos, class: &str, args: &[Form]) -> Option<Form> {
    if !matches!(class, "Date" | "java.util.Date") || args.len() > 1 {
        return None;
    }
    let mut items = vec![Form::qualified_symbol("clojure.core", "date*", pos)];
    items.extend(args.iter().cloned());
    Some(Form::list(items, pos))
}

/// The JVM methods of strings and exceptions that Clojure code calls most,
/// `(.toUpperCase s)`, `(.getMessage e)`, as the clojure.core and
/// clojure.string functions that do the same. None for any other method.
fn jvm_method(pos: Pos, method: &str, args: &[Form]) -> Option<Form> {
    let (ns, name) = match (method, args.len()) {
        ("getMessage" | "getLocalizedMessage", 1) => ("clojure.core", "ex-message"),
        // Throwable's: its class, message and causes to *err*, as
        // printStackTrace prints them (the page keeps no stack frames).
        ("printStackTrace", 1) => {
            let core = |name: &str| Form::qualified_symbol("clojure.core", name, pos);
            let text = Form::list(vec![core("stack-trace-text*"), args[0].clone()], pos);
            return Some(Form::list(
                vec![
                    core("binding"),
                    Form::new(FormKind::Vector(vec![core("*out*"), core("*err*")]), pos),
                    Form::list(vec![core("println"), text], pos),
                ],
                pos,
            ));
        }
        // PrintWriter's, on *out* and *err*: (.println *err* "x").
        ("println" | "print", 1 | 2)
            if matches!(&*args[0].kind, FormKind::Symbol { name, .. } if name == "*out*" || name == "*err*") =>
        {
            let mut items = vec![
                Form::qualified_symbol("clojure.core", "jvm-method*", pos),
                Form::value(FormKind::Str(method.into())),
            ];
            items.extend(args.iter().cloned());
            return Some(Form::list(items, pos));
        }
        ("getStackTrace", 1) => ("clojure.core", "stack-trace-elements*"),
        ("isNaN", 1) => ("clojure.core", "NaN?"),
        ("isInfinite", 1) => ("clojure.core", "infinite?"),
        ("withMeta", 2) => ("clojure.core", "with-meta"),
        ("without", 2) => ("clojure.core", "dissoc"),
        ("entryAt", 2) => ("clojure.core", "find"),
        ("more", 1) => ("clojure.core", "rest"),
        ("cons", 2) => ("clojure.core", "conj"),
        ("compareAndSet", 3) => ("clojure.core", "compare-and-set!"),
        ("getCause", 1) => ("clojure.core", "ex-cause"),
        ("getData", 1) => ("clojure.core", "ex-data"),
        ("isEmpty", 1) => ("clojure.core", "empty?"),
        ("charAt", 2) => ("clojure.core", "nth"),
        ("substring", 2 | 3) | ("subSequence", 3) => ("clojure.core", "subs"),
        ("concat", 2) => ("clojure.core", "str"),
        ("toUpperCase", 1) => ("clojure.string", "upper-case"),
        ("toLowerCase", 1) => ("clojure.string", "lower-case"),
        // In a java.util.Locale: the page cases as the root locale does.
        ("toUpperCase", 2) => ("clojure.core", "upper-case-in*"),
        ("toLowerCase", 2) => ("clojure.core", "lower-case-in*"),
        ("trim", 1) => ("clojure.string", "trim"),
        ("startsWith", 2) => ("clojure.string", "starts-with?"),
        ("endsWith", 2) => ("clojure.string", "ends-with?"),
        ("replace", 3) => ("clojure.string", "replace"),
        ("toCharArray", 1) => ("clojure.core", "char-array"),
        // Collection's, as code that fills a java.util.ArrayList reads it.
        ("toArray", 1) => ("clojure.core", "to-array"),
        ("intValue" | "longValue" | "shortValue" | "byteValue", 1) => ("clojure.core", "long"),
        ("doubleValue" | "floatValue", 1) => ("clojure.core", "double"),
        ("size", 1) => ("clojure.core", "count"),
        ("containsKey", 2) => ("clojure.core", "contains?"),
        // Writer.append returns the writer (to chain); Writer.write is void.
        ("append", 2) => ("clojure.core", "write-to*"),
        // Appendable.append(csq, start, end): that part of csq.
        ("append", 4) => {
            let core = |name: &str| Form::qualified_symbol("clojure.core", name, pos);
            let part = Form::list(
                vec![core("subs"), Form::list(vec![core("str"), args[1].clone()], pos), args[2].clone(), args[3].clone()],
                pos,
            );
            return Some(Form::list(vec![core("write-to*"), args[0].clone(), part], pos));
        }
        ("write", 2) => ("clojure.core", "write*"),
        // java.io.Closeable's, as with-open calls it.
        ("close", 1) => ("clojure.core", "close*"),
        // java.util.Date's.
        ("getTime", 1) => ("clojure.core", "inst-ms"),
        // clojure.lang.Var's, as code that manages vars calls them.
        ("hasRoot" | "isBound", 1) => ("clojure.core", "bound?"),
        ("getWatches", 1) => ("clojure.core", "watches*"),
        ("isDynamic" | "getRawRoot", 1) | ("setDynamic", 1 | 2) => {
            let mut items = vec![
                Form::qualified_symbol("clojure.core", "var-method*", pos),
                Form::value(FormKind::Str(method.into())),
            ];
            items.extend(args.iter().cloned());
            return Some(Form::list(items, pos));
        }
        ("bindRoot", 2) => {
            let constantly = Form::list(
                vec![
                    Form::qualified_symbol("clojure.core", "constantly", pos),
                    args[1].clone(),
                ],
                pos,
            );
            let alter = Form::list(
                vec![
                    Form::qualified_symbol("clojure.core", "alter-var-root", pos),
                    args[0].clone(),
                    constantly,
                ],
                pos,
            );
            return Some(Form::list(vec![sym("do", pos), alter, Form::nil()], pos));
        }
        // java.io.Reader's, on the runtime's string readers.
        ("readLine", 1) => ("clojure.core", "reader-line*"),
        ("read", 1 | 4) => ("clojure.core", "reader-char*"),
        ("unread", 2 | 4) => ("clojure.core", "reader-unread*"),
        // Methods whose meaning depends on the target's class (String's
        // indexOf or List's), chosen at run time as reflection would.
        (
            "indexOf"
            | "lastIndexOf"
            | "contains"
            | "get"
            | "containsValue"
            | "keySet"
            | "values"
            | "entrySet"
            | "getName"
            | "getNamespace"
            | "getClass"
            | "compareTo"
            | "equalsIgnoreCase"
            | "compareToIgnoreCase"
            | "codePointAt"
            | "codePoints"
            | "isBlank"
            | "strip"
            | "stripLeading"
            | "stripTrailing"
            | "intern"
            | "repeat"
            // java.util's collections' (runtime/src/java_util.cpp).
            | "add"
            | "addAll"
            | "set"
            | "remove"
            | "clear"
            | "put"
            | "putAll"
            | "putIfAbsent"
            | "getOrDefault"
            | "computeIfAbsent"
            | "computeIfPresent"
            | "compute"
            | "merge"
            | "offer"
            | "poll"
            | "peek"
            | "push"
            | "pop"
            | "element"
            | "addFirst"
            | "addLast"
            | "offerFirst"
            | "offerLast"
            | "pollFirst"
            | "pollLast"
            | "peekFirst"
            | "peekLast"
            | "removeFirst"
            | "removeLast"
            | "getFirst"
            | "getLast"
            | "firstKey"
            | "lastKey"
            | "subList"
            | "iterator"
            // java.lang.ref's (runtime/src/references.cpp).
            | "enqueue"
            | "isEnqueued"
            | "refersTo"
            | "getChars"
            // java.util.concurrent.CountDownLatch's (runtime/src/jvm_classes.cpp).
            | "hasMoreElements"
            | "nextElement"
            | "countDown"
            | "getCount"
            | "await"
            | "hasNext"
            | "next"
            | "flush"
            | "getBytes"
            | "reset"
            | "swap"
            // java.util.regex.Matcher's, and String.matches (runtime/src/regex.cpp).
            | "find"
            | "group"
            | "start"
            | "end"
            | "lookingAt"
            | "groupCount"
            | "matcher"
            | "pattern"
            // java.io.File's (runtime/src/io.cpp), and String's length.
            | "exists"
            | "isDirectory"
            | "isFile"
            | "getPath"
            | "getAbsolutePath"
            | "getCanonicalPath"
            | "getParent"
            | "getParentFile"
            | "mkdir"
            | "mkdirs"
            | "createNewFile"
            | "listFiles"
            | "list"
            // java.math.BigDecimal's and BigInteger's (runtime/src/number_methods.cpp).
            | "scale"
            | "precision"
            | "unscaledValue"
            | "setScale"
            | "stripTrailingZeros"
            | "toPlainString"
            | "toBigInteger"
            | "signum"
            | "negate"
            | "abs"
            | "pow"
            | "multiply"
            | "subtract"
            | "divide"
            | "mod"
            | "remainder"
            | "modPow"
            | "gcd"
            | "bitLength"
            | "isProbablePrime"
            | "nextProbablePrime"
            | "sqrt"
            | "and"
            | "or"
            | "xor"
            | "not"
            | "andNot"
            | "shiftLeft"
            | "shiftRight"
            | "testBit"
            | "setBit"
            | "clearBit"
            | "flipBit"
            | "bitCount"
            | "getLowestSetBit"
            | "max"
            | "min"
            // java.util.concurrent.atomic's (runtime/src/atomics.cpp).
            | "incrementAndGet"
            | "decrementAndGet"
            | "getAndIncrement"
            | "getAndDecrement"
            | "addAndGet"
            | "getAndAdd"
            | "getAndSet"
            | "lazySet"
            | "updateAndGet"
            | "getAndUpdate"
            | "accumulateAndGet"
            | "getAndAccumulate"
            | "weakCompareAndSet"
            | "getPlain"
            | "setPlain"
            // java.util.Random's (runtime/src/java_random.cpp).
            | "nextInt"
            | "nextLong"
            | "nextDouble"
            | "nextFloat"
            | "nextBoolean"
            | "nextGaussian"
            | "setSeed"
            | "nextBytes"
            // The page's Thread and Runtime (runtime/src/jvm_classes.cpp).
            | "getId"
            | "availableProcessors"
            | "totalMemory"
            | "freeMemory"
            | "maxMemory"
            | "gc"
            | "join"
            | "interrupt"
            | "setDaemon"
            | "isAlive"
            | "isInterrupted"
            | "isDaemon"
            // java.util.Base64's encoders and decoders (runtime/src/codecs.cpp).
            | "encodeToString"
            | "encode"
            | "decode"
            | "withoutPadding"
            // java.net.URI's (runtime/src/uri.cpp).
            | "getScheme"
            | "getSchemeSpecificPart"
            | "getRawSchemeSpecificPart"
            | "getAuthority"
            | "getRawAuthority"
            | "getUserInfo"
            | "getRawUserInfo"
            | "getHost"
            | "getPort"
            | "getRawPath"
            | "getQuery"
            | "getRawQuery"
            | "getFragment"
            | "getRawFragment"
            | "isAbsolute"
            | "isOpaque"
            // java.util.Locale's (runtime/src/locale.cpp).
            | "getLanguage"
            | "getCountry"
            | "getVariant"
            | "toLanguageTag"
            // java.util.UUID's (runtime/src/uuid.cpp).
            | "getMostSignificantBits"
            | "getLeastSignificantBits"
            | "version"
            | "variant"
            // clojure.lang.LineNumberingPushbackReader's
            // (runtime/src/line_numbering.cpp).
            | "getLineNumber"
            | "setLineNumber"
            | "getColumnNumber"
            | "atLineStart",
            _,
        )
        // Integer's and BigInteger's toString(radix).
        | ("toString", 2)
        | ("matches" | "length" | "delete", 1)
        // IPersistentVector's, on a deftype that implements it, and
        // java.io.Writer's write(char[], off, len), on a proxy of one.
        | ("assocN", 3)
        | ("write", 4) => {
            let mut items = vec![
                Form::qualified_symbol("clojure.core", "jvm-method*", pos),
                Form::value(FormKind::Str(method.into())),
            ];
            items.extend(args.iter().cloned());
            return Some(Form::list(items, pos));
        }
        // Clojure's own interfaces, as deftype and reify implement them.
        // A type's own valAt when it has one (its get may call .valAt, as
        // data.finger-tree's sets do), else get.
        ("valAt", 2 | 3) => {
            let mut items = vec![
                Form::qualified_symbol("clojure.core", "interop-method*", pos),
                args[0].clone(),
                Form::value(FormKind::Str(method.into())),
                Form::qualified_symbol("clojure.core", "get", pos),
            ];
            items.extend(args[1..].iter().cloned());
            return Some(Form::list(items, pos));
        }
        ("deref", 1) => ("clojure.core", "deref"),
        // (.invoke f a b) is (f a b).
        ("invoke", _) if !args.is_empty() => return Some(Form::list(args.to_vec(), pos)),
        ("applyTo", 2) => ("clojure.core", "apply"),
        ("seq", 1) => ("clojure.core", "seq"),
        ("count", 1) => ("clojure.core", "count"),
        ("getKey", 1) => ("clojure.core", "key"),
        ("getSimpleName", 1) => {
            let call = vec![
                Form::qualified_symbol("clojure.core", "class-name*", pos),
                args[0].clone(),
                Form::keyword("simple"),
            ];
            return Some(Form::list(call, pos));
        }
        ("getValue", 1) => ("clojure.core", "val"),
        // A multimethod's own methods, as Clojure code calls them.
        ("addMethod", 3) => ("clojure.core", "add-method*"),
        ("removeMethod", 2) => ("clojure.core", "remove-method"),
        ("getMethod", 2) => ("clojure.core", "get-method"),
        ("preferMethod", 3) => ("clojure.core", "prefer-method"),
        // String methods that take a regex as a string.
        ("matches" | "replaceAll" | "replaceFirst", 2 | 3) => {
            let pattern = Form::list(
                vec![
                    Form::qualified_symbol("clojure.core", "re-pattern", pos),
                    args[1].clone(),
                ],
                pos,
            );
            let call = |ns: &str, name: &str, mut rest: Vec<Form>| {
                let mut items = vec![Form::qualified_symbol(ns, name, pos)];
                items.append(&mut rest);
                Form::list(items, pos)
            };
            return match (method, args) {
                ("matches", [s, _]) => Some(call(
                    "clojure.core",
                    "boolean",
                    vec![call("clojure.core", "re-matches", vec![pattern, s.clone()])],
                )),
                ("replaceAll", [s, _, r]) => Some(call(
                    "clojure.string",
                    "replace",
                    vec![s.clone(), pattern, r.clone()],
                )),
                ("replaceFirst", [s, _, r]) => Some(call(
                    "clojure.string",
                    "replace-first",
                    vec![s.clone(), pattern, r.clone()],
                )),
                _ => None,
            };
        }
        // StringBuilder's editing methods.
        ("reverse", 1)
        | ("insert", 3)
        | ("setLength", 2)
        | ("deleteCharAt", 2)
        | ("delete", 3)
        | ("setCharAt", 3)
        | ("replace", 4) => {
            let mut items = vec![
                Form::qualified_symbol("clojure.core", "text-buffer-method*", pos),
                Form::value(FormKind::Str(method.into())),
            ];
            items.extend(args.iter().cloned());
            return Some(Form::list(items, pos));
        }
        ("split", 2 | 3) => {
            // String.split takes a regex as a string (and a limit); Pattern.split,
            // (.split #"," s), the text to split. Both give an array.
            let (text, pattern) = match &*args[0].kind {
                FormKind::Regex(_) => (args[1].clone(), args[0].clone()),
                _ => (
                    args[0].clone(),
                    Form::list(
                        vec![
                            Form::qualified_symbol("clojure.core", "re-pattern", pos),
                            args[1].clone(),
                        ],
                        pos,
                    ),
                ),
            };
            let split = Form::qualified_symbol("clojure.string", "split", pos);
            let mut split_call = vec![split, text, pattern];
            split_call.extend(args.get(2).cloned());
            let parts = Form::list(split_call, pos);
            let into_array = Form::qualified_symbol("clojure.core", "into-array", pos);
            let string_class = sym("java.lang.String", pos);
            return Some(Form::list(vec![into_array, string_class, parts], pos));
        }
        _ => return None,
    };
    let mut items = vec![Form::qualified_symbol(ns, name, pos)];
    items.extend(args.iter().cloned());
    // These functions take nil (count gives 0), where the JVM's method call
    // on a null target throws a NullPointerException.
    let nil_tolerant = matches!(
        name,
        "count"
            | "empty?"
            | "nth"
            | "str"
            | "contains?"
            | "get"
            | "seq"
            | "ex-message"
            | "ex-cause"
            | "ex-data"
    );
    if nil_tolerant && !matches!(&*args[0].kind, FormKind::Str(_) | FormKind::Vector(_)) {
        items[1] = Form::list(
            vec![
                Form::qualified_symbol("clojure.core", "method-target*", pos),
                args[0].clone(),
            ],
            pos,
        );
    }
    Some(Form::list(items, pos))
}

/// `(clojure.core/method-target* x)`, the nil check `jvm_method` puts around a target.
fn is_method_target_check(items: &[Form]) -> bool {
    items.len() == 2
        && matches!(&*items[0].kind, FormKind::Symbol { ns, name }
            if ns == "clojure.core" && name == "method-target*")
}

/// `Class/FIELD`: a class-like namespace and an upper-case member name, as
/// `Long/MAX_VALUE` and `Math/PI` are (methods are lower camel case).
fn is_static_field(form: &Form) -> bool {
    matches!(&*form.kind, FormKind::Symbol { ns, name }
        if ns.rsplit('.').next().is_some_and(|class| class.starts_with(|c: char| c.is_ascii_uppercase()))
            && name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
}

/// The unchecked op that `(name args...)` compiles to under
/// `*unchecked-math*`: `(+ a b)` is `(unchecked-add a b)`, which wraps on
/// two longs and is `+` on anything else (runtime/src/core.cpp).
fn unchecked_op(unchecked: bool, ns: &str, name: &str, arity: usize) -> Option<&'static str> {
    if !unchecked || ns != "clojure.core" {
        return None;
    }
    Some(match (name, arity) {
        ("+", 2) => "unchecked-add",
        ("-", 2) => "unchecked-subtract",
        ("-", 1) => "unchecked-negate",
        ("*", 2) => "unchecked-multiply",
        ("inc", 1) => "unchecked-inc",
        ("dec", 1) => "unchecked-dec",
        _ => return None,
    })
}

/// `java.time.Instant`: a class of the JVM's own packages (and Clojure's
/// `clojure.lang.RT`), which no program's namespace is named like.
fn is_host_package(name: &str) -> bool {
    (name.starts_with("java.") || name.starts_with("javax.") || name.starts_with("clojure.lang."))
        && name
            .rsplit('.')
            .next()
            .is_some_and(|last| last.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The object and field name `(.-x obj)`, `(.x obj)` or `(. obj x)` names,
/// as `set!` takes them.
fn field_target(target: &Form) -> Option<(Form, String)> {
    let FormKind::List(items) = &*target.kind else {
        return None;
    };
    match items.as_slice() {
        [head, object] => {
            let name = head.as_simple_symbol()?;
            let field = name.strip_prefix(".-").or_else(|| name.strip_prefix('.'))?;
            (!field.is_empty()).then(|| (object.clone(), field.to_owned()))
        }
        [dot, object, field] if dot.as_simple_symbol() == Some(".") => {
            let field = field.as_simple_symbol()?;
            Some((
                object.clone(),
                field.strip_prefix('-').unwrap_or(field).to_owned(),
            ))
        }
        _ => None,
    }
}

/// `.getTime`, a method's name in `(.getTime d)`: not a field's (`.-x`),
/// nor a constructor (`Point.`).
fn is_method_name(name: &str) -> bool {
    name.strip_prefix('.').is_some_and(|method| {
        method.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && method
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
    })
}

/// A fn of one require spec, computed when it runs: nil when the page has
/// its namespace, else Clojure's FileNotFoundException for it.
fn runtime_require_check(pos: Pos) -> Result<Form> {
    const CHECK: &str = r#"(fn* [spec]
      (let* [ns (if (vector? spec) (first spec) spec)]
        (if (find-ns ns)
          nil
          (let* [path (clojure.string/replace (clojure.string/replace (str ns) "." "/") "-" "_")]
            (throw (java.io.FileNotFoundException.
                     (str "Could not locate " path "__init.class, " path ".clj or " path ".cljc on classpath."
                          (if (clojure.string/includes? (str ns) "-")
                            " Please check that namespaces with dashes use underscores in the Clojure file name."
                            ""))))))))"#;
    crate::reader::read_all_at(CHECK, pos)
        .ok()
        .and_then(|forms| forms.into_iter().next())
        .ok_or_else(|| AnalyzeError {
            pos,
            message: "internal error: the run-time require check does not read".to_owned(),
        })
}

/// `:reload` or `:reload-all` among require's arguments.
fn is_reload_flag(form: &Form) -> bool {
    matches!(form.as_keyword_name(), Some("reload" | "reload-all"))
}

/// The JVM class a catch clause names, by its simple name, or None for a
/// clause that catches everything thrown (`Throwable`, `Object`, jank's
/// `object_ref`, ClojureScript's `:default` and `js/Error`).
fn caught_class(class: &Form) -> Option<String> {
    match &*class.kind {
        FormKind::Symbol { ns, name } if ns.is_empty() => {
            let simple = name.rsplit('.').next().unwrap_or(name);
            (!matches!(simple, "Throwable" | "Object" | "object_ref")).then(|| simple.to_owned())
        }
        _ => None,
    }
}

impl<'k> Analyzer<'k> {
    pub(crate) fn new(knowledge: &'k mut Knowledge, compile_time: bool) -> Self {
        Self {
            knowledge,
            scopes: Vec::new(),
            local_depth: Vec::new(),
            fns: Vec::new(),
            next_fn: 0,
            defining: None,
            nested_defs: Vec::new(),
            recur_target: None,
            compile_time,
            expansion_depth: 0,
            nesting: 0,
            last_macro: None,
            used_macros: BTreeSet::new(),
            unchecked_math: false,
            host_method: false,
            quoted_macros: BTreeSet::new(),
            loading: Vec::new(),
            top_level_source: None,
            caught: Vec::new(),
        }
    }

    fn top_level(&mut self, form: &Form, unit: &mut Unit) -> Result<()> {
        self.nested(form.pos, |this| {
            // `::kw` means the namespace current when the form is read, as
            // Clojure's reader has it; macros then see ordinary keywords.
            let form = this.resolve_auto_keywords(form.clone());
            this.nested_defs.clear();
            let unexpanded = form.clone();
            let call_pos = form.pos;
            this.refer_repl_helpers(&form, unit)?;
            this.load_preloaded_libs(&form, unit)?;
            this.load_nested_requires(&form, unit)?;
            this.last_macro = None;
            // A defmethod of a multimethod only the compiler has (clojure.test's
            // assert-expr): its method is the compiler's, the page gets nothing.
            if this.is_compiler_only_defmethod(&form) {
                this.note_top_level_effects(&form);
                return this.top_level_expanded(&Form::nil(), unit);
            }
            let form = this.macroexpand(&form)?;
            let via = this.last_macro.take();
            let start = unit.run.len();
            let result = this
                .top_level_expanded(&form, unit)
                .and_then(|()| this.make_quoted_macro_vars(call_pos, start, unit));
            if result.is_ok() {
                this.note_top_level_effects(&unexpanded);
            }
            name_expansion_errors(result, call_pos, via)
        })
    }

    /// `(source f)`, `(apropos "x")`, `(dir ns)`, `(pst)`, `(find-doc "x")`,
    /// `(pprint x)` or `(pp)` at the REPL, anywhere in a form, where the name
    /// means nothing yet: clojure.repl and clojure.pprint are required and
    /// their helpers referred, as a REPL's namespace has them from
    /// clojure.main/repl-requires.
    fn refer_repl_helpers(&mut self, form: &Form, unit: &mut Unit) -> Result<()> {
        const HELPERS: &[(&str, &str)] = &[
            ("clojure.repl", "source"),
            ("clojure.repl", "apropos"),
            ("clojure.repl", "dir"),
            ("clojure.repl", "pst"),
            ("clojure.repl", "doc"),
            ("clojure.repl", "find-doc"),
            ("clojure.pprint", "pp"),
            ("clojure.pprint", "pprint"),
        ];
        // Called anywhere in the form, as `(with-out-str (dir clojure.set))`:
        // a helper's name in head position that nothing else answers to.
        fn called<'f>(form: &'f Form, found: &mut Vec<&'f str>) {
            if let Some((name, _)) = list_head(form) {
                if name != "doc" && HELPERS.iter().any(|(_, helper)| *helper == name) {
                    found.push(name);
                }
            }
            form.items()
                .into_iter()
                .flatten()
                .for_each(|f| called(f, found));
        }
        // A library's own forms call its helpers before they are defined.
        if self
            .loading
            .iter()
            .any(|lib| HELPERS.iter().any(|(helper_lib, _)| lib == helper_lib))
        {
            return Ok(());
        }
        let mut found = Vec::new();
        called(form, &mut found);
        if found
            .iter()
            .all(|name| self.knowledge.resolve("", name).is_ok())
        {
            return Ok(());
        }
        for lib in ["clojure.repl", "clojure.pprint"] {
            let refers: Vec<Form> = HELPERS
                .iter()
                .filter(|(helper_lib, helper)| {
                    *helper_lib == lib && self.knowledge.resolve("", helper).is_err()
                })
                .map(|(_, helper)| sym(helper, form.pos))
                .collect();
            if refers.is_empty() {
                continue;
            }
            let spec = Form::new(
                FormKind::Vector(vec![
                    sym(lib, form.pos),
                    Form::keyword("refer"),
                    Form::new(FormKind::Vector(refers), form.pos),
                ]),
                form.pos,
            );
            self.require_spec(&spec, false, unit)?;
        }
        Ok(())
    }

    /// Loads the bundled libraries that JVM Clojure has loaded before a
    /// program starts, as the form names them (`clojure.java.io/file`
    /// without a require works there, so it works here).
    fn load_preloaded_libs(&mut self, form: &Form, unit: &mut Unit) -> Result<()> {
        // clojure.repl as an editor's REPL (nREPL) has it loaded.
        const PRELOADED: &[&str] = &[
            "clojure.java.io",
            "clojure.spec.alpha",
            "clojure.repl",
            "clojure.core.protocols",
        ];
        fn named(form: &Form, found: &mut Vec<&'static str>) {
            match &*form.kind {
                FormKind::Symbol { ns, .. } if ns.starts_with("clojure.") => {
                    if let Some(lib) = PRELOADED.iter().find(|lib| **lib == ns) {
                        if !found.contains(lib) {
                            found.push(lib);
                        }
                    }
                }
                _ => form
                    .items()
                    .into_iter()
                    .flatten()
                    .for_each(|f| named(f, found)),
            }
        }
        let mut found = Vec::new();
        named(form, &mut found);
        for lib in found {
            if self.knowledge.needs_loading(lib) && !self.loading.iter().any(|n| n == lib) {
                self.load_lib(lib, form.pos, false, unit)?;
            }
        }
        Ok(())
    }

    /// `(require 'my.ns)` or `(use 'my.ns)` inside code, as in
    /// `(defn -main [] (require 'my.app.server) ...)`: the page cannot
    /// compile at run time, so the namespace is compiled here, into this
    /// unit, before the code that requires it (its aliases and refers
    /// apply from then on). A namespace nobody has is left for the call to
    /// report when it runs, as on the JVM. `(requiring-resolve 'my.ns/f)`
    /// loads its namespace the same way.
    fn load_nested_requires(&mut self, form: &Form, unit: &mut Unit) -> Result<()> {
        fn calls<'f>(form: &'f Form, top: bool, found: &mut Vec<(&'f str, &'f [Form])>) {
            if let Some(("quote", _)) = list_head(form) {
                return;
            }
            if let FormKind::List(items) = &*form.kind {
                if let Some(FormKind::Symbol { ns, name }) = items.first().map(|f| &*f.kind) {
                    let core = ns.is_empty() || ns == "clojure.core";
                    if !top
                        && core
                        && matches!(name.as_str(), "require" | "use" | "requiring-resolve")
                    {
                        found.push((name.as_str(), &items[1..]));
                    }
                }
            }
            form.items()
                .into_iter()
                .flatten()
                .for_each(|f| calls(f, false, found));
        }
        let mut found = Vec::new();
        calls(form, true, &mut found);
        if found.is_empty() {
            return Ok(());
        }
        for (op, args) in found {
            if self.knowledge.resolve("", op).is_ok() {
                continue; // the program's own var of that name
            }
            let reload = args.iter().any(is_reload_flag);
            for arg in args {
                let Some(("quote", [spec])) = list_head(arg) else {
                    continue;
                };
                let findable = spec_namespaces(spec).iter().all(|ns| {
                    !self.knowledge.needs_loading(ns) || self.knowledge.find_source(ns).is_some()
                });
                if !findable
                    || spec_namespaces(spec)
                        .iter()
                        .any(|ns| self.loading.contains(ns))
                {
                    continue;
                }
                match op {
                    "require" => self.require_spec(spec, reload, unit)?,
                    "use" => self.use_spec(spec, unit)?,
                    _ => {
                        if let FormKind::Symbol { ns, .. } = &*spec.kind {
                            if !ns.is_empty() && self.knowledge.needs_loading(ns) {
                                self.load_lib(ns, spec.pos, false, unit)?;
                            }
                        }
                    }
                }
            }
        }
        self.push_ns_links(unit);
        Ok(())
    }

    /// `(require 'my.ns)` in an expression: compiled ahead by
    /// `load_nested_requires`, so nothing is left to run, unless a
    /// namespace could not be found, which the call reports when it runs.
    fn nested_require(&mut self, pos: Pos, op: &str, args: &[Form], tail: bool) -> Result<Expr> {
        // (require sym) with a spec computed when it runs, as integrant's
        // load-namespaces does: the page cannot compile then, so a namespace
        // it has is required already, and any other is Clojure's "Could not
        // locate" FileNotFoundException, which such code catches.
        if op == "require"
            && args
                .iter()
                .any(|a| !matches!(list_head(a), Some(("quote", _))))
        {
            let mut checks = vec![sym("do", pos)];
            for arg in args.iter().filter(|a| !is_reload_flag(a)) {
                checks.push(Form::list(
                    vec![runtime_require_check(pos)?, arg.clone()],
                    pos,
                ));
            }
            checks.push(Form::nil());
            return self.analyze(&Form::list(checks, pos), tail);
        }
        let mut missing = Vec::new();
        for arg in args.iter().filter(|a| !is_reload_flag(a)) {
            match list_head(arg) {
                Some(("quote", [spec])) => missing.extend(
                    spec_namespaces(spec)
                        .into_iter()
                        .filter(|ns| self.knowledge.needs_loading(ns)),
                ),
                _ => {
                    return fail(
                        arg.pos,
                        format!(
                            "{op} inside code takes quoted specs, (use 'my.ns): \
                             the namespace is compiled ahead, since the page cannot compile at run time"
                        ),
                    )
                }
            }
        }
        let Some(ns) = missing.first() else {
            return Ok(Expr::Const(Const::Nil));
        };
        let message = self.knowledge.not_found_message(ns);
        let throw = Form::list(
            vec![
                sym("throw", pos),
                Form::list(
                    vec![
                        sym("java.io.FileNotFoundException.", pos),
                        Form::value(FormKind::Str(message)),
                    ],
                    pos,
                ),
            ],
            pos,
        );
        self.analyze(&throw, tail)
    }

    /// Runs one level of analysis, refusing to go deeper than MAX_NESTING.
    fn nested<T>(&mut self, pos: Pos, work: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.nesting >= MAX_NESTING {
            return fail(
                pos,
                format!("code nests more than {MAX_NESTING} forms deep (is a macro expanding into itself?)"),
            );
        }
        self.nesting += 1;
        let result = work(self);
        self.nesting -= 1;
        result
    }

    fn top_level_expanded(&mut self, form: &Form, unit: &mut Unit) -> Result<()> {
        match list_head(form) {
            Some(("do", body)) if !self.is_local("do") => {
                for f in body {
                    self.top_level(f, unit)?;
                }
                if body.is_empty() {
                    unit.push_run(Expr::Const(Const::Nil));
                }
                Ok(())
            }
            Some(("ns", args)) => {
                self.ns_form(form.pos, args, unit)?;
                self.push_ns_links(unit);
                unit.push_run(Expr::Const(Const::Nil));
                Ok(())
            }
            Some(("in-ns", args)) => {
                let ns = match args {
                    [quoted] => match list_head(quoted) {
                        Some(("quote", [sym])) => sym.as_simple_symbol().map(str::to_owned),
                        _ => self.compile_time_symbol(quoted),
                    },
                    _ => None,
                };
                let Some(ns) = ns else {
                    return fail(
                        form.pos,
                        "in-ns takes a namespace the compiler can know: a quoted symbol, (in-ns 'my.ns), or a var it can compute",
                    );
                };
                self.knowledge.enter_ns(&ns);
                // Its value is the namespace, made on the page if it is new.
                let pos = form.pos;
                let create = Form::list(
                    vec![
                        Form::qualified_symbol("clojure.core", "create-ns", pos),
                        Form::list(
                            vec![Form::symbol("quote", pos), Form::symbol(&ns, pos)],
                            pos,
                        ),
                    ],
                    pos,
                );
                let expr = self.analyze(&create, false)?;
                unit.push_run(expr);
                Ok(())
            }
            Some(("def", args)) if !self.is_local("def") => {
                self.top_level_def(form.pos, args, unit)
            }
            Some(("use", specs)) if !self.is_local("use") => {
                // (use 'clojure.string) or (use '[clojure.set :only [union]]).
                for spec in specs {
                    match list_head(spec) {
                        Some(("quote", [quoted])) => self.use_spec(quoted, unit)?,
                        _ => return fail(spec.pos, "use takes quoted specs: (use 'my.ns)"),
                    }
                }
                self.push_ns_links(unit);
                unit.push_run(Expr::Const(Const::Nil));
                Ok(())
            }
            Some(("refer", [lib, filters @ ..])) if !self.is_local("refer") => {
                // (refer 'clojure.set :only '[union]): a use spec, unquoted.
                let unquote = |f: &Form| match list_head(f) {
                    Some(("quote", [quoted])) => quoted.clone(),
                    _ => f.clone(),
                };
                let mut spec = vec![unquote(lib)];
                spec.extend(filters.iter().map(unquote));
                self.use_spec(&Form::new(FormKind::Vector(spec), form.pos), unit)?;
                self.push_ns_links(unit);
                unit.push_run(Expr::Const(Const::Nil));
                Ok(())
            }
            Some(("require", specs)) if !self.is_local("require") => {
                // (require '[clojure.string :as str]) at the REPL: as in ns.
                let reload = specs.iter().any(is_reload_flag);
                for spec in specs.iter().filter(|s| !is_reload_flag(s)) {
                    match list_head(spec) {
                        Some(("quote", [quoted])) => self.require_spec(quoted, reload, unit)?,
                        _ => {
                            return fail(
                                spec.pos,
                                "require takes quoted specs: (require '[my.ns :as m])",
                            )
                        }
                    }
                }
                self.push_ns_links(unit);
                unit.push_run(Expr::Const(Const::Nil));
                Ok(())
            }
            _ => {
                let form = self.namespace_directive(form);
                let nested_before = self.nested_defs.len();
                let expr = self.analyze(&form, false)?;
                self.nested_def_values(nested_before, &expr);
                unit.push_run(expr);
                Ok(())
            }
        }
    }

    /// Gives each def nested in the top-level `expr` (since `from`) a
    /// compile-time value: the whole form, run by the evaluator when a macro
    /// first asks, defines it (eval/mod.rs), as core.match's helpers are
    /// defined in a `let` that closes over a sentinel.
    fn nested_def_values(&mut self, from: usize, expr: &Expr) {
        if self.compile_time {
            return;
        }
        for (ns, name) in self.nested_defs.split_off(from) {
            let then_the_var = Expr::Do(vec![
                expr.clone(),
                Expr::Var {
                    ns: ns.clone(),
                    name: name.clone(),
                },
            ]);
            self.knowledge.set_compile_time_value(
                &ns,
                &name,
                CtValue::Pending(Arc::new(then_the_var)),
            );
        }
    }

    /// `form`'s value at compile time, as a macro's code would compute it,
    /// or None when the compiler cannot compute it.
    fn compile_time_eval(&mut self, form: &Form) -> Option<Form> {
        let saved = std::mem::replace(&mut self.compile_time, true);
        let expr = self.analyze(form, false);
        self.compile_time = saved;
        Interp::new(self.knowledge).eval_top(&expr.ok()?).ok()
    }

    /// What a top-level macro call means to the compiler beyond its
    /// expansion, applied once the form is compiled, before the next one:
    /// `(import '(my.model User))` refers the type, as ns's `(:import ...)`
    /// does; `defmulti` gives its var a multimethod at compile time, and
    /// `defmethod` adds its method to one, so that a macro's helpers may
    /// dispatch through them (eval/multimethods.rs). Forms whose parts the
    /// compiler cannot compute leave the multimethod to the page alone.
    fn note_top_level_effects(&mut self, form: &Form) {
        // The head as written, or qualified, as a macro's expansion has it.
        let FormKind::List(items) = &*form.kind else {
            return;
        };
        let Some((
            FormKind::Symbol {
                ns: head_ns,
                name: head,
            },
            args,
        )) = items.split_first().map(|(head, args)| (&*head.kind, args))
        else {
            return;
        };
        if head_ns.is_empty() && self.is_local(head) {
            return;
        }
        // (def T (record-type* "my.ns.T" [:a :b])), a record's or deftype's.
        if let ("", "def", [_, init]) = (head_ns.as_str(), head.as_str(), args) {
            let FormKind::List(call) = &*init.kind else {
                return;
            };
            let is_record_type = |f: &Form| {
                matches!(&*f.kind, FormKind::Symbol { ns, name }
                    if name == "record-type*" && (ns.is_empty() || ns == "clojure.core"))
            };
            if let [head, _, fields] = call.as_slice() {
                if let (true, FormKind::Vector(fields)) = (is_record_type(head), &*fields.kind) {
                    let names = fields
                        .iter()
                        .filter_map(|f| f.as_keyword_name().map(str::to_owned));
                    self.knowledge.add_type_fields(names);
                }
            }
            return;
        }
        let Ok((ns, op)) = self.knowledge.resolve(head_ns, head) else {
            return;
        };
        if ns != "clojure.core" {
            return;
        }
        match (op.as_str(), args) {
            ("import", specs) => {
                for spec in specs {
                    let spec = match list_head(spec) {
                        Some(("quote", [quoted])) => quoted,
                        _ => spec,
                    };
                    self.import_spec(spec);
                }
            }
            ("defmulti", [name, rest @ ..]) => {
                let Some(name) = name.as_simple_symbol().map(str::to_owned) else {
                    return;
                };
                let current = self.knowledge.current_ns.clone();
                if self
                    .knowledge
                    .compile_time_value(&current, &name)
                    .is_ok_and(|v| multimethods::is_multimethod(&v))
                {
                    return; // a defmulti evaluated again keeps its methods
                }
                let rest: Vec<&Form> = rest
                    .iter()
                    .skip_while(|f| matches!(*f.kind, FormKind::Str(_) | FormKind::Map(_)))
                    .collect();
                let Some((dispatch, options)) = rest.split_first() else {
                    return;
                };
                let mut default = Form::keyword("default");
                for pair in options.chunks(2) {
                    if let [key, value] = pair {
                        if key.as_keyword_name() == Some("default") {
                            match self.compile_time_eval(value) {
                                Some(value) => default = value,
                                None => return,
                            }
                        }
                    }
                }
                let Some(dispatch) = self.compile_time_eval(dispatch) else {
                    return;
                };
                let multimethod =
                    multimethods::new(&format!("{current}/{name}"), dispatch, default);
                self.knowledge
                    .set_compile_time_value(&current, &name, CtValue::Ready(multimethod));
            }
            // extend-type's and extend-protocol's expansion, one per method.
            ("add-protocol-impl*", [method, type_key, implementation]) => {
                let Some(method) = self.compile_time_value_of(method) else {
                    return;
                };
                if !protocols::is_method(&method) {
                    return;
                }
                if let (Some(type_key), Some(implementation)) = (
                    self.compile_time_eval(type_key),
                    self.compile_time_eval(implementation),
                ) {
                    protocols::add_impl(
                        &Interp::new(self.knowledge),
                        &method,
                        type_key,
                        implementation,
                    );
                }
            }
            // A deftype's or defrecord's Object and interface methods
            // (eval/types.rs): its toString, equals, invoke, ... in macros.
            // (derive ::child ::parent): the global hierarchy macros see.
            ("derive", [_, _]) => {
                self.compile_time_eval(form);
            }
            ("record-to-string*" | "type-method*" | "type-interface*", [type_name, ..])
            | ("implemented-inline*", [_, type_name])
                if self
                    .compile_time_value_of(type_name)
                    .is_some_and(|t| types::name_of_type(&t).is_some()) =>
            {
                self.compile_time_eval(form);
            }
            ("defmethod", [multifn, dispatch_value, fn_tail @ ..]) => {
                let Some(multimethod) = self.compile_time_value_of(multifn) else {
                    return;
                };
                if !multimethods::is_multimethod(&multimethod) {
                    return;
                }
                let mut fn_form = vec![Form::symbol("fn", form.pos)];
                fn_form.extend(fn_tail.iter().cloned());
                let (Some(dispatch_value), Some(method)) = (
                    self.compile_time_eval(dispatch_value),
                    self.compile_time_eval(&Form::list(fn_form, form.pos)),
                ) else {
                    return;
                };
                multimethods::add_method(&multimethod, dispatch_value, method);
            }
            _ => {}
        }
    }

    /// `(defmethod m ...)` where m is a multimethod of the compiler's that
    /// the page has no var for.
    fn is_compiler_only_defmethod(&self, form: &Form) -> bool {
        let FormKind::List(items) = &*form.kind else {
            return false;
        };
        let [head, multifn, ..] = items.as_slice() else {
            return false;
        };
        let (
            FormKind::Symbol { ns, name },
            FormKind::Symbol {
                ns: m_ns,
                name: m_name,
            },
        ) = (&*head.kind, &*multifn.kind)
        else {
            return false;
        };
        if self.knowledge.resolve(ns, name).ok()
            != Some(("clojure.core".to_owned(), "defmethod".to_owned()))
        {
            return false;
        }
        let Ok((m_ns, m_name)) = self.knowledge.resolve(m_ns, m_name) else {
            return false;
        };
        crate::prelude::loaded_if_ready()
            .is_some_and(|prelude| prelude.entry(&m_ns, &m_name).is_some())
            && !Knowledge::is_runtime_var(&m_ns, &m_name)
            && self
                .knowledge
                .compile_time_value(&m_ns, &m_name)
                .is_ok_and(|m| multimethods::is_multimethod(&m))
    }

    /// Whether `symbol` names a var the page has (not a local).
    fn names_var(&self, symbol: &Form) -> bool {
        let FormKind::Symbol { ns, name } = &*symbol.kind else {
            return false;
        };
        (!ns.is_empty() || !self.is_local(name))
            && self
                .knowledge
                .resolve(ns, name)
                .is_ok_and(|(ns, name)| self.knowledge.entry(&ns, &name).is_some_and(|e| e.in_page))
    }

    /// The compile-time value of the var `symbol` names, if it has one.
    fn compile_time_value_of(&self, symbol: &Form) -> Option<Form> {
        let FormKind::Symbol { ns, name } = &*symbol.kind else {
            return None;
        };
        let (ns, name) = self.knowledge.resolve(ns, name).ok()?;
        self.knowledge.compile_time_value(&ns, &name).ok()
    }

    /// The symbol `form` evaluates to at compile time, as a macro's code
    /// would compute it, or None.
    fn compile_time_symbol(&mut self, form: &Form) -> Option<String> {
        let saved = std::mem::replace(&mut self.compile_time, true);
        let expr = self.analyze(form, false);
        self.compile_time = saved;
        let value = Interp::new(self.knowledge).eval_top(&expr.ok()?).ok()?;
        value.as_simple_symbol().map(str::to_owned)
    }

    /// Top-level `alias`, `ns-unalias`, `ns-unmap`, `create-ns`, `remove-ns` and `intern`
    /// with literal arguments change what later forms resolve to, so the compiler
    /// applies them as it reaches them, as Clojure's does by running each
    /// form before compiling the next. The call still runs in the page,
    /// `alias` with `*ns*` bound to the namespace it is compiled in.
    fn namespace_directive(&mut self, form: &Form) -> Form {
        let unchanged = form.clone();
        let Some((head, args)) = list_head(form) else {
            return unchanged;
        };
        if self.is_local(head) {
            return unchanged;
        }
        let is_core = |name: &str| {
            self.knowledge
                .resolve("", head)
                .is_ok_and(|(ns, var)| ns == "clojure.core" && var == name)
        };
        let quoted = |f: &Form| match list_head(f) {
            Some(("quote", [sym])) => sym.as_simple_symbol().map(str::to_owned),
            _ => None,
        };
        let current = self.knowledge.current_ns.clone();
        let namespace = |f: &Form| match &*f.kind {
            FormKind::Symbol { name, .. } if name == "*ns*" => Some(current.clone()),
            _ => quoted(f),
        };
        match args {
            [alias, target] if is_core("alias") => {
                if let (Some(alias), Some(target)) = (quoted(alias), quoted(target)) {
                    self.knowledge.add_alias(&alias, &target);
                }
                let pos = form.pos;
                let core = |name: &str| Form::qualified_symbol("clojure.core", name, pos);
                let current = Form::list(
                    vec![Form::symbol("quote", pos), Form::symbol(&current, pos)],
                    pos,
                );
                let the_ns = Form::list(vec![core("create-ns"), current], pos);
                let bindings = Form::new(FormKind::Vector(vec![core("*ns*"), the_ns]), pos);
                return Form::list(vec![core("binding"), bindings, unchanged], pos);
            }
            [ns, alias] if is_core("ns-unalias") => {
                if let (Some(ns), Some(alias)) = (namespace(ns), quoted(alias)) {
                    self.knowledge.remove_alias(&ns, &alias);
                }
            }
            [ns, name] if is_core("ns-unmap") => {
                if let (Some(ns), Some(name)) = (namespace(ns), quoted(name)) {
                    self.knowledge.unmap(&ns, &name);
                }
            }
            [name] if is_core("create-ns") => {
                if let Some(name) = quoted(name) {
                    self.knowledge.create_ns(&name);
                }
            }
            [name] if is_core("remove-ns") => {
                if let Some(name) = quoted(name) {
                    if name != "clojure.core" && name != current {
                        self.knowledge.remove_ns(&name);
                    }
                }
            }
            // (intern 'ns 'name value), or (intern *ns* 'name value): the
            // var exists for later forms, and
            // the compiler can compute its value as a macro's code would, when
            // asked, so that (in-ns saved-ns) can end a setup that began by
            // saving *ns*. Its *ns* is the one where the form stands, as when
            // the page runs it.
            [ns, name] if is_core("intern") => {
                if let (Some(ns), Some(name)) = (namespace(ns), quoted(name)) {
                    self.knowledge.define(&ns, &name);
                }
            }
            [ns, name, value] if is_core("intern") => {
                if let (Some(ns), Some(name)) = (namespace(ns), quoted(name)) {
                    self.knowledge.define(&ns, &name);
                    let value = with_ns_as(value, &current);
                    let saved = std::mem::replace(&mut self.compile_time, true);
                    let value = self.analyze(&value, false);
                    self.compile_time = saved;
                    if let Ok(value) = value {
                        self.knowledge.set_compile_time_value(
                            &ns,
                            &name,
                            CtValue::Pending(Arc::new(value)),
                        );
                    }
                }
            }
            _ => {}
        }
        unchanged
    }

    /// Where a def at `pos` sits: in the file `*file*` names while the unit
    /// compiles (None for `NO_SOURCE_PATH`, code typed at the REPL).
    fn defined_at(&self, pos: Pos) -> Option<DefinedAt> {
        if !pos.is_known() {
            return None;
        }
        let file = match self
            .knowledge
            .compile_time_value("clojure.core", "*file*")
            .ok()
            .map(Form::into_kind)
        {
            Some(FormKind::Str(file)) if file != "NO_SOURCE_PATH" => Some(Arc::from(file)),
            _ => None,
        };
        Some(DefinedAt {
            file,
            line: pos.line,
            column: pos.column,
        })
    }

    /// A top-level def: a macro lives only in the compiler; a fn with no
    /// captures is registered through the patch's symbol table; anything
    /// else sets the var's root when the patch runs. Every def also gets a
    /// compile-time value, so later macros can call it.
    fn top_level_def(&mut self, pos: Pos, args: &[Form], unit: &mut Unit) -> Result<()> {
        let (name_form, init) = def_parts(pos, args)?;
        let Some(name) = name_form.as_simple_symbol() else {
            return fail(pos, "def needs an unqualified symbol as its name");
        };
        let name = name.to_owned();
        let ns = self.knowledge.current_ns.clone();
        let meta = def_meta(name_form, args);
        let is_macro = name_form.meta_get("macro").is_some_and(Form::truthy);
        if is_macro {
            let Some(init) = init else {
                return fail(pos, "a macro needs a definition");
            };
            let saved = std::mem::replace(&mut self.compile_time, true);
            let expr = self.analyze(init, false);
            self.compile_time = saved;
            let expr = expr?;
            let value = Interp::new(self.knowledge)
                .eval_top(&expr)
                .map_err(|e| AnalyzeError {
                    pos,
                    message: format!("defining macro {ns}/{name}: {}", e.message()),
                })?;
            self.knowledge
                .set_compile_time_value(&ns, &name, CtValue::Ready(value));
            let defined_at = self.defined_at(pos);
            let entry = self.knowledge.entry_mut(&ns, &name);
            entry.is_macro = true;
            entry.set_meta(meta.map(Arc::new));
            entry.defined_at = defined_at;
            // The page gets the macro's var too, with its metadata, so that
            // ns-publics, ns-interns and (meta #'m) there see it, as they
            // see a macro on the JVM. The prelude's macros are the compiler's.
            if !self.compile_time {
                let var = self.macro_var(pos, &ns, &name);
                let var = self.analyze(&var, false)?;
                unit.push_run_quietly(var);
            }
            unit.defined_macros.push((ns.clone(), name.clone()));
            unit.last_def = Some((ns, name));
            unit.ends_with_def = true;
            return Ok(());
        }
        let previous_meta = self
            .knowledge
            .entry(&ns, &name)
            .and_then(|e| e.meta().cloned());
        // Defined before its metadata is analyzed, as Clojure interns the
        // var first: test.check's defspec puts a :test fn that calls the
        // var itself in the metadata.
        if self.compile_time {
            self.knowledge.entry_mut(&ns, &name);
        } else {
            self.knowledge.define(&ns, &name);
        }
        let page_meta = page_var_meta(meta.as_ref(), previous_meta.as_deref(), |f| {
            self.names_var(f)
        })
        .map(|m| self.analyze(&m, false))
        .transpose()?;
        // With no metadata to set when the patch runs, a fn's arglists ride
        // in the patch itself (`Defn::arglists`), or, when the def runs as
        // code after all, are the metadata it sets.
        let plain_arglists = match page_meta {
            Some(_) => None,
            None => meta.as_ref().and_then(arglists_of),
        };
        let run_meta = match (&page_meta, &plain_arglists) {
            (Some(m), _) => Some(m.clone()),
            (None, Some(arglists)) => Some(self.analyze(&arglists_meta(arglists), false)?),
            (None, None) => None,
        };
        // Defined before the value is analyzed, so it may refer to itself.
        // The prelude's helpers exist only in the compiler.
        if self.compile_time {
            self.knowledge.entry_mut(&ns, &name);
        } else {
            self.knowledge.define(&ns, &name);
        }
        let defined_at = self.defined_at(pos);
        let entry = self.knowledge.entry_mut(&ns, &name);
        entry.is_macro = false;
        entry.source = self.top_level_source.clone();
        entry.defined_at = defined_at;
        let Some(init) = init else {
            self.knowledge
                .entry_mut(&ns, &name)
                .set_meta(meta.map(Arc::new));
            unit.push_run(Expr::Def {
                ns,
                name,
                init: None,
                meta: page_meta.map(Box::new),
            });
            return Ok(());
        };
        let expr = self.analyze_defining(&ns, &name, init)?;
        let compile_time_value = match &expr {
            Expr::Fn(_) => Interp::new(self.knowledge)
                .eval_top(&expr)
                .map_or_else(|_| CtValue::Pending(Arc::new(expr.clone())), CtValue::Ready),
            _ => CtValue::Pending(Arc::new(expr.clone())),
        };
        self.knowledge
            .set_compile_time_value(&ns, &name, compile_time_value);
        self.knowledge
            .entry_mut(&ns, &name)
            .set_meta(meta.map(Arc::new));
        match expr {
            // A second def of a name in one evaluation sets the root when it
            // runs, in order, so code between the two sees the first.
            Expr::Fn(fun)
                if fun.captures.is_empty()
                    && !unit.defns.iter().any(|d| d.ns == ns && d.name == name) =>
            {
                unit.defns.push(Defn {
                    ns: ns.clone(),
                    name: name.clone(),
                    fun,
                    pos,
                    arglists: plain_arglists.map(|a| a.to_string()),
                });
                if let Some(meta) = page_meta {
                    unit.push_run_quietly(core_call(
                        "reset-meta!",
                        vec![
                            Expr::TheVar {
                                ns: ns.clone(),
                                name: name.clone(),
                            },
                            meta,
                        ],
                    ));
                }
                unit.last_def = Some((ns, name));
                unit.ends_with_def = true;
            }
            expr => unit.push_run(Expr::Def {
                ns,
                name,
                init: Some(Box::new(expr)),
                meta: run_meta.map(Box::new),
            }),
        }
        Ok(())
    }

    /// Tells the page the current namespace's aliases and refers, so that
    /// `resolve` and `ns-aliases` there see what the compiler resolves with.
    fn push_ns_links(&self, unit: &mut Unit) {
        let (aliases, refers) = self.knowledge.current_links();
        if aliases.is_empty() && refers.is_empty() {
            return;
        }
        let symbol = |s: &str| {
            Form::value(FormKind::Symbol {
                ns: String::new(),
                name: s.to_owned(),
            })
        };
        let table = |pairs: Vec<(String, String)>| {
            Expr::Quote(Form::value(FormKind::Map(
                pairs
                    .iter()
                    .flat_map(|(k, v)| [symbol(k), symbol(v)])
                    .collect(),
            )))
        };
        unit.push_run_quietly(core_call(
            "ns-links*",
            vec![
                Expr::Quote(symbol(&self.knowledge.current_ns)),
                table(aliases),
                table(refers),
            ],
        ));
    }

    /// `require` of a namespace the compiler has not seen: its source (a
    /// library bundled with the compiler, or a file on the source path) is
    /// compiled here, into this unit, before the requiring code, as Clojure's
    /// require loads a file once. `reload` loads it again (`:reload`).
    fn load_lib(&mut self, ns: &str, pos: Pos, reload: bool, unit: &mut Unit) -> Result<()> {
        if self.loading.iter().any(|n| n == ns) {
            let mut chain = self.loading.clone();
            chain.push(ns.to_owned());
            return fail(
                pos,
                format!("Cyclic load dependency: {}", chain.join(" -> ")),
            );
        }
        if !reload && !self.knowledge.needs_loading(ns) {
            return Ok(());
        }
        let Some(source) = self.knowledge.find_source(ns) else {
            if reload && !self.knowledge.needs_loading(ns) {
                return Ok(()); // evaluated from an editor, not from a file
            }
            return fail(pos, self.knowledge.not_found_message(ns));
        };
        let while_loading = |e: AnalyzeError| AnalyzeError {
            pos,
            message: format!(
                "while loading {ns} ({}:{}:{}): {}",
                source.file, e.pos.line, e.pos.column, e.message
            ),
        };
        let forms = crate::reader::read_all(&source.text).map_err(|e| {
            while_loading(AnalyzeError {
                pos: e.pos,
                message: e.message,
            })
        })?;
        let requiring_ns = self.knowledge.current_ns.clone();
        // *file* names the file while it loads, as Clojure's load binds it.
        let requiring_file = self
            .knowledge
            .compile_time_value("clojure.core", "*file*")
            .ok();
        self.knowledge
            .set_core_compile_time_value("*file*", Form::value(FormKind::Str(source.file.clone())));
        self.loading.push(ns.to_owned());
        let result = forms.iter().try_for_each(|form| self.top_level(form, unit));
        self.loading.pop();
        self.knowledge.enter_ns(&requiring_ns);
        if let Some(file) = requiring_file {
            self.knowledge.set_core_compile_time_value("*file*", file);
        }
        result.map_err(while_loading)?;
        self.knowledge.mark_loaded(ns);
        Ok(())
    }

    fn ns_form(&mut self, pos: Pos, args: &[Form], unit: &mut Unit) -> Result<()> {
        let Some(name) = args.first().and_then(Form::as_simple_symbol) else {
            return fail(pos, "ns needs a namespace name: (ns my.app (:require ...))");
        };
        self.knowledge.enter_ns(name);
        self.ns_metadata(pos, name, &args[1..], unit)?;
        for clause in &args[1..] {
            // Clojure's ns takes a clause as a list or, as older code writes
            // it, a vector: [:require clojure.string].
            let (FormKind::List(items) | FormKind::Vector(items)) = &*clause.kind else {
                if matches!(*clause.kind, FormKind::Str(_) | FormKind::Map(_)) {
                    continue; // docstring or attribute map
                }
                return fail(clause.pos, "expected a (:require ...) clause in ns");
            };
            match items.first().map(|f| &*f.kind) {
                Some(FormKind::Keyword { name, .. }) if name == "require" => {
                    let reload = items[1..].iter().any(is_reload_flag);
                    for spec in items[1..].iter().filter(|s| !is_reload_flag(s)) {
                        self.require_spec(spec, reload, unit)?;
                    }
                }
                // A namespace the page has is used as it is: :reload-all
                // asks nothing more of the compiler here.
                Some(FormKind::Keyword { name, .. }) if name == "use" => {
                    for spec in items[1..].iter().filter(|s| !is_reload_flag(s)) {
                        self.use_spec(spec, unit)?;
                    }
                }
                Some(FormKind::Keyword { name, .. }) if name == "refer-clojure" => {
                    self.refer_clojure(&items[1..])?
                }
                Some(FormKind::Keyword { name, .. }) if name == "import" => {
                    for spec in &items[1..] {
                        self.import_spec(spec);
                    }
                }
                Some(FormKind::Keyword { name, .. })
                    if matches!(name.as_str(), "gen-class" | "load") => {}
                _ => {
                    return fail(
                        clause.pos,
                        "unsupported ns clause: only (:require ...), (:use ...), (:refer-clojure ...) and (:import ...) are supported",
                    )
                }
            }
        }
        Ok(())
    }

    /// `(ns name "doc" {:author "me"} ...)`: the docstring and the attribute
    /// map become the namespace's metadata in the page, `(meta *ns*)`.
    fn ns_metadata(
        &mut self,
        pos: Pos,
        name: &str,
        clauses: &[Form],
        unit: &mut Unit,
    ) -> Result<()> {
        let mut entries = Vec::new();
        for clause in clauses.iter().take(2) {
            match &*clause.kind {
                FormKind::Str(_) => entries.extend([Form::keyword("doc"), clause.clone()]),
                FormKind::Map(items) => entries.extend(items.iter().cloned()),
                _ => break,
            }
        }
        if entries.is_empty() {
            return Ok(());
        }
        let quoted = Form::list(
            vec![Form::symbol("quote", pos), Form::symbol(name, pos)],
            pos,
        );
        let the_ns = Form::list(
            vec![
                Form::qualified_symbol("clojure.core", "create-ns", pos),
                quoted,
            ],
            pos,
        );
        let set = Form::list(
            vec![
                Form::qualified_symbol("clojure.core", "reset-meta!", pos),
                the_ns,
                Form::new(FormKind::Map(entries), pos),
            ],
            pos,
        );
        let expr = self.analyze(&set, false)?;
        unit.push_run(expr);
        Ok(())
    }

    fn require_spec(&mut self, spec: &Form, reload: bool, unit: &mut Unit) -> Result<()> {
        if let Some(specs) = prefix_list_specs(spec)? {
            for spec in &specs {
                self.require_spec(spec, reload, unit)?;
            }
            return Ok(());
        }
        let items = match &*spec.kind {
            FormKind::Symbol { ns, name } if ns.is_empty() => {
                return self.load_lib(name, spec.pos, reload, unit)
            }
            FormKind::Symbol { .. } | FormKind::Keyword { .. } => return Ok(()),
            FormKind::Vector(items) | FormKind::List(items) => items,
            _ => {
                return fail(
                    spec.pos,
                    "a require spec is a symbol or [ns :as alias :refer [names]]",
                )
            }
        };
        let Some(target) = items.first().and_then(Form::as_simple_symbol) else {
            return fail(spec.pos, "a require spec starts with the namespace symbol");
        };
        // :as-alias names a namespace without loading it.
        let alias_only = items
            .iter()
            .any(|f| f.as_keyword_name() == Some("as-alias"));
        if !alias_only {
            self.load_lib(target, spec.pos, reload, unit)?;
        }
        let mut options = items[1..].iter();
        let mut renames = Vec::new();
        while let Some(option) = options.next() {
            let FormKind::Keyword { name: key, .. } = &*option.kind else {
                return fail(option.pos, "expected :as or :refer in a require spec");
            };
            let Some(value) = options.next() else {
                return fail(option.pos, format!(":{key} needs a value"));
            };
            match (key.as_str(), &*value.kind) {
                ("as" | "as-alias", FormKind::Symbol { name, .. }) => {
                    self.knowledge.add_alias(name, target)
                }
                // A vector, or a list as older code writes it: (:refer (f g)).
                ("refer", FormKind::Vector(names) | FormKind::List(names)) => {
                    for n in names {
                        let Some(name) = n.as_simple_symbol() else {
                            return fail(n.pos, ":refer takes a vector of symbols");
                        };
                        if self.knowledge.lacks_var(target, name) {
                            return fail(n.pos, format!("{name} does not exist"));
                        }
                        self.knowledge.add_refer(name, target);
                    }
                }
                ("refer", FormKind::Keyword { name, .. }) if name == "all" => {
                    self.knowledge.refer_all(target, &[])
                }
                ("rename", FormKind::Map(pairs)) => renames.extend(pairs.chunks(2)),
                // ClojureScript's, in .cljc files; JVM Clojure ignores them.
                ("include-macros" | "refer-macros", _) => {}
                _ => return fail(option.pos, format!("unsupported require option :{key}")),
            }
        }
        // After every :refer, whichever order the options come in.
        for pair in renames {
            match (
                pair[0].as_simple_symbol(),
                pair.get(1).and_then(Form::as_simple_symbol),
            ) {
                (Some(name), Some(local)) => self.knowledge.rename_refer(name, local, target),
                _ => return fail(pair[0].pos, ":rename takes a map of symbols to symbols"),
            }
        }
        Ok(())
    }

    /// `(:import (my.model User))`, `[my.model User]` or `my.model.User`:
    /// a record or deftype another namespace defines answers to its simple
    /// name here, as Clojure's import maps a class's name, so `User`,
    /// `(User. ...)` and `(instance? User x)` work. The JVM's own classes
    /// answer to their simple names already; an import of one does nothing.
    fn import_spec(&mut self, spec: &Form) {
        let (package, names): (String, Vec<&str>) = match &*spec.kind {
            FormKind::Symbol { ns, name } if ns.is_empty() => match name.rsplit_once('.') {
                Some((package, class)) => (package.to_owned(), vec![class]),
                None => return,
            },
            FormKind::List(items) | FormKind::Vector(items) => {
                let Some(package) = items.first().and_then(Form::as_simple_symbol) else {
                    return;
                };
                let names = items[1..]
                    .iter()
                    .filter_map(Form::as_simple_symbol)
                    .collect();
                (package.to_owned(), names)
            }
            _ => return,
        };
        for name in names {
            if let Some(ns) = self.knowledge.importable_namespace(&package, name) {
                self.knowledge.add_refer(name, &ns);
            }
            // clojure.lang.PersistentQueue: its statics (PersistentQueue/EMPTY)
            // are the vars of a namespace of the class's full name. So is a
            // class the page lacks (clojure.lang.Reflector): Reflector/x is
            // then its static, an error only when called.
            let full = format!("{package}.{name}");
            if crate::knowledge::LIBRARY_NAMESPACES
                .iter()
                .any(|(ns, _)| *ns == full)
                || (is_host_package(&full) && !self.knowledge.has_namespace(name))
            {
                self.knowledge.add_alias(name, &full);
            }
        }
    }

    /// `(:refer-clojure :exclude [..] :rename {map core-map})`: clojure.core's
    /// vars are referred already, and a definition takes the place of one, so
    /// only `:rename` has something to do: it refers a var under a new name.
    fn refer_clojure(&mut self, options: &[Form]) -> Result<()> {
        for pair in options.chunks(2) {
            let (Some(key), Some(value)) = (pair[0].as_keyword_name(), pair.get(1)) else {
                return fail(
                    pair[0].pos,
                    "(:refer-clojure ...) takes :exclude, :only or :rename, each with a value",
                );
            };
            if key == "exclude" {
                if let FormKind::Vector(names) | FormKind::List(names) | FormKind::Set(names) =
                    &*value.kind
                {
                    let names = names
                        .iter()
                        .filter_map(Form::as_simple_symbol)
                        .map(str::to_owned);
                    self.knowledge.exclude_core(names.collect::<Vec<_>>());
                }
                continue;
            }
            if key != "rename" {
                continue;
            }
            let FormKind::Map(renames) = &*value.kind else {
                return fail(value.pos, ":rename takes a map of symbols to symbols");
            };
            for rename in renames.chunks(2) {
                match (
                    rename[0].as_simple_symbol(),
                    rename.get(1).and_then(Form::as_simple_symbol),
                ) {
                    (Some(name), Some(local)) => {
                        self.knowledge.add_refer(name, "clojure.core");
                        self.knowledge.rename_refer(name, local, "clojure.core")
                    }
                    _ => return fail(rename[0].pos, ":rename takes a map of symbols to symbols"),
                }
            }
        }
        Ok(())
    }

    /// `(:use lib)`, `(:use [lib :only [a b]])`, `(:use [lib :exclude [c]])`,
    /// and `use` and `refer` at the REPL: refers, as Clojure's `use` makes them.
    fn use_spec(&mut self, spec: &Form, unit: &mut Unit) -> Result<()> {
        if let Some(specs) = prefix_list_specs(spec)? {
            for spec in &specs {
                self.use_spec(spec, unit)?;
            }
            return Ok(());
        }
        let (target, options) = match &*spec.kind {
            FormKind::Symbol { ns, name, .. } if ns.is_empty() => (name.as_str(), &[][..]),
            FormKind::Vector(items) | FormKind::List(items) => {
                let Some(target) = items.first().and_then(Form::as_simple_symbol) else {
                    return fail(spec.pos, "a use spec starts with the namespace symbol");
                };
                (target, &items[1..])
            }
            _ => return fail(spec.pos, "a use spec is a symbol or [ns :only [names]]"),
        };
        self.load_lib(target, spec.pos, false, unit)?;
        let mut only = None;
        let mut exclude = Vec::new();
        for pair in options.chunks(2) {
            let names = |f: &Form| -> Result<Vec<String>> {
                let items = match &*f.kind {
                    FormKind::Vector(items) | FormKind::List(items) => items,
                    _ => return fail(f.pos, "expected a vector of symbols"),
                };
                items
                    .iter()
                    .map(|n| match n.as_simple_symbol() {
                        Some(n) => Ok(n.to_owned()),
                        None => fail(n.pos, "expected a vector of symbols"),
                    })
                    .collect()
            };
            match (&*pair[0].kind, pair.get(1)) {
                (FormKind::Keyword { name, .. }, Some(v)) if name == "only" => {
                    only = Some(names(v)?)
                }
                (FormKind::Keyword { name, .. }, Some(v)) if name == "exclude" => {
                    exclude = names(v)?
                }
                (FormKind::Keyword { name, .. }, Some(v)) if name == "as" => {
                    match v.as_simple_symbol() {
                        Some(alias) => self.knowledge.add_alias(alias, target),
                        None => return fail(v.pos, ":as takes a symbol"),
                    }
                }
                _ => {
                    return fail(
                        pair[0].pos,
                        "a use spec takes :only, :exclude or :as, each with a value",
                    )
                }
            }
        }
        match only {
            Some(names) => {
                for name in names {
                    if self.knowledge.lacks_var(target, &name) {
                        return fail(spec.pos, format!("{name} does not exist"));
                    }
                    self.knowledge.add_refer(&name, target);
                }
            }
            None => {
                let exclude: Vec<&str> = exclude.iter().map(String::as_str).collect();
                self.knowledge.refer_all(target, &exclude);
            }
        }
        Ok(())
    }

    fn resolve_auto_keywords(&self, mut form: Form) -> Form {
        if !has_auto_keyword(&form) {
            return form;
        }
        match form.kind_mut() {
            FormKind::Keyword { ns, auto, .. } if *auto => {
                *ns = self.knowledge.resolve_ns_alias(ns);
                *auto = false;
            }
            FormKind::List(items)
            | FormKind::Vector(items)
            | FormKind::Map(items)
            | FormKind::Set(items) => {
                let taken = std::mem::take(items);
                *items = taken
                    .into_iter()
                    .map(|f| self.resolve_auto_keywords(f))
                    .collect();
            }
            _ => {}
        }
        form
    }

    // ---- locals and scopes -------------------------------------------------

    fn bind_as(&mut self, name: &str, boxed: bool) -> LocalId {
        let id = self.local_depth.len();
        self.local_depth.push(self.scopes.len().saturating_sub(1));
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_owned(), Local { id, boxed });
        }
        id
    }

    fn bind(&mut self, name: &str) -> LocalId {
        self.bind_as(name, false)
    }

    /// A local no source can name.
    fn hidden(&mut self, hint: &str) -> LocalId {
        self.bind(&format!(" {hint}"))
    }

    fn is_local(&self, name: &str) -> bool {
        self.scopes.iter().any(|s| s.contains_key(name))
    }

    fn find_local(&self, name: &str) -> Option<Local> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    /// A local's id, recording the capture by every fn in between.
    fn lookup_local(&mut self, name: &str) -> Option<Local> {
        let local = self.find_local(name)?;
        self.capture(local.id);
        Some(local)
    }

    fn capture(&mut self, id: LocalId) {
        let depth = self.local_depth[id];
        for frame in self.fns.iter_mut().rev() {
            if depth >= frame.scope_floor {
                break;
            }
            if !frame.captures.contains(&id) {
                frame.captures.push(id);
            }
        }
    }

    fn read_local(&mut self, local: Local) -> Expr {
        if local.boxed {
            core_call("deref", vec![Expr::Local(local.id)])
        } else {
            Expr::Local(local.id)
        }
    }

    // ---- expressions --------------------------------------------------------

    pub(crate) fn analyze(&mut self, form: &Form, tail: bool) -> Result<Expr> {
        self.nested(form.pos, |this| this.analyze_nested(form, tail))
    }

    fn analyze_nested(&mut self, form: &Form, tail: bool) -> Result<Expr> {
        let call_pos = form.pos;
        self.last_macro = None;
        let Some(expanded) = self.expand_if_macro(form)? else {
            return self.analyze_expanded(form, tail);
        };
        let via = self.last_macro.take();
        let result = self.analyze_expanded(&expanded, tail);
        name_expansion_errors(result, call_pos, via)
    }

    fn analyze_expanded(&mut self, form: &Form, tail: bool) -> Result<Expr> {
        let pos = form.pos;
        match &*form.kind {
            FormKind::Nil => Ok(Expr::Const(Const::Nil)),
            FormKind::Bool(b) => Ok(Expr::Const(Const::Bool(*b))),
            FormKind::Int(i) => Ok(Expr::Const(Const::Int(*i))),
            FormKind::Float(f) => Ok(Expr::Const(Const::Float(*f))),
            // Literals the page builds with a call (/, bigint, bigdec): quoted
            // constants, built once where the page keeps constants.
            FormKind::Ratio(..) | FormKind::BigInt(_) | FormKind::BigDecimal { .. } => {
                Ok(Expr::Quote(strip_positions(form.clone())))
            }
            // The page makes a string from a C string, which ends at a NUL:
            // "a\0b" is (str "a" \u0000 "b").
            FormKind::Str(s) if s.contains('\0') => {
                let mut parts = Vec::new();
                for (i, part) in s.split('\0').enumerate() {
                    if i > 0 {
                        parts.push(Expr::Const(Const::Char('\0')));
                    }
                    if !part.is_empty() {
                        parts.push(Expr::Const(Const::Str(part.to_owned())));
                    }
                }
                Ok(core_call("str", parts))
            }
            FormKind::Str(s) => Ok(Expr::Const(Const::Str(s.clone()))),
            FormKind::Char(c) => Ok(Expr::Const(Const::Char(*c))),
            // A regex literal is compiled once where the page keeps constants,
            // as Clojure compiles it once with the fn.
            FormKind::Regex(_) | FormKind::Tagged { .. } => {
                Ok(Expr::Quote(strip_positions(form.clone())))
            }
            FormKind::Keyword { ns, name, auto } => Ok(Expr::Const(Const::Keyword {
                ns: if *auto {
                    self.knowledge.resolve_ns_alias(ns)
                } else {
                    ns.clone()
                },
                name: name.clone(),
            })),
            FormKind::Symbol { ns, name } => self.symbol(pos, ns, name),
            FormKind::Vector(items) => {
                let coll = Expr::Vector(self.analyze_all(items)?);
                self.with_literal_meta(form, coll)
            }
            FormKind::Map(items) => {
                let items_expr = self.analyze_all(items)?;
                let coll = if may_repeat_keys(items.iter().step_by(2)) {
                    core_call("map-literal*", items_expr)
                } else {
                    Expr::Map(items_expr)
                };
                self.with_literal_meta(form, coll)
            }
            FormKind::Set(items) => {
                let items_expr = self.analyze_all(items)?;
                let coll = if may_repeat_keys(items.iter()) {
                    core_call("set-literal*", items_expr)
                } else {
                    Expr::Set(items_expr)
                };
                self.with_literal_meta(form, coll)
            }
            FormKind::List(items) if items.is_empty() => {
                Ok(Expr::Quote(strip_positions(form.clone())))
            }
            // (Long/MAX_VALUE): a static field in parentheses is the field.
            FormKind::List(items) if items.len() == 1 && is_static_field(&items[0]) => {
                self.analyze_expanded(&items[0], tail)
            }
            FormKind::List(items) => self.list(pos, items, tail),
            FormKind::Var { ns, name } => Ok(Expr::TheVar {
                ns: ns.clone(),
                name: name.clone(),
            }),
            // A class a macro computed (`(class x)`, or a class name in its
            // own code): the page's class of that name.
            FormKind::Class(name) => Ok(core_call(
                if crate::knowledge::is_runtime_class(name) || name.starts_with('[') {
                    "class-named*"
                } else {
                    "host-class*"
                },
                vec![Expr::Const(Const::Str(name.clone()))],
            )),
            FormKind::Fn(_) | FormKind::Builtin(_) | FormKind::Cell(_) | FormKind::ExInfo(_) => {
                fail(
                    pos,
                    format!(
                        "a macro put {} ({}) into code; only data can be compiled into a patch",
                        form.describe(),
                        pr_str(form)
                    ),
                )
            }
        }
    }

    /// A JVM class name used as a value (`String`, `java.lang.Long`), as in
    /// `(defmethod f String ...)` or `(instance? Long x)`. In the page it is
    /// the runtime's class object, what `class` returns (runtime/src/classes.cpp).
    /// In a macro, run by the compiler, it is the key the compiler's `class`
    /// and `type` give (`:string`, `:integer`), from the prelude's `type-key`.
    fn class_value(&self, ns: &str, name: &str) -> Option<Expr> {
        let last = name.rsplit('.').next()?;
        if !ns.is_empty() || !last.starts_with(|c: char| c.is_ascii_uppercase()) {
            return None;
        }
        if !self.compile_time && crate::knowledge::is_runtime_class(name) {
            return Some(core_call(
                "class-named*",
                vec![Expr::Const(Const::Str(name.to_owned()))],
            ));
        }
        // In a macro, a class the page has is a class value (eval/classes.rs).
        if let Some(full) = crate::knowledge::runtime_class_name(name) {
            return Some(Expr::Quote(Form::value(FormKind::Class(full.to_owned()))));
        }

        let type_key = self
            .knowledge
            .compile_time_value("clojure.core", "type-key")
            .ok()?;
        let symbol = Form::symbol(name, Pos::default());
        let key = Interp::new(self.knowledge)
            .apply(&type_key, vec![symbol])
            .unwrap_or_else(|_| Form::nil());
        match &*key.kind {
            FormKind::Keyword { ns, name, .. } => Some(Expr::Const(Const::Keyword {
                ns: ns.clone(),
                name: name.clone(),
            })),
            // An interface no kind stands for (Named, IFn): its simple name,
            // which the evaluator's instance? and protocol calls know
            // (eval/text.rs `interfaces`).
            FormKind::Symbol { .. } | FormKind::Nil
                if self.compile_time
                    && crate::eval::is_interface_name(last)
                    && (!name.contains('.')
                        || name.starts_with("java.")
                        || name.starts_with("clojure.lang.")) =>
            {
                Some(Expr::Const(Const::Keyword {
                    ns: String::new(),
                    name: last.to_owned(),
                }))
            }
            // A JVM class the page lacks (runtime/src/absent_classes.cpp).
            _ if !self.compile_time && is_host_package(name) => Some(core_call(
                "host-class*",
                vec![Expr::Const(Const::Str(name.to_owned()))],
            )),
            _ => None,
        }
    }

    /// `^{:k v} [...]`: a collection literal with metadata, evaluated.
    fn with_literal_meta(&mut self, form: &Form, coll: Expr) -> Result<Expr> {
        // A sorted map or set a macro returns is a literal, which the page
        // builds as a map or set, as the JVM's compiler does (eval/sorted.rs).
        let meta = form.meta.as_deref().cloned().map(crate::eval::visible_meta);
        match meta.filter(Form::truthy) {
            Some(meta) => {
                let meta = self.analyze(&meta, false)?;
                Ok(core_call("with-meta", vec![coll, meta]))
            }
            None => Ok(coll),
        }
    }

    fn analyze_all(&mut self, forms: &[Form]) -> Result<Vec<Expr>> {
        forms.iter().map(|f| self.analyze(f, false)).collect()
    }

    /// The namespace this code is compiled in, as a value in the page:
    /// `(code-ns* 'current)`, create-ns there, which finds it, or makes it
    /// when only the compiler has seen it (an `ns` or `in-ns` with nothing
    /// else to run). In a macro it is the namespace being compiled.
    fn page_current_ns(&self) -> Expr {
        let current = Form::symbol(&self.knowledge.current_ns, Pos::default());
        core_call("code-ns*", vec![Expr::Quote(current)])
    }

    fn symbol(&mut self, pos: Pos, ns: &str, name: &str) -> Result<Expr> {
        if ns.is_empty() {
            if let Some(local) = self.lookup_local(name) {
                return Ok(self.read_local(local));
            }
        }
        match self.var_ref(pos, ns, name) {
            // The namespace this code is compiled in: the page runs no
            // compiler to bind *ns* while a form loads.
            Ok((ns, name)) if ns == "clojure.core" && name == "*ns*" && !self.compile_time => {
                Ok(self.page_current_ns())
            }
            Ok((ns, name)) => Ok(Expr::Var { ns, name }),
            // A static field of a JVM class the page lacks: an opaque
            // object of that class (runtime/src/absent_classes.cpp).
            Err(_) if !self.compile_time && is_host_package(ns) => Ok(core_call(
                "host-field*",
                vec![
                    Expr::Const(Const::Str(ns.to_owned())),
                    Expr::Const(Const::Str(name.to_owned())),
                ],
            )),
            Err(unresolved) => match self.class_value(ns, name) {
                Some(key) => Ok(key),
                None => Err(unresolved),
            },
        }
    }

    /// Resolves a var used as a value or called: macros have no value, and
    /// page code may only use vars the page has.
    fn var_ref(&self, pos: Pos, ns: &str, name: &str) -> Result<(String, String)> {
        let (ns, name) = self
            .knowledge
            .resolve(ns, name)
            .or_else(|message| fail(pos, message))?;
        if let Some(entry) = self.knowledge.entry(&ns, &name) {
            if entry.is_macro {
                return fail(
                    pos,
                    format!("Can't take the value of a macro: #'{ns}/{name}"),
                );
            }
            // As Clojure's compiler: another namespace's private var is
            // reached only through (var ...). The built-in namespaces are
            // left out, since their macros expand to their private helpers.
            if entry.is_private()
                && ns != self.knowledge.current_ns
                && !ns.starts_with("clojure.")
                && !self.compile_time
            {
                return fail(pos, format!("var: #'{ns}/{name} is not public"));
            }
            if !self.compile_time && !entry.in_page {
                return fail(
                    pos,
                    format!(
                        "{ns}/{name} exists only in the compiler (for macros); the page has no such var"
                    ),
                );
            }
        }
        Ok((ns, name))
    }

    fn list(&mut self, pos: Pos, items: &[Form], tail: bool) -> Result<Expr> {
        let head = &items[0];
        let args = &items[1..];
        if matches!(*head.kind, FormKind::Nil) {
            let form = Form::list(items.to_vec(), pos);
            return fail(pos, format!("Can't call nil, form: {form}"));
        }
        if let Some(name) = head.as_simple_symbol() {
            if matches!(name, "require" | "use")
                && !self.is_local(name)
                && self.knowledge.resolve("", name).is_err()
            {
                return self.nested_require(pos, name, args, tail);
            }
            if !self.is_local(name) {
                if let Some(expr) = self.special_form(pos, name, args, tail)? {
                    return Ok(expr);
                }
            }
        }
        if let FormKind::Symbol { ns, name } = &*head.kind {
            if ns == "clojure.core" && (name == "unquote" || name == "unquote-splicing") {
                let written = if name == "unquote" { "~" } else { "~@" };
                return fail(
                    pos,
                    format!("{written} ({name}) is only allowed inside a syntax-quote (`)"),
                );
            }
            let local = if ns.is_empty() {
                self.find_local(name)
            } else {
                None
            };
            if local.is_none() {
                if let Some(expr) = self.macroexpand_call(pos, ns, name, args)? {
                    return Ok(expr);
                }
                if let Some(expr) = self.repl_doc_call(ns, name, args) {
                    return Ok(expr);
                }
                // A static method of a JVM class the page lacks: an error
                // when it is called (runtime/src/absent_classes.cpp).
                let class = self.knowledge.resolve_ns_alias(ns);
                if !self.compile_time
                    && !ns.is_empty()
                    && is_host_package(&class)
                    && self.knowledge.resolve(ns, name).is_err()
                {
                    let mut call_args = vec![
                        Expr::Const(Const::Str(class)),
                        Expr::Const(Const::Str(name.to_owned())),
                    ];
                    call_args.extend(self.analyze_all(args)?);
                    return Ok(core_call("host-static-call*", call_args));
                }
                let (ns, name) = self.var_ref(head.pos, ns, name)?;
                let (ns, name) = match unchecked_op(self.unchecked_math, &ns, &name, args.len()) {
                    Some(op) => ("clojure.core".to_owned(), op.to_owned()),
                    None => (ns, name),
                };
                // (resolve 'sym) resolves in the namespace the code is
                // written in: the page binds no *ns* while a form runs. In a
                // macro, *ns* is where the macro is being expanded.
                if ns == "clojure.core" && name == "resolve" && (1..=2).contains(&args.len()) {
                    let current = if self.compile_time {
                        self.analyze(&Form::qualified_symbol("clojure.core", "*ns*", pos), false)?
                    } else {
                        self.page_current_ns()
                    };
                    let mut resolve_args = vec![current];
                    for arg in args {
                        resolve_args.push(self.analyze(arg, false)?);
                    }
                    let resolved = core_call("ns-resolve", resolve_args);
                    // A macro's var exists in the page once something names
                    // it: (resolve 'when) makes it first, as #'when does.
                    if let Some(var) = self.quoted_macro_var(pos, args.last())? {
                        return Ok(Expr::Do(vec![var, resolved]));
                    }
                    return Ok(resolved);
                }
                // read-string and read resolve ::k in the namespace the
                // code is written in, as *ns* above.
                if ns == "clojure.core"
                    && (name == "read-string" || name == "read")
                    && !args.is_empty()
                    && !self.compile_time
                {
                    let mut read_args = vec![self.page_current_ns()];
                    read_args.extend(self.analyze_all(args)?);
                    return Ok(core_call(&format!("{name}*"), read_args));
                }
                // (eval 'form) and (load-string "text") are compiled here,
                // macros and all, when they can be (their names may only
                // exist once the page runs them); any other form or text is
                // run by the page's eval, in this namespace.
                if ns == "clojure.core"
                    && (name == "eval" || name == "load-string")
                    && args.len() == 1
                {
                    let literal = match (name.as_str(), list_head(&args[0]), &*args[0].kind) {
                        ("eval", Some(("quote", [quoted])), _) => Some(quoted.clone()),
                        ("eval", Some((SYNTAX_QUOTE, [quoted])), _) => {
                            syntax_quote::expand(quoted, self.knowledge)
                                .ok()
                                .and_then(|code| syntax_quote::constant_value(&code))
                        }
                        // A syntax-quote a macro's argument held, expanded.
                        ("eval", _, _) => syntax_quote::constant_value(&args[0]),
                        ("load-string", _, FormKind::Str(text)) => {
                            crate::reader::read_all(text).ok().map(|forms| {
                                let mut items = vec![sym("do", pos)];
                                items.extend(forms);
                                Form::list(items, pos)
                            })
                        }
                        _ => None,
                    };
                    if let Some(expr) =
                        literal.and_then(|form| self.try_analyze_closed(&form, tail))
                    {
                        return Ok(expr);
                    }
                    let args = vec![self.page_current_ns(), self.analyze(&args[0], false)?];
                    return Ok(core_call(&name, args));
                }
                let args = self.analyze_all(args)?;
                return Ok(Expr::VarCall { ns, name, args });
            }
        }
        // A constant that is not a function, `("s" 1)`, compiles as Clojure's
        // does: the call throws a ClassCastException when it runs, so a file
        // with one in a branch never taken still loads.
        let callee = self.analyze(head, false)?;
        let args = self.analyze_all(args)?;
        Ok(Expr::Call {
            callee: Box::new(callee),
            args,
        })
    }

    /// The kernel. None when `name` is not a special form.
    fn special_form(
        &mut self,
        pos: Pos,
        name: &str,
        args: &[Form],
        tail: bool,
    ) -> Result<Option<Expr>> {
        let expr = match name {
            "quote" => match args {
                [quoted] => {
                    if !self.compile_time {
                        self.note_quoted_macros(quoted);
                    }
                    quote_const(quoted)
                        .map_or_else(|| Expr::Quote(strip_positions(quoted.clone())), Expr::Const)
                }
                _ => return fail(pos, "quote takes exactly one form"),
            },
            "if" => self.if_form(pos, args, tail)?,
            "do" => self.body(args, tail)?,
            "let*" => self.let_form(pos, args, tail)?,
            "loop*" => self.loop_form(pos, args)?,
            "recur" => self.recur_form(pos, args, tail)?,
            "fn*" => self.fn_form(pos, args)?,
            // The page has one thread: holding a monitor is evaluating its
            // object (locking's own expansion on the JVM).
            "monitor-enter" | "monitor-exit" => match args {
                [x] => Expr::Do(vec![self.analyze(x, false)?, Expr::Const(Const::Nil)]),
                _ => return fail(pos, format!("{name} takes one object")),
            },
            // (host-method* (fn ...)): a method deftype and reify give an
            // interface, as the fn its body compiles to.
            "host-method*" => match args {
                [method] => {
                    self.host_method = true;
                    let method = self.analyze(method, tail);
                    self.host_method = false;
                    method?
                }
                _ => return fail(pos, "host-method* takes one fn"),
            },
            "def" => self.def_form(pos, args)?,
            "var" => {
                let Some(FormKind::Symbol { ns, name }) = args.first().map(|f| &*f.kind) else {
                    return fail(pos, "var takes a symbol: (var my-fn) or #'my-fn");
                };
                let (ns, name) = self
                    .knowledge
                    .resolve(ns, name)
                    .or_else(|message| fail(pos, message))?;
                if !self.compile_time && self.knowledge.entry(&ns, &name).is_some_and(|e| e.is_macro) {
                    let var = self.macro_var(pos, &ns, &name);
                    return self.analyze(&var, tail).map(Some);
                }
                Expr::TheVar { ns, name }
            }
            "throw" => match (args, self.caught.last().cloned()) {
                ([value], _) => Expr::Throw(Box::new(self.analyze(value, false)?)),
                // jank's rethrow, as C++'s `throw;`: what the catch caught.
                ([], Some(caught)) => Expr::Throw(Box::new(self.analyze(&caught, false)?)),
                ([], None) => {
                    return fail(
                        pos,
                        "throw needs a value; only inside a catch does (throw) alone rethrow what it caught",
                    )
                }
                _ => return fail(pos, "throw takes exactly one value"),
            },
            "try" => self.try_form(pos, args, tail)?,
            "letfn*" => self.letfn_form(pos, args, tail)?,
            "case*" => self.case_form(pos, args, tail)?,
            SYNTAX_QUOTE => match args {
                [quoted] => {
                    let code = syntax_quote::expand(quoted, self.knowledge)
                        .or_else(|e| fail(e.pos, e.message))?;
                    self.analyze(&code, tail)?
                }
                _ => return fail(pos, "syntax-quote takes exactly one form"),
            },
            "catch" | "finally" => return fail(pos, format!("{name} is only allowed at the end of a try")),
            "ns" | "in-ns" => return fail(pos, format!("{name} is only allowed at the top level")),
            "set!" => match (args, args.first().and_then(|target| self.static_field(target))) {
                // (set! (. clojure.lang.RT checkSpecAsserts) true): a static
                // field, which the page keeps as a var of the class's namespace.
                ([_, value], Some(field)) => {
                    let set = Form::list(
                        vec![
                            Form::qualified_symbol("clojure.core", "alter-var-root", pos),
                            Form::list(vec![Form::symbol("var", pos), field], pos),
                            Form::list(
                                vec![Form::qualified_symbol("clojure.core", "constantly", pos), value.clone()],
                                pos,
                            ),
                        ],
                        pos,
                    );
                    self.analyze(&set, tail)?
                }
                // (set! *print-length* 10): a var's binding, or its root.
                ([target, value], None) if matches!(&*target.kind, FormKind::Symbol { .. }) => {
                    if let FormKind::Symbol { ns, name } = &*target.kind {
                        if self.knowledge.resolve(ns, name).is_ok_and(|(ns, name)| {
                            ns == "clojure.core" && name == "*unchecked-math*"
                        }) {
                            self.unchecked_math =
                                !matches!(&*value.kind, FormKind::Nil | FormKind::Bool(false));
                        }
                    }
                    let var = Form::list(vec![Form::symbol("var", pos), target.clone()], pos);
                    let call = Form::list(
                        vec![Form::qualified_symbol("clojure.core", "var-set", pos), var, value.clone()],
                        pos,
                    );
                    self.analyze(&call, tail)?
                }
                // (set! (.-x obj) v), (set! (.x obj) v) and (set! (. obj x) v):
                // a deftype's mutable field, written where it lives.
                ([target, value], None) if field_target(target).is_some() => {
                    let Some((object, field)) = field_target(target) else {
                        unreachable!("matched a field target above")
                    };
                    let set = Form::list(
                        vec![
                            Form::qualified_symbol("clojure.core", "set-field!*", pos),
                            object,
                            Form::keyword(&field),
                            value.clone(),
                        ],
                        pos,
                    );
                    self.analyze(&set, tail)?
                }
                _ => return fail(pos, "set! takes a var and a value, (set! *print-length* 10), or an object's field, (set! (.-x obj) 10)"),
            },
            // (new Point 1 2) is (Point. 1 2).
            "new" if matches!(args.first().map(|f| &*f.kind), Some(FormKind::Symbol { ns, .. }) if ns.is_empty()) => {
                let FormKind::Symbol { name: class, .. } = &*args[0].kind else {
                    unreachable!("matched a symbol above")
                };
                match self.record_interop(pos, &format!("{class}."), &args[1..])? {
                    Some(call) => self.analyze(&call, tail)?,
                    None => {
                        return fail(
                            pos,
                            format!("unsupported form: (new {class} ...): {class} is not a record, deftype or exception type this compiler knows"),
                        )
                    }
                }
            }
            // (. x close), (. x (insert 0 "a")), (. Math abs -1): the dot
            // special form, as the sugared (.close x) and (Math/abs -1).
            "." if args.len() >= 2 => {
                let call = self.dot_form(pos, args)?;
                self.analyze(&call, tail)?
            }
            "new" | "." | "deftype*" | "reify*"
            | "import*" => {
                return fail(
                    pos,
                    format!("unsupported form: ({name} ...) is host interop, which the built-in jank compiler does not support"),
                )
            }
            _ if name.len() > 1 && (name.starts_with('.') || name.ends_with('.')) => {
                match self.record_interop(pos, name, args)? {
                    Some(call) => self.analyze(&call, tail)?,
                    // A method this compiler does not know, as JVM Clojure
                    // calls one by reflection: found on the target's class
                    // when it runs (runtime/src/jvm_methods.cpp), else the
                    // JVM's "No matching method" there. A library loads
                    // with interop in a branch the page never takes.
                    None if is_method_name(name) && !args.is_empty() => {
                        let mut call = vec![
                            Form::qualified_symbol("clojure.core", "jvm-method*", pos),
                            Form::value(FormKind::Str(name[1..].to_owned())),
                        ];
                        call.extend(args.iter().cloned());
                        self.analyze(&Form::list(call, pos), tail)?
                    }
                    // (java.sql.Date. 0), a class the page lacks: an error
                    // when it runs (runtime/src/absent_classes.cpp).
                    None if name.ends_with('.') && is_host_package(&name[..name.len() - 1]) => {
                        let mut call_args = vec![
                            Expr::Const(Const::Str(name[..name.len() - 1].to_owned())),
                            Expr::Const(Const::Str("new".to_owned())),
                        ];
                        call_args.extend(self.analyze_all(args)?);
                        core_call("host-static-call*", call_args)
                    }
                    None => {
                        return fail(
                            pos,
                            format!("unsupported form: ({name} ...) is host interop, which the built-in jank compiler does not support"),
                        )
                    }
                }
            }
            _ => return Ok(None),
        };
        Ok(Some(expr))
    }

    /// `(Point. x y)` as `(->Point x y)`; and a record's constructor with
    /// two more arguments, its metadata and its extension map,
    /// `(Point. x y meta ext)`, as `(with-meta (merge (->Point x y) ext) meta)`.
    fn record_construction(&self, pos: Pos, ns: &str, ctor: &str, args: &[Form]) -> Form {
        let mut call = vec![Form::qualified_symbol(ns, ctor, pos)];
        // Only a record's: a deftype has no metadata or extension map.
        let is_record = ctor
            .strip_prefix("->")
            .is_some_and(|class| self.knowledge.entry(ns, &format!("map->{class}")).is_some());
        let fields = self.fixed_arity(ns, ctor).filter(|_| is_record);
        match fields {
            Some(n) if args.len() == n + 2 && n <= MAX_PARAMS => {
                call.extend(args[..n].iter().cloned());
                let core = |name: &str| Form::qualified_symbol("clojure.core", name, pos);
                let built = Form::list(
                    vec![core("merge"), Form::list(call, pos), args[n + 1].clone()],
                    pos,
                );
                Form::list(vec![core("with-meta"), built, args[n].clone()], pos)
            }
            _ => {
                call.extend(args.iter().cloned());
                Form::list(call, pos)
            }
        }
    }

    /// The parameter count of a var's one fixed arity, from its `:arglists`.
    fn fixed_arity(&self, ns: &str, name: &str) -> Option<usize> {
        let arglists = self.knowledge.entry(ns, name)?.meta_value("", "arglists")?;
        let arglists = match list_head(arglists) {
            Some(("quote", [quoted])) => quoted,
            _ => arglists,
        };
        let [params] = arglists.items()? else {
            return None;
        };
        match &*params.kind {
            FormKind::Vector(params)
                if !params.iter().any(|p| p.as_simple_symbol() == Some("&")) =>
            {
                Some(params.len())
            }
            _ => None,
        }
    }

    /// The interop forms that have a meaning on records and deftypes, as the
    /// same code in plain Clojure: `(Point. 1 2)` is `(->Point 1 2)`, `(.-x p)`
    /// reads the basis field x, and `(.area p)` calls the protocol method
    /// `area` on p.
    /// Anything else stays host interop (None).
    fn record_interop(&self, pos: Pos, name: &str, args: &[Form]) -> Result<Option<Form>> {
        let symbol = |s: &str| Form::symbol(s, pos);
        let list = |items: Vec<Form>| Form::new(FormKind::List(items), pos);
        if let Some(record) = name.strip_suffix('.') {
            let constructor = format!("->{record}");
            if let Ok((ns, ctor)) = self.knowledge.resolve("", &constructor) {
                return Ok(Some(self.record_construction(pos, &ns, &ctor, args)));
            }
            // An imported record or deftype (`User`, referred from its
            // namespace), or one named with its namespace (`my.model.User`).
            let defined_in = match record.rsplit_once('.') {
                Some((package, class)) => Some((package.to_owned(), class)),
                None => self
                    .knowledge
                    .resolve("", record)
                    .ok()
                    .map(|(ns, _)| (ns, record)),
            };
            if let Some((ns, class)) = defined_in {
                if self.knowledge.is_type_defined_in(&ns, class) {
                    let ctor = format!("->{class}");
                    return Ok(Some(self.record_construction(pos, &ns, &ctor, args)));
                }
            }
            return Ok(exception_constructor(pos, record, args)
                .or_else(|| text_io_constructor(pos, record, args))
                .or_else(|| date_constructor(pos, record, args))
                .or_else(|| java_util_constructor(pos, record, args))
                .or_else(|| object_constructor(pos, record, args))
                .or_else(|| number_constructor(pos, record, args)));
        }
        if let Some(field) = name.strip_prefix(".-") {
            return match args {
                [target] => Ok(Some(list(vec![
                    Form::qualified_symbol("clojure.core", "field-of*", pos),
                    target.clone(),
                    Form::keyword(field),
                ]))),
                _ => fail(
                    pos,
                    format!("({name} x) reads a field of one record or deftype"),
                ),
            };
        }
        let (ns, method) = match &name[1..] {
            // java.lang.Object's methods, which every value has.
            "toString" if args.len() == 1 => ("clojure.core", "str"),
            "equals" if args.len() == 2 => ("clojure.core", "java-equals*"),
            "hashCode" => ("clojure.core", "java-hash-code*"),
            method => ("", method),
        };
        if args.is_empty() || (ns.is_empty() && self.is_local(method)) {
            return Ok(None);
        }
        // What the JVM method of that name does on strings and exceptions
        // (`.concat` is str, not concat); on a record, deftype or reify, a
        // protocol method of the user's own, chosen by the target's type as
        // the JVM would.
        let resolved = self.knowledge.resolve(ns, method);
        let jvm = jvm_method(pos, method, args);
        let user_var = matches!(&resolved, Ok((ns, _)) if ns != "clojure.core");
        let call_var = |target: Form| {
            let mut items = vec![Form::qualified_symbol(ns, method, pos), target];
            items.extend(args[1..].iter().cloned());
            list(items)
        };
        Ok(match (jvm, resolved) {
            (Some(jvm), Ok(_)) if user_var => {
                let target = symbol("interop__target");
                let mut jvm_items = match &*jvm.kind {
                    FormKind::List(items) => items.clone(),
                    _ => return Ok(Some(jvm)),
                };
                // The target is bound once; a nil check around it stays.
                // (jvm-method* "name" target ...) has it after the name.
                let at = match &*jvm_items[0].kind {
                    FormKind::Symbol { name, .. } if name == "jvm-method*" => 2,
                    _ => 1,
                };
                jvm_items[at] = match &*jvm_items[at].kind {
                    FormKind::List(check) if is_method_target_check(check) => {
                        list(vec![check[0].clone(), target.clone()])
                    }
                    _ => target.clone(),
                };
                // A record's, deftype's or reify's method is the user's var;
                // any other target's, the JVM's.
                let is_defined_type = list(vec![
                    Form::qualified_symbol("clojure.core", "defined-type?*", pos),
                    target.clone(),
                ]);
                let dispatch = list(vec![
                    symbol("if"),
                    is_defined_type,
                    call_var(target.clone()),
                    list(jvm_items),
                ]);
                let bindings = Form::new(FormKind::Vector(vec![target, args[0].clone()]), pos);
                Some(list(vec![symbol("let*"), bindings, dispatch]))
            }
            (Some(jvm), _) => Some(jvm),
            // (.run r), (.compare c a b): a method of one of Java's interfaces
            // a deftype or reify implements, or a Clojure fn has; on any
            // other target, the clojure.core fn of the name, if any.
            (None, resolved) if !user_var && self.is_interface_method(method) => {
                let fallback = match resolved {
                    Ok(_) => Form::qualified_symbol(ns, method, pos),
                    Err(_) => Form::value(FormKind::Nil),
                };
                let mut items = vec![
                    Form::qualified_symbol("clojure.core", "interop-method*", pos),
                    args[0].clone(),
                    Form::value(FormKind::Str(method.into())),
                    fallback,
                ];
                items.extend(args[1..].iter().cloned());
                Some(list(items))
            }
            // (.x p): p's field x if it has one, else the var x called on p.
            (None, Ok(_)) if args.len() == 1 => Some(list(vec![
                Form::qualified_symbol("clojure.core", "field-of*", pos),
                args[0].clone(),
                Form::keyword(method),
                Form::qualified_symbol(ns, method, pos),
            ])),
            (None, Ok(_)) => Some(call_var(args[0].clone())),
            // (.x p) with no var x: p's field x, or the JVM's "No matching
            // field found" when p has none. A camelCase name (.getBytes s) is
            // a JVM method, which stays a compile error.
            (None, Err(_))
                if args.len() == 1
                    && ns.is_empty()
                    && !method.contains('.')
                    && (!method.contains(|c: char| c.is_ascii_uppercase())
                        || self.knowledge.is_type_field(method)) =>
            {
                Some(list(vec![
                    Form::qualified_symbol("clojure.core", "field-of*", pos),
                    args[0].clone(),
                    Form::keyword(method),
                ]))
            }
            (None, Err(_)) => None,
        })
    }

    /// Whether `method` is one a deftype or reify can implement for an
    /// interface of Clojure's or Java's (the prelude's `interface-slots`),
    /// or one a Clojure fn has as an object.
    fn is_interface_method(&self, method: &str) -> bool {
        if matches!(method, "invoke" | "applyTo" | "call" | "run" | "compare") {
            return true;
        }
        let Ok(slots) = self
            .knowledge
            .compile_time_value("clojure.core", "interface-slots")
        else {
            return false;
        };
        let FormKind::Map(interfaces) = &*slots.kind else {
            return false;
        };
        interfaces
            .chunks(2)
            .any(|kv| match kv.get(1).map(|m| &*m.kind) {
                Some(FormKind::Map(methods)) => methods
                    .chunks(2)
                    .any(|m| m[0].as_simple_symbol() == Some(method)),
                _ => false,
            })
    }

    /// `(. target member args*)` or `(. target (member args*))` as the sugared
    /// call Clojure's reader would have given: `(.member target args*)`, or
    /// `(Class/member args*)` when target names a class rather than a local.
    fn dot_form(&self, pos: Pos, args: &[Form]) -> Result<Form> {
        // The member's namespace is ignored, as the JVM's compiler ignores
        // it: a syntax-quote in a macro qualifies `(.. x getCause)`'s names.
        let (member, rest) = match &*args[1].kind {
            FormKind::Symbol { name, .. } => (name.clone(), args[2..].to_vec()),
            FormKind::List(items) if args.len() == 2 => match items.first().map(|f| &*f.kind) {
                Some(FormKind::Symbol { name, .. }) => (name.clone(), items[1..].to_vec()),
                _ => return fail(pos, "(. target (member args*)) needs a member name"),
            },
            _ => return fail(pos, "(. target member args*) needs a member name"),
        };
        let class = match &*args[0].kind {
            FormKind::Symbol { ns, name }
                if ns.is_empty()
                    && !self.is_local(name)
                    && (name.contains('.')
                        || name.starts_with(|c: char| c.is_ascii_uppercase())) =>
            {
                Some(name.clone())
            }
            _ => None,
        };
        let mut items = match class {
            Some(class) => vec![Form::qualified_symbol(&class, &member, pos)],
            None => vec![Form::symbol(&format!(".{member}"), pos), args[0].clone()],
        };
        items.extend(rest);
        Ok(Form::list(items, pos))
    }

    /// A quoted form for eval, analyzed here when that means what eval
    /// would: it names no local in scope (eval sees none) and analyzes
    /// without an error (its names may only exist once the page runs it).
    /// On an error, the analyzer's scopes are as they were.
    fn try_analyze_closed(&mut self, form: &Form, tail: bool) -> Option<Expr> {
        if self.names_a_local(form) {
            return None;
        }
        let (scopes, depths, fns) = (self.scopes.len(), self.local_depth.len(), self.fns.len());
        let (recur_target, nesting, expansion_depth) =
            (self.recur_target, self.nesting, self.expansion_depth);
        match self.analyze(form, tail) {
            Ok(expr) => Some(expr),
            Err(_) => {
                self.scopes.truncate(scopes);
                self.local_depth.truncate(depths);
                self.fns.truncate(fns);
                self.recur_target = recur_target;
                self.nesting = nesting;
                self.expansion_depth = expansion_depth;
                None
            }
        }
    }

    fn names_a_local(&self, form: &Form) -> bool {
        match &*form.kind {
            FormKind::Symbol { ns, name } => ns.is_empty() && self.find_local(name).is_some(),
            _ => form
                .items()
                .is_some_and(|items| items.iter().any(|item| self.names_a_local(item))),
        }
    }

    /// `(macroexpand-1 'form)` and `(macroexpand 'form)` are answered by the
    /// compiler, since the page has no expander.
    fn macroexpand_call(
        &mut self,
        pos: Pos,
        ns: &str,
        name: &str,
        args: &[Form],
    ) -> Result<Option<Expr>> {
        let walk_all = !ns.is_empty()
            && name == "macroexpand-all"
            && self.knowledge.resolve_ns_alias(ns) == "clojure.walk";
        let var_name = if walk_all {
            name.to_owned()
        } else {
            let Ok((var_ns, var_name)) = self.knowledge.resolve(ns, name) else {
                return Ok(None);
            };
            if var_ns != "clojure.core"
                || !matches!(var_name.as_str(), "macroexpand" | "macroexpand-1")
            {
                return Ok(None);
            }
            var_name
        };
        let quoted = match args {
            [arg] => match list_head(arg) {
                Some(("quote", [form])) => Some(form.clone()),
                // A form the compiler can compute, as a syntax-quote with
                // no locals: (macroexpand-all `(html [:p]))
                _ => self.compile_time_eval(arg),
            },
            _ => return fail(pos, format!("{var_name} takes one quoted form")),
        };
        // Any other form is known only when it runs: a call, of the
        // compile-time evaluator's macroexpand when a macro calls it (a
        // library's code walker), and of the page's, which has no macros.
        let Some(quoted) = quoted else {
            return Ok(Some(Expr::VarCall {
                ns: if walk_all {
                    "clojure.walk"
                } else {
                    "clojure.core"
                }
                .into(),
                name: var_name,
                args: vec![self.analyze(&args[0], false)?],
            }));
        };
        let expanded = match var_name.as_str() {
            "macroexpand-1" => self
                .macroexpand_1(&quoted)
                .map(|expanded| expanded.unwrap_or(quoted)),
            "macroexpand-all" => self.macroexpand_all(&quoted),
            _ => self.macroexpand(&quoted),
        };
        match expanded {
            Ok(expanded) => Ok(Some(Expr::Quote(strip_positions(expanded)))),
            // Clojure's macroexpand throws when the page runs it, where
            // `thrown?` and `try` see it: so does this one.
            Err(e) => {
                let throw = Form::list(
                    vec![
                        sym("throw", pos),
                        Form::list(
                            vec![
                                Form::qualified_symbol("clojure.core", "exception*", pos),
                                Form::value(FormKind::Str(String::new())),
                                Form::value(FormKind::Str(e.message)),
                            ],
                            pos,
                        ),
                    ],
                    pos,
                );
                self.analyze(&throw, false).map(Some)
            }
        }
    }

    /// `(doc name)` at the REPL (clojure.repl's, which editors' REPLs refer):
    /// printed by the page from what the compiler knows of the var, as
    /// Clojure prints it; nothing for a name it does not know. A var of the
    /// user's own named `doc` is called as usual.
    fn repl_doc_call(&self, ns: &str, name: &str, args: &[Form]) -> Option<Expr> {
        if name != "doc" || !(ns.is_empty() || ns == "clojure.repl") {
            return None;
        }
        if ns.is_empty() && self.knowledge.resolve("", "doc").is_ok() {
            return None;
        }
        let [arg] = args else { return None };
        let FormKind::Symbol {
            ns: sym_ns,
            name: sym_name,
        } = &*arg.kind
        else {
            return None;
        };
        let symbol = if sym_ns.is_empty() {
            sym_name.clone()
        } else {
            format!("{sym_ns}/{sym_name}")
        };
        let Some(text) = crate::repl_docs::doc_text(self.knowledge, &symbol) else {
            return Some(Expr::Const(Const::Nil));
        };
        Some(core_call("print", vec![Expr::Const(Const::Str(text))]))
    }

    fn body(&mut self, forms: &[Form], tail: bool) -> Result<Expr> {
        let mut exprs = Vec::with_capacity(forms.len());
        for (i, form) in forms.iter().enumerate() {
            let last = i + 1 == forms.len();
            exprs.push(self.analyze(form, tail && last)?);
        }
        Ok(match exprs.len() {
            0 => Expr::Const(Const::Nil),
            1 => exprs.pop().unwrap_or(Expr::Const(Const::Nil)),
            _ => Expr::Do(exprs),
        })
    }

    fn if_form(&mut self, pos: Pos, args: &[Form], tail: bool) -> Result<Expr> {
        if !(2..=3).contains(&args.len()) {
            return fail(
                pos,
                format!(
                    "if takes a test, a then and an optional else; got {} forms",
                    args.len()
                ),
            );
        }
        let cond = self.analyze(&args[0], false)?;
        let then = self.analyze(&args[1], tail)?;
        let otherwise = match args.get(2) {
            Some(f) => self.analyze(f, tail)?,
            None => Expr::Const(Const::Nil),
        };
        Ok(Expr::If {
            cond: Box::new(cond),
            then: Box::new(then),
            otherwise: Box::new(otherwise),
        })
    }

    fn binding_vector<'f>(
        &self,
        pos: Pos,
        form: Option<&'f Form>,
        what: &str,
    ) -> Result<&'f [Form]> {
        match form.map(|f| &*f.kind) {
            Some(FormKind::Vector(items)) if items.len() % 2 == 0 => Ok(items),
            Some(FormKind::Vector(_)) => fail(
                pos,
                format!("{what} needs an even number of forms in its binding vector"),
            ),
            _ => fail(
                pos,
                format!("{what} needs a binding vector: ({what} [name value ...] body)"),
            ),
        }
    }

    fn binding_name<'f>(&self, form: &'f Form, what: &str) -> Result<&'f str> {
        match form.as_simple_symbol() {
            Some(name) if name != "&" => Ok(name),
            _ => fail(
                form.pos,
                format!("{what} binds plain symbols here, got {}", pr_str(form)),
            ),
        }
    }

    /// `let*` and `loop*`: plain-symbol bindings in a new scope, then the body.
    fn let_form(&mut self, pos: Pos, args: &[Form], tail: bool) -> Result<Expr> {
        self.scoped_bindings(pos, args, "let*", |this, bindings| {
            let body = this.body(&args[1..], tail)?;
            Ok(Expr::Let {
                bindings,
                body: Box::new(body),
            })
        })
    }

    fn loop_form(&mut self, pos: Pos, args: &[Form]) -> Result<Expr> {
        self.scoped_bindings(pos, args, "loop*", |this, bindings| {
            let target = RecurTarget::To {
                arity: bindings.len(),
            };
            let outer = this.recur_target.replace(target);
            let body = this.body(&args[1..], true);
            this.recur_target = outer;
            Ok(Expr::Loop {
                bindings,
                body: Box::new(body?),
            })
        })
    }

    fn scoped_bindings(
        &mut self,
        pos: Pos,
        args: &[Form],
        what: &str,
        then: impl FnOnce(&mut Self, Vec<(LocalId, Expr)>) -> Result<Expr>,
    ) -> Result<Expr> {
        let pairs = self.binding_vector(pos, args.first(), what.trim_end_matches('*'))?;
        self.scopes.push(HashMap::new());
        let result = (|| {
            let mut bindings = Vec::new();
            for pair in pairs.chunks(2) {
                let name = self.binding_name(&pair[0], what)?;
                let value = self.analyze(&pair[1], false)?;
                bindings.push((self.bind(name), value));
            }
            then(self, bindings)
        })();
        self.scopes.pop();
        result
    }

    fn recur_form(&mut self, pos: Pos, args: &[Form], tail: bool) -> Result<Expr> {
        let arity = match self.recur_target {
            None => return fail(pos, "recur is only allowed inside a loop or a fn"),
            Some(RecurTarget::AcrossTry) => return fail(pos, "Cannot recur across try"),
            Some(RecurTarget::To { arity }) => arity,
        };
        if !tail {
            return fail(pos, "Can only recur from tail position");
        }
        if args.len() != arity {
            return fail(
                pos,
                format!(
                    "Mismatched argument count to recur, expected: {arity} args, got: {}",
                    args.len()
                ),
            );
        }
        Ok(Expr::Recur {
            args: self.analyze_all(args)?,
        })
    }

    /// `def` inside an expression: interns the var; its value is set when it runs.
    fn def_form(&mut self, pos: Pos, args: &[Form]) -> Result<Expr> {
        let (name_form, init) = def_parts(pos, args)?;
        let Some(name) = name_form.as_simple_symbol() else {
            return fail(pos, "def needs an unqualified symbol as its name");
        };
        if name_form.meta_get("macro").is_some_and(Form::truthy) {
            return fail(pos, "a macro can only be defined at the top level");
        }
        let ns = self.knowledge.current_ns.clone();
        // The var's metadata (a defn's :doc, :arglists, ^:private) as at the
        // top level, so (let [cache (atom {})] (defn f "doc" ...)) keeps it.
        let meta = def_meta(name_form, args);
        let previous_meta = self
            .knowledge
            .entry(&ns, name)
            .and_then(|e| e.meta().cloned());
        self.knowledge.define(&ns, name);
        let page_meta = page_var_meta(meta.as_ref(), previous_meta.as_deref(), |f| {
            self.names_var(f)
        })
        .map(|m| self.analyze(&m, false))
        .transpose()?;
        let entry = self.knowledge.entry_mut(&ns, name);
        entry.set_meta(meta.map(Arc::new));
        entry.source = self.top_level_source.clone();
        let init = match init {
            Some(f) => Some(Box::new(self.analyze_defining(&ns, name, f)?)),
            None => None,
        };
        if init.is_some() {
            self.nested_defs.push((ns.clone(), name.to_owned()));
        }
        Ok(Expr::Def {
            ns,
            name: name.to_owned(),
            init,
            meta: page_meta.map(Box::new),
        })
    }

    /// A def's value, analyzed knowing the var it defines.
    fn analyze_defining(&mut self, ns: &str, name: &str, init: &Form) -> Result<Expr> {
        let saved = self.defining.replace(format!("{ns}/{name}"));
        let expr = self.analyze(init, false);
        self.defining = saved;
        expr
    }

    /// `(fn* name? [params] body)` or `(fn* name? ([params] body) ...)`.
    fn fn_form(&mut self, pos: Pos, args: &[Form]) -> Result<Expr> {
        let (name, arities) = match args.first().and_then(Form::as_simple_symbol) {
            Some(name) => (Some(name.to_owned()), &args[1..]),
            None => (None, args),
        };
        let Some(name) = name else {
            return Ok(Expr::Fn(Arc::new(
                self.fn_parts(pos, None, arities, false)?,
            )));
        };
        // The name is a box outside the fn, holding the fn itself; the fn
        // captures it only if the name is used other than as a direct call.
        self.scopes.push(HashMap::new());
        let self_box = self.bind_as(&name, true);
        let fun = self.fn_parts(pos, Some(name), arities, false);
        self.scopes.pop();
        let fun = fun?;
        if !fun.captures.contains(&self_box) {
            return Ok(Expr::Fn(Arc::new(fun)));
        }
        Ok(Expr::Let {
            bindings: vec![(
                self_box,
                core_call("volatile!", vec![Expr::Const(Const::Nil)]),
            )],
            body: Box::new(core_call(
                "vreset!",
                vec![Expr::Local(self_box), Expr::Fn(Arc::new(fun))],
            )),
        })
    }

    fn fn_parts(
        &mut self,
        pos: Pos,
        name: Option<String>,
        args: &[Form],
        in_try: bool,
    ) -> Result<FnExpr> {
        let arity_forms: Vec<(&[Form], &[Form], Pos)> = match args.first().map(|f| &*f.kind) {
            Some(FormKind::Vector(params)) => vec![(params.as_slice(), &args[1..], args[0].pos)],
            Some(FormKind::List(_)) => {
                let mut arities = Vec::new();
                for arity in args {
                    let FormKind::List(items) = &*arity.kind else {
                        return fail(arity.pos, "each arity is a list: ([params] body)");
                    };
                    let Some(FormKind::Vector(params)) = items.first().map(|f| &*f.kind) else {
                        return fail(arity.pos, "each arity starts with its parameter vector");
                    };
                    arities.push((params.as_slice(), &items[1..], arity.pos));
                }
                arities
            }
            _ => return fail(pos, "fn needs a parameter vector: (fn [params] body)"),
        };
        let max_params = if std::mem::take(&mut self.host_method) {
            255
        } else {
            20
        };
        check_overloads(pos, &arity_forms, max_params)?;
        let long = self.long_arities(pos, name.as_deref(), &arity_forms);
        let arity_forms: Vec<(&[Form], &[Form], Pos)> = match &long {
            Some((params, body, p)) => arity_forms
                .into_iter()
                .filter(|(params, _, _)| fixed_count(params) <= MAX_PARAMS)
                .chain(std::iter::once((params.as_slice(), body.as_slice(), *p)))
                .collect(),
            None => arity_forms,
        };
        let id = self.next_fn;
        self.next_fn += 1;
        self.fns.push(FnFrame {
            scope_floor: self.scopes.len(),
            captures: Vec::new(),
        });
        let mut arities = Vec::new();
        let mut result = Ok(());
        for (params, body, _) in arity_forms {
            match self.fn_arity(params, body, in_try) {
                Ok(arity) => arities.push(arity),
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        let frame = self.fns.pop();
        result?;
        Ok(FnExpr {
            id,
            name,
            arities,
            captures: frame.map(|f| f.captures).unwrap_or_default(),
        })
    }

    /// The arities with more than MAX_PARAMS fixed parameters (a record of
    /// twelve fields has a twelve-parameter `->R`), which the page's calling
    /// convention does not have, merged into one variadic arity: its first
    /// MAX_PARAMS parameters and the rest, counted to pick the arity, bound
    /// by a `loop*` so that `recur` still takes the arity's own parameters.
    /// A count no arity takes throws the ArityException a call would.
    fn long_arities(
        &mut self,
        pos: Pos,
        name: Option<&str>,
        arities: &[(&[Form], &[Form], Pos)],
    ) -> Option<(Vec<Form>, Vec<Form>, Pos)> {
        let long: Vec<_> = arities
            .iter()
            .filter(|(params, _, _)| fixed_count(params) > MAX_PARAMS)
            .collect();
        if long.is_empty() {
            return None;
        }
        let core = |n: &str| Form::qualified_symbol("clojure.core", n, pos);
        let int = |n: usize| Form::value(FormKind::Int(n as i64));
        let call = |items: Vec<Form>| Form::list(items, pos);
        let first: Vec<Form> = (0..MAX_PARAMS)
            .map(|i| sym(&format!("p{i}__{}", builtin_gensym()), pos))
            .collect();
        let more = sym(&format!("more__{}", builtin_gensym()), pos);
        let counted = sym(&format!("count__{}", builtin_gensym()), pos);
        let limit = long
            .iter()
            .map(|(params, _, _)| fixed_count(params))
            .max()
            .unwrap_or(0)
            - MAX_PARAMS
            + 1;
        let who = match (name, &self.defining) {
            (Some(n), _) => format!("{}/{n}", self.knowledge.current_ns),
            (None, Some(var)) if self.fns.is_empty() => var.clone(),
            _ => "fn".to_owned(),
        };
        // No arity takes the count: (+ MAX_PARAMS count) arguments.
        let mut dispatch = call(vec![
            sym("throw", pos),
            call(vec![
                core("exception*"),
                Form::value(FormKind::Str("ArityException".into())),
                call(vec![
                    core("str"),
                    Form::value(FormKind::Str("Wrong number of args (".into())),
                    call(vec![core("+"), int(MAX_PARAMS), counted.clone()]),
                    Form::value(FormKind::Str(format!(") passed to: {who}"))),
                ]),
            ]),
        ]);
        // Fixed arities test for their count first, the variadic one last.
        let mut ordered = long.clone();
        ordered
            .sort_by_key(|(params, _, _)| params.iter().any(|f| f.as_simple_symbol() == Some("&")));
        for (params, body, _) in ordered.into_iter().rev() {
            let own = fixed_count(params);
            let extra = own - MAX_PARAMS;
            let mut bindings = Vec::new();
            for (i, param) in params.iter().take(own).enumerate() {
                bindings.push(param.clone());
                bindings.push(if i < MAX_PARAMS {
                    first[i].clone()
                } else {
                    call(vec![core("nth"), more.clone(), int(i - MAX_PARAMS)])
                });
            }
            let rest = params
                .iter()
                .skip_while(|f| f.as_simple_symbol() != Some("&"))
                .nth(1);
            if let Some(rest) = rest {
                bindings.push(rest.clone());
                bindings.push(call(vec![core("nthnext"), more.clone(), int(extra)]));
            }
            let test = call(vec![
                core(if rest.is_some() { ">=" } else { "=" }),
                counted.clone(),
                int(extra),
            ]);
            let mut looped = vec![
                sym("loop*", pos),
                Form::new(FormKind::Vector(bindings), pos),
            ];
            looped.extend(body.iter().cloned());
            dispatch = call(vec![sym("if", pos), test, call(looped), dispatch]);
        }
        let body = call(vec![
            sym("let*", pos),
            Form::new(
                FormKind::Vector(vec![
                    counted,
                    call(vec![core("bounded-count"), int(limit), more.clone()]),
                ]),
                pos,
            ),
            dispatch,
        ]);
        let mut params = first;
        params.push(sym("&", pos));
        params.push(more);
        Some((params, vec![body], long[0].2))
    }

    fn fn_arity(&mut self, params: &[Form], body: &[Form], in_try: bool) -> Result<FnArity> {
        self.scopes.push(HashMap::new());
        let result = self.fn_arity_in_scope(params, body, in_try);
        self.scopes.pop();
        result
    }

    fn fn_arity_in_scope(
        &mut self,
        params: &[Form],
        body: &[Form],
        in_try: bool,
    ) -> Result<FnArity> {
        let mut ids = Vec::new();
        let mut rest = None;
        let mut iter = params.iter();
        while let Some(param) = iter.next() {
            if param.as_simple_symbol() == Some("&") {
                let Some(rest_form) = iter.next() else {
                    return fail(param.pos, "& must be followed by the rest parameter");
                };
                if iter.next().is_some() {
                    return fail(param.pos, "only one parameter may follow &");
                }
                let name = self.binding_name(rest_form, "fn*")?;
                rest = Some(self.bind(name));
                break;
            }
            let name = self.binding_name(param, "fn*")?;
            ids.push(self.bind(name));
        }
        let arity = ids.len() + usize::from(rest.is_some());
        let target = if in_try {
            RecurTarget::AcrossTry
        } else {
            RecurTarget::To { arity }
        };
        let outer = self.recur_target.replace(target);
        let body = self.body(body, true);
        self.recur_target = outer;
        Ok(FnArity {
            params: ids,
            rest,
            body: body?,
        })
    }

    /// `(. clojure.lang.RT checkSpecAsserts)` or `clojure.lang.RT/checkSpecAsserts`
    /// as the qualified symbol of the var the page keeps a static field in.
    fn static_field(&self, target: &Form) -> Option<Form> {
        let (class, field) = match &*target.kind {
            FormKind::Symbol { ns, name } if !ns.is_empty() => (ns.as_str(), name.as_str()),
            FormKind::List(items) => match items.as_slice() {
                [dot, class, field] if dot.as_simple_symbol() == Some(".") => {
                    (class.as_simple_symbol()?, field.as_simple_symbol()?)
                }
                _ => return None,
            },
            _ => return None,
        };
        let (ns, _) = self.knowledge.resolve(class, field).ok()?;
        let is_class = ns.starts_with("clojure.lang.")
            || crate::knowledge::JVM_CLASSES
                .iter()
                .any(|(name, _)| *name == ns);
        is_class.then(|| Form::qualified_symbol(class, field, target.pos))
    }

    /// `(try body... (catch Class e handler...)... (finally cleanup...))`:
    /// the body, one handler that picks the clause, and the cleanup become fns.
    fn try_form(&mut self, pos: Pos, args: &[Form], tail: bool) -> Result<Expr> {
        let clause = |f: &Form| match list_head(f) {
            Some(("catch", _)) => Some("catch"),
            Some(("finally", _)) => Some("finally"),
            _ => None,
        };
        let body_end = args
            .iter()
            .position(|f| clause(f).is_some())
            .unwrap_or(args.len());
        let (body, clauses) = args.split_at(body_end);
        let mut catches = Vec::new();
        let mut finally = None;
        for (i, c) in clauses.iter().enumerate() {
            match list_head(c) {
                Some(("catch", [class, binding, handler @ ..])) => {
                    if finally.is_some() {
                        return fail(c.pos, "finally must be the last clause of a try");
                    }
                    if binding.as_simple_symbol().is_none() {
                        return fail(
                            binding.pos,
                            "catch binds a plain symbol: (catch Exception e ...)",
                        );
                    }
                    if catches
                        .iter()
                        .any(|(seen, ..): &(Form, Form, Vec<Form>, Pos)| seen == class)
                    {
                        return fail(
                            class.pos,
                            format!("Duplicate catch type: {}", pr_str(class)),
                        );
                    }
                    catches.push((class.clone(), binding.clone(), handler.to_vec(), c.pos));
                }
                Some(("catch", _)) => {
                    return fail(
                        c.pos,
                        "catch needs a class and a name: (catch Exception e body...)",
                    )
                }
                Some(("finally", cleanup)) => {
                    if i + 1 != clauses.len() {
                        return fail(c.pos, "finally must be the last clause of a try");
                    }
                    finally = Some(cleanup.to_vec());
                }
                _ => {
                    return fail(
                        c.pos,
                        "only catch and finally clauses may follow them in a try",
                    )
                }
            }
        }
        if catches.is_empty() && finally.is_none() {
            return self.body(body, tail);
        }
        let thunk = |forms: Vec<Form>, params: Vec<Form>| {
            let mut items = vec![sym("fn*", pos), Form::new(FormKind::Vector(params), pos)];
            items.extend(forms);
            Form::list(items, pos)
        };
        let body_fn = self.try_part(pos, &thunk(body.to_vec(), Vec::new()))?;
        let handler = if catches.is_empty() {
            None
        } else {
            let caught = sym(&format!("caught__{}", builtin_gensym()), pos);
            // Clauses are tried in order; nothing matching rethrows.
            let mut dispatch = Form::list(vec![sym("throw", pos), caught.clone()], pos);
            for (class, binding, handler, at) in catches.into_iter().rev() {
                let mut let_items = vec![
                    sym("let*", at),
                    Form::new(FormKind::Vector(vec![binding, caught.clone()]), at),
                ];
                let_items.extend(handler);
                let run = Form::list(let_items, at);
                // The runtime knows Java's exception classes: (catch
                // ArithmeticException e ...) passes over an ex-info.
                let test = match caught_class(&class) {
                    Some(name) => Form::list(
                        vec![
                            core_sym("exception-instance?*", at),
                            caught.clone(),
                            Form::value(FormKind::Str(name)),
                        ],
                        at,
                    ),
                    None => Form::new(FormKind::Bool(true), at),
                };
                dispatch = Form::list(vec![sym("if", at), test, run, dispatch], at);
            }
            self.caught.push(caught.clone());
            let handler = self.try_part(pos, &thunk(vec![dispatch], vec![caught]));
            self.caught.pop();
            Some(Box::new(handler?))
        };
        let finally = match finally {
            Some(cleanup) => Some(Box::new(self.try_part(pos, &thunk(cleanup, Vec::new()))?)),
            None => None,
        };
        Ok(Expr::Try {
            body: Box::new(body_fn),
            handler,
            finally,
        })
    }

    /// Records each symbol in quoted data that names a macro (see
    /// `quoted_macros`).
    fn note_quoted_macros(&mut self, quoted: &Form) {
        match &*quoted.kind {
            FormKind::Symbol { ns, name } => {
                if let Ok((ns, name)) = self.knowledge.resolve(ns, name) {
                    if self.knowledge.entry(&ns, &name).is_some_and(|e| e.is_macro) {
                        self.quoted_macros.insert((ns, name));
                    }
                }
            }
            _ => {
                for item in quoted.items().into_iter().flatten() {
                    self.note_quoted_macros(item);
                }
            }
        }
    }

    /// Makes the page's vars of the macros the form just analyzed quotes,
    /// before the form's own code runs (at `start` of the unit's run).
    fn make_quoted_macro_vars(&mut self, pos: Pos, start: usize, unit: &mut Unit) -> Result<()> {
        let quoted = std::mem::take(&mut self.quoted_macros);
        let mut made = Vec::new();
        for (ns, name) in &quoted {
            let var = self.macro_var(pos, ns, name);
            made.push(self.analyze(&var, false)?);
        }
        // Making them quotes their names again.
        self.quoted_macros.clear();
        let origin = Origin {
            quiet: true,
            ..unit.current.clone()
        };
        let count = made.len();
        unit.run.splice(start..start, made);
        unit.run_origins
            .splice(start..start, std::iter::repeat_n(origin, count));
        Ok(())
    }

    /// `#'when`: a macro lives in the compiler, so the page gets a var of
    /// its name that carries its metadata (`:macro true`, `:doc`,
    /// `:arglists`), for `meta`, `doc` and the like; it has no value there.
    /// The code that makes the page's var of the macro `'sym` names, when
    /// it names one (a quoted symbol, resolved where the code is written).
    fn quoted_macro_var(&mut self, pos: Pos, arg: Option<&Form>) -> Result<Option<Expr>> {
        if self.compile_time {
            return Ok(None);
        }
        let Some(("quote", [quoted])) = arg.and_then(list_head) else {
            return Ok(None);
        };
        let FormKind::Symbol { ns, name } = &*quoted.kind else {
            return Ok(None);
        };
        let Ok((ns, name)) = self.knowledge.resolve(ns, name) else {
            return Ok(None);
        };
        if !self.knowledge.entry(&ns, &name).is_some_and(|e| e.is_macro) {
            return Ok(None);
        }
        let var = self.macro_var(pos, &ns, &name);
        self.analyze(&var, false).map(Some)
    }

    fn macro_var(&self, pos: Pos, ns: &str, name: &str) -> Form {
        let quote = |form: Form| Form::list(vec![sym("quote", pos), form], pos);
        let unquoted = |form: &Form| match &*form.kind {
            FormKind::List(items)
                if items.len() == 2
                    && matches!(&*items[0].kind, FormKind::Symbol { ns, name } if ns.is_empty() && name == "quote") =>
            {
                items[1].clone()
            }
            _ => form.clone(),
        };
        let meta: Vec<Form> = match self
            .knowledge
            .entry(ns, name)
            .and_then(|e| e.meta().map(|m| &**m))
            .map(|m| &*m.kind)
        {
            Some(FormKind::Map(items)) => items
                .chunks(2)
                .flat_map(|kv| {
                    [
                        kv[0].clone(),
                        kv.get(1)
                            .map(unquoted)
                            .unwrap_or_else(|| Form::value(FormKind::Nil)),
                    ]
                })
                .collect(),
            _ => Vec::new(),
        };
        // `:macro` and `:name` replace what the metadata says: a map constant
        // may not hold a key twice.
        let mut pairs: Vec<Form> = meta
            .chunks(2)
            .filter(|kv| {
                !matches!(&*kv[0].kind, FormKind::Keyword { ns, name, .. }
                    if ns.is_empty() && (name == "macro" || name == "name"))
            })
            .flatten()
            .cloned()
            .collect();
        pairs.extend([
            Form::keyword("macro"),
            Form::value(FormKind::Bool(true)),
            Form::keyword("name"),
            Form::symbol(name, pos),
        ]);
        let meta = pairs;
        let the_ns = Form::list(
            vec![core_sym("the-ns", pos), quote(Form::symbol(ns, pos))],
            pos,
        );
        let var = sym("macro_var__v", pos);
        let with_meta = Form::list(
            vec![
                core_sym("assoc", pos),
                quote(Form::new(FormKind::Map(meta), pos)),
                Form::keyword("ns"),
                the_ns,
            ],
            pos,
        );
        Form::list(
            vec![
                sym("let*", pos),
                Form::new(
                    FormKind::Vector(vec![
                        var.clone(),
                        Form::list(
                            vec![
                                core_sym("intern", pos),
                                quote(Form::symbol(ns, pos)),
                                quote(Form::symbol(name, pos)),
                            ],
                            pos,
                        ),
                    ]),
                    pos,
                ),
                Form::list(
                    vec![core_sym("reset-meta!", pos), var.clone(), with_meta],
                    pos,
                ),
                var,
            ],
            pos,
        )
    }

    /// One part of a try, as a fn in which `recur` is refused.
    fn try_part(&mut self, pos: Pos, fn_form: &Form) -> Result<Expr> {
        let FormKind::List(items) = &*fn_form.kind else {
            return fail(pos, "internal error: a try part is not a list");
        };
        let fun = self.fn_parts(pos, None, &items[1..], true)?;
        Ok(Expr::Fn(Arc::new(fun)))
    }

    /// `(letfn* [f (fn* f [..] ..) ...] body)`: each name is a box, set once
    /// every fn exists, so they can call each other.
    fn letfn_form(&mut self, pos: Pos, args: &[Form], tail: bool) -> Result<Expr> {
        let pairs = self.binding_vector(pos, args.first(), "letfn")?;
        self.scopes.push(HashMap::new());
        let result = (|| {
            let mut boxes = Vec::new();
            for pair in pairs.chunks(2) {
                let name = self.binding_name(&pair[0], "letfn*")?;
                boxes.push(self.bind_as(name, true));
            }
            let mut bindings: Vec<(LocalId, Expr)> = boxes
                .iter()
                .map(|id| (*id, core_call("volatile!", vec![Expr::Const(Const::Nil)])))
                .collect();
            for (pair, id) in pairs.chunks(2).zip(&boxes) {
                // A named fn* here would box itself again; the letfn box serves.
                let value_form = self.macroexpand(&pair[1])?;
                let fn_form = match list_head(&value_form) {
                    Some(("fn*", [name, rest @ ..])) if name.as_simple_symbol().is_some() => {
                        let mut items = vec![sym("fn*", value_form.pos)];
                        items.extend(rest.iter().cloned());
                        Form::list(items, value_form.pos)
                    }
                    _ => value_form.clone(),
                };
                let value = self.analyze(&fn_form, false)?;
                let ignored = self.hidden("letfn");
                bindings.push((ignored, core_call("vreset!", vec![Expr::Local(*id), value])));
            }
            let body = self.body(&args[1..], tail)?;
            Ok(Expr::Let {
                bindings,
                body: Box::new(body),
            })
        })();
        self.scopes.pop();
        result
    }

    /// `(case* test default [constants] then ...)`.
    fn case_form(&mut self, pos: Pos, args: &[Form], tail: bool) -> Result<Expr> {
        let [test, default, clauses @ ..] = args else {
            return fail(pos, "case* takes a test, a default and clauses");
        };
        if clauses.len() % 2 != 0 {
            return fail(pos, "case* clauses come in pairs: [constants] then");
        }
        let test = self.analyze(test, false)?;
        let mut seen: Vec<Form> = Vec::new();
        let mut out = Vec::new();
        for pair in clauses.chunks(2) {
            let FormKind::Vector(constants) = &*pair[0].kind else {
                return fail(pair[0].pos, "case* takes a vector of constants per clause");
            };
            for c in constants {
                if seen.contains(c) {
                    return fail(
                        c.pos,
                        format!("Duplicate case test constant: {}", pr_str(c)),
                    );
                }
                seen.push(c.clone());
            }
            let then = self.analyze(&pair[1], tail)?;
            out.push((
                constants.iter().cloned().map(strip_positions).collect(),
                then,
            ));
        }
        let default = self.analyze(default, tail)?;
        Ok(Expr::Case {
            test: Box::new(test),
            clauses: out,
            default: Box::new(default),
        })
    }

    // ---- macros ---------------------------------------------------------------

    /// Expands `form` until its head is no macro.
    /// clojure.walk/macroexpand-all: every macro call in the form expanded,
    /// outside in, as Clojure's prewalk does it (quoted forms included).
    fn macroexpand_all(&mut self, form: &Form) -> Result<Form> {
        let mut expanded = if matches!(&*form.kind, FormKind::List(_)) {
            self.macroexpand(form)?
        } else {
            form.clone()
        };
        if let FormKind::List(items)
        | FormKind::Vector(items)
        | FormKind::Map(items)
        | FormKind::Set(items) = expanded.kind_mut()
        {
            let taken = std::mem::take(items);
            *items = taken
                .iter()
                .map(|item| self.macroexpand_all(item))
                .collect::<Result<_>>()?;
        }
        Ok(expanded)
    }

    pub(crate) fn macroexpand(&mut self, form: &Form) -> Result<Form> {
        Ok(self.expand_if_macro(form)?.unwrap_or_else(|| form.clone()))
    }

    /// The full expansion of a macro call, or None (and no copy) for any other form.
    fn expand_if_macro(&mut self, form: &Form) -> Result<Option<Form>> {
        let Some(mut expanded) = self.macroexpand_1(form)? else {
            return Ok(None);
        };
        let mut steps = 0;
        while let Some(next) = self.macroexpand_1(&expanded)? {
            expanded = next;
            steps += 1;
            if steps > MAX_EXPANSION_DEPTH {
                return fail(expanded.pos, "macro expansion did not terminate");
            }
        }
        Ok(Some(expanded))
    }

    /// One expansion step, or None when the form is not a macro call.
    pub(crate) fn macroexpand_1(&mut self, form: &Form) -> Result<Option<Form>> {
        let FormKind::List(items) = &*form.kind else {
            return Ok(None);
        };
        let Some(FormKind::Symbol { ns, name }) = items.first().map(|f| &*f.kind) else {
            return Ok(None);
        };
        if ns.is_empty()
            && (self.is_local(name) || syntax_quote::is_special(name) || name == SYNTAX_QUOTE)
        {
            return Ok(None);
        }
        let Ok((var_ns, var_name)) = self.knowledge.resolve(ns, name) else {
            return Ok(None);
        };
        let Some(entry) = self.knowledge.entry(&var_ns, &var_name) else {
            return Ok(None);
        };
        if !entry.is_macro {
            return Ok(None);
        }
        let macro_fn = self
            .knowledge
            .compile_time_value(&var_ns, &var_name)
            .or_else(|e| fail(form.pos, e.message()))?;
        self.expansion_depth += 1;
        if self.expansion_depth > MAX_EXPANSION_DEPTH {
            self.expansion_depth -= 1;
            return fail(
                form.pos,
                format!("macro expansion nested too deeply in {var_ns}/{var_name}"),
            );
        }
        let env = self.env_map();
        let mut args = vec![strip_form_positions(form), env];
        for item in &items[1..] {
            args.push(
                self.expand_syntax_quotes(item)
                    .or_else(|e| fail(e.pos, e.message))?
                    .unwrap_or_else(|| item.clone()),
            );
        }
        // Clojure counts a macro's arguments without &form and &env.
        let own_arity_error = format!(
            "Wrong number of args ({}) passed to: {var_name}",
            args.len()
        );
        let expansion = Interp::new(self.knowledge).apply(&macro_fn, args);
        self.expansion_depth -= 1;
        self.used_macros.insert((var_ns.clone(), var_name.clone()));
        match expansion {
            Ok(expanded) if form_size(&expanded, MAX_EXPANSION_FORMS) > MAX_EXPANSION_FORMS => fail(
                form.pos,
                format!("the expansion of {var_ns}/{var_name} has more than {MAX_EXPANSION_FORMS} forms"),
            ),
            Ok(expanded) => {
                self.last_macro = Some(format!("{var_ns}/{var_name}"));
                Ok(Some(expanded.locate(form.pos)))
            }
            Err(e) if e.message() == own_arity_error => fail(
                form.pos,
                format!(
                    "Wrong number of args ({}) passed to: {var_ns}/{var_name}",
                    items.len() - 1
                ),
            ),
            Err(e) => fail(
                form.pos,
                format!("{} (in macro {var_ns}/{var_name})", e.message()),
            ),
        }
    }

    /// Clojure's reader expands a syntax-quote as it reads, so a macro sees
    /// `(quote user/x)` where this reader left `(syntax-quote x)`: expanded
    /// before a macro sees its arguments, in metadata too (`^{:tag `T}`, as
    /// test.generative's `defspec` reads). None when nothing changed.
    fn expand_syntax_quotes(
        &self,
        form: &Form,
    ) -> std::result::Result<Option<Form>, syntax_quote::SyntaxQuoteError> {
        let meta = match &form.meta {
            Some(meta) => self.expand_syntax_quotes(meta)?,
            None => None,
        };
        let items = match &*form.kind {
            FormKind::List(items) => match items.as_slice() {
                [head, quoted] if head.as_simple_symbol() == Some(SYNTAX_QUOTE) => {
                    return syntax_quote::expand(quoted, self.knowledge).map(Some);
                }
                _ => items.as_slice(),
            },
            FormKind::Vector(items) | FormKind::Map(items) | FormKind::Set(items) => {
                items.as_slice()
            }
            _ if meta.is_none() => return Ok(None),
            _ => &[],
        };
        let mut changed: Option<Vec<Form>> = None;
        for (at, item) in items.iter().enumerate() {
            if let Some(expanded) = self.expand_syntax_quotes(item)? {
                changed.get_or_insert_with(|| items.to_vec())[at] = expanded;
            }
        }
        if changed.is_none() && meta.is_none() {
            return Ok(None);
        }
        let mut rebuilt = match changed {
            Some(items) => {
                let kind = match &*form.kind {
                    FormKind::List(_) => FormKind::List(items),
                    FormKind::Vector(_) => FormKind::Vector(items),
                    FormKind::Map(_) => FormKind::Map(items),
                    _ => FormKind::Set(items),
                };
                let mut rebuilt = Form::new(kind, form.pos);
                rebuilt.meta.clone_from(&form.meta);
                rebuilt
            }
            None => form.clone(),
        };
        if let Some(meta) = meta {
            rebuilt.meta = Some(Arc::new(meta));
        }
        Ok(Some(rebuilt))
    }

    /// `&env`: the locals in scope, as a map of symbol to symbol, in the
    /// order Clojure's map has them: by binding, a shadowing local keeping
    /// the place of the name it shadows.
    fn env_map(&self) -> Form {
        let mut names: Vec<&str> = Vec::new();
        for scope in &self.scopes {
            let mut bound: Vec<_> = scope.iter().filter(|(n, _)| !n.starts_with(' ')).collect();
            bound.sort_by_key(|(_, local)| local.id);
            for (name, _) in bound {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        let mut items = Vec::with_capacity(2 * names.len());
        for name in names {
            let s = Form::symbol(name, Pos::default());
            items.push(s.clone());
            items.push(s);
        }
        Form::value(FormKind::Map(items))
    }
}

/// The number of forms in `form`, counting up to a little past `limit`.
fn form_size(form: &Form, limit: usize) -> usize {
    let mut count = 1;
    for item in form.items().unwrap_or_default() {
        if count > limit {
            break;
        }
        count += form_size(item, limit - count.min(limit));
    }
    count
}

fn has_auto_keyword(form: &Form) -> bool {
    match &*form.kind {
        FormKind::Keyword { auto, .. } => *auto,
        _ => form
            .items()
            .is_some_and(|items| items.iter().any(has_auto_keyword)),
    }
}

/// An error at a macro call's own position came from the macro's expansion,
/// not from the user's forms inside it: say which macro.
fn name_expansion_errors<T>(result: Result<T>, call_pos: Pos, via: Option<String>) -> Result<T> {
    match (result, via) {
        (Err(mut e), Some(via)) if e.pos == call_pos && !e.message.contains("(in ") => {
            e.message.push_str(&format!(" (in the expansion of {via})"));
            Err(e)
        }
        (result, _) => result,
    }
}

/// `(def name)`, `(def name init)`, `(def name "doc" init)`.
fn def_parts(pos: Pos, args: &[Form]) -> Result<(&Form, Option<&Form>)> {
    match args {
        [name] => Ok((name, None)),
        [name, init] => Ok((name, Some(init))),
        [name, doc, init] if matches!(*doc.kind, FormKind::Str(_)) => Ok((name, Some(init))),
        _ => fail(
            pos,
            "def takes a name, an optional docstring and a value: (def name value)",
        ),
    }
}

/// The metadata a def gives its var: the name's, plus a docstring argument.
fn def_meta(name: &Form, args: &[Form]) -> Option<Form> {
    let mut meta = name.meta.as_deref().cloned();
    if let [_, doc, _] = args {
        if matches!(*doc.kind, FormKind::Str(_)) {
            let mut items = match meta.map(Form::into_kind) {
                Some(FormKind::Map(items)) => items,
                _ => Vec::new(),
            };
            items.push(Form::keyword("doc"));
            items.push(doc.clone());
            meta = Some(Form::value(FormKind::Map(items)));
        }
    }
    meta
}

/// A prefix list, `(clojure [string :as s] set)`, as the libspecs it stands
/// for (`[clojure.string :as s]`, `clojure.set`); None for a libspec. As in
/// Clojure, a list or vector whose second item is not a keyword is one.
/// Most parameters before `&` that the page's calling convention passes
/// one by one (jank's too); a longer arity takes the rest as a seq (see
/// `long_arities`).
const MAX_PARAMS: usize = 10;

/// How many parameters an arity takes before `&`.
fn fixed_count(params: &[Form]) -> usize {
    params
        .iter()
        .take_while(|f| f.as_simple_symbol() != Some("&"))
        .count()
}

/// Clojure's rules for a fn's overloads, checked on the arities as
/// written: at most twenty parameters before `&` (a Java method, the JVM's
/// 255), one variadic at most, one of each count, and no fixed arity longer
/// than the variadic one.
fn check_overloads(pos: Pos, arities: &[(&[Form], &[Form], Pos)], max_params: usize) -> Result<()> {
    let mut fixed = Vec::new();
    let mut variadic = None;
    for (params, _, p) in arities {
        let count = fixed_count(params);
        if count > max_params {
            return fail(*p, format!("Can't specify more than {max_params} params"));
        }
        if params.iter().any(|f| f.as_simple_symbol() == Some("&")) {
            if variadic.is_some() {
                return fail(*p, "Can't have more than 1 variadic overload");
            }
            variadic = Some(count);
        } else {
            if fixed.contains(&count) {
                return fail(*p, "Can't have 2 overloads with same arity");
            }
            fixed.push(count);
        }
    }
    if variadic.is_some_and(|v| fixed.iter().any(|f| *f > v)) {
        return fail(
            pos,
            "Can't have fixed arity function with more params than variadic function",
        );
    }
    Ok(())
}

/// The namespaces a require or use spec names: `my.ns`, `[my.ns :as m]`,
/// or a prefix list's, `(clojure [set] [string :as s])`; none for a spec
/// with `:as-alias` only, which loads nothing.
fn spec_namespaces(spec: &Form) -> Vec<String> {
    if let Ok(Some(specs)) = prefix_list_specs(spec) {
        return specs.iter().flat_map(spec_namespaces).collect();
    }
    match &*spec.kind {
        FormKind::Symbol { ns, name } if ns.is_empty() => vec![name.clone()],
        FormKind::Vector(items) | FormKind::List(items)
            if !items
                .iter()
                .any(|f| f.as_keyword_name() == Some("as-alias")) =>
        {
            items
                .first()
                .and_then(Form::as_simple_symbol)
                .map(|n| vec![n.to_owned()])
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}

fn prefix_list_specs(spec: &Form) -> Result<Option<Vec<Form>>> {
    let (FormKind::List(items) | FormKind::Vector(items)) = &*spec.kind else {
        return Ok(None);
    };
    let Some(prefix) = items.first().and_then(Form::as_simple_symbol) else {
        return Ok(None);
    };
    if items.len() < 2 || matches!(&*items[1].kind, FormKind::Keyword { .. }) {
        return Ok(None);
    }
    let joined = |name: &str, pos: Pos| Form::symbol(&format!("{prefix}.{name}"), pos);
    items[1..]
        .iter()
        .map(|lib| match &*lib.kind {
            FormKind::Symbol { ns, name } if ns.is_empty() => Ok(joined(name, lib.pos)),
            FormKind::Vector(parts) => match parts.first().and_then(Form::as_simple_symbol) {
                Some(name) => {
                    let mut parts = parts.clone();
                    parts[0] = joined(name, parts[0].pos);
                    Ok(Form::new(FormKind::Vector(parts), lib.pos))
                }
                None => fail(lib.pos, "a prefix list's libspec starts with a symbol"),
            },
            _ => fail(
                lib.pos,
                format!("a prefix list ({prefix} ...) holds symbols and [name :as alias] vectors"),
            ),
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// The metadata a def sets on the page's var, as a map form to evaluate:
/// what the user wrote (not the :arglists every defn has), or an empty map
/// that wipes what an earlier def set. None when there is nothing to say.
/// As in Clojure, a call in it runs (`^{:test (fn [] ...)}`, `{:doc (str
/// ...)}`), and a symbol naming a var is its value (core.memoize's
/// `^{::args-fn rest}`); anything else (a type hint, a literal) is data.
fn page_var_meta(
    meta: Option<&Form>,
    previous: Option<&Form>,
    names_var: impl Fn(&Form) -> bool,
) -> Option<Form> {
    let as_data = |key: &Form, value: &Form| -> Form {
        let is_tag = key.as_keyword_name() == Some("tag");
        match &*value.kind {
            FormKind::List(items) if !items.is_empty() => value.clone(),
            FormKind::Symbol { .. } if !is_tag && names_var(value) => value.clone(),
            _ => Form::list(
                vec![Form::symbol("quote", value.pos), value.clone()],
                value.pos,
            ),
        }
    };
    let user_keys = |m: Option<&Form>| -> Vec<Form> {
        match m.map(|m| &*m.kind) {
            Some(FormKind::Map(items)) => items
                .chunks(2)
                .flat_map(|kv| [kv[0].clone(), as_data(&kv[0], &kv[1])])
                .collect(),
            _ => Vec::new(),
        }
    };
    let now = user_keys(meta);
    // `:arglists` alone (every defn has it) is not worth a run in the page: a
    // plain defn stays a patch with nothing to run. With a docstring or other
    // keys, the page's var gets the arglists too.
    let has_own_keys = |keys: &[Form]| {
        keys.chunks(2)
            .any(|kv| !matches!(&*kv[0].kind, FormKind::Keyword { name, .. } if name == "arglists"))
    };
    if !has_own_keys(&now) && !has_own_keys(&user_keys(previous)) {
        return None;
    }
    Some(Form::value(FormKind::Map(now)))
}

/// The `:arglists` of a def's metadata map (`([x] [x y])`), its quote taken off.
fn arglists_of(meta: &Form) -> Option<Form> {
    let FormKind::Map(items) = &*meta.kind else {
        return None;
    };
    // The last one: a defn's attr-map's own :arglists comes after its own.
    let value = items.chunks(2).rev().find_map(|kv| match &*kv[0].kind {
        FormKind::Keyword { ns, name, .. } if ns.is_empty() && name == "arglists" => kv.get(1),
        _ => None,
    })?;
    let value = match list_head(value) {
        Some(("quote", [quoted])) => quoted,
        _ => value,
    };
    matches!(&*value.kind, FormKind::List(_)).then(|| value.clone())
}

/// `{:arglists '<arglists>}`.
fn arglists_meta(arglists: &Form) -> Form {
    let pos = arglists.pos;
    Form::value(FormKind::Map(vec![
        Form::keyword("arglists"),
        Form::list(vec![Form::symbol("quote", pos), arglists.clone()], pos),
    ]))
}

/// Quoted data forgets where it was written: when a macro returns it, it
/// takes the position of the call it expands (see `Form::locate`), not of
/// the macro's own source.
fn strip_positions(mut form: Form) -> Form {
    form.pos = Pos::default();
    if let FormKind::List(items)
    | FormKind::Vector(items)
    | FormKind::Map(items)
    | FormKind::Set(items) = form.kind_mut()
    {
        let taken = std::mem::take(items);
        *items = taken.into_iter().map(strip_positions).collect();
    }
    form
}

/// `&form` as the macro sees it (the call itself).
fn strip_form_positions(form: &Form) -> Form {
    form.clone()
}

/// Quoted scalars are just constants.
fn quote_const(form: &Form) -> Option<Const> {
    Some(match &*form.kind {
        FormKind::Nil => Const::Nil,
        FormKind::Bool(b) => Const::Bool(*b),
        FormKind::Int(i) => Const::Int(*i),
        FormKind::Float(f) => Const::Float(*f),
        FormKind::Str(s) => Const::Str(s.clone()),
        FormKind::Char(c) => Const::Char(*c),
        FormKind::Keyword {
            ns,
            name,
            auto: false,
        } => Const::Keyword {
            ns: ns.clone(),
            name: name.clone(),
        },
        _ => return None,
    })
}
