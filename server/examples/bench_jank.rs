//! Front-end benchmark: jank source to loadable patch, split into read,
//! analyze, codegen and the C compile, over the corpus; plus the single-defn
//! case the target is about. Run through `bench/run-jank.sh`.

use std::time::Instant;

use jank_hot_reload_protocol::SourceLang;
use jank_hot_reload_server::compile::{
    Backend, CompileOptions, PatchCompiler, PatchSource, Toolchain, ToolchainOverrides,
};
use jank_hot_reload_server::jank::{self, Knowledge};

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

/// The corpus programs that compile (the ones expected to fail are skipped).
fn corpus() -> Vec<(String, String)> {
    let text = std::fs::read_to_string("tests/corpus/programs.jank").unwrap_or_default();
    text.split("\n;; ==== ")
        .skip(1)
        .filter_map(|block| {
            let (name, rest) = block.split_once('\n')?;
            let (source, expected) = rest.split_once(";; => ")?;
            (!expected.starts_with("ERROR")).then(|| (name.to_owned(), source.to_owned()))
        })
        .collect()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(50);
    let compiler = PatchCompiler::new(
        Toolchain::detect(&ToolchainOverrides::default())?,
        CompileOptions::default(),
    )?;
    let programs = corpus();
    anyhow::ensure!(
        programs.len() >= 40,
        "the corpus was not found; run from the repository root"
    );

    // Per program: the median over `runs` of each front-end phase, and one cold C compile.
    let (mut read, mut analyze, mut codegen, mut front, mut c_compile) =
        (vec![], vec![], vec![], vec![], vec![]);
    for (i, (name, source)) in programs.iter().enumerate() {
        let source = format!("(ns bench.p{i})\n{source}");
        let mut phases = (vec![], vec![], vec![], vec![]);
        let mut unit = None;
        for _ in 0..runs {
            let mut knowledge = Knowledge::default();
            let compiled = jank::compile(&source, None, &mut knowledge)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
            phases.0.push(compiled.phases.read_ms);
            phases.1.push(compiled.phases.analyze_ms);
            phases.2.push(compiled.phases.codegen_ms);
            phases.3.push(compiled.front_end_ms);
            unit = Some(compiled);
        }
        read.push(median(phases.0));
        analyze.push(median(phases.1));
        codegen.push(median(phases.2));
        front.push(median(phases.3));
        if let Some(c) = unit.and_then(|u| u.c_source) {
            let started = Instant::now();
            compiler
                .compile(
                    &PatchSource {
                        code: c,
                        lang: SourceLang::C,
                        file: None,
                        own_entry: None,
                    },
                    Backend::Fast,
                )
                .await
                .map_err(|e| anyhow::anyhow!("{name}: {}", e.to_eval_error()))?;
            c_compile.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    println!("Corpus: {} programs; medians across programs of each program's median over {runs} runs (ms)", programs.len());
    println!();
    println!("| read | analyze | codegen | front end total | C compile (fast path) |");
    println!("|---:|---:|---:|---:|---:|");
    println!(
        "| {:.3} | {:.3} | {:.3} | {:.3} | {:.1} |",
        median(read),
        median(analyze),
        median(codegen),
        median(front),
        median(c_compile)
    );

    // The target's case: one defn, front end against the C compile, alternating.
    let (mut front, mut c_compile) = (vec![], vec![]);
    for i in 0..runs {
        let source = format!("(defn ggg [v] (+ v {i}))");
        let mut knowledge = Knowledge::default();
        let unit =
            jank::compile(&source, None, &mut knowledge).map_err(|e| anyhow::anyhow!("{e}"))?;
        front.push(unit.front_end_ms);
        let started = Instant::now();
        compiler
            .compile(
                &PatchSource {
                    code: unit.c_source.unwrap_or_default(),
                    lang: SourceLang::C,
                    file: None,
                    own_entry: None,
                },
                Backend::Fast,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.to_eval_error()))?;
        c_compile.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (f, c) = (median(front), median(c_compile));
    println!();
    println!("Single defn, {runs} runs: front end median {f:.3} ms, C compile median {c:.1} ms, total {:.1} ms", f + c);
    Ok(())
}
