//! One evaluation end to end: compile, broadcast the patch, wait for the
//! requesting page's ack, answer. Shared by every front end. What turns the
//! request's source into something to compile is `prepare`.

mod prepare;
pub(crate) mod source_path;

use prepare::{PatchInput, PatchPlan, Prepared};

use std::sync::Arc;
use std::time::{Duration, Instant};

use jank_hot_reload_protocol::{
    encode_patch_frame, CompileErrorNotice, EvalError, EvalRequest, EvalResult, PatchHeader, Phase,
    ServerMessage, Timings,
};

use crate::compile::{Backend, CompileError, CompileOutcome, PatchCompiler};
use crate::hub::{AckFrom, Hub, Outbound};
use crate::jank::{self, Knowledge, LoadHook};

pub struct Evaluator {
    pub compiler: Arc<PatchCompiler>,
    pub hub: Arc<Hub>,
    pub backend: Backend,
    /// What turns jank into a patch: the wasm backend, or C for `backend`.
    pub code_backend: jank::CodeBackend,
    pub ack_timeout: Duration,
    /// What every page has been sent: every page gets every patch, so the vars
    /// are shared; only the current namespace is per session.
    pub knowledge: std::sync::Mutex<Knowledge>,
    pub session_ns: std::sync::Mutex<std::collections::HashMap<String, String>>,
    /// Where the page is served, for the "open the page" advice.
    pub page_url: String,
    /// `--jank-nrepl`: jank source goes to a running jank for C++.
    pub jank_backend: Option<crate::compile::jank_nrepl::JankNrepl>,
}

/// Who asked, which decides whose ack answers.
#[derive(Debug, Clone, Copy)]
pub enum Requester<'a> {
    /// A page (its session id): its own ack answers.
    Page(&'a str),
    /// An editor session: the first page to ack answers.
    Editor(&'a str),
    /// A page that joined late, caught up alone: its patch goes to it only,
    /// outside the patch order every page shares.
    CatchUp(&'a str),
}

/// The editor session of each watched file's reloads (`watch:<file>`).
pub const WATCH_SESSION_PREFIX: &str = "watch:";

impl<'a> Requester<'a> {
    /// The REPL session whose `*1 *2 *3 *e` this eval updates: an editor's,
    /// not a page's own evals nor a watched file's reloads.
    fn repl_session(&self) -> Option<&'a str> {
        match self {
            Requester::Editor(id) if !id.starts_with(WATCH_SESSION_PREFIX) => Some(id),
            _ => None,
        }
    }

    /// Whose ack answers this requester's eval.
    fn ack_from(&self) -> AckFrom {
        match self {
            Requester::Page(page) | Requester::CatchUp(page) => AckFrom::Page((*page).to_owned()),
            Requester::Editor(_) => AckFrom::AnyPage,
        }
    }

    /// The key of the session's current namespace.
    fn ns_key(&self) -> String {
        match self {
            Requester::Page(id) => (*id).to_owned(),
            Requester::Editor(id) => format!("editor:{id}"),
            Requester::CatchUp(id) => format!("catch-up:{id}"),
        }
    }
}

fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Evaluator {
    /// Evaluates for the page `requester`, which loads the patch with every
    /// other page and whose ack carries the answer.
    /// Sends a page that joined late what it lacks, to it alone (see
    /// [`Requester::CatchUp`]).
    pub async fn catch_up(&self, page: &str, request: EvalRequest) -> EvalResult {
        self.eval(Requester::CatchUp(page), request, None).await
    }

    pub async fn eval_for_page(&self, requester: &str, request: EvalRequest) -> EvalResult {
        self.eval(Requester::Page(requester), request, None).await
    }

    /// Evaluates for `who`; `cancel` (an nREPL interrupt) ends the wait early.
    pub async fn eval(
        &self,
        who: Requester<'_>,
        request: EvalRequest,
        cancel: Option<tokio::sync::oneshot::Receiver<()>>,
    ) -> EvalResult {
        let started = Instant::now();
        let id = request.id.clone();
        // The debug-level timestamps bench/turnaround-hops.mjs reads.
        tracing::debug!(%id, "eval started");
        if matches!(who, Requester::Editor(_)) && self.hub.page_count() == 0 {
            return failure(id, self.no_page_error(), Timings::default());
        }
        let requester = who.ns_key();
        let requester = requester.as_str();
        // Hooks as the page has them before this unit (a before-load hook the
        // unit itself defines does not exist yet when the patch arrives).
        let before_load = lock(&self.knowledge).hook_vars(LoadHook::BeforeLoad);
        let PatchPlan {
            input,
            run,
            static_value,
            vars,
            ns,
            front_end_ms,
            notice,
        } = match self.prepare(requester, request).await {
            Prepared::Answer(result) => return result,
            Prepared::Failed(result) => return self.compile_failed(who, result),
            Prepared::Patch(plan) => plan,
        };
        let compiled = match &input {
            PatchInput::Prebuilt(module) => self.compiler.adopt(module),
            PatchInput::Source(source) => self.compiler.compile(source, self.backend).await,
        };
        let compiled = compiled.and_then(|outcome| self.check_imports(outcome));
        let outcome = match compiled {
            Ok(outcome) => outcome,
            Err(err) => {
                let result = failure(id, err.to_eval_error(), timings(started, None, None, false));
                return self.compile_failed(who, result);
            }
        };
        let compile_ms = outcome.elapsed_ms + front_end_ms;
        let patch = &outcome.patch;
        let mut header = PatchHeader {
            patch_id: 0,
            id: Some(id.clone()),
            entry_symbol: patch.entry_symbol.clone(),
            vars: vars.unwrap_or_else(|| patch.vars.clone()),
            ns: ns.clone(),
            hash: patch.hash.clone(),
            byte_length: patch.wasm.len() as u64,
            compile_ms,
            run,
            before_load,
            after_load: lock(&self.knowledge).hook_vars(LoadHook::AfterLoad),
            session: who.repl_session().map(str::to_owned),
            catch_up: false,
        };
        let (patch_id, reached, ack) = match who {
            Requester::CatchUp(page) => {
                // Patch id 0, outside the order: the page applies it on arrival.
                header.catch_up = true;
                let ack = self.hub.expect(who.ack_from(), 0);
                let frame = Outbound::Binary(encode_patch_frame(&header, &patch.wasm));
                let reached = usize::from(self.hub.send_to(page, frame));
                (0, reached, ack)
            }
            // The id is allocated, the ack awaited and the patch sent in one step.
            _ => self.hub.send_patch(|patch_id| {
                header.patch_id = patch_id;
                let ack = self.hub.expect(who.ack_from(), patch_id);
                (
                    Outbound::Binary(encode_patch_frame(&header, &patch.wasm)),
                    ack,
                )
            }),
        };
        tracing::debug!(%id, patch_id, reached, cached = outcome.cached, "patch sent");
        let compile_ms = Some(compile_ms);

        let cancelled = async {
            match cancel {
                Some(rx) => {
                    let _ = rx.await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        let waited = tokio::select! {
            waited = tokio::time::timeout(self.ack_timeout, ack) => waited,
            () = cancelled => {
                self.forget(who, patch_id);
                return failure(
                    id,
                    EvalError::new(Phase::Load, "interrupted while waiting for the page"),
                    timings(started, compile_ms, None, outcome.cached),
                );
            }
        };
        let ack = match waited {
            Ok(Ok(ack)) => {
                tracing::debug!(%id, patch_id, "ack received");
                // What the page has now: learned from the ack this eval awaited.
                if let Some(namespaces) = &ack.namespaces {
                    self.learn_vars(namespaces);
                }
                ack
            }
            Ok(Err(_)) => {
                return failure(
                    id,
                    EvalError::new(
                        Phase::Transfer,
                        format!("the page disconnected before acknowledging patch {patch_id}"),
                    ),
                    timings(started, compile_ms, None, outcome.cached),
                )
            }
            Err(_) => {
                self.forget(who, patch_id);
                return failure(
                    id,
                    EvalError::new(
                        Phase::Load,
                        format!(
                            "the page did not acknowledge patch {patch_id} within {:?}",
                            self.ack_timeout
                        ),
                    ),
                    timings(started, compile_ms, None, outcome.cached),
                );
            }
        };
        EvalResult {
            id,
            ok: ack.ok,
            // A static answer (a trailing defn's var) wins over what the run
            // var printed, which is only the defn's metadata being set.
            value: if ack.ok {
                static_value.or(ack.value)
            } else {
                ack.value
            },
            out: match (notice, ack.out) {
                (Some(notice), Some(out)) => Some(notice + &out),
                (notice, out) => notice.or(out),
            },
            error: ack.error,
            timings: timings(started, compile_ms, Some(ack.load_ms), outcome.cached),
            ns,
        }
    }

    /// The one place a failed compile is reported: to every page (each shows
    /// it; the one that asked de-duplicates by eval id) and to the requester.
    fn compile_failed(&self, who: Requester<'_>, result: EvalResult) -> EvalResult {
        if let Some(error) = &result.error {
            tracing::info!(id = %result.id, "compile failed: {error}");
            let message = ServerMessage::CompileError(CompileErrorNotice {
                id: Some(result.id.clone()),
                error: error.clone(),
            });
            match who {
                Requester::CatchUp(page) => {
                    self.hub.send_json(page, &message);
                }
                _ => {
                    self.hub.broadcast_json(&message);
                }
            }
        }
        result
    }

    /// Stops waiting for `who`'s ack of a patch.
    fn forget(&self, who: Requester<'_>, patch_id: u64) {
        self.hub.forget(who.ack_from(), patch_id);
    }

    fn no_page_error(&self) -> EvalError {
        EvalError::new(
            Phase::Transfer,
            format!(
                "no page is connected, so there is nowhere to run this: open {} in a browser \
                 (it connects by itself), then evaluate again",
                self.page_url
            ),
        )
    }

    /// The session's current namespace (without evaluating anything).
    /// Whether code in `lang` is compiled at its place in its file (the
    /// request's line and column), so its errors need no moving there: the
    /// built-in jank front end reads it so; clang and a jank over nREPL do not.
    pub fn reads_at_origin(&self, lang: jank_hot_reload_protocol::SourceLang) -> bool {
        lang == jank_hot_reload_protocol::SourceLang::Jank && self.jank_backend.is_none()
    }

    pub fn current_ns(&self, who: Requester<'_>) -> String {
        self.namespace_for(&who.ns_key(), None)
    }

    /// Sets a session's namespace, e.g. when an nREPL session is cloned.
    pub fn set_ns(&self, who: Requester<'_>, ns: &str) {
        lock(&self.session_ns).insert(who.ns_key(), ns.to_owned());
    }

    /// Refuses a patch that imports a helper some connected page lacks (a
    /// hand-written C/C++ patch, or jank's), instead of one that loads and
    /// fails when the call is made.
    fn check_imports(&self, outcome: CompileOutcome) -> Result<CompileOutcome, CompileError> {
        let Some(caps) = self.hub.common_capabilities() else {
            return Ok(outcome);
        };
        let missing = crate::compile::missing_helpers(&outcome.patch.wasm, &caps);
        if missing.is_empty() {
            return Ok(outcome);
        }
        Err(CompileError::MissingHelpers(missing))
    }

    /// Reads what the compiler knows (for editor tools: docs, completions).
    pub fn with_knowledge<T>(&self, read: impl FnOnce(&Knowledge) -> T) -> T {
        read(&lock(&self.knowledge))
    }

    /// Var names the compiler knows, for completions: (namespace, name).
    pub fn known_vars(&self) -> Vec<(String, String)> {
        let knowledge = lock(&self.knowledge);
        knowledge
            .namespaces()
            .filter(|(ns, _)| !ns.starts_with(jank::codegen::EVAL_NS))
            .flat_map(|(ns, vars)| {
                vars.into_iter()
                    .filter(|(_, entry)| entry.in_page || entry.is_macro)
                    .map(move |(name, _)| (ns.clone(), name.clone()))
            })
            .collect()
    }

    /// What a page reports it has: the compiler resolves against it.
    pub fn learn_vars(&self, namespaces: &jank_hot_reload_protocol::Namespaces) {
        lock(&self.knowledge).learn(namespaces);
    }

    /// A page joined: it has none of the namespaces required from source
    /// files, so the next require of one loads it again.
    pub fn page_joined(&self) {
        lock(&self.knowledge).forget_loaded();
    }
}

fn timings(
    started: Instant,
    compile_ms: Option<f64>,
    load_ms: Option<f64>,
    cached: bool,
) -> Timings {
    Timings {
        compile_ms,
        load_ms,
        total_ms: Some(started.elapsed().as_secs_f64() * 1000.0),
        cached,
    }
}

fn failure(id: String, error: EvalError, timings: Timings) -> EvalResult {
    EvalResult {
        id,
        ok: false,
        value: None,
        out: None,
        error: Some(error),
        timings,
        ns: None,
    }
}
