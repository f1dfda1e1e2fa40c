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
//! A method is a marked cell (cells.rs): `{MARKER name, :impls {type-key fn}}`.

use super::{builtins, cells, error, types, Interp, Result};
use crate::form::{Form, FormKind};

const MARKER: &str = "compile-time-protocol-method";

/// A protocol method named `name` with no implementations.
pub fn new_method(name: &str) -> Form {
    cells::new(
        MARKER,
        name,
        vec![("impls", Form::value(FormKind::Map(Vec::new())))],
    )
}

pub fn is_method(f: &Form) -> bool {
    cells::marked(f, MARKER).is_some()
}

/// Adds (or replaces) the implementation for `type_key`; false when `f` is
/// not a protocol method.
pub fn add_impl(interp: &Interp<'_>, f: &Form, type_key: Form, implementation: Form) -> bool {
    let Some((cell, _)) = cells::marked(f, MARKER) else {
        return false;
    };
    // A record's, deftype's or reify's type: its instances' type name; a
    // class: its kind's key, or an interface's simple name (:Named).
    let type_key = match (types::name_of_type(&type_key), &*type_key.kind) {
        (Some(name), _) => Form::keyword(&name),
        (None, FormKind::Class(class)) => super::classes::dispatch_key(interp, class),
        (None, _) => type_key,
    };
    cells::put(cell, "impls", type_key, implementation);
    true
}

/// Calls the protocol method `f` (one, as `is_method` says) on `args`.
pub fn call(interp: &mut Interp<'_>, f: &Form, args: Vec<Form>) -> Result<Form> {
    let Some((_, state)) = cells::marked(f, MARKER) else {
        return error("internal error: not a protocol method");
    };
    let name = cells::name_of(&state, MARKER);
    let Some(target) = args.first() else {
        return error(format!("Wrong number of args (0) passed to: {name}"));
    };
    let impls = cells::field(&state, "impls");
    if let Some(implementation) = implementation(&impls, target) {
        return interp.apply(&implementation, args);
    }
    let own_type = types::type_name(target);
    let kind = super::text::type_key(target);
    error(format!(
        "No implementation of method: {name} found for a value of type {} in a macro (the compiler runs the extensions written at the top level)",
        own_type.as_deref().unwrap_or(kind)
    ))
}

/// The implementation among `impls` for `target`: its own type's, a
/// record's, its kind's, an interface's of its kind, a number's, Object's.
fn implementation(impls: &Form, target: &Form) -> Option<Form> {
    let own_type = types::type_name(target);
    let kind = super::text::type_key(target);
    let number = matches!(
        kind,
        "integer" | "double" | "ratio" | "big-integer" | "big-decimal"
    );
    let record = types::is_record(target).then_some("IRecord");
    let mut candidates: Vec<&str> = [own_type.as_deref(), record, Some(kind)]
        .into_iter()
        .flatten()
        .collect();
    candidates.extend(super::text::interfaces(kind).map(|i| -> &str { i }));
    candidates.extend(
        [
            number.then_some("number"),
            (kind != "nil").then_some("object"),
            Some("default"),
        ]
        .into_iter()
        .flatten(),
    );
    candidates
        .into_iter()
        .find_map(|candidate| builtins::get(impls, &Form::keyword(candidate)))
}

/// `(satisfies? P x)`: x's type implements P inline, or P is extended to
/// its type, its kind, or Object.
pub fn satisfies(interp: &Interp<'_>, protocol: &Form, x: &Form) -> Result<bool> {
    let Some(name) = builtins::get(protocol, &Form::keyword("protocol")) else {
        return error(format!(
            "satisfies? needs a protocol, got {}",
            protocol.describe()
        ));
    };
    let name = crate::form::str_of(&name);
    let (ns, simple) = name.rsplit_once('/').unwrap_or(("", &name));
    if types::implements(x, simple) {
        return Ok(true);
    }
    Ok(interp
        .knowledge
        .protocol_methods(ns, simple)
        .iter()
        .filter_map(|method| cells::marked(method, MARKER).map(|(_, state)| state))
        .any(|state| implementation(&cells::field(&state, "impls"), x).is_some()))
}
