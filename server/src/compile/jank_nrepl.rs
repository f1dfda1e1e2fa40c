//! The jank backend: C++ for a patch from a running jank's nREPL server, through
//! its `wasm-compile-patch` op, instead of the built-in compiler.
//!
//! Request: `code`, `ns`, `patch-id`. Reply: `cpp-code`, `var-name`, `ns-name`
//! (and `patch-id`), or `err` with an error status. jank's C++ declares its own
//! ABI and names its entry `jank_patch_symbols_<patch-id>`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use jank_hot_reload_protocol::{EvalError, Phase};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

use crate::frontends::nrepl::bencode::{string, text, BencodeCodec, Message};

pub struct JankNrepl {
    addr: String,
    timeout: Duration,
    /// Patch ids for jank: unique across server runs, because a page keeps
    /// every entry name it has loaded.
    next_patch: AtomicU64,
}

/// What jank produced for one patch.
#[derive(Debug, Clone)]
pub struct JankPatch {
    pub cpp: String,
    pub ns: String,
    pub var: String,
    pub entry_symbol: String,
}

impl JankNrepl {
    pub fn new(addr: String, timeout: Duration) -> Self {
        let base = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() % 1_000_000 * 1000)
            .unwrap_or_default();
        Self {
            addr,
            timeout,
            next_patch: AtomicU64::new(base),
        }
    }

    pub async fn compile(&self, code: &str, ns: &str) -> Result<JankPatch, EvalError> {
        let patch_id = self.next_patch.fetch_add(1, Ordering::Relaxed);
        let unavailable = |e: String| {
            EvalError::new(
                Phase::Compile,
                format!("the jank nREPL server at {} (--jank-nrepl) {e}", self.addr),
            )
        };
        let exchange = async {
            let stream = TcpStream::connect(&self.addr)
                .await
                .map_err(|e| unavailable(format!("is not reachable: {e}")))?;
            let _ = stream.set_nodelay(true);
            let mut framed = Framed::new(stream, BencodeCodec);
            let mut request = Message::new();
            request.insert("op".into(), string("wasm-compile-patch"));
            request.insert("id".into(), string(format!("jhr-{patch_id}")));
            request.insert("code".into(), string(code));
            request.insert("ns".into(), string(ns));
            request.insert("patch-id".into(), string(patch_id.to_string()));
            framed
                .send(request)
                .await
                .map_err(|e| unavailable(format!("refused the request: {e}")))?;
            let mut replies = Vec::new();
            while let Some(reply) = framed.next().await {
                let reply = reply.map_err(|e| unavailable(format!("sent a bad reply: {e}")))?;
                let done = statuses(&reply).iter().any(|s| s == "done");
                replies.push(reply);
                if done {
                    break;
                }
            }
            Ok::<_, EvalError>(replies)
        };
        let replies = tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| unavailable(format!("did not answer within {:?}", self.timeout)))??;

        let errors: Vec<String> = replies.iter().filter_map(|r| text(r, "err")).collect();
        if !errors.is_empty()
            || replies
                .iter()
                .any(|r| statuses(r).iter().any(|s| s == "unknown-op"))
        {
            let message = if errors.is_empty() {
                "it does not support the wasm-compile-patch op; is it a jank with WASM hot reload?"
                    .to_owned()
            } else {
                errors.join("\n")
            };
            return Err(EvalError::new(Phase::Compile, format!("jank: {message}")));
        }
        let Some(result) = replies.iter().find(|r| r.contains_key("cpp-code")) else {
            return Err(unavailable("answered without cpp-code".into()));
        };
        let id = text(result, "patch-id").unwrap_or_else(|| patch_id.to_string());
        Ok(JankPatch {
            cpp: text(result, "cpp-code").unwrap_or_default(),
            ns: text(result, "ns-name").unwrap_or_else(|| ns.to_owned()),
            var: text(result, "var-name").unwrap_or_default(),
            entry_symbol: format!("{}{id}", super::ENTRY_PREFIX),
        })
    }
}

fn statuses(message: &Message) -> Vec<String> {
    match message.get("status") {
        Some(serde_bencode::value::Value::List(items)) => items
            .iter()
            .filter_map(|v| match v {
                serde_bencode::value::Value::Bytes(b) => {
                    Some(String::from_utf8_lossy(b).into_owned())
                }
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
