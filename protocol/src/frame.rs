//! The binary patch frame: magic, u32 LE header length, JSON header, wasm bytes.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// First four bytes of every patch frame.
pub const PATCH_MAGIC: [u8; 4] = *b"JHRP";

/// Largest JSON header a decoder accepts; real headers are a few hundred bytes.
pub const MAX_HEADER_LEN: usize = 64 * 1024;

const PREFIX_LEN: usize = PATCH_MAGIC.len() + 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VarInfo {
    /// Qualified, `ns/name`.
    pub name: String,
    /// As in the patch's signature: `"1"`, or `"2+"` for variadic.
    pub arity: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchHeader {
    /// Server-assigned, strictly increasing; pages apply patches in this order.
    pub patch_id: u64,
    /// The eval request that produced this patch, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub entry_symbol: String,
    #[serde(default)]
    pub vars: Vec<VarInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    /// Content hash of the wasm bytes (hex).
    pub hash: String,
    pub byte_length: u64,
    #[serde(default)]
    pub compile_ms: f64,
    /// A zero-arity var (`ns/name`) the page runs after loading, returning its
    /// printed value in the ack: how a REPL expression answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// Zero-arity vars (`ns/name`) the page calls before loading and after
    /// (`^:dev/before-load`, `^:dev/after-load`); a failing hook is reported
    /// and never stops the patch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before_load: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after_load: Vec<String>,
    /// The editor's REPL session (nREPL `session`) whose `*1 *2 *3 *e` the
    /// run updates; None for a page's own evals and file reloads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// Sent to one page that joined late (patch id 0): applied when it
    /// arrives, outside the patch order every page shares.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub catch_up: bool,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("patch frame truncated: {len} bytes is shorter than the {PREFIX_LEN}-byte prefix")]
    TooShort { len: usize },
    #[error("not a patch frame: magic bytes {found:02x?} are not {PATCH_MAGIC:02x?} (\"JHRP\")")]
    BadMagic { found: [u8; 4] },
    #[error("patch header length {len} exceeds the limit of {MAX_HEADER_LEN} bytes")]
    HeaderTooLarge { len: usize },
    #[error("patch frame truncated: header says {declared} bytes but only {available} follow")]
    TruncatedHeader { declared: usize, available: usize },
    #[error("patch header is not valid JSON: {0}")]
    BadHeader(String),
    #[error("patch body is {actual} bytes but the header says byte_length {declared}")]
    LengthMismatch { declared: u64, actual: usize },
}

/// Encodes a patch frame. `header.byte_length` should equal `wasm.len()`.
pub fn encode_patch_frame(header: &PatchHeader, wasm: &[u8]) -> Vec<u8> {
    // Serializing a struct of strings and numbers cannot fail.
    let json = serde_json::to_vec(header).unwrap_or_default();
    let mut out = Vec::with_capacity(PREFIX_LEN + json.len() + wasm.len());
    out.extend_from_slice(&PATCH_MAGIC);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(wasm);
    out
}

/// Splits a patch frame into its JSON header bytes and its wasm bytes,
/// checking the prefix and lengths, without parsing the JSON. For decoders
/// that bring their own JSON parser (the browser client uses the browser's).
pub fn split_patch_frame(frame: &[u8]) -> Result<(&[u8], &[u8]), FrameError> {
    if frame.len() < PREFIX_LEN {
        return Err(FrameError::TooShort { len: frame.len() });
    }
    let (magic, rest) = frame.split_at(PATCH_MAGIC.len());
    if magic != PATCH_MAGIC {
        let mut found = [0u8; 4];
        found.copy_from_slice(magic);
        return Err(FrameError::BadMagic { found });
    }
    let (len_bytes, rest) = rest.split_at(4);
    let header_len =
        u32::from_le_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]) as usize;
    if header_len > MAX_HEADER_LEN {
        return Err(FrameError::HeaderTooLarge { len: header_len });
    }
    if header_len > rest.len() {
        return Err(FrameError::TruncatedHeader {
            declared: header_len,
            available: rest.len(),
        });
    }
    Ok(rest.split_at(header_len))
}

/// Checks the header's `byte_length` against the body that came with it.
pub fn check_patch_body(header: &PatchHeader, wasm: &[u8]) -> Result<(), FrameError> {
    if header.byte_length == wasm.len() as u64 {
        Ok(())
    } else {
        Err(FrameError::LengthMismatch {
            declared: header.byte_length,
            actual: wasm.len(),
        })
    }
}

/// Decodes a patch frame into its header and wasm bytes, checking every length.
pub fn decode_patch_frame(frame: &[u8]) -> Result<(PatchHeader, &[u8]), FrameError> {
    let (json, wasm) = split_patch_frame(frame)?;
    let header: PatchHeader =
        serde_json::from_slice(json).map_err(|e| FrameError::BadHeader(e.to_string()))?;
    check_patch_body(&header, wasm)?;
    Ok((header, wasm))
}
