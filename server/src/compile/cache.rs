//! Content-addressed patch cache: the key is a hash of everything that decides
//! the output bytes, so a hit is always exactly what a recompile would produce.

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use lru::LruCache;

use super::CompiledPatch;

pub struct PatchCache {
    entries: Mutex<LruCache<String, Arc<CompiledPatch>>>,
}

impl PatchCache {
    pub fn new(capacity: usize) -> Self {
        let capacity = NonZeroUsize::new(capacity.max(1)).unwrap_or(NonZeroUsize::MIN);
        Self {
            entries: Mutex::new(LruCache::new(capacity)),
        }
    }

    pub fn get(&self, key: &str) -> Option<Arc<CompiledPatch>> {
        self.lock().get(key).cloned()
    }

    pub fn insert(&self, key: String, patch: Arc<CompiledPatch>) {
        self.lock().put(key, patch);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, Arc<CompiledPatch>>> {
        // A panic while holding the lock cannot leave the LRU half-updated in a
        // way that matters for a cache; keep serving.
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}
