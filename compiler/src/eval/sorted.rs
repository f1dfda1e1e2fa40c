//! Sorted maps and sets at compile time: `(into (sorted-map) m)` in a
//! macro, or a library's helper that keeps its state in one (instaparse's
//! parser keeps listeners by index in a `(sorted-map-by >)`).
//!
//! One is a map or set whose metadata holds its comparator under the
//! project's own key (nil for `compare`); the builtins that make a new
//! collection from one (`assoc`, `conj`, `dissoc`, `merge`, `into`, ...)
//! give a sorted one again, its entries in the comparator's order, so
//! `first`, `seq` and printing see them sorted. `meta` leaves the key out,
//! and the analyzer compiles one into the page as a sorted collection.

use super::builtins::{arity, items};
use super::{cells, Builtin, Interp, Result};
use crate::form::{Form, FormKind};
use std::cmp::Ordering;
use std::sync::Arc;

const SORTED_BY: &str = "sorted-by";

/// The builtins that make a new collection from their first argument.
const KEEP_SORTED: &[&str] = &[
    "assoc",
    "dissoc",
    "conj",
    "merge",
    "into",
    "disj",
    "empty",
    "with-meta",
    "vary-meta",
];

/// The comparator of a sorted map or set (nil for `compare`), or None
/// when `f` is not one.
pub fn comparator(f: &Form) -> Option<Form> {
    let meta = f.meta.as_deref()?;
    super::builtins::get(meta, &cells::own_key(SORTED_BY))
}

/// The comparator the builtin `name` keeps: its first argument's, when
/// that is a sorted collection.
pub fn kept_by(name: &str, args: &[Form]) -> Option<Form> {
    if !KEEP_SORTED.contains(&name) {
        return None;
    }
    comparator(args.first()?)
}

/// `value`, a map or set a builtin made from a sorted one, sorted by
/// `cmp` again and marked as sorted.
pub fn sorted(interp: &mut Interp<'_>, cmp: &Form, value: Form) -> Result<Form> {
    let kind = match &*value.kind {
        FormKind::Map(entries) => {
            let mut pairs: Vec<(Form, Form)> = entries
                .chunks(2)
                .map(|kv| (kv[0].clone(), kv.get(1).cloned().unwrap_or_else(Form::nil)))
                .collect();
            sort_by(interp, cmp, &mut pairs, |(k, _)| k)?;
            FormKind::Map(pairs.into_iter().flat_map(|(k, v)| [k, v]).collect())
        }
        FormKind::Set(items) => {
            let mut items = items.clone();
            sort_by(interp, cmp, &mut items, |x| x)?;
            FormKind::Set(items)
        }
        _ => return Ok(value),
    };
    Ok(mark(
        Form {
            kind: Arc::new(kind),
            ..value
        },
        cmp,
    ))
}

/// `f` with the sorted marker in its metadata.
fn mark(mut f: Form, cmp: &Form) -> Form {
    let mut meta = match f.meta.as_deref().map(|m| &*m.kind) {
        Some(FormKind::Map(entries)) => entries.clone(),
        _ => Vec::new(),
    };
    match meta
        .chunks(2)
        .position(|kv| kv[0] == cells::own_key(SORTED_BY))
    {
        Some(at) => meta[2 * at + 1] = cmp.clone(),
        None => meta.extend([cells::own_key(SORTED_BY), cmp.clone()]),
    }
    f.meta = Some(Arc::new(Form::value(FormKind::Map(meta))));
    f
}

/// Metadata as the program sees it: without the sorted marker.
pub fn visible_meta(meta: Form) -> Form {
    match &*meta.kind {
        FormKind::Map(entries)
            if entries
                .chunks(2)
                .any(|kv| kv[0] == cells::own_key(SORTED_BY)) =>
        {
            let rest: Vec<Form> = entries
                .chunks(2)
                .filter(|kv| kv[0] != cells::own_key(SORTED_BY))
                .flatten()
                .cloned()
                .collect();
            if rest.is_empty() {
                Form::nil()
            } else {
                Form::value(FormKind::Map(rest))
            }
        }
        _ => meta,
    }
}

/// Sorts `items` by the comparator: `compare` when nil, else a fn giving a
/// number (negative when before) or a boolean (true when before), as
/// Clojure's comparators do.
fn sort_by<T>(
    interp: &mut Interp<'_>,
    cmp: &Form,
    items: &mut [T],
    key: impl Fn(&T) -> &Form,
) -> Result<()> {
    if !cmp.truthy() {
        items.sort_by(|a, b| super::builtins::compare(key(a), key(b)));
        return Ok(());
    }
    // Insertion sort: the comparator may fail, and a macro's maps are small.
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && order(interp, cmp, key(&items[j]), key(&items[j - 1]))? == Ordering::Less {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
    Ok(())
}

fn order(interp: &mut Interp<'_>, cmp: &Form, a: &Form, b: &Form) -> Result<Ordering> {
    let result = interp.apply(cmp, vec![a.clone(), b.clone()])?;
    Ok(match &*result.kind {
        FormKind::Int(n) => n.cmp(&0),
        FormKind::Float(n) => n.partial_cmp(&0.0).unwrap_or(Ordering::Equal),
        _ if result.truthy() => Ordering::Less,
        _ => {
            if interp.apply(cmp, vec![b.clone(), a.clone()])?.truthy() {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
    })
}

/// A new sorted map of `kvs` or set of `xs`, by `cmp`.
fn new_sorted(interp: &mut Interp<'_>, cmp: Form, kind: FormKind) -> Result<Form> {
    let empty = mark(
        Form::value(match kind {
            FormKind::Map(_) => FormKind::Map(Vec::new()),
            _ => FormKind::Set(Vec::new()),
        }),
        &cmp,
    );
    let items = match kind {
        FormKind::Map(kvs) => kvs,
        FormKind::Set(xs) => xs,
        _ => Vec::new(),
    };
    let mut coll = empty;
    let is_map = matches!(*coll.kind, FormKind::Map(_));
    if is_map {
        let mut entries = Vec::new();
        for kv in items.chunks(2) {
            let value = kv.get(1).cloned().unwrap_or_else(Form::nil);
            match entries.chunks(2).position(|e: &[Form]| e[0] == kv[0]) {
                Some(at) => entries[2 * at + 1] = value,
                None => entries.extend([kv[0].clone(), value]),
            }
        }
        coll = Form {
            kind: Arc::new(FormKind::Map(entries)),
            ..coll
        };
    } else {
        let mut unique: Vec<Form> = Vec::new();
        for x in items {
            if !unique.contains(&x) {
                unique.push(x);
            }
        }
        coll = Form {
            kind: Arc::new(FormKind::Set(unique)),
            ..coll
        };
    }
    sorted(interp, &cmp, coll)
}

builtins_named! {SORTED_BUILTINS,
    ("sorted-map", |i, a| new_sorted(i, Form::nil(), FormKind::Map(a))),
    ("sorted-map-by", |i, mut a| {
        arity("sorted-map-by", &a, |n| n % 2 == 1)?;
        let cmp = a.remove(0);
        new_sorted(i, cmp, FormKind::Map(a))
    }),
    ("sorted-set", |i, a| new_sorted(i, Form::nil(), FormKind::Set(a))),
    ("sorted-set-by", |i, mut a| {
        arity("sorted-set-by", &a, |n| n >= 1)?;
        let cmp = a.remove(0);
        new_sorted(i, cmp, FormKind::Set(a))
    }),
    ("sorted?", |_, a| {
        arity("sorted?", &a, |n| n == 1)?;
        Ok(Form::value(FormKind::Bool(comparator(&a[0]).is_some())))
    }),
    // (subseq sc test key) and with two bounds: the entries past the bounds.
    ("subseq", |i, a| subseq(i, a, false)),
    ("rsubseq", |i, a| subseq(i, a, true)),
}

fn subseq(interp: &mut Interp<'_>, a: Vec<Form>, reversed: bool) -> Result<Form> {
    arity("subseq", &a, |n| n == 3 || n == 5)?;
    let Some(cmp) = comparator(&a[0]) else {
        return super::error("subseq needs a sorted collection");
    };
    let is_map = matches!(*a[0].kind, FormKind::Map(_));
    let mut kept = Vec::new();
    for entry in items(&a[0])? {
        let key = if is_map {
            super::builtins::nth(&entry, &Form::value(FormKind::Int(0)), None)?
        } else {
            entry.clone()
        };
        let mut pass = true;
        for bound in a[1..].chunks(2) {
            let ordering = if cmp.truthy() {
                order(interp, &cmp, &key, &bound[1])?
            } else {
                super::builtins::compare(&key, &bound[1])
            };
            let test = match &*bound[0].kind {
                FormKind::Builtin(b) => b.name,
                _ => "",
            };
            pass &= match test {
                "<" => ordering == Ordering::Less,
                "<=" => ordering != Ordering::Greater,
                ">" => ordering == Ordering::Greater,
                ">=" => ordering != Ordering::Less,
                _ => true,
            };
        }
        if pass {
            kept.push(entry);
        }
    }
    if reversed {
        kept.reverse();
    }
    Ok(if kept.is_empty() {
        Form::nil()
    } else {
        Form::value(FormKind::List(kept))
    })
}
