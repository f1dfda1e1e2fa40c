//! The wire protocol between the jank hot-reload dev server and the browser client.
//!
//! Defined once, here, and used by both sides so that they cannot drift:
//! - control messages are JSON text frames tagged by `type` ([`ClientMessage`],
//!   [`ServerMessage`]);
//! - a patch is one binary frame ([`encode_patch_frame`], [`decode_patch_frame`]);
//! - the browser client reads and writes them through [`decode`] and
//!   [`encode`], which are tested to agree with the serde derives here.

pub mod capabilities;
pub mod decode;
pub mod encode;
mod frame;
mod messages;

pub use capabilities::{Capabilities, RegistryLimits};
pub use decode::{Decode, DecodeError, Json};
pub use encode::{Encode, JsonOut};

pub use frame::{
    check_patch_body, decode_patch_frame, encode_patch_frame, split_patch_frame, FrameError,
    PatchHeader, VarInfo, MAX_HEADER_LEN, PATCH_MAGIC,
};
pub use messages::*;

/// Bumped on any incompatible change; hello and welcome must agree on it.
pub const PROTOCOL_VERSION: u32 = 1;

/// The WebSocket path the server listens on.
pub const WS_PATH: &str = "/repl";

/// Parses a client text frame, telling a malformed message from an unknown type.
pub fn parse_client_message(text: &str) -> Result<ClientMessage, ParseError> {
    parse_tagged(text, CLIENT_MESSAGE_TYPES)
}

/// The `type` values [`ServerMessage`] carries.
pub const SERVER_MESSAGE_TYPES: &[&str] = &[
    "welcome",
    "eval-result",
    "compile-error",
    "error",
    "ping",
    "asset-changed",
];

/// Parses a server text frame.
pub fn parse_server_message(text: &str) -> Result<ServerMessage, ParseError> {
    parse_tagged(text, SERVER_MESSAGE_TYPES)
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("malformed message: {0}")]
    Malformed(String),
    #[error("unknown message type {found:?}; expected one of: {expected}")]
    UnknownType { found: String, expected: String },
}

fn parse_tagged<T: serde::de::DeserializeOwned>(
    text: &str,
    known: &[&str],
) -> Result<T, ParseError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ParseError::Malformed(format!("not JSON: {e}")))?;
    let kind = match value.get("type") {
        Some(serde_json::Value::String(kind)) => kind.clone(),
        Some(_) => return Err(ParseError::Malformed("\"type\" must be a string".into())),
        None => return Err(ParseError::Malformed("missing \"type\" field".into())),
    };
    if !known.contains(&kind.as_str()) {
        return Err(ParseError::UnknownType {
            found: kind,
            expected: known.join(", "),
        });
    }
    serde_json::from_value(value).map_err(|e| ParseError::Malformed(format!("bad {kind}: {e}")))
}
