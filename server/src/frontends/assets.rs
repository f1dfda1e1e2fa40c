//! The served root, watched: a changed `.css` is swapped into every page
//! without a reload, a changed `.html` reloads the pages that show it (as
//! figwheel and Vite do). Anything else is left to the page.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jank_hot_reload_protocol::{AssetChange, AssetReload, ServerMessage};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};

use crate::hub::Hub;

/// Keeps the OS watcher alive; dropping it stops watching.
pub struct AssetWatch {
    _debouncer: notify_debouncer_mini::Debouncer<notify::RecommendedWatcher>,
}

/// What a change to `path` asks of the pages, if anything.
fn reload_for(path: &Path) -> Option<AssetReload> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("css") => Some(AssetReload::Css),
        Some("html" | "htm") => Some(AssetReload::Page),
        _ => None,
    }
}

/// The URL path of a file under `root` (`/styles/app.css`), if it is under it.
fn url_path(root: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(root).ok()?;
    let parts: Vec<&str> = relative.iter().filter_map(|p| p.to_str()).collect();
    (!parts.is_empty()).then(|| format!("/{}", parts.join("/")))
}

/// The content hash of a file, if it can be read.
fn content_hash(file: &Path) -> Option<blake3::Hash> {
    std::fs::read(file).ok().map(|bytes| blake3::hash(&bytes))
}

/// Every stylesheet and page under `dir`, with its content hash.
fn snapshot(dir: &Path, out: &mut HashMap<PathBuf, blake3::Hash>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            snapshot(&path, out);
        } else if reload_for(&path).is_some() {
            if let Some(hash) = content_hash(&path) {
                out.insert(path, hash);
            }
        }
    }
}

impl AssetWatch {
    pub fn start(root: PathBuf, hub: Arc<Hub>, debounce: Duration) -> anyhow::Result<Self> {
        let watched = root.clone();
        // Only a change of content counts: the OS also reports a file being
        // read (every page load reads the HTML) or touched.
        let mut known = HashMap::new();
        snapshot(&root, &mut known);
        let known = Mutex::new(known);
        let mut debouncer = new_debouncer(debounce, move |result: DebounceEventResult| {
            let Ok(events) = result else {
                return;
            };
            for event in events {
                let (Some(reload), Some(path)) =
                    (reload_for(&event.path), url_path(&watched, &event.path))
                else {
                    continue;
                };
                let Some(hash) = content_hash(&event.path) else {
                    continue;
                };
                let unchanged = known
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(event.path.clone(), hash)
                    == Some(hash);
                if unchanged {
                    continue;
                }
                tracing::info!(%path, ?reload, "asset changed");
                hub.broadcast_json(&ServerMessage::AssetChanged(AssetChange { path, reload }));
            }
        })?;
        debouncer
            .watcher()
            .watch(&root, notify::RecursiveMode::Recursive)?;
        Ok(Self {
            _debouncer: debouncer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheets_swap_pages_reload_the_rest_is_left() {
        assert_eq!(reload_for(Path::new("/w/a.css")), Some(AssetReload::Css));
        assert_eq!(
            reload_for(Path::new("/w/index.html")),
            Some(AssetReload::Page)
        );
        assert_eq!(reload_for(Path::new("/w/app.js")), None);
        assert_eq!(
            url_path(Path::new("/w"), Path::new("/w/styles/app.css")).as_deref(),
            Some("/styles/app.css")
        );
        assert_eq!(
            url_path(Path::new("/w"), Path::new("/elsewhere/a.css")),
            None
        );
    }
}
