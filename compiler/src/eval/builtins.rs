//! clojure.core for the compile-time evaluator: the functions macros call
//! (seqs, collections, symbols, strings, numbers, gensym, atoms, ex-info).
//!
//! These run only inside the compiler. Code for the page calls the
//! runtime's own clojure.core; the knowledge of which names the page has
//! is kept separately (`knowledge::CORE_VARS` and what the page reports).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::{error, Builtin, Interp, Result, Thrown};
use crate::form::{pr_str, str_of, ExInfo, Form, FormKind};
use crate::repl_docs;
use crate::tagged::LiteralTag;

macro_rules! builtins {
    ($($item:tt),* $(,)?) => {
        builtins_named! {BUILTINS, $($item),*}
    };
}

/// The builtin called `name` (`ns/name` outside clojure.core), if there is one.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS
        .iter()
        .chain(super::text::TEXT_BUILTINS)
        .chain(super::types::TYPE_BUILTINS)
        .chain(super::classes::CLASS_BUILTINS)
        .chain(super::sorted::SORTED_BUILTINS)
        .chain(super::hashing::HASH_BUILTINS)
        .chain(super::matcher::MATCHER_BUILTINS)
        .find(|b| b.name == name)
}

/// A string argument, or an error naming `what`.
pub(super) fn str_arg(form: &Form, what: &str) -> Result<String> {
    match &*form.kind {
        FormKind::Str(s) => Ok(s.clone()),
        _ => error(format!("{what} needs a string, got {}", form.describe())),
    }
}

static GENSYM: AtomicU64 = AtomicU64::new(1000);

/// A fresh number for gensyms, unique in this process.
pub fn next_gensym() -> u64 {
    GENSYM.fetch_add(1, Ordering::Relaxed)
}

fn v(kind: FormKind) -> Result<Form> {
    Ok(Form::value(kind))
}

fn list(items: Vec<Form>) -> Form {
    Form::value(FormKind::List(items))
}

fn boolean(b: bool) -> Result<Form> {
    v(FormKind::Bool(b))
}

pub(super) fn arity(name: &str, args: &[Form], ok: impl Fn(usize) -> bool) -> Result<()> {
    if ok(args.len()) {
        Ok(())
    } else {
        error(format!(
            "Wrong number of args ({}) passed to: clojure.core/{name}",
            args.len()
        ))
    }
}

/// The items of anything seqable: map entries are [k v] vectors, strings are chars.
pub(super) fn items(form: &Form) -> Result<Vec<Form>> {
    Ok(match &*form.kind {
        FormKind::Nil => Vec::new(),
        FormKind::List(items) | FormKind::Vector(items) | FormKind::Set(items) => items.clone(),
        FormKind::Map(items) => items
            .chunks(2)
            .map(|kv| Form::value(FormKind::Vector(kv.to_vec())))
            .collect(),
        FormKind::Str(s) => s.chars().map(|c| Form::value(FormKind::Char(c))).collect(),
        _ => {
            return error(format!(
                "Don't know how to create a seq from {}",
                form.describe()
            ))
        }
    })
}

/// nil for nothing, else a list.
fn seq_of(items: Vec<Form>) -> Form {
    if items.is_empty() {
        Form::nil()
    } else {
        list(items)
    }
}

fn int(form: &Form, what: &str) -> Result<i64> {
    match *form.kind {
        FormKind::Int(i) => Ok(i),
        FormKind::Float(f) => Ok(f as i64),
        _ => error(format!("{what} needs a number, got {}", form.describe())),
    }
}

pub(super) fn get(coll: &Form, key: &Form) -> Option<Form> {
    match &*coll.kind {
        FormKind::Map(items) => items
            .chunks(2)
            .find(|kv| kv[0] == *key)
            .map(|kv| kv[1].clone()),
        FormKind::Set(items) => items.iter().find(|x| *x == key).cloned(),
        FormKind::Vector(items) => match *key.kind {
            FormKind::Int(i) if i >= 0 => items.get(i as usize).cloned(),
            _ => None,
        },
        FormKind::Cell(_) => super::types::as_map(coll).and_then(|fields| get(&fields, key)),
        _ => None,
    }
}

pub(super) fn nth(coll: &Form, index: &Form, default: Option<&Form>) -> Result<Form> {
    let i = int(index, "nth")?;
    let all = items(coll)?;
    match usize::try_from(i).ok().and_then(|i| all.get(i)) {
        Some(x) => Ok(x.clone()),
        None => match default {
            Some(d) => Ok(d.clone()),
            None => error(format!(
                "Index {i} out of bounds for a count of {}",
                all.len()
            )),
        },
    }
}

pub(super) fn assoc(map: Form, key: Form, value: Form) -> Result<Form> {
    let meta = map.meta.clone();
    let described = map.describe();
    let mut out = match map.into_kind() {
        FormKind::Nil => Form::value(FormKind::Map(vec![key, value])),
        FormKind::Map(mut items) => {
            match items.chunks(2).position(|kv| kv[0] == key) {
                Some(at) => items[at * 2 + 1] = value,
                None => {
                    items.push(key);
                    items.push(value);
                }
            }
            Form::value(FormKind::Map(items))
        }
        FormKind::Vector(mut items) => {
            let i = int(&key, "assoc")?;
            match usize::try_from(i) {
                Ok(i) if i < items.len() => items[i] = value,
                Ok(i) if i == items.len() => items.push(value),
                _ => return error(format!("Index {i} out of bounds for assoc")),
            }
            Form::value(FormKind::Vector(items))
        }
        _ => return error(format!("assoc needs a map or vector, got {described}")),
    };
    out.meta = meta;
    Ok(out)
}

fn conj(coll: Form, x: Form) -> Result<Form> {
    let meta = coll.meta.clone();
    let described = coll.describe();
    let mut out = match coll.into_kind() {
        FormKind::Nil => list(vec![x]),
        FormKind::List(mut items) => {
            items.insert(0, x);
            list(items)
        }
        FormKind::Vector(mut items) => {
            items.push(x);
            Form::value(FormKind::Vector(items))
        }
        FormKind::Set(mut items) => {
            if !items.contains(&x) {
                items.push(x);
            }
            Form::value(FormKind::Set(items))
        }
        FormKind::Map(entries) => {
            let map = Form::value(FormKind::Map(entries));
            match &*x.kind {
                FormKind::Vector(kv) if kv.len() == 2 => assoc(map, kv[0].clone(), kv[1].clone())?,
                FormKind::Map(kvs) => {
                    let mut map = map;
                    for kv in kvs.chunks(2) {
                        map = assoc(map, kv[0].clone(), kv[1].clone())?;
                    }
                    map
                }
                FormKind::Nil => map,
                _ => return error("conj onto a map takes a [key value] vector or a map"),
            }
        }
        _ => return error(format!("conj needs a collection, got {described}")),
    };
    out.meta = meta;
    Ok(out)
}

fn number(form: &Form) -> Result<f64> {
    match *form.kind {
        FormKind::Int(i) => Ok(i as f64),
        FormKind::Float(f) => Ok(f),
        FormKind::Ratio(n, d) => Ok(n as f64 / d as f64),
        FormKind::BigInt(ref b) => Ok(b.to_string().parse().unwrap_or(f64::NAN)),
        _ => error(format!("expected a number, got {}", form.describe())),
    }
}

/// An integer of either size, for arithmetic that involves a BigInt.
fn big_integer(form: &Form) -> Option<num_bigint::BigInt> {
    match &*form.kind {
        FormKind::Int(i) => Some((*i).into()),
        FormKind::BigInt(b) => Some(b.clone()),
        _ => None,
    }
}

fn arith(
    name: &str,
    args: Vec<Form>,
    int_op: fn(i64, i64) -> Option<i64>,
    float_op: fn(f64, f64) -> f64,
    unit: i64,
) -> Result<Form> {
    let mut iter = args.into_iter();
    let mut acc = match iter.next() {
        None => return v(FormKind::Int(unit)),
        Some(first) => first,
    };
    let mut rest = iter.peekable();
    if rest.peek().is_none() {
        // (- x) and (/ x) invert; (+ x) and (* x) are x.
        return match name {
            "-" | "/" => arith(
                name,
                vec![Form::value(FormKind::Int(unit)), acc],
                int_op,
                float_op,
                unit,
            ),
            _ => {
                number(&acc)?;
                Ok(acc)
            }
        };
    }
    for x in rest {
        acc = match (&*acc.kind, &*x.kind) {
            (FormKind::Int(a), FormKind::Int(b)) => match int_op(*a, *b) {
                Some(r) => Form::value(FormKind::Int(r)),
                None => return error(format!("integer overflow (or divide by zero) in {name}")),
            },
            // A BigInt makes + - * exact and big, as in Clojure.
            (FormKind::BigInt(_), FormKind::Int(_) | FormKind::BigInt(_))
            | (FormKind::Int(_), FormKind::BigInt(_))
                if matches!(name, "+" | "-" | "*") =>
            {
                let (a, b) = (big_integer(&acc), big_integer(&x));
                let (Some(a), Some(b)) = (a, b) else {
                    return error(format!("{name} expects numbers"));
                };
                let r = match name {
                    "+" => a + b,
                    "-" => a - b,
                    _ => a * b,
                };
                Form::value(FormKind::BigInt(r))
            }
            _ => Form::value(FormKind::Float(float_op(number(&acc)?, number(&x)?))),
        };
    }
    Ok(acc)
}

fn compare_chain(args: &[Form], ok: fn(f64, f64) -> bool) -> Result<Form> {
    for pair in args.windows(2) {
        if !ok(number(&pair[0])?, number(&pair[1])?) {
            return boolean(false);
        }
    }
    if let [only] = args {
        number(only)?;
    }
    boolean(true)
}

fn symbolish(args: &[Form], make: fn(String, String) -> FormKind, what: &str) -> Result<Form> {
    match args {
        [one] => match &*one.kind {
            FormKind::Str(s) => {
                let (ns, name) = match s.split_once('/') {
                    Some((ns, name)) if !ns.is_empty() && !name.is_empty() => {
                        (ns.to_owned(), name.to_owned())
                    }
                    _ => (String::new(), s.clone()),
                };
                v(make(ns, name))
            }
            FormKind::Symbol { ns, name } | FormKind::Keyword { ns, name, .. } => {
                v(make(ns.clone(), name.clone()))
            }
            // (symbol #'ns/name) is ns/name, as since Clojure 1.10.
            FormKind::Var { ns, name } if what == "symbol" => v(make(ns.clone(), name.clone())),
            FormKind::Nil if what == "keyword" => Ok(Form::nil()),
            _ => error(format!("{what} needs a string, symbol or keyword")),
        },
        [ns, name] => v(make(
            match &*ns.kind {
                FormKind::Nil => String::new(),
                _ => str_of(ns),
            },
            str_of(name),
        )),
        _ => error(format!(
            "Wrong number of args ({}) passed to: clojure.core/{what}",
            args.len()
        )),
    }
}

pub(super) fn call(interp: &mut Interp<'_>, f: &Form, args: Vec<Form>) -> Result<Form> {
    interp.apply(f, args)
}

fn each_coll(args: &[Form]) -> Result<Vec<Vec<Form>>> {
    args.iter().map(items).collect()
}

fn map_fn(interp: &mut Interp<'_>, args: Vec<Form>) -> Result<Vec<Form>> {
    arity("map", &args, |n| n >= 2)?;
    let colls = each_coll(&args[1..])?;
    let shortest = colls.iter().map(Vec::len).min().unwrap_or(0);
    let mut out = Vec::with_capacity(shortest);
    for i in 0..shortest {
        let call_args = colls.iter().map(|c| c[i].clone()).collect();
        out.push(call(interp, &args[0], call_args)?);
    }
    Ok(out)
}

fn filter_fn(interp: &mut Interp<'_>, args: &[Form], keep: bool) -> Result<Vec<Form>> {
    arity("filter", args, |n| n == 2)?;
    let mut out = Vec::new();
    for x in items(&args[1])? {
        if call(interp, &args[0], vec![x.clone()])?.truthy() == keep {
            out.push(x);
        }
    }
    Ok(out)
}

fn ex_info(args: &[Form]) -> Option<&ExInfo> {
    match args.first().map(|f| &*f.kind) {
        Some(FormKind::ExInfo(ex)) => Some(ex),
        _ => None,
    }
}

fn cell(args: &[Form], what: &str) -> Result<Arc<Mutex<Form>>> {
    match args.first().map(|f| &*f.kind) {
        Some(FormKind::Cell(c)) => Ok(c.clone()),
        _ => error(format!("{what} needs an atom")),
    }
}

/// A one-integer unchecked op.
fn unchecked(name: &str, a: &[Form], op: fn(i64) -> i64) -> Result<Form> {
    arity(name, a, |n| n == 1)?;
    match *a[0].kind {
        FormKind::Int(x) => Ok(Form::value(FormKind::Int(op(x)))),
        _ => error(format!(
            "{name} in a macro needs an integer, got {}",
            a[0].describe()
        )),
    }
}

/// What `str` shows of `x`: an instance's toString, else its text.
fn shown(interp: &mut Interp<'_>, x: &Form) -> Result<String> {
    Ok(super::types::text(interp, x)?.unwrap_or_else(|| str_of(x)))
}

/// `=` over `args`, with the equality of records and deftypes.
fn all_equal(interp: &mut Interp<'_>, args: &[Form]) -> Result<bool> {
    for pair in args.windows(2) {
        let same = match super::types::equal(interp, &pair[0], &pair[1])? {
            Some(same) => same,
            None => pair[0] == pair[1],
        };
        if !same {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The marker of what `reduced` makes: a cell (cells.rs) holding its value.
const REDUCED: &str = "reduced";

/// The marker of what `delay` makes: a cell of its thunk, then its value.
const DELAY: &str = "delay";

/// A delay's value, its thunk run the first time; None when `f` is no delay.
fn forced(interp: &mut Interp<'_>, f: &Form) -> Option<Result<Form>> {
    let (cell, state) = super::cells::marked(f, DELAY)?;
    if super::cells::field(&state, "realized").truthy() {
        return Some(Ok(super::cells::field(&state, "value")));
    }
    let value = match interp.apply(&super::cells::field(&state, "thunk"), Vec::new()) {
        Ok(value) => value,
        Err(e) => return Some(Err(e)),
    };
    super::cells::set(cell, "value", value.clone());
    super::cells::set(cell, "realized", Form::value(FormKind::Bool(true)));
    Some(Ok(value))
}

/// The value inside `f` when `f` is what `reduced` made.
fn reduced_value(f: &Form) -> Option<Form> {
    super::cells::marked(f, REDUCED).map(|(_, state)| super::cells::field(&state, "value"))
}

/// The transducer arity of a builtin that has one: `(map f)`, `(filter p)`,
/// `(distinct)`, and `into`'s `(into to xform from)`. They are written in
/// jank (prelude/macro_time.jank) as `macro-time-xf--name`.
pub(super) fn transducer_arity(name: &str, args: usize) -> Option<String> {
    let one = [
        "map",
        "mapcat",
        "filter",
        "remove",
        "keep",
        "map-indexed",
        "take",
        "drop",
        "take-while",
        "drop-while",
        "interpose",
        "partition-all",
    ];
    let is_xf = (args == 1 && one.contains(&name))
        || (args == 0 && name == "distinct")
        || (args == 3 && name == "into");
    is_xf.then(|| format!("macro-time-xf--{name}"))
}

fn read_cell(c: &Mutex<Form>) -> Form {
    c.lock()
        .map(|v| v.clone())
        .unwrap_or_else(|p| p.into_inner().clone())
}

fn write_cell(c: &Mutex<Form>, value: Form) {
    match c.lock() {
        Ok(mut slot) => *slot = value,
        Err(p) => *p.into_inner() = value,
    }
}

builtins![
    // for's view of a chunked seq: none at compile time, where every seq is
    // walked one item at a time (chunking is the page's, runtime/src/seqs.cpp).
    ("chunk-split*", |_, a| {
        arity("chunk-split*", &a, |n| n == 1)?;
        Ok(Form::nil())
    }),
    ("seq", |_, a| {
        arity("seq", &a, |n| n == 1)?;
        Ok(seq_of(items(&a[0])?))
    }),
    ("first", |_, a| {
        arity("first", &a, |n| n == 1)?;
        Ok(items(&a[0])?.into_iter().next().unwrap_or_else(Form::nil))
    }),
    ("second", |_, a| {
        arity("second", &a, |n| n == 1)?;
        Ok(items(&a[0])?.into_iter().nth(1).unwrap_or_else(Form::nil))
    }),
    ("ffirst", |_, a| {
        arity("ffirst", &a, |n| n == 1)?;
        let f = items(&a[0])?.into_iter().next().unwrap_or_else(Form::nil);
        Ok(items(&f)?.into_iter().next().unwrap_or_else(Form::nil))
    }),
    ("rest", |_, a| {
        arity("rest", &a, |n| n == 1)?;
        Ok(list(items(&a[0])?.into_iter().skip(1).collect()))
    }),
    ("next", |_, a| {
        arity("next", &a, |n| n == 1)?;
        Ok(seq_of(items(&a[0])?.into_iter().skip(1).collect()))
    }),
    ("nnext", |_, a| {
        arity("nnext", &a, |n| n == 1)?;
        Ok(seq_of(items(&a[0])?.into_iter().skip(2).collect()))
    }),
    ("fnext", |_, a| {
        arity("fnext", &a, |n| n == 1)?;
        Ok(items(&a[0])?.into_iter().nth(1).unwrap_or_else(Form::nil))
    }),
    ("nthnext", |_, a| {
        arity("nthnext", &a, |n| n == 2)?;
        let n = int(&a[1], "nthnext")?.max(0) as usize;
        Ok(seq_of(items(&a[0])?.into_iter().skip(n).collect()))
    }),
    ("nthrest", |_, a| {
        arity("nthrest", &a, |n| n == 2)?;
        let n = int(&a[1], "nthrest")?.max(0) as usize;
        Ok(list(items(&a[0])?.into_iter().skip(n).collect()))
    }),
    ("last", |_, a| {
        arity("last", &a, |n| n == 1)?;
        Ok(items(&a[0])?.pop().unwrap_or_else(Form::nil))
    }),
    ("butlast", |_, a| {
        arity("butlast", &a, |n| n == 1)?;
        let mut all = items(&a[0])?;
        all.pop();
        Ok(seq_of(all))
    }),
    ("nth", |_, a| {
        arity("nth", &a, |n| n == 2 || n == 3)?;
        nth(&a[0], &a[1], a.get(2))
    }),
    ("count", |_, a| {
        arity("count", &a, |n| n == 1)?;
        v(FormKind::Int(match &*a[0].kind {
            FormKind::Map(m) => m.len() / 2,
            _ => items(&a[0])?.len(),
        } as i64))
    }),
    ("cons", |_, a| {
        arity("cons", &a, |n| n == 2)?;
        let mut all = vec![a[0].clone()];
        all.extend(items(&a[1])?);
        Ok(list(all))
    }),
    ("conj", |_, a| {
        arity("conj", &a, |n| n >= 1)?;
        let mut it = a.into_iter();
        let mut coll = it.next().unwrap_or_else(Form::nil);
        for x in it {
            coll = conj(coll, x)?;
        }
        Ok(coll)
    }),
    ("list", |_, a| Ok(list(a))),
    ("list*", |_, mut a| {
        arity("list*", &a, |n| n >= 1)?;
        let last = a.pop().unwrap_or_else(Form::nil);
        a.extend(items(&last)?);
        Ok(seq_of(a))
    }),
    ("vector", |_, a| v(FormKind::Vector(a))),
    ("vec", |_, a| {
        arity("vec", &a, |n| n == 1)?;
        v(FormKind::Vector(items(&a[0])?))
    }),
    // A Java array in a macro is a vector of its items (what (.split s " ")
    // gives a helper to walk); the page has real arrays.
    ("into-array", |_, a| {
        arity("into-array", &a, |n| n == 1 || n == 2)?;
        v(FormKind::Vector(items(&a[a.len() - 1])?))
    }),
    ("to-array", |_, a| {
        arity("to-array", &a, |n| n == 1)?;
        v(FormKind::Vector(items(&a[0])?))
    }),
    ("hash-map", |_, a| {
        if a.len() % 2 != 0 {
            return error("hash-map needs an even number of arguments");
        }
        let mut m = Form::value(FormKind::Map(Vec::new()));
        for kv in a.chunks(2) {
            m = assoc(m, kv[0].clone(), kv[1].clone())?;
        }
        Ok(m)
    }),
    // A literal with computed keys (the analyzer's, as in the page): equal keys
    // are an error.
    ("map-literal*", |_, a| {
        let count_of = |m: &Form| match &*m.kind {
            FormKind::Map(items) => items.len(),
            _ => 0,
        };
        if a.len() % 2 != 0 {
            return error("a map literal needs an even number of forms");
        }
        let mut m = Form::value(FormKind::Map(Vec::new()));
        for kv in a.chunks(2) {
            let before = count_of(&m);
            m = assoc(m, kv[0].clone(), kv[1].clone())?;
            if count_of(&m) == before {
                return error(format!("Duplicate key: {}", kv[0]));
            }
        }
        Ok(m)
    }),
    ("set-literal*", |_, a| {
        let count_of = |s: &Form| match &*s.kind {
            FormKind::Set(items) => items.len(),
            _ => 0,
        };
        let mut s = Form::value(FormKind::Set(Vec::new()));
        for x in a {
            let before = count_of(&s);
            s = conj(s, x.clone())?;
            if count_of(&s) == before {
                return error(format!("Duplicate key: {x}"));
            }
        }
        Ok(s)
    }),
    ("array-map", |_, a| {
        if a.len() % 2 != 0 {
            return error("array-map needs an even number of arguments");
        }
        let mut m = Form::value(FormKind::Map(Vec::new()));
        for kv in a.chunks(2) {
            m = assoc(m, kv[0].clone(), kv[1].clone())?;
        }
        Ok(m)
    }),
    ("hash-set", |_, a| {
        let mut s = Form::value(FormKind::Set(Vec::new()));
        for x in a {
            s = conj(s, x)?;
        }
        Ok(s)
    }),
    ("set", |_, a| {
        arity("set", &a, |n| n == 1)?;
        let mut s = Form::value(FormKind::Set(Vec::new()));
        for x in items(&a[0])? {
            s = conj(s, x)?;
        }
        Ok(s)
    }),
    ("concat", |_, a| {
        let mut all = Vec::new();
        for c in &a {
            all.extend(items(c)?);
        }
        Ok(list(all))
    }),
    ("apply", |i, mut a| {
        arity("apply", &a, |n| n >= 2)?;
        let last = a.pop().unwrap_or_else(Form::nil);
        let f = a.remove(0);
        a.extend(items(&last)?);
        call(i, &f, a)
    }),
    ("map", |i, a| Ok(list(map_fn(i, a)?))),
    ("mapv", |i, a| v(FormKind::Vector(map_fn(i, a)?))),
    ("mapcat", |i, a| {
        let parts = map_fn(i, a)?;
        let mut all = Vec::new();
        for p in &parts {
            all.extend(items(p)?);
        }
        Ok(list(all))
    }),
    ("map-indexed", |i, a| {
        arity("map-indexed", &a, |n| n == 2)?;
        let mut out = Vec::new();
        for (k, x) in items(&a[1])?.into_iter().enumerate() {
            out.push(call(
                i,
                &a[0],
                vec![Form::value(FormKind::Int(k as i64)), x],
            )?);
        }
        Ok(list(out))
    }),
    ("filter", |i, a| Ok(list(filter_fn(i, &a, true)?))),
    ("filterv", |i, a| v(FormKind::Vector(filter_fn(
        i, &a, true
    )?))),
    ("remove", |i, a| Ok(list(filter_fn(i, &a, false)?))),
    ("keep", |i, a| {
        arity("keep", &a, |n| n == 2)?;
        let mut out = Vec::new();
        for x in items(&a[1])? {
            let r = call(i, &a[0], vec![x])?;
            if !matches!(*r.kind, FormKind::Nil) {
                out.push(r);
            }
        }
        Ok(list(out))
    }),
    ("every?", |i, a| {
        arity("every?", &a, |n| n == 2)?;
        for x in items(&a[1])? {
            if !call(i, &a[0], vec![x])?.truthy() {
                return boolean(false);
            }
        }
        boolean(true)
    }),
    ("some", |i, a| {
        arity("some", &a, |n| n == 2)?;
        for x in items(&a[1])? {
            let r = call(i, &a[0], vec![x])?;
            if r.truthy() {
                return Ok(r);
            }
        }
        Ok(Form::nil())
    }),
    ("reduce", |i, a| {
        arity("reduce", &a, |n| n == 2 || n == 3)?;
        let (mut acc, coll) = if a.len() == 3 {
            (a[1].clone(), items(&a[2])?)
        } else {
            let mut all = items(&a[1])?.into_iter();
            match all.next() {
                None => return call(i, &a[0], Vec::new()),
                Some(first) => (first, all.collect()),
            }
        };
        for x in coll {
            acc = call(i, &a[0], vec![acc, x])?;
            if let Some(value) = reduced_value(&acc) {
                return Ok(value);
            }
        }
        Ok(acc)
    }),
    ("reduced", |_, a| {
        arity("reduced", &a, |n| n == 1)?;
        Ok(super::cells::new(
            REDUCED,
            "",
            vec![("value", a[0].clone())],
        ))
    }),
    ("reduced?", |_, a| {
        arity("reduced?", &a, |n| n == 1)?;
        boolean(reduced_value(&a[0]).is_some())
    }),
    // (delay body): a cell of its thunk, run the first time it is forced.
    ("delay*", |_, a| {
        arity("delay*", &a, |n| n == 1)?;
        Ok(super::cells::new(
            DELAY,
            "",
            vec![
                ("thunk", a[0].clone()),
                ("realized", Form::value(FormKind::Bool(false))),
            ],
        ))
    }),
    ("force", |i, a| {
        arity("force", &a, |n| n == 1)?;
        match forced(i, &a[0]) {
            Some(value) => value,
            None => Ok(a[0].clone()),
        }
    }),
    ("delay?", |_, a| {
        arity("delay?", &a, |n| n == 1)?;
        boolean(super::cells::marked(&a[0], DELAY).is_some())
    }),
    ("realized?", |_, a| {
        arity("realized?", &a, |n| n == 1)?;
        match super::cells::marked(&a[0], DELAY) {
            Some((_, state)) => boolean(super::cells::field(&state, "realized").truthy()),
            None => error(format!(
                "realized? in a macro needs a delay, got {}",
                a[0].describe()
            )),
        }
    }),
    ("into", |_, a| {
        arity("into", &a, |n| n == 2)?;
        let mut coll = a[0].clone();
        for x in items(&a[1])? {
            coll = conj(coll, x)?;
        }
        Ok(coll)
    }),
    ("assoc", |_, a| {
        arity("assoc", &a, |n| n >= 3 && n % 2 == 1)?;
        let mut it = a.into_iter();
        let mut m = it.next().unwrap_or_else(Form::nil);
        while let (Some(k), Some(x)) = (it.next(), it.next()) {
            m = assoc(m, k, x)?;
        }
        Ok(m)
    }),
    ("dissoc", |_, a| {
        arity("dissoc", &a, |n| n >= 1)?;
        let meta = a[0].meta.clone();
        let FormKind::Map(items) = &*a[0].kind else {
            return Ok(a[0].clone());
        };
        let keep: Vec<Form> = items
            .chunks(2)
            .filter(|kv| !a[1..].contains(&kv[0]))
            .flatten()
            .cloned()
            .collect();
        let mut m = Form::value(FormKind::Map(keep));
        m.meta = meta;
        Ok(m)
    }),
    ("get", |i, a| {
        arity("get", &a, |n| n == 2 || n == 3)?;
        if let Some(lookup) = super::types::slot(&a[0], "lookup") {
            return i.apply(&lookup, a);
        }
        Ok(get(&a[0], &a[1])
            .or_else(|| a.get(2).cloned())
            .unwrap_or_else(Form::nil))
    }),
    ("get-in", |_, a| {
        arity("get-in", &a, |n| n == 2 || n == 3)?;
        let mut at = a[0].clone();
        for k in items(&a[1])? {
            match get(&at, &k) {
                Some(x) => at = x,
                None => return Ok(a.get(2).cloned().unwrap_or_else(Form::nil)),
            }
        }
        Ok(at)
    }),
    ("contains?", |_, a| {
        arity("contains?", &a, |n| n == 2)?;
        boolean(
            get(&a[0], &a[1]).is_some()
                || matches!(&*a[0].kind, FormKind::Map(m) if m.chunks(2).any(|kv| kv[0] == a[1])),
        )
    }),
    ("find", |_, a| {
        arity("find", &a, |n| n == 2)?;
        Ok(match &*a[0].kind {
            FormKind::Map(m) => m
                .chunks(2)
                .find(|kv| kv[0] == a[1])
                .map(|kv| Form::value(FormKind::Vector(kv.to_vec())))
                .unwrap_or_else(Form::nil),
            _ => Form::nil(),
        })
    }),
    ("keys", |_, a| {
        arity("keys", &a, |n| n == 1)?;
        Ok(match &*a[0].kind {
            FormKind::Map(m) => seq_of(m.iter().step_by(2).cloned().collect()),
            _ => Form::nil(),
        })
    }),
    ("vals", |_, a| {
        arity("vals", &a, |n| n == 1)?;
        Ok(match &*a[0].kind {
            FormKind::Map(m) => seq_of(m.iter().skip(1).step_by(2).cloned().collect()),
            _ => Form::nil(),
        })
    }),
    ("key", |_, a| {
        arity("key", &a, |n| n == 1)?;
        nth(&a[0], &Form::value(FormKind::Int(0)), None)
    }),
    ("val", |_, a| {
        arity("val", &a, |n| n == 1)?;
        nth(&a[0], &Form::value(FormKind::Int(1)), None)
    }),
    ("merge", |_, a| {
        let mut it = a.into_iter().filter(|m| !matches!(*m.kind, FormKind::Nil));
        let Some(mut m) = it.next() else {
            return Ok(Form::nil());
        };
        for other in it {
            m = conj(m, other)?;
        }
        Ok(m)
    }),
    ("zipmap", |_, a| {
        arity("zipmap", &a, |n| n == 2)?;
        let mut m = Form::value(FormKind::Map(Vec::new()));
        for (k, x) in items(&a[0])?.into_iter().zip(items(&a[1])?) {
            m = assoc(m, k, x)?;
        }
        Ok(m)
    }),
    ("peek", |_, a| {
        arity("peek", &a, |n| n == 1)?;
        Ok(match &*a[0].kind {
            FormKind::Vector(v) => v.last().cloned().unwrap_or_else(Form::nil),
            _ => items(&a[0])?.into_iter().next().unwrap_or_else(Form::nil),
        })
    }),
    ("pop", |_, a| {
        arity("pop", &a, |n| n == 1)?;
        match &*a[0].kind {
            FormKind::Vector(items) if !items.is_empty() => {
                v(FormKind::Vector(items[..items.len() - 1].to_vec()))
            }
            FormKind::List(items) if !items.is_empty() => Ok(list(items[1..].to_vec())),
            _ => error("Can't pop an empty collection"),
        }
    }),
    ("empty", |_, a| {
        arity("empty", &a, |n| n == 1)?;
        v(match &*a[0].kind {
            FormKind::Vector(_) => FormKind::Vector(Vec::new()),
            FormKind::Map(_) => FormKind::Map(Vec::new()),
            FormKind::Set(_) => FormKind::Set(Vec::new()),
            FormKind::List(_) => FormKind::List(Vec::new()),
            _ => FormKind::Nil,
        })
    }),
    ("empty?", |_, a| {
        arity("empty?", &a, |n| n == 1)?;
        boolean(items(&a[0])?.is_empty())
    }),
    ("not-empty", |_, a| {
        arity("not-empty", &a, |n| n == 1)?;
        Ok(if items(&a[0])?.is_empty() {
            Form::nil()
        } else {
            a[0].clone()
        })
    }),
    ("reverse", |_, a| {
        arity("reverse", &a, |n| n == 1)?;
        let mut all = items(&a[0])?;
        all.reverse();
        Ok(list(all))
    }),
    ("take", |_, a| {
        arity("take", &a, |n| n == 2)?;
        let n = int(&a[0], "take")?.max(0) as usize;
        Ok(list(items(&a[1])?.into_iter().take(n).collect()))
    }),
    ("drop", |_, a| {
        arity("drop", &a, |n| n == 2)?;
        let n = int(&a[0], "drop")?.max(0) as usize;
        Ok(list(items(&a[1])?.into_iter().skip(n).collect()))
    }),
    ("take-while", |i, a| {
        arity("take-while", &a, |n| n == 2)?;
        let mut out = Vec::new();
        for x in items(&a[1])? {
            if !call(i, &a[0], vec![x.clone()])?.truthy() {
                break;
            }
            out.push(x);
        }
        Ok(list(out))
    }),
    ("drop-while", |i, a| {
        arity("drop-while", &a, |n| n == 2)?;
        let all = items(&a[1])?;
        let mut at = 0;
        while at < all.len() && call(i, &a[0], vec![all[at].clone()])?.truthy() {
            at += 1;
        }
        Ok(list(all[at..].to_vec()))
    }),
    ("split-at", |_, a| {
        arity("split-at", &a, |n| n == 2)?;
        let n = int(&a[0], "split-at")?.max(0) as usize;
        let all = items(&a[1])?;
        let n = n.min(all.len());
        v(FormKind::Vector(vec![
            list(all[..n].to_vec()),
            list(all[n..].to_vec()),
        ]))
    }),
    ("split-with", |i, a| {
        arity("split-with", &a, |n| n == 2)?;
        let all = items(&a[1])?;
        let mut at = 0;
        while at < all.len() && call(i, &a[0], vec![all[at].clone()])?.truthy() {
            at += 1;
        }
        v(FormKind::Vector(vec![
            list(all[..at].to_vec()),
            list(all[at..].to_vec()),
        ]))
    }),
    ("partition", |_, a| {
        arity("partition", &a, |n| n == 2 || n == 3)?;
        let n = int(&a[0], "partition")?.max(1) as usize;
        let step = if a.len() == 3 {
            int(&a[1], "partition")?.max(1) as usize
        } else {
            n
        };
        let all = items(a.last().unwrap_or(&Form::nil()))?;
        let mut out = Vec::new();
        let mut at = 0;
        while at + n <= all.len() {
            out.push(list(all[at..at + n].to_vec()));
            at += step;
        }
        Ok(list(out))
    }),
    ("partition-all", |_, a| {
        arity("partition-all", &a, |n| n == 2)?;
        let n = int(&a[0], "partition-all")?.max(1) as usize;
        Ok(list(
            items(&a[1])?.chunks(n).map(|c| list(c.to_vec())).collect(),
        ))
    }),
    ("interleave", |_, a| {
        let colls = each_coll(&a)?;
        let shortest = colls.iter().map(Vec::len).min().unwrap_or(0);
        let mut out = Vec::new();
        for i in 0..shortest {
            for c in &colls {
                out.push(c[i].clone());
            }
        }
        Ok(list(out))
    }),
    ("interpose", |_, a| {
        arity("interpose", &a, |n| n == 2)?;
        let mut out = Vec::new();
        for (k, x) in items(&a[1])?.into_iter().enumerate() {
            if k > 0 {
                out.push(a[0].clone());
            }
            out.push(x);
        }
        Ok(list(out))
    }),
    ("distinct", |_, a| {
        arity("distinct", &a, |n| n == 1)?;
        let mut out: Vec<Form> = Vec::new();
        for x in items(&a[0])? {
            if !out.contains(&x) {
                out.push(x);
            }
        }
        Ok(list(out))
    }),
    ("flatten", |_, a| {
        fn walk(f: &Form, out: &mut Vec<Form>) -> Result<()> {
            match &*f.kind {
                FormKind::List(_) | FormKind::Vector(_) => {
                    for x in items(f)? {
                        walk(&x, out)?;
                    }
                }
                _ => out.push(f.clone()),
            }
            Ok(())
        }
        arity("flatten", &a, |n| n == 1)?;
        let mut out = Vec::new();
        if !matches!(*a[0].kind, FormKind::Nil) {
            walk(&a[0], &mut out)?;
        }
        Ok(list(out))
    }),
    ("range", |_, a| {
        let (start, end, step) = match a.as_slice() {
            [e] => (0, int(e, "range")?, 1),
            [s, e] => (int(s, "range")?, int(e, "range")?, 1),
            [s, e, st] => (int(s, "range")?, int(e, "range")?, int(st, "range")?),
            _ => return error("range at compile time needs an end"),
        };
        if step == 0 || (end - start) / step > 1_000_000 {
            return error("range at compile time is limited to a million items");
        }
        let mut out = Vec::new();
        let mut x = start;
        while (step > 0 && x < end) || (step < 0 && x > end) {
            out.push(Form::value(FormKind::Int(x)));
            x += step;
        }
        Ok(list(out))
    }),
    ("repeat", |_, a| {
        arity("repeat", &a, |n| n == 2)?;
        let n = int(&a[0], "repeat")?.clamp(0, 1_000_000) as usize;
        Ok(list(vec![a[1].clone(); n]))
    }),
    ("sort", |i, a| {
        arity("sort", &a, |n| n == 1 || n == 2)?;
        let mut all = items(a.last().unwrap_or(&a[0]))?;
        match a.first().filter(|_| a.len() == 2) {
            None => all.sort_by(compare),
            // (sort cmp coll): cmp a comparator (a number) or a predicate
            // such as >, kept stable; its first error stops the sort.
            Some(cmp) => {
                let mut failed = None;
                all.sort_by(|x, y| {
                    if failed.is_some() {
                        return std::cmp::Ordering::Equal;
                    }
                    match call(i, cmp, vec![x.clone(), y.clone()]) {
                        Ok(r) => match *r.kind {
                            FormKind::Int(n) => n.cmp(&0),
                            FormKind::Bool(true) => std::cmp::Ordering::Less,
                            FormKind::Bool(false) | FormKind::Nil => {
                                match call(i, cmp, vec![y.clone(), x.clone()]) {
                                    Ok(r) if r.truthy() => std::cmp::Ordering::Greater,
                                    Ok(_) => std::cmp::Ordering::Equal,
                                    Err(e) => {
                                        failed = Some(e);
                                        std::cmp::Ordering::Equal
                                    }
                                }
                            }
                            _ => std::cmp::Ordering::Equal,
                        },
                        Err(e) => {
                            failed = Some(e);
                            std::cmp::Ordering::Equal
                        }
                    }
                });
                if let Some(e) = failed {
                    return Err(e);
                }
            }
        }
        Ok(list(all))
    }),
    ("frequencies", |_, a| {
        arity("frequencies", &a, |n| n == 1)?;
        let mut m = Form::value(FormKind::Map(Vec::new()));
        for x in items(&a[0])? {
            let n = get(&m, &x).map_or(0, |c| if let FormKind::Int(i) = *c.kind { i } else { 0 });
            m = assoc(m, x, Form::value(FormKind::Int(n + 1)))?;
        }
        Ok(m)
    }),
    ("group-by", |i, a| {
        arity("group-by", &a, |n| n == 2)?;
        let mut m = Form::value(FormKind::Map(Vec::new()));
        for x in items(&a[1])? {
            let k = call(i, &a[0], vec![x.clone()])?;
            let group = get(&m, &k).unwrap_or_else(|| Form::value(FormKind::Vector(Vec::new())));
            m = assoc(m, k, conj(group, x)?)?;
        }
        Ok(m)
    }),
    ("=", |i, a| {
        arity("=", &a, |n| n >= 1)?;
        boolean(all_equal(i, &a)?)
    }),
    // (.equals x y) in a macro: a type's own equals, else =.
    ("java-equals*", |i, a| {
        arity("equals", &a, |n| n == 2)?;
        if let Some(own) = super::types::slot(&a[0], "equals") {
            return i.apply(&own, a.to_vec());
        }
        boolean(all_equal(i, &a)?)
    }),
    ("not=", |i, a| {
        arity("not=", &a, |n| n >= 1)?;
        boolean(!all_equal(i, &a)?)
    }),
    ("==", |_, a| compare_chain(&a, |x, y| x == y)),
    ("identical?", |_, a| {
        arity("identical?", &a, |n| n == 2)?;
        boolean(a[0] == a[1])
    }),
    ("compare", |_, a| {
        arity("compare", &a, |n| n == 2)?;
        v(FormKind::Int(compare(&a[0], &a[1]) as i64))
    }),
    ("not", |_, a| {
        arity("not", &a, |n| n == 1)?;
        boolean(!a[0].truthy())
    }),
    ("boolean", |_, a| {
        arity("boolean", &a, |n| n == 1)?;
        boolean(a[0].truthy())
    }),
    ("identity", |_, a| {
        arity("identity", &a, |n| n == 1)?;
        Ok(a[0].clone())
    }),
    ("nil?", |_, a| {
        arity("nil?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Nil))
    }),
    ("some?", |_, a| {
        arity("some?", &a, |n| n == 1)?;
        boolean(!matches!(*a[0].kind, FormKind::Nil))
    }),
    ("true?", |_, a| {
        arity("true?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Bool(true)))
    }),
    ("false?", |_, a| {
        arity("false?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Bool(false)))
    }),
    ("symbol?", |_, a| {
        arity("symbol?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Symbol { .. }))
    }),
    ("simple-symbol?", |_, a| {
        arity("simple-symbol?", &a, |n| n == 1)?;
        boolean(matches!(&*a[0].kind, FormKind::Symbol { ns, .. } if ns.is_empty()))
    }),
    ("qualified-symbol?", |_, a| {
        arity("qualified-symbol?", &a, |n| n == 1)?;
        boolean(matches!(&*a[0].kind, FormKind::Symbol { ns, .. } if !ns.is_empty()))
    }),
    ("keyword?", |_, a| {
        arity("keyword?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Keyword { .. }))
    }),
    ("simple-keyword?", |_, a| {
        arity("simple-keyword?", &a, |n| n == 1)?;
        boolean(matches!(&*a[0].kind, FormKind::Keyword { ns, .. } if ns.is_empty()))
    }),
    ("qualified-keyword?", |_, a| {
        arity("qualified-keyword?", &a, |n| n == 1)?;
        boolean(matches!(&*a[0].kind, FormKind::Keyword { ns, .. } if !ns.is_empty()))
    }),
    ("string?", |_, a| {
        arity("string?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Str(_)))
    }),
    ("char?", |_, a| {
        arity("char?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Char(_)))
    }),
    ("inst?", |_, a| {
        arity("inst?", &a, |n| n == 1)?;
        boolean(matches!(
            *a[0].kind,
            FormKind::Tagged {
                tag: LiteralTag::Inst,
                ..
            }
        ))
    }),
    ("uuid?", |_, a| {
        arity("uuid?", &a, |n| n == 1)?;
        boolean(matches!(
            *a[0].kind,
            FormKind::Tagged {
                tag: LiteralTag::Uuid,
                ..
            }
        ))
    }),
    ("inst-ms", |_, a| {
        arity("inst-ms", &a, |n| n == 1)?;
        match &*a[0].kind {
            FormKind::Tagged {
                tag: LiteralTag::Inst,
                text,
            } => match crate::tagged::timestamp_millis(text) {
                Some(ms) => Ok(Form::value(FormKind::Int(ms))),
                None => error(format!("not a timestamp: {text}")),
            },
            _ => error(format!(
                "inst-ms expects an instant, got {}",
                a[0].describe()
            )),
        }
    }),
    // (parse-uuid s): a UUID, or nil when s is not one's text.
    ("parse-uuid", |_, a| {
        arity("parse-uuid", &a, |n| n == 1)?;
        let text = str_arg(&a[0], "parse-uuid")?;
        Ok(LiteralTag::Uuid
            .canonical(&text)
            .map_or_else(Form::nil, |text| {
                Form::value(FormKind::Tagged {
                    tag: LiteralTag::Uuid,
                    text,
                })
            }))
    }),
    ("number?", |_, a| {
        arity("number?", &a, |n| n == 1)?;
        boolean(matches!(
            *a[0].kind,
            FormKind::Int(_)
                | FormKind::Float(_)
                | FormKind::Ratio(..)
                | FormKind::BigInt(_)
                | FormKind::BigDecimal { .. }
        ))
    }),
    ("integer?", |_, a| {
        arity("integer?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Int(_) | FormKind::BigInt(_)))
    }),
    ("int?", |_, a| {
        arity("int?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Int(_)))
    }),
    ("float?", |_, a| {
        arity("float?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Float(_)))
    }),
    ("boolean?", |_, a| {
        arity("boolean?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Bool(_)))
    }),
    ("vector?", |_, a| {
        arity("vector?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Vector(_)))
    }),
    ("map?", |_, a| {
        arity("map?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Map(_)))
    }),
    ("set?", |_, a| {
        arity("set?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Set(_)))
    }),
    ("list?", |_, a| {
        arity("list?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::List(_)))
    }),
    ("seq?", |_, a| {
        arity("seq?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::List(_)))
    }),
    ("sequential?", |_, a| {
        arity("sequential?", &a, |n| n == 1)?;
        boolean(matches!(
            *a[0].kind,
            FormKind::List(_) | FormKind::Vector(_)
        ))
    }),
    ("coll?", |_, a| {
        arity("coll?", &a, |n| n == 1)?;
        boolean(matches!(
            *a[0].kind,
            FormKind::List(_) | FormKind::Vector(_) | FormKind::Map(_) | FormKind::Set(_)
        ))
    }),
    ("seqable?", |_, a| {
        arity("seqable?", &a, |n| n == 1)?;
        boolean(items(&a[0]).is_ok())
    }),
    ("fn?", |_, a| {
        arity("fn?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Fn(_) | FormKind::Builtin(_)))
    }),
    ("ifn?", |_, a| {
        arity("ifn?", &a, |n| n == 1)?;
        boolean(matches!(
            *a[0].kind,
            FormKind::Fn(_)
                | FormKind::Builtin(_)
                | FormKind::Keyword { .. }
                | FormKind::Symbol { .. }
                | FormKind::Map(_)
                | FormKind::Set(_)
                | FormKind::Vector(_)
                | FormKind::Var { .. }
        ))
    }),
    ("get-method", |_, a| {
        arity("get-method", &a, |n| n == 2)?;
        if !super::multimethods::is_multimethod(&a[0]) {
            return error(format!(
                "get-method needs a multimethod, got {}",
                a[0].describe()
            ));
        }
        Ok(super::multimethods::get_method(&a[0], &a[1]).unwrap_or_else(Form::nil))
    }),
    // A var with a value in the compiler is bound, as a macro sees it.
    ("bound?", |i, a| {
        arity("bound?", &a, |n| n >= 1)?;
        let mut all = true;
        for var in &a {
            let FormKind::Var { ns, name } = &*var.kind else {
                return error(format!("bound? needs vars, got {}", var.describe()));
            };
            all &= i.var_value(ns, name).is_ok();
        }
        boolean(all)
    }),
    ("var?", |_, a| {
        arity("var?", &a, |n| n == 1)?;
        boolean(matches!(*a[0].kind, FormKind::Var { .. }))
    }),
    ("str", |i, a| v(FormKind::Str(
        a.iter().map(|x| shown(i, x)).collect::<Result<String>>()?
    ))),
    ("pr-str", |_, a| v(FormKind::Str(
        a.iter().map(pr_str).collect::<Vec<_>>().join(" ")
    ))),
    ("print-str", |i, a| v(FormKind::Str(
        a.iter()
            .map(|x| shown(i, x))
            .collect::<Result<Vec<_>>>()?
            .join(" ")
    ))),
    ("prn", |i, a| {
        i.print(&(a.iter().map(pr_str).collect::<Vec<_>>().join(" ") + "\n"));
        Ok(Form::nil())
    }),
    ("println", |i, a| {
        let text = a
            .iter()
            .map(|x| shown(i, x))
            .collect::<Result<Vec<_>>>()?
            .join(" ");
        i.print(&(text + "\n"));
        Ok(Form::nil())
    }),
    ("with-out-str*", |i, a| {
        arity("with-out-str*", &a, |n| n == 1)?;
        i.capture_output(|i| i.apply(&a[0], Vec::new()).map(|_| ()))
            .map(|text| Form::value(FormKind::Str(text)))
    }),
    ("subs", |_, a| {
        arity("subs", &a, |n| n == 2 || n == 3)?;
        let FormKind::Str(s) = &*a[0].kind else {
            return error("subs needs a string");
        };
        let chars: Vec<char> = s.chars().collect();
        let start = int(&a[1], "subs")?;
        let end = match a.get(2) {
            Some(e) => int(e, "subs")?,
            None => chars.len() as i64,
        };
        if start < 0 || end < start || end as usize > chars.len() {
            return error(format!("String index out of range: {start}, {end}"));
        }
        v(FormKind::Str(
            chars[start as usize..end as usize].iter().collect(),
        ))
    }),
    ("symbol", |_, a| symbolish(
        &a,
        |ns, name| FormKind::Symbol { ns, name },
        "symbol"
    )),
    ("keyword", |_, a| symbolish(
        &a,
        |ns, name| FormKind::Keyword {
            ns,
            name,
            auto: false
        },
        "keyword"
    )),
    ("name", |_, a| {
        arity("name", &a, |n| n == 1)?;
        match &*a[0].kind {
            FormKind::Symbol { name, .. } | FormKind::Keyword { name, .. } => {
                v(FormKind::Str(name.clone()))
            }
            FormKind::Str(s) => v(FormKind::Str(s.clone())),
            _ => error(format!(
                "name needs a symbol, keyword or string, got {}",
                a[0].describe()
            )),
        }
    }),
    ("namespace", |_, a| {
        arity("namespace", &a, |n| n == 1)?;
        match &*a[0].kind {
            FormKind::Symbol { ns, .. } | FormKind::Keyword { ns, .. } => Ok(if ns.is_empty() {
                Form::nil()
            } else {
                Form::value(FormKind::Str(ns.clone()))
            }),
            _ => error("namespace needs a symbol or keyword"),
        }
    }),
    ("gensym", |_, a| {
        let prefix = match a.first() {
            Some(p) => str_of(p),
            None => "G__".to_owned(),
        };
        v(FormKind::Symbol {
            ns: String::new(),
            name: format!("{prefix}{}", next_gensym()),
        })
    }),
    ("+", |_, a| arith("+", a, i64::checked_add, |x, y| x + y, 0)),
    ("-", |_, a| {
        arity("-", &a, |n| n >= 1)?;
        arith("-", a, i64::checked_sub, |x, y| x - y, 0)
    }),
    ("*", |_, a| arith("*", a, i64::checked_mul, |x, y| x * y, 1)),
    ("/", |_, a| {
        arity("/", &a, |n| n >= 1)?;
        arith(
            "/",
            a,
            |x, y| {
                if y != 0 && x % y == 0 {
                    x.checked_div(y)
                } else {
                    None
                }
            },
            |x, y| x / y,
            1,
        )
    }),
    ("inc", |_, a| {
        arity("inc", &a, |n| n == 1)?;
        arith(
            "+",
            vec![a[0].clone(), Form::value(FormKind::Int(1))],
            i64::checked_add,
            |x, y| x + y,
            0,
        )
    }),
    // The unchecked ops, as library code writes index arithmetic: they wrap
    // instead of failing, on integers.
    ("unchecked-inc", |_, a| unchecked(
        "unchecked-inc",
        &a,
        |x| x.wrapping_add(1)
    )),
    ("unchecked-inc-int", |_, a| unchecked(
        "unchecked-inc-int",
        &a,
        |x| i64::from((x as i32).wrapping_add(1))
    )),
    ("unchecked-dec", |_, a| unchecked(
        "unchecked-dec",
        &a,
        |x| x.wrapping_sub(1)
    )),
    ("unchecked-dec-int", |_, a| unchecked(
        "unchecked-dec-int",
        &a,
        |x| i64::from((x as i32).wrapping_sub(1))
    )),
    ("unchecked-negate", |_, a| unchecked(
        "unchecked-negate",
        &a,
        i64::wrapping_neg
    )),
    ("dec", |_, a| {
        arity("dec", &a, |n| n == 1)?;
        arith(
            "-",
            vec![a[0].clone(), Form::value(FormKind::Int(1))],
            i64::checked_sub,
            |x, y| x - y,
            0,
        )
    }),
    ("quot", |_, a| {
        arity("quot", &a, |n| n == 2)?;
        let (x, y) = (int(&a[0], "quot")?, int(&a[1], "quot")?);
        if y == 0 {
            return error("Divide by zero");
        }
        v(FormKind::Int(x / y))
    }),
    ("rem", |_, a| {
        arity("rem", &a, |n| n == 2)?;
        let (x, y) = (int(&a[0], "rem")?, int(&a[1], "rem")?);
        if y == 0 {
            return error("Divide by zero");
        }
        v(FormKind::Int(x % y))
    }),
    ("mod", |_, a| {
        arity("mod", &a, |n| n == 2)?;
        let (x, y) = (int(&a[0], "mod")?, int(&a[1], "mod")?);
        if y == 0 {
            return error("Divide by zero");
        }
        v(FormKind::Int(((x % y) + y) % y))
    }),
    ("max", |_, a| {
        arity("max", &a, |n| n >= 1)?;
        let mut best = a[0].clone();
        for x in &a[1..] {
            if number(x)? > number(&best)? {
                best = x.clone();
            }
        }
        Ok(best)
    }),
    ("min", |_, a| {
        arity("min", &a, |n| n >= 1)?;
        let mut best = a[0].clone();
        for x in &a[1..] {
            if number(x)? < number(&best)? {
                best = x.clone();
            }
        }
        Ok(best)
    }),
    ("<", |_, a| compare_chain(&a, |x, y| x < y)),
    (">", |_, a| compare_chain(&a, |x, y| x > y)),
    ("<=", |_, a| compare_chain(&a, |x, y| x <= y)),
    (">=", |_, a| compare_chain(&a, |x, y| x >= y)),
    ("zero?", |_, a| {
        arity("zero?", &a, |n| n == 1)?;
        boolean(number(&a[0])? == 0.0)
    }),
    ("pos?", |_, a| {
        arity("pos?", &a, |n| n == 1)?;
        boolean(number(&a[0])? > 0.0)
    }),
    ("neg?", |_, a| {
        arity("neg?", &a, |n| n == 1)?;
        boolean(number(&a[0])? < 0.0)
    }),
    ("even?", |_, a| {
        arity("even?", &a, |n| n == 1)?;
        boolean(int(&a[0], "even?")? % 2 == 0)
    }),
    ("odd?", |_, a| {
        arity("odd?", &a, |n| n == 1)?;
        boolean(int(&a[0], "odd?")? % 2 != 0)
    }),
    ("meta", |i, a| {
        arity("meta", &a, |n| n == 1)?;
        Ok(match &*a[0].kind {
            FormKind::Var { ns, name } => var_meta(i, ns, name),
            _ => super::sorted::visible_meta(meta_with_position(&a[0])),
        })
    }),
    // A macro's (resolve sym) is (ns-resolve *ns* sym): the var sym names
    // where the macro is expanded, or nil.
    ("ns-resolve", |i, a| {
        arity("ns-resolve", &a, |n| n == 2 || n == 3)?;
        let current = match &*a[0].kind {
            FormKind::Symbol { ns, name } if ns.is_empty() => name.clone(),
            FormKind::Str(name) => name.clone(),
            _ => {
                return error(format!(
                    "ns-resolve needs a namespace's name, got {}",
                    a[0].describe()
                ))
            }
        };
        let sym = a.last().cloned().unwrap_or_else(Form::nil);
        let FormKind::Symbol { ns, name } = &*sym.kind else {
            return error(format!("ns-resolve needs a symbol, got {}", sym.describe()));
        };
        // (ns-resolve ns &env sym): a local shadows any var.
        if let Some(FormKind::Map(env)) = (a.len() == 3).then(|| &*a[1].kind) {
            if ns.is_empty() && env.chunks(2).any(|kv| kv[0] == sym) {
                return Ok(Form::nil());
            }
        }
        Ok(match i.knowledge.resolve_in(&current, ns, name) {
            // A deftype's or defrecord's name resolves to its class, as
            // Clojure's does: (class? (resolve 'Point)).
            Ok((ns, name)) if i.knowledge.is_type_defined_in(&ns, &name) => i
                .knowledge
                .compile_time_value(&ns, &name)
                .ok()
                .filter(|value| super::types::name_of_type(value).is_some())
                .unwrap_or_else(|| Form::value(FormKind::Var { ns, name })),
            Ok((ns, name)) if i.knowledge.entry(&ns, &name).is_some() => {
                Form::value(FormKind::Var { ns, name })
            }
            _ => Form::nil(),
        })
    }),
    ("with-meta", |_, a| {
        arity("with-meta", &a, |n| n == 2)?;
        let mut x = a[0].clone();
        x.meta = match *a[1].kind {
            FormKind::Nil => None,
            _ => Some(Arc::new(a[1].clone())),
        };
        Ok(x)
    }),
    ("vary-meta", |i, a| {
        arity("vary-meta", &a, |n| n >= 2)?;
        let mut x = a[0].clone();
        let mut args = vec![x.meta.as_deref().cloned().unwrap_or_else(Form::nil)];
        args.extend(a[2..].iter().cloned());
        let m = call(i, &a[1], args)?;
        x.meta = Some(Arc::new(m));
        Ok(x)
    }),
    ("ex-info", |_, a| {
        arity("ex-info", &a, |n| n == 2 || n == 3)?;
        v(FormKind::ExInfo(Arc::new(ExInfo {
            message: str_of(&a[0]),
            data: a[1].clone(),
            cause: a.get(2).cloned(),
        })))
    }),
    ("ex-message", |_, a| Ok(ex_info(&a)
        .map_or_else(Form::nil, |e| Form::value(FormKind::Str(
            e.message.clone()
        ))))),
    ("ex-data", |_, a| Ok(
        ex_info(&a).map_or_else(Form::nil, |e| e.data.clone())
    )),
    ("ex-cause", |_, a| Ok(ex_info(&a)
        .and_then(|e| e.cause.clone())
        .unwrap_or_else(Form::nil))),
    ("atom", |_, a| {
        arity("atom", &a, |n| n >= 1)?;
        v(FormKind::Cell(Arc::new(Mutex::new(a[0].clone()))))
    }),
    // (AtomicReference. x) and the other atomics a library defs (schema's
    // switch): a cell, which deref reads, when a macro reaches one.
    ("atomic-new*", |_, a| {
        arity("atomic-new*", &a, |n| n == 1 || n == 2)?;
        v(FormKind::Cell(Arc::new(Mutex::new(
            a.get(1).cloned().unwrap_or_else(Form::nil),
        ))))
    }),
    ("volatile!", |_, a| {
        arity("volatile!", &a, |n| n == 1)?;
        v(FormKind::Cell(Arc::new(Mutex::new(a[0].clone()))))
    }),
    ("deref", |i, a| {
        arity("deref", &a, |n| n == 1)?;
        if let Some(deref) = super::types::slot(&a[0], "deref") {
            return i.apply(&deref, a);
        }
        if let Some(value) = reduced_value(&a[0]) {
            return Ok(value);
        }
        if let Some(value) = forced(i, &a[0]) {
            return value;
        }
        match &*a[0].kind {
            FormKind::Cell(c) => Ok(read_cell(c)),
            FormKind::Var { ns, name } => i.var_value(ns, name),
            _ => error(format!(
                "deref needs an atom, volatile or var, got {}",
                a[0].describe()
            )),
        }
    }),
    ("reset!", |_, a| {
        arity("reset!", &a, |n| n == 2)?;
        let c = cell(&a, "reset!")?;
        write_cell(&c, a[1].clone());
        Ok(a[1].clone())
    }),
    ("vreset!", |_, a| {
        arity("vreset!", &a, |n| n == 2)?;
        let c = cell(&a, "vreset!")?;
        write_cell(&c, a[1].clone());
        Ok(a[1].clone())
    }),
    ("swap!", |i, a| {
        arity("swap!", &a, |n| n >= 2)?;
        let c = cell(&a, "swap!")?;
        let mut args = vec![read_cell(&c)];
        args.extend(a[2..].iter().cloned());
        let new = call(i, &a[1], args)?;
        write_cell(&c, new.clone());
        Ok(new)
    }),
    ("vswap!", |i, a| {
        arity("vswap!", &a, |n| n >= 2)?;
        let c = cell(&a, "vswap!")?;
        let mut args = vec![read_cell(&c)];
        args.extend(a[2..].iter().cloned());
        let new = call(i, &a[1], args)?;
        write_cell(&c, new.clone());
        Ok(new)
    }),
    // Whether a symbol names a macro where the expansion happens:
    // clojure.test's `is` reports (f args) with the args' values only when f
    // is a function.
    ("macro-symbol?*", |i, a| {
        arity("macro-symbol?*", &a, |n| n == 1)?;
        let FormKind::Symbol { ns, name } = &*a[0].kind else {
            return boolean(false);
        };
        let knowledge = i.knowledge;
        boolean(
            knowledge
                .resolve(ns, name)
                .ok()
                .and_then(|(ns, name)| knowledge.entry(&ns, &name))
                .is_some_and(|entry| entry.is_macro),
        )
    }),
    ("special-symbol?", |_, a| {
        arity("special-symbol?", &a, |n| n == 1)?;
        boolean(
            a[0].as_simple_symbol()
                .is_some_and(crate::syntax_quote::is_special),
        )
    }),
    // At compile time a lazy seq is realized at once: macros see finite data.
    ("lazy-seq*", |i, a| {
        arity("lazy-seq*", &a, |n| n == 1)?;
        let value = call(i, &a[0], Vec::new())?;
        Ok(seq_of(items(&value)?))
    }),
    ("infinite?", |_, a| {
        arity("infinite?", &a, |n| n == 1)?;
        boolean(number(&a[0])?.is_infinite())
    }),
    ("NaN?", |_, a| {
        arity("NaN?", &a, |n| n == 1)?;
        boolean(number(&a[0])?.is_nan())
    }),
    // A macro that expands the forms it is given (a code walker, a `go`).
    ("macroexpand", |i, a| {
        arity("macroexpand", &a, |n| n == 1)?;
        let mut form = a[0].clone();
        for _ in 0..MAX_MACROEXPAND_STEPS {
            match i.macroexpand_1(&form)? {
                Some(expanded) if expanded != form => form = expanded,
                _ => return Ok(form),
            }
        }
        error(format!(
            "macroexpand of {} did not end after {MAX_MACROEXPAND_STEPS} expansions",
            pr_str(&a[0])
        ))
    }),
    ("macroexpand-1", |i, a| {
        arity("macroexpand-1", &a, |n| n == 1)?;
        Ok(i.macroexpand_1(&a[0])?.unwrap_or_else(|| a[0].clone()))
    }),
    ("method-target*", |_, a| {
        arity("method-target*", &a, |n| n == 1)?;
        match &*a[0].kind {
            FormKind::Nil => error(NULL_TARGET),
            _ => Ok(a[0].clone()),
        }
    }),
    ("throw-error", |_, a| Err(Thrown::Error(
        a.iter().map(str_of).collect()
    ))),
    // clojure.repl's macros (libraries/clojure/repl.jank) ask these of what
    // the compiler knows.
    ("repl-doc*", |i, a| {
        arity("repl-doc*", &a, |n| n == 1)?;
        let text = symbol_text(&a[0]).and_then(|s| repl_docs::doc_text(i.knowledge, &s));
        v(text.map_or(FormKind::Nil, FormKind::Str))
    }),
    ("repl-source*", |i, a| {
        arity("repl-source*", &a, |n| n == 1)?;
        let text = symbol_text(&a[0]).and_then(|s| repl_docs::source_text(i.knowledge, &s));
        v(text.map_or(FormKind::Nil, FormKind::Str))
    }),
    ("repl-dir*", |i, a| {
        arity("repl-dir*", &a, |n| n == 1)?;
        let ns = symbol_text(&a[0]).unwrap_or_default();
        match repl_docs::dir_names(i.knowledge, &ns) {
            Some(names) => Ok(list(
                names
                    .into_iter()
                    .map(|name| Form::symbol(&name, Default::default()))
                    .collect(),
            )),
            None => error(format!("No namespace: {ns} found")),
        }
    }),
    ("repl-apropos*", |i, a| {
        arity("repl-apropos*", &a, |n| n == 1)?;
        let matches = repl_matcher(&a[0], false)?;
        let found = repl_docs::apropos(i.knowledge, |name| matches(name));
        Ok(list(
            found
                .iter()
                .filter_map(|q| q.split_once('/'))
                .map(|(ns, name)| Form::qualified_symbol(ns, name, Default::default()))
                .collect(),
        ))
    }),
    ("repl-find-doc*", |i, a| {
        arity("repl-find-doc*", &a, |n| n == 1)?;
        let matches = repl_matcher(&a[0], true)?;
        v(FormKind::Str(repl_docs::find_doc(i.knowledge, |text| {
            matches(text)
        })))
    }),
];

/// The JVM's message for a method called on nil.
/// How many times (macroexpand form) expands before it gives up on a loop.
const MAX_MACROEXPAND_STEPS: usize = 1_000;

const NULL_TARGET: &str = "Cannot invoke \"Object.getClass()\" because \"target\" is null";

/// Clojure's `compare` for the values macros sort: numbers, strings, keywords, symbols.
pub(super) fn compare(a: &Form, b: &Form) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (&*a.kind, &*b.kind) {
        (FormKind::Nil, FormKind::Nil) => Ordering::Equal,
        (FormKind::Nil, _) => Ordering::Less,
        (_, FormKind::Nil) => Ordering::Greater,
        (FormKind::Str(x), FormKind::Str(y)) => x.cmp(y),
        (FormKind::Keyword { ns: a, name: b, .. }, FormKind::Keyword { ns: c, name: d, .. })
        | (FormKind::Symbol { ns: a, name: b }, FormKind::Symbol { ns: c, name: d }) => {
            (a, b).cmp(&(c, d))
        }
        _ => match (number(a), number(b)) {
            (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            _ => pr_str(a).cmp(&pr_str(b)),
        },
    }
}

/// A form's metadata, where a list the reader read also has its `:line` and
/// `:column`, as Clojure's reader gives them (`(meta &form)` in a macro).
/// A var's metadata at compile time, as Clojure's has it: `:ns` and `:name`
/// (the namespace as its name), `:macro`, and what its definition gave,
/// `:arglists` unquoted.
fn var_meta(i: &Interp<'_>, ns: &str, name: &str) -> Form {
    let mut items = vec![
        Form::keyword("ns"),
        Form::value(FormKind::Symbol {
            ns: String::new(),
            name: ns.to_owned(),
        }),
        Form::keyword("name"),
        Form::value(FormKind::Symbol {
            ns: String::new(),
            name: name.to_owned(),
        }),
    ];
    let Some(entry) = i.knowledge.entry(ns, name) else {
        return Form::value(FormKind::Map(items));
    };
    if entry.is_macro {
        items.extend([Form::keyword("macro"), Form::value(FormKind::Bool(true))]);
    }
    if let Some(FormKind::Map(own)) = entry.meta().map(|m| &*m.kind) {
        for pair in own.chunks(2) {
            let value = if pair[0] == Form::keyword("arglists") {
                Form::value(FormKind::List(entry.arglists()))
            } else {
                pair[1].clone()
            };
            match items.chunks(2).position(|kv| kv[0] == pair[0]) {
                Some(at) => items[2 * at + 1] = value,
                None => items.extend([pair[0].clone(), value]),
            }
        }
    }
    Form::value(FormKind::Map(items))
}

fn meta_with_position(form: &Form) -> Form {
    let explicit = form.meta.as_deref().cloned();
    if !matches!(*form.kind, FormKind::List(_)) || !form.pos.is_known() {
        return explicit.unwrap_or_else(Form::nil);
    }
    let mut items = vec![
        Form::keyword("line"),
        Form::value(FormKind::Int(i64::from(form.pos.line))),
        Form::keyword("column"),
        Form::value(FormKind::Int(i64::from(form.pos.column))),
    ];
    if let Some(FormKind::Map(own)) = explicit.as_ref().map(|m| &*m.kind) {
        for pair in own.chunks(2) {
            if let Some(at) = items.chunks(2).position(|kv| kv[0] == pair[0]) {
                items[2 * at + 1] = pair[1].clone();
            } else {
                items.extend(pair.iter().cloned());
            }
        }
    }
    Form::value(FormKind::Map(items))
}

/// A symbol's text, `ns/name` when qualified; None for anything else.
fn symbol_text(form: &Form) -> Option<String> {
    match &*form.kind {
        FormKind::Symbol { ns, name } if ns.is_empty() => Some(name.clone()),
        FormKind::Symbol { ns, name } => Some(format!("{ns}/{name}")),
        _ => None,
    }
}

/// A test of a name or a docstring.
type TextTest = Box<dyn Fn(&str) -> bool>;

/// apropos's and find-doc's test of a name or docstring: a regex finds a
/// match in it; a string is contained in it (apropos) or is a regex itself
/// (find-doc, which calls re-pattern on it).
fn repl_matcher(pattern: &Form, string_is_regex: bool) -> Result<TextTest> {
    let regex = match &*pattern.kind {
        FormKind::Str(text) if !string_is_regex => {
            let text = text.clone();
            return Ok(Box::new(move |s: &str| s.contains(&text)));
        }
        FormKind::Str(text) | FormKind::Regex(text) => text,
        _ => {
            return error(format!(
                "expected a string or a regex, got {}",
                pattern.describe()
            ))
        }
    };
    match fancy_regex::Regex::new(regex) {
        Ok(re) => Ok(Box::new(move |s: &str| re.is_match(s).unwrap_or(false))),
        Err(e) => error(format!("Invalid regex {regex:?}: {e}")),
    }
}
