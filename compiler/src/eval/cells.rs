//! Values the compile-time evaluator keeps in a cell, marked by a key, so
//! that what is added later reaches every holder of the value: a
//! multimethod's methods (multimethods.rs), a protocol method's
//! implementations (protocols.rs). The cell holds a map: the marker key with
//! the value's name, then the value's own fields.

use std::sync::{Arc, Mutex};

use super::builtins;
use crate::form::{Form, FormKind};

/// A keyword of the project's own namespace, which no program's map uses.
pub fn own_key(name: &str) -> Form {
    Form::value(FormKind::Keyword {
        ns: "jank.hot-reload".to_owned(),
        name: name.to_owned(),
        auto: false,
    })
}

/// A new cell marked `marker`, named `name`, holding `fields`.
pub fn new(marker: &str, name: &str, fields: Vec<(&str, Form)>) -> Form {
    let mut entries = vec![own_key(marker), Form::value(FormKind::Str(name.to_owned()))];
    for (field, value) in fields {
        entries.extend([Form::keyword(field), value]);
    }
    let state = Form::value(FormKind::Map(entries));
    Form::value(FormKind::Cell(Arc::new(Mutex::new(state))))
}

/// What a cell holds now.
pub fn read(cell: &Mutex<Form>) -> Form {
    cell.lock()
        .map(|s| s.clone())
        .unwrap_or_else(|p| p.into_inner().clone())
}

fn write(cell: &Mutex<Form>, value: Form) {
    match cell.lock() {
        Ok(mut slot) => *slot = value,
        Err(p) => *p.into_inner() = value,
    }
}

/// The cell of `f` and what it holds, when `f` is a cell marked `marker`.
pub fn marked<'f>(f: &'f Form, marker: &str) -> Option<(&'f Arc<Mutex<Form>>, Form)> {
    let FormKind::Cell(cell) = &*f.kind else {
        return None;
    };
    let state = read(cell);
    builtins::get(&state, &own_key(marker)).map(|_| (cell, state))
}

/// The name a marked cell was made with.
pub fn name_of(state: &Form, marker: &str) -> String {
    match builtins::get(state, &own_key(marker)).map(|n| (*n.kind).clone()) {
        Some(FormKind::Str(name)) => name,
        _ => String::new(),
    }
}

/// A field of a marked cell's state, nil when absent.
pub fn field(state: &Form, name: &str) -> Form {
    builtins::get(state, &Form::keyword(name)).unwrap_or_else(Form::nil)
}

/// Sets `key` to `value` in the map the cell's `field` holds.
pub fn put(cell: &Mutex<Form>, field: &str, key: Form, value: Form) {
    let state = read(cell);
    let FormKind::Map(entries) = &*state.kind else {
        return;
    };
    let mut entries = entries.clone();
    for pair in entries.chunks_mut(2) {
        if pair[0] != Form::keyword(field) {
            continue;
        }
        let mut map = match &*pair[1].kind {
            FormKind::Map(map) => map.clone(),
            _ => Vec::new(),
        };
        match map.chunks(2).position(|entry| entry[0] == key) {
            Some(i) => map[2 * i + 1] = value.clone(),
            None => map.extend([key.clone(), value.clone()]),
        }
        pair[1] = Form::value(FormKind::Map(map));
    }
    write(cell, Form::value(FormKind::Map(entries)));
}

/// Sets the cell's `field` to `value`.
pub fn set(cell: &Mutex<Form>, field: &str, value: Form) {
    let state = read(cell);
    if let Ok(updated) = builtins::assoc(state, Form::keyword(field), value) {
        write(cell, updated);
    }
}
