//! The compile pipeline: C/C++ patch source → Emscripten side module.
//!
//! Fast path: `clang++ -c` then `wasm-ld -shared`, flags derived from emcc
//! (about 5× faster than emcc, which runs Python and binaryen on every call).
//! Fallback: `emcc -sSIDE_MODULE=1`. Results are cached by content.

mod cache;
pub mod diagnostics;
mod forkserver;
pub mod jank_nrepl;
pub mod process;
pub mod toolchain;

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use jank_hot_reload_protocol::{EvalError, Phase, SourceLang, VarInfo};
use thiserror::Error;
use tokio::sync::Semaphore;

pub use cache::PatchCache;
pub use toolchain::{Toolchain, ToolchainError, ToolchainOverrides};

/// The ABI headers, embedded from runtime/include so patches and the runtime
/// always agree.
const ABI_HEADER: &str = include_str!("../../../runtime/include/jank/hot_reload_abi.h");
const PATCH_HEADER: &str = include_str!("../../../runtime/include/jank/patch.h");

/// Prefix of every patch's unique entry symbol.
pub const ENTRY_PREFIX: &str = "jank_patch_symbols_";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// clang++ then wasm-ld.
    Fast,
    /// emcc -sSIDE_MODULE=1.
    Emcc,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Fast => "fast",
            Backend::Emcc => "emcc",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CompileOptions {
    pub timeout: Duration,
    /// Bytes of compiler output kept for diagnostics.
    pub output_cap: usize,
    /// Largest side module we will send to a page.
    pub max_patch_bytes: usize,
    /// Patches kept in the cache.
    pub cache_entries: usize,
    /// Compiles running at once.
    pub parallelism: usize,
    /// Keep clang and wasm-ld initialised between compiles (see forkserver.rs).
    pub fork_server: bool,
}

impl Default for CompileOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            output_cap: 256 * 1024,
            max_patch_bytes: 8 * 1024 * 1024,
            cache_entries: 1024,
            parallelism: 2,
            fork_server: true,
        }
    }
}

/// C or C++ source for one patch.
#[derive(Debug, Clone)]
pub struct PatchSource {
    pub code: String,
    pub lang: SourceLang,
    /// The user's file, for diagnostics.
    pub file: Option<String>,
    /// Source that declares its own ABI and entry (jank's own codegen): the
    /// entry's name; nothing is force-included. None: the server names the
    /// entry and includes jank/patch.h.
    pub own_entry: Option<String>,
}

#[derive(Debug)]
pub struct CompiledPatch {
    pub wasm: Vec<u8>,
    pub entry_symbol: String,
    /// blake3 of the wasm bytes, hex.
    pub hash: String,
    pub vars: Vec<VarInfo>,
    /// How long the compile that produced these bytes took.
    pub compile_ms: f64,
}

pub struct CompileOutcome {
    pub patch: Arc<CompiledPatch>,
    pub cached: bool,
    /// Time spent in this call: the compile, or just the cache lookup.
    pub elapsed_ms: f64,
}

#[derive(Debug, Error)]
pub enum CompileError {
    #[error("{0}")]
    Diagnostics(EvalError),
    #[error("{0}")]
    Run(#[from] process::RunError),
    #[error("link failed: {0}")]
    Link(String),
    #[error("the patch is {size} bytes, over the {limit}-byte limit (--max-patch-bytes)")]
    TooLarge { size: usize, limit: usize },
    #[error(
        "the patch exports no entry `{entry}`: declare its functions with \
         JANK_PATCH_SYMBOLS({{\"ns/name\", \"arity\", (void *)fn}}, ...)"
    )]
    MissingEntry { entry: String },
    #[error("the compiler produced an invalid module: {0}")]
    InvalidModule(String),
    #[error("{0} patches cannot be compiled by the C/C++ pipeline")]
    UnsupportedLang(&'static str),
    #[error("I/O error in the compile directory: {0}")]
    Io(#[from] std::io::Error),
    #[error(
        "the patch imports {}, which a connected page's runtime does not export (it would \
         load, then fail when called); see `node scripts/check-runtime.mjs` for what the \
         page's build has",
        .0.join(", ")
    )]
    MissingHelpers(Vec<String>),
}

impl CompileError {
    /// The error as the page and the editor show it.
    pub fn to_eval_error(&self) -> EvalError {
        match self {
            CompileError::Diagnostics(e) => e.clone(),
            other => EvalError::new(Phase::Compile, other.to_string()),
        }
    }
}

pub struct PatchCompiler {
    toolchain: Toolchain,
    options: CompileOptions,
    cache: PatchCache,
    /// Holds jank/patch.h and jank/hot_reload_abi.h for `-I`, and the fork
    /// servers' shim and sockets.
    include_dir: tempfile::TempDir,
    slots: Semaphore,
    clang: process::ToolRunner,
    wasm_ld: process::ToolRunner,
}

impl PatchCompiler {
    pub fn new(toolchain: Toolchain, options: CompileOptions) -> Result<Self, std::io::Error> {
        let include_dir = tempfile::Builder::new()
            .prefix("jank-hot-reload-include-")
            .tempdir()?;
        let jank_dir = include_dir.path().join("jank");
        std::fs::create_dir_all(&jank_dir)?;
        std::fs::write(jank_dir.join("hot_reload_abi.h"), ABI_HEADER)?;
        std::fs::write(jank_dir.join("patch.h"), PATCH_HEADER)?;
        let shim = match (options.fork_server, forkserver::SHIM) {
            (true, Some(bytes)) => {
                let path = include_dir.path().join("libjhr_forkserver.so");
                std::fs::write(&path, bytes)?;
                Some(path)
            }
            _ => None,
        };
        let fork = |name: &str| {
            shim.clone()
                .map(|shim| (shim, include_dir.path().join(format!("{name}.sock"))))
        };
        Ok(Self {
            cache: PatchCache::new(options.cache_entries),
            slots: Semaphore::new(options.parallelism.max(1)),
            clang: process::ToolRunner::new(toolchain.clang.clone(), fork("clang")),
            wasm_ld: process::ToolRunner::new(toolchain.wasm_ld.clone(), fork("wasm-ld")),
            toolchain,
            options,
            include_dir,
        })
    }

    pub fn toolchain(&self) -> &Toolchain {
        &self.toolchain
    }

    /// The cache key: every input that decides the output bytes.
    fn cache_key(&self, source: &PatchSource, backend: Backend) -> String {
        let mut hasher = blake3::Hasher::new();
        for part in [
            self.toolchain.fingerprint.as_str(),
            backend.name(),
            lang_extension(source.lang).unwrap_or("?"),
            source.own_entry.as_deref().unwrap_or(""),
            ABI_HEADER,
            PATCH_HEADER,
            source.code.as_str(),
        ] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }

    pub async fn compile(
        &self,
        source: &PatchSource,
        backend: Backend,
    ) -> Result<CompileOutcome, CompileError> {
        let started = Instant::now();
        let key = self.cache_key(source, backend);
        if let Some(patch) = self.cache.get(&key) {
            return Ok(CompileOutcome {
                patch,
                cached: true,
                elapsed_ms: ms_since(started),
            });
        }
        let _slot = self.slots.acquire().await.map_err(|_| {
            CompileError::Io(std::io::Error::other("the compiler is shutting down"))
        })?;
        // Another request may have compiled the same source while we waited.
        if let Some(patch) = self.cache.get(&key) {
            return Ok(CompileOutcome {
                patch,
                cached: true,
                elapsed_ms: ms_since(started),
            });
        }
        let entry_symbol = source
            .own_entry
            .clone()
            .unwrap_or_else(|| format!("{ENTRY_PREFIX}{}", &key[..16]));
        let wasm = self.build(source, backend, &entry_symbol).await?;
        let compile_ms = ms_since(started);
        let patch = Arc::new(CompiledPatch {
            hash: blake3::hash(&wasm).to_hex().to_string(),
            vars: declared_vars(&source.code),
            wasm,
            entry_symbol,
            compile_ms,
        });
        self.cache.insert(key, patch.clone());
        Ok(CompileOutcome {
            patch,
            cached: false,
            elapsed_ms: compile_ms,
        })
    }

    /// A side module the jank compiler's wasm backend wrote (and wasmparser
    /// checked): held to the same size limit and entry check as a build, with
    /// no compiler run.
    pub fn adopt(&self, module: &crate::jank::WasmModule) -> Result<CompileOutcome, CompileError> {
        let started = Instant::now();
        if module.bytes.len() > self.options.max_patch_bytes {
            return Err(CompileError::TooLarge {
                size: module.bytes.len(),
                limit: self.options.max_patch_bytes,
            });
        }
        verify_entry(&module.bytes, &module.entry_symbol)?;
        let patch = Arc::new(CompiledPatch {
            hash: blake3::hash(&module.bytes).to_hex().to_string(),
            vars: Vec::new(),
            wasm: module.bytes.clone(),
            entry_symbol: module.entry_symbol.clone(),
            compile_ms: ms_since(started),
        });
        Ok(CompileOutcome {
            patch,
            cached: false,
            elapsed_ms: ms_since(started),
        })
    }

    async fn build(
        &self,
        source: &PatchSource,
        backend: Backend,
        entry_symbol: &str,
    ) -> Result<Vec<u8>, CompileError> {
        let extension = lang_extension(source.lang).ok_or(CompileError::UnsupportedLang("jank"))?;
        let dir = tempfile::Builder::new()
            .prefix("jank-hot-reload-patch-")
            .tempdir()?;
        let file_name = format!("patch.{extension}");
        let source_path = dir.path().join(&file_name);
        let output = dir.path().join("patch.wasm");
        tokio::fs::write(&source_path, &source.code).await?;

        let common = self.common_flags(source.lang, entry_symbol, source.own_entry.is_some());
        let limits = process::Limits {
            timeout: self.options.timeout,
            output_cap: self.options.output_cap,
            max_file_bytes: self.options.max_patch_bytes.max(64 * 1024 * 1024),
        };
        match backend {
            Backend::Fast => {
                let object = dir.path().join("patch.o");
                let args = self
                    .toolchain
                    .fast_compile_args(&common, &source_path, &object);
                let compiled = self.clang.run(&args, dir.path(), limits).await?;
                if !compiled.success {
                    return Err(self.diagnostics(&compiled.stderr, &file_name, source));
                }
                let args = self.toolchain.fast_link_args(&object, &output);
                let linked = self.wasm_ld.run(&args, dir.path(), limits).await?;
                if !linked.success {
                    return Err(CompileError::Link(linked.stderr.trim().to_owned()));
                }
            }
            Backend::Emcc => {
                let args = self.toolchain.emcc_args(&common, &source_path, &output);
                let built = process::run(&self.toolchain.emcc, &args, dir.path(), limits).await?;
                if !built.success {
                    return Err(self.diagnostics(&built.stderr, &file_name, source));
                }
            }
        }
        let wasm = tokio::fs::read(&output).await?;
        if wasm.len() > self.options.max_patch_bytes {
            return Err(CompileError::TooLarge {
                size: wasm.len(),
                limit: self.options.max_patch_bytes,
            });
        }
        verify_entry(&wasm, entry_symbol)?;
        Ok(wasm)
    }

    fn common_flags(&self, lang: SourceLang, entry_symbol: &str, own_entry: bool) -> Vec<String> {
        let include = self.include_dir.path();
        let mut flags = vec![format!("-I{}", include.display())];
        if own_entry {
            // Its own declarations, its own entry: export what it defines.
            flags.push("-fvisibility=default".to_owned());
        } else {
            flags.extend([
                "-include".to_owned(),
                include.join("jank/patch.h").display().to_string(),
                format!("-DJANK_PATCH_ENTRY={entry_symbol}"),
            ]);
        }
        // clang++ compiles .c files as C++ unless told otherwise.
        let (language, standard) = match lang {
            SourceLang::C => ("c", "-std=c11"),
            _ => ("c++", "-std=c++17"),
        };
        flags.extend(["-x".to_owned(), language.to_owned(), standard.to_owned()]);
        flags
    }

    fn diagnostics(&self, stderr: &str, file_name: &str, source: &PatchSource) -> CompileError {
        let diags = diagnostics::parse_clang(stderr, file_name);
        CompileError::Diagnostics(diagnostics::to_eval_error(
            &diags,
            stderr,
            &source.code,
            source.file.as_deref(),
        ))
    }
}

fn lang_extension(lang: SourceLang) -> Option<&'static str> {
    match lang {
        SourceLang::Cpp => Some("cpp"),
        SourceLang::C => Some("c"),
        SourceLang::Jank => None,
    }
}

fn ms_since(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

/// Checks that the module exports the entry as a function, so a patch that
/// forgot JANK_PATCH_SYMBOLS fails here with advice instead of in the page.
fn verify_entry(wasm: &[u8], entry_symbol: &str) -> Result<(), CompileError> {
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| CompileError::InvalidModule(e.to_string()))?;
        if let wasmparser::Payload::ExportSection(exports) = payload {
            for export in exports {
                let export = export.map_err(|e| CompileError::InvalidModule(e.to_string()))?;
                if export.name == entry_symbol && export.kind == wasmparser::ExternalKind::Func {
                    return Ok(());
                }
            }
        }
    }
    Err(CompileError::MissingEntry {
        entry: entry_symbol.to_owned(),
    })
}

/// The runtime helpers a module imports that a page lacks: a C/C++ patch (or
/// jank's) that would load and then fail when the call is made, since
/// Emscripten resolves a missing import lazily, is refused before it is sent.
pub fn missing_helpers(wasm: &[u8], caps: &jank_hot_reload_protocol::Capabilities) -> Vec<String> {
    let mut missing = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let Ok(wasmparser::Payload::ImportSection(imports)) = payload else {
            continue;
        };
        for import in imports.into_imports().flatten() {
            let name = import.name;
            if import.module == "env"
                && jank_hot_reload_protocol::capabilities::HELPERS.contains(&name)
                && !caps.has_helper(name)
                && !missing.iter().any(|m| m == name)
            {
                missing.push(name.to_owned());
            }
        }
    }
    missing
}

/// The `{"ns/name", "arity", ...}` entries of a hand-written JANK_PATCH_SYMBOLS table.
pub fn declared_vars(code: &str) -> Vec<VarInfo> {
    static ENTRY: OnceLock<regex::Regex> = OnceLock::new();
    let Some(table) = code.find("JANK_PATCH_SYMBOLS(").map(|at| &code[at..]) else {
        return Vec::new();
    };
    let entry = ENTRY.get_or_init(|| {
        regex::Regex::new(r#"\{\s*"([^"\\]+)"\s*,\s*"([^"\\]+)""#).expect("literal pattern")
    });
    entry
        .captures_iter(table)
        .map(|c| VarInfo {
            name: c[1].to_owned(),
            arity: c[2].to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_vars_reads_the_symbol_table() {
        let code = r#"static void *f(void *x) { return x; }
JANK_PATCH_SYMBOLS({ "user/ggg", "1", (void *)f }, {"my.ns/h","2+",(void*)f})"#;
        let vars = declared_vars(code);
        assert_eq!(vars.len(), 2);
        assert_eq!(vars[0].name, "user/ggg");
        assert_eq!(vars[1].arity, "2+");
    }
}
