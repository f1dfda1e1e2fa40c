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

    fn unavailable(&self, why: String) -> EvalError {
        EvalError::new(
            Phase::Compile,
            format!(
                "the jank nREPL server at {} (--jank-nrepl) {why}",
                self.addr
            ),
        )
    }

    /// Sends one request and collects its replies up to `done`.
    async fn exchange(&self, request: Message) -> Result<Vec<Message>, EvalError> {
        let exchange = async {
            let stream = TcpStream::connect(&self.addr)
                .await
                .map_err(|e| self.unavailable(format!("is not reachable: {e}")))?;
            let _ = stream.set_nodelay(true);
            let mut framed = Framed::new(stream, BencodeCodec);
            framed
                .send(request)
                .await
                .map_err(|e| self.unavailable(format!("refused the request: {e}")))?;
            let mut replies = Vec::new();
            while let Some(reply) = framed.next().await {
                let reply =
                    reply.map_err(|e| self.unavailable(format!("sent a bad reply: {e}")))?;
                let done = statuses(&reply).iter().any(|s| s == "done");
                replies.push(reply);
                if done {
                    break;
                }
            }
            Ok::<_, EvalError>(replies)
        };
        tokio::time::timeout(self.timeout, exchange)
            .await
            .map_err(|_| self.unavailable(format!("did not answer within {:?}", self.timeout)))?
    }

    /// At start: asks the peer's `describe` whether it has the op this backend
    /// needs. Err says what is missing and what to use instead (upstream
    /// jank's nREPL has no WebAssembly target).
    pub async fn check(&self) -> Result<(), EvalError> {
        let mut request = Message::new();
        request.insert("op".into(), string("describe"));
        request.insert("id".into(), string("jhr-describe"));
        let replies = self.exchange(request).await?;
        let mut ops: Vec<String> = replies
            .iter()
            .filter_map(|r| match r.get("ops") {
                Some(serde_bencode::value::Value::Dict(ops)) => Some(
                    ops.keys()
                        .map(|k| String::from_utf8_lossy(k).into_owned())
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            })
            .flatten()
            .collect();
        ops.sort();
        if ops.iter().any(|op| op == WASM_COMPILE_PATCH) {
            return Ok(());
        }
        let has = if ops.is_empty() {
            "no ops in its describe reply".to_owned()
        } else {
            format!("only {}", ops.join(", "))
        };
        Err(self.unavailable(format!(
            "has no {WASM_COMPILE_PATCH} op ({has}). Upstream jank's nREPL has no WebAssembly \
             target; run the jank fork with WASM hot reload (pfeodrippe/jank, branch nrepl), or \
             drop --jank-nrepl to use the built-in jank compiler"
        )))
    }

    pub async fn compile(&self, code: &str, ns: &str) -> Result<JankPatch, EvalError> {
        let patch_id = self.next_patch.fetch_add(1, Ordering::Relaxed);
        let mut request = Message::new();
        request.insert("op".into(), string(WASM_COMPILE_PATCH));
        request.insert("id".into(), string(format!("jhr-{patch_id}")));
        request.insert("code".into(), string(code));
        request.insert("ns".into(), string(ns));
        request.insert("patch-id".into(), string(patch_id.to_string()));
        let replies = self.exchange(request).await?;

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
            return Err(self.unavailable("answered without cpp-code".into()));
        };
        let cpp = text(result, "cpp-code").unwrap_or_default();
        // The fork answers a form it cannot compile with a comment, and no
        // error status: "// ERROR: def value is not a function".
        if let Some(why) = cpp.trim().strip_prefix("// ERROR:") {
            return Err(EvalError::new(
                Phase::Compile,
                format!(
                    "jank: {} (its wasm-compile-patch compiles defns of fns only)",
                    why.trim()
                ),
            ));
        }
        let id = text(result, "patch-id").unwrap_or_else(|| patch_id.to_string());
        let entry_symbol = format!("{}{id}", super::ENTRY_PREFIX);
        if !cpp.contains(&entry_symbol) {
            return Err(EvalError::new(
                Phase::Compile,
                format!(
                    "jank: its wasm-compile-patch answer defines no {entry_symbol}, so there is \
                     nothing to load for this form"
                ),
            ));
        }
        Ok(JankPatch {
            cpp,
            ns: text(result, "ns-name").unwrap_or_else(|| ns.to_owned()),
            var: text(result, "var-name").unwrap_or_default(),
            entry_symbol,
        })
    }
}

/// The fork's op that returns C++ for one patch.
const WASM_COMPILE_PATCH: &str = "wasm-compile-patch";

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
