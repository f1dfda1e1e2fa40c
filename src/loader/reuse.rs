//! Patches already loaded, by content hash, so identical bytes load again
//! without a new module. Emscripten's dlopen keeps every library it opened by
//! path: opening the same path again re-runs only the entry (which rebinds the
//! vars) with no compile, instantiation or table growth. Re-evaluating an
//! unchanged form (an editor's load-file, or a defn evaluated back) is common.
//!
//! The files stay in Emscripten's FS, for runtimes that read the file before
//! dlopen and so the loader can check the bytes really are the same; a byte
//! budget bounds them, oldest out first.
//!
//! A `Vec`, searched linearly: a few hundred entries at most, and a
//! `HashMap` or `VecDeque` would link its own code into the client for this alone.

/// The FS bytes kept for reuse; past it the oldest patches are forgotten.
const BUDGET_BYTES: usize = 2 * 1024 * 1024;

#[derive(Default)]
pub(crate) struct LoadedPatches {
    /// Oldest first.
    kept: Vec<Kept>,
    bytes: usize,
}

struct Kept {
    hash: String,
    path: String,
    size: usize,
}

impl LoadedPatches {
    /// The path a patch with this content hash was loaded from, if it still is.
    pub(crate) fn path_of(&self, hash: &str) -> Option<&str> {
        self.kept
            .iter()
            .find(|kept| kept.hash == hash)
            .map(|kept| kept.path.as_str())
    }

    /// Records a successful load; returns the paths no longer kept (this one,
    /// when it has no hash to be found by), to unlink.
    pub(crate) fn remember(&mut self, hash: &str, path: &str, size: usize) -> Vec<String> {
        if hash.is_empty() || self.path_of(hash).is_some() {
            return vec![path.to_owned()];
        }
        self.kept.push(Kept {
            hash: hash.to_owned(),
            path: path.to_owned(),
            size,
        });
        self.bytes += size;
        let mut evicted = Vec::new();
        while self.bytes > BUDGET_BYTES && self.kept.len() > 1 {
            let oldest = self.kept.remove(0);
            self.bytes -= oldest.size;
            evicted.push(oldest.path);
        }
        evicted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_by_hash_and_evicts_the_oldest_past_the_budget() {
        let mut loaded = LoadedPatches::default();
        assert!(loaded.remember("a", "/p/a", BUDGET_BYTES / 2).is_empty());
        assert!(loaded.remember("b", "/p/b", BUDGET_BYTES / 2).is_empty());
        assert_eq!(loaded.path_of("a"), Some("/p/a"));
        assert_eq!(loaded.remember("c", "/p/c", 10), vec!["/p/a".to_owned()]);
        assert_eq!(loaded.path_of("a"), None);
        assert_eq!(loaded.path_of("c"), Some("/p/c"));
        // An empty hash (a server that sends none) is never reused.
        assert_eq!(loaded.remember("", "/p/x", 1), vec!["/p/x".to_owned()]);
        assert_eq!(loaded.path_of(""), None);
    }

    #[test]
    fn a_patch_larger_than_the_budget_is_still_kept_alone() {
        let mut loaded = LoadedPatches::default();
        loaded.remember("a", "/p/a", 1);
        assert_eq!(
            loaded.remember("big", "/p/big", BUDGET_BYTES * 2),
            vec!["/p/a".to_owned()]
        );
        assert_eq!(loaded.path_of("big"), Some("/p/big"));
    }
}
