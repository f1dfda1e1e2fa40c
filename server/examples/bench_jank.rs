//! Front-end benchmark: jank source to loadable patch, split into read,
//! analyze (with macro expansion), codegen and the C compile, over the
//! corpus; the single-defn case; a 20-line defn that uses five macros; the
//! prelude's load time; and the whole layout corpus. Run through
//! `bench/run-jank.sh`.

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

/// A realistic 20-line defn using five macros (let with destructuring,
/// cond->, when-let, ->, ->>) besides defn and fn.
const MACRO_HEAVY_DEFN: &str = r#"(defn summarize
  "Summarizes a list of orders."
  [{:keys [orders currency] :or {currency "EUR"}}]
  (let [paid (filter :paid? orders)
        total (reduce + 0 (map :amount paid))
        summary (cond-> {:count (count paid)
                         :total total}
                  (pos? total) (assoc :currency currency)
                  (empty? paid) (assoc :note "nothing paid"))]
    (when-let [big (first (filter #(> (:amount %) 100) paid))]
      (println "big order" (:id big)))
    (-> summary
        (assoc :ids (->> paid
                         (map :id)
                         (into [])))
        (dissoc :internal)
        (assoc :checked? true))))
"#;

/// Every program of the corpus in jank's layout, in file order.
fn layout_corpus(dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            layout_corpus(&path, out);
        } else if path.extension().is_some_and(|e| e == "jank") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push(text);
            }
        }
    }
}

fn wall_ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    // First, before anything else touches it: the prelude (clojure.core's
    // macros in jank) loads once per process, as at server start.
    let started = Instant::now();
    let prelude = Knowledge::default();
    let prelude_ms = wall_ms(started);
    drop(prelude);
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

    // The macro-heavy defn: the whole compile() call, wall clock (it includes
    // the compiler thread and the knowledge clone a server eval pays).
    let (mut wall, mut front) = (vec![], vec![]);
    for _ in 0..runs {
        let mut knowledge = Knowledge::default();
        let started = Instant::now();
        let unit = jank::compile(MACRO_HEAVY_DEFN, None, &mut knowledge)
            .map_err(|e| anyhow::anyhow!("macro-heavy defn: {e}"))?;
        wall.push(wall_ms(started));
        front.push(unit.front_end_ms);
    }
    println!();
    println!(
        "20-line defn with 5 macros, {runs} runs: front end median {:.3} ms (read + expand + analyze + codegen), compile() wall median {:.3} ms",
        median(front),
        median(wall)
    );
    println!("Prelude load (first Knowledge::default in the process): {prelude_ms:.1} ms");

    // The layout corpus through one session, as an editor would send it.
    let mut files = Vec::new();
    layout_corpus(std::path::Path::new("tests/corpus"), &mut files);
    let mut totals = vec![];
    for _ in 0..runs.min(10) {
        let mut knowledge = Knowledge::default();
        let started = Instant::now();
        for text in &files {
            let _ = jank::compile(&format!("(in-ns 'user) {text}"), None, &mut knowledge);
        }
        totals.push(wall_ms(started));
    }
    println!(
        "Layout corpus: {} files through one session, front end total median {:.1} ms ({:.3} ms a file)",
        files.len(),
        median(totals.clone()),
        median(totals) / files.len().max(1) as f64
    );
    Ok(())
}
