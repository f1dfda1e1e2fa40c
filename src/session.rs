//! One client's state: the connection it has, the evals it owes answers to,
//! the patches it applies in order, its figures, and what the page is shown.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use futures::channel::{mpsc, oneshot};
use futures::StreamExt;
use gloo_net::websocket::Message;
use jank_hot_reload_protocol::{
    check_patch_body, split_patch_frame, AssetReload, ClientInfo, ClientMessage, ErrorCode,
    EvalError, EvalRequest, EvalResult, Hello, PatchAck, PatchHeader, Phase, ServerMessage,
    SourceLang, PROTOCOL_VERSION, SERVER_MESSAGE_TYPES,
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

/// A patch on its way to the loader, with whoever waits for its ack.
pub struct PatchJob {
    header: PatchHeader,
    wasm: Vec<u8>,
    reply: Option<oneshot::Sender<JsValue>>,
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
    connection: Option<mpsc::UnboundedSender<Message>>,
    session_id: Option<String>,
    /// Evals made while disconnected, sent in order after the next welcome.
    queued: VecDeque<EvalRequest>,
    pending: HashMap<String, PendingEval>,
    order: PatchOrder<PatchJob>,
    stats: ClientStats,
    closed: bool,
    next_eval: u64,
    last_heard_ms: f64,
    waiting_connected: Vec<Function>,
    ever_welcomed: bool,
    /// Evals whose error this page already showed from the broadcast: their
    /// result must not show it again (oldest first, a few kept).
    shown_errors: VecDeque<String>,
}

/// How many broadcast errors are remembered for de-duplication.
const SHOWN_ERRORS_KEPT: usize = 64;

/// How long the "reloading the page" notice shows before the reload.
const PAGE_RELOAD_NOTICE_MS: u32 = 400;

/// How often the runtime may collect: each check is cheap unless enough was
/// allocated since the last collection.
const GC_CHECK_INTERVAL_MS: u32 = 50;

pub struct Session {
    pub options: Options,
    /// Changes when a restarted server's new token is learnt.
    url: RefCell<String>,
    hooks: Hooks,
    loader: PatchLoader,
    hud: Option<Hud>,
    log: Log,
    state: RefCell<State>,
    jobs: mpsc::UnboundedSender<PatchJob>,
}

/// What the connection loop needs to know about a message.
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Welcomed,
}

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// A server text frame; unknown types are told apart from malformed ones.
fn parse_server_message(text: &str) -> Result<ServerMessage, String> {
    let value = json::parse(text)?;
    let kind = js_sys::Reflect::get(&value, &JsValue::from_str("type"))
        .ok()
        .and_then(|t| t.as_string())
        .ok_or("a message without a \"type\"")?;
    if !SERVER_MESSAGE_TYPES.contains(&kind.as_str()) {
        return Err(format!("unknown message type {kind:?} (a newer server?)"));
    }
    json::from_js(value).map_err(|e| format!("bad {kind}: {e}"))
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

impl Session {
    pub fn new(options: Options, hooks: Hooks, loader: PatchLoader, url: String) -> Rc<Self> {
        let (jobs, receiver) = mpsc::unbounded();
        let hud = if options.hud { Hud::mount() } else { None };
        let session = Rc::new(Self {
            log: Log(options.log_level),
            options,
            url: RefCell::new(url),
            hooks,
            loader,
            hud,
            state: RefCell::default(),
            jobs,
        });
        wasm_bindgen_futures::spawn_local(Self::apply_patches(session.clone(), receiver));
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

    pub fn url(&self) -> String {
        self.url.borrow().clone()
    }

    /// After a refused connection: if the token came from the page, fetch the
    /// page again for the token a restarted server injected. True if it changed.
    pub async fn refresh_token(&self) -> bool {
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

    pub fn is_closed(&self) -> bool {
        self.state.borrow().closed
    }

    pub fn is_connected(&self) -> bool {
        self.state.borrow().connection.is_some()
    }

    pub fn idle_ms(&self) -> f64 {
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

    pub fn hello(&self) -> Message {
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

    pub fn on_connecting(&self) {
        self.state.borrow_mut().last_heard_ms = now_ms();
        self.set_status(Status::Connecting, "connecting");
    }

    pub fn on_disconnected(&self, reason: &str, outbox_was_welcomed: bool) {
        let failed: Vec<PendingEval> = {
            let mut state = self.state.borrow_mut();
            state.connection = None;
            state.session_id = None;
            let sent: Vec<String> = state
                .pending
                .iter()
                .filter(|(_, p)| p.sent)
                .map(|(id, _)| id.clone())
                .collect();
            sent.iter()
                .filter_map(|id| state.pending.remove(id))
                .collect()
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
    pub fn on_message(
        self: &Rc<Self>,
        message: Message,
        outbox: &mpsc::UnboundedSender<Message>,
    ) -> Flow {
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

    fn on_server_message(
        &self,
        message: ServerMessage,
        outbox: &mpsc::UnboundedSender<Message>,
    ) -> Flow {
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
                    state.queued.drain(..).collect()
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
            ServerMessage::CompileError { id, error } => {
                if let Some(id) = id {
                    let mut state = self.state.borrow_mut();
                    state.shown_errors.push_back(id);
                    if state.shown_errors.len() > SHOWN_ERRORS_KEPT {
                        state.shown_errors.pop_front();
                    }
                }
                self.report_error(&error);
                Flow::Continue
            }
            ServerMessage::Error {
                code,
                message,
                fatal,
            } => {
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
            ServerMessage::Ping { t } => {
                let pong = ClientMessage::Pong { t };
                let _ = outbox.unbounded_send(Message::Text(json::to_string(&pong)));
                Flow::Continue
            }
            ServerMessage::AssetChanged { path, reload } => {
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

    fn settle_eval(&self, result: EvalResult) {
        let pending = self.state.borrow_mut().pending.remove(&result.id);
        if let Some(pending) = pending {
            let _ = pending.resolve.call1(&JsValue::NULL, &to_js(&result));
        }
        if let Some(error) = &result.error {
            // One report per eval: an error the server broadcast (read,
            // analyze or compile) was shown when it arrived.
            let shown = {
                let mut state = self.state.borrow_mut();
                let at = state.shown_errors.iter().position(|id| *id == result.id);
                at.and_then(|i| state.shown_errors.remove(i)).is_some()
            };
            if !shown {
                self.report_error(error);
            }
        }
    }

    /// Sends on the current connection, or queues until the next welcome.
    fn send_eval(&self, request: EvalRequest) {
        let mut state = self.state.borrow_mut();
        let Some(connection) = state.connection.clone() else {
            state.queued.push_back(request);
            return;
        };
        let text = json::to_string(&ClientMessage::Eval(request.clone()));
        if connection.unbounded_send(Message::Text(text)).is_ok() {
            if let Some(p) = state.pending.get_mut(&request.id) {
                p.sent = true;
            }
        } else {
            state.queued.push_back(request);
        }
    }

    pub fn eval(
        self: &Rc<Self>,
        code: String,
        ns: Option<String>,
        lang: SourceLang,
    ) -> js_sys::Promise {
        let id = {
            let mut state = self.state.borrow_mut();
            state.next_eval += 1;
            format!("client-{}-{}", js_sys::Date::now() as u64, state.next_eval)
        };
        let session = self.clone();
        let request = EvalRequest {
            id: id.clone(),
            code,
            ns,
            lang,
            file: None,
        };
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            session.state.borrow_mut().pending.insert(
                id.clone(),
                PendingEval {
                    resolve,
                    reject,
                    sent: false,
                },
            );
        });
        if self.is_closed() {
            self.reject_eval(&id, "the client is closed");
            return promise;
        }
        self.send_eval(request);
        let session = self.clone();
        let timeout = self.options.eval_timeout_ms;
        wasm_bindgen_futures::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(timeout.clamp(1.0, u32::MAX as f64) as u32)
                .await;
            session.state.borrow_mut().queued.retain(|r| r.id != id);
            session.reject_eval(
                &id,
                &format!("no result within {timeout} ms (evalTimeoutMs)"),
            );
        });
        promise
    }

    fn reject_eval(&self, id: &str, message: &str) {
        let pending = self.state.borrow_mut().pending.remove(id);
        if let Some(pending) = pending {
            let _ = pending.reject.call1(&JsValue::NULL, &js_error(message));
        }
    }

    pub fn when_connected(&self) -> js_sys::Promise {
        let connected = self.is_connected();
        js_sys::Promise::new(&mut |resolve, _| {
            if connected {
                let _ = resolve.call0(&JsValue::NULL);
            } else {
                self.state.borrow_mut().waiting_connected.push(resolve);
            }
        })
    }

    /// A patch frame, from the socket or from `client.loadPatchFrame`.
    pub fn receive_frame(self: &Rc<Self>, bytes: &[u8], reply: Option<oneshot::Sender<JsValue>>) {
        self.state.borrow_mut().stats.bytes_received += bytes.len() as u64;
        let (header, wasm) = match decode_frame(bytes) {
            Ok(decoded) => decoded,
            Err(e) => {
                // Without a header there is no patch id: ack 0, which no waiter owns.
                let error = EvalError::new(Phase::Transfer, format!("bad patch frame: {e}"));
                self.state.borrow_mut().stats.record_load(false, 0.0);
                self.report_error(&error);
                self.acknowledge(failed_ack(0, error), reply);
                return;
            }
        };
        let id = header.patch_id;
        let job = PatchJob {
            header,
            wasm,
            reply,
        };
        let arrival = self.state.borrow_mut().order.arrive(id, job);
        match arrival {
            Arrival::Ready(jobs) => {
                for (_, job) in jobs {
                    let _ = self.jobs.unbounded_send(job);
                }
            }
            Arrival::Held => {
                self.log
                    .debug(&format!("patch {id} waits for an earlier one"));
                let session = self.clone();
                let wait = self.options.order_timeout_ms;
                wasm_bindgen_futures::spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(wait.clamp(1.0, 60_000.0) as u32).await;
                    let released = {
                        let mut state = session.state.borrow_mut();
                        if state.order.has_gap() {
                            state.order.skip_gap()
                        } else {
                            Vec::new()
                        }
                    };
                    if !released.is_empty() {
                        session
                            .log
                            .warn("an earlier patch never arrived; applying the later ones");
                    }
                    for (_, job) in released {
                        let _ = session.jobs.unbounded_send(job);
                    }
                });
            }
            Arrival::Stale(job) => {
                let error = EvalError::new(
                    Phase::Transfer,
                    format!(
                        "patch {id} arrived after a newer patch was applied; it was not loaded"
                    ),
                );
                self.report_error(&error);
                self.acknowledge(failed_ack(id, error), job.reply);
            }
        }
    }

    /// Sends the ack, then hands it to whoever waits; returns it as the JS
    /// object events carry.
    fn acknowledge(
        self: &Rc<Self>,
        ack: PatchAck,
        reply: Option<oneshot::Sender<JsValue>>,
    ) -> JsValue {
        let message = self.send_ack(ack);
        self.hand_over(&message, reply);
        message
    }

    /// Queues the ack for the wire. It has no stats: the server does not use
    /// them, and reading them from the runtime costs more than loading a
    /// small patch.
    fn send_ack(&self, ack: PatchAck) -> JsValue {
        let message = to_js(&ClientMessage::PatchAck(ack));
        let connection = self.state.borrow().connection.clone();
        if let Some(connection) = connection {
            let text = js_sys::JSON::stringify(&message)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default();
            let _ = connection.unbounded_send(Message::Text(text));
        }
        message
    }

    /// Gives a sent ack to its waiter, with the page's figures as a `stats`
    /// property read on first use: most listeners never look, and reading
    /// them costs more than loading a small patch.
    fn hand_over(self: &Rc<Self>, message: &JsValue, reply: Option<oneshot::Sender<JsValue>>) {
        let session = Rc::downgrade(self);
        let target = message.clone();
        let getter = wasm_bindgen::closure::Closure::<dyn FnMut() -> JsValue>::new(move || {
            let stats = session
                .upgrade()
                .map(|s| s.ack_stats())
                .unwrap_or(JsValue::UNDEFINED);
            // From now on a plain value: the figures as of the first read.
            define_property(&target, "stats", &value_descriptor(&stats));
            stats
        });
        let descriptor = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&descriptor, &"get".into(), &getter.into_js_value());
        let _ = js_sys::Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE);
        let _ = js_sys::Reflect::set(&descriptor, &"enumerable".into(), &JsValue::TRUE);
        define_property(message, "stats", &descriptor);
        if let Some(reply) = reply {
            let _ = reply.send(message.clone());
        }
    }

    /// The one place patches are loaded, one at a time, in order.
    async fn apply_patches(self: Rc<Self>, mut jobs: mpsc::UnboundedReceiver<PatchJob>) {
        while let Some(job) = jobs.next().await {
            self.apply(job).await;
        }
    }

    async fn apply(self: &Rc<Self>, job: PatchJob) {
        if self.is_closed() {
            return;
        }
        let header_js = to_js(&job.header);
        self.set_status(
            Status::Loading,
            &format!("loading patch {}", job.header.patch_id),
        );
        events::emit(Event::BeforeLoad, &header_js);
        if let Err(e) = call_hook(&self.hooks.before_load, &header_js).await {
            self.log.warn(&format!("beforeLoad hook failed: {e}"));
        }

        let before = self
            .loader
            .run_hooks(&job.header.before_load, "before-load");
        let started = now_ms();
        let outcome = self.loader.load(&job.header, &job.wasm).await;
        let load_ms = now_ms() - started;
        let ack = match outcome {
            Ok(loaded) => {
                let after = self.loader.run_hooks(&job.header.after_load, "after-load");
                // What the hooks printed (and any that failed) reaches the editor.
                let out: String = before
                    .out
                    .iter()
                    .chain(loaded.out.iter())
                    .chain(after.out.iter())
                    .map(String::as_str)
                    .collect();
                for failure in before.failures.iter().chain(&after.failures) {
                    self.log.warn(failure);
                }
                PatchAck {
                    patch_id: job.header.patch_id,
                    ok: loaded.run_error.is_none(),
                    error: loaded.run_error,
                    load_ms,
                    value: loaded.value,
                    out: (!out.is_empty()).then_some(out),
                    stats: None,
                    namespaces: self.loader.new_namespaces_after(&job.header),
                }
            }
            Err(error) => PatchAck {
                load_ms,
                ..failed_ack(job.header.patch_id, error)
            },
        };
        self.state.borrow_mut().stats.record_load(ack.ok, load_ms);
        match &ack.error {
            None => {
                if let Some(hud) = &self.hud {
                    hud.clear_error();
                }
                self.set_status(
                    Status::Connected,
                    &format!("patch {} loaded", job.header.patch_id),
                );
            }
            Some(error) => self.report_error(error),
        }
        // Ack first: the server's answer to the editor must not wait on the
        // page's listeners and hooks. The yield lets the transport task put
        // it on the wire before they run.
        let ack_js = self.send_ack(ack);
        yield_now().await;
        self.hand_over(&ack_js, job.reply);
        events::emit(Event::Patch, &ack_js);
        events::emit(Event::AfterLoad, &ack_js);
        if let Err(e) = call_hook(&self.hooks.after_load, &ack_js).await {
            self.log.warn(&format!("afterLoad hook failed: {e}"));
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
    pub fn stats(&self) -> JsValue {
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

    pub fn close(&self) {
        let pending: Vec<String> = {
            let mut state = self.state.borrow_mut();
            state.closed = true;
            state.connection = None;
            state.queued.clear();
            state.pending.keys().cloned().collect()
        };
        for id in pending {
            self.reject_eval(&id, "the client was closed");
        }
        if let Some(hud) = &self.hud {
            hud.unmount();
        }
    }
}

fn failed_ack(patch_id: u64, error: EvalError) -> PatchAck {
    PatchAck {
        patch_id,
        ok: false,
        error: Some(error),
        load_ms: 0.0,
        value: None,
        out: None,
        stats: None,
        namespaces: None,
    }
}

/// Gives every other ready task (the transport's writer) one turn.
async fn yield_now() {
    let mut yielded = false;
    futures::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await
}

fn define_property(target: &JsValue, key: &str, descriptor: &js_sys::Object) {
    if let Some(object) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Object>(target) {
        js_sys::Object::define_property(object, &JsValue::from_str(key), descriptor);
    }
}

fn value_descriptor(value: &JsValue) -> js_sys::Object {
    let descriptor = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&descriptor, &"value".into(), value);
    let _ = js_sys::Reflect::set(&descriptor, &"configurable".into(), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&descriptor, &"enumerable".into(), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&descriptor, &"writable".into(), &JsValue::TRUE);
    descriptor
}
