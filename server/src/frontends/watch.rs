//! `--watch DIR`: saving a .jank file recompiles only its top-level forms that
//! changed (by content hash), in file order, and pushes them to every page.
//!
//! Unchanged forms are blanked out to whitespace rather than removed, so every
//! line and column in an error is the file's own. A burst of saves is
//! debounced into one reload.
//!
//! Macros hot-reload too: when a saved form redefines a macro, every watched
//! form that names the macro is recompiled with it, in this file and others.
//!
//! A page that connects later catches up: it alone is sent every form that
//! differs from what was on disk at start (what its build has), as the files
//! are now.

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
    dir: PathBuf,
    /// The content hashes of each file's top-level forms at start: what a
    /// page that connects has.
    baseline: HashMap<PathBuf, HashSet<String>>,
    /// The content hashes of each file's top-level forms, as last loaded.
    loaded: Mutex<HashMap<PathBuf, HashSet<String>>>,
    reloads: AtomicU64,
}

/// Keeps the OS watcher alive; dropping it stops watching.
pub struct WatchHandle {
    _debouncer: notify_debouncer_mini::Debouncer<notify::RecommendedWatcher>,
}

fn is_jank(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .and_then(jank_hot_reload_protocol::SourceLang::from_extension)
        == Some(jank_hot_reload_protocol::SourceLang::Jank)
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

/// A file's modification time and size, read without opening it.
fn stamp(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// One top-level form of a watched file.
struct TopForm {
    /// Hash of the form's text.
    hash: String,
    range: std::ops::Range<usize>,
    is_ns: bool,
    /// The name it defines if it is a `(defmacro name ...)`.
    defines_macro: Option<String>,
    /// Every symbol name in it, to find the forms a changed macro expands in.
    symbols: HashSet<String>,
}

fn symbol_names(form: &reader::Form, out: &mut HashSet<String>) {
    match &*form.kind {
        reader::FormKind::Symbol { name, .. } => {
            out.insert(name.clone());
        }
        _ => {
            for item in form.items().unwrap_or_default() {
                symbol_names(item, out);
            }
        }
    }
}

/// The top-level forms, in order; None if the file does not read.
fn top_forms(text: &str) -> Option<Vec<TopForm>> {
    let forms = reader::read_top_level(text).ok()?;
    Some(
        forms
            .into_iter()
            .map(|(form, range)| {
                let items = match &*form.kind {
                    reader::FormKind::List(items) => items.as_slice(),
                    _ => &[],
                };
                let head = items.first().and_then(reader::Form::as_simple_symbol);
                let defines_macro = match (head, items.get(1)) {
                    (Some("defmacro"), Some(name)) => name.as_simple_symbol().map(str::to_owned),
                    _ => None,
                };
                let mut symbols = HashSet::new();
                symbol_names(&form, &mut symbols);
                TopForm {
                    hash: blake3::hash(text[range.clone()].as_bytes())
                        .to_hex()
                        .to_string(),
                    range,
                    is_ns: head == Some("ns"),
                    defines_macro,
                    symbols,
                }
            })
            .collect(),
    )
}

/// The file with every form not in `keep` replaced by spaces (newlines kept).
fn blank_out(text: &str, forms: &[TopForm], keep: &[bool]) -> String {
    let mut out = text.to_owned().into_bytes();
    for (form, keep) in forms.iter().zip(keep) {
        if !keep {
            for byte in &mut out[form.range.clone()] {
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
        // What is on disk at start is what the pages are assumed to have.
        let mut files = Vec::new();
        jank_files(&dir, &mut files);
        let baseline: HashMap<PathBuf, HashSet<String>> = files
            .iter()
            .filter_map(|file| {
                let forms = top_forms(&std::fs::read_to_string(file).ok()?)?;
                Some((file.clone(), forms.into_iter().map(|f| f.hash).collect()))
            })
            .collect();
        let mut joins = evaluator.hub.joins();
        let watch = Arc::new(Watch {
            evaluator,
            dir: dir.clone(),
            loaded: Mutex::new(baseline.clone()),
            baseline,
            reloads: AtomicU64::new(0),
        });
        let catching_up = watch.clone();
        tokio::spawn(async move {
            while let Some(session) = joins.recv().await {
                catching_up.catch_up(&session).await;
            }
        });
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
            // Each file's size and modification time as last reloaded: the
            // watcher also reports reads (reloading opens the file), which
            // must not start another reload.
            let mut stamps: HashMap<PathBuf, Option<(std::time::SystemTime, u64)>> =
                files.iter().map(|f| (f.clone(), stamp(f))).collect();
            while let Some(mut paths) = rx.recv().await {
                // The debouncer batches by time window; wait for a quiet
                // period too, so one burst of saves is one reload.
                while let Ok(Some(more)) = tokio::time::timeout(debounce, rx.recv()).await {
                    paths.extend(more);
                }
                paths.sort();
                paths.dedup();
                for path in paths {
                    let now = stamp(&path);
                    if stamps.get(&path) == Some(&now) {
                        continue;
                    }
                    stamps.insert(path.clone(), now);
                    watch.reload(&path).await;
                }
            }
        });
        Ok(WatchHandle {
            _debouncer: debouncer,
        })
    }

    /// Sends a page that just joined every form that changed since start, file
    /// by file, as they are on disk now.
    async fn catch_up(&self, session: &str) {
        let mut files = Vec::new();
        jank_files(&self.dir, &mut files);
        files.sort();
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Some(forms) = top_forms(&text) else {
                continue; // a file that does not read is reported when saved
            };
            let baseline = self.baseline.get(&path);
            let changed: Vec<bool> = forms
                .iter()
                .map(|f| baseline.is_none_or(|b| !b.contains(&f.hash)))
                .collect();
            if !changed.contains(&true) {
                continue;
            }
            let keep: Vec<bool> = forms
                .iter()
                .zip(&changed)
                .map(|(f, c)| *c || f.is_ns)
                .collect();
            let file = path.display().to_string();
            let n = self.reloads.fetch_add(1, Ordering::Relaxed) + 1;
            let request = EvalRequest {
                id: format!("watch-catch-up-{n}"),
                code: blank_out(&text, &forms, &keep),
                ns: None,
                lang: SourceLang::Jank,
                file: Some(file.clone()),
                line: None,
                column: None,
            };
            let result = self.evaluator.catch_up(session, request).await;
            if result.ok {
                tracing::info!(%session, %file, "a page that joined late caught up");
                if self.evaluator.hub.page_count() == 1 {
                    // The only page has the files as they are now.
                    self.loaded
                        .lock()
                        .await
                        .insert(path, forms.into_iter().map(|f| f.hash).collect());
                }
            } else if let Some(error) = &result.error {
                tracing::warn!(%session, %file, "catching a page up failed: {error}");
            }
        }
    }

    /// Reloads a saved file; if it redefined macros, also the forms of every
    /// other watched file that use them.
    async fn reload(&self, path: &Path) {
        let macros = self.reload_forms(path, &HashSet::new()).await;
        if macros.is_empty() {
            return;
        }
        let others: Vec<PathBuf> = self
            .loaded
            .lock()
            .await
            .keys()
            .filter(|p| p.as_path() != path)
            .cloned()
            .collect();
        for other in others {
            self.reload_forms(&other, &macros).await;
        }
    }

    /// Compiles the forms of `path` that changed since the last load, or that
    /// name one of `changed_macros`. Returns the macros this reload redefined.
    async fn reload_forms(&self, path: &Path, changed_macros: &HashSet<String>) -> HashSet<String> {
        let Ok(text) = std::fs::read_to_string(path) else {
            return HashSet::new(); // deleted or unreadable: nothing to push
        };
        let file = path.display().to_string();
        let forms = top_forms(&text);
        let previous = self.loaded.lock().await.get(path).cloned();
        let mut redefined = HashSet::new();
        // A file that does not read is sent whole, so the reader's error (with
        // its position) reaches every page.
        let (code, changed) = match (&forms, &previous) {
            (Some(forms), Some(previous)) => {
                let mut changed: Vec<bool> =
                    forms.iter().map(|f| !previous.contains(&f.hash)).collect();
                redefined.extend(
                    forms
                        .iter()
                        .zip(&changed)
                        .filter(|(_, c)| **c)
                        .filter_map(|(f, _)| f.defines_macro.clone()),
                );
                let macros: HashSet<&String> =
                    changed_macros.iter().chain(redefined.iter()).collect();
                for (form, changed) in forms.iter().zip(changed.iter_mut()) {
                    if !*changed
                        && form.defines_macro.is_none()
                        && form.symbols.iter().any(|s| macros.contains(s))
                    {
                        *changed = true;
                    }
                }
                let count = changed.iter().filter(|c| **c).count();
                if count == 0 {
                    return redefined;
                }
                let keep: Vec<bool> = forms
                    .iter()
                    .zip(&changed)
                    .map(|(f, c)| *c || f.is_ns)
                    .collect();
                (blank_out(&text, forms, &keep), count)
            }
            (Some(forms), None) => {
                redefined.extend(forms.iter().filter_map(|f| f.defines_macro.clone()));
                (text.clone(), forms.len())
            }
            (None, _) => (text.clone(), 0),
        };
        if self.evaluator.hub.page_count() == 0 {
            // Nothing to push to: pages catch up when they connect.
            tracing::info!(%file, "changed while no page is connected");
            return HashSet::new();
        }
        let n = self.reloads.fetch_add(1, Ordering::Relaxed) + 1;
        let request = EvalRequest {
            id: format!("watch-{n}"),
            code,
            ns: None,
            lang: SourceLang::Jank,
            file: Some(file.clone()),
            line: None,
            column: None,
        };
        let session = format!("{}{file}", crate::eval::WATCH_SESSION_PREFIX);
        let result = self
            .evaluator
            .eval(Requester::Editor(&session), request, None)
            .await;
        match (result.ok, &result.error) {
            (true, _) => {
                if let Some(forms) = forms {
                    self.loaded
                        .lock()
                        .await
                        .insert(path.to_owned(), forms.into_iter().map(|f| f.hash).collect());
                }
                tracing::info!(%file, forms = changed, total_ms = ?result.timings.total_ms, "reloaded");
                redefined
            }
            (false, Some(error)) => {
                tracing::warn!(%file, "reload failed: {error}");
                HashSet::new()
            }
            (false, None) => {
                tracing::warn!(%file, "reload failed");
                HashSet::new()
            }
        }
    }
}
