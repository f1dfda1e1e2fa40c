//! DOM CustomEvents (`jank-hot-reload:*` on window) and the JS hooks.

use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::options::LogLevel;

/// The events a page can listen for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    Connected,
    Disconnected,
    Patch,
    Error,
    BeforeLoad,
    AfterLoad,
}

impl Event {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Event::Connected => "jank-hot-reload:connected",
            Event::Disconnected => "jank-hot-reload:disconnected",
            Event::Patch => "jank-hot-reload:patch",
            Event::Error => "jank-hot-reload:error",
            Event::BeforeLoad => "jank-hot-reload:before-load",
            Event::AfterLoad => "jank-hot-reload:after-load",
        }
    }
}

/// Dispatches `event` on window with `detail`; a page without listeners costs nothing.
pub(crate) fn emit(event: Event, detail: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    if let Ok(e) = web_sys::CustomEvent::new_with_event_init_dict(event.name(), &init) {
        let _ = window.dispatch_event(&e);
    }
}

/// Calls a hook and awaits it if it returned a promise. A throwing hook is
/// reported, never fatal.
pub(crate) async fn call_hook(hook: &Option<Function>, arg: &JsValue) -> Result<(), String> {
    let Some(hook) = hook else {
        return Ok(());
    };
    let result = hook
        .call1(&JsValue::NULL, arg)
        .map_err(|e| crate::loader::module::error_message(&e))?;
    if let Some(promise) = result.dyn_ref::<Promise>() {
        JsFuture::from(promise.clone())
            .await
            .map_err(|e| crate::loader::module::error_message(&e))?;
    }
    Ok(())
}

/// Console logging at the configured level.
#[derive(Clone, Copy)]
pub(crate) struct Log(pub LogLevel);

impl Log {
    pub(crate) fn error(self, message: &str) {
        if self.0 >= LogLevel::Error {
            web_sys::console::error_1(&format!("[jank-hot-reload] {message}").into());
        }
    }

    pub(crate) fn warn(self, message: &str) {
        if self.0 >= LogLevel::Warn {
            web_sys::console::warn_1(&format!("[jank-hot-reload] {message}").into());
        }
    }

    pub(crate) fn info(self, message: &str) {
        if self.0 >= LogLevel::Info {
            web_sys::console::info_1(&format!("[jank-hot-reload] {message}").into());
        }
    }

    pub(crate) fn debug(self, message: &str) {
        if self.0 >= LogLevel::Debug {
            web_sys::console::debug_1(&format!("[jank-hot-reload] {message}").into());
        }
    }
}
