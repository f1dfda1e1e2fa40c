//! Records, deftypes and reify at compile time: a macro's helper may make
//! and use its library's types, as hiccup's `html` wraps text in its
//! `RawString` and camel-snake-kebab's `defconversion` splits names with a
//! `reify`. The prelude's `defrecord`, `deftype` and `reify` expand to the
//! natives below (`record-type*`, `make-instance*`, `type-method*`, ...);
//! here they make values the evaluator understands, with the behaviour the
//! page's runtime gives them:
//! - a type is a marked cell (cells.rs) with its basis fields, its slots
//!   (`:to-string`, `:equals`, `:hash`, `:invoke`, `:deref`, ...: what the
//!   type's Object and interface methods fill) and its interfaces;
//! - an instance is a marked cell with its type and its fields by key. A
//!   record's instance is also a map of its fields: `get`, keywords, `=` and
//!   the map functions see them (`as_map`).
//!
//! Protocol methods dispatch on an instance's type name (protocols.rs).

use super::builtins::{arity, items};
use super::{cells, error, Builtin, Interp, Result};
use crate::form::{Form, FormKind};

const TYPE: &str = "compile-time-type";
const INSTANCE: &str = "compile-time-instance";

fn map_of(entries: Vec<Form>) -> Form {
    Form::value(FormKind::Map(entries))
}

/// The state of `f` when it is one of this module's instances.
fn instance_state(f: &Form) -> Option<Form> {
    cells::marked(f, INSTANCE).map(|(_, state)| state)
}

/// The name of an instance's type (`hiccup.util.RawString`), the key its
/// protocol implementations are found under.
pub fn type_name(f: &Form) -> Option<String> {
    instance_state(f).map(|state| cells::name_of(&state, INSTANCE))
}

/// The name of a type value (what `record-type*` made).
pub fn name_of_type(f: &Form) -> Option<String> {
    cells::marked(f, TYPE).map(|(_, state)| cells::name_of(&state, TYPE))
}

pub fn is_record(f: &Form) -> bool {
    instance_state(f).is_some_and(|state| cells::field(&state, "record").truthy())
}

/// A record's fields as a map, in their order: what map functions see.
pub fn as_map(f: &Form) -> Option<Form> {
    let state = instance_state(f)?;
    cells::field(&state, "record")
        .truthy()
        .then(|| cells::field(&state, "fields"))
}

/// A field of an instance (of a record, its key's value), when `f` is one.
pub fn field(f: &Form, key: &Form) -> Option<Option<Form>> {
    let state = instance_state(f)?;
    Some(super::builtins::get(&cells::field(&state, "fields"), key))
}

/// The type of an instance: what `class` and `type` give.
pub fn type_of(f: &Form) -> Option<Form> {
    instance_state(f).map(|state| cells::field(&state, "type"))
}

/// The method of an instance's type by its JVM name (`valAt`, `length`).
pub fn named_method(f: &Form, name: &str) -> Option<Form> {
    let (_, state) = cells::marked(&type_of(f)?, TYPE)?;
    super::builtins::get(
        &cells::field(&state, "methods"),
        &Form::value(FormKind::Str(name.to_owned())),
    )
}

/// The fn an instance's type put in `slot` (`:to-string`, `:equals`, ...).
pub fn slot(f: &Form, slot: &str) -> Option<Form> {
    let (_, state) = cells::marked(&type_of(f)?, TYPE)?;
    super::builtins::get(&cells::field(&state, "slots"), &Form::keyword(slot))
}

/// Whether `f` is an instance of the type value `class`, or of a type that
/// implements the interface `class` names.
pub fn is_instance_of(class: &Form, f: &Form) -> bool {
    match (name_of_type(class), type_name(f)) {
        (Some(class), Some(name)) => class == name,
        _ => false,
    }
}

/// Whether an instance's type lists the interface `simple` (a name's
/// last segment) among those it implements.
pub fn implements(f: &Form, simple: &str) -> bool {
    let Some(own_type) = type_of(f) else {
        return false;
    };
    let Some((_, state)) = cells::marked(&own_type, TYPE) else {
        return false;
    };
    items(&cells::field(&state, "interfaces")).is_ok_and(|names| {
        names
            .iter()
            .any(|n| crate::form::str_of(n).rsplit('.').next() == Some(simple))
    })
}

/// What `str` gives for an instance: its toString, or `name@0` as the
/// JVM's Object.toString (the compiler has no identity hash to show).
pub fn text(interp: &mut Interp<'_>, f: &Form) -> Result<Option<String>> {
    let Some(name) = type_name(f) else {
        return Ok(None);
    };
    match slot(f, "to-string") {
        Some(to_string) => {
            let text = interp.apply(&to_string, vec![f.clone()])?;
            Ok(Some(crate::form::str_of(&text)))
        }
        None => Ok(Some(format!("{name}@0"))),
    }
}

/// `=` of two values when either is an instance: a deftype's equals, a
/// record's type and fields, else identity.
pub fn equal(interp: &mut Interp<'_>, a: &Form, b: &Form) -> Result<Option<bool>> {
    if type_name(a).is_none() && type_name(b).is_none() {
        return Ok(None);
    }
    if let Some(equals) = slot(a, "equals") {
        let same = interp.apply(&equals, vec![a.clone(), b.clone()])?;
        return Ok(Some(same.truthy()));
    }
    if let (Some(x), Some(y)) = (as_map(a), as_map(b)) {
        return Ok(Some(type_name(a) == type_name(b) && x == y));
    }
    Ok(Some(a == b))
}

/// How an instance prints, given what its cell holds: a record as
/// `#my.ns.R{:a 1}`, a deftype as an object; None for any other cell.
pub fn printed(state: &Form) -> Option<String> {
    // A type prints as its name, as a class does.
    if let Some(name) = super::builtins::get(state, &cells::own_key(TYPE)) {
        return Some(crate::form::str_of(&name));
    }
    let name = super::builtins::get(state, &cells::own_key(INSTANCE))?;
    let name = crate::form::str_of(&name);
    Some(if cells::field(state, "record").truthy() {
        format!(
            "#{name}{}",
            crate::form::pr_str(&cells::field(state, "fields"))
        )
    } else {
        format!("#object[{name}]")
    })
}

fn new_type(name: &Form, fields: &Form) -> Result<Form> {
    let FormKind::Str(name) = &*name.kind else {
        return error(format!(
            "a type's name must be a string, got {}",
            name.describe()
        ));
    };
    Ok(cells::new(
        TYPE,
        name,
        vec![
            ("fields", Form::value(FormKind::Vector(items(fields)?))),
            ("slots", map_of(Vec::new())),
            // Its methods by JVM name, for (.valAt x k) and (.length x).
            ("methods", map_of(Vec::new())),
            ("interfaces", Form::value(FormKind::Vector(Vec::new()))),
        ],
    ))
}

/// A new instance of `type_value` with `fields`, a map by key.
fn new_instance(type_value: &Form, record: bool, fields: Form) -> Result<Form> {
    let Some(name) = name_of_type(type_value) else {
        return error(format!("{} is not a type", type_value.describe()));
    };
    Ok(cells::new(
        INSTANCE,
        &name,
        vec![
            ("type", type_value.clone()),
            ("record", Form::value(FormKind::Bool(record))),
            ("fields", fields),
        ],
    ))
}

/// The basis fields of a type value, as keywords.
fn basis(type_value: &Form) -> Result<Vec<Form>> {
    match cells::marked(type_value, TYPE) {
        Some((_, state)) => items(&cells::field(&state, "fields")),
        None => error(format!("{} is not a type", type_value.describe())),
    }
}

/// `(make-instance* T [v ...])` and `(make-record* T [v ...])`.
fn construct(a: &[Form], record: bool) -> Result<Form> {
    let keys = basis(&a[0])?;
    let values = items(&a[1])?;
    if keys.len() != values.len() {
        return error(format!(
            "Wrong number of args ({}) passed to the constructor of {}",
            values.len(),
            name_of_type(&a[0]).unwrap_or_default()
        ));
    }
    let fields = keys
        .into_iter()
        .zip(values)
        .flat_map(|(k, v)| [k, v])
        .collect();
    new_instance(&a[0], record, map_of(fields))
}

/// Puts `f` in a type's `slot`.
fn fill_slot(type_value: &Form, slot: &str, f: Form) -> Result<Form> {
    let Some((cell, _)) = cells::marked(type_value, TYPE) else {
        return error(format!("{} is not a type", type_value.describe()));
    };
    cells::put(cell, "slots", Form::keyword(slot), f);
    Ok(Form::nil())
}

/// Calls clojure.core's `name` (a builtin, or the prelude's fn).
fn same_as(name: &str, interp: &mut Interp<'_>, args: Vec<Form>) -> Result<Form> {
    let f = interp.knowledge.compile_time_value("clojure.core", name)?;
    interp.apply(&f, args)
}

builtins_named! {TYPE_BUILTINS,
    // (.valAt x k), (.run r): the method of that name x's type implements,
    // else the fallback fn (clojure.core's of the name) on x.
    ("interop-method*", |i, a| {
        arity("interop-method*", &a, |n| n >= 3)?;
        let own = named_method(&a[0], &crate::form::str_of(&a[1]));
        let mut args = vec![a[0].clone()];
        args.extend(a[3..].iter().cloned());
        match own {
            Some(method) => i.apply(&method, args),
            None if a[2].truthy() => i.apply(&a[2], args),
            None => error(format!("No method .{} for {} in a macro", crate::form::str_of(&a[1]), a[0].describe())),
        }
    }),
    ("record-type*", |_, a| {
        arity("record-type*", &a, |n| n == 2)?;
        new_type(&a[0], &a[1])
    }),
    ("reify-type*", |_, a| {
        arity("reify-type*", &a, |n| n == 2)?;
        new_type(&a[0], &a[1])
    }),
    ("make-instance*", |_, a| {
        arity("make-instance*", &a, |n| n == 2)?;
        construct(&a, false)
    }),
    ("make-record*", |_, a| {
        arity("make-record*", &a, |n| n == 2)?;
        construct(&a, true)
    }),
    // The basis fields first, in order (nil where m has none), then m's
    // other keys, as map->R gives them.
    ("map->record*", |_, a| {
        arity("map->record*", &a, |n| n == 2)?;
        let keys = basis(&a[0])?;
        let given = as_map(&a[1]).unwrap_or_else(|| a[1].clone());
        let mut fields = Vec::new();
        for key in &keys {
            let value = super::builtins::get(&given, key).unwrap_or_else(Form::nil);
            fields.extend([key.clone(), value]);
        }
        if let FormKind::Map(entries) = &*given.kind {
            for pair in entries.chunks(2) {
                if !keys.contains(&pair[0]) {
                    fields.extend(pair.iter().cloned());
                }
            }
        }
        new_instance(&a[0], true, map_of(fields))
    }),
    // (.-s x) and a method's field locals; the var fallback is (.s x) on a
    // value without a field s.
    ("field-of*", |i, a| {
        arity("field-of*", &a, |n| n == 2 || n == 3)?;
        match field(&a[0], &a[1]) {
            Some(Some(value)) => Ok(value),
            _ if a.len() == 3 => i.apply(&a[2], vec![a[0].clone()]),
            Some(None) => Ok(Form::nil()),
            None => match &*a[0].kind {
                FormKind::Map(_) => Ok(super::builtins::get(&a[0], &a[1]).unwrap_or_else(Form::nil)),
                _ => error(format!(
                    "No matching field found: {} for {}",
                    crate::form::str_of(&a[1]).trim_start_matches(':'),
                    a[0].describe()
                )),
            },
        }
    }),
    ("set-field!*", |_, a| {
        arity("set-field!*", &a, |n| n == 3)?;
        let Some((cell, _)) = cells::marked(&a[0], INSTANCE) else {
            return error(format!("set! of a field needs a deftype instance, got {}", a[0].describe()));
        };
        cells::put(cell, "fields", a[1].clone(), a[2].clone());
        Ok(a[2].clone())
    }),
    ("record-to-string*", |_, a| {
        arity("record-to-string*", &a, |n| n == 2)?;
        fill_slot(&a[0], "to-string", a[1].clone())
    }),
    ("type-method*", |_, a| {
        arity("type-method*", &a, |n| n == 3 || n == 4)?;
        let FormKind::Keyword { name, .. } = &*a[1].kind else {
            return error(format!("type-method* needs a slot keyword, got {}", a[1].describe()));
        };
        // By its JVM name too, for (.valAt x k) (interop-method*).
        if let (Some(method), Some((cell, _))) = (a.get(3), cells::marked(&a[0], TYPE)) {
            cells::put(cell, "methods", method.clone(), a[2].clone());
        }
        fill_slot(&a[0], name, a[2].clone())
    }),
    ("type-interface*", |_, a| {
        arity("type-interface*", &a, |n| n == 2)?;
        let Some((cell, state)) = cells::marked(&a[0], TYPE) else {
            return error(format!("{} is not a type", a[0].describe()));
        };
        let mut interfaces = items(&cells::field(&state, "interfaces"))?;
        interfaces.push(a[1].clone());
        cells::set(cell, "interfaces", Form::value(FormKind::Vector(interfaces)));
        Ok(Form::nil())
    }),
    // Which protocols a type implements inline matters to satisfies? in
    // the page; protocol calls here find the implementation by type name.
    // instance? of the protocol asks its type's interfaces.
    ("implemented-inline*", |_, a| {
        arity("implemented-inline*", &a, |n| n == 2)?;
        let Some((cell, state)) = cells::marked(&a[1], TYPE) else {
            return Ok(Form::nil());
        };
        let Some(name) = super::builtins::get(&a[0], &Form::keyword("protocol")) else {
            return Ok(Form::nil());
        };
        let mut interfaces = items(&cells::field(&state, "interfaces"))?;
        let name = crate::form::str_of(&name);
        let simple = name.rsplit('/').next().unwrap_or(&name);
        interfaces.push(Form::symbol(simple, a[1].pos));
        cells::set(cell, "interfaces", Form::value(FormKind::Vector(interfaces)));
        Ok(Form::nil())
    }),
    // Transients, for helpers that build with them: a macro's values are
    // never shared in place, so a transient is the collection itself and
    // conj! is conj (code that uses what conj! returns, as it must, sees
    // the same results).
    ("transient", |_, a| {
        arity("transient", &a, |n| n == 1)?;
        Ok(a[0].clone())
    }),
    ("persistent!", |_, a| {
        arity("persistent!", &a, |n| n == 1)?;
        Ok(a[0].clone())
    }),
    ("conj!", |i, a| same_as("conj", i, a)),
    ("assoc!", |i, a| same_as("assoc", i, a)),
    ("dissoc!", |i, a| same_as("dissoc", i, a)),
    ("disj!", |i, a| same_as("disj", i, a)),
    ("pop!", |i, a| same_as("pop", i, a)),
    ("record?", |_, a| {
        arity("record?", &a, |n| n == 1)?;
        Ok(Form::value(FormKind::Bool(is_record(&a[0]))))
    }),
}

/// The builtins that see a record as itself; every other builtin sees a
/// record's fields as a map (`keys`, `count`, `contains?`, `merge`, ...), as
/// a record is a map in Clojure. (`assoc` and its kin then give a map, not
/// a record: the page's runtime keeps the type.)
const SEES_RECORDS: &[&str] = &[
    "class",
    "type",
    "instance?",
    "record?",
    "identical?",
    "=",
    "not=",
    "str",
    "print-str",
    "println",
    "pr-str",
    "prn",
    "get",
    "field-of*",
    "set-field!*",
    "map->record*",
    "satisfies?",
    "interop-method*",
    "jvm-method*",
    "seq?",
    "sequential?",
    "coll?",
    "map?",
    "vector?",
    "set?",
    "list?",
    "seqable?",
    "counted?",
    "associative?",
    "meta",
];

/// The builtins that call a type's own method when their first argument's
/// type has one (`(count x)` calls its Counted count), by slot.
const OWN_METHODS: &[(&str, &str, usize)] = &[
    ("count", "count", 1),
    ("seq", "seq", 1),
    ("first", "first", 1),
    ("next", "next", 1),
    ("rest", "more", 1),
    ("nth", "nth", 2),
    ("nth", "nth", 3),
    ("assoc", "assoc", 3),
    ("conj", "cons", 2),
    ("empty", "empty", 1),
    ("peek", "peek", 1),
    ("pop", "pop", 1),
    ("contains?", "containsKey", 2),
    ("dissoc", "without", 2),
    ("find", "entryAt", 2),
    ("meta", "meta", 1),
    ("with-meta", "withMeta", 2),
    ("hash", "hash", 1),
];

/// `(count x)` and the others of OWN_METHODS when x's type has the method.
pub fn own_method(interp: &mut Interp<'_>, name: &str, args: &[Form]) -> Option<Result<Form>> {
    let target = args.first()?;
    let by_slot = OWN_METHODS
        .iter()
        .filter(|(builtin, _, n)| *builtin == name && *n == args.len())
        .find_map(|(_, slot_name, _)| slot(target, slot_name));
    // The builtins the analyzer writes for a JVM method (.subSequence is
    // subs): a CharSequence type's own method of that name.
    let by_name = || {
        OWN_NAMED_METHODS
            .iter()
            .filter(|(builtin, _, n)| *builtin == name && *n == args.len())
            .find_map(|(_, method, _)| named_method(target, method))
    };
    let f = by_slot.or_else(by_name)?;
    Some(interp.apply(&f, args.to_vec()))
}

/// Builtins to the JVM methods of a type's own they stand for.
const OWN_NAMED_METHODS: &[(&str, &str, usize)] = &[
    ("subs", "subSequence", 3),
    ("subs", "substring", 2),
    ("count", "length", 1),
    ("count", "size", 1),
];

/// `args` with each instance of a Seqable type replaced by the list its
/// seq gives, so that map, reduce and the other builtins walk it.
pub fn seqables_as_lists(
    interp: &mut Interp<'_>,
    name: &str,
    mut args: Vec<Form>,
) -> Result<Vec<Form>> {
    if SEES_RECORDS.contains(&name) {
        return Ok(args);
    }
    let count = args.len();
    for (i, arg) in args.iter_mut().enumerate() {
        // What it keeps as a value: an element, reduce's init, into's target.
        let kept = is_element(name, i)
            || (name == "reduce" && i == 1 && count == 3)
            || (name == "into" && i == 0);
        if kept {
            continue;
        }
        *arg = seq_as_list(interp, arg.clone())?;
        // (ffirst rows): the first item is walked too.
        if matches!(name, "ffirst" | "nfirst") && arg.truthy() {
            let mut items = super::builtins::items(arg)?;
            if let Some(first) = items.first_mut() {
                *first = seq_as_list(interp, first.clone())?;
            }
            *arg = Form::value(FormKind::List(items));
        }
    }
    Ok(args)
}

/// The list an instance of a Seqable type's seq gives; any other value as it is.
fn seq_as_list(interp: &mut Interp<'_>, x: Form) -> Result<Form> {
    let Some(seq) = slot(&x, "seq") else {
        return Ok(x);
    };
    let mut items = Vec::new();
    let mut at = interp.apply(&seq, vec![x])?;
    // A seq of the type's own (an ISeq deftype) steps by its first and next.
    while at.truthy() {
        if let (Some(first), Some(next)) = (slot(&at, "first"), slot(&at, "next")) {
            items.push(interp.apply(&first, vec![at.clone()])?);
            at = interp.apply(&next, vec![at])?;
            continue;
        }
        items.extend(super::builtins::items(&at)?);
        break;
    }
    Ok(Form::value(FormKind::List(items)))
}

/// The builtins whose result is a record of the first argument's type when
/// that is a record, as `(assoc r :k v)` is in Clojure.
const KEEP_RECORDS: &[&str] = &[
    "assoc",
    "dissoc",
    "conj",
    "merge",
    "into",
    "with-meta",
    "vary-meta",
];

/// The record type `name` keeps: its first argument's, when that is a record.
pub fn record_kept_by(name: &str, args: &[Form]) -> Option<Form> {
    if !KEEP_RECORDS.contains(&name) {
        return None;
    }
    let first = args.first()?;
    is_record(first).then(|| type_of(first)).flatten()
}

/// `value`, a map a builtin made from a record of `record_type`, as a
/// record of that type again; a plain map when a basis key is gone, as
/// `dissoc` of one gives in Clojure.
pub fn as_record_of(record_type: &Form, value: Form) -> Form {
    let (Ok(keys), FormKind::Map(entries)) = (basis(record_type), &*value.kind) else {
        return value;
    };
    if !keys
        .iter()
        .all(|k| super::builtins::get(&value, k).is_some())
    {
        return value;
    }
    let mut fields = Vec::new();
    for key in &keys {
        fields.extend([
            key.clone(),
            super::builtins::get(&value, key).unwrap_or_else(Form::nil),
        ]);
    }
    for pair in entries.chunks(2) {
        if !keys.contains(&pair[0]) {
            fields.extend(pair.iter().cloned());
        }
    }
    let meta = value.meta.clone();
    match new_instance(record_type, true, map_of(fields)) {
        Ok(mut record) => {
            record.meta = meta;
            record
        }
        Err(_) => value,
    }
}

/// Whether argument `i` of the builtin `name` is a value it keeps as it is
/// (an element it puts in a collection, a value it stores), where a record
/// stays a record: `(conj stack r)`, `(vector r)`, `(reset! a r)`.
fn is_element(name: &str, i: usize) -> bool {
    match name {
        "conj" | "assoc" | "reset!" | "vreset!" | "disj" => i >= 1,
        "cons" | "atom" | "volatile!" | "interpose" => i == 0,
        "swap!" | "vswap!" => i >= 2,
        "list" | "vector" | "hash-set" | "hash-map" | "array-map" | "list*" | "apply"
        | "identity" | "repeat" | "some?" | "nil?" | "str" | "pr-str" | "prn" | "println"
        | "print-str" | "throw-error" => true,
        _ => false,
    }
}

/// `args` with each record replaced by its fields' map, unless the builtin
/// `name` sees records as themselves.
pub fn records_as_maps(name: &str, mut args: Vec<Form>) -> Vec<Form> {
    if SEES_RECORDS.contains(&name) {
        return args;
    }
    for (i, arg) in args.iter_mut().enumerate() {
        if is_element(name, i) {
            continue;
        }
        if let FormKind::Cell(_) = &*arg.kind {
            if let Some(fields) = as_map(arg) {
                *arg = fields;
            }
        }
    }
    args
}
