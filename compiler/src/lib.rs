//! The jank compiler: jank source to a patch against the helper ABI.
//!
//! `reader` (text → forms) → `analyzer` (the special-form kernel; macros are
//! expanded by running them in `eval`, the compile-time evaluator) →
//! `backend` (ast → C). clojure.core's macros are jank source
//! (`prelude/core.jank`), loaded once. Every form either compiles correctly
//! or fails with a message and a position; nothing becomes a silent nil.
//!
//! This crate knows nothing of the server: no sockets, no processes.

mod analyzer;
mod anon_fn;
mod arglists;
pub mod ast;
pub mod backend;
pub mod diagnostics;
pub mod eval;
pub mod expansion;
pub mod form;
pub mod knowledge;
mod libraries;
mod prelude;
pub mod pretty;
pub mod reader;
mod repl_docs;
pub mod syntax_quote;
pub mod tagged;
pub mod target;

use jank_hot_reload_protocol::{EvalError, Phase, VarInfo};

pub use backend::c as codegen;
use diagnostics::code_frame;
use form::{Form, FormKind, Pos};
pub use knowledge::{Knowledge, LoadHook};
pub use repl_docs::{apropos, special_form_doc, special_form_docs, SpecialFormDoc};

/// Stack for one compilation: macro expansion and analysis recurse, and a
/// runaway macro must end in an error, not a crashed server thread. A thread
/// that runs compiles often (the server's) is started with this much stack
/// plus its own needs, and compiles run on it in place.
pub const COMPILE_STACK_BYTES: usize = 256 << 20;

/// Runs `work` with [`COMPILE_STACK_BYTES`] of stack: in place when the
/// thread has that much left, else on a fresh stack that stacker maps for the
/// call. (A thread of its own per compile cost a spawn, a join and a trip
/// through the OS scheduler: about 0.3 ms of every editor eval.)
pub(crate) fn with_big_stack<T>(work: impl FnOnce() -> T) -> T {
    stacker::maybe_grow(COMPILE_STACK_BYTES, COMPILE_STACK_BYTES, work)
}

/// Where the source being compiled sits: its file, and the line and column
/// its first character has there (an editor evaluates one form of a file).
/// Forms carry the file's positions, so errors and `(meta &form)` point into
/// the file, and `*file*` is the file while macros run.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file: Option<&'a str>,
    pub line: u32,
    pub column: u32,
}

impl<'a> From<Option<&'a str>> for Origin<'a> {
    /// The whole file, or code with no file.
    fn from(file: Option<&'a str>) -> Self {
        Self {
            file,
            line: 1,
            column: 1,
        }
    }
}

impl Origin<'_> {
    /// `pos` in the file, as a position in the source text (1-based).
    fn in_source(&self, pos: Pos) -> (u32, u32) {
        let line = (pos.line + 1).saturating_sub(self.line).max(1);
        let column = if pos.line == self.line {
            (pos.column + 1).saturating_sub(self.column).max(1)
        } else {
            pos.column
        };
        (line, column)
    }
}

/// Which backend writes the patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CodeBackend {
    /// C source, for clang and wasm-ld (the server compiles it).
    #[default]
    C,
    /// The side module itself (`backend::wasm`), ready to load.
    Wasm,
}

/// A side module the wasm backend wrote, checked by wasmparser.
#[derive(Debug, Clone)]
pub struct WasmModule {
    pub bytes: Vec<u8>,
    pub entry_symbol: String,
}

/// How the entry a wasm-backend module exports begins; its hash follows.
pub const ENTRY_PREFIX: &str = "jank_patch_symbols_";

/// One evaluation compiled to a patch.
#[derive(Debug, Clone)]
pub struct CompiledUnit {
    /// With the C backend: the patch's C. Neither this nor `wasm` when the
    /// unit only switched namespaces: nothing to load.
    pub c_source: Option<String>,
    /// With the wasm backend: the module itself.
    pub wasm: Option<WasmModule>,
    pub vars: Vec<VarInfo>,
    /// The hidden zero-arity var the page runs after loading: the unit's
    /// expressions, for their side effects and (unless `answer_is_static`) value.
    pub run_var: Option<String>,
    /// The answer when it is not the run var's value: `#'ns/name` of a
    /// trailing defn, or nil.
    pub static_value: String,
    pub answer_is_static: bool,
    /// The namespace after the unit.
    pub ns: String,
    /// Said to the editor beside the value: e.g. which vars still hold the
    /// expansion of a macro this unit redefined.
    pub notice: Option<String>,
    /// Milliseconds in read, analyze and codegen together.
    pub front_end_ms: f64,
    pub phases: PhaseTimes,
}

/// What a backend made of a unit.
#[derive(Default)]
struct Generated {
    c_source: Option<String>,
    wasm: Option<WasmModule>,
    /// `(qualified name, signature)` of every symbol-table entry.
    symbols: Vec<(String, String)>,
    run_var: Option<String>,
}

/// Where the front end's time went, in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhaseTimes {
    pub read_ms: f64,
    pub analyze_ms: f64,
    pub codegen_ms: f64,
}

fn ms(since: std::time::Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// Evaluates `source` inside the compiler, as a macro body runs, and returns
/// the last value as `pr-str` prints it. For tests and tools: the page is
/// not involved, and only what macros may call is available.
pub fn eval_in_compiler(source: &str, knowledge: &mut Knowledge) -> Result<String, EvalError> {
    with_big_stack(|| {
        let error = |phase: Phase, pos: form::Pos, message: String| EvalError {
            phase,
            message,
            file: None,
            line: Some(pos.line),
            column: Some(pos.column),
            code_frame: code_frame(source, pos.line, pos.column),
        };
        let forms = reader::read_all(source).map_err(|e| error(Phase::Read, e.pos, e.message))?;
        let mut last = String::from("nil");
        for form in &forms {
            let unit = analyzer::analyze_unit(std::slice::from_ref(form), &[], knowledge, true)
                .map_err(|e| error(Phase::Analyze, e.pos, e.message))?;
            let mut interp = eval::Interp::new(knowledge);
            for expr in &unit.run {
                let value = interp
                    .eval_top(expr)
                    .map_err(|e| error(Phase::Run, form.pos, e.message()))?;
                last = form::pr_str(&value);
            }
            if let (Some((ns, name)), true) = (&unit.last_def, unit.ends_with_def) {
                last = format!("#'{ns}/{name}");
            }
        }
        Ok(last)
    })
}

/// Compiles `source` in `knowledge.current_ns`; on success `knowledge` holds
/// the namespaces and vars the unit defines, on failure it is unchanged.
pub fn compile<'a>(
    source: &str,
    origin: impl Into<Origin<'a>>,
    knowledge: &mut Knowledge,
) -> Result<CompiledUnit, EvalError> {
    compile_with(source, origin, knowledge, CodeBackend::C)
}

/// As [`compile`], with the backend chosen.
pub fn compile_with<'a>(
    source: &str,
    origin: impl Into<Origin<'a>>,
    knowledge: &mut Knowledge,
    backend: CodeBackend,
) -> Result<CompiledUnit, EvalError> {
    compile_for(source, origin, knowledge, backend, None)
}

/// As [`compile_with`], for pages that load only what `target` says (None:
/// everything this project's reference runtime offers).
pub fn compile_for<'a>(
    source: &str,
    origin: impl Into<Origin<'a>>,
    knowledge: &mut Knowledge,
    backend: CodeBackend,
    target: Option<&jank_hot_reload_protocol::Capabilities>,
) -> Result<CompiledUnit, EvalError> {
    let origin = origin.into();
    with_big_stack(|| compile_here(source, origin, knowledge, backend, target))
}

fn compile_here(
    source: &str,
    origin: Origin,
    knowledge: &mut Knowledge,
    backend: CodeBackend,
    target: Option<&jank_hot_reload_protocol::Capabilities>,
) -> Result<CompiledUnit, EvalError> {
    let started = std::time::Instant::now();
    let error = |phase: Phase, pos: reader::Pos, message: String| {
        let (line, column) = origin.in_source(pos);
        EvalError {
            phase,
            message,
            file: origin.file.map(str::to_owned),
            line: Some(pos.line),
            column: Some(pos.column),
            code_frame: diagnostics::code_frame_numbered(source, line, column, origin.line),
        }
    };
    let start = Pos {
        line: origin.line,
        column: origin.column,
    };
    let (forms, texts): (Vec<_>, Vec<_>) = reader::read_top_level_at(source, start)
        .map_err(|e| error(Phase::Read, e.pos, e.message))?
        .into_iter()
        .map(|(form, range)| (form, std::sync::Arc::<str>::from(&source[range])))
        .unzip();
    let read_ms = ms(started);
    let analyzing = std::time::Instant::now();
    let mut scratch = knowledge.clone();
    // *file* while macros run, as Clojure binds it while it loads a file.
    let file = origin.file.unwrap_or("NO_SOURCE_PATH");
    scratch.set_core_compile_time_value("*file*", Form::value(FormKind::Str(file.to_owned())));
    let mut unit = analyzer::analyze_unit(&forms, &texts, &mut scratch, false)
        .map_err(|e| error(Phase::Analyze, e.pos, e.message))?;
    // The wasm backend builds what the page lacks and can be made from what
    // it has (backend::wasm's stand-ins); the C backend has no such code.
    let stand_ins_allowed = backend == CodeBackend::Wasm;
    let page_has = |extension| target.is_none_or(|caps| caps.has_extension(extension));
    unit.loop_ticks = page_has(jank_hot_reload_protocol::capabilities::LOOP_TICK);
    unit.cached_constants = page_has(jank_hot_reload_protocol::capabilities::GC_ADD_ROOT);
    unit.core_ops = page_has(jank_hot_reload_protocol::capabilities::CORE_OP);
    unit.core_deref = page_has(jank_hot_reload_protocol::capabilities::CORE_DEREF);
    unit.safepoints = [
        jank_hot_reload_protocol::capabilities::SAFEPOINT,
        jank_hot_reload_protocol::capabilities::SAFE_CALL,
        jank_hot_reload_protocol::capabilities::SAFE_TRY,
    ]
    .into_iter()
    .all(page_has);
    let stand_ins = match target {
        Some(caps) => {
            target::check(&mut unit, caps, stand_ins_allowed)
                .map_err(|e| error(Phase::Compile, e.pos, e.message))?;
            if stand_ins_allowed {
                target::stand_ins(&unit, caps)
            } else {
                Vec::new()
            }
        }
        None => Vec::new(),
    };
    let analyze_ms = ms(analyzing);
    let generating = std::time::Instant::now();

    let eval_name = format!(
        "e{}",
        &blake3::hash(format!("{}\n{source}", knowledge.current_ns).as_bytes()).to_hex()[..16]
    );
    // Only namespace switches (which leave nil behind) need no patch.
    let has_code = !unit.defns.is_empty()
        || unit
            .run
            .iter()
            .any(|e| !matches!(e, ast::Expr::Const(ast::Const::Nil)));
    let notice = scratch.record_macro_use(&unit);
    let static_value = match (&unit.last_def, unit.ends_with_def) {
        (Some((ns, name)), true) => format!("#'{ns}/{name}"),
        _ => "nil".to_owned(),
    };
    let needs_run = unit
        .run
        .iter()
        .any(|e| !matches!(e, ast::Expr::Const(ast::Const::Nil)));
    if !needs_run {
        unit.run.clear(); // only namespace switches: nothing to run
    }
    let generated = match (has_code, backend) {
        (false, _) => Generated::default(),
        (true, CodeBackend::C) => {
            let generated = codegen::generate(&unit, &eval_name);
            Generated {
                c_source: Some(generated.c_source),
                wasm: None,
                symbols: generated.symbols,
                run_var: generated.run_var,
            }
        }
        (true, CodeBackend::Wasm) => {
            // A page without its own jank_var and jank_call (the jank fork)
            // calls each var by name.
            let direct_vars = target
                .is_none_or(|caps| caps.has_helper("jank_var") && caps.has_helper("jank_call"));
            let patch = backend::wasm::generate(&unit, &eval_name, &stand_ins, direct_vars)
                .map_err(|e| EvalError {
                    phase: Phase::Compile,
                    message: e.to_string(),
                    file: origin.file.map(str::to_owned),
                    line: None,
                    column: None,
                    code_frame: None,
                })?;
            Generated {
                c_source: None,
                wasm: Some(WasmModule {
                    bytes: patch.wasm,
                    entry_symbol: patch.entry_symbol,
                }),
                symbols: patch.symbols,
                run_var: patch.run_var,
            }
        }
    };
    let Generated {
        c_source,
        wasm,
        symbols,
        run_var,
    } = generated;
    let vars = symbols
        .into_iter()
        .filter(|(name, _)| !name.starts_with(codegen::EVAL_NS))
        .map(|(name, arity)| VarInfo { name, arity })
        .collect();
    let codegen_ms = ms(generating);
    *knowledge = scratch;
    Ok(CompiledUnit {
        c_source,
        wasm,
        vars,
        answer_is_static: unit.ends_with_def || run_var.is_none(),
        notice,
        run_var,
        static_value,
        ns: unit.ns,
        front_end_ms: ms(started),
        phases: PhaseTimes {
            read_ms,
            analyze_ms,
            codegen_ms,
        },
    })
}
