//! Backends: analyzed units to loadable patches.
//!
//! - `c`: C against the helper ABI, compiled by clang and wasm-ld (the
//!   server's compile pipeline); the reference backend.
//! - `wasm`: an Emscripten side module written directly, with no C compiler
//!   or linker in the loop.

pub mod c;
pub mod wasm;

use crate::ast::Unit;

/// The export through which a patch gives the page the metadata its symbol
/// table cannot: `const char *jank_patch_meta(void)`, an EDN map of each
/// fn's qualified symbol to its `:arglists` (runtime/include/jank/hot_reload_abi.h).
/// A runtime without it ignores the export.
pub const PATCH_META_EXPORT: &str = "jank_patch_meta";

/// The text `jank_patch_meta` returns, or None when no defn carries arglists.
pub(crate) fn patch_meta(unit: &Unit) -> Option<String> {
    let entries: Vec<String> = unit
        .defns
        .iter()
        .filter_map(|d| Some(format!("{}/{} {}", d.ns, d.name, d.arglists.as_ref()?)))
        .collect();
    (!entries.is_empty()).then(|| format!("{{{}}}", entries.join(", ")))
}
