//! `jank-hot-reload`: the dev server, and a one-shot patch compiler.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand, ValueEnum};
use jank_hot_reload_protocol::{EvalError, Phase, SourceLang};
use jank_hot_reload_server::compile::{
    Backend, CompileOptions, CompileOutcome, PatchCompiler, PatchSource, Toolchain,
    ToolchainOverrides,
};
use jank_hot_reload_server::jank;
use jank_hot_reload_server::security::new_token;
use jank_hot_reload_server::server::{self, ServeConfig};
use jank_hot_reload_server::state::WsLimits;

/// REPL-speed hot reload for jank programs running as WebAssembly in the browser.
///
/// With no command, serves the page root over HTTP and the WebSocket /repl on
/// 127.0.0.1:7888, compiling evaluated code into Emscripten side modules and
/// pushing them to every connected page.
#[derive(Parser, Debug)]
#[command(name = "jank-hot-reload", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    serve: ServeArgs,

    #[command(flatten)]
    toolchain: ToolchainArgs,

    /// Log level: error, warn, info, debug or trace (or a RUST_LOG filter).
    #[arg(
        long,
        global = true,
        env = "JANK_HOT_RELOAD_LOG",
        default_value = "info"
    )]
    log_level: String,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile one jank, C or C++ file to a side module and print what was built.
    Compile {
        /// The source: .jank, or .c/.cpp using JANK_PATCH_SYMBOLS from jank/patch.h.
        file: PathBuf,
        /// Where to write the .wasm side module.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Compile requests as JSON lines on stdin, one JSON line answer each on
    /// stdout: {"file","output"} → {"ok":true,"entry_symbol",...} or
    /// {"ok":false,"error":{phase,message,line,column,code_frame}}. For tools
    /// and tests that compile many patches without paying start-up each time.
    CompileServer,
}

#[derive(serde::Deserialize)]
struct CompileLine {
    #[serde(default)]
    id: serde_json::Value,
    file: PathBuf,
    output: PathBuf,
    /// Compile jank for a page with these capabilities (as a page's hello
    /// reports them), instead of for the reference runtime.
    #[serde(default)]
    capabilities: Option<jank_hot_reload_protocol::Capabilities>,
    /// The patch goes to a page that has none of the namespaces this session
    /// loaded from source (a fresh runtime), so a require loads them again.
    #[serde(default)]
    new_page: bool,
}

#[derive(clap::Args, Debug)]
struct ServeArgs {
    /// Address to listen on. Anything but loopback also needs --allow-remote.
    #[arg(long, default_value = "127.0.0.1", env = "JANK_HOT_RELOAD_HOST")]
    host: IpAddr,

    /// HTTP and WebSocket port (0 picks a free one).
    #[arg(long, default_value_t = 7888, env = "JANK_HOT_RELOAD_PORT")]
    port: u16,

    /// Allow listening on a non-loopback address. The server compiles and runs
    /// code sent to it; only do this on a network you trust.
    #[arg(long)]
    allow_remote: bool,

    /// Directory to serve: the demo (www/) by default, or your own jank.wasm build.
    #[arg(long, default_value = "www", env = "JANK_HOT_RELOAD_WWW")]
    www: PathBuf,

    /// The WebSocket token. By default a fresh random one each run.
    #[arg(long, env = "JANK_HOT_RELOAD_TOKEN", hide_env_values = true)]
    token: Option<String>,

    /// Another browser origin allowed to connect (repeatable), e.g. http://localhost:3000.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origins: Vec<String>,

    /// Another name the server may be reached by (repeatable), e.g. dev.example.test.
    /// Loopback names and IP addresses are always allowed; any other Host header
    /// is refused with 403, against DNS rebinding.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_hosts: Vec<String>,

    /// Largest text message accepted from a page, in bytes.
    #[arg(long, default_value_t = 1024 * 1024)]
    max_message_bytes: usize,

    /// Seconds between liveness pings to each page.
    #[arg(long, default_value_t = 5.0)]
    ping_interval: f64,

    /// Seconds to wait for a page to acknowledge a patch.
    #[arg(long, default_value_t = 10.0)]
    ack_timeout: f64,

    /// nREPL port for editors (0 picks a free one).
    #[arg(long, default_value_t = 7889, env = "JANK_HOT_RELOAD_NREPL_PORT")]
    nrepl_port: u16,

    /// Do not start the nREPL server.
    #[arg(long)]
    no_nrepl: bool,

    /// File the nREPL port is written to, for editors to find.
    #[arg(long, default_value = ".nrepl-port")]
    nrepl_port_file: PathBuf,

    /// Reload .jank files in this directory when they are saved (only the
    /// top-level forms that changed).
    #[arg(long, value_name = "DIR")]
    watch: Option<PathBuf>,

    /// Where `(require 'my.lib)` finds a namespace nobody has evaluated yet:
    /// my/lib.jank or my/lib.cljc under this directory (repeatable). Default:
    /// src, the --www directory and the --watch directory, those that exist.
    #[arg(long = "source-path", value_name = "DIR")]
    source_paths: Vec<PathBuf>,

    /// Milliseconds a burst of saves is collected before one reload.
    #[arg(long, default_value_t = 100)]
    watch_debounce_ms: u64,

    /// The built browser client (wasm-pack's pkg/), served at /__jank-hot-reload/
    /// so any page can import it: `import { connectJank } from '/__jank-hot-reload/connect.js'`.
    #[arg(long, default_value = "pkg")]
    client_dir: PathBuf,

    /// Get C++ for jank source from a running jank nREPL server (its
    /// wasm-compile-patch op) instead of the built-in compiler.
    #[arg(long, value_name = "HOST:PORT")]
    jank_nrepl: Option<String>,

    /// Speak another protocol version, to test how clients show a mismatch.
    #[arg(long, hide = true, default_value_t = jank_hot_reload_protocol::PROTOCOL_VERSION)]
    speak_protocol: u32,
}

#[derive(clap::Args, Debug)]
struct ToolchainArgs {
    /// What turns jank into a patch: wasm (the side module written directly)
    /// or c (C source through --compiler).
    #[arg(long, value_enum, default_value_t = BackendChoice::Wasm, global = true)]
    backend: BackendChoice,

    /// Compile pipeline for C and C++ (and jank with --backend c): fast
    /// (clang++ + wasm-ld) or emcc (emcc -sSIDE_MODULE=1).
    #[arg(long, value_enum, default_value_t = CompilerChoice::Fast, global = true)]
    compiler: CompilerChoice,

    /// The emcc to derive flags from (default: emcc on PATH).
    #[arg(long, global = true)]
    emcc: Option<PathBuf>,

    /// Override the clang++ that emcc's configuration names.
    #[arg(long, global = true)]
    clang: Option<PathBuf>,

    /// Override the wasm-ld that emcc's configuration names.
    #[arg(long, global = true)]
    wasm_ld: Option<PathBuf>,

    /// Seconds one compile may take before it is killed.
    #[arg(long, default_value_t = 30.0, global = true)]
    compile_timeout: f64,

    /// Largest side module, in bytes, that a compile may produce.
    #[arg(long, default_value_t = 8 * 1024 * 1024, global = true)]
    max_patch_bytes: usize,

    /// Spawn clang and wasm-ld for every compile instead of keeping them
    /// initialised in a fork server (slower by ~30 ms; for debugging).
    #[arg(long, global = true)]
    no_fork_server: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum CompilerChoice {
    Fast,
    Emcc,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum BackendChoice {
    Wasm,
    C,
}

impl ToolchainArgs {
    fn code_backend(&self) -> jank::CodeBackend {
        match self.backend {
            BackendChoice::Wasm => jank::CodeBackend::Wasm,
            BackendChoice::C => jank::CodeBackend::C,
        }
    }

    fn backend(&self) -> Backend {
        match self.compiler {
            CompilerChoice::Fast => Backend::Fast,
            CompilerChoice::Emcc => Backend::Emcc,
        }
    }

    fn overrides(&self) -> ToolchainOverrides {
        ToolchainOverrides {
            emcc: self.emcc.clone(),
            clang: self.clang.clone(),
            wasm_ld: self.wasm_ld.clone(),
        }
    }

    fn options(&self) -> anyhow::Result<CompileOptions> {
        Ok(CompileOptions {
            timeout: seconds(self.compile_timeout, "--compile-timeout")?,
            max_patch_bytes: self.max_patch_bytes,
            fork_server: !self.no_fork_server,
            ..CompileOptions::default()
        })
    }
}

fn seconds(value: f64, flag: &str) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .with_context(|| format!("{flag} must be a positive number of seconds, got {value}"))
}

fn init_logging(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

/// The stack of the server's one thread: a compile's deepest recursion
/// ([`jank::COMPILE_STACK_BYTES`]) runs on it in place, plus room for the rest.
const SERVER_STACK_BYTES: usize = jank::COMPILE_STACK_BYTES + (16 << 20);

/// Everything runs on one thread, on a current-thread runtime: an eval's hops
/// (nREPL task, compile, the page's socket task, the ack, the reply) hand off
/// without waking another OS thread, which on a machine shared with a browser
/// is a scheduler wait per hop. Compiles of C and C++ are child processes and
/// do not block it.
fn main() -> ExitCode {
    let server = std::thread::Builder::new()
        .name("jank-hot-reload".into())
        .stack_size(SERVER_STACK_BYTES)
        .spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            match runtime {
                Ok(runtime) => runtime.block_on(run()),
                Err(e) => {
                    eprintln!("jank-hot-reload: cannot start the async runtime: {e}");
                    ExitCode::FAILURE
                }
            }
        });
    match server.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(e) => {
            eprintln!("jank-hot-reload: cannot start the server thread: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli.log_level);
    let result = match cli.command {
        Some(Command::Compile { file, output }) => {
            compile_file(&cli.toolchain, &file, &output).await
        }
        Some(Command::CompileServer) => compile_server(&cli.toolchain).await,
        None => serve(cli.serve, &cli.toolchain).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("jank-hot-reload: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs, toolchain: &ToolchainArgs) -> anyhow::Result<()> {
    if !args.host.is_loopback() {
        if !args.allow_remote {
            bail!(
                "refusing to listen on {}: this server compiles and runs code it is sent. \
                 Pass --allow-remote to listen beyond loopback.",
                args.host
            );
        }
        tracing::warn!(
            "listening on {} (not loopback): anyone who can reach it and has the token can run code in your pages",
            args.host
        );
    }
    let token = match args.token {
        Some(token) if !token.is_empty() => token,
        _ => new_token().context("no OS randomness to make a token; pass --token")?,
    };
    let source_paths = if args.source_paths.is_empty() {
        [
            Some(PathBuf::from("src")),
            Some(args.www.clone()),
            args.watch.clone(),
        ]
        .into_iter()
        .flatten()
        .filter(|dir| dir.is_dir())
        .collect()
    } else {
        args.source_paths
    };
    server::run(ServeConfig {
        addr: SocketAddr::new(args.host, args.port),
        www_root: args.www,
        token,
        extra_origins: args.allow_origins,
        extra_hosts: args.allow_hosts,
        backend: toolchain.backend(),
        code_backend: toolchain.code_backend(),
        toolchain: toolchain.overrides(),
        compile: toolchain.options()?,
        limits: WsLimits {
            max_message_bytes: args.max_message_bytes,
            ping_interval: seconds(args.ping_interval, "--ping-interval")?,
        },
        ack_timeout: seconds(args.ack_timeout, "--ack-timeout")?,
        protocol_version: args.speak_protocol,
        nrepl: (!args.no_nrepl).then(|| SocketAddr::new(args.host, args.nrepl_port)),
        nrepl_port_file: (!args.no_nrepl).then_some(args.nrepl_port_file),
        source_paths,
        watch: args.watch,
        watch_debounce: Duration::from_millis(args.watch_debounce_ms.max(1)),
        jank_nrepl: args.jank_nrepl,
        client_dir: Some(args.client_dir),
    })
    .await
}

/// A source file ready for the C pipeline (None: the wasm backend's module,
/// or nothing to load), plus what the jank front end said.
struct Prepared {
    source: Option<PatchSource>,
    jank: Option<jank::CompiledUnit>,
}

impl Prepared {
    /// The module the wasm backend already wrote, if it did.
    fn module(&self) -> Option<&jank::WasmModule> {
        self.jank.as_ref().and_then(|unit| unit.wasm.as_ref())
    }
}

/// Reads a .c, .cpp or .jank file; jank goes through the built-in compiler
/// with `knowledge` (the session's namespaces and vars).
fn prepare(
    file: &std::path::Path,
    knowledge: &mut jank::Knowledge,
    backend: jank::CodeBackend,
    target: Option<&jank_hot_reload_protocol::Capabilities>,
) -> Result<Prepared, EvalError> {
    let read_error = |message: String| EvalError::new(Phase::Read, message);
    let code = std::fs::read_to_string(file)
        .map_err(|e| read_error(format!("cannot read {}: {e}", file.display())))?;
    let name = file.display().to_string();
    let lang = match file
        .extension()
        .and_then(|e| e.to_str())
        .and_then(SourceLang::from_extension)
    {
        Some(SourceLang::Jank) => {
            let unit = jank::compile_for(&code, Some(name.as_str()), knowledge, backend, target)?;
            let source = unit.c_source.clone().map(|c| PatchSource {
                code: c,
                lang: SourceLang::C,
                file: Some(name.clone()),
                own_entry: None,
            });
            return Ok(Prepared {
                source,
                jank: Some(unit),
            });
        }
        Some(lang) => lang,
        None => {
            return Err(read_error(format!(
                "{name}: expected a .jank, .c or .cpp file"
            )))
        }
    };
    Ok(Prepared {
        source: Some(PatchSource {
            code,
            lang,
            file: Some(name),
            own_entry: None,
        }),
        jank: None,
    })
}

fn summary(
    output: &std::path::Path,
    outcome: &CompileOutcome,
    unit: Option<&jank::CompiledUnit>,
) -> serde_json::Value {
    let mut summary = serde_json::json!({
        "ok": true,
        "output": output,
        "entry_symbol": outcome.patch.entry_symbol,
        "hash": outcome.patch.hash,
        "bytes": outcome.patch.wasm.len(),
        "compile_ms": outcome.elapsed_ms,
        "cached": outcome.cached,
        "vars": outcome.patch.vars,
    });
    if let Some(unit) = unit {
        summary["run_var"] = serde_json::json!(unit.run_var);
        summary["answer_is_static"] = serde_json::json!(unit.answer_is_static);
        summary["static_value"] = serde_json::json!(unit.static_value);
        summary["ns"] = serde_json::json!(unit.ns);
        summary["front_end_ms"] = serde_json::json!(unit.front_end_ms);
        summary["vars"] = serde_json::json!(unit.vars);
    }
    summary
}

/// The answer for a jank unit with nothing to load (only ns changes).
fn nothing_to_load(unit: &jank::CompiledUnit) -> serde_json::Value {
    serde_json::json!({
        "ok": true, "no_patch": true, "static_value": unit.static_value, "ns": unit.ns,
    })
}

/// Compiles one file to `output`; the JSON line both `compile` and `compile-server` print.
async fn compile_one(
    compiler: &PatchCompiler,
    toolchain: &ToolchainArgs,
    file: &std::path::Path,
    output: &std::path::Path,
    knowledge: &mut jank::Knowledge,
    target: Option<&jank_hot_reload_protocol::Capabilities>,
) -> Result<serde_json::Value, EvalError> {
    let prepared = prepare(file, knowledge, toolchain.code_backend(), target)?;
    let outcome = match (prepared.module(), &prepared.source) {
        (Some(module), _) => compiler.adopt(module),
        (None, Some(source)) => compiler.compile(source, toolchain.backend()).await,
        (None, None) => {
            return Ok(prepared
                .jank
                .as_ref()
                .map(nothing_to_load)
                .unwrap_or_default())
        }
    }
    .map_err(|e| e.to_eval_error())?;
    std::fs::write(output, &outcome.patch.wasm).map_err(|e| {
        EvalError::new(
            Phase::Compile,
            format!("cannot write {}: {e}", output.display()),
        )
    })?;
    Ok(summary(output, &outcome, prepared.jank.as_ref()))
}

async fn compile_file(
    toolchain: &ToolchainArgs,
    file: &std::path::Path,
    output: &std::path::Path,
) -> anyhow::Result<()> {
    let compiler = PatchCompiler::new(
        Toolchain::detect(&toolchain.overrides())?,
        toolchain.options()?,
    )?;
    let mut knowledge = jank::Knowledge::default();
    match compile_one(&compiler, toolchain, file, output, &mut knowledge, None).await {
        Ok(summary) => {
            println!("{summary}");
            Ok(())
        }
        Err(error) => {
            let frame = error.code_frame.clone().unwrap_or_default();
            bail!("{error}\n{frame}")
        }
    }
}

async fn compile_server(toolchain: &ToolchainArgs) -> anyhow::Result<()> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let compiler = PatchCompiler::new(
        Toolchain::detect(&toolchain.overrides())?,
        toolchain.options()?,
    )?;
    // One session: namespaces and vars carry over from request to request.
    let mut knowledge = jank::Knowledge::default();
    let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let mut stdout = tokio::io::stdout();
    while let Some(line) = lines.next_line().await? {
        let mut answer = match serde_json::from_str::<CompileLine>(&line) {
            Err(e) => {
                serde_json::json!({"ok": false, "error": EvalError::new(Phase::Read, format!("bad request line: {e}"))})
            }
            Ok(request) => {
                if request.new_page {
                    knowledge.forget_loaded();
                }
                let result = compile_one(
                    &compiler,
                    toolchain,
                    &request.file,
                    &request.output,
                    &mut knowledge,
                    request.capabilities.as_ref(),
                )
                .await;
                let mut answer = match result {
                    Ok(summary) => summary,
                    Err(error) => serde_json::json!({"ok": false, "error": error}),
                };
                answer["id"] = request.id;
                answer
            }
        };
        if answer.get("ok").is_none() {
            answer["ok"] = serde_json::json!(true);
        }
        stdout.write_all(format!("{answer}\n").as_bytes()).await?;
        stdout.flush().await?;
    }
    Ok(())
}
