//! `connect(Module, options)`: every option, with its default.

use jank_hot_reload_protocol::decode::{variant, Decode, DecodeError, Json, Object};
use jank_hot_reload_protocol::{AbiForm, WS_PATH};
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum AbiChoice {
    /// Read the form from the export's parameter count.
    #[default]
    Auto,
    EntrySymbol,
    Seed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) enum LogLevel {
    Silent,
    Error,
    Warn,
    #[default]
    Info,
    Debug,
}

#[derive(Debug, Clone)]
pub(crate) struct ReconnectOptions {
    pub initial_ms: f64,
    pub max_ms: f64,
    /// A connection silent for this long is considered dead (the server pings every 5 s).
    pub idle_timeout_ms: f64,
}

impl Default for ReconnectOptions {
    fn default() -> Self {
        Self {
            initial_ms: 250.0,
            max_ms: 5000.0,
            idle_timeout_ms: 15000.0,
        }
    }
}

/// What `connect()` accepts; every member is optional, with the defaults below.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// WebSocket URL; by default `ws(s)://<page host>/repl`.
    pub url: Option<String>,
    /// By default the token the server injected into the page, or `?token=` in the page URL.
    pub token: Option<String>,
    pub abi: AbiChoice,
    pub reconnect: ReconnectOptions,
    pub hud: bool,
    pub log_level: LogLevel,
    /// Keep patch files in Emscripten's FS after loading (for debugging).
    pub keep_patch_files: bool,
    /// Compile patches asynchronously before dlopen, where the Module supports it.
    pub precompile: bool,
    pub eval_timeout_ms: f64,
    /// How long a patch waits for an earlier, missing one before it is applied anyway.
    pub order_timeout_ms: f64,
    /// Let a runtime with a collector (`jank_gc_maybe`) collect between tasks.
    pub collect_garbage: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            url: None,
            token: None,
            abi: AbiChoice::Auto,
            reconnect: ReconnectOptions::default(),
            hud: true,
            log_level: LogLevel::Info,
            keep_patch_files: false,
            precompile: true,
            eval_timeout_ms: 30000.0,
            order_timeout_ms: 2000.0,
            collect_garbage: true,
        }
    }
}

impl Decode for AbiChoice {
    const EXPECTED: &'static str = "'auto', 'entry-symbol' or 'seed'";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let names = [
            ("auto", AbiChoice::Auto),
            ("entry-symbol", AbiChoice::EntrySymbol),
            ("seed", AbiChoice::Seed),
        ];
        variant(value, &names, Self::EXPECTED)
    }
}

impl Decode for LogLevel {
    const EXPECTED: &'static str = "'silent', 'error', 'warn', 'info' or 'debug'";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let names = [
            ("silent", LogLevel::Silent),
            ("error", LogLevel::Error),
            ("warn", LogLevel::Warn),
            ("info", LogLevel::Info),
            ("debug", LogLevel::Debug),
        ];
        variant(value, &names, Self::EXPECTED)
    }
}

impl Decode for ReconnectOptions {
    const EXPECTED: &'static str = "an object { initialMs, maxMs, idleTimeoutMs }";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        let default = ReconnectOptions::default();
        Ok(ReconnectOptions {
            initial_ms: o.or("initialMs", default.initial_ms)?,
            max_ms: o.or("maxMs", default.max_ms)?,
            idle_timeout_ms: o.or("idleTimeoutMs", default.idle_timeout_ms)?,
        })
    }
}

impl Decode for Options {
    const EXPECTED: &'static str = "an options object";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        let default = Options::default();
        Ok(Options {
            url: o.optional("url")?,
            token: o.optional("token")?,
            abi: o.or("abi", default.abi)?,
            reconnect: o.or("reconnect", default.reconnect)?,
            hud: o.or("hud", default.hud)?,
            log_level: o.or("logLevel", default.log_level)?,
            keep_patch_files: o.or("keepPatchFiles", default.keep_patch_files)?,
            precompile: o.or("precompile", default.precompile)?,
            eval_timeout_ms: o.or("evalTimeoutMs", default.eval_timeout_ms)?,
            order_timeout_ms: o.or("orderTimeoutMs", default.order_timeout_ms)?,
            collect_garbage: o.or("collectGarbage", default.collect_garbage)?,
        })
    }
}

/// The JS callbacks, which JSON cannot carry.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub before_load: Option<Function>,
    pub after_load: Option<Function>,
}

impl Options {
    pub(crate) fn parse(value: &JsValue) -> Result<(Options, Hooks), String> {
        if value.is_undefined() || value.is_null() {
            return Ok((Options::default(), Hooks::default()));
        }
        let options: Options = crate::json::from_js(value.clone())
            .map_err(|e| format!("bad connect() options: {e}"))?;
        let hook = |name: &str| -> Result<Option<Function>, String> {
            let v = Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
            if v.is_undefined() || v.is_null() {
                Ok(None)
            } else {
                v.dyn_into::<Function>()
                    .map(Some)
                    .map_err(|_| format!("option {name} must be a function"))
            }
        };
        let hooks = Hooks {
            before_load: hook("beforeLoad")?,
            after_load: hook("afterLoad")?,
        };
        Ok((options, hooks))
    }

    /// True when the token comes from the page (not from the options), so a
    /// restarted server's new token can be learnt by fetching the page again.
    pub(crate) fn token_from_page(&self) -> bool {
        self.token.is_none()
    }

    /// The WebSocket URL with the token, from the options or the page.
    pub(crate) fn resolve_url(&self) -> Result<String, String> {
        let token = self.token.clone().map_or_else(page_token, Ok)?;
        self.url_with_token(&token)
    }

    /// The WebSocket URL carrying `token`.
    pub(crate) fn url_with_token(&self, token: &str) -> Result<String, String> {
        let window = web_sys::window().ok_or("the client needs a browser window")?;
        let injected = Reflect::get(&window, &JsValue::from_str("__JANK_HOT_RELOAD__")).ok();
        let injected_field = |key: &str| -> Option<String> {
            injected
                .as_ref()
                .filter(|v| v.is_object())
                .and_then(|v| Reflect::get(v, &JsValue::from_str(key)).ok())
                .and_then(|v| v.as_string())
        };
        let location = window.location();
        let base = match &self.url {
            Some(url) => url.clone(),
            None => {
                let secure = location.protocol().map(|p| p == "https:").unwrap_or(false);
                let host = location.host().map_err(|_| "the page has no host")?;
                let path = injected_field("path").unwrap_or_else(|| WS_PATH.to_owned());
                format!("{}://{host}{path}", if secure { "wss" } else { "ws" })
            }
        };
        let separator = if base.contains('?') { '&' } else { '?' };
        let encoded = String::from(js_sys::encode_uri_component(token));
        Ok(format!("{base}{separator}token={encoded}"))
    }
}

/// The token the server injected into this page, or `?token=` in its URL.
fn page_token() -> Result<String, String> {
    let window = web_sys::window().ok_or("the client needs a browser window")?;
    let injected = Reflect::get(&window, &JsValue::from_str("__JANK_HOT_RELOAD__"))
        .ok()
        .filter(|v| v.is_object())
        .and_then(|v| Reflect::get(&v, &JsValue::from_str("token")).ok())
        .and_then(|v| v.as_string());
    let from_url = || {
        window
            .location()
            .search()
            .ok()
            .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
            .and_then(|p| p.get("token"))
    };
    injected.or_else(from_url).ok_or_else(|| {
        "no token: pass { token } to connect(), or open the page through the \
         jank-hot-reload server, which injects it"
            .to_owned()
    })
}

/// A restarted server has a new per-run token: fetch this page again (same
/// origin) and read the token the server injected into it.
pub(crate) async fn refetch_page_token() -> Option<String> {
    let window = web_sys::window()?;
    let href = window.location().href().ok()?;
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(&href))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    let text = wasm_bindgen_futures::JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    // The browser's RegExp: Rust's substring search and string slicing
    // would link their panic messages' formatting for this one read.
    let injected = js_sys::RegExp::new(r#"window\.__JANK_HOT_RELOAD__=\{"token":"([^"]*)""#, "");
    injected.exec(&text)?.get(1).as_string()
}

impl AbiChoice {
    pub(crate) fn fixed(self) -> Option<AbiForm> {
        match self {
            AbiChoice::Auto => None,
            AbiChoice::EntrySymbol => Some(AbiForm::EntrySymbol),
            AbiChoice::Seed => Some(AbiForm::Seed),
        }
    }
}
