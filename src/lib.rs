//! The browser companion of jank hot reload.
//!
//! It runs beside jank.wasm, receives patches from the dev server over a
//! WebSocket and loads them through the runtime's hot-reload ABI:
//!
//! ```js
//! import init, { connect } from './jank_hot_reload.js';
//! await init();
//! const client = await connect(Module, { hud: true });
//! ```
//!
//! - `transport`: the WebSocket, reconnects, the idle watchdog
//! - `loader`: the Emscripten Module, patch loading, patch order
//! - `session`: evals, acks, events, figures
//! - `hud`: the status badge and the error overlay

mod assets;
mod events;
mod hud;
mod json;
mod loader;
mod options;
mod session;
mod stats;
mod transport;

use std::rc::Rc;

use jank_hot_reload_protocol::decode::{Decode, DecodeError, Json, Object};
use jank_hot_reload_protocol::SourceLang;
use wasm_bindgen::prelude::*;

use loader::module::EmscriptenModule;
use loader::PatchLoader;
use options::Options;
use session::Session;

pub use hud::HOST_ID as HUD_HOST_ID;

/// Talc instead of Rust's default dlmalloc: 7 KB less of the shipped `.wasm`,
/// and patch loads measured the same with either (bench/RESULTS.md,
/// "Under 150 KB").
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The TypeScript declarations, tested against the protocol's JSON below.
/// (wasm-bindgen's custom section reads it in a way rustc does not count.)
#[allow(dead_code)]
const TYPES_TEXT: &str = r#"
export interface ConnectOptions {
  /** WebSocket URL; default ws(s)://<page host>/repl. */
  url?: string;
  /** Default: injected by the server into the page, or ?token= in the page URL. */
  token?: string;
  /** Which jank_hot_reload_load_patch form the runtime exports; default 'auto'. */
  abi?: 'auto' | 'entry-symbol' | 'seed';
  reconnect?: { initialMs?: number; maxMs?: number; idleTimeoutMs?: number };
  /** Show the status badge and error overlay; default true. */
  hud?: boolean;
  logLevel?: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  keepPatchFiles?: boolean;
  /** Compile patches asynchronously before dlopen when the Module allows; default true. */
  precompile?: boolean;
  evalTimeoutMs?: number;
  orderTimeoutMs?: number;
  /** Let a runtime with a garbage collector (jank_gc_maybe) collect between tasks; default true. */
  collectGarbage?: boolean;
  beforeLoad?: (header: PatchHeader) => void | Promise<void>;
  afterLoad?: (ack: PatchAck) => void | Promise<void>;
}
export interface EvalError { phase: 'read' | 'analyze' | 'compile' | 'transfer' | 'load' | 'run';
  message: string; file?: string; line?: number; column?: number; code_frame?: string }
export interface PatchHeader { patch_id: number; id?: string; entry_symbol: string;
  vars: { name: string; arity: string }[]; ns?: string; hash: string; byte_length: number;
  compile_ms: number; run?: string; before_load?: string[]; after_load?: string[]; session?: string; catch_up?: boolean }
export interface PatchAck { patch_id: number; ok: boolean; error?: EvalError; load_ms: number;
  value?: string; out?: string; stats?: Stats; namespaces?: { [ns: string]: string[] } }
export interface EvalResult { id: string; ok: boolean; value?: string; out?: string; error?: EvalError;
  timings: { compile_ms?: number; load_ms?: number; total_ms?: number; cached: boolean };
  /** The namespace after the evaluation (jank). */
  ns?: string }
export interface Stats { patches_loaded: number; patches_failed: number; bytes_received: number;
  reconnects: number; last_error?: string; load_ms_median?: number; load_ms_p95?: number;
  load_ms_max?: number; connected?: boolean; abi?: string; precompile?: boolean;
  runtime?: { loaded_modules: number; registered_symbols: number; module_paths: string[] } }
"#;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = TYPES_TEXT;

/// A connected client. Create it with [`connect`].
#[wasm_bindgen]
pub struct Client {
    session: Rc<Session>,
}

#[derive(Default)]
struct EvalOptions {
    ns: Option<String>,
    lang: Option<SourceLang>,
}

impl Decode for EvalOptions {
    const EXPECTED: &'static str = "an object { ns, lang }";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(EvalOptions {
            ns: o.optional("ns")?,
            lang: o.optional("lang")?,
        })
    }
}

#[wasm_bindgen]
impl Client {
    /// Evaluates code in every connected page; resolves to the eval-result.
    /// Made while disconnected, it is sent once the connection is back.
    #[wasm_bindgen(unchecked_return_type = "Promise<EvalResult>")]
    pub fn eval(
        &self,
        code: String,
        #[wasm_bindgen(unchecked_param_type = "{ ns?: string; lang?: 'jank' | 'c++' | 'c' }")]
        options: JsValue,
    ) -> Result<js_sys::Promise, JsError> {
        let options: EvalOptions = if options.is_undefined() || options.is_null() {
            EvalOptions::default()
        } else {
            crate::json::from_js(options)
                .map_err(|e| JsError::new(&format!("bad eval options: {e}")))?
        };
        Ok(self
            .session
            .eval(code, options.ns, options.lang.unwrap_or_default()))
    }

    /// The runtime's jank_hot_reload_get_stats merged with the client's figures.
    #[wasm_bindgen(unchecked_return_type = "Stats")]
    pub fn stats(&self) -> JsValue {
        self.session.stats()
    }

    /// Loads a patch frame obtained some other way, exactly as if the server
    /// had sent it; resolves to its ack.
    #[wasm_bindgen(js_name = loadPatchFrame, unchecked_return_type = "Promise<PatchAck>")]
    pub fn load_patch_frame(&self, frame: Vec<u8>) -> js_sys::Promise {
        let (promise, reply) = session::Reply::promise();
        self.session.receive_frame(&frame, reply);
        promise
    }

    /// Resolves once the client is connected (at once if it is).
    #[wasm_bindgen(js_name = whenConnected)]
    pub fn when_connected(&self) -> js_sys::Promise {
        self.session.when_connected()
    }

    #[wasm_bindgen(getter)]
    pub fn connected(&self) -> bool {
        self.session.is_connected()
    }

    /// Disconnects for good, rejects pending evals and removes the HUD.
    pub fn close(&self) {
        self.session.close();
    }
}

/// Connects a jank.wasm `Module` (after it is ready) to the dev server.
#[wasm_bindgen]
pub fn connect(
    module: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ConnectOptions")] options: JsValue,
) -> Result<Client, JsError> {
    let (options, hooks) = Options::parse(&options).map_err(|e| JsError::new(&e))?;
    let module = EmscriptenModule::new(module).map_err(|e| JsError::new(&e.to_string()))?;
    let abi = options
        .abi
        .fixed()
        .or_else(|| module.detect_abi())
        .unwrap_or_default();
    let url = options.resolve_url().map_err(|e| JsError::new(&e))?;
    let loader = PatchLoader::new(module, abi, options.keep_patch_files, options.precompile);
    let session = Session::new(options, hooks, loader, url);
    wasm_bindgen_futures::spawn_local(transport::run(session.clone()));
    Ok(Client { session })
}

/// The protocol version this client speaks; the server must speak the same.
#[wasm_bindgen(js_name = protocolVersion)]
pub fn protocol_version() -> u32 {
    jank_hot_reload_protocol::PROTOCOL_VERSION
}

#[cfg(test)]
mod typescript_types {
    //! The TypeScript declarations are written by hand: every field the
    //! protocol's JSON carries must be declared, so they cannot drift.
    use jank_hot_reload_protocol::{
        EvalError, EvalResult, PatchAck, PatchHeader, Phase, Timings, VarInfo,
    };

    /// The field names declared in `export interface <name> { ... }`.
    fn declared(name: &str) -> Vec<String> {
        let start = super::TYPES_TEXT
            .find(&format!("export interface {name} {{"))
            .unwrap_or_else(|| panic!("no interface {name}"));
        let body = &super::TYPES_TEXT[start..];
        let mut depth = 0;
        let mut end = 0;
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let inner = &body[body.find('{').unwrap_or(0) + 1..end];
        // Top-level fields only: `name?: type;` with nested braces skipped.
        let mut fields = Vec::new();
        let mut level = 0;
        let mut token = String::new();
        for c in inner.chars() {
            match c {
                '{' | '(' | '[' => level += 1,
                '}' | ')' | ']' => level -= 1,
                _ => {}
            }
            if level == 0 && (c == ';' || c == '\n') {
                token.clear();
                continue;
            }
            if level == 0 && (c == ':' || c == '?') && !token.trim().is_empty() {
                let name = token.trim().trim_start_matches("/**").to_owned();
                if !name.contains(' ') && !name.contains('*') {
                    fields.push(name);
                }
                token.clear();
                continue;
            }
            if level == 0 {
                token.push(c);
            }
        }
        fields
    }

    fn keys(value: impl serde::Serialize) -> Vec<String> {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
            other => panic!("not an object: {other:?}"),
        }
    }

    fn assert_declared(interface: &str, value: impl serde::Serialize) {
        let declared = declared(interface);
        for key in keys(value) {
            assert!(
                declared.contains(&key),
                "{interface}.{key} is sent but not declared in the TypeScript types ({declared:?})"
            );
        }
    }

    fn error() -> EvalError {
        EvalError {
            phase: Phase::Run,
            message: "m".into(),
            file: Some("f".into()),
            line: Some(1),
            column: Some(2),
            code_frame: Some("c".into()),
        }
    }

    #[test]
    fn every_field_the_protocol_sends_is_declared() {
        assert_declared("EvalError", error());
        assert_declared(
            "EvalResult",
            EvalResult {
                id: "i".into(),
                ok: true,
                value: Some("v".into()),
                out: Some("o".into()),
                error: Some(error()),
                timings: Timings::default(),
                ns: Some("user".into()),
            },
        );
        assert_declared(
            "PatchHeader",
            PatchHeader {
                patch_id: 1,
                id: Some("i".into()),
                entry_symbol: "e".into(),
                vars: vec![VarInfo {
                    name: "user/f".into(),
                    arity: "1".into(),
                }],
                ns: Some("user".into()),
                hash: "h".into(),
                byte_length: 1,
                compile_ms: 0.0,
                run: Some("r".into()),
                before_load: vec!["user/b".into()],
                after_load: vec!["user/a".into()],
                session: None,
                catch_up: false,
            },
        );
        assert_declared(
            "PatchAck",
            PatchAck {
                patch_id: 1,
                ok: true,
                error: Some(error()),
                load_ms: 1.0,
                value: Some("v".into()),
                out: Some("o".into()),
                namespaces: Some(Default::default()),
            },
        );
    }
}
