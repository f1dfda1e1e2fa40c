//! What the compiler knows exists: namespaces, their aliases and refers, and
//! vars (clojure.core, vars defined through earlier evaluations, and vars the
//! page reports). A symbol none of these know is a compile-time error, never a
//! crash in the page.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// clojure.core as the runtime provides it (runtime/src/core.cpp); a Node test
/// checks that every name here exists in the runtime.
pub const CORE_VARS: &[&str] = &[
    "+",
    "-",
    "*",
    "/",
    "<",
    ">",
    "<=",
    ">=",
    "==",
    "=",
    "not=",
    "inc",
    "dec",
    "mod",
    "rem",
    "quot",
    "max",
    "min",
    "nil?",
    "some?",
    "not",
    "number?",
    "integer?",
    "string?",
    "keyword?",
    "symbol?",
    "vector?",
    "map?",
    "set?",
    "fn?",
    "seq?",
    "zero?",
    "pos?",
    "neg?",
    "even?",
    "odd?",
    "empty?",
    "identity",
    "str",
    "pr-str",
    "println",
    "print",
    "prn",
    "vector",
    "list",
    "hash-map",
    "hash-set",
    "vec",
    "set",
    "get",
    "assoc",
    "dissoc",
    "conj",
    "contains?",
    "count",
    "first",
    "second",
    "rest",
    "next",
    "nthnext",
    "seq",
    "cons",
    "nth",
    "map",
    "filter",
    "remove",
    "reduce",
    "range",
    "into",
    "concat",
    "keys",
    "vals",
    "apply",
    "keyword",
    "symbol",
    "name",
    "deref",
    "throw",
];

#[derive(Debug, Clone)]
pub struct Knowledge {
    pub current_ns: String,
    vars: BTreeMap<String, BTreeSet<String>>,
    aliases: HashMap<String, HashMap<String, String>>,
    refers: HashMap<String, HashMap<String, String>>,
}

impl Default for Knowledge {
    fn default() -> Self {
        let mut vars = BTreeMap::new();
        vars.insert(
            "clojure.core".to_owned(),
            CORE_VARS.iter().map(|s| (*s).to_owned()).collect(),
        );
        vars.insert("user".to_owned(), BTreeSet::new());
        Self {
            current_ns: "user".into(),
            vars,
            aliases: HashMap::new(),
            refers: HashMap::new(),
        }
    }
}

impl Knowledge {
    pub fn enter_ns(&mut self, ns: &str) {
        self.current_ns = ns.to_owned();
        self.vars.entry(ns.to_owned()).or_default();
    }

    pub fn add_alias(&mut self, alias: &str, target: &str) {
        self.aliases
            .entry(self.current_ns.clone())
            .or_default()
            .insert(alias.to_owned(), target.to_owned());
        self.vars.entry(target.to_owned()).or_default();
    }

    pub fn add_refer(&mut self, name: &str, target: &str) {
        self.refers
            .entry(self.current_ns.clone())
            .or_default()
            .insert(name.to_owned(), target.to_owned());
        self.vars.entry(target.to_owned()).or_default();
    }

    pub fn define(&mut self, ns: &str, name: &str) {
        self.vars
            .entry(ns.to_owned())
            .or_default()
            .insert(name.to_owned());
    }

    /// Vars the page reports it has (namespace sync).
    pub fn learn(&mut self, namespaces: &BTreeMap<String, Vec<String>>) {
        for (ns, names) in namespaces {
            let known = self.vars.entry(ns.clone()).or_default();
            known.extend(names.iter().cloned());
        }
    }

    pub fn namespaces(&self) -> impl Iterator<Item = (&String, &BTreeSet<String>)> {
        self.vars.iter()
    }

    /// `::kw` and aliases: the namespace a keyword or symbol prefix stands for.
    pub fn resolve_ns_alias(&self, ns: &str) -> String {
        if ns.is_empty() {
            return self.current_ns.clone();
        }
        self.aliases
            .get(&self.current_ns)
            .and_then(|a| a.get(ns))
            .cloned()
            .unwrap_or_else(|| ns.to_owned())
    }

    /// The var a symbol names, or a message saying why none.
    pub fn resolve(&self, ns: &str, name: &str) -> Result<(String, String), String> {
        if !ns.is_empty() {
            let target = self.resolve_ns_alias(ns);
            return match self.vars.get(&target) {
                Some(names) if names.contains(name) => Ok((target, name.to_owned())),
                Some(_) => Err(format!("No such var: {target}/{name}")),
                None => Err(format!("No such namespace: {ns}")),
            };
        }
        if self
            .vars
            .get(&self.current_ns)
            .is_some_and(|v| v.contains(name))
        {
            return Ok((self.current_ns.clone(), name.to_owned()));
        }
        if let Some(target) = self.refers.get(&self.current_ns).and_then(|r| r.get(name)) {
            return Ok((target.clone(), name.to_owned()));
        }
        if self
            .vars
            .get("clojure.core")
            .is_some_and(|v| v.contains(name))
        {
            return Ok(("clojure.core".into(), name.to_owned()));
        }
        Err(format!("Unable to resolve symbol: {name} in this context"))
    }
}
