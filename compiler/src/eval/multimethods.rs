//! Multimethods at compile time: a macro's helper may dispatch through a
//! `defmulti` of its library, as hiccup's `html` compiles each element with
//! one. A top-level `defmulti` gives its var a compile-time multimethod, and
//! each top-level `defmethod` adds its method to it (the analyzer notes
//! both); calling one dispatches as Clojure's does, on `=` to a method's
//! dispatch value, then on the default. The page gets its own multimethod
//! from the same forms, as before.
//!
//! A multimethod is a cell holding a map, so that methods added later reach
//! every holder of the value: `{MARKER name, :dispatch f, :default d,
//! :methods {dispatch-value method}}`.

use std::sync::{Arc, Mutex};

use super::{builtins, error, Interp, Result};
use crate::form::{Form, FormKind};

/// The key that marks a cell as a multimethod's.
const MARKER: &str = "compile-time-multimethod";

fn key(name: &str) -> Form {
    Form::value(FormKind::Keyword {
        ns: "jank.hot-reload".to_owned(),
        name: name.to_owned(),
        auto: false,
    })
}

/// A new multimethod named `name` ("ns/name") with no methods.
pub fn new(name: &str, dispatch: Form, default: Form) -> Form {
    let state = Form::value(FormKind::Map(vec![
        key(MARKER),
        Form::value(FormKind::Str(name.to_owned())),
        Form::keyword("dispatch"),
        dispatch,
        Form::keyword("default"),
        default,
        Form::keyword("methods"),
        Form::value(FormKind::Map(Vec::new())),
    ]));
    Form::value(FormKind::Cell(Arc::new(Mutex::new(state))))
}

/// The state of `f` when it is a multimethod.
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

pub fn is_multimethod(f: &Form) -> bool {
    state_of(f).is_some()
}

/// Adds (or replaces) the method for `dispatch_value`; false when `f` is
/// not a multimethod.
pub fn add_method(f: &Form, dispatch_value: Form, method: Form) -> bool {
    let Some((cell, state)) = state_of(f) else {
        return false;
    };
    let FormKind::Map(entries) = &*state.kind else {
        return false;
    };
    let mut entries = entries.clone();
    for pair in entries.chunks_mut(2) {
        if pair[0] == Form::keyword("methods") {
            let FormKind::Map(methods) = &*pair[1].kind else {
                return false;
            };
            let mut methods = methods.clone();
            match methods.chunks(2).position(|m| m[0] == dispatch_value) {
                Some(i) => methods[2 * i + 1] = method.clone(),
                None => methods.extend([dispatch_value.clone(), method.clone()]),
            }
            pair[1] = Form::value(FormKind::Map(methods));
        }
    }
    let updated = Form::value(FormKind::Map(entries));
    match cell.lock() {
        Ok(mut slot) => *slot = updated,
        Err(p) => *p.into_inner() = updated,
    }
    true
}

/// Calls the multimethod `f` (one, as `is_multimethod` says) on `args`.
pub fn call(interp: &mut Interp<'_>, f: &Form, args: Vec<Form>) -> Result<Form> {
    let Some((_, state)) = state_of(f) else {
        return error("internal error: not a multimethod");
    };
    let field = |name: &str| builtins::get(&state, &Form::keyword(name)).unwrap_or_else(Form::nil);
    let dispatch_value = interp.apply(&field("dispatch"), args.clone())?;
    let methods = field("methods");
    let method = builtins::get(&methods, &dispatch_value)
        .or_else(|| builtins::get(&methods, &field("default")));
    match method {
        Some(method) => interp.apply(&method, args),
        None => {
            let name = builtins::get(&state, &key(MARKER)).unwrap_or_else(Form::nil);
            error(format!(
                "No method in multimethod '{}' for dispatch value: {dispatch_value}",
                match &*name.kind {
                    FormKind::Str(s) => s.rsplit('/').next().unwrap_or(s).to_owned(),
                    _ => name.to_string(),
                }
            ))
        }
    }
}
