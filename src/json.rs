//! JSON through the browser's own `JSON`, read and written through the
//! protocol's codec ([`jank_hot_reload_protocol::decode`] and
//! [`jank_hot_reload_protocol::encode`]) over plain JS values.
//!
//! The client links no serde: its derived code, and the float printer its
//! error messages need, were a quarter of the `.wasm` (see `bench/RESULTS.md`).
//! The browser tests read what it writes with serde-wasm-bindgen and the
//! protocol's serde derives, so the two cannot drift.

use jank_hot_reload_protocol::{Decode, Encode, Json, JsonOut};
use wasm_bindgen::{JsCast, JsValue};

/// A Rust value as a plain JS value.
pub(crate) fn to_js<T: Encode + ?Sized>(value: &T) -> JsValue {
    value.encode::<JsJson>().0
}

pub(crate) fn to_string<T: Encode + ?Sized>(value: &T) -> String {
    js_sys::JSON::stringify(&to_js(value))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

pub(crate) fn parse(text: &str) -> Result<JsValue, String> {
    js_sys::JSON::parse(text)
        .map_err(|e| format!("not JSON: {}", crate::loader::module::error_message(&e)))
}

/// Reads a JS value (an object from `JSON.parse`, or one the page passed in).
pub(crate) fn from_js<T: Decode>(value: JsValue) -> Result<T, String> {
    T::decode(&JsJson(value)).map_err(|e| e.to_string())
}

pub(crate) fn from_str<T: Decode>(text: &str) -> Result<T, String> {
    from_js(parse(text)?)
}

/// A member name as a JS string, made once. Each new JS string from Rust is a
/// `TextDecoder` call, and a patch's header, ack and events read and write
/// about fifty members: without this they were a tenth of a small load.
fn member_name(name: &'static str) -> JsValue {
    thread_local! {
        /// By the literal's address and length: a few dozen names, searched linearly.
        static NAMES: std::cell::RefCell<Vec<((usize, usize), JsValue)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    let literal = (name.as_ptr() as usize, name.len());
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some((_, js)) = names.iter().find(|(at, _)| *at == literal) {
            return js.clone();
        }
        let js = JsValue::from_str(name);
        names.push((literal, js.clone()));
        js
    })
}

/// A JS value as the protocol's codec sees JSON.
pub(crate) struct JsJson(pub JsValue);

impl JsonOut for JsJson {
    fn object() -> Self {
        JsJson(js_sys::Object::new().into())
    }

    fn array(items: Vec<Self>) -> Self {
        JsJson(
            items
                .into_iter()
                .map(|item| item.0)
                .collect::<js_sys::Array>()
                .into(),
        )
    }

    fn string(text: &str) -> Self {
        JsJson(JsValue::from_str(text))
    }

    fn number(number: f64) -> Self {
        JsJson(JsValue::from_f64(number))
    }

    fn boolean(value: bool) -> Self {
        JsJson(JsValue::from_bool(value))
    }

    fn null() -> Self {
        JsJson(JsValue::NULL)
    }

    fn set_entry(&mut self, key: &str, value: Self) {
        let _ = js_sys::Reflect::set(&self.0, &JsValue::from_str(key), &value.0);
    }

    fn set(&mut self, key: &'static str, value: Self) {
        let _ = js_sys::Reflect::set(&self.0, &member_name(key), &value.0);
    }
}

impl Json for JsJson {
    fn member(&self, key: &'static str) -> Option<Self> {
        if !self.0.is_object() {
            return None;
        }
        js_sys::Reflect::get(&self.0, &member_name(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
            .map(JsJson)
    }

    fn as_string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn as_number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn as_boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(&self.0).then(|| {
            let array: &js_sys::Array = self.0.unchecked_ref();
            array.iter().map(JsJson).collect()
        })
    }

    fn entries(&self) -> Option<Vec<(String, Self)>> {
        let object: &js_sys::Object = self.0.dyn_ref()?;
        let entries = js_sys::Object::entries(object);
        let members = entries.iter().filter_map(|entry| {
            let pair: js_sys::Array = entry.unchecked_into();
            let value = pair.get(1);
            let present = !value.is_undefined() && !value.is_null();
            present.then(|| (pair.get(0).as_string().unwrap_or_default(), JsJson(value)))
        });
        Some(members.collect())
    }

    fn is_object(&self) -> bool {
        self.0.is_object() && !js_sys::Array::is_array(&self.0)
    }
}
