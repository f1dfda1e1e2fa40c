//! Finds the compilers and derives the side-module flags from the installed emcc,
//! so that nothing here hard-codes a path or a version.

use std::path::{Path, PathBuf};
use std::process::Command;

use thiserror::Error;

/// The flags of the fast path that are ours, on top of `emcc --cflags`.
/// Hidden visibility keeps every helper function private to its patch, so two
/// patches defining the same static function never collide at load time; only
/// the entry (marked default visibility by `jank/patch.h`) is exported.
const FAST_CFLAGS: &[&str] = &[
    "-fPIC",
    "-fvisibility=hidden",
    "-O2",
    "-fno-exceptions",
    "-fno-color-diagnostics",
    "-fno-caret-diagnostics",
];

const FAST_LDFLAGS: &[&str] = &[
    "--experimental-pic",
    "-shared",
    "--import-memory",
    "--import-undefined",
    "--export-dynamic",
    "--strip-debug",
];

/// The emcc fallback, as the seed prototype compiled patches.
pub const EMCC_SIDE_MODULE_FLAGS: &[&str] = &["-sSIDE_MODULE=1", "-O2", "-fPIC", "-sWASM_BIGINT=1"];

#[derive(Debug, Error)]
pub enum ToolchainError {
    #[error(
        "emcc was not found ({0}). Install Emscripten (`apt-get install emscripten`, or run \
         scripts/bootstrap.sh), or pass --emcc PATH"
    )]
    EmccMissing(String),
    #[error("`{command}` failed: {detail}")]
    ProbeFailed { command: String, detail: String },
    #[error("{tool} not found at {path}; pass --{flag} PATH")]
    ToolMissing {
        tool: &'static str,
        path: PathBuf,
        flag: &'static str,
    },
}

/// Everything needed to turn C/C++ into an Emscripten side module.
#[derive(Debug, Clone)]
pub struct Toolchain {
    pub emcc: PathBuf,
    pub clang: PathBuf,
    pub wasm_ld: PathBuf,
    /// `emcc --cflags`: target, sysroot and Emscripten's defines.
    pub emcc_cflags: Vec<String>,
    /// Identifies the toolchain in cache keys, so that an upgrade never serves stale bytes.
    pub fingerprint: String,
}

/// Overrides from the command line; `None` means derive from emcc.
#[derive(Debug, Clone, Default)]
pub struct ToolchainOverrides {
    pub emcc: Option<PathBuf>,
    pub clang: Option<PathBuf>,
    pub wasm_ld: Option<PathBuf>,
}

impl Toolchain {
    pub fn detect(overrides: &ToolchainOverrides) -> Result<Self, ToolchainError> {
        let emcc = overrides
            .emcc
            .clone()
            .unwrap_or_else(|| PathBuf::from("emcc"));
        // Each probe starts Python (~0.2 s); run them side by side.
        let em_config = emcc.with_file_name("em-config");
        let config = |key: &'static str| {
            let em_config = em_config.clone();
            move || {
                probe(&em_config, &[key])
                    .map(|s| s.trim().to_owned())
                    .unwrap_or_default()
            }
        };
        let (version, cflags, llvm_root, clang_version, llvm_version) = std::thread::scope(|s| {
            let version = s.spawn(|| probe(&emcc, &["--version"]));
            let cflags = s.spawn(|| probe(&emcc, &["--cflags"]));
            let llvm_root = s.spawn(config("LLVM_ROOT"));
            let clang_version = s.spawn(config("CLANG_ADD_VERSION"));
            let llvm_version = s.spawn(config("LLVM_ADD_VERSION"));
            let join = |r: std::thread::Result<String>| r.unwrap_or_default();
            (
                version
                    .join()
                    .unwrap_or_else(|_| Err(ToolchainError::EmccMissing("probe panicked".into()))),
                cflags
                    .join()
                    .unwrap_or_else(|_| Err(ToolchainError::EmccMissing("probe panicked".into()))),
                join(llvm_root.join()),
                join(clang_version.join()),
                join(llvm_version.join()),
            )
        });
        let version = version.map_err(|e| ToolchainError::EmccMissing(e.to_string()))?;
        let emcc_cflags: Vec<String> = cflags?.split_whitespace().map(str::to_owned).collect();
        let llvm_root = PathBuf::from(llvm_root);
        let clang_suffix = version_suffix(&clang_version);
        let llvm_suffix = version_suffix(&llvm_version);

        let clang = overrides
            .clang
            .clone()
            .unwrap_or_else(|| llvm_root.join(format!("clang++{clang_suffix}")));
        let wasm_ld = overrides
            .wasm_ld
            .clone()
            .unwrap_or_else(|| llvm_root.join(format!("wasm-ld{llvm_suffix}")));
        require(&clang, "clang++", "clang")?;
        require(&wasm_ld, "wasm-ld", "wasm-ld")?;

        let clang_version = probe(&clang, &["--version"])?;
        let fingerprint = format!(
            "{}|{}|{}",
            version.lines().next().unwrap_or_default(),
            clang_version.lines().next().unwrap_or_default(),
            emcc_cflags.join(" ")
        );
        Ok(Self {
            emcc,
            clang,
            wasm_ld,
            emcc_cflags,
            fingerprint,
        })
    }

    /// clang arguments for compiling `source` to `object` on the fast path.
    pub fn fast_compile_args(
        &self,
        common: &[String],
        source: &Path,
        object: &Path,
    ) -> Vec<String> {
        let mut args = self.emcc_cflags.clone();
        args.extend(FAST_CFLAGS.iter().map(|s| (*s).to_owned()));
        args.extend_from_slice(common);
        args.extend([
            "-c".to_owned(),
            path_arg(source),
            "-o".to_owned(),
            path_arg(object),
        ]);
        args
    }

    /// wasm-ld arguments for linking `object` into the side module `output`.
    pub fn fast_link_args(&self, object: &Path, output: &Path) -> Vec<String> {
        let mut args: Vec<String> = FAST_LDFLAGS.iter().map(|s| (*s).to_owned()).collect();
        args.extend([path_arg(object), "-o".to_owned(), path_arg(output)]);
        args
    }

    /// emcc arguments for the fallback path.
    pub fn emcc_args(&self, common: &[String], source: &Path, output: &Path) -> Vec<String> {
        let mut args: Vec<String> = EMCC_SIDE_MODULE_FLAGS
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        args.extend([
            "-fvisibility=hidden".to_owned(),
            "-fno-color-diagnostics".to_owned(),
        ]);
        args.extend_from_slice(common);
        args.extend([path_arg(source), "-o".to_owned(), path_arg(output)]);
        args
    }
}

fn version_suffix(version: &str) -> String {
    if version.is_empty() || version == "None" {
        String::new()
    } else {
        format!("-{version}")
    }
}

fn require(path: &Path, tool: &'static str, flag: &'static str) -> Result<(), ToolchainError> {
    if path.is_file() {
        Ok(())
    } else {
        Err(ToolchainError::ToolMissing {
            tool,
            path: path.to_owned(),
            flag,
        })
    }
}

fn path_arg(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Runs a toolchain probe (argument vector, never a shell) and returns its stdout.
fn probe(program: &Path, args: &[&str]) -> Result<String, ToolchainError> {
    let command = format!("{} {}", program.display(), args.join(" "));
    let output = Command::new(program)
        .args(args)
        .env("NODE_PATH", node_path())
        .output()
        .map_err(|e| ToolchainError::ProbeFailed {
            command: command.clone(),
            detail: e.to_string(),
        })?;
    if !output.status.success() {
        return Err(ToolchainError::ProbeFailed {
            command,
            detail: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Debian's emcc runs its JS optimizer under node and needs Debian's node
/// modules (acorn) on NODE_PATH.
pub fn node_path() -> String {
    std::env::var("NODE_PATH")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "/usr/share/nodejs".to_owned())
}
