//! The front of an eval: the request's source to what the patch compiler
//! takes (jank through the built-in compiler or a running jank, C and C++ as
//! they are), or to an answer that needs no patch.

use std::time::Instant;

use jank_hot_reload_protocol::{EvalError, EvalRequest, EvalResult, Phase, SourceLang, Timings};

use super::{failure, lock, Evaluator};
use crate::compile::PatchSource;
use crate::jank;

/// What a patch is made from.
pub(super) enum PatchInput {
    /// Source for the C pipeline (C, C++, or the C backend's jank).
    Source(PatchSource),
    /// The module the wasm backend already wrote: no C pipeline.
    Prebuilt(jank::WasmModule),
}

/// A patch's input, or an answer that needs no patch.
pub(super) enum Prepared {
    Patch(PatchPlan),
    Answer(EvalResult),
    /// The front end refused the code: every page is told, in one place.
    Failed(EvalResult),
}

/// A patch to build and send, with what the eval's answer needs from the
/// front end.
pub(super) struct PatchPlan {
    pub(super) input: PatchInput,
    pub(super) run: Option<String>,
    /// The answer when it is not the run var's value.
    pub(super) static_value: Option<String>,
    /// The jank front end's vars (None: take them from the C table).
    pub(super) vars: Option<Vec<jank_hot_reload_protocol::VarInfo>>,
    pub(super) ns: Option<String>,
    pub(super) front_end_ms: f64,
    /// What the compiler has to tell the user (a redefined macro's stale
    /// users), printed before the page's own output.
    pub(super) notice: Option<String>,
}

impl Evaluator {
    /// C++ from a running jank (`--jank-nrepl`); only defs, as its op requires.
    async fn prepare_with_jank(
        &self,
        requester: &str,
        id: String,
        code: String,
        request_ns: Option<String>,
    ) -> Prepared {
        let ns = self.namespace_for(requester, request_ns.as_deref());
        let started = Instant::now();
        let Some(backend) = &self.jank_backend else {
            return Prepared::Answer(failure(
                id,
                EvalError::new(Phase::Compile, "no jank backend"),
                Timings::default(),
            ));
        };
        match backend.compile(&code, &ns).await {
            Ok(patch) => {
                let qualified = format!("{}/{}", patch.ns, patch.var);
                Prepared::Patch(PatchPlan {
                    input: PatchInput::Source(PatchSource {
                        code: patch.cpp,
                        lang: SourceLang::Cpp,
                        file: None,
                        own_entry: Some(patch.entry_symbol),
                    }),
                    run: None,
                    static_value: Some(format!("#'{qualified}")),
                    vars: Some(vec![jank_hot_reload_protocol::VarInfo {
                        name: qualified,
                        arity: String::new(),
                    }]),
                    ns: Some(patch.ns),
                    front_end_ms: started.elapsed().as_secs_f64() * 1000.0,
                    notice: None,
                })
            }
            Err(error) => Prepared::Failed(failure(id, error, Timings::default())),
        }
    }

    /// The requester's current namespace, or the request's own.
    pub(super) fn namespace_for(&self, requester: &str, request_ns: Option<&str>) -> String {
        request_ns
            .map(str::to_owned)
            .or_else(|| lock(&self.session_ns).get(requester).cloned())
            .unwrap_or_else(|| "user".to_owned())
    }

    /// Runs the jank front end (or passes C/C++ through).
    pub(super) async fn prepare(&self, requester: &str, request: EvalRequest) -> Prepared {
        let id = request.id;
        match request.lang {
            SourceLang::Jank if self.jank_backend.is_some() => {
                self.prepare_with_jank(requester, id, request.code, request.ns)
                    .await
            }
            SourceLang::Jank => {
                let ns = self.namespace_for(requester, request.ns.as_deref());
                // One patch serves every page: compile for what all can load.
                let target = self.hub.common_capabilities();
                let compiled = {
                    let mut knowledge = lock(&self.knowledge);
                    knowledge.enter_ns(&ns);
                    let origin = jank::Origin {
                        file: request.file.as_deref(),
                        line: request.line.unwrap_or(1),
                        column: request.column.unwrap_or(1),
                    };
                    jank::compile_for(
                        &request.code,
                        origin,
                        &mut knowledge,
                        self.code_backend,
                        target.as_ref(),
                    )
                };
                let unit = match compiled {
                    Ok(unit) => unit,
                    Err(error) => {
                        return Prepared::Failed(EvalResult {
                            ns: Some(ns),
                            ..failure(id, error, Timings::default())
                        });
                    }
                };
                lock(&self.session_ns).insert(requester.to_owned(), unit.ns.clone());
                let input = match (unit.wasm, unit.c_source) {
                    (Some(module), _) => PatchInput::Prebuilt(module),
                    (None, Some(code)) => PatchInput::Source(PatchSource {
                        code,
                        lang: SourceLang::C,
                        file: None,
                        own_entry: None,
                    }),
                    (None, None) => {
                        return Prepared::Answer(EvalResult {
                            id,
                            ok: true,
                            value: Some(unit.static_value),
                            out: unit.notice,
                            error: None,
                            timings: Timings {
                                compile_ms: Some(unit.front_end_ms),
                                ..Timings::default()
                            },
                            ns: Some(unit.ns),
                        })
                    }
                };
                Prepared::Patch(PatchPlan {
                    input,
                    static_value: unit.answer_is_static.then_some(unit.static_value),
                    vars: Some(unit.vars),
                    run: unit.run_var,
                    ns: Some(unit.ns),
                    front_end_ms: unit.front_end_ms,
                    notice: unit.notice,
                })
            }
            lang => Prepared::Patch(PatchPlan {
                input: PatchInput::Source(PatchSource {
                    code: request.code,
                    lang,
                    file: request.file,
                    own_entry: None,
                }),
                run: None,
                static_value: None,
                vars: None,
                ns: request.ns,
                front_end_ms: 0.0,
                notice: None,
            }),
        }
    }
}
