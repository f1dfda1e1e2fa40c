//! The analyzed program: what codegen turns into C.

use std::sync::Arc;

use crate::form::{Form, Pos};

/// A local binding, unique within one compilation unit.
pub type LocalId = usize;

#[derive(Debug, Clone, PartialEq)]
pub enum Const {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Char(char),
    Keyword { ns: String, name: String },
}

#[derive(Debug, Clone)]
pub enum Expr {
    Const(Const),
    /// Quoted data, built at run time.
    Quote(Form),
    Local(LocalId),
    /// The value of a var.
    Var {
        ns: String,
        name: String,
    },
    /// The var itself: `(var x)` / `#'x`.
    TheVar {
        ns: String,
        name: String,
    },
    /// A call through a var, looked up by name at call time so rebinding works.
    VarCall {
        ns: String,
        name: String,
        args: Vec<Expr>,
    },
    Call {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Do(Vec<Expr>),
    Let {
        bindings: Vec<(LocalId, Expr)>,
        body: Box<Expr>,
    },
    Loop {
        bindings: Vec<(LocalId, Expr)>,
        body: Box<Expr>,
    },
    Recur {
        args: Vec<Expr>,
    },
    Fn(Arc<FnExpr>),
    Vector(Vec<Expr>),
    Map(Vec<Expr>),
    Set(Vec<Expr>),
    /// `(def x v)`: sets the var's root at run time and yields the var;
    /// `(def x)` only interns it, keeping any root it has.
    Def {
        ns: String,
        name: String,
        init: Option<Box<Expr>>,
        /// The var's metadata (docstring and the like), set with reset-meta!.
        meta: Option<Box<Expr>>,
    },
    /// `(throw v)`: any value.
    Throw(Box<Expr>),
    /// `(try ...)`: each part is a fn (`body` and `finally` take no
    /// arguments, `handler` takes the thrown value), so that backends only
    /// need one runtime helper that calls them inside a host `try`.
    Try {
        body: Box<Expr>,
        handler: Option<Box<Expr>>,
        finally: Option<Box<Expr>>,
    },
    /// `(case* test default [consts] then ...)`: the first clause with a
    /// constant `=` to the test's value, else the default.
    Case {
        test: Box<Expr>,
        clauses: Vec<(Vec<Form>, Expr)>,
        default: Box<Expr>,
    },
}

#[derive(Debug, Clone)]
pub struct FnArity {
    pub params: Vec<LocalId>,
    pub rest: Option<LocalId>,
    pub body: Expr,
}

#[derive(Debug, Clone)]
pub struct FnExpr {
    pub id: usize,
    pub name: Option<String>,
    pub arities: Vec<FnArity>,
    /// Outer locals the body uses, passed in the closure's environment.
    pub captures: Vec<LocalId>,
}

/// A top-level `defn`: registered through the patch's symbol table.
#[derive(Debug, Clone)]
pub struct Defn {
    pub ns: String,
    pub name: String,
    pub fun: Arc<FnExpr>,
    pub pos: Pos,
    /// The var's `:arglists`, printed, when no code the patch runs sets its
    /// metadata: the patch carries it for the page's loader (`patch_meta`).
    pub arglists: Option<String>,
}

/// The top-level form a run expression came from, for errors that name it.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub pos: Pos,
    /// The form as read (cheap to keep: its parts are shared).
    pub form: Option<Form>,
    /// Code a definition needs only for extras (a defn's docstring on the
    /// page's var), which a page that cannot run code goes without.
    pub quiet: bool,
}

/// What one evaluation produces.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub defns: Vec<Defn>,
    /// Everything else, in order; the last value is the evaluation's value.
    pub run: Vec<Expr>,
    /// Where each of `run` came from.
    pub run_origins: Vec<Origin>,
    /// The top-level form being analyzed (what `push_run` records).
    pub current: Origin,
    /// The var of the last top-level defn or defmacro: the value the editor
    /// sees when the unit ends with it.
    pub last_def: Option<(String, String)>,
    /// True when the last top-level form was a defn or defmacro.
    pub ends_with_def: bool,
    /// Macros this unit defined (they live only in the compiler).
    pub defined_macros: Vec<(String, String)>,
    /// Macros this unit's code was expanded with.
    pub used_macros: std::collections::BTreeSet<(String, String)>,
    /// The namespace after this unit (changed by `ns` / `in-ns`).
    pub ns: String,
    /// Every `recur` calls the page's loop tick (`capabilities::LOOP_TICK`),
    /// so that its time limit stops a loop that calls nothing else. Set when
    /// the page exports it.
    pub loop_ticks: bool,
    /// Each string, float, large integer and quoted form is built once, kept
    /// in a slot of the patch, and made a root of the page's collector
    /// (`capabilities::GC_ADD_ROOT`), as Clojure keeps a fn's constants: equal
    /// string literals are `identical?`, and a literal costs no allocation
    /// per use. Set when the page exports it.
    pub cached_constants: bool,
    /// Calls of clojure.core's + - * < > <= >= == = (two arguments) and inc
    /// and dec go straight to the page's `capabilities::CORE_OP`, as Clojure
    /// inlines them (a redefinition of those vars does not reach compiled
    /// code there either). Set when the page exports it.
    pub core_ops: bool,
    /// Calls of clojure.core's `deref` with one argument go straight to the
    /// page's `capabilities::CORE_DEREF`. Set when the page exports it.
    pub core_deref: bool,
    /// The wasm backend keeps every value in the shadow stack and calls the
    /// page's safe helpers (`capabilities::SAFEPOINT`), so the page may
    /// collect garbage inside a call. Set when the page exports them.
    pub safepoints: bool,
}

impl Unit {
    pub fn push_run(&mut self, expr: Expr) {
        self.run.push(expr);
        self.run_origins.push(self.current.clone());
        self.ends_with_def = false;
    }

    /// Code that runs in order but leaves the answer as it is (e.g. the
    /// metadata of a defn registered through the symbol table).
    pub fn push_run_quietly(&mut self, expr: Expr) {
        self.run.push(expr);
        self.run_origins.push(Origin {
            quiet: true,
            ..self.current.clone()
        });
    }
}
