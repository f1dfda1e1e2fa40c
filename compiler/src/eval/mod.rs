//! The compile-time evaluator: runs analyzed code inside the compiler, so
//! that macros (and the helper functions they call) are ordinary jank.
//!
//! It interprets the same [`ast`](crate::ast) the backends compile, so a
//! macro body means exactly what it would mean in the page. Values are
//! [`Form`]s; functions are closures over analyzed fns, or [`Builtin`]s
//! (clojure.core in Rust, see `builtins`).

/// A static table of builtins: `builtins_named! {NAME, ("name", fn), …}`.
macro_rules! builtins_named {
    ($table:ident, $(($name:literal, $f:expr)),* $(,)?) => {
        /// Builtins by name: clojure.core's, or `ns/name` for another namespace's.
        pub static $table: &[Builtin] = &[$(Builtin { name: $name, call: {
            let call: fn(&mut Interp<'_>, Vec<Form>) -> Result<Form> = $f;
            call
        } }),*];
    };
}

mod builtins;
mod cells;
mod classes;
mod hashing;
mod matcher;
pub mod multimethods;
pub mod protocols;
mod sorted;
mod text;
pub mod types;

use std::sync::Arc;

use crate::ast::{Const, Expr, FnExpr, LocalId};
use crate::form::{ExInfo, Form, FormKind};
use crate::knowledge::Knowledge;

pub use builtins::{builtin, next_gensym as builtin_gensym, BUILTINS};
pub use classes::CLASS_BUILTINS;
pub use hashing::HASH_BUILTINS;
pub use matcher::MATCHER_BUILTINS;
pub use sorted::{visible_meta, SORTED_BUILTINS};
pub use text::{is_interface_name, CHAR_MAP, TEXT_BUILTINS};

/// `(get m k)` of a compile-time map.
pub fn get_key(m: &Form, k: &Form) -> Option<Form> {
    builtins::get(m, k)
}
pub use types::TYPE_BUILTINS;

/// The clojure.core functions that stop at their shortest collection
/// (`take` at its count, `nth` at its index), so an endless seq among their
/// arguments can be cut.
const ZIPPING: &[&str] = &["map", "mapv", "zipmap", "interleave", "take", "nth"];

/// How many items of an endless seq `take-while` may look at in a macro
/// before it calls the seq endless.
const TAKE_WHILE_LIMIT: usize = 1_000_000;

/// An endless seq written as an argument: `(range)`, `(repeat x)`,
/// `(iterate f x)`, `(cycle coll)` or `(repeatedly f)`.
enum Endless<'a> {
    Range,
    Repeat(&'a Expr),
    Iterate(&'a Expr, &'a Expr),
    Cycle(&'a Expr),
    Repeatedly(&'a Expr),
    /// `(rest endless)`, `(drop 2 endless)`: one without its first items.
    Skip(Box<Endless<'a>>, usize),
}

fn endless_seq(expr: &Expr) -> Option<Endless<'_>> {
    match expr {
        Expr::VarCall { ns, name, args } if ns == "clojure.core" => {
            match (name.as_str(), args.as_slice()) {
                ("range", []) => Some(Endless::Range),
                ("repeat", [x]) => Some(Endless::Repeat(x)),
                ("iterate", [f, x]) => Some(Endless::Iterate(f, x)),
                ("cycle", [coll]) => Some(Endless::Cycle(coll)),
                ("repeatedly", [f]) => Some(Endless::Repeatedly(f)),
                ("rest" | "next", [coll]) => Some(Endless::Skip(Box::new(endless_seq(coll)?), 1)),
                ("drop", [Expr::Const(Const::Int(n)), coll])
                | ("nthrest" | "nthnext", [coll, Expr::Const(Const::Int(n))]) => {
                    Some(Endless::Skip(
                        Box::new(endless_seq(coll)?),
                        usize::try_from(*n).unwrap_or(0),
                    ))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// `(take-while pred endless)`: its pred and its endless seq.
fn take_while_of_endless<'a>(
    ns: &str,
    name: &str,
    args: &'a [Expr],
) -> Option<(&'a Expr, Endless<'a>)> {
    match args {
        [pred, coll] if ns == "clojure.core" && name == "take-while" => {
            endless_seq(coll).map(|endless| (pred, endless))
        }
        _ => None,
    }
}

/// Where a macro's walk through an endless seq is.
enum EndlessCursor {
    Range(i64),
    Repeat(Form),
    Iterate {
        f: Form,
        last: Option<Form>,
        first: Option<Form>,
    },
    Cycle(Vec<Form>, usize),
    Repeatedly(Form),
}

/// A jank fn at compile time: its analyzed code and the values it captured.
#[derive(Debug)]
pub struct Closure {
    pub fun: Arc<FnExpr>,
    pub captured: Vec<Form>,
}

impl Closure {
    pub fn name(&self) -> String {
        self.fun.name.clone().unwrap_or_else(|| "fn".to_owned())
    }
}

/// A clojure.core function implemented in Rust for the evaluator.
#[derive(Debug)]
pub struct Builtin {
    pub name: &'static str,
    pub call: fn(&mut Interp<'_>, Vec<Form>) -> Result<Form>,
}

/// Why evaluation stopped: a thrown value, or an error with a message
/// (which `catch` sees as an ex-info carrying that message).
#[derive(Debug, Clone)]
pub enum Thrown {
    Value(Form),
    Error(String),
}

impl Thrown {
    /// What the user reads.
    pub fn message(&self) -> String {
        match self {
            Thrown::Error(message) => message.clone(),
            Thrown::Value(form) => match &*form.kind {
                FormKind::ExInfo(ex) => {
                    if matches!(*ex.data.kind, FormKind::Nil)
                        || matches!(&*ex.data.kind, FormKind::Map(m) if m.is_empty())
                    {
                        ex.message.clone()
                    } else {
                        format!("{} {}", ex.message, ex.data)
                    }
                }
                _ => format!("threw {form}"),
            },
        }
    }

    /// The value a `catch` binds.
    fn into_value(self) -> Form {
        match self {
            Thrown::Value(form) => form,
            Thrown::Error(message) => Form::value(FormKind::ExInfo(Arc::new(ExInfo {
                message,
                data: Form::nil(),
                cause: None,
            }))),
        }
    }
}

pub type Result<T> = std::result::Result<T, Thrown>;

pub fn error<T>(message: impl Into<String>) -> Result<T> {
    Err(Thrown::Error(message.into()))
}

/// Deepest nesting of compile-time calls before it is called a runaway recursion.
const MAX_DEPTH: usize = 2_000;

/// The largest collection or string a compile-time builtin may return: a
/// macro that doubles a list in a loop must fail, not exhaust the memory.
pub const MAX_VALUE_SIZE: usize = 1 << 20;

/// Loop iterations and calls one evaluation may take before it is called a
/// runaway macro: a macro that never returns must not hang the compiler.
const MAX_STEPS: u64 = 1_000_000;

/// One evaluation's state: the locals of the running fn and the pending `recur`.
pub struct Interp<'k> {
    pub knowledge: &'k Knowledge,
    locals: Vec<(LocalId, Form)>,
    recur: Option<Vec<Form>>,
    depth: usize,
    steps: u64,
    /// `binding`'s frames, innermost last: what push-thread-bindings gave
    /// each var, so a macro's helpers that bind a dynamic var see it.
    bindings: Vec<Vec<(String, String, Form)>>,
    /// with-out-str's buffers, innermost last: where printing goes; with
    /// none, it goes to the server's log.
    captured: Vec<String>,
}

impl<'k> Interp<'k> {
    pub fn new(knowledge: &'k Knowledge) -> Self {
        Self {
            knowledge,
            locals: Vec::new(),
            recur: None,
            depth: 0,
            steps: 0,
            bindings: Vec::new(),
            captured: Vec::new(),
        }
    }

    /// What a macro prints: into with-out-str's buffer, else the log.
    pub fn print(&mut self, text: &str) {
        match self.captured.last_mut() {
            Some(buffer) => buffer.push_str(text),
            None => eprint!("{text}"),
        }
    }

    /// The text `body` prints, as with-out-str gives it.
    pub fn capture_output(&mut self, body: impl FnOnce(&mut Self) -> Result<()>) -> Result<String> {
        self.captured.push(String::new());
        let result = body(self);
        let text = self.captured.pop().unwrap_or_default();
        result.map(|()| text)
    }

    /// A var's value: its innermost `binding`, else its root.
    pub fn var_value(&self, ns: &str, name: &str) -> Result<Form> {
        let mut bound = self.bindings.iter().rev().flatten();
        match bound.find(|(n, v, _)| n == ns && v == name) {
            Some((_, _, value)) => Ok(value.clone()),
            None => self.knowledge.compile_time_value(ns, name),
        }
    }

    /// Evaluates top-level code (no enclosing fn).
    pub fn eval_top(&mut self, expr: &Expr) -> Result<Form> {
        self.eval(expr)
    }

    fn local(&self, id: LocalId) -> Result<Form> {
        match self.locals.iter().rev().find(|(l, _)| *l == id) {
            Some((_, value)) => Ok(value.clone()),
            None => error(format!("internal error: local {id} is not bound")),
        }
    }

    fn eval_all(&mut self, exprs: &[Expr]) -> Result<Vec<Form>> {
        exprs.iter().map(|e| self.eval(e)).collect()
    }

    /// The arguments of a call that stops at its shortest collection, where
    /// an infinite `(range)` or `(repeat x)` becomes as long as the longest
    /// it can use: `(zipmap ks (range))`, `(map vector xs (repeat 0))` and
    /// `(take 3 (range))` work in macros, whose collections are eager.
    fn eval_zipped(&mut self, name: &str, args: &[Expr]) -> Result<Vec<Form>> {
        let mut values = Vec::with_capacity(args.len());
        let mut limit: Option<usize> = None;
        for (i, arg) in args.iter().enumerate() {
            if let Some(endless) = endless_seq(arg) {
                values.push(Err(endless));
                continue;
            }
            let value = self.eval(arg)?;
            let length = match (name, i, &*value.kind) {
                ("map" | "mapv", 0, _) => None, // the function
                ("take", 0, FormKind::Int(n)) => Some((*n).max(0) as usize),
                ("nth", 1, FormKind::Int(n)) => Some((*n).max(0) as usize + 1),
                _ => builtins::items(&value).ok().map(|items| items.len()),
            };
            if let Some(length) = length {
                limit = Some(limit.map_or(length, |l| l.min(length)));
            }
            values.push(Ok(value));
        }
        values
            .into_iter()
            .map(|value| match value {
                Ok(value) => Ok(value),
                Err(endless) => {
                    let Some(n) = limit else {
                        return error(format!(
                            "{name} of only endless seqs at compile time would never end"
                        ));
                    };
                    Ok(Form::value(FormKind::List(self.endless_take(&endless, n)?)))
                }
            })
            .collect()
    }

    /// A cursor at the start of an endless seq: its arguments evaluated.
    fn endless_cursor(&mut self, endless: &Endless<'_>) -> Result<EndlessCursor> {
        Ok(match endless {
            Endless::Range => EndlessCursor::Range(0),
            Endless::Repeat(x) => EndlessCursor::Repeat(self.eval(x)?),
            Endless::Iterate(f, x) => EndlessCursor::Iterate {
                f: self.eval(f)?,
                last: None,
                first: Some(self.eval(x)?),
            },
            Endless::Cycle(coll) => EndlessCursor::Cycle(builtins::items(&self.eval(coll)?)?, 0),
            Endless::Repeatedly(f) => EndlessCursor::Repeatedly(self.eval(f)?),
            Endless::Skip(inner, n) => {
                let mut cursor = self.endless_cursor(inner)?;
                for _ in 0..*n {
                    self.endless_next(&mut cursor)?;
                }
                cursor
            }
        })
    }

    /// The next item of an endless seq; None when a cycle of nothing ends.
    /// A fn in it runs only for the items asked for, as in a lazy seq.
    fn endless_next(&mut self, cursor: &mut EndlessCursor) -> Result<Option<Form>> {
        Ok(Some(match cursor {
            EndlessCursor::Range(i) => {
                *i += 1;
                Form::value(FormKind::Int(*i - 1))
            }
            EndlessCursor::Repeat(x) => x.clone(),
            EndlessCursor::Iterate { f, last, first } => {
                let next = match (first.take(), last.take()) {
                    (Some(x), _) => x,
                    (None, Some(previous)) => {
                        let f = f.clone();
                        self.apply(&f, vec![previous])?
                    }
                    (None, None) => return error("internal error: iterate lost its place"),
                };
                *last = Some(next.clone());
                next
            }
            EndlessCursor::Cycle(items, i) => {
                if items.is_empty() {
                    return Ok(None);
                }
                *i += 1;
                items[(*i - 1) % items.len()].clone()
            }
            EndlessCursor::Repeatedly(f) => {
                let f = f.clone();
                self.apply(&f, Vec::new())?
            }
        }))
    }

    /// The first n items of an endless seq.
    fn endless_take(&mut self, endless: &Endless<'_>, n: usize) -> Result<Vec<Form>> {
        let mut cursor = self.endless_cursor(endless)?;
        let mut items = Vec::with_capacity(n.min(TAKE_WHILE_LIMIT));
        while items.len() < n {
            match self.endless_next(&mut cursor)? {
                Some(item) => items.push(item),
                None => break,
            }
        }
        Ok(items)
    }

    /// `(take-while pred endless)`: the items up to the first that pred
    /// refuses.
    fn take_while_endless(&mut self, pred: &Expr, endless: &Endless<'_>) -> Result<Form> {
        let pred = self.eval(pred)?;
        let mut cursor = self.endless_cursor(endless)?;
        let mut items = Vec::new();
        while let Some(item) = self.endless_next(&mut cursor)? {
            if !self.apply(&pred, vec![item.clone()])?.truthy() {
                break;
            }
            if items.len() == TAKE_WHILE_LIMIT {
                return error(format!(
                    "take-while at compile time took {TAKE_WHILE_LIMIT} items of an endless seq without stopping"
                ));
            }
            items.push(item);
        }
        Ok(Form::value(FormKind::List(items)))
    }

    fn eval(&mut self, expr: &Expr) -> Result<Form> {
        match expr {
            Expr::Const(c) => Ok(constant(c)),
            Expr::Quote(form) => Ok(form.clone()),
            Expr::Local(id) => self.local(*id),
            Expr::Var { ns, name } => self.var_value(ns, name),
            Expr::TheVar { ns, name } => Ok(Form::value(FormKind::Var {
                ns: ns.clone(),
                name: name.clone(),
            })),
            Expr::VarCall { ns, name, args } => {
                if let Some((pred, endless)) = take_while_of_endless(ns, name, args) {
                    return self.take_while_endless(pred, &endless);
                }
                let f = self.var_value(ns, name)?;
                let args = if ns == "clojure.core" && ZIPPING.contains(&name.as_str()) {
                    self.eval_zipped(name, args)?
                } else {
                    self.eval_all(args)?
                };
                self.apply(&f, args)
            }
            Expr::Call { callee, args } => {
                let f = self.eval(callee)?;
                let args = self.eval_all(args)?;
                self.apply(&f, args)
            }
            Expr::If {
                cond,
                then,
                otherwise,
            } => {
                if self.eval(cond)?.truthy() {
                    self.eval(then)
                } else {
                    self.eval(otherwise)
                }
            }
            Expr::Do(exprs) => {
                let mut value = Form::nil();
                for e in exprs {
                    value = self.eval(e)?;
                }
                Ok(value)
            }
            Expr::Let { bindings, body } => {
                let mark = self.locals.len();
                for (id, value) in bindings {
                    let v = self.eval(value)?;
                    self.locals.push((*id, v));
                }
                let result = self.eval(body);
                self.locals.truncate(mark);
                result
            }
            Expr::Loop { bindings, body } => {
                let mark = self.locals.len();
                for (id, value) in bindings {
                    let v = self.eval(value)?;
                    self.locals.push((*id, v));
                }
                let ids: Vec<LocalId> = bindings.iter().map(|(id, _)| *id).collect();
                let result = self.run_loop(&ids, mark, body);
                self.locals.truncate(mark);
                result
            }
            Expr::Recur { args } => {
                let values = self.eval_all(args)?;
                self.recur = Some(values);
                Ok(Form::nil())
            }
            Expr::Fn(fun) => self.make_closure(fun),
            Expr::Vector(items) => {
                let value = Form::value(FormKind::Vector(self.eval_all(items)?));
                check_size(&value, "a vector literal")?;
                Ok(value)
            }
            Expr::Set(items) => {
                let mut out: Vec<Form> = Vec::new();
                for item in self.eval_all(items)? {
                    if out.contains(&item) {
                        return error(format!("Duplicate key: {item}"));
                    }
                    out.push(item);
                }
                let value = Form::value(FormKind::Set(out));
                check_size(&value, "a set literal")?;
                Ok(value)
            }
            Expr::Map(items) => {
                let values = self.eval_all(items)?;
                let mut map = Form::value(FormKind::Map(Vec::new()));
                for kv in values.chunks(2) {
                    map = builtins::assoc(map, kv[0].clone(), kv[1].clone())?;
                }
                check_size(&map, "a map literal")?;
                Ok(map)
            }
            // A def nested in a top-level form, run for its compile-time
            // value (analyzer.rs `nested_def_values`): the var gets it.
            Expr::Def {
                ns,
                name,
                init: Some(init),
                ..
            } if self.knowledge.has_compile_time_slot(ns, name) => {
                let value = self.eval(init)?;
                self.knowledge.set_ready_value(ns, name, value);
                Ok(Form::value(FormKind::Var {
                    ns: ns.clone(),
                    name: name.clone(),
                }))
            }
            Expr::Def { ns, name, .. } => error(format!(
                "def of {ns}/{name} inside code run at compile time is not supported; def it at the top level"
            )),
            Expr::Throw(value) => Err(Thrown::Value(self.eval(value)?)),
            Expr::Try {
                body,
                handler,
                finally,
            } => {
                let body = self.eval(body)?;
                let mut result = self.apply(&body, Vec::new());
                if let (Err(thrown), Some(handler)) = (&result, handler) {
                    let handler = self.eval(handler)?;
                    let caught = thrown.clone().into_value();
                    result = self.apply(&handler, vec![caught]);
                }
                if let Some(finally) = finally {
                    let finally = self.eval(finally)?;
                    self.apply(&finally, Vec::new())?;
                }
                result
            }
            Expr::Case {
                test,
                clauses,
                default,
            } => {
                let value = self.eval(test)?;
                for (constants, then) in clauses {
                    if constants.contains(&value) {
                        return self.eval(then);
                    }
                }
                self.eval(default)
            }
        }
    }

    /// Runs a loop body until it finishes without `recur`.
    fn run_loop(&mut self, ids: &[LocalId], mark: usize, body: &Expr) -> Result<Form> {
        loop {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                return error(format!(
                    "compile-time evaluation took more than {MAX_STEPS} steps; is a macro looping forever?"
                ));
            }
            let value = self.eval(body)?;
            let Some(values) = self.recur.take() else {
                return Ok(value);
            };
            self.locals.truncate(mark);
            for (id, v) in ids.iter().zip(values) {
                self.locals.push((*id, v));
            }
        }
    }

    fn make_closure(&mut self, fun: &Arc<FnExpr>) -> Result<Form> {
        let captured = fun
            .captures
            .iter()
            .map(|id| self.local(*id))
            .collect::<Result<Vec<_>>>()?;
        Ok(Form::value(FormKind::Fn(Arc::new(Closure {
            fun: fun.clone(),
            captured,
        }))))
    }

    /// `(macroexpand-1 form)` run by a macro: the expansion when `form`
    /// calls a macro, else None. A macro sees no locals here (Clojure's
    /// macroexpand-1 passes no &env either); host sugar, `(.m x)` and
    /// `(C. x)`, is left as written, for the analyzer reads it as is.
    pub fn macroexpand_1(&mut self, form: &Form) -> Result<Option<Form>> {
        let FormKind::List(items) = &*form.kind else {
            return Ok(None);
        };
        let Some(FormKind::Symbol { ns, name }) = items.first().map(|f| &*f.kind) else {
            return Ok(None);
        };
        if ns.is_empty() && crate::syntax_quote::is_special(name) {
            return Ok(None);
        }
        let Ok((var_ns, var_name)) = self.knowledge.resolve(ns, name) else {
            return Ok(None);
        };
        if !self
            .knowledge
            .entry(&var_ns, &var_name)
            .is_some_and(|e| e.is_macro)
        {
            return Ok(None);
        }
        let macro_fn = self.knowledge.compile_time_value(&var_ns, &var_name)?;
        let mut args = vec![form.clone(), Form::value(FormKind::Nil)];
        args.extend(items[1..].iter().cloned());
        self.apply(&macro_fn, args).map(Some)
    }

    /// Calls anything callable: fns, builtins, keywords, maps, sets, vectors, vars.
    pub fn apply(&mut self, f: &Form, args: Vec<Form>) -> Result<Form> {
        match &*f.kind {
            FormKind::Fn(closure) => self.call_closure(closure, args),
            FormKind::Builtin(b) => {
                if let Some(helper) = builtins::transducer_arity(b.name, args.len()) {
                    let helper = self.var_value("clojure.core", &helper)?;
                    return self.apply(&helper, args);
                }
                if let Some(answer) = types::own_method(self, b.name, &args) {
                    return answer;
                }
                let kept_record = types::record_kept_by(b.name, &args);
                let kept_sorted = sorted::kept_by(b.name, &args);
                let args = types::records_as_maps(b.name, args);
                let args = types::seqables_as_lists(self, b.name, args)?;
                let value = (b.call)(self, args)?;
                check_size(&value, b.name)?;
                match (kept_record, kept_sorted) {
                    (Some(record_type), _) => Ok(types::as_record_of(&record_type, value)),
                    (None, Some(cmp)) => sorted::sorted(self, &cmp, value),
                    (None, None) => Ok(value),
                }
            }
            FormKind::Keyword { .. } | FormKind::Symbol { .. }
                if args
                    .first()
                    .is_some_and(|coll| types::slot(coll, "lookup").is_some()) =>
            {
                let mut get_args = vec![args[0].clone(), f.clone()];
                get_args.extend(args.into_iter().skip(1));
                let get = self.knowledge.compile_time_value("clojure.core", "get")?;
                self.apply(&get, get_args)
            }
            FormKind::Keyword { .. } | FormKind::Symbol { .. } => match args.as_slice() {
                [coll] => Ok(builtins::get(coll, f).unwrap_or_else(Form::nil)),
                [coll, default] => Ok(builtins::get(coll, f).unwrap_or_else(|| default.clone())),
                _ => error(format!(
                    "Wrong number of args ({}) passed to: {f}",
                    args.len()
                )),
            },
            FormKind::Map(_) | FormKind::Set(_) => match args.as_slice() {
                [key] => Ok(builtins::get(f, key).unwrap_or_else(Form::nil)),
                [key, default] => Ok(builtins::get(f, key).unwrap_or_else(|| default.clone())),
                _ => error(format!(
                    "Wrong number of args ({}) passed to a {}",
                    args.len(),
                    f.describe()
                )),
            },
            FormKind::Vector(_) => match args.as_slice() {
                [index] => builtins::nth(f, index, None),
                _ => error("a vector takes one argument, an index"),
            },
            FormKind::Var { ns, name } => {
                let value = self.var_value(ns, name)?;
                self.apply(&value, args)
            }
            FormKind::Cell(_) if protocols::is_method(f) => protocols::call(self, f, args),
            FormKind::Cell(_) if multimethods::is_multimethod(f) => {
                multimethods::call(self, f, args)
            }
            FormKind::Cell(_) if types::slot(f, "invoke").is_some() => {
                let invoke = types::slot(f, "invoke").unwrap_or_else(Form::nil);
                let mut with_this = vec![f.clone()];
                with_this.extend(args);
                self.apply(&invoke, with_this)
            }
            _ => error(format!(
                "{} is not a function: {f}",
                capitalized(f.describe())
            )),
        }
    }

    fn call_closure(&mut self, closure: &Arc<Closure>, mut args: Vec<Form>) -> Result<Form> {
        let fun = &closure.fun;
        let count = args.len();
        let arity = fun
            .arities
            .iter()
            .find(|a| a.rest.is_none() && a.params.len() == count)
            .or_else(|| {
                fun.arities
                    .iter()
                    .find(|a| a.rest.is_some() && count >= a.params.len())
            });
        let Some(arity) = arity else {
            return error(format!(
                "Wrong number of args ({count}) passed to: {}",
                closure.name()
            ));
        };
        if self.depth >= MAX_DEPTH {
            return error(format!(
                "StackOverflowError: compile-time recursion deeper than {MAX_DEPTH} calls in {}",
                closure.name()
            ));
        }
        let mut frame: Vec<(LocalId, Form)> = fun
            .captures
            .iter()
            .copied()
            .zip(closure.captured.iter().cloned())
            .collect();
        let rest = if arity.rest.is_some() {
            let extra = args.split_off(arity.params.len());
            Some(if extra.is_empty() {
                Form::nil()
            } else {
                Form::value(FormKind::List(extra))
            })
        } else {
            None
        };
        frame.extend(arity.params.iter().copied().zip(args));
        if let (Some(id), Some(rest)) = (arity.rest, rest) {
            frame.push((id, rest));
        }
        let mut ids: Vec<LocalId> = arity.params.clone();
        ids.extend(arity.rest);
        let saved_locals = std::mem::replace(&mut self.locals, frame);
        let saved_recur = self.recur.take();
        self.depth += 1;
        let mark = self.locals.len() - ids.len();
        let result = self.run_fn_body(&ids, mark, &arity.body);
        self.depth -= 1;
        self.locals = saved_locals;
        self.recur = saved_recur;
        result
    }

    /// A fn body is a loop target: `recur` rebinds its parameters.
    fn run_fn_body(&mut self, ids: &[LocalId], mark: usize, body: &Expr) -> Result<Form> {
        // Captured values sit below `mark` and stay; parameters are rebound.
        self.run_loop(ids, mark, body)
    }
}

fn check_size(value: &Form, made_by: &str) -> Result<()> {
    if value.depth > crate::form::MAX_FORM_DEPTH {
        return error(format!(
            "{made_by} made a value nested {} deep at compile time; the limit is {}",
            value.depth,
            crate::form::MAX_FORM_DEPTH
        ));
    }
    let size = match &*value.kind {
        FormKind::Str(s) => s.len(),
        _ => value.items().map_or(0, <[Form]>::len),
    };
    if size > MAX_VALUE_SIZE {
        return error(format!(
            "{made_by} made a value of {size} items at compile time; the limit is {MAX_VALUE_SIZE}"
        ));
    }
    Ok(())
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn constant(c: &Const) -> Form {
    Form::value(match c {
        Const::Nil => FormKind::Nil,
        Const::Bool(b) => FormKind::Bool(*b),
        Const::Int(i) => FormKind::Int(*i),
        Const::Float(f) => FormKind::Float(*f),
        Const::Str(s) => FormKind::Str(s.clone()),
        Const::Char(c) => FormKind::Char(*c),
        Const::Keyword { ns, name } => FormKind::Keyword {
            ns: ns.clone(),
            name: name.clone(),
            auto: false,
        },
    })
}
