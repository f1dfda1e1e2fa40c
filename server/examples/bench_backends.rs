//! The jank backends side by side: jank source to a loadable side module by
//! the wasm backend (front end, module, wasmparser check), by the C backend
//! with clang and wasm-ld (fork server), and by the C backend with emcc, on the
//! same source, alternating in one run. Run through `bench/run.sh`.

use std::time::Instant;

use jank_hot_reload_server::compile::{
    Backend, CompileOptions, PatchCompiler, PatchSource, Toolchain, ToolchainOverrides,
};
use jank_hot_reload_server::jank::{self, CodeBackend, Knowledge};

/// `(defn f<i> [v] (+ v <i>))` for each function, made unique by `nonce`.
fn jank_source(functions: usize, nonce: usize) -> String {
    (0..functions)
        .map(|i| format!("(defn f{i} [v] (+ v {}))\n", i + nonce * 1000))
        .collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    let compiler = PatchCompiler::new(
        Toolchain::detect(&ToolchainOverrides::default())?,
        CompileOptions::default(),
    )?;
    let mut knowledge = Knowledge::default();
    // The prelude loads once per process: not part of any compile.
    jank::compile("(+ 1 2)", None, &mut knowledge).map_err(|e| anyhow::anyhow!("{e}"))?;

    println!(
        "| functions | runs | wasm backend median ms | C backend + clang/wasm-ld median ms | C backend + emcc median ms | wasm bytes | clang bytes | emcc bytes |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut nonce = 0;
    for &functions in &[1usize, 10, 100] {
        let (mut wasm_ms, mut fast_ms, mut emcc_ms) = (Vec::new(), Vec::new(), Vec::new());
        let (mut wasm_bytes, mut fast_bytes, mut emcc_bytes) = (0, 0, 0);
        for round in 0..=runs {
            nonce += 1;
            let source = jank_source(functions, nonce);
            // The wasm backend: everything up to a checked module the server adopts.
            let started = Instant::now();
            let unit = jank::compile_with(&source, None, &mut knowledge, CodeBackend::Wasm)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let module = unit
                .wasm
                .as_ref()
                .ok_or_else(|| anyhow::anyhow!("no module"))?;
            let outcome = compiler
                .adopt(module)
                .map_err(|e| anyhow::anyhow!("{}", e.to_eval_error()))?;
            let wasm_time = ms(started);
            wasm_bytes = outcome.patch.wasm.len();
            for backend in [Backend::Fast, Backend::Emcc] {
                nonce += 1;
                let source = jank_source(functions, nonce);
                let started = Instant::now();
                let unit = jank::compile(&source, None, &mut knowledge)
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                let code = unit.c_source.ok_or_else(|| anyhow::anyhow!("no C"))?;
                let outcome = compiler
                    .compile(
                        &PatchSource {
                            code,
                            lang: jank_hot_reload_protocol::SourceLang::C,
                            file: None,
                            own_entry: None,
                        },
                        backend,
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", e.to_eval_error()))?;
                let time = ms(started);
                if round > 0 {
                    match backend {
                        Backend::Fast => fast_ms.push(time),
                        Backend::Emcc => emcc_ms.push(time),
                    }
                }
                match backend {
                    Backend::Fast => fast_bytes = outcome.patch.wasm.len(),
                    Backend::Emcc => emcc_bytes = outcome.patch.wasm.len(),
                }
            }
            if round > 0 {
                wasm_ms.push(wasm_time);
            }
        }
        println!(
            "| {functions} | {runs} | {:.3} | {:.1} | {:.1} | {wasm_bytes} | {fast_bytes} | {emcc_bytes} |",
            median(wasm_ms),
            median(fast_ms),
            median(emcc_ms)
        );
    }
    Ok(())
}
