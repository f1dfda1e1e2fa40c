//! One evaluation end to end: compile, broadcast the patch, wait for the
//! requesting page's ack, answer. Shared by every front end.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jank_hot_reload_protocol::{
    encode_patch_frame, EvalError, EvalRequest, EvalResult, PatchHeader, Phase, ServerMessage,
    SourceLang, Timings,
};

use crate::compile::{Backend, PatchCompiler, PatchSource};
use crate::hub::{Hub, Outbound};

pub struct Evaluator {
    pub compiler: Arc<PatchCompiler>,
    pub hub: Arc<Hub>,
    pub backend: Backend,
    pub ack_timeout: Duration,
}

impl Evaluator {
    /// Evaluates for the page `requester`, which loads the patch with every
    /// other page and whose ack carries the answer.
    pub async fn eval_for_page(&self, requester: &str, request: EvalRequest) -> EvalResult {
        let started = Instant::now();
        let id = request.id.clone();
        let source = match request.lang {
            SourceLang::Jank => {
                return failure(
                    id,
                    EvalError::new(
                        Phase::Compile,
                        "this server compiles C and C++ patches (lang \"c++\" or \"c\"); \
                         jank source needs the built-in jank compiler, which is not in this build",
                    ),
                    Timings::default(),
                )
            }
            lang => PatchSource {
                code: request.code,
                lang,
                file: None,
            },
        };

        let outcome = match self.compiler.compile(&source, self.backend).await {
            Ok(outcome) => outcome,
            Err(err) => {
                let error = err.to_eval_error();
                tracing::info!(%id, "compile failed: {error}");
                self.hub.broadcast_json(&ServerMessage::CompileError {
                    id: Some(id.clone()),
                    error: error.clone(),
                });
                return failure(id, error, timings(started, None, None, false));
            }
        };
        let patch = &outcome.patch;
        let patch_id = self.hub.next_patch_id();
        let header = PatchHeader {
            patch_id,
            id: Some(id.clone()),
            entry_symbol: patch.entry_symbol.clone(),
            vars: patch.vars.clone(),
            ns: request.ns.clone(),
            hash: patch.hash.clone(),
            byte_length: patch.wasm.len() as u64,
            compile_ms: outcome.elapsed_ms,
            run: None,
        };
        let ack = self.hub.expect_ack(requester, patch_id);
        let reached = self
            .hub
            .broadcast(Outbound::Binary(encode_patch_frame(&header, &patch.wasm)));
        tracing::debug!(%id, patch_id, reached, cached = outcome.cached, "patch sent");
        let compile_ms = Some(outcome.elapsed_ms);

        let ack = match tokio::time::timeout(self.ack_timeout, ack).await {
            Ok(Ok(ack)) => ack,
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
                self.hub.forget_ack(requester, patch_id);
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
            value: ack.value,
            out: ack.out,
            error: ack.error,
            timings: timings(started, compile_ms, Some(ack.load_ms), outcome.cached),
        }
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
    }
}
