//! `#(...)`: anonymous function literals, expanded by the reader into `fn*`.

use crate::eval::builtin_gensym;
use crate::form::{Form, FormKind};
use crate::reader::ReadError;

/// Most parameters a fn takes before `&`, as on the JVM: `%1` to `%20`.
const MAX_PARAMS: usize = 20;

/// `#(+ % %2)` → `(fn* [p1__N# p2__N#] (+ p1__N# p2__N#))`; `%&` becomes the
/// rest parameter. The names end in `#`, as Clojure's do, so that a `#()`
/// inside a syntax-quote gets fresh names instead of namespace-qualified ones.
pub(crate) fn expand(body: Form) -> Result<Form, ReadError> {
    let pos = body.pos;
    let id = builtin_gensym();
    let mut max = 0usize;
    let mut rest = false;
    let body = rewrite(body, id, &mut max, &mut rest)?;
    let mut params: Vec<Form> = (1..=max)
        .map(|i| Form::symbol(&param(id, i), pos))
        .collect();
    if rest {
        params.push(Form::symbol("&", pos));
        params.push(Form::symbol(&rest_param(id), pos));
    }
    Ok(Form::new(
        FormKind::List(vec![
            Form::symbol("fn*", pos),
            Form::new(FormKind::Vector(params), pos),
            body,
        ]),
        pos,
    ))
}

fn param(id: u64, i: usize) -> String {
    format!("p{i}__{id}#")
}

fn rest_param(id: u64) -> String {
    format!("rest__{id}#")
}

fn rewrite(form: Form, id: u64, max: &mut usize, rest: &mut bool) -> Result<Form, ReadError> {
    let pos = form.pos;
    let meta = form.meta.clone();
    let kind = match form.into_kind() {
        FormKind::Symbol { ns, name } if ns.is_empty() && name.starts_with('%') => {
            let renamed = match name.as_str() {
                "%" | "%1" => {
                    *max = (*max).max(1);
                    param(id, 1)
                }
                "%&" => {
                    *rest = true;
                    rest_param(id)
                }
                other => match other[1..].parse::<usize>() {
                    // Past twenty, fn* says how many a fn may take.
                    Ok(n) if n >= 1 => {
                        *max = (*max).max(n);
                        param(id, n)
                    }
                    _ => {
                        return Err(ReadError {
                            pos,
                            message: format!(
                                "invalid anonymous function argument {other}: use %, %1 to %{MAX_PARAMS} or %&"
                            ),
                        })
                    }
                },
            };
            FormKind::Symbol { ns, name: renamed }
        }
        FormKind::List(items) => FormKind::List(rewrite_all(items, id, max, rest)?),
        FormKind::Vector(items) => FormKind::Vector(rewrite_all(items, id, max, rest)?),
        FormKind::Map(items) => FormKind::Map(rewrite_all(items, id, max, rest)?),
        FormKind::Set(items) => FormKind::Set(rewrite_all(items, id, max, rest)?),
        other => other,
    };
    let mut form = Form::new(kind, pos);
    form.meta = meta;
    Ok(form)
}

fn rewrite_all(
    items: Vec<Form>,
    id: u64,
    max: &mut usize,
    rest: &mut bool,
) -> Result<Vec<Form>, ReadError> {
    items
        .into_iter()
        .map(|f| rewrite(f, id, max, rest))
        .collect()
}
