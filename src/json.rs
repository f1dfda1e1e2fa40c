//! JSON through the browser's own `JSON`, with serde-wasm-bindgen for the
//! types. The client deliberately does not link serde_json's parser and
//! printer: with serde-wasm-bindgen already needed for the JS API, a second
//! format doubled every message type's code.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// A Rust value as a plain JS value (objects, not Maps).
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    js_sys::JSON::stringify(&to_js(value))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

pub(crate) fn parse(text: &str) -> Result<JsValue, String> {
    js_sys::JSON::parse(text)
        .map_err(|e| format!("not JSON: {}", crate::loader::module::error_message(&e)))
}

pub(crate) fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

pub(crate) fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    from_js(parse(text)?)
}
