//! The WebSocket front end at `/repl`: the page's connection to the server.

use std::collections::HashMap;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use jank_hot_reload_protocol::{
    decode_patch_frame, parse_client_message, ClientMessage, ErrorCode, EvalError, Hello,
    ParseError, PatchAck, Phase, Ping, Refusal, ServerMessage, Welcome,
};
use tokio::sync::mpsc;

use crate::hub::{to_json, Outbound, PageInfo};
use crate::security::token_matches;
use crate::state::AppState;

/// WebSocket close code for a protocol violation (RFC 6455).
const CLOSE_PROTOCOL_ERROR: u16 = 1002;
/// WebSocket close code for a message over the size limit (RFC 6455).
const CLOSE_TOO_BIG: u16 = 1009;

pub async fn upgrade(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let origin = headers
        .get(axum::http::header::ORIGIN)
        .and_then(|o| o.to_str().ok());
    if !state.origins.allows(origin) {
        tracing::warn!(?origin, "refused WebSocket from a foreign origin");
        return (
            StatusCode::FORBIDDEN,
            format!(
                "jank-hot-reload: origin {} is not allowed. Allowed: {}. Add it with --allow-origin.",
                origin.unwrap_or("(none)"),
                state.origins.allowed().join(", ")
            ),
        )
            .into_response();
    }
    match query.get("token") {
        Some(token) if token_matches(&state.token, token) => {}
        given => {
            tracing::warn!(
                "refused WebSocket with a {} token",
                if given.is_some() { "wrong" } else { "missing" }
            );
            return (
                StatusCode::FORBIDDEN,
                format!(
                    "jank-hot-reload: {} token. Connect to /repl?token=<token>; the server prints \
                     the token at start and injects it into the pages it serves.",
                    if given.is_some() { "wrong" } else { "missing" }
                ),
            )
                .into_response();
        }
    }
    let hard_limit = state.limits.max_message_bytes.saturating_mul(4);
    ws.max_message_size(hard_limit)
        .max_frame_size(hard_limit)
        .on_upgrade(move |socket| connection(socket, state))
}

/// One page's connection: hello first, then messages until either side closes.
async fn connection(socket: WebSocket, state: AppState) {
    let (mut sink, mut stream) = socket.split();
    let session = state.hub.new_session_id();
    let (tx, mut rx) = mpsc::unbounded_channel::<Outbound>();
    let mut greeted = false;
    let mut ping = tokio::time::interval(state.limits.ping_interval);
    ping.tick().await;

    loop {
        tokio::select! {
            incoming = stream.next() => {
                let message = match incoming {
                    Some(Ok(message)) => message,
                    Some(Err(err)) => {
                        // Only a size-limit breach is worth explaining; anything
                        // else means the socket is already gone.
                        let text = err.to_string();
                        tracing::info!(%session, "connection error: {text}");
                        if text.contains("too long") || text.contains("too big") || text.contains("Space limit") {
                            let _ = sink.send(close(CLOSE_TOO_BIG, format!(
                                "message over the {}-byte hard limit", state.limits.max_message_bytes.saturating_mul(4)))).await;
                        }
                        break;
                    }
                    None => break,
                };
                let reply = match message {
                    Message::Text(text) => {
                        on_text(&state, &session, &tx, &mut greeted, text.as_str())
                    }
                    Message::Binary(bytes) => Some(on_binary(&bytes)),
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => None,
                };
                if let Some(reply) = reply {
                    if !send_reply(&mut sink, reply).await {
                        break;
                    }
                }
            }
            Some(out) = rx.recv() => {
                let message = match out {
                    Outbound::Text(text) => Message::Text(Utf8Bytes::from(text)),
                    Outbound::Binary(bytes) => Message::Binary(bytes.into()),
                };
                if sink.send(message).await.is_err() {
                    break;
                }
            }
            _ = ping.tick() => {
                let t = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() as u64)
                    .unwrap_or_default();
                let ping = ServerMessage::Ping(Ping { t });
                if sink.send(Message::Text(Utf8Bytes::from(to_json(&ping)))).await.is_err()
                    || sink.send(Message::Ping(Vec::new().into())).await.is_err()
                {
                    break;
                }
            }
        }
    }
    state.hub.remove_page(&session);
    tracing::info!(%session, pages = state.hub.page_count(), "page disconnected");
}

/// Sends a reply; false when the connection is over (closed on purpose or broken).
async fn send_reply(
    sink: &mut futures_util::stream::SplitSink<WebSocket, Message>,
    reply: Reply,
) -> bool {
    match reply {
        Reply::Send(msg) => sink
            .send(Message::Text(Utf8Bytes::from(to_json(&msg))))
            .await
            .is_ok(),
        Reply::Close(msg, reason) => {
            let _ = sink
                .send(Message::Text(Utf8Bytes::from(to_json(&msg))))
                .await;
            let _ = sink.send(close(CLOSE_PROTOCOL_ERROR, reason)).await;
            false
        }
    }
}

enum Reply {
    Send(ServerMessage),
    /// Send, then close the connection with this reason.
    Close(ServerMessage, String),
}

fn error(code: ErrorCode, message: impl Into<String>) -> ServerMessage {
    ServerMessage::Error(Refusal {
        code,
        message: message.into(),
        fatal: false,
    })
}

fn on_text(
    state: &AppState,
    session: &str,
    tx: &mpsc::UnboundedSender<Outbound>,
    greeted: &mut bool,
    text: &str,
) -> Option<Reply> {
    let limit = state.limits.max_message_bytes;
    if text.len() > limit {
        if *greeted {
            answer_oversized_ack(state, session, text, limit);
        }
        return Some(Reply::Send(error(
            ErrorCode::MessageTooLarge,
            format!(
                "message of {} bytes exceeds the {limit}-byte limit (--max-message-bytes); it was ignored",
                text.len()
            ),
        )));
    }
    let message = match parse_client_message(text) {
        Ok(message) => message,
        Err(ParseError::UnknownType { found, expected }) => {
            return Some(Reply::Send(error(
                ErrorCode::UnknownType,
                format!("unknown message type {found:?}; expected one of: {expected}"),
            )))
        }
        Err(err @ ParseError::Malformed(_)) => {
            return Some(Reply::Send(error(
                ErrorCode::MalformedMessage,
                err.to_string(),
            )))
        }
    };
    match message {
        ClientMessage::Hello(hello) => on_hello(state, session, tx, greeted, hello),
        _ if !*greeted => Some(Reply::Send(error(
            ErrorCode::HelloRequired,
            "send hello before anything else",
        ))),
        ClientMessage::Eval(request) => {
            let evaluator = state.evaluator.clone();
            let hub = state.hub.clone();
            let session = session.to_owned();
            tokio::spawn(async move {
                let result = evaluator.eval_for_page(&session, request).await;
                hub.send_json(&session, &ServerMessage::EvalResult(result));
            });
            None
        }
        ClientMessage::PatchAck(ack) => {
            let patch_id = ack.patch_id;
            if !ack.ok {
                tracing::warn!(%session, patch_id, error = ?ack.error, "page failed to load a patch");
            }
            if !state.hub.deliver_ack(session, ack) {
                tracing::debug!(%session, patch_id, "ack without a waiter");
            }
            None
        }
        ClientMessage::Pong { .. } => None,
    }
}

/// An ack over the limit (a huge value or output) still answers its
/// patch, with an error in place of the content, so that the eval waiting
/// on it fails at once instead of at the ack timeout.
fn answer_oversized_ack(state: &AppState, session: &str, text: &str, limit: usize) {
    let Ok(ClientMessage::PatchAck(ack)) = parse_client_message(text) else {
        return;
    };
    let message = format!(
        "the page's answer to patch {} was {} bytes, over the server's {limit}-byte limit for a \
         page's message (--max-message-bytes), so its value and output were dropped: the \
         definitions loaded; print less, or raise the limit",
        ack.patch_id,
        text.len()
    );
    tracing::warn!(%session, patch_id = ack.patch_id, "{message}");
    let failed = PatchAck {
        ok: false,
        error: Some(EvalError::new(Phase::Transfer, message)),
        value: None,
        out: None,
        ..ack
    };
    state.hub.deliver_ack(session, failed);
}

fn on_hello(
    state: &AppState,
    session: &str,
    tx: &mpsc::UnboundedSender<Outbound>,
    greeted: &mut bool,
    hello: Hello,
) -> Option<Reply> {
    if *greeted {
        return Some(Reply::Send(error(
            ErrorCode::UnexpectedMessage,
            "hello was already received on this connection",
        )));
    }
    let speaks = state.protocol_version;
    if hello.protocol != speaks {
        let message = format!(
            "protocol version mismatch: the client speaks {} but this server speaks {}. \
             Rebuild or reinstall the client to match the server (jank-hot-reload {}).",
            hello.protocol,
            speaks,
            env!("CARGO_PKG_VERSION")
        );
        tracing::warn!(%session, "{message}");
        return Some(Reply::Close(
            ServerMessage::Error(Refusal {
                code: ErrorCode::VersionMismatch,
                message,
                fatal: true,
            }),
            "protocol version mismatch".to_owned(),
        ));
    }
    *greeted = true;
    if let Some(namespaces) = &hello.namespaces {
        state.evaluator.learn_vars(namespaces);
    }
    state.evaluator.page_joined();
    tracing::info!(%session, client = %hello.client.name, abi = ?hello.abi, page = ?hello.page_url, "page connected");
    let next_patch_id = state.hub.add_page(
        session.to_owned(),
        PageInfo {
            client: format!("{} {}", hello.client.name, hello.client.version),
            abi: hello.abi,
            page_url: hello.page_url,
            capabilities: hello.capabilities,
        },
        tx.clone(),
    );
    Some(Reply::Send(ServerMessage::Welcome(Welcome {
        protocol: speaks,
        server_version: env!("CARGO_PKG_VERSION").to_owned(),
        session_id: session.to_owned(),
        next_patch_id: Some(next_patch_id),
    })))
}

/// Clients have no business sending patches; still decode, so a broken frame
/// gets a precise answer.
fn on_binary(bytes: &[u8]) -> Reply {
    match decode_patch_frame(bytes) {
        Err(err) => Reply::Send(error(ErrorCode::BadFrame, err.to_string())),
        Ok((header, _)) => Reply::Send(error(
            ErrorCode::UnexpectedMessage,
            format!(
                "patch frames flow from the server to pages; patch {} from a client was ignored",
                header.patch_id
            ),
        )),
    }
}

fn close(code: u16, reason: String) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: Utf8Bytes::from(reason),
    }))
}
