//! What editors ask about code without evaluating it, answered from what the
//! compiler knows (no page needed): `lookup` (nREPL's own), `info`, `eldoc`
//! (of vars, and of special forms as cider-nrepl describes them),
//! `ns-list`, `ns-vars`, `ns-vars-with-meta`, `ns-path`, `apropos` and
//! `macroexpand` (cider-nrepl's), and
//! `completions`/`complete`.

use std::collections::{BTreeMap, HashMap};

use serde_bencode::value::Value;

use super::bencode::{string, strings, text, Message};
use super::{dict, state, Reply};
use crate::eval::{Evaluator, Requester};
use crate::jank::codegen::EVAL_NS;
use crate::jank::expansion::{self, Expander, NamespaceDisplay};
use crate::jank::knowledge::VarDoc;
use crate::jank::{apropos, special_form_doc, special_form_docs, SpecialFormDoc};

/// The symbol a request asks about (`sym`, or cider's `symbol`).
fn symbol(request: &Message) -> Option<String> {
    text(request, "sym")
        .or_else(|| text(request, "symbol"))
        .filter(|s| !s.is_empty())
}

/// The request's namespace, else the session's.
fn namespace(evaluator: &Evaluator, request: &Message, reply: &Reply) -> String {
    text(request, "ns")
        .filter(|ns| !ns.is_empty())
        .unwrap_or_else(|| {
            reply
                .session
                .as_deref()
                .map(|s| evaluator.current_ns(Requester::Editor(s)))
                .unwrap_or_else(|| "user".into())
        })
}

fn describe(evaluator: &Evaluator, request: &Message, reply: &Reply) -> Option<VarDoc> {
    let symbol = symbol(request)?;
    let ns = namespace(evaluator, request, reply);
    evaluator.with_knowledge(|k| k.describe(&ns, &symbol))
}

/// What cider-nrepl calls a var's kind: a macro, a function (it has
/// arglists) or a variable.
fn kind_of(doc: &VarDoc) -> &'static str {
    if doc.is_macro {
        "macro"
    } else if doc.arglists.is_empty() {
        "variable"
    } else {
        "function"
    }
}

fn arglists_str(doc: &VarDoc) -> String {
    format!("({})", doc.arglists.join(" "))
}

/// The fields cider's `info` returns and nREPL's `lookup` nests under `info`.
fn info_fields(doc: &VarDoc) -> Vec<(&'static str, Value)> {
    let mut fields = vec![
        ("ns", string(doc.ns.clone())),
        ("name", string(doc.name.clone())),
        ("arglists-str", string(arglists_str(doc))),
    ];
    if let Some(text) = &doc.doc {
        fields.push(("doc", string(text.clone())));
    }
    if doc.is_macro {
        fields.push(("macro", string("true")));
    }
    if let Some(version) = &doc.added {
        fields.push(("added", string(version.clone())));
    }
    // Where it was defined, for the editor's jump to the definition: the
    // file the editor named when it evaluated it (a source-path file's path
    // made absolute), else only the line.
    if let Some(at) = &doc.defined_at {
        if let Some(file) = &at.file {
            fields.push(("file", string(absolute(file))));
        }
        fields.push(("line", Value::Int(i64::from(at.line))));
        fields.push(("column", Value::Int(i64::from(at.column))));
    }
    fields
}

/// A file the server read by a relative path (a source path), made absolute
/// for an editor that opens it from elsewhere.
fn absolute(file: &str) -> String {
    let path = std::path::Path::new(file);
    match std::env::current_dir() {
        Ok(cwd) if path.is_relative() && cwd.join(path).is_file() => {
            cwd.join(path).display().to_string()
        }
        _ => file.to_owned(),
    }
}

/// cider-nrepl's `ns-path` (CIDER's C-c M-.): the file of namespace `ns`,
/// from the source path, else the file an editor evaluated its vars from;
/// empty when neither is known.
pub(super) fn ns_path(evaluator: &Evaluator, request: &Message, reply: Reply) {
    let ns = text(request, "ns").unwrap_or_default();
    let file = evaluator.with_knowledge(|k| {
        let from_source = k
            .find_source(&ns)
            .map(|source| source.file)
            .filter(|file| !file.starts_with("(bundled)"));
        from_source.or_else(|| {
            k.namespaces()
                .find(|(name, _)| **name == ns)
                .and_then(|(_, vars)| {
                    vars.into_iter().find_map(|(_, entry)| {
                        entry
                            .defined_at
                            .as_ref()?
                            .file
                            .as_deref()
                            .map(str::to_owned)
                    })
                })
        })
    });
    let path = file.map(|f| absolute(&f)).unwrap_or_default();
    reply.done(vec![("path", string(path.clone())), ("url", string(path))]);
}

pub(super) fn lookup(evaluator: &Evaluator, request: &Message, reply: Reply) {
    let info = describe(evaluator, request, &reply)
        .map(|doc| dict(info_fields(&doc)))
        .unwrap_or_else(|| dict(vec![]));
    reply.done(vec![("info", info)]);
}

/// The special form a request asks about (`if`, `recur`, `.`), unless a
/// var of that name shadows it.
fn special_form(request: &Message) -> Option<SpecialFormDoc> {
    symbol(request).and_then(|name| special_form_doc(&name))
}

/// cider-nrepl's `info` fields for a special form.
fn special_form_fields(special: SpecialFormDoc) -> Vec<(&'static str, Value)> {
    let mut fields = vec![
        ("ns", string("clojure.core")),
        ("name", string(special.name)),
        ("special-form", string("true")),
        ("forms-str", string(special.forms.join("\n  "))),
        ("doc", string(special.doc)),
    ];
    if let Some(url) = special.url {
        fields.push(("url", string(url)));
    }
    fields
}

pub(super) fn info(evaluator: &Evaluator, request: &Message, reply: Reply) {
    match describe(evaluator, request, &reply) {
        Some(doc) => reply.done(info_fields(&doc)),
        None => match special_form(request) {
            Some(special) => reply.done(special_form_fields(special)),
            None => reply.send(vec![("status", strings(["done", "no-info"]))]),
        },
    }
}

/// A form as eldoc shows it: the parts after the head, `(if test then
/// else?)` as `[test then else?]`; a bare form (`Classname/staticField`) whole.
fn form_params(form: &str) -> Value {
    let parts: Vec<Value> = match form.strip_prefix('(').and_then(|f| f.strip_suffix(')')) {
        Some(inner) => inner
            .split_whitespace()
            .skip(1)
            .map(|p| string(p.to_owned()))
            .collect(),
        None => vec![string(form.to_owned())],
    };
    Value::List(parts)
}

pub(super) fn eldoc(evaluator: &Evaluator, request: &Message, reply: Reply) {
    let Some(doc) = describe(evaluator, request, &reply) else {
        match special_form(request) {
            Some(special) => reply.done(vec![
                (
                    "eldoc",
                    Value::List(special.forms.iter().map(|f| form_params(f)).collect()),
                ),
                ("name", string(special.name)),
                ("ns", string("clojure.core")),
                ("type", string("special-form")),
                ("docstring", string(special.doc)),
            ]),
            None => reply.send(vec![("status", strings(["done", "no-eldoc"]))]),
        }
        return;
    };
    // Each arglist as a list of its parameter names, as cider-nrepl sends them.
    let eldoc = doc
        .arglists
        .iter()
        .map(|list| {
            let params = list.trim_start_matches('[').trim_end_matches(']');
            Value::List(
                params
                    .split_whitespace()
                    .map(|p| string(p.to_owned()))
                    .collect(),
            )
        })
        .collect();
    let kind = kind_of(&doc);
    let mut fields = vec![
        ("eldoc", Value::List(eldoc)),
        ("name", string(doc.name.clone())),
        ("ns", string(doc.ns.clone())),
        ("type", string(kind)),
    ];
    if let Some(text) = doc.doc {
        fields.push(("docstring", string(text)));
    }
    reply.done(fields);
}

/// cider-nrepl's `apropos` (CIDER's `cider-apropos`): the public vars (and
/// special forms) whose names match `query`, a regex (case-insensitive
/// unless `case-sensitive?`), or whose docstrings do with `docs?`, limited
/// to `search-ns` when it is given. Each match has its name, kind and the
/// first line of its doc.
pub(super) fn apropos_matches(evaluator: &Evaluator, request: &Message, reply: Reply) {
    let query = text(request, "query").unwrap_or_default();
    let flag = |key: &str| text(request, key).is_some_and(|v| !v.is_empty() && v != "false");
    let pattern = regex::RegexBuilder::new(&query)
        .case_insensitive(!flag("case-sensitive?"))
        .build()
        .or_else(|_| {
            // Not a regex (an editor sends what the user typed): as text.
            regex::RegexBuilder::new(&regex::escape(&query))
                .case_insensitive(!flag("case-sensitive?"))
                .build()
        });
    let Ok(pattern) = pattern else {
        reply.send(vec![
            (
                "err",
                string(format!("apropos: the query {query:?} is too large\n")),
            ),
            ("status", strings(["done", "error"])),
        ]);
        return;
    };
    let search_docs = flag("docs?");
    let search_ns = text(request, "search-ns").filter(|ns| !ns.is_empty());
    let matches: Vec<Value> = evaluator.with_knowledge(|k| {
        let mut found: Vec<Value> = apropos(k, |_| true)
            .into_iter()
            .filter(|qualified| {
                search_ns
                    .as_deref()
                    .is_none_or(|ns| qualified.split_once('/').is_some_and(|(q, _)| q == ns))
            })
            .filter_map(|qualified| {
                let doc = k.describe(&k.current_ns, &qualified)?;
                let hit = pattern.is_match(&doc.name)
                    || (search_docs && doc.doc.as_deref().is_some_and(|d| pattern.is_match(d)));
                hit.then(|| apropos_match(qualified, kind_of(&doc), doc.doc.as_deref()))
            })
            .collect();
        if search_ns.is_none() {
            found.extend(
                special_form_docs()
                    .into_iter()
                    .filter(|s| {
                        pattern.is_match(&s.name) || (search_docs && pattern.is_match(&s.doc))
                    })
                    .map(|s| apropos_match(s.name, "special-form", Some(&s.doc))),
            );
        }
        found
    });
    reply.done(vec![("apropos-matches", Value::List(matches))]);
}

fn apropos_match(name: String, kind: &str, doc: Option<&str>) -> Value {
    let first_line = doc.and_then(|d| d.lines().next()).unwrap_or("").trim();
    dict(vec![
        ("name", string(name)),
        ("type", string(kind.to_owned())),
        ("doc", string(first_line.to_owned())),
    ])
}

pub(super) fn ns_list(evaluator: &Evaluator, reply: Reply) {
    let names: Vec<Value> = evaluator.with_knowledge(|k| {
        k.namespaces()
            .map(|(ns, _)| ns.clone())
            .filter(|ns| !ns.starts_with(EVAL_NS))
            .map(string)
            .collect()
    });
    reply.done(vec![("ns-list", Value::List(names))]);
}

pub(super) fn ns_vars(evaluator: &Evaluator, request: &Message, reply: Reply) {
    let ns = namespace(evaluator, request, &reply);
    let names: Vec<Value> = evaluator.with_knowledge(|k| {
        k.namespaces()
            .filter(|(name, _)| **name == ns)
            .flat_map(|(_, vars)| {
                vars.into_iter()
                    .filter(|(_, e)| e.in_page || e.is_macro)
                    .map(|(name, _)| string(name.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    });
    reply.done(vec![("ns-vars", Value::List(names))]);
}

/// cider-nrepl's `ns-vars-with-meta` (CIDER's namespace browser): each var
/// of the namespace with its arglists, docstring and kind, printed; private
/// vars only when the `var-query` asks for them (`private?`).
pub(super) fn ns_vars_with_meta(evaluator: &Evaluator, request: &Message, reply: Reply) {
    let ns = namespace(evaluator, request, &reply);
    let privates = matches!(request.get("var-query"), Some(Value::Dict(query))
        if query.get(b"private?".as_slice()).is_some_and(|v| !matches!(v, Value::Bytes(b) if b.is_empty())));
    let vars: HashMap<Vec<u8>, Value> = evaluator.with_knowledge(|k| {
        k.namespaces()
            .filter(|(name, _)| **name == ns)
            .flat_map(|(_, vars)| vars)
            .filter(|(_, var)| (var.in_page || var.is_macro) && var.is_private() == privates)
            .map(|(name, var)| {
                let fields = state::describe_var(&ns, var, state::Detail::WithDocs)
                    .into_iter()
                    .map(|(key, value)| (key.as_bytes().to_vec(), string(value)))
                    .collect();
                (name.as_bytes().to_vec(), Value::Dict(fields))
            })
            .collect()
    });
    reply.done(vec![("ns-vars-with-meta", Value::Dict(vars))]);
}

/// Candidates for a prefix: vars of the namespace, clojure.core, referred
/// names, `alias/name` and `ns/name`, and namespaces, each with its type.
pub(super) fn completions(evaluator: &Evaluator, request: &Message, reply: Reply) {
    let prefix = text(request, "prefix")
        .or_else(|| text(request, "symbol"))
        .unwrap_or_default();
    let ns = namespace(evaluator, request, &reply);
    let candidates = evaluator.with_knowledge(|k| {
        let mut out: BTreeMap<String, (String, &'static str)> = BTreeMap::new();
        let kind = |ns: &str, name: &str| match k.describe(ns, &format!("{ns}/{name}")) {
            Some(doc) if doc.is_macro => "macro",
            Some(doc) if !doc.arglists.is_empty() => "function",
            _ => "var",
        };
        let mut offer = |candidate: String, var_ns: &str, kind: &'static str| {
            if candidate.starts_with(&prefix) {
                out.entry(candidate).or_insert((var_ns.to_owned(), kind));
            }
        };
        let aliases = k.aliases_of(&ns);
        for (var_ns, vars) in k.namespaces().filter(|(n, _)| !n.starts_with(EVAL_NS)) {
            offer(var_ns.clone(), var_ns, "namespace");
            for (name, _) in vars.into_iter().filter(|(_, e)| e.in_page || e.is_macro) {
                let what = kind(var_ns, name);
                if *var_ns == ns || var_ns == "clojure.core" {
                    offer(name.clone(), var_ns, what);
                }
                if prefix.contains('/') {
                    offer(format!("{var_ns}/{name}"), var_ns, what);
                    for (alias, target) in &aliases {
                        if target == var_ns {
                            offer(format!("{alias}/{name}"), var_ns, what);
                        }
                    }
                }
            }
        }
        for (alias, target) in &aliases {
            offer(alias.clone(), target, "namespace");
        }
        for (name, target) in k.refers_of(&ns) {
            let what = kind(&target, &name);
            offer(name, &target, what);
        }
        out
    });
    let list = candidates
        .into_iter()
        .map(|(candidate, (ns, kind))| {
            dict(vec![
                ("candidate", string(candidate)),
                ("ns", string(ns)),
                ("type", string(kind)),
            ])
        })
        .collect();
    reply.done(vec![("completions", Value::List(list))]);
}

/// cider-nrepl's `macroexpand` (CIDER's C-c C-m): `code` expanded by the
/// compiler as `expander` says (default `macroexpand`), its symbols shown as
/// `display-namespaces` says (default `qualified`), in `expansion`. Macros
/// run on a copy of what the compiler knows, off the server's event loop.
pub(super) fn macroexpand(evaluator: &Evaluator, request: &Message, reply: Reply) {
    let fail = |reply: &Reply, message: String| {
        reply.send(vec![
            ("err", string(format!("{message}\n"))),
            ("ex", string("jank.hot-reload/macroexpand-error")),
            ("root-ex", string("jank.hot-reload/macroexpand-error")),
            ("status", strings(["done", "macroexpand-error"])),
        ]);
    };
    let expander_name = text(request, "expander").unwrap_or_else(|| "macroexpand".into());
    let Some(expander) = Expander::from_name(&expander_name) else {
        fail(
            &reply,
            format!(
                "unknown expander {expander_name:?}: macroexpand-1, macroexpand or macroexpand-all"
            ),
        );
        return;
    };
    let display_name = text(request, "display-namespaces").unwrap_or_else(|| "qualified".into());
    let Some(display) = NamespaceDisplay::from_name(&display_name) else {
        fail(
            &reply,
            format!("unknown display-namespaces {display_name:?}: qualified, none or tidy"),
        );
        return;
    };
    let Some(code) = text(request, "code") else {
        fail(&reply, "macroexpand needs the code to expand".into());
        return;
    };
    let ns = namespace(evaluator, request, &reply);
    let knowledge = evaluator.with_knowledge(Clone::clone);
    tokio::task::spawn_blocking(move || {
        match expansion::macroexpand(&code, &ns, expander, display, knowledge) {
            Ok(expanded) => reply.done(vec![("expansion", string(expanded))]),
            Err(error) => {
                let mut message = error.to_string();
                if let Some(frame) = &error.code_frame {
                    message.push('\n');
                    message.push_str(frame.trim_end());
                }
                fail(&reply, message)
            }
        }
    });
}
