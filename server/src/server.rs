//! Binding, routing and start-up of the HTTP + WebSocket server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::routing::get;
use axum::Router;

use crate::compile::{Backend, CompileOptions, PatchCompiler, Toolchain, ToolchainOverrides};
use crate::eval::Evaluator;
use crate::frontends::{http, ws};
use crate::hub::Hub;
use crate::security::{HostPolicy, OriginPolicy};
use crate::state::{AppState, WsLimits};

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    pub www_root: PathBuf,
    pub token: String,
    pub extra_origins: Vec<String>,
    /// More `Host` names the server answers (`--allow-host`), beyond loopback.
    pub extra_hosts: Vec<String>,
    pub backend: Backend,
    /// What turns jank into a patch (`--backend`).
    pub code_backend: crate::jank::CodeBackend,
    pub toolchain: ToolchainOverrides,
    pub compile: CompileOptions,
    pub limits: WsLimits,
    pub ack_timeout: Duration,
    pub protocol_version: u32,
    /// Where editors connect over nREPL, or None to not listen.
    pub nrepl: Option<SocketAddr>,
    /// Where to write the nREPL port for editors to find (`.nrepl-port`).
    pub nrepl_port_file: Option<PathBuf>,
    /// A directory whose .jank files are reloaded when saved.
    pub watch: Option<PathBuf>,
    /// Where `require` finds namespaces nobody has evaluated (`--source-path`).
    pub source_paths: Vec<PathBuf>,
    pub watch_debounce: Duration,
    /// `HOST:PORT` of a jank nREPL server to get C++ from.
    pub jank_nrepl: Option<String>,
    /// The built client to serve under /__jank-hot-reload/ (pkg/).
    pub client_dir: Option<PathBuf>,
}

/// The compiler's starting knowledge, with `require` looking in the source path.
fn knowledge_with_source_path(dirs: &[PathBuf]) -> crate::jank::Knowledge {
    let mut knowledge = crate::jank::Knowledge::default();
    knowledge.set_loader(Arc::new(crate::eval::source_path::SourcePath::new(
        dirs.to_vec(),
    )));
    knowledge
}

pub async fn run(config: ServeConfig) -> anyhow::Result<()> {
    // Watched from the start, so a stop that arrives during start-up still
    // shuts down cleanly (and removes .nrepl-port).
    let stop = stop_requested()?;
    let toolchain = Toolchain::detect(&config.toolchain)?;
    tracing::info!(clang = %toolchain.clang.display(), wasm_ld = %toolchain.wasm_ld.display(), "toolchain ready");
    let compiler = Arc::new(PatchCompiler::new(toolchain, config.compile.clone())?);

    let www_root = config
        .www_root
        .canonicalize()
        .with_context(|| format!("the page root {} does not exist", config.www_root.display()))?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.addr))?;
    let bound = listener.local_addr()?;

    let nrepl_listener = match config.nrepl {
        Some(addr) => Some(
            tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen for nREPL on {addr} (--nrepl-port)"))?,
        ),
        None => None,
    };
    let hub = Arc::new(Hub::default());
    let hub_for_assets = hub.clone();
    let host = if bound.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        bound.ip().to_string()
    };
    let page_url = format!("http://{host}:{}/", bound.port());
    let evaluator = Arc::new(Evaluator {
        compiler,
        hub: hub.clone(),
        backend: config.backend,
        code_backend: config.code_backend,
        ack_timeout: config.ack_timeout,
        knowledge: std::sync::Mutex::new(knowledge_with_source_path(&config.source_paths)),
        session_ns: Default::default(),
        page_url: page_url.clone(),
        jank_backend: config
            .jank_nrepl
            .clone()
            .map(|addr| crate::compile::jank_nrepl::JankNrepl::new(addr, config.compile.timeout)),
    });
    let state = AppState {
        evaluator: evaluator.clone(),
        hub,
        token: config.token.clone().into(),
        origins: Arc::new(OriginPolicy::new(bound, &config.extra_origins)),
        hosts: Arc::new(HostPolicy::new(&config.extra_hosts)),
        www_root: Arc::new(www_root.clone()),
        client_dir: config
            .client_dir
            .as_ref()
            .and_then(|d| d.canonicalize().ok())
            .map(Arc::new),
        limits: config.limits,
        protocol_version: config.protocol_version,
    };
    let app = Router::new()
        .route(jank_hot_reload_protocol::WS_PATH, get(ws::upgrade))
        .fallback(http::serve_static)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::refuse_foreign_host,
        ))
        .with_state(state);

    // A --jank-nrepl peer that cannot compile patches is said at start, not
    // at the first eval.
    if let Some(jank) = &evaluator.jank_backend {
        let checked = tokio::time::timeout(std::time::Duration::from_secs(3), jank.check()).await;
        let problem = match checked {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e.message),
            Err(_) => Some(format!(
                "the jank nREPL server at {} (--jank-nrepl) did not answer describe within 3 s",
                config.jank_nrepl.as_deref().unwrap_or_default()
            )),
        };
        if let Some(problem) = problem {
            println!("warning:   {problem}");
        }
    }

    // Printed on stdout, one line each, for people and for scripts.
    println!(
        "jank-hot-reload {} serving {}",
        env!("CARGO_PKG_VERSION"),
        www_root.display()
    );
    println!(
        "page:      http://{host}:{}/?token={}",
        bound.port(),
        config.token
    );
    println!(
        "websocket: ws://{host}:{}{}?token={}",
        bound.port(),
        jank_hot_reload_protocol::WS_PATH,
        config.token
    );

    let mut _port_file = None;
    if let Some(nrepl) = nrepl_listener {
        let port = nrepl.local_addr()?.port();
        let nrepl_host = nrepl.local_addr()?.ip();
        if let Some(path) = &config.nrepl_port_file {
            match std::fs::write(path, port.to_string()) {
                Ok(()) => _port_file = Some(PortFile(path.clone())),
                Err(e) => tracing::warn!("cannot write {}: {e}", path.display()),
            }
        }
        // The line CIDER and friends look for when they start a server.
        let line = format!("nREPL server started on port {port} on host {nrepl_host} - nrepl://{nrepl_host}:{port}\n");
        {
            use std::io::Write;
            let mut stdout = std::io::stdout();
            let _ = stdout
                .write_all(line.as_bytes())
                .and_then(|()| stdout.flush());
        }
        tokio::spawn(crate::frontends::nrepl::NreplServer::new(evaluator.clone()).serve(nrepl));
    }

    // Stylesheets and pages under the served root reload in the pages.
    let _assets = match crate::frontends::assets::AssetWatch::start(
        www_root.clone(),
        hub_for_assets,
        Duration::from_millis(50),
    ) {
        Ok(watch) => Some(watch),
        Err(e) => {
            tracing::warn!(
                "cannot watch {} for CSS and HTML changes: {e}",
                www_root.display()
            );
            None
        }
    };

    let _watch = match &config.watch {
        Some(dir) => Some(
            crate::frontends::watch::Watch::start(
                dir.clone(),
                evaluator.clone(),
                config.watch_debounce,
            )
            .await
            .with_context(|| format!("cannot watch {}", dir.display()))?,
        ),
        None => None,
    };

    // Small frames (a patch, an ack) must not wait for Nagle's algorithm and a
    // delayed ACK: that is a 40 ms stall on an eval that takes 3.
    use axum::serve::ListenerExt;
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await?;
    Ok(())
}

/// Ctrl-C, or SIGTERM (what `kill` and process managers send). The handlers
/// are installed now; the future resolves when either arrives.
fn stop_requested() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut interrupt = signal(SignalKind::interrupt()).context("cannot watch for Ctrl-C")?;
        let mut terminate = signal(SignalKind::terminate()).context("cannot watch for SIGTERM")?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// `.nrepl-port`, removed when the server stops, so editors never offer to
/// connect to a port nobody listens on.
struct PortFile(PathBuf);

impl Drop for PortFile {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_file(&self.0) {
            tracing::warn!("cannot remove {}: {e}", self.0.display());
        }
    }
}
