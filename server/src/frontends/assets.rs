//! The served root, watched: a changed `.css` is swapped into every page
//! without a reload, a changed `.html` reloads the pages that show it (as
//! figwheel and Vite do). Anything else is left to the page.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use jank_hot_reload_protocol::{AssetReload, ServerMessage};
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

impl AssetWatch {
    pub fn start(root: PathBuf, hub: Arc<Hub>, debounce: Duration) -> anyhow::Result<Self> {
        let watched = root.clone();
        let mut debouncer = new_debouncer(debounce, move |result: DebounceEventResult| {
            let Ok(events) = result else {
                return;
            };
            let mut seen = std::collections::BTreeSet::new();
            for event in events {
                let (Some(reload), Some(path)) =
                    (reload_for(&event.path), url_path(&watched, &event.path))
                else {
                    continue;
                };
                if !event.path.exists() || !seen.insert(path.clone()) {
                    continue;
                }
                tracing::info!(%path, ?reload, "asset changed");
                hub.broadcast_json(&ServerMessage::AssetChanged { path, reload });
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
