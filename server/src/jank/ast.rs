//! The analyzed program: what codegen turns into C.

use super::reader::{Form, Pos};

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
    /// A named fn calling itself by name: a direct call of the arity's C function.
    SelfCall {
        fn_id: usize,
        arity: usize,
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
    Fn(FnExpr),
    Vector(Vec<Expr>),
    Map(Vec<Expr>),
    Set(Vec<Expr>),
    /// `(def x v)`: sets the var's root at run time and yields the var.
    Def {
        ns: String,
        name: String,
        init: Box<Expr>,
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
    pub fun: FnExpr,
    pub pos: Pos,
}

/// What one evaluation produces.
#[derive(Debug, Clone, Default)]
pub struct Unit {
    pub defns: Vec<Defn>,
    /// Everything else, in order; the last value is the evaluation's value.
    pub run: Vec<Expr>,
    /// The value the editor sees when `run` is empty: `#'ns/name` of the last defn.
    pub last_defn: Option<(String, String)>,
    /// True when the last top-level form was a defn (its var is the value).
    pub ends_with_defn: bool,
    /// The namespace after this unit (changed by `ns` / `in-ns`).
    pub ns: String,
}
