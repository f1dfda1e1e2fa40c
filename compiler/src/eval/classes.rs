//! JVM classes at compile time. A class name in a macro's code, and what
//! `class` gives, is a class value (`FormKind::Class`, by its full name), as
//! on the JVM: core.match's macros ask `(class? t)` and `(.isArray c)`, and
//! put the class into the code they return, which compiles to the page's
//! class of that name (analyzer.rs).
//!
//! The compiler knows a value's kind by its type key (`:string`,
//! `:vector`), and a class's by the prelude's `type-keys` (`String` is
//! `:string`, `IPersistentVector` `:vector`); `instance?` and `isa?` compare
//! those, and a kind's interfaces (text.rs `interfaces`) for an interface
//! no kind stands for (`Sequential`, `Named`).

use super::builtins::{arity, str_arg};
use super::text::{is_instance, type_key};
use super::{error, Builtin, Interp, Result};
use crate::form::{Form, FormKind};

/// The JVM class of a compile-time value: what `class` gives. Nil has none.
pub(super) fn class_of(form: &Form) -> Form {
    if let Some(own_type) = super::types::type_of(form) {
        return own_type;
    }
    let name = match &*form.kind {
        FormKind::Nil => return Form::nil(),
        FormKind::Map(items) if items.len() > 16 => "clojure.lang.PersistentHashMap",
        _ => class_name_of_key(type_key(form)),
    };
    Form::value(FormKind::Class(name.to_owned()))
}

/// The class a value of kind `key` has in the page.
fn class_name_of_key(key: &str) -> &'static str {
    match key {
        "boolean" => "java.lang.Boolean",
        "integer" => "java.lang.Long",
        "double" => "java.lang.Double",
        "ratio" => "clojure.lang.Ratio",
        "big-integer" => "clojure.lang.BigInt",
        "big-decimal" => "java.math.BigDecimal",
        "string" => "java.lang.String",
        "char" => "java.lang.Character",
        "regex" => "java.util.regex.Pattern",
        "keyword" => "clojure.lang.Keyword",
        "symbol" => "clojure.lang.Symbol",
        "seq" => "clojure.lang.PersistentList",
        "vector" => "clojure.lang.PersistentVector",
        "map" => "clojure.lang.PersistentArrayMap",
        "set" => "clojure.lang.PersistentHashSet",
        "fn" => "clojure.lang.AFunction",
        "var" => "clojure.lang.Var",
        "atom" => "clojure.lang.Atom",
        "exception" => "clojure.lang.ExceptionInfo",
        "class" => "java.lang.Class",
        "inst" => "java.util.Date",
        "uuid" => "java.util.UUID",
        _ => "java.lang.Object",
    }
}

/// The type key of the class `name` (`java.lang.String` is `string`), or
/// None for an interface no kind stands for.
fn key_of(interp: &Interp<'_>, name: &str) -> Option<String> {
    let simple = name.rsplit('.').next().unwrap_or(name);
    let keys = interp
        .knowledge
        .compile_time_value("clojure.core", "type-keys")
        .ok()?;
    match super::builtins::get(&keys, &Form::value(FormKind::Str(simple.to_owned())))
        .map(|k| (*k.kind).clone())
    {
        Some(FormKind::Keyword { name, .. }) => Some(name),
        _ => match simple {
            "AFunction" => Some("fn".to_owned()),
            "Class" => Some("class".to_owned()),
            _ => None,
        },
    }
}

/// The key protocol implementations for the class `class` are found under:
/// its kind's (`:string`), or an interface's simple name (`:Named`).
pub(super) fn dispatch_key(interp: &Interp<'_>, class: &str) -> Form {
    let simple = class.rsplit('.').next().unwrap_or(class);
    match key_of(interp, class) {
        Some(key) => Form::keyword(&key),
        None => Form::keyword(simple),
    }
}

/// `(instance? c x)` for the class named `class`.
pub(super) fn is_instance_of(interp: &Interp<'_>, class: &str, x: &Form) -> bool {
    let simple = class.rsplit('.').next().unwrap_or(class);
    if super::types::type_name(x).is_some() {
        return class == "java.lang.Object" || super::types::implements(x, simple);
    }
    match key_of(interp, class) {
        Some(key) => is_instance(&key, type_key(x)),
        None => is_instance(simple, type_key(x)),
    }
}

/// `(isa? child parent)` of two classes: the same class, or child's kind
/// is one of parent's (Long of Number, PersistentVector of Sequential).
pub(super) fn is_a(interp: &Interp<'_>, child: &str, parent: &str) -> bool {
    if child == parent || parent == "java.lang.Object" {
        return true;
    }
    let Some(child_key) = key_of(interp, child) else {
        return false;
    };
    let parent_simple = parent.rsplit('.').next().unwrap_or(parent);
    match key_of(interp, parent) {
        Some(parent_key) => is_instance(&parent_key, &child_key),
        None => is_instance(parent_simple, &child_key),
    }
}

/// A class's methods that macros call: getName, getSimpleName, isArray,
/// isInstance. None when `target` is no class or the method is another.
pub(super) fn method(
    interp: &Interp<'_>,
    method: &str,
    target: &Form,
    args: &[Form],
) -> Option<Result<Form>> {
    // A deftype's or defrecord's type answers as its class does.
    let type_name = super::types::name_of_type(target);
    let name = match (&*target.kind, &type_name) {
        (FormKind::Class(name), _) => name,
        (_, Some(name)) => name,
        _ => return None,
    };
    let text = |s: &str| Ok(Form::value(FormKind::Str(s.to_owned())));
    Some(match (method, args) {
        ("getName" | "getCanonicalName" | "getTypeName", []) => text(name),
        ("getSimpleName", []) => text(simple_name(name)),
        ("isArray", []) => Ok(Form::value(FormKind::Bool(name.starts_with('[')))),
        ("isInstance", [x]) => Ok(Form::value(FormKind::Bool(is_instance_of(interp, name, x)))),
        _ => return None,
    })
}

/// A JVM array class's name: `[I` for int[], `[Ljava.lang.Object;` for
/// Object[], `[[D` for double[][].
pub(crate) fn is_array_class_name(name: &str) -> bool {
    match name.strip_prefix('[') {
        Some(element) => {
            matches!(element, "Z" | "B" | "C" | "S" | "I" | "J" | "F" | "D")
                || (element.starts_with('L') && element.ends_with(';') && element.len() > 2)
                || is_array_class_name(element)
        }
        None => false,
    }
}

/// `String` for `java.lang.String`, `Entry` for `java.util.Map$Entry`.
fn simple_name(name: &str) -> &str {
    name.rsplit(['.', '$']).next().unwrap_or(name)
}

builtins_named! {CLASS_BUILTINS,
    // (Object.): a value equal only to itself, as a sentinel.
    ("new-object*", |_, a| {
        arity("Object.", &a, |n| n == 0)?;
        Ok(super::cells::new("compile-time-object", "java.lang.Object", Vec::new()))
    }),
    ("class?", |_, a| {
        arity("class?", &a, |n| n == 1)?;
        let is_class = matches!(&*a[0].kind, FormKind::Class(_))
            || super::types::name_of_type(&a[0]).is_some();
        Ok(Form::value(FormKind::Bool(is_class)))
    }),
    // The compiler has no JVM system properties: (System/getProperty
    // "babashka.version") in a macro is nil, or the default given.
    ("System/getProperty", |_, a| {
        arity("System/getProperty", &a, |n| n == 1 || n == 2)?;
        str_arg(&a[0], "System/getProperty")?;
        Ok(a.get(1).cloned().unwrap_or_else(Form::nil))
    }),
    ("Class/forName", |_, a| {
        arity("Class/forName", &a, |n| (1..=3).contains(&n))?;
        let name = str_arg(&a[0], "Class/forName")?;
        let known = crate::knowledge::runtime_class_name(&name).is_some_and(|full| full == name);
        if known || is_array_class_name(&name) {
            return Ok(Form::value(FormKind::Class(name)));
        }
        error(format!("java.lang.ClassNotFoundException: {name} (the page has no class of that name)"))
    }),
    // (RuntimeException. msg) and Java's other exceptions: an exception
    // with that message (and cause), as the compiler's errors are.
    ("exception*", |_, a| {
        arity("exception*", &a, |n| n == 2 || n == 3)?;
        Ok(Form::value(FormKind::ExInfo(std::sync::Arc::new(crate::form::ExInfo {
            message: crate::form::str_of(&a[1]),
            data: Form::nil(),
            cause: a.get(2).cloned().filter(Form::truthy),
        }))))
    }),
    // A catch clause's test in a macro: (catch Exception e ...) catches
    // anything, (catch ExceptionInfo e ...) what ex-info made, and a
    // narrower Java class the compiler's own errors (it does not tell
    // them apart), not an ex-info.
    ("exception-instance?*", |_, a| {
        arity("exception-instance?*", &a, |n| n == 2)?;
        let class = crate::form::str_of(&a[1]);
        let from_ex_info = matches!(&*a[0].kind, FormKind::ExInfo(ex) if !matches!(*ex.data.kind, FormKind::Nil));
        let caught = match class.rsplit('.').next().unwrap_or(&class) {
            "Throwable" | "Exception" | "RuntimeException" => true,
            "ExceptionInfo" | "IExceptionInfo" => from_ex_info,
            _ => matches!(&*a[0].kind, FormKind::ExInfo(_)) && !from_ex_info,
        };
        Ok(Form::value(FormKind::Bool(caught)))
    }),
    // (.getSimpleName c), and (.getName c) as the analyzer writes it.
    ("class-name*", |_, a| {
        arity("class-name*", &a, |n| n == 1 || n == 2)?;
        match &*a[0].kind {
            FormKind::Class(name) if a.len() == 2 => Ok(Form::value(FormKind::Str(simple_name(name).to_owned()))),
            FormKind::Class(name) => Ok(Form::value(FormKind::Str(name.clone()))),
            _ => match super::types::name_of_type(&a[0]) {
                Some(name) if a.len() == 2 => Ok(Form::value(FormKind::Str(simple_name(&name).to_owned()))),
                Some(name) => Ok(Form::value(FormKind::Str(name))),
                None => error(format!("class-name* in a macro needs a class, got {}", a[0].describe())),
            },
        }
    }),
}
