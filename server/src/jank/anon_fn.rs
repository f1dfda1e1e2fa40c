//! `#(...)`: anonymous function literals, expanded by the reader into `fn`.

use super::reader::{Form, FormKind, ReadError};

/// `#(+ % %2)` → `(fn [%1 %2] (+ %1 %2))`; `%&` becomes the rest parameter.
pub fn expand(body: Form) -> Result<Form, ReadError> {
    let pos = body.pos;
    let mut max = 0usize;
    let mut rest = false;
    let body = rewrite(body, &mut max, &mut rest, true)?;
    let mut params: Vec<Form> = (1..=max)
        .map(|i| Form::symbol(&format!("%{i}"), pos))
        .collect();
    if rest {
        params.push(Form::symbol("&", pos));
        params.push(Form::symbol("%&", pos));
    }
    Ok(Form::new(
        FormKind::List(vec![
            Form::symbol("fn", pos),
            Form::new(FormKind::Vector(params), pos),
            body,
        ]),
        pos,
    ))
}

fn rewrite(form: Form, max: &mut usize, rest: &mut bool, top: bool) -> Result<Form, ReadError> {
    let Form { kind, pos, meta } = form;
    let kind = match kind {
        FormKind::Symbol { ns, name } if ns.is_empty() && name.starts_with('%') => {
            let renamed = match name.as_str() {
                "%" | "%1" => {
                    *max = (*max).max(1);
                    "%1".to_owned()
                }
                "%&" => {
                    *rest = true;
                    name
                }
                other => match other[1..].parse::<usize>() {
                    Ok(n) if (1..=20).contains(&n) => {
                        *max = (*max).max(n);
                        other.to_owned()
                    }
                    _ => {
                        return Err(ReadError {
                            pos,
                            message: format!(
                            "invalid anonymous function argument {other}: use %, %1 to %20 or %&"
                        ),
                        })
                    }
                },
            };
            FormKind::Symbol { ns, name: renamed }
        }
        FormKind::List(items) => {
            if !top && is_nested_anon_fn(&items) {
                return Err(ReadError {
                    pos,
                    message: "nested #() anonymous functions are not allowed".into(),
                });
            }
            FormKind::List(rewrite_all(items, max, rest)?)
        }
        FormKind::Vector(items) => FormKind::Vector(rewrite_all(items, max, rest)?),
        FormKind::Map(items) => FormKind::Map(rewrite_all(items, max, rest)?),
        FormKind::Set(items) => FormKind::Set(rewrite_all(items, max, rest)?),
        other => other,
    };
    Ok(Form { kind, pos, meta })
}

/// A `#()` inside another was already expanded to `(fn [%1 …] …)`.
fn is_nested_anon_fn(items: &[Form]) -> bool {
    items.first().and_then(Form::as_simple_symbol) == Some("fn")
        && matches!(items.get(1).map(|f| &f.kind), Some(FormKind::Vector(params))
            if params.iter().any(|p| p.as_simple_symbol().is_some_and(|n| n.starts_with('%'))))
}

fn rewrite_all(items: Vec<Form>, max: &mut usize, rest: &mut bool) -> Result<Vec<Form>, ReadError> {
    items
        .into_iter()
        .map(|f| rewrite(f, max, rest, false))
        .collect()
}
