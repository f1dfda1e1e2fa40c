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
use crate::security::OriginPolicy;
use crate::state::{AppState, WsLimits};

#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    pub www_root: PathBuf,
    pub token: String,
    pub extra_origins: Vec<String>,
    pub backend: Backend,
    pub toolchain: ToolchainOverrides,
    pub compile: CompileOptions,
    pub limits: WsLimits,
    pub ack_timeout: Duration,
    pub protocol_version: u32,
}

pub async fn run(config: ServeConfig) -> anyhow::Result<()> {
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

    let hub = Arc::new(Hub::default());
    let state = AppState {
        evaluator: Arc::new(Evaluator {
            compiler,
            hub: hub.clone(),
            backend: config.backend,
            ack_timeout: config.ack_timeout,
            knowledge: Default::default(),
            session_ns: Default::default(),
        }),
        hub,
        token: config.token.clone().into(),
        origins: Arc::new(OriginPolicy::new(bound, &config.extra_origins)),
        www_root: Arc::new(www_root.clone()),
        limits: config.limits,
        protocol_version: config.protocol_version,
    };
    let app = Router::new()
        .route(jank_hot_reload_protocol::WS_PATH, get(ws::upgrade))
        .fallback(http::serve_static)
        .with_state(state);

    let host = if bound.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        bound.ip().to_string()
    };
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

    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
