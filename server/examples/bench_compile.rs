//! Compile-time benchmark: the fast path (clang++ + wasm-ld) against
//! `emcc -sSIDE_MODULE=1 -O2 -fPIC`, on the same C++, alternating in one run,
//! plus the cache hit. Run through `bench/run.sh`.

use std::time::Instant;

use jank_hot_reload_protocol::SourceLang;
use jank_hot_reload_server::compile::{
    Backend, CompileOptions, PatchCompiler, PatchSource, Toolchain, ToolchainOverrides,
};

/// C++ as a jank compiler emits it: `(defn f<i> [v] (+ v <i>))` for each function.
fn patch_source(functions: usize, nonce: usize) -> String {
    let mut code = format!("// run {nonce}\n");
    for i in 0..functions {
        code.push_str(&format!(
            "static void *bench_f{i}(void *v) {{\n  void *args[] = {{ v, jank_box_integer({i}) }};\n  \
             return jank_call_var(\"clojure.core\", \"+\", 2, args);\n}}\n"
        ));
    }
    let table: Vec<String> = (0..functions)
        .map(|i| format!("{{ \"bench/f{i}\", \"1\", (void *)bench_f{i} }}"))
        .collect();
    code.push_str(&format!("JANK_PATCH_SYMBOLS({})\n", table.join(",\n  ")));
    code
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

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    let toolchain = Toolchain::detect(&ToolchainOverrides::default())?;
    println!("clang:   {}", toolchain.clang.display());
    println!("wasm-ld: {}", toolchain.wasm_ld.display());
    println!(
        "emcc:    {}",
        toolchain.fingerprint.split('|').next().unwrap_or_default()
    );
    let compiler = PatchCompiler::new(toolchain.clone(), CompileOptions::default())?;
    // The same fast path, spawning clang and wasm-ld per compile (no fork server).
    let spawning = PatchCompiler::new(
        toolchain,
        CompileOptions {
            fork_server: false,
            ..CompileOptions::default()
        },
    )?;

    let mut nonce = 0;
    println!();
    println!(
        "| functions | runs | fast median ms | fast, spawning median ms | emcc median ms | emcc / fast | fast bytes | emcc bytes |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &functions in &[1usize, 10, 100] {
        let runs = if functions == 100 {
            runs.div_ceil(2).max(3)
        } else {
            runs
        };
        let (mut fast, mut spawned, mut emcc) = (Vec::new(), Vec::new(), Vec::new());
        let (mut fast_bytes, mut emcc_bytes) = (0, 0);
        // One warm-up each, not counted: the first run pays for disk caches.
        for round in 0..=runs {
            for (backend, spawn) in [
                (Backend::Fast, false),
                (Backend::Fast, true),
                (Backend::Emcc, false),
            ] {
                nonce += 1;
                let source = PatchSource {
                    code: patch_source(functions, nonce),
                    lang: SourceLang::Cpp,
                    file: None,
                    own_entry: None,
                };
                let started = Instant::now();
                let outcome = if spawn { &spawning } else { &compiler }
                    .compile(&source, backend)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", e.to_eval_error()))?;
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                assert!(!outcome.cached, "a fresh source must not hit the cache");
                if round == 0 {
                    continue;
                }
                match backend {
                    Backend::Fast if spawn => spawned.push(ms),
                    Backend::Fast => {
                        fast.push(ms);
                        fast_bytes = outcome.patch.wasm.len();
                    }
                    Backend::Emcc => {
                        emcc.push(ms);
                        emcc_bytes = outcome.patch.wasm.len();
                    }
                }
            }
        }
        let (f, s, e) = (median(fast), median(spawned), median(emcc));
        println!(
            "| {functions} | {runs} | {f:.1} | {s:.1} | {e:.1} | {:.1}× | {fast_bytes} | {emcc_bytes} |",
            e / f
        );
    }

    // The cache hit: the same source again, timed end to end through compile().
    let source = PatchSource {
        code: patch_source(1, 0),
        lang: SourceLang::Cpp,
        file: None,
        own_entry: None,
    };
    compiler
        .compile(&source, Backend::Fast)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.to_eval_error()))?;
    let mut hits = Vec::new();
    for _ in 0..1000 {
        let started = Instant::now();
        let outcome = compiler
            .compile(&source, Backend::Fast)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.to_eval_error()))?;
        hits.push(started.elapsed().as_secs_f64() * 1000.0);
        assert!(outcome.cached);
    }
    println!();
    println!(
        "cache hit (1 function, 1000 lookups): median {:.4} ms",
        median(hits)
    );
    Ok(())
}
