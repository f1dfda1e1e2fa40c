//! One client's state: the connection it has, what the server says, its
//! figures, and what the page is shown. The evals it owes answers to are in
//! `evals`, the patches it applies in order in `patches`.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::websocket::Message;
use jank_hot_reload_protocol::{
    check_patch_body, split_patch_frame, AssetChange, AssetReload, ClientInfo, ClientMessage,
    CompileErrorNotice, ErrorCode, EvalError, EvalRequest, EvalResult, Hello, PatchAck,
    PatchHeader, Phase, Ping, Refusal, ServerMessage, SourceLang, PROTOCOL_VERSION,
};
use js_sys::Function;
use wasm_bindgen::JsValue;

use crate::events::{self, call_hook, Event, Log};
use crate::hud::{Hud, Status};
use crate::json::{self, to_js};
use crate::loader::order::{Arrival, PatchOrder};
use crate::loader::PatchLoader;
use crate::options::{Hooks, Options};
use crate::stats::ClientStats;
use crate::transport::outbox::Outbox;

/// A patch on its way to the loader, with whoever waits for its ack.
pub(crate) struct PatchJob {
    header: PatchHeader,
    wasm: Vec<u8>,
    reply: Option<Reply>,
}

/// Settles the promise `client.loadPatchFrame` returned with the patch's ack.
/// Dropped unsettled, because the client closed first, it rejects.
pub(crate) struct Reply {
    resolve: Function,
    reject: Function,
    settled: bool,
}

impl Reply {
    /// A promise, and the reply that settles it (made by the executor,
    /// which runs inside `Promise::new`).
    pub(crate) fn promise() -> (js_sys::Promise, Option<Reply>) {
        let mut reply = None;
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            reply = Some(Reply {
                resolve,
                reject,
                settled: false,
            });
        });
        (promise, reply)
    }

    fn settle(mut self, ack: &JsValue) {
        self.settled = true;
        let _ = self.resolve.call1(&JsValue::NULL, ack);
    }
}

impl Drop for Reply {
    fn drop(&mut self) {
        if !self.settled {
            let _ = self
                .reject
                .call1(&JsValue::NULL, &js_error("the client was closed"));
        }
    }
}

struct PendingEval {
    resolve: Function,
    reject: Function,
    /// Sent on the current connection (else still queued).
    sent: bool,
}

#[derive(Default)]
struct State {
    /// The current connection's outbox, once welcomed.
    connection: Option<Outbox>,
    session_id: Option<String>,
    /// Evals made while disconnected, sent in order after the next welcome.
    queued: Vec<EvalRequest>,
    /// Evals awaiting their result, by eval id (a few at a time).
    pending: Vec<(String, PendingEval)>,
    order: PatchOrder<PatchJob>,
    /// Patches whose turn has come, oldest first, and whether a task is
    /// loading them (`Session::load_ready`).
    ready: Vec<PatchJob>,
    loading: bool,
    stats: ClientStats,
    closed: bool,
    next_eval: u64,
    last_heard_ms: f64,
    waiting_connected: Vec<Function>,
    ever_welcomed: bool,
    /// Evals whose error this page already showed from the broadcast: their
    /// result must not show it again (oldest first, a few kept).
    shown_errors: Vec<String>,
}

impl State {
    /// Removes and returns the eval waiting under this id.
    fn take_pending(&mut self, id: &str) -> Option<PendingEval> {
        let at = self.pending.iter().position(|(pending, _)| pending == id)?;
        Some(self.pending.remove(at).1)
    }
}

/// How many broadcast errors are remembered for de-duplication.
const SHOWN_ERRORS_KEPT: usize = 64;

/// How long the "reloading the page" notice shows before the reload.
const PAGE_RELOAD_NOTICE_MS: u32 = 400;

/// How often the runtime may collect: each check is cheap unless enough was
/// allocated since the last collection.
const GC_CHECK_INTERVAL_MS: u32 = 50;

pub(crate) struct Session {
    pub options: Options,
    /// Changes when a restarted server's new token is learnt.
    url: RefCell<String>,
    hooks: Hooks,
    loader: PatchLoader,
    hud: Option<Hud>,
    log: Log,
    state: RefCell<State>,
}

/// What the connection loop needs to know about a message.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Welcomed,
}

pub(crate) fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// A server text frame; unknown types are told apart from malformed ones.
fn parse_server_message(text: &str) -> Result<ServerMessage, String> {
    json::from_str(text)
}

/// Decodes a patch frame with the browser's JSON parser.
fn decode_frame(bytes: &[u8]) -> Result<(PatchHeader, Vec<u8>), String> {
    let (header, wasm) = split_patch_frame(bytes).map_err(|e| e.to_string())?;
    let header = std::str::from_utf8(header).map_err(|_| "patch header is not UTF-8")?;
    let header: PatchHeader =
        json::from_str(header).map_err(|e| format!("patch header is not valid: {e}"))?;
    check_patch_body(&header, wasm).map_err(|e| e.to_string())?;
    Ok((header, wasm.to_vec()))
}

fn js_error(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

mod evals;
mod patches;

impl Session {
    pub(crate) fn new(
        options: Options,
        hooks: Hooks,
        loader: PatchLoader,
        url: String,
    ) -> Rc<Self> {
        let hud = if options.hud { Hud::mount() } else { None };
        let session = Rc::new(Self {
            log: Log(options.log_level),
            options,
            url: RefCell::new(url),
            hooks,
            loader,
            hud,
            state: RefCell::default(),
        });
        if session.options.collect_garbage {
            wasm_bindgen_futures::spawn_local(Self::collect_garbage(Rc::downgrade(&session)));
        }
        session
    }

    /// Gives the runtime's collector its quiescent points: a timer task runs
    /// when no wasm frame is live, so no C++ local or patch temporary is lost.
    async fn collect_garbage(session: std::rc::Weak<Self>) {
        loop {
            gloo_timers::future::TimeoutFuture::new(GC_CHECK_INTERVAL_MS).await;
            let Some(session) = session.upgrade() else {
                return;
            };
            if session.is_closed() {
                return;
            }
            session.loader.collect_garbage_if_due();
        }
    }

    pub(crate) fn url(&self) -> String {
        self.url.borrow().clone()
    }

    /// After a refused connection: if the token came from the page, fetch the
    /// page again for the token a restarted server injected. True if it changed.
    pub(crate) async fn refresh_token(&self) -> bool {
        if !self.options.token_from_page() {
            return false;
        }
        let Some(token) = crate::options::refetch_page_token().await else {
            return false;
        };
        let Ok(url) = self.options.url_with_token(&token) else {
            return false;
        };
        let changed = *self.url.borrow() != url;
        if changed {
            self.log
                .info("the server restarted with a new token; using it");
            *self.url.borrow_mut() = url;
        }
        changed
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.state.borrow().closed
    }

    pub(crate) fn is_connected(&self) -> bool {
        self.state.borrow().connection.is_some()
    }

    pub(crate) fn idle_ms(&self) -> f64 {
        now_ms() - self.state.borrow().last_heard_ms
    }

    fn set_status(&self, status: Status, text: &str) {
        if let Some(hud) = &self.hud {
            hud.set_status(status, text);
        }
    }

    fn report_error(&self, error: &EvalError) {
        self.log.error(&error.to_string());
        self.state.borrow_mut().stats.last_error = Some(error.to_string());
        if let Some(hud) = &self.hud {
            hud.show_error(error);
            hud.set_status(Status::Error, &format!("{} error", error.phase));
        }
        events::emit(Event::Error, &to_js(error));
    }

    pub(crate) fn hello(&self) -> Message {
        let page_url = web_sys::window().and_then(|w| w.location().href().ok());
        let hello = ClientMessage::Hello(Hello {
            protocol: PROTOCOL_VERSION,
            client: ClientInfo {
                name: "jank-hot-reload-client".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            abi: self.loader.abi(),
            build_id: None,
            page_url,
            namespaces: {
                // A new connection may reach a new server: report everything.
                self.loader.forget_reported();
                self.loader.new_namespaces()
            },
            capabilities: Some(self.loader.capabilities()),
        });
        Message::Text(json::to_string(&hello))
    }

    pub(crate) fn on_connecting(&self) {
        self.state.borrow_mut().last_heard_ms = now_ms();
        self.set_status(Status::Connecting, "connecting");
    }

    pub(crate) fn on_disconnected(&self, reason: &str, outbox_was_welcomed: bool) {
        let failed: Vec<PendingEval> = {
            let mut state = self.state.borrow_mut();
            state.connection = None;
            state.session_id = None;
            let (sent, unsent) = std::mem::take(&mut state.pending)
                .into_iter()
                .partition(|(_, p)| p.sent);
            state.pending = unsent;
            sent.into_iter().map(|(_, p)| p).collect()
        };
        for pending in failed {
            let _ = pending.reject.call1(
                &JsValue::NULL,
                &js_error(
                    "the connection to the server was lost before the result arrived; \
                     the eval may or may not have run",
                ),
            );
        }
        if outbox_was_welcomed {
            self.log.warn(&format!("disconnected: {reason}"));
            events::emit(Event::Disconnected, &JsValue::from_str(reason));
        }
        if !self.is_closed() {
            self.set_status(Status::Disconnected, "disconnected, reconnecting");
        }
    }

    /// Handles one message; tells the loop when the handshake completed.
    pub(crate) fn on_message(self: &Rc<Self>, message: Message, outbox: &Outbox) -> Flow {
        if self.is_closed() {
            // Until the socket notices, nothing more is loaded or answered.
            return Flow::Continue;
        }
        self.state.borrow_mut().last_heard_ms = now_ms();
        match message {
            Message::Bytes(bytes) => {
                self.receive_frame(&bytes, None);
                Flow::Continue
            }
            Message::Text(text) => match parse_server_message(&text) {
                Ok(message) => self.on_server_message(message, outbox),
                Err(e) => {
                    self.log
                        .warn(&format!("ignored a message from the server: {e}"));
                    Flow::Continue
                }
            },
        }
    }

    fn on_server_message(&self, message: ServerMessage, outbox: &Outbox) -> Flow {
        match message {
            ServerMessage::Welcome(welcome) => {
                let queued: Vec<EvalRequest> = {
                    let mut state = self.state.borrow_mut();
                    state.connection = Some(outbox.clone());
                    state.session_id = Some(welcome.session_id.clone());
                    if state.ever_welcomed {
                        state.stats.reconnects += 1;
                    }
                    state.ever_welcomed = true;
                    // A restarted server numbers patches afresh: order from its count.
                    state.order = PatchOrder::default();
                    if let Some(next) = welcome.next_patch_id {
                        state.order.expect(next);
                    }
                    std::mem::take(&mut state.queued)
                };
                for request in queued {
                    self.send_eval(request);
                }
                self.log.info(&format!(
                    "connected to jank-hot-reload {} (session {})",
                    welcome.server_version, welcome.session_id
                ));
                self.set_status(Status::Connected, "connected");
                events::emit(Event::Connected, &to_js(&welcome));
                let waiting = std::mem::take(&mut self.state.borrow_mut().waiting_connected);
                for resolve in waiting {
                    let _ = resolve.call0(&JsValue::NULL);
                }
                Flow::Welcomed
            }
            ServerMessage::EvalResult(result) => {
                self.settle_eval(result);
                Flow::Continue
            }
            ServerMessage::CompileError(CompileErrorNotice { id, error }) => {
                if let Some(id) = id {
                    let mut state = self.state.borrow_mut();
                    state.shown_errors.push(id);
                    if state.shown_errors.len() > SHOWN_ERRORS_KEPT {
                        state.shown_errors.remove(0);
                    }
                }
                self.report_error(&error);
                Flow::Continue
            }
            ServerMessage::Error(Refusal {
                code,
                message,
                fatal,
            }) => {
                let phase = if code == ErrorCode::VersionMismatch {
                    Phase::Transfer
                } else {
                    Phase::Read
                };
                let error = EvalError::new(phase, format!("server: {message}"));
                if fatal || code == ErrorCode::VersionMismatch {
                    self.report_error(&error);
                } else {
                    self.log.warn(&error.message);
                }
                Flow::Continue
            }
            ServerMessage::Ping(Ping { t }) => {
                let pong = ClientMessage::Pong { t };
                outbox.send(Message::Text(json::to_string(&pong)));
                Flow::Continue
            }
            ServerMessage::AssetChanged(AssetChange { path, reload }) => {
                self.on_asset_changed(&path, reload);
                Flow::Continue
            }
        }
    }

    /// A stylesheet swaps in place; the page showing reloads, after a notice.
    fn on_asset_changed(&self, path: &str, reload: AssetReload) {
        match reload {
            AssetReload::Css => {
                let swapped = crate::assets::swap_stylesheets(path, now_ms());
                if swapped > 0 {
                    self.log
                        .info(&format!("{path} changed: stylesheet swapped"));
                }
            }
            AssetReload::Page if crate::assets::page_shows(path) => {
                self.set_status(
                    Status::Loading,
                    &format!("{path} changed: reloading the page"),
                );
                wasm_bindgen_futures::spawn_local(async {
                    // Long enough to read the notice.
                    gloo_timers::future::TimeoutFuture::new(PAGE_RELOAD_NOTICE_MS).await;
                    crate::assets::reload_page();
                });
            }
            AssetReload::Page => {}
        }
    }

    /// The figures a JS ack carries: `stats()` without the runtime's list of
    /// every module path, which grows with every patch.
    fn ack_stats(&self) -> JsValue {
        let stats = self.stats();
        if let Ok(runtime) = js_sys::Reflect::get(&stats, &JsValue::from_str("runtime")) {
            if runtime.is_object() {
                let _ = js_sys::Reflect::delete_property(
                    wasm_bindgen::JsCast::unchecked_ref::<js_sys::Object>(&runtime),
                    &JsValue::from_str("module_paths"),
                );
            }
        }
        stats
    }

    /// The runtime's figures merged with the client's own.
    pub(crate) fn stats(&self) -> JsValue {
        let stats = to_js(&self.state.borrow().stats.report());
        let put = |key: &str, value: &JsValue| {
            let _ = js_sys::Reflect::set(&stats, &JsValue::from_str(key), value);
        };
        put("connected", &JsValue::from_bool(self.is_connected()));
        put("abi", &to_js(&self.loader.abi()));
        put(
            "precompile",
            &JsValue::from_bool(self.loader.precompiling()),
        );
        if let Some(runtime) = self.loader.runtime_stats() {
            put("runtime", &runtime);
        }
        if let Some(gc) = self.loader.gc_stats() {
            put("gc", &gc);
        }
        stats
    }

    pub(crate) fn close(&self) {
        let pending: Vec<String> = {
            let mut state = self.state.borrow_mut();
            state.closed = true;
            state.connection = None;
            state.queued.clear();
            state.pending.iter().map(|(id, _)| id.clone()).collect()
        };
        for id in pending {
            self.reject_eval(&id, "the client was closed");
        }
        if let Some(hud) = &self.hud {
            hud.unmount();
        }
    }
}
