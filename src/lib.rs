//! The browser companion of jank hot reload.
//!
//! It runs beside jank.wasm, receives patches from the dev server over a
//! WebSocket, and loads them through the runtime's hot-reload ABI. This crate
//! currently exposes the shared protocol to JavaScript; the connection,
//! loader and HUD build on it.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The protocol version this client speaks; the server must speak the same.
#[wasm_bindgen(js_name = protocolVersion)]
pub fn protocol_version() -> u32 {
    jank_hot_reload_protocol::PROTOCOL_VERSION
}

/// Decodes a binary patch frame's header, or throws with the reason it is malformed.
#[wasm_bindgen(js_name = decodePatchHeader)]
pub fn decode_patch_header(frame: &[u8]) -> Result<JsValue, JsError> {
    let (header, _) = jank_hot_reload_protocol::decode_patch_frame(frame)?;
    serde_wasm_bindgen::to_value(&header).map_err(|e| JsError::new(&e.to_string()))
}
