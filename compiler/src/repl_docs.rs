//! What clojure.repl's `doc`, `source`, `dir`, `apropos` and `find-doc`
//! show, from what the compiler knows: the page has no docstrings of its
//! own natives, and no source text, so these are answered while compiling
//! (by the bundled `clojure.repl`'s macros and by a bare `(doc x)`), in the
//! words and layout JVM Clojure prints.

use crate::arglists::{NAMESPACE_DOCS, SPECIAL_FORM_DOCS};
use crate::knowledge::Knowledge;

const DASHES: &str = "-------------------------\n";

/// A special form as an editor shows it (cider-nrepl's `info` and `eldoc`):
/// its forms, such as `(if test then else?)`, its doc and its page.
pub struct SpecialFormDoc {
    pub name: String,
    pub forms: Vec<String>,
    pub doc: String,
    pub url: Option<String>,
}

/// Every special form, as `special_form_doc` reads it.
pub fn special_form_docs() -> Vec<SpecialFormDoc> {
    SPECIAL_FORM_DOCS
        .iter()
        .filter_map(|(name, _)| special_form_doc(name))
        .collect()
}

/// The special form named `symbol`, read from the text `(doc if)` prints.
pub fn special_form_doc(symbol: &str) -> Option<SpecialFormDoc> {
    let (name, text) = SPECIAL_FORM_DOCS.iter().find(|(name, _)| *name == symbol)?;
    let mut lines = text.lines().skip(1);
    let forms = lines
        .by_ref()
        .take_while(|line| *line != "Special Form")
        .map(|line| line.trim().to_owned())
        .collect();
    let mut doc = Vec::new();
    let mut url = None;
    for line in lines.map(str::trim) {
        match line.strip_prefix("Please see ") {
            Some(page) => url = Some(page.to_owned()),
            None => doc.push(line),
        }
    }
    Some(SpecialFormDoc {
        name: (*name).to_owned(),
        forms,
        doc: doc.join("\n").trim().to_owned(),
        url,
    })
}

/// `(doc name)`'s text for a special form, a namespace or a var, seen from
/// the namespace being compiled; None for a name none of them has.
pub(crate) fn doc_text(knowledge: &Knowledge, symbol: &str) -> Option<String> {
    // Clojure's doc shows try's page for catch and finally, and fn's for &.
    let special = match symbol {
        "catch" | "finally" => "try",
        other => other,
    };
    if let Some((_, text)) = SPECIAL_FORM_DOCS.iter().find(|(name, _)| *name == special) {
        return Some(format!("{DASHES}{text}"));
    }
    if !symbol.contains('/') && knowledge.has_namespace(symbol) {
        let doc = NAMESPACE_DOCS
            .iter()
            .find(|(ns, _)| *ns == symbol)
            .map_or("nil", |(_, doc)| doc);
        return Some(format!("{DASHES}{symbol}\n  {doc}\n"));
    }
    let doc = knowledge.describe(&knowledge.current_ns, symbol)?;
    let mut text = format!("{DASHES}{}/{}\n", doc.ns, doc.name);
    if !doc.arglists.is_empty() {
        text += &format!("({})\n", doc.arglists.join(" "));
    }
    if doc.is_macro {
        text += "Macro\n";
    }
    if let Some(docstring) = &doc.doc {
        text += &format!("  {docstring}\n");
    }
    Some(text)
}

/// The text of the top-level form that defined the var `symbol` names, as
/// it was evaluated; None for a var defined elsewhere (the runtime's own).
pub(crate) fn source_text(knowledge: &Knowledge, symbol: &str) -> Option<String> {
    let (ns, name) = split(symbol);
    let (ns, name) = knowledge.resolve(ns, name).ok()?;
    knowledge
        .entry(&ns, &name)?
        .source
        .as_deref()
        .map(str::to_owned)
}

/// The sorted names of the public vars of the namespace (or alias) `ns`;
/// None when there is no such namespace.
pub(crate) fn dir_names(knowledge: &Knowledge, ns: &str) -> Option<Vec<String>> {
    let target = knowledge.resolve_ns_alias(ns);
    let (_, vars) = knowledge.namespaces().find(|(name, _)| **name == target)?;
    Some(
        vars.into_iter()
            .filter(|(_, entry)| (entry.in_page || entry.is_macro) && !entry.is_private())
            .map(|(name, _)| name.clone())
            .collect(),
    )
}

/// `ns/name` of every public var whose name `matches`, sorted, as apropos
/// gives them.
pub fn apropos(knowledge: &Knowledge, matches: impl Fn(&str) -> bool) -> Vec<String> {
    let mut found: Vec<String> = knowledge
        .namespaces()
        .filter(|(ns, _)| !ns.starts_with(crate::codegen::EVAL_NS))
        .flat_map(|(ns, vars)| {
            vars.into_iter()
                .filter(|(name, entry)| {
                    (entry.in_page || entry.is_macro) && !entry.is_private() && matches(name)
                })
                .map(move |(name, _)| format!("{ns}/{name}"))
        })
        .collect();
    found.sort();
    found
}

/// find-doc's text: the doc of every var whose name or docstring
/// `matches`, then every special form and namespace whose text does.
pub(crate) fn find_doc(knowledge: &Knowledge, matches: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    let qualified = apropos(knowledge, |_| true);
    for symbol in qualified {
        let Some(doc) = knowledge.describe(&knowledge.current_ns, &symbol) else {
            continue;
        };
        if matches(&doc.name) || doc.doc.as_deref().is_some_and(&matches) {
            out += &doc_text(knowledge, &symbol).unwrap_or_default();
        }
    }
    for (name, text) in SPECIAL_FORM_DOCS {
        if matches(name) || matches(text) {
            out += &format!("{DASHES}{text}");
        }
    }
    for (ns, doc) in NAMESPACE_DOCS {
        if knowledge.has_namespace(ns) && (matches(ns) || matches(doc)) {
            out += &format!("{DASHES}{ns}\n  {doc}\n");
        }
    }
    out
}

fn split(symbol: &str) -> (&str, &str) {
    match symbol.split_once('/') {
        Some((ns, name)) if !ns.is_empty() && !name.is_empty() => (ns, name),
        _ => ("", symbol),
    }
}
