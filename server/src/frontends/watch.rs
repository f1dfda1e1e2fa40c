//! `--watch DIR`: saving a .jank file recompiles only its top-level forms that
//! changed (by content hash), in file order, and pushes them to every page.
//!
//! Unchanged forms are blanked out to whitespace rather than removed, so every
//! line and column in an error is the file's own. A burst of saves is
//! debounced into one reload.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use jank_hot_reload_protocol::{EvalRequest, SourceLang};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};
use tokio::sync::{mpsc, Mutex};

use crate::eval::{Evaluator, Requester};
use crate::jank::reader;

pub struct Watch {
    evaluator: Arc<Evaluator>,
    /// The content hashes of each file's top-level forms, as last loaded.
    loaded: Mutex<HashMap<PathBuf, HashSet<String>>>,
    reloads: AtomicU64,
}

/// Keeps the OS watcher alive; dropping it stops watching.
pub struct WatchHandle {
    _debouncer: notify_debouncer_mini::Debouncer<notify::RecommendedWatcher>,
}

fn is_jank(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("jank" | "clj" | "cljc")
    )
}

fn jank_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            jank_files(&path, out);
        } else if is_jank(&path) {
            out.push(path);
        }
    }
}

/// Hashes of the top-level forms' text, in order; None if the file does not read.
fn form_hashes(text: &str) -> Option<Vec<(String, std::ops::Range<usize>, bool)>> {
    let forms = reader::read_top_level(text).ok()?;
    Some(
        forms
            .into_iter()
            .map(|(form, range)| {
                let is_ns = matches!(&form.kind, reader::FormKind::List(items)
                    if items.first().and_then(reader::Form::as_simple_symbol) == Some("ns"));
                (
                    blake3::hash(text[range.clone()].as_bytes())
                        .to_hex()
                        .to_string(),
                    range,
                    is_ns,
                )
            })
            .collect(),
    )
}

/// The file with every form not in `keep` replaced by spaces (newlines kept).
fn blank_out(
    text: &str,
    forms: &[(String, std::ops::Range<usize>, bool)],
    keep: &[bool],
) -> String {
    let mut out = text.to_owned().into_bytes();
    for ((_, range, _), keep) in forms.iter().zip(keep) {
        if !keep {
            for byte in &mut out[range.clone()] {
                if *byte != b'\n' {
                    *byte = b' ';
                }
            }
        }
    }
    // Only ASCII bytes were replaced, whole characters at a time stay valid
    // except inside multi-byte characters, which become spaces too.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

impl Watch {
    pub async fn start(
        dir: PathBuf,
        evaluator: Arc<Evaluator>,
        debounce: Duration,
    ) -> anyhow::Result<WatchHandle> {
        let watch = Arc::new(Watch {
            evaluator,
            loaded: Mutex::default(),
            reloads: AtomicU64::new(0),
        });
        // What is on disk at start is what the pages are assumed to have.
        let mut files = Vec::new();
        jank_files(&dir, &mut files);
        for file in &files {
            if let Some(hashes) = std::fs::read_to_string(file)
                .ok()
                .as_deref()
                .and_then(form_hashes)
            {
                watch.loaded.lock().await.insert(
                    file.clone(),
                    hashes.into_iter().map(|(h, _, _)| h).collect(),
                );
            }
        }
        let (tx, mut rx) = mpsc::unbounded_channel::<Vec<PathBuf>>();
        let mut debouncer = new_debouncer(debounce, move |result: DebounceEventResult| {
            if let Ok(events) = result {
                let paths: Vec<PathBuf> = events
                    .into_iter()
                    .map(|e| e.path)
                    .filter(|p| is_jank(p))
                    .collect();
                if !paths.is_empty() {
                    let _ = tx.send(paths);
                }
            }
        })?;
        debouncer
            .watcher()
            .watch(&dir, notify::RecursiveMode::Recursive)?;
        tracing::info!(dir = %dir.display(), files = files.len(), "watching for changes to .jank files");
        tokio::spawn(async move {
            while let Some(mut paths) = rx.recv().await {
                // The debouncer batches by time window; wait for a quiet
                // period too, so one burst of saves is one reload.
                while let Ok(Some(more)) = tokio::time::timeout(debounce, rx.recv()).await {
                    paths.extend(more);
                }
                paths.sort();
                paths.dedup();
                for path in paths {
                    watch.reload(&path).await;
                }
            }
        });
        Ok(WatchHandle {
            _debouncer: debouncer,
        })
    }

    async fn reload(&self, path: &Path) {
        let Ok(text) = std::fs::read_to_string(path) else {
            return; // deleted or unreadable: nothing to push
        };
        let file = path.display().to_string();
        let forms = form_hashes(&text);
        let previous = self.loaded.lock().await.get(path).cloned();
        // A file that does not read is sent whole, so the reader's error (with
        // its position) reaches every page.
        let (code, changed) = match (&forms, &previous) {
            (Some(forms), Some(previous)) => {
                let changed: Vec<bool> = forms
                    .iter()
                    .map(|(h, _, _)| !previous.contains(h))
                    .collect();
                let count = changed.iter().filter(|c| **c).count();
                if count == 0 {
                    return;
                }
                let keep: Vec<bool> = forms
                    .iter()
                    .zip(&changed)
                    .map(|((_, _, ns), c)| *c || *ns)
                    .collect();
                (blank_out(&text, forms, &keep), count)
            }
            (Some(forms), None) => (text.clone(), forms.len()),
            (None, _) => (text.clone(), 0),
        };
        let n = self.reloads.fetch_add(1, Ordering::Relaxed) + 1;
        let request = EvalRequest {
            id: format!("watch-{n}"),
            code,
            ns: None,
            lang: SourceLang::Jank,
            file: Some(file.clone()),
        };
        let session = format!("watch:{file}");
        let result = self
            .evaluator
            .eval(Requester::Editor(&session), request, None)
            .await;
        match (result.ok, &result.error) {
            (true, _) => {
                if let Some(forms) = forms {
                    self.loaded.lock().await.insert(
                        path.to_owned(),
                        forms.into_iter().map(|(h, _, _)| h).collect(),
                    );
                }
                tracing::info!(%file, forms = changed, total_ms = ?result.timings.total_ms, "reloaded");
            }
            (false, Some(error)) => tracing::warn!(%file, "reload failed: {error}"),
            (false, None) => tracing::warn!(%file, "reload failed"),
        }
    }
}
