//! The analyzer: forms to [`ast`](super::ast), with lexical scopes.
//!
//! Symbols resolve to locals, then to vars of the current namespace, then to
//! referred and aliased vars, then to `clojure.core`, then to vars the page
//! reported. Anything else is an error naming the symbol and its position.
//! Special forms and the macros jank programs use most are handled here.

use std::collections::HashMap;

use super::ast::{Const, Defn, Expr, FnArity, FnExpr, LocalId, Unit};
use super::knowledge::Knowledge;
use super::reader::{Form, FormKind, Pos};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzeError {
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

/// Where `recur` may jump, and with how many values.
#[derive(Clone, Copy)]
struct RecurTarget {
    arity: usize,
}

/// The function being analyzed, for captures and self-calls.
struct FnFrame {
    id: usize,
    name: Option<String>,
    /// Fixed arities of the fn, for self-calls.
    arities: Vec<usize>,
    /// Scope depth at which this fn's own locals start.
    scope_floor: usize,
    captures: Vec<LocalId>,
}

pub struct Analyzer<'k> {
    knowledge: &'k mut Knowledge,
    scopes: Vec<HashMap<String, LocalId>>,
    /// Which scope depth each local was bound at.
    local_depth: Vec<usize>,
    fns: Vec<FnFrame>,
    next_fn: usize,
    gensym: usize,
    /// The innermost loop or fn arity `recur` jumps to.
    recur_target: Option<RecurTarget>,
}

/// Top-level forms to a unit. `knowledge` is updated with namespaces and the
/// vars the unit defines.
pub fn analyze_unit(forms: &[Form], knowledge: &mut Knowledge) -> Result<Unit> {
    let mut analyzer = Analyzer {
        knowledge,
        scopes: Vec::new(),
        local_depth: Vec::new(),
        fns: Vec::new(),
        next_fn: 0,
        gensym: 0,
        recur_target: None,
    };
    let mut unit = Unit::default();
    for form in forms {
        analyzer.top_level(form, &mut unit)?;
    }
    unit.ns = analyzer.knowledge.current_ns.clone();
    Ok(unit)
}

fn list_head(form: &Form) -> Option<(&str, &[Form])> {
    match &form.kind {
        FormKind::List(items) => match items.first().map(|f| &f.kind) {
            Some(FormKind::Symbol { ns, name }) if ns.is_empty() => {
                Some((name.as_str(), &items[1..]))
            }
            _ => None,
        },
        _ => None,
    }
}

fn list(items: Vec<Form>, pos: Pos) -> Form {
    Form::new(FormKind::List(items), pos)
}

impl Analyzer<'_> {
    fn top_level(&mut self, form: &Form, unit: &mut Unit) -> Result<()> {
        let form = self.macroexpand(form)?;
        match list_head(&form) {
            Some(("do", body)) => {
                for f in body {
                    self.top_level(f, unit)?;
                }
                Ok(())
            }
            Some(("ns", args)) => {
                self.ns_form(form.pos, args)?;
                unit.run.push(Expr::Const(Const::Nil));
                unit.ends_with_defn = false;
                Ok(())
            }
            Some(("in-ns", args)) => {
                let ns = match args {
                    [quoted] => match list_head(quoted) {
                        Some(("quote", [sym])) => sym.as_simple_symbol().map(str::to_owned),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(ns) = ns else {
                    return fail(form.pos, "in-ns takes one quoted symbol: (in-ns 'my.ns)");
                };
                self.knowledge.enter_ns(&ns);
                unit.run.push(Expr::Const(Const::Nil));
                unit.ends_with_defn = false;
                Ok(())
            }
            Some(("defn" | "defn-", args)) => {
                let defn = self.defn(form.pos, args)?;
                unit.last_defn = Some((defn.ns.clone(), defn.name.clone()));
                unit.ends_with_defn = true;
                if unit
                    .defns
                    .iter()
                    .any(|d| d.ns == defn.ns && d.name == defn.name)
                {
                    return fail(
                        form.pos,
                        format!("{} is defined twice in one evaluation", defn.name),
                    );
                }
                unit.defns.push(defn);
                Ok(())
            }
            _ => {
                let expr = self.analyze(&form, false)?;
                unit.run.push(expr);
                unit.ends_with_defn = false;
                Ok(())
            }
        }
    }

    fn ns_form(&mut self, pos: Pos, args: &[Form]) -> Result<()> {
        let Some(name) = args.first().and_then(Form::as_simple_symbol) else {
            return fail(pos, "ns needs a namespace name: (ns my.app (:require ...))");
        };
        self.knowledge.enter_ns(name);
        for clause in &args[1..] {
            let FormKind::List(items) = &clause.kind else {
                if matches!(clause.kind, FormKind::Str(_) | FormKind::Map(_)) {
                    continue; // docstring or attribute map
                }
                return fail(clause.pos, "expected a (:require ...) clause in ns");
            };
            match items.first().map(|f| &f.kind) {
                Some(FormKind::Keyword { name, .. }) if name == "require" => {
                    for spec in &items[1..] {
                        self.require_spec(spec)?;
                    }
                }
                Some(FormKind::Keyword { name, .. }) if name == "refer-clojure" => {}
                _ => {
                    return fail(
                        clause.pos,
                        "unsupported ns clause: only (:require ...) is supported",
                    )
                }
            }
        }
        Ok(())
    }

    fn require_spec(&mut self, spec: &Form) -> Result<()> {
        let items = match &spec.kind {
            FormKind::Symbol { .. } => return Ok(()),
            FormKind::Vector(items) => items,
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
        let mut options = items[1..].iter();
        while let Some(option) = options.next() {
            let FormKind::Keyword { name: key, .. } = &option.kind else {
                return fail(option.pos, "expected :as or :refer in a require spec");
            };
            let Some(value) = options.next() else {
                return fail(option.pos, format!(":{key} needs a value"));
            };
            match (key.as_str(), &value.kind) {
                ("as", FormKind::Symbol { name, .. }) => self.knowledge.add_alias(name, target),
                ("refer", FormKind::Vector(names)) => {
                    for n in names {
                        let Some(n) = n.as_simple_symbol() else {
                            return fail(n.pos, ":refer takes a vector of symbols");
                        };
                        self.knowledge.add_refer(n, target);
                    }
                }
                _ => return fail(option.pos, format!("unsupported require option :{key}")),
            }
        }
        Ok(())
    }

    // ---- locals and scopes -------------------------------------------------

    fn bind(&mut self, name: &str) -> LocalId {
        let id = self.local_depth.len();
        // The index of the scope it lives in; a fn's own scopes start at its floor.
        self.local_depth.push(self.scopes.len().saturating_sub(1));
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_owned(), id);
        }
        id
    }

    fn fresh(&mut self, hint: &str) -> String {
        self.gensym += 1;
        format!("{hint}__{}", self.gensym)
    }

    fn lookup_local(&mut self, name: &str) -> Option<LocalId> {
        let id = self
            .scopes
            .iter()
            .rev()
            .find_map(|s| s.get(name).copied())?;
        // A local of an enclosing fn is captured by every fn in between.
        let depth = self.local_depth[id];
        for frame in self.fns.iter_mut().rev() {
            if depth >= frame.scope_floor {
                break;
            }
            if !frame.captures.contains(&id) {
                frame.captures.push(id);
            }
        }
        Some(id)
    }

    // ---- expressions --------------------------------------------------------

    fn analyze(&mut self, form: &Form, tail: bool) -> Result<Expr> {
        let form = self.macroexpand(form)?;
        let pos = form.pos;
        match &form.kind {
            FormKind::Nil => Ok(Expr::Const(Const::Nil)),
            FormKind::Bool(b) => Ok(Expr::Const(Const::Bool(*b))),
            FormKind::Int(i) => Ok(Expr::Const(Const::Int(*i))),
            FormKind::Float(f) => Ok(Expr::Const(Const::Float(*f))),
            FormKind::Str(s) => Ok(Expr::Const(Const::Str(s.clone()))),
            FormKind::Char(c) => Ok(Expr::Const(Const::Char(*c))),
            FormKind::Keyword { ns, name, auto } => Ok(Expr::Const(Const::Keyword {
                ns: if *auto {
                    self.knowledge.resolve_ns_alias(ns)
                } else {
                    ns.clone()
                },
                name: name.clone(),
            })),
            FormKind::Symbol { ns, name } => self.symbol(pos, ns, name),
            FormKind::Vector(items) => Ok(Expr::Vector(self.analyze_all(items)?)),
            FormKind::Map(items) => Ok(Expr::Map(self.analyze_all(items)?)),
            FormKind::Set(items) => Ok(Expr::Set(self.analyze_all(items)?)),
            FormKind::List(items) if items.is_empty() => Ok(Expr::Quote(form.clone())),
            FormKind::List(items) => self.list(pos, items, tail),
        }
    }

    fn analyze_all(&mut self, forms: &[Form]) -> Result<Vec<Expr>> {
        forms.iter().map(|f| self.analyze(f, false)).collect()
    }

    fn symbol(&mut self, pos: Pos, ns: &str, name: &str) -> Result<Expr> {
        if ns.is_empty() {
            if let Some(id) = self.lookup_local(name) {
                return Ok(Expr::Local(id));
            }
            if self.fns.iter().any(|f| f.name.as_deref() == Some(name)) {
                return fail(
                    pos,
                    format!("{name}: using a named fn's own name as a value is not supported; call it, or use a defn"),
                );
            }
        }
        let (ns, name) = self.resolve_var(pos, ns, name)?;
        Ok(Expr::Var { ns, name })
    }

    fn resolve_var(&self, pos: Pos, ns: &str, name: &str) -> Result<(String, String)> {
        match self.knowledge.resolve(ns, name) {
            Ok(found) => Ok(found),
            Err(message) => fail(pos, message),
        }
    }

    fn list(&mut self, pos: Pos, items: &[Form], tail: bool) -> Result<Expr> {
        let head = &items[0];
        let args = &items[1..];
        if let Some(name) = head.as_simple_symbol() {
            if self.lookup_local(name).is_none() {
                match name {
                    "quote" => {
                        return match args {
                            [quoted] => Ok(quote_const(quoted).map_or_else(|| Expr::Quote(quoted.clone()), Expr::Const)),
                            _ => fail(pos, "quote takes exactly one form"),
                        }
                    }
                    "if" => return self.if_form(pos, args, tail),
                    "do" => return self.body(args, tail),
                    "let" | "let*" => return self.let_form(pos, args, tail),
                    "loop" | "loop*" => return self.loop_form(pos, args),
                    "recur" => return self.recur_form(pos, args, tail),
                    "fn" | "fn*" => return self.fn_form(pos, args).map(Expr::Fn),
                    "def" => return self.def_form(pos, args),
                    "var" => {
                        let Some(FormKind::Symbol { ns, name }) = args.first().map(|f| &f.kind) else {
                            return fail(pos, "var takes a symbol: (var my-fn) or #'my-fn");
                        };
                        let (ns, name) = self.resolve_var(pos, ns, name)?;
                        return Ok(Expr::TheVar { ns, name });
                    }
                    "defn" | "defn-" => return fail(pos, "defn is only allowed at the top level"),
                    "ns" | "in-ns" => return fail(pos, format!("{name} is only allowed at the top level")),
                    "comment" => return Ok(Expr::Const(Const::Nil)),
                    "try" | "catch" | "finally" | "throw" | "letfn" | "case" | "defmacro" | "binding"
                    | "set!" | "new" | "." | "deftype" | "defrecord" | "defprotocol" | "reify"
                    | "lazy-seq" | "monitor-enter" | "monitor-exit" | "cpp/raw" | "native/raw" => {
                        return fail(pos, format!("unsupported form: ({name} ...) is not supported by the built-in jank compiler"))
                    }
                    _ => {}
                }
                // A named fn calling itself, directly from its own body.
                if let Some(at) = self
                    .fns
                    .iter()
                    .rposition(|f| f.name.as_deref() == Some(name))
                {
                    if at + 1 != self.fns.len() {
                        return fail(pos, format!("{name}: calling a named fn by its name from a nested fn is not supported; use a defn"));
                    }
                    let frame = &self.fns[at];
                    let (fn_id, arities) = (frame.id, frame.arities.clone());
                    if !arities.contains(&args.len()) {
                        return fail(
                            pos,
                            format!("{name} has no arity taking {} arguments", args.len()),
                        );
                    }
                    let args = self.analyze_all(args)?;
                    return Ok(Expr::SelfCall {
                        fn_id,
                        arity: args.len(),
                        args,
                    });
                }
            }
        }
        if let FormKind::Symbol { ns, name } = &head.kind {
            let local = if ns.is_empty() {
                self.lookup_local(name)
            } else {
                None
            };
            if local.is_none() {
                let (ns, name) = self.resolve_var(head.pos, ns, name)?;
                let args = self.analyze_all(args)?;
                return Ok(Expr::VarCall { ns, name, args });
            }
        }
        let callee = self.analyze(head, false)?;
        if let Expr::Const(c) = &callee {
            if !matches!(c, Const::Keyword { .. }) {
                return fail(
                    head.pos,
                    format!("cannot call {}: it is not a function", describe_const(c)),
                );
            }
        }
        let args = self.analyze_all(args)?;
        Ok(Expr::Call {
            callee: Box::new(callee),
            args,
        })
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
        match form.map(|f| &f.kind) {
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

    fn let_form(&mut self, pos: Pos, args: &[Form], tail: bool) -> Result<Expr> {
        let pairs = self.binding_vector(pos, args.first(), "let")?;
        self.scopes.push(HashMap::new());
        let mut bindings = Vec::new();
        for pair in pairs.chunks(2) {
            let value = self.analyze(&pair[1], false)?;
            self.destructure(&pair[0], value, &mut bindings)?;
        }
        let body = self.body(&args[1..], tail);
        self.scopes.pop();
        Ok(Expr::Let {
            bindings,
            body: Box::new(body?),
        })
    }

    /// Binds `pattern` to `value`, appending the bindings it needs.
    fn destructure(
        &mut self,
        pattern: &Form,
        value: Expr,
        out: &mut Vec<(LocalId, Expr)>,
    ) -> Result<()> {
        match &pattern.kind {
            FormKind::Symbol { ns, name } if ns.is_empty() && name != "&" => {
                let id = self.bind(name);
                out.push((id, value));
                Ok(())
            }
            FormKind::Vector(items) => {
                let whole = {
                    let name = self.fresh("vec");
                    self.bind(&name)
                };
                out.push((whole, value));
                let mut index = 0i64;
                let mut items = items.iter();
                while let Some(item) = items.next() {
                    match (&item.kind, item.as_simple_symbol()) {
                        (_, Some("&")) => {
                            let Some(rest) = items.next() else {
                                return fail(item.pos, "& must be followed by a binding");
                            };
                            let rest_value = core_call(
                                "nthnext",
                                vec![Expr::Local(whole), Expr::Const(Const::Int(index))],
                            );
                            self.destructure(rest, rest_value, out)?;
                        }
                        (FormKind::Keyword { name, .. }, _) if name == "as" => {
                            let Some(alias) = items.next() else {
                                return fail(item.pos, ":as must be followed by a name");
                            };
                            self.destructure(alias, Expr::Local(whole), out)?;
                        }
                        _ => {
                            let nth = core_call(
                                "nth",
                                vec![
                                    Expr::Local(whole),
                                    Expr::Const(Const::Int(index)),
                                    Expr::Const(Const::Nil),
                                ],
                            );
                            self.destructure(item, nth, out)?;
                            index += 1;
                        }
                    }
                }
                Ok(())
            }
            FormKind::Map(items) => {
                let whole = {
                    let name = self.fresh("map");
                    self.bind(&name)
                };
                out.push((whole, value));
                let defaults: HashMap<String, Form> = items
                    .chunks(2)
                    .find(
                        |kv| matches!(&kv[0].kind, FormKind::Keyword { name, .. } if name == "or"),
                    )
                    .and_then(|kv| match &kv[1].kind {
                        FormKind::Map(d) => Some(
                            d.chunks(2)
                                .filter_map(|p| {
                                    p[0].as_simple_symbol()
                                        .map(|n| (n.to_owned(), p[1].clone()))
                                })
                                .collect(),
                        ),
                        _ => None,
                    })
                    .unwrap_or_default();
                for kv in items.chunks(2) {
                    let (key, val) = (&kv[0], &kv[1]);
                    match &key.kind {
                        FormKind::Keyword { name, .. } if name == "or" => {}
                        FormKind::Keyword { name, .. } if name == "as" => {
                            self.destructure(val, Expr::Local(whole), out)?;
                        }
                        FormKind::Keyword { name, .. }
                            if matches!(name.as_str(), "keys" | "strs" | "syms") =>
                        {
                            let FormKind::Vector(names) = &val.kind else {
                                return fail(val.pos, format!(":{name} takes a vector of names"));
                            };
                            for n in names {
                                let Some(local) = n.as_simple_symbol() else {
                                    return fail(
                                        n.pos,
                                        format!(":{name} takes a vector of symbols"),
                                    );
                                };
                                let lookup_key = match name.as_str() {
                                    "keys" => Expr::Const(Const::Keyword {
                                        ns: String::new(),
                                        name: local.to_owned(),
                                    }),
                                    "strs" => Expr::Const(Const::Str(local.to_owned())),
                                    _ => Expr::Quote(Form::symbol(local, n.pos)),
                                };
                                let value = self.lookup_with_default(
                                    whole,
                                    lookup_key,
                                    defaults.get(local),
                                )?;
                                let id = self.bind(local);
                                out.push((id, value));
                            }
                        }
                        _ => {
                            let lookup_key = self.analyze(val, false)?;
                            let default = key.as_simple_symbol().and_then(|n| defaults.get(n));
                            let value = self.lookup_with_default(whole, lookup_key, default)?;
                            self.destructure(key, value, out)?;
                        }
                    }
                }
                Ok(())
            }
            _ => fail(
                pattern.pos,
                "unsupported binding form: expected a symbol, a vector or a map",
            ),
        }
    }

    fn lookup_with_default(
        &mut self,
        map: LocalId,
        key: Expr,
        default: Option<&Form>,
    ) -> Result<Expr> {
        let mut args = vec![Expr::Local(map), key];
        if let Some(default) = default {
            args.push(self.analyze(default, false)?);
        }
        Ok(core_call("get", args))
    }

    fn loop_form(&mut self, pos: Pos, args: &[Form]) -> Result<Expr> {
        let pairs = self.binding_vector(pos, args.first(), "loop")?;
        self.scopes.push(HashMap::new());
        let mut bindings = Vec::new();
        for pair in pairs.chunks(2) {
            let Some(name) = pair[0].as_simple_symbol() else {
                self.scopes.pop();
                return fail(
                    pair[0].pos,
                    "loop bindings must be plain symbols (destructure in a let inside)",
                );
            };
            let value = self.analyze(&pair[1], false)?;
            bindings.push((self.bind(name), value));
        }
        let outer = self.recur_target.replace(RecurTarget {
            arity: bindings.len(),
        });
        let body = self.body(&args[1..], true);
        self.recur_target = outer;
        self.scopes.pop();
        Ok(Expr::Loop {
            bindings,
            body: Box::new(body?),
        })
    }

    fn recur_form(&mut self, pos: Pos, args: &[Form], tail: bool) -> Result<Expr> {
        let Some(target) = self.recur_target else {
            return fail(pos, "recur is only allowed inside a loop or a fn");
        };
        if !tail {
            return fail(pos, "Can only recur from tail position");
        }
        if args.len() != target.arity {
            return fail(
                pos,
                format!(
                    "Mismatched argument count to recur, expected: {} args, got: {}",
                    target.arity,
                    args.len()
                ),
            );
        }
        Ok(Expr::Recur {
            args: self.analyze_all(args)?,
        })
    }

    fn def_form(&mut self, pos: Pos, args: &[Form]) -> Result<Expr> {
        let (name, init) = match args {
            [name] => (name, None),
            [name, init] => (name, Some(init)),
            [name, doc, init] if matches!(doc.kind, FormKind::Str(_)) => (name, Some(init)),
            _ => return fail(pos, "def takes a name and a value: (def name value)"),
        };
        let Some(name) = name.as_simple_symbol() else {
            return fail(pos, "def needs an unqualified symbol as its name");
        };
        let ns = self.knowledge.current_ns.clone();
        // Defined before the value is analyzed, so it may refer to itself.
        self.knowledge.define(&ns, name);
        let init = match init {
            Some(f) => self.analyze(f, false)?,
            None => Expr::Const(Const::Nil),
        };
        Ok(Expr::Def {
            ns,
            name: name.to_owned(),
            init: Box::new(init),
        })
    }

    fn defn(&mut self, pos: Pos, args: &[Form]) -> Result<Defn> {
        let Some(name) = args.first().and_then(Form::as_simple_symbol) else {
            return fail(pos, "defn needs a name: (defn name [params] body)");
        };
        let mut rest = &args[1..];
        while let Some(first) = rest.first() {
            if matches!(first.kind, FormKind::Str(_) | FormKind::Map(_)) {
                rest = &rest[1..]; // docstring and attribute map
            } else {
                break;
            }
        }
        let ns = self.knowledge.current_ns.clone();
        self.knowledge.define(&ns, name);
        // The defn's own name resolves to its var, so recursion goes through
        // the var and sees later rebinding.
        let fun = self.fn_parts(pos, None, rest)?;
        if !fun.captures.is_empty() {
            return fail(pos, "a top-level defn cannot capture locals");
        }
        Ok(Defn {
            ns,
            name: name.to_owned(),
            fun,
            pos,
        })
    }

    fn fn_form(&mut self, pos: Pos, args: &[Form]) -> Result<FnExpr> {
        match args.first().and_then(Form::as_simple_symbol) {
            Some(name) => self.fn_parts(pos, Some(name.to_owned()), &args[1..]),
            None => self.fn_parts(pos, None, args),
        }
    }

    fn fn_parts(&mut self, pos: Pos, name: Option<String>, args: &[Form]) -> Result<FnExpr> {
        let arity_forms: Vec<(&[Form], &[Form], Pos)> = match args.first().map(|f| &f.kind) {
            Some(FormKind::Vector(params)) => vec![(params.as_slice(), &args[1..], args[0].pos)],
            Some(FormKind::List(_)) => {
                let mut arities = Vec::new();
                for arity in args {
                    let FormKind::List(items) = &arity.kind else {
                        return fail(arity.pos, "each arity is a list: ([params] body)");
                    };
                    let Some(FormKind::Vector(params)) = items.first().map(|f| &f.kind) else {
                        return fail(arity.pos, "each arity starts with its parameter vector");
                    };
                    arities.push((params.as_slice(), &items[1..], arity.pos));
                }
                arities
            }
            _ => return fail(pos, "fn needs a parameter vector: (fn [params] body)"),
        };
        let mut fixed = Vec::new();
        for (params, _, p) in &arity_forms {
            let is_variadic = params.iter().any(|f| f.as_simple_symbol() == Some("&"));
            let count = params
                .iter()
                .take_while(|f| f.as_simple_symbol() != Some("&"))
                .count();
            if count > 20 {
                return fail(*p, "functions take at most 20 fixed parameters");
            }
            if !is_variadic {
                if fixed.contains(&count) {
                    return fail(*p, format!("two arities take {count} parameters"));
                }
                fixed.push(count);
            }
        }
        let id = self.next_fn;
        self.next_fn += 1;
        self.fns.push(FnFrame {
            id,
            name: name.clone(),
            arities: fixed,
            scope_floor: self.scopes.len(),
            captures: Vec::new(),
        });
        let mut arities = Vec::new();
        let mut variadics = 0;
        let mut result = Ok(());
        for (params, body, _) in arity_forms {
            match self.fn_arity(params, body) {
                Ok(arity) => {
                    variadics += usize::from(arity.rest.is_some());
                    arities.push(arity);
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        let frame = self.fns.pop();
        result?;
        if variadics > 1 {
            return fail(pos, "a fn can have only one variadic arity");
        }
        Ok(FnExpr {
            id,
            name,
            arities,
            captures: frame.map(|f| f.captures).unwrap_or_default(),
        })
    }

    fn fn_arity(&mut self, params: &[Form], body: &[Form]) -> Result<FnArity> {
        self.scopes.push(HashMap::new());
        let result = self.fn_arity_in_scope(params, body);
        self.scopes.pop();
        result
    }

    fn fn_arity_in_scope(&mut self, params: &[Form], body: &[Form]) -> Result<FnArity> {
        let mut ids = Vec::new();
        let mut rest = None;
        let mut destructuring = Vec::new();
        let mut iter = params.iter();
        while let Some(param) = iter.next() {
            if param.as_simple_symbol() == Some("&") {
                let Some(rest_form) = iter.next() else {
                    return fail(param.pos, "& must be followed by the rest parameter");
                };
                if iter.next().is_some() {
                    return fail(param.pos, "only one parameter may follow &");
                }
                rest = Some(self.param(rest_form, &mut destructuring)?);
                break;
            }
            ids.push(self.param(param, &mut destructuring)?);
        }
        let arity = ids.len() + usize::from(rest.is_some());
        let outer = self.recur_target.replace(RecurTarget { arity });
        let body = self.arity_body(body, destructuring);
        self.recur_target = outer;
        Ok(FnArity {
            params: ids,
            rest,
            body: body?,
        })
    }

    fn arity_body(&mut self, body: &[Form], destructuring: Vec<(Form, LocalId)>) -> Result<Expr> {
        if destructuring.is_empty() {
            return self.body(body, true);
        }
        let mut bindings = Vec::new();
        for (pattern, id) in destructuring {
            self.destructure(&pattern, Expr::Local(id), &mut bindings)?;
        }
        Ok(Expr::Let {
            bindings,
            body: Box::new(self.body(body, true)?),
        })
    }

    /// A parameter: a symbol, or a pattern destructured at the top of the body.
    fn param(&mut self, form: &Form, destructuring: &mut Vec<(Form, LocalId)>) -> Result<LocalId> {
        match form.as_simple_symbol() {
            Some(name) if name != "&" => Ok(self.bind(name)),
            _ if matches!(form.kind, FormKind::Vector(_) | FormKind::Map(_)) => {
                let id = {
                    let name = self.fresh("param");
                    self.bind(&name)
                };
                destructuring.push((form.clone(), id));
                Ok(id)
            }
            _ => fail(form.pos, "a parameter must be a symbol, a vector or a map"),
        }
    }

    // ---- macros ---------------------------------------------------------------

    /// Expands the macros this compiler knows until the head is none of them.
    fn macroexpand(&mut self, form: &Form) -> Result<Form> {
        let mut form = form.clone();
        for _ in 0..256 {
            let Some((head, args)) = list_head(&form) else {
                return Ok(form);
            };
            if self.scopes.iter().any(|s| s.contains_key(head)) {
                return Ok(form);
            }
            let pos = form.pos;
            let expanded = match head {
                "when" | "when-not" => {
                    let Some(test) = args.first() else {
                        return fail(pos, format!("{head} needs a test"));
                    };
                    let mut body = vec![Form::symbol("do", pos)];
                    body.extend_from_slice(&args[1..]);
                    let (then, otherwise) = if head == "when" {
                        (list(body, pos), Form::new(FormKind::Nil, pos))
                    } else {
                        (Form::new(FormKind::Nil, pos), list(body, pos))
                    };
                    list(
                        vec![Form::symbol("if", pos), test.clone(), then, otherwise],
                        pos,
                    )
                }
                "cond" => {
                    if args.len() % 2 != 0 {
                        return fail(pos, "cond needs an even number of forms");
                    }
                    let mut result = Form::new(FormKind::Nil, pos);
                    for pair in args.chunks(2).rev() {
                        let test = match &pair[0].kind {
                            FormKind::Keyword { name, .. } if name == "else" => {
                                Form::new(FormKind::Bool(true), pair[0].pos)
                            }
                            _ => pair[0].clone(),
                        };
                        result = list(
                            vec![Form::symbol("if", pos), test, pair[1].clone(), result],
                            pos,
                        );
                    }
                    result
                }
                "and" | "or" => match args {
                    [] => Form::new(
                        if head == "and" {
                            FormKind::Bool(true)
                        } else {
                            FormKind::Nil
                        },
                        pos,
                    ),
                    [only] => only.clone(),
                    [first, more @ ..] => {
                        let temp = Form::symbol(&self.fresh(head), pos);
                        let mut rest = vec![Form::symbol(head, pos)];
                        rest.extend_from_slice(more);
                        let rest = list(rest, pos);
                        let (then, otherwise) = if head == "and" {
                            (rest, temp.clone())
                        } else {
                            (temp.clone(), rest)
                        };
                        list(
                            vec![
                                Form::symbol("let", pos),
                                Form::new(FormKind::Vector(vec![temp.clone(), first.clone()]), pos),
                                list(vec![Form::symbol("if", pos), temp, then, otherwise], pos),
                            ],
                            pos,
                        )
                    }
                },
                "->" | "->>" => {
                    let Some((first, steps)) = args.split_first() else {
                        return fail(pos, format!("{head} needs a starting value"));
                    };
                    let mut acc = first.clone();
                    for step in steps {
                        let mut items = match &step.kind {
                            FormKind::List(items) if !items.is_empty() => items.clone(),
                            _ => vec![step.clone()],
                        };
                        if head == "->" {
                            items.insert(1, acc);
                        } else {
                            items.push(acc);
                        }
                        acc = list(items, step.pos);
                    }
                    acc
                }
                _ => return Ok(form),
            };
            form = expanded;
        }
        fail(form.pos, "macro expansion did not terminate")
    }
}

/// Quoted scalars are just constants.
fn quote_const(form: &Form) -> Option<Const> {
    Some(match &form.kind {
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

fn describe_const(c: &Const) -> &'static str {
    match c {
        Const::Nil => "nil",
        Const::Bool(_) => "a boolean",
        Const::Int(_) => "an integer",
        Const::Float(_) => "a double",
        Const::Str(_) => "a string",
        Const::Char(_) => "a character",
        Const::Keyword { .. } => "a keyword",
    }
}

fn core_call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::VarCall {
        ns: "clojure.core".into(),
        name: name.into(),
        args,
    }
}
