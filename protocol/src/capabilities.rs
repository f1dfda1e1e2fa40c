//! What a page's runtime can load: the helper exports patches may import, this
//! project's optional extensions, and the registry's limits. The page reports
//! them in `hello`; the compiler emits only what every connected page loads.

use serde::{Deserialize, Serialize};

/// Every helper a generated patch may import from the main module.
pub const HELPERS: &[&str] = &[
    "jank_box_integer",
    "jank_box_double",
    "jank_make_string",
    "jank_make_keyword",
    "jank_make_symbol",
    "jank_make_vector",
    "jank_make_set",
    "jank_make_list",
    "jank_make_map",
    "jank_nil_value",
    "jank_truthy",
    "jank_call_var",
    "jank_deref_var",
    "jank_make_fn_wrapper",
    "jank_call",
    "jank_make_closure",
    "jank_fn_add_arity",
    "jank_make_char",
    "jank_make_boolean",
    "jank_var",
    "jank_set_var_root",
    "jank_throw",
    "jank_try",
];

/// This project's optional exports, found by feature detection.
pub const EXTENSIONS: &[&str] = &[
    "jank_hot_reload_run_var",
    "jank_hot_reload_run_eval",
    "jank_hot_reload_list_vars",
    "jank_hot_reload_last_error",
    "jank_hot_reload_capabilities",
    "jank_gc_maybe",
    "jank_gc_stats",
    "jank_hot_reload_loop_tick",
    "jank_gc_add_root",
    "jank_hot_reload_core_op",
    "jank_hot_reload_core_deref",
    "jank_hot_reload_safepoint",
    "jank_hot_reload_safe_call",
    "jank_hot_reload_safe_try",
];

/// The extension a patch calls on every `recur`, so that the page's time
/// limit stops a loop that calls nothing else. Compiled in only for pages
/// that export it.
pub const LOOP_TICK: &str = "jank_hot_reload_loop_tick";

/// The extension that makes a patch's slot a root of the page's collector: a
/// patch builds each constant once, keeps it in a slot, and registers it.
/// Compiled in only for pages that export it (a conservative collector, as a
/// real jank.wasm has, needs no roots, and its patches build constants where
/// they are used).
pub const GC_ADD_ROOT: &str = "jank_gc_add_root";

/// The extension through which a patch calls clojure.core's arithmetic and
/// comparisons directly, as Clojure inlines them, instead of through their
/// vars. Compiled in only for pages that export it.
pub const CORE_OP: &str = "jank_hot_reload_core_op";

/// The extension through which a patch calls clojure.core's `deref` of one
/// argument directly: `@x`, and every use of a named fn's or a letfn's name,
/// which lives in a box. Compiled in only for pages that export it.
pub const CORE_DEREF: &str = "jank_hot_reload_core_deref";

/// The extensions that let the page collect garbage inside a call, at a
/// patch's safepoints: every `recur` calls [`SAFEPOINT`] (the loop tick, and
/// a chance to collect), and calls and `try` go through [`SAFE_CALL`] and
/// [`SAFE_TRY`], which tell the page that the calling frame keeps every value
/// it holds in its shadow-stack frame, where the collector finds it. Only the
/// wasm backend emits them, for pages that export all three.
pub const SAFEPOINT: &str = "jank_hot_reload_safepoint";
pub const SAFE_CALL: &str = "jank_hot_reload_safe_call";
pub const SAFE_TRY: &str = "jank_hot_reload_safe_try";

/// What the page's registry accepts. A runtime that exports
/// `jank_hot_reload_capabilities` says; one that does not is taken to have
/// the jank fork's registry ([`RegistryLimits::FORK`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryLimits {
    /// The highest fixed arity a symbol may register.
    pub max_arity: u32,
    /// Whether a `"N+"` signature registers a variadic arity.
    pub variadic: bool,
    /// Whether several entries for one var make one multi-arity fn (the
    /// fork rebinds the var for each, so the last wins).
    pub multi_arity: bool,
    /// The most arguments `jank_call_var` passes on (None: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_var_max_args: Option<u32>,
    /// The highest arity `jank_make_fn_wrapper` wraps.
    pub fn_wrapper_max_arity: u32,
}

impl RegistryLimits {
    /// The jank fork's registry (pfeodrippe/jank, branch nrepl).
    pub const FORK: RegistryLimits = RegistryLimits {
        max_arity: 4,
        variadic: false,
        multi_arity: false,
        call_var_max_args: Some(5),
        fn_wrapper_max_arity: 3,
    };
}

/// A page's runtime, as its client found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// The helpers of [`HELPERS`] it exports.
    pub helpers: Vec<String>,
    /// The extensions of [`EXTENSIONS`] it exports.
    pub extensions: Vec<String>,
    pub limits: RegistryLimits,
}

impl Capabilities {
    pub fn has_helper(&self, name: &str) -> bool {
        self.helpers.iter().any(|h| h == name)
    }

    pub fn has_extension(&self, name: &str) -> bool {
        self.extensions.iter().any(|e| e == name)
    }

    /// What every one of several pages can load: the helpers and extensions
    /// all of them have, and the tightest of their limits.
    pub fn intersection<'a>(pages: impl IntoIterator<Item = &'a Capabilities>) -> Option<Self> {
        let mut pages = pages.into_iter();
        let mut common = pages.next()?.clone();
        for page in pages {
            common.helpers.retain(|h| page.has_helper(h));
            common.extensions.retain(|e| page.has_extension(e));
            let (a, b) = (common.limits, page.limits);
            common.limits = RegistryLimits {
                max_arity: a.max_arity.min(b.max_arity),
                variadic: a.variadic && b.variadic,
                multi_arity: a.multi_arity && b.multi_arity,
                call_var_max_args: match (a.call_var_max_args, b.call_var_max_args) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                },
                fn_wrapper_max_arity: a.fn_wrapper_max_arity.min(b.fn_wrapper_max_arity),
            };
        }
        Some(common)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(helpers: &[&str], extensions: &[&str], limits: RegistryLimits) -> Capabilities {
        Capabilities {
            helpers: helpers.iter().map(|s| s.to_string()).collect(),
            extensions: extensions.iter().map(|s| s.to_string()).collect(),
            limits,
        }
    }

    #[test]
    fn the_loop_tick_is_an_extension_pages_report() {
        assert!(EXTENSIONS.contains(&LOOP_TICK));
        assert!(EXTENSIONS.contains(&GC_ADD_ROOT));
        assert!(EXTENSIONS.contains(&CORE_OP));
        assert!(EXTENSIONS.contains(&CORE_DEREF));
    }

    #[test]
    fn the_intersection_keeps_what_every_page_has_and_the_tightest_limits() {
        let full = RegistryLimits {
            max_arity: 20,
            variadic: true,
            multi_arity: true,
            call_var_max_args: None,
            fn_wrapper_max_arity: 20,
        };
        let reference = page(HELPERS, EXTENSIONS, full);
        let fork = page(
            &["jank_box_integer", "jank_call_var"],
            &[],
            RegistryLimits::FORK,
        );
        let common = Capabilities::intersection([&reference, &fork]).expect("two pages");
        assert_eq!(common.helpers, ["jank_box_integer", "jank_call_var"]);
        assert!(common.extensions.is_empty());
        assert_eq!(common.limits, RegistryLimits::FORK);
        assert_eq!(Capabilities::intersection([]), None);
        assert_eq!(Capabilities::intersection([&reference]), Some(reference));
    }
}
