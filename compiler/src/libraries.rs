//! Libraries written in jank and bundled with the compiler: `require` of one
//! compiles it into the requiring patch, the first time, as any namespace on
//! the source path is loaded. Clojure's own libraries that are plain Clojure
//! live here, so the page's runtime carries only what has to be native.

use crate::knowledge::LibSource;

/// Each bundled namespace and its source.
const BUNDLED: &[(&str, &str, &str)] = &[
    (
        "clojure.zip",
        "clojure/zip.jank",
        include_str!("libraries/clojure/zip.jank"),
    ),
    (
        "clojure.core.reducers",
        "clojure/core/reducers.jank",
        include_str!("libraries/clojure/core/reducers.jank"),
    ),
    (
        "clojure.core.protocols",
        "clojure/core/protocols.jank",
        include_str!("libraries/clojure/core/protocols.jank"),
    ),
    (
        "clojure.datafy",
        "clojure/datafy.jank",
        include_str!("libraries/clojure/datafy.jank"),
    ),
    (
        "clojure.java.io",
        "clojure/java/io.jank",
        include_str!("libraries/clojure/java/io.jank"),
    ),
    (
        "clojure.spec.alpha",
        "clojure/spec/alpha.jank",
        include_str!("libraries/clojure/spec/alpha.jank"),
    ),
    (
        "clojure.stacktrace",
        "clojure/stacktrace.jank",
        include_str!("libraries/clojure/stacktrace.jank"),
    ),
    (
        "clojure.template",
        "clojure/template.jank",
        include_str!("libraries/clojure/template.jank"),
    ),
    (
        "clojure.repl",
        "clojure/repl.jank",
        include_str!("libraries/clojure/repl.jank"),
    ),
    (
        "clojure.main",
        "clojure/main.jank",
        include_str!("libraries/clojure/main.jank"),
    ),
    (
        "clojure.instant",
        "clojure/instant.jank",
        include_str!("libraries/clojure/instant.jank"),
    ),
    (
        "jank.hot-reload.test",
        "jank/hot_reload/test.jank",
        include_str!("libraries/jank/hot_reload/test.jank"),
    ),
];

/// The bundled source of ns, if the compiler carries it.
pub(crate) fn bundled(ns: &str) -> Option<LibSource> {
    BUNDLED
        .iter()
        .find(|(name, ..)| *name == ns)
        .map(|(_, file, text)| LibSource {
            file: format!("(bundled) {file}"),
            text: (*text).to_owned(),
        })
}
