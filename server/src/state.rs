//! What every request handler shares, passed explicitly as axum state.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::eval::Evaluator;
use crate::hub::Hub;
use crate::security::{HostPolicy, OriginPolicy};

#[derive(Debug, Clone, Copy)]
pub struct WsLimits {
    /// Text messages over this get a clear error; 4× this closes the socket.
    pub max_message_bytes: usize,
    pub ping_interval: Duration,
}

#[derive(Clone)]
pub struct AppState {
    pub hub: Arc<Hub>,
    pub evaluator: Arc<Evaluator>,
    pub token: Arc<str>,
    pub origins: Arc<OriginPolicy>,
    pub hosts: Arc<HostPolicy>,
    pub www_root: Arc<PathBuf>,
    /// The built client (pkg/), served under /__jank-hot-reload/.
    pub client_dir: Option<Arc<PathBuf>>,
    pub limits: WsLimits,
    /// The protocol version this server speaks (PROTOCOL_VERSION unless a
    /// test asks it to pretend otherwise).
    pub protocol_version: u32,
}
