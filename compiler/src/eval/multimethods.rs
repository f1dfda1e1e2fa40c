//! Multimethods at compile time: a macro's helper may dispatch through a
//! `defmulti` of its library, as hiccup's `html` compiles each element with
//! one. A top-level `defmulti` gives its var a compile-time multimethod, and
//! each top-level `defmethod` adds its method to it (the analyzer notes
//! both); calling one dispatches as Clojure's does, on `=` to a method's
//! dispatch value, then on `isa?` (a class's superclasses and interfaces,
//! as `(defmethod f Number ...)` takes a Long), then on the default. The page gets its own multimethod
//! from the same forms, as before.
//!
//! A multimethod is a marked cell (cells.rs): `{MARKER name, :dispatch f,
//! :default d, :methods {dispatch-value method}}`.

use super::{builtins, cells, error, Interp, Result};
use crate::form::{Form, FormKind};

const MARKER: &str = "compile-time-multimethod";

/// A new multimethod named `name` ("ns/name") with no methods.
pub fn new(name: &str, dispatch: Form, default: Form) -> Form {
    cells::new(
        MARKER,
        name,
        vec![
            ("dispatch", dispatch),
            ("default", default),
            (
                "methods",
                Form::value(crate::form::FormKind::Map(Vec::new())),
            ),
        ],
    )
}

pub fn is_multimethod(f: &Form) -> bool {
    cells::marked(f, MARKER).is_some()
}

/// Adds (or replaces) the method for `dispatch_value`; false when `f` is
/// not a multimethod.
pub fn add_method(f: &Form, dispatch_value: Form, method: Form) -> bool {
    let Some((cell, _)) = cells::marked(f, MARKER) else {
        return false;
    };
    cells::put(cell, "methods", dispatch_value, method);
    true
}

/// `(get-method f dispatch-value)`: the method for it, or the default's;
/// None when there is neither, or `f` is not a multimethod.
pub fn get_method(f: &Form, dispatch_value: &Form) -> Option<Form> {
    let (_, state) = cells::marked(f, MARKER)?;
    let methods = cells::field(&state, "methods");
    builtins::get(&methods, dispatch_value)
        .or_else(|| builtins::get(&methods, &cells::field(&state, "default")))
}

/// The method whose dispatch value `dispatch_value` isa (clojure.core's
/// isa?, with the global hierarchy), the first one.
fn isa_method(
    interp: &mut Interp<'_>,
    methods: &Form,
    dispatch_value: &Form,
) -> Result<Option<Form>> {
    let FormKind::Map(entries) = &*methods.kind else {
        return Ok(None);
    };
    let isa = interp
        .knowledge
        .compile_time_value("clojure.core", "isa?")?;
    for entry in entries.chunks(2) {
        if interp
            .apply(&isa, vec![dispatch_value.clone(), entry[0].clone()])?
            .truthy()
        {
            return Ok(entry.get(1).cloned());
        }
    }
    Ok(None)
}

/// Calls the multimethod `f` (one, as `is_multimethod` says) on `args`.
pub fn call(interp: &mut Interp<'_>, f: &Form, args: Vec<Form>) -> Result<Form> {
    let Some((_, state)) = cells::marked(f, MARKER) else {
        return error("internal error: not a multimethod");
    };
    let dispatch_value = interp.apply(&cells::field(&state, "dispatch"), args.clone())?;
    let methods = cells::field(&state, "methods");
    let method = match builtins::get(&methods, &dispatch_value) {
        Some(method) => Some(method),
        None => isa_method(interp, &methods, &dispatch_value)?,
    };
    let method = method.or_else(|| builtins::get(&methods, &cells::field(&state, "default")));
    match method {
        Some(method) => interp.apply(&method, args),
        None => {
            let name = cells::name_of(&state, MARKER);
            error(format!(
                "No method in multimethod '{}' for dispatch value: {dispatch_value}",
                name.rsplit('/').next().unwrap_or(&name)
            ))
        }
    }
}
