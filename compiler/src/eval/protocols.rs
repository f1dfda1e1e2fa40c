//! Protocols at compile time: a macro's helper may call a protocol method
//! of its library on the forms it compiles, as hiccup's `html` turns a tag
//! into text with its `ToString`. A protocol method's var holds a method
//! here too (`protocol-method*` makes one), and each top-level extension
//! (`add-protocol-impl*`, what `extend-type` and `extend-protocol` expand
//! to; the analyzer notes them) adds the implementation for a type key.
//! A call dispatches on the type key of its first argument, as the
//! compiler's `class` gives it (`:string`, `:keyword`, `:nil`), then on the
//! implementation for numbers, then on `Object`'s.
//!
//! A method is a cell holding `{MARKER name, :impls {type-key fn}}`, so
//! that implementations added later reach every holder of the value.

use std::sync::{Arc, Mutex};

use super::{builtins, error, Interp, Result};
use crate::form::{Form, FormKind};

const MARKER: &str = "compile-time-protocol-method";

fn key(name: &str) -> Form {
    Form::value(FormKind::Keyword {
        ns: "jank.hot-reload".to_owned(),
        name: name.to_owned(),
        auto: false,
    })
}

/// A protocol method named `name` with no implementations.
pub fn new_method(name: &str) -> Form {
    let state = Form::value(FormKind::Map(vec![
        key(MARKER),
        Form::value(FormKind::Str(name.to_owned())),
        Form::keyword("impls"),
        Form::value(FormKind::Map(Vec::new())),
    ]));
    Form::value(FormKind::Cell(Arc::new(Mutex::new(state))))
}

fn state_of(f: &Form) -> Option<(&Arc<Mutex<Form>>, Form)> {
    let FormKind::Cell(cell) = &*f.kind else {
        return None;
    };
    let state = cell
        .lock()
        .map(|s| s.clone())
        .unwrap_or_else(|p| p.into_inner().clone());
    builtins::get(&state, &key(MARKER)).map(|_| (cell, state))
}

pub fn is_method(f: &Form) -> bool {
    state_of(f).is_some()
}

/// Adds (or replaces) the implementation for `type_key`; false when `f` is
/// not a protocol method.
pub fn add_impl(f: &Form, type_key: Form, implementation: Form) -> bool {
    let Some((cell, state)) = state_of(f) else {
        return false;
    };
    let Some(FormKind::Map(impls)) =
        builtins::get(&state, &Form::keyword("impls")).map(|m| (*m.kind).clone())
    else {
        return false;
    };
    let mut impls = impls;
    match impls.chunks(2).position(|pair| pair[0] == type_key) {
        Some(i) => impls[2 * i + 1] = implementation,
        None => impls.extend([type_key, implementation]),
    }
    let FormKind::Map(entries) = &*state.kind else {
        return false;
    };
    let mut entries = entries.clone();
    for pair in entries.chunks_mut(2) {
        if pair[0] == Form::keyword("impls") {
            pair[1] = Form::value(FormKind::Map(impls.clone()));
        }
    }
    let updated = Form::value(FormKind::Map(entries));
    match cell.lock() {
        Ok(mut slot) => *slot = updated,
        Err(p) => *p.into_inner() = updated,
    }
    true
}

/// Calls the protocol method `f` (one, as `is_method` says) on `args`.
pub fn call(interp: &mut Interp<'_>, f: &Form, args: Vec<Form>) -> Result<Form> {
    let Some((_, state)) = state_of(f) else {
        return error("internal error: not a protocol method");
    };
    let name = match builtins::get(&state, &key(MARKER)).map(|n| (*n.kind).clone()) {
        Some(FormKind::Str(name)) => name,
        _ => "a protocol method".to_owned(),
    };
    let Some(target) = args.first() else {
        return error(format!("Wrong number of args (0) passed to: {name}"));
    };
    let impls = builtins::get(&state, &Form::keyword("impls")).unwrap_or_else(Form::nil);
    let kind = super::text::type_key(target);
    let number = matches!(
        kind,
        "integer" | "double" | "ratio" | "big-integer" | "big-decimal"
    );
    let candidates = [
        Some(kind),
        number.then_some("number"),
        (kind != "nil").then_some("object"),
        Some("default"),
    ];
    for candidate in candidates.into_iter().flatten() {
        if let Some(implementation) = builtins::get(&impls, &Form::keyword(candidate)) {
            return interp.apply(&implementation, args);
        }
    }
    error(format!(
        "No implementation of method: {name} found for a value of type {kind} in a macro (the compiler runs the extensions of built-in types, written at the top level)"
    ))
}
