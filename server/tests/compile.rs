//! The compile pipeline against the real toolchain.

use std::time::Duration;

use jank_hot_reload_protocol::{Phase, SourceLang};
use jank_hot_reload_server::compile::{
    Backend, CompileError, CompileOptions, PatchCompiler, PatchSource, Toolchain,
    ToolchainOverrides,
};

fn compiler(fork_server: bool, timeout: Duration) -> PatchCompiler {
    let toolchain = Toolchain::detect(&ToolchainOverrides::default()).expect("toolchain");
    PatchCompiler::new(
        toolchain,
        CompileOptions {
            fork_server,
            timeout,
            ..CompileOptions::default()
        },
    )
    .expect("compiler")
}

fn cpp(code: &str) -> PatchSource {
    PatchSource {
        code: code.to_owned(),
        lang: SourceLang::Cpp,
        file: Some("patch.cpp".into()),
        own_entry: None,
    }
}

const GGG: &str = r#"static void *ggg(void *v) { return jank_box_integer(jank_unbox_integer(v) + 49); }
JANK_PATCH_SYMBOLS({ "user/ggg", "1", (void *)ggg })
"#;

/// 2^40 tokens: clang would run for hours.
const SLOW: &str = "#define A0 x x\n#define A1 A0 A0\n#define A2 A1 A1\n#define A3 A2 A2\n\
#define A4 A3 A3\n#define A5 A4 A4\n#define A6 A5 A5\n#define A7 A6 A6\n#define A8 A7 A7\n\
#define A9 A8 A8\n#define B0 A9 A9\n#define B1 B0 B0\n#define B2 B1 B1\n#define B3 B2 B2\n\
#define B4 B3 B3\n#define B5 B4 B4\n#define B6 B5 B5\n#define B7 B6 B6\n#define B8 B7 B7\n\
#define B9 B8 B8\n#define C0 B9 B9\n#define C1 C0 C0\n#define C2 C1 C1\n#define C3 C2 C2\n\
#define C4 C3 C3\n#define C5 C4 C4\n#define C6 C5 C5\n#define C7 C6 C6\n#define C8 C7 C7\n\
#define C9 C8 C8\nint slow[] = { C9 };\n";

#[tokio::test]
async fn fork_server_and_spawning_build_identical_bytes() {
    let forked = compiler(true, Duration::from_secs(30));
    let spawned = compiler(false, Duration::from_secs(30));
    let a = forked
        .compile(&cpp(GGG), Backend::Fast)
        .await
        .expect("forked");
    let b = spawned
        .compile(&cpp(GGG), Backend::Fast)
        .await
        .expect("spawned");
    assert!(!a.cached && !b.cached);
    assert_eq!(a.patch.wasm, b.patch.wasm);
    assert_eq!(a.patch.entry_symbol, b.patch.entry_symbol);
}

#[tokio::test]
async fn the_cache_returns_the_same_bytes_without_compiling() {
    let compiler = compiler(true, Duration::from_secs(30));
    let first = compiler
        .compile(&cpp(GGG), Backend::Fast)
        .await
        .expect("first");
    let second = compiler
        .compile(&cpp(GGG), Backend::Fast)
        .await
        .expect("second");
    assert!(second.cached);
    assert_eq!(first.patch.wasm, second.patch.wasm);
    let other = compiler
        .compile(&cpp(&GGG.replace("49", "50")), Backend::Fast)
        .await
        .expect("other");
    assert!(!other.cached);
    assert_ne!(other.patch.entry_symbol, first.patch.entry_symbol);
    let emcc = compiler
        .compile(&cpp(GGG), Backend::Emcc)
        .await
        .expect("emcc");
    assert!(!emcc.cached, "the backend is part of the cache key");
}

#[tokio::test]
async fn diagnostics_are_structured_on_both_paths() {
    for fork_server in [true, false] {
        let compiler = compiler(fork_server, Duration::from_secs(30));
        let err = compiler
            .compile(
                &cpp("static void *f(void *v) {\n  return nope;\n}\n"),
                Backend::Fast,
            )
            .await
            .err()
            .expect("an error");
        let error = err.to_eval_error();
        assert_eq!(error.phase, Phase::Compile);
        assert_eq!((error.line, error.column), (Some(2), Some(10)), "{error}");
        assert!(error.message.contains("nope"), "{error}");
        assert_eq!(error.file.as_deref(), Some("patch.cpp"));
    }
}

#[tokio::test]
async fn a_patch_without_a_symbol_table_is_refused_with_advice() {
    let compiler = compiler(true, Duration::from_secs(30));
    let err = compiler
        .compile(
            &cpp("static void *f(void *v) { return v; }\n"),
            Backend::Fast,
        )
        .await
        .err()
        .expect("an error");
    assert!(matches!(err, CompileError::MissingEntry { .. }), "{err}");
    assert!(err.to_string().contains("JANK_PATCH_SYMBOLS"), "{err}");
}

#[tokio::test]
async fn a_compile_over_the_time_limit_is_killed() {
    for fork_server in [true, false] {
        let compiler = compiler(fork_server, Duration::from_secs(1));
        let started = std::time::Instant::now();
        let err = compiler
            .compile(&cpp(SLOW), Backend::Fast)
            .await
            .err()
            .expect("a timeout");
        assert!(
            err.to_string().contains("did not finish within 1s"),
            "{err}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        // The compiler still works afterwards.
        compiler
            .compile(&cpp(GGG), Backend::Fast)
            .await
            .expect("works after");
    }
}

#[tokio::test]
async fn an_oversized_patch_is_refused() {
    let toolchain = Toolchain::detect(&ToolchainOverrides::default()).expect("toolchain");
    let compiler = PatchCompiler::new(
        toolchain,
        CompileOptions {
            max_patch_bytes: 1024,
            ..CompileOptions::default()
        },
    )
    .expect("compiler");
    let big = format!(
        "static const char *data = \"{}\";\n\
         static void *f(void) {{ return jank_make_string(data); }}\n\
         JANK_PATCH_SYMBOLS({{ \"user/f\", \"0\", (void *)f }})\n",
        "x".repeat(4096)
    );
    let err = compiler
        .compile(&cpp(&big), Backend::Fast)
        .await
        .err()
        .expect("too large");
    assert!(
        matches!(err, CompileError::TooLarge { limit: 1024, .. }),
        "{err}"
    );
}

#[tokio::test]
async fn c_patches_compile_as_c() {
    let compiler = compiler(true, Duration::from_secs(30));
    let source = PatchSource {
        code: "static void *f(void *v) { void *xs[] = { v }; return jank_make_vector(1, xs); }\n\
               JANK_PATCH_SYMBOLS({ \"user/f\", \"1\", (void *)f })\n"
            .into(),
        lang: SourceLang::C,
        file: None,
        own_entry: None,
    };
    compiler
        .compile(&source, Backend::Fast)
        .await
        .expect("C compiles");
}
