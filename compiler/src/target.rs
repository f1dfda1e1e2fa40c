//! The pass between analysis and codegen that asks what a unit needs from the
//! page: which helpers its code calls, and what the registry must accept.
//! Checked against the connected pages' capabilities, a form that needs what
//! a page lacks is a compile error naming the form and the missing piece,
//! instead of a patch that loads and then fails, or silently does nothing.
//!
//! The helper list mirrors what the backends emit for each expression; the
//! wasm backend imports exactly this list, so a divergence is a compile error
//! in every test that compiles code, not a runtime surprise.

use std::collections::BTreeSet;

use jank_hot_reload_protocol::Capabilities;

use crate::ast::{Const, Expr, FnExpr, Origin, Unit};
use crate::form::{pr_str_short, Form, FormKind, Pos};

/// Why a unit cannot be loaded by the connected pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetError {
    pub message: String,
    pub pos: Pos,
}

/// The helpers every part of a unit calls, in the order of [`HELPERS`]
/// (jank_hot_reload_protocol's list), then the loop tick if it calls it.
///
/// [`HELPERS`]: jank_hot_reload_protocol::capabilities::HELPERS
pub fn helpers_of(unit: &Unit) -> Vec<&'static str> {
    let mut needs = Needs {
        core_ops: unit.core_ops,
        core_deref: unit.core_deref,
        ..Needs::default()
    };
    for defn in &unit.defns {
        needs.fn_bodies(&defn.fun);
    }
    for expr in &unit.run {
        needs.expr(expr);
    }
    let mut helpers = needs.ordered();
    if unit.loop_ticks && needs.recurs {
        helpers.push(jank_hot_reload_protocol::capabilities::LOOP_TICK);
    }
    if unit.cached_constants && needs.cached_constants {
        helpers.push(jank_hot_reload_protocol::capabilities::GC_ADD_ROOT);
    }
    if needs.calls_core_op {
        helpers.push(jank_hot_reload_protocol::capabilities::CORE_OP);
    }
    if needs.calls_core_deref {
        helpers.push(jank_hot_reload_protocol::capabilities::CORE_DEREF);
    }
    helpers
}

/// The operations of the page's `capabilities::CORE_OP`, in its order (the
/// runtime's `core_op`), with the argument count each is inlined at.
const CORE_OPS: &[(&str, usize)] = &[
    ("+", 2),
    ("-", 2),
    ("*", 2),
    ("<", 2),
    (">", 2),
    ("<=", 2),
    (">=", 2),
    ("==", 2),
    ("=", 2),
    ("inc", 1),
    ("dec", 1),
];

/// The core op a call of `ns/name` with `argc` arguments is, if any.
pub(crate) fn core_op(ns: &str, name: &str, argc: usize) -> Option<i32> {
    if ns != "clojure.core" {
        return None;
    }
    CORE_OPS
        .iter()
        .position(|(op, arity)| *op == name && *arity == argc)
        .map(|i| i as i32)
}

/// Whether a call of `ns/name` with `argc` arguments is clojure.core's
/// one-argument `deref`, which the page's `capabilities::CORE_DEREF` runs.
pub(crate) fn is_core_deref(ns: &str, name: &str, argc: usize) -> bool {
    ns == "clojure.core" && name == "deref" && argc == 1
}

/// Whether a constant is built once and kept (see `Unit::cached_constants`):
/// strings, floats and integers past the runtime's shared small ones. nil,
/// booleans, characters and keywords are shared objects of the runtime
/// already.
pub(crate) fn is_cached_const(c: &Const) -> bool {
    match c {
        Const::Str(_) | Const::Float(_) => true,
        Const::Int(v) => !(-128..=1024).contains(v),
        Const::Nil | Const::Bool(_) | Const::Char(_) | Const::Keyword { .. } => false,
    }
}

/// Whether a quoted form is built once and kept: every one but those that
/// are a constant [`is_cached_const`] leaves alone.
pub(crate) fn is_cached_quote(form: &Form) -> bool {
    match &*form.kind {
        FormKind::Nil | FormKind::Bool(_) | FormKind::Char(_) | FormKind::Keyword { .. } => {
            form.meta.is_some()
        }
        FormKind::Int(v) => !(-128..=1024).contains(v),
        _ => true,
    }
}

/// The key under which equal constants share one slot, so that equal string
/// literals are `identical?` as on the JVM; None for a slot of its own.
/// Floats never share: `(= ##NaN ##NaN)` is false, and one object would
/// make it true.
pub(crate) fn shared_constant_key(c: &Const) -> Option<String> {
    match c {
        Const::Str(s) => Some(format!("s{s}")),
        Const::Int(v) => Some(format!("i{v}")),
        _ => None,
    }
}

/// Whether a `recur` with these arguments calls the loop tick (when the unit
/// has `loop_ticks`): only when the arguments call nothing themselves. A call
/// through `jank_call_var` or `jank_call` counts toward the time limit on its
/// own, so `(recur (inc i))` needs no tick, and `(recur)` or `(recur x)` does.
pub(crate) fn recur_ticks(args: &[Expr]) -> bool {
    let mut needs = Needs::default();
    needs.exprs(args);
    !(needs.helpers.contains("jank_call_var") || needs.helpers.contains("jank_call"))
}

/// The helpers `unit` calls that the page lacks and the wasm backend can
/// stand in for, from helpers the page has (backend::wasm's stand-ins).
pub fn stand_ins(unit: &Unit, caps: &Capabilities) -> Vec<&'static str> {
    helpers_of(unit)
        .into_iter()
        .filter(|h| !caps.has_helper(h) && can_stand_in(h, caps))
        .collect()
}

fn can_stand_in(helper: &str, caps: &Capabilities) -> bool {
    crate::backend::wasm::stand_in_parts(helper)
        .is_some_and(|parts| parts.iter().all(|p| caps.has_helper(p)))
}

/// Checks `unit` against what the pages can load; with `stand_ins`, a helper
/// the page lacks but the backend can build is no reason to refuse. Quiet run
/// code (a defn's docstring for the page's var) is dropped, not refused, when
/// the pages cannot run code.
pub fn check(unit: &mut Unit, caps: &Capabilities, stand_ins: bool) -> Result<(), TargetError> {
    let limits = caps.limits;
    for defn in &unit.defns {
        let what = || format!("(defn {} ...)", defn.name);
        let fail = |message: String| {
            Err(TargetError {
                message,
                pos: defn.pos,
            })
        };
        if defn.fun.arities.len() > 1 && !limits.multi_arity {
            return fail(format!(
                "{} has {} arities, but this page's registry keeps one per var (each \
                 registration replaces the last); give it one arity, or use a runtime with \
                 the multi-arity registry",
                what(),
                defn.fun.arities.len()
            ));
        }
        for arity in &defn.fun.arities {
            if arity.rest.is_some() && !limits.variadic {
                return fail(format!(
                    "{} takes a rest argument (&), but this page's registry reads the \
                     signature \"{n}+\" as {n} and cannot register a variadic fn",
                    what(),
                    n = arity.params.len()
                ));
            }
            if arity.params.len() as u32 > limits.max_arity {
                return fail(format!(
                    "{} takes {} arguments, but this page's registry registers arities 0 to {}",
                    what(),
                    arity.params.len(),
                    limits.max_arity
                ));
            }
        }
        let mut needs = Needs::default();
        needs.fn_bodies(&defn.fun);
        needs.check(caps, &what(), defn.pos, stand_ins)?;
    }
    let can_run = caps.has_extension("jank_hot_reload_run_var");
    if !can_run {
        // Without run-var the page cannot run code: keep what registers.
        let mut kept_origins = Vec::new();
        let mut kept = Vec::new();
        for (expr, origin) in unit.run.drain(..).zip(unit.run_origins.drain(..)) {
            if origin.quiet || matches!(expr, Expr::Const(Const::Nil)) {
                continue;
            }
            kept.push(expr);
            kept_origins.push(origin);
        }
        if let Some(origin) = kept_origins.first() {
            return Err(TargetError {
                message: format!(
                    "{} is code to run, but this page's runtime does not export \
                     jank_hot_reload_run_var, so it can only load defns; define it in a defn \
                     and call that from the page, or use a runtime with the run-var extension",
                    describe(origin)
                ),
                pos: origin.pos,
            });
        }
    }
    for (expr, origin) in unit.run.iter().zip(&unit.run_origins) {
        let mut needs = Needs::default();
        needs.expr(expr);
        needs.check(caps, &describe(origin), origin.pos, stand_ins)?;
    }
    Ok(())
}

fn describe(origin: &Origin) -> String {
    origin
        .form
        .as_ref()
        .map(|f| pr_str_short(f, 40))
        .unwrap_or_else(|| "a top-level form".into())
}

/// What one part of a unit calls.
#[derive(Default)]
struct Needs {
    helpers: BTreeSet<&'static str>,
    /// The most arguments of any call through `jank_call_var`.
    most_var_call_args: usize,
    /// The highest arity a fn value wraps with `jank_make_fn_wrapper`
    /// (variadic ones as -(fixed + 1), as the helper takes them).
    wrapper_arities: BTreeSet<i64>,
    /// The same for closures, which a stand-in wraps with their environment.
    closure_arities: BTreeSet<i64>,
    /// Some `recur` jumps back without a call (see [`recur_ticks`]).
    recurs: bool,
    /// Some constant is built once and kept (see [`is_cached_const`]).
    cached_constants: bool,
    /// Calls of clojure.core's arithmetic go to the core op (`Unit::core_ops`).
    core_ops: bool,
    /// Some call does.
    calls_core_op: bool,
    /// `deref` of one argument goes to the core deref (`Unit::core_deref`).
    core_deref: bool,
    /// Some call does.
    calls_core_deref: bool,
    /// A closure with several arities (the closure stand-in makes one).
    multi_arity_closure: bool,
    /// The most arguments of any call of a fn value (`jank_call`).
    most_fn_call_args: usize,
}

impl Needs {
    fn ordered(&self) -> Vec<&'static str> {
        jank_hot_reload_protocol::capabilities::HELPERS
            .iter()
            .copied()
            .filter(|h| self.helpers.contains(h))
            .collect()
    }

    fn check(
        &self,
        caps: &Capabilities,
        what: &str,
        pos: Pos,
        stand_ins: bool,
    ) -> Result<(), TargetError> {
        let fail = |message: String| Err(TargetError { message, pos });
        let stood_in = |h: &str| stand_ins && !caps.has_helper(h) && can_stand_in(h, caps);
        let missing: Vec<String> = self
            .ordered()
            .into_iter()
            .filter(|h| !caps.has_helper(h) && !stood_in(h))
            .map(|h| format!("{h} ({})", purpose(h)))
            .collect();
        if !missing.is_empty() {
            let (noun, them) = if missing.len() == 1 {
                ("helper", "it")
            } else {
                ("helpers", "them")
            };
            return fail(format!(
                "{what} needs the runtime {noun} {}, but this page's runtime does not export \
                 {them}",
                missing.join(", ")
            ));
        }
        if let Some(most) = caps.limits.call_var_max_args {
            if self.most_var_call_args > most as usize {
                return fail(format!(
                    "{what} calls a var with {} arguments, but this page's jank_call_var passes \
                     at most {most} (it returns nil beyond that)",
                    self.most_var_call_args
                ));
            }
        }
        if stood_in("jank_call") {
            // The stand-in is (apply f args... nil) in a frame of 16 slots.
            let most = caps
                .limits
                .call_var_max_args
                .map_or(14, crate::backend::wasm::call_args_through_apply);
            if self.most_fn_call_args > most {
                return fail(format!(
                    "{what} calls a fn value with {} arguments, but this page has no jank_call, \
                     and through jank_call_var's apply it passes at most {most}",
                    self.most_fn_call_args
                ));
            }
        }
        let max = i64::from(caps.limits.fn_wrapper_max_arity);
        let wraps = |a: i64| {
            if a < 0 {
                caps.limits.variadic && -a - 1 <= max
            } else {
                a <= max
            }
        };
        if stood_in("jank_make_closure") && self.multi_arity_closure {
            return fail(format!(
                "{what} makes a closure with several arities, but this page has no \
                 jank_make_closure, and what stands in for it makes closures of one arity"
            ));
        }
        if stood_in("jank_make_closure") {
            // The stand-in wraps the closure's code, which takes its environment first.
            let with_env = |a: i64| if a < 0 { a - 1 } else { a + 1 };
            if let Some(bad) = self.closure_arities.iter().find(|a| !wraps(with_env(**a))) {
                return fail(format!(
                    "{what} makes a closure of {} arguments, but this page has no \
                     jank_make_closure, and its jank_make_fn_wrapper wraps arities 0 to {max}, \
                     one of which the closure's environment takes",
                    if *bad < 0 { -bad - 1 } else { *bad }
                ));
            }
        }
        if let Some(bad) = self.wrapper_arities.iter().find(|a| !wraps(**a)) {
            let arity = if *bad < 0 {
                format!("a variadic fn (& with {} fixed)", -bad - 1)
            } else {
                format!("a fn of {bad} arguments")
            };
            return fail(format!(
                "{what} makes {arity}, but this page's jank_make_fn_wrapper wraps arities 0 to \
                 {max} only"
            ));
        }
        Ok(())
    }

    fn helper(&mut self, name: &'static str) {
        self.helpers.insert(name);
    }

    fn call_var(&mut self, args: usize) {
        self.helper("jank_call_var");
        self.most_var_call_args = self.most_var_call_args.max(args);
    }

    fn fn_bodies(&mut self, fun: &FnExpr) {
        for arity in &fun.arities {
            if !fun.captures.is_empty() {
                // Each captured value is read back with (nth env i).
                self.helper("jank_box_integer");
                self.call_var(2);
            }
            self.expr(&arity.body);
        }
    }

    fn exprs(&mut self, exprs: &[Expr]) {
        for e in exprs {
            self.expr(e);
        }
    }

    /// Mirrors `backend::wasm`'s `emit`, expression for expression.
    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Const(c) => {
                self.cached_constants |= is_cached_const(c);
                self.constant(c)
            }
            Expr::Quote(form) => {
                self.cached_constants |= is_cached_quote(form);
                self.quote(form)
            }
            Expr::Local(_) => {}
            Expr::Var { .. } => self.helper("jank_deref_var"),
            Expr::TheVar { .. } => self.helper("jank_var"),
            Expr::VarCall { ns, name, args } => {
                self.exprs(args);
                if self.core_ops && core_op(ns, name, args.len()).is_some() {
                    self.calls_core_op = true;
                } else if self.core_deref && is_core_deref(ns, name, args.len()) {
                    self.calls_core_deref = true;
                } else {
                    self.call_var(args.len());
                }
            }
            Expr::Call { callee, args } => {
                self.expr(callee);
                self.exprs(args);
                self.helper("jank_call");
                self.most_fn_call_args = self.most_fn_call_args.max(args.len());
            }
            Expr::If {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                self.helper("jank_truthy");
                self.expr(then);
                self.expr(otherwise);
            }
            Expr::Do(exprs) => {
                if exprs.is_empty() {
                    self.constant(&Const::Nil);
                }
                self.exprs(exprs);
            }
            Expr::Let { bindings, body } | Expr::Loop { bindings, body } => {
                for (_, value) in bindings {
                    self.expr(value);
                }
                self.expr(body);
            }
            Expr::Recur { args } => {
                self.recurs |= recur_ticks(args);
                self.exprs(args);
            }
            Expr::Fn(fun) => self.fn_value(fun),
            Expr::Vector(items) => self.collection("jank_make_vector", items),
            Expr::Map(items) => self.collection("jank_make_map", items),
            Expr::Set(items) => self.collection("jank_make_set", items),
            Expr::Def { init, meta, .. } => {
                match init {
                    Some(init) => {
                        self.expr(init);
                        self.helper("jank_set_var_root");
                    }
                    None => {
                        self.helper("jank_make_symbol");
                        self.call_var(2);
                    }
                }
                if let Some(meta) = meta {
                    self.expr(meta);
                    self.call_var(2);
                }
            }
            Expr::Throw(value) => {
                self.expr(value);
                self.helper("jank_throw");
            }
            Expr::Try {
                body,
                handler,
                finally,
            } => {
                self.expr(body);
                for part in [handler, finally].into_iter().flatten() {
                    self.expr(part);
                }
                self.helper("jank_try");
            }
            Expr::Case {
                test,
                clauses,
                default,
            } => {
                self.expr(test);
                for (constants, then) in clauses {
                    for constant in constants {
                        self.quote(constant);
                        self.call_var(2);
                        self.helper("jank_truthy");
                    }
                    self.expr(then);
                }
                self.expr(default);
            }
        }
    }

    fn collection(&mut self, make: &'static str, items: &[Expr]) {
        self.exprs(items);
        self.helper(make);
    }

    fn fn_value(&mut self, fun: &FnExpr) {
        self.fn_bodies(fun);
        let Some(first) = fun.arities.first() else {
            self.constant(&Const::Nil);
            return;
        };
        if fun.captures.is_empty() {
            self.helper("jank_make_fn_wrapper");
            let fixed = first.params.len() as i64;
            self.wrapper_arities.insert(if first.rest.is_some() {
                -fixed - 1
            } else {
                fixed
            });
        } else {
            self.helper("jank_make_vector");
            self.helper("jank_make_closure");
            let fixed = first.params.len() as i64;
            self.closure_arities.insert(if first.rest.is_some() {
                -fixed - 1
            } else {
                fixed
            });
            self.multi_arity_closure |= fun.arities.len() > 1;
        }
        if fun.arities.len() > 1 {
            self.helper("jank_fn_add_arity");
        }
    }

    fn constant(&mut self, c: &Const) {
        self.helper(match c {
            Const::Nil => "jank_nil_value",
            Const::Bool(_) => "jank_make_boolean",
            Const::Int(_) => "jank_box_integer",
            Const::Float(_) => "jank_box_double",
            Const::Str(_) => "jank_make_string",
            Const::Char(_) => "jank_make_char",
            Const::Keyword { .. } => "jank_make_keyword",
        });
    }

    /// Mirrors `backend::wasm`'s `quote`.
    fn quote(&mut self, form: &Form) {
        if form.meta.is_some()
            && matches!(
                *form.kind,
                FormKind::List(_)
                    | FormKind::Vector(_)
                    | FormKind::Map(_)
                    | FormKind::Set(_)
                    | FormKind::Symbol { .. }
            )
        {
            if let Some(meta) = &form.meta {
                self.quote(meta);
            }
            self.call_var(2);
        }
        let (make, items) = match &*form.kind {
            FormKind::Nil => return self.constant(&Const::Nil),
            FormKind::Bool(v) => return self.constant(&Const::Bool(*v)),
            FormKind::Int(v) => return self.constant(&Const::Int(*v)),
            FormKind::Float(v) => return self.constant(&Const::Float(*v)),
            FormKind::Str(v) => return self.constant(&Const::Str(v.clone())),
            FormKind::Char(v) => return self.constant(&Const::Char(*v)),
            FormKind::Keyword { .. } => return self.helper("jank_make_keyword"),
            FormKind::Symbol { .. } => return self.helper("jank_make_symbol"),
            FormKind::Ratio(..) => {
                self.helper("jank_box_integer");
                return self.call_var(2);
            }
            FormKind::Regex(_)
            | FormKind::BigInt(_)
            | FormKind::BigDecimal { .. }
            | FormKind::Class(_)
            | FormKind::Tagged { .. } => {
                self.helper("jank_make_string");
                return self.call_var(1);
            }
            FormKind::Var { .. } => return self.helper("jank_var"),
            FormKind::Fn(_) | FormKind::Builtin(_) | FormKind::Cell(_) | FormKind::ExInfo(_) => {
                return self.constant(&Const::Nil)
            }
            FormKind::List(items) => ("jank_make_list", items),
            FormKind::Vector(items) => ("jank_make_vector", items),
            FormKind::Map(items) => ("jank_make_map", items),
            FormKind::Set(items) => ("jank_make_set", items),
        };
        for item in items.iter() {
            self.quote(item);
        }
        self.helper(make);
    }
}

/// What a helper makes, for the message that names a missing one.
fn purpose(helper: &str) -> &'static str {
    match helper {
        "jank_make_list" => "a quoted list",
        "jank_make_map" => "a map",
        "jank_call" => "calling a fn value",
        "jank_make_closure" => "a fn that closes over locals",
        "jank_fn_add_arity" => "a fn value with several arities",
        "jank_make_char" => "a character",
        "jank_make_boolean" => "true or false",
        "jank_var" => "the var itself, #'x",
        "jank_set_var_root" => "def",
        "jank_throw" => "throw",
        "jank_try" => "try",
        "jank_make_vector" => "a vector",
        "jank_make_set" => "a set",
        "jank_make_keyword" => "a keyword",
        "jank_make_symbol" => "a symbol",
        "jank_make_string" => "a string",
        "jank_box_integer" => "an integer",
        "jank_box_double" => "a float",
        "jank_nil_value" => "nil",
        "jank_truthy" => "a test",
        "jank_call_var" => "calling a var",
        "jank_deref_var" => "a var's value",
        "jank_make_fn_wrapper" => "a fn value",
        _ => "used by generated code",
    }
}
