//! The nREPL front end: CIDER, Calva, Conjure or any nREPL client evaluates
//! through the connected pages.
//!
//! Ops: clone, close, describe, eval, load-file, interrupt, ls-sessions,
//! (in `info`) lookup, info, eldoc, ns-list, ns-vars, ns-vars-with-meta, ns-path, macroexpand and
//! completions, (in `undef`) undef and undef-all, and (in `testing`) test,
//! test-var-query, test-all and retest, and (in `state`) cider-nrepl's
//! track-state: after an eval, load-file or undef, and on `get-state`, the
//! session hears which namespaces changed. An eval's value is printed as
//! nREPL's print middleware options ask (in `print`). Every
//! request ends with a message whose status has "done";
//! errors come as `err` and `ex` with status eval-error; unknown ops get
//! unknown-op. Each session keeps its own current namespace.

pub mod bencode;
mod info;
mod print;
mod state;
mod testing;
mod undef;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use futures_util::{SinkExt, StreamExt};
use jank_hot_reload_protocol::{EvalError, EvalRequest, EvalResult, SourceLang};
use serde_bencode::value::Value;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio_util::codec::Framed;

use crate::eval::{Evaluator, Requester};
use bencode::{string, strings, text, BencodeCodec, Message};

pub const OPS: &[&str] = &[
    "apropos",
    "clone",
    "close",
    "complete",
    "completions",
    "describe",
    "eldoc",
    "eval",
    "get-state",
    "info",
    "interrupt",
    "load-file",
    "lookup",
    "ls-sessions",
    "macroexpand",
    "ns-list",
    "ns-path",
    "ns-vars",
    "ns-vars-with-meta",
    "retest",
    "test",
    "test-all",
    "test-var-query",
    "undef",
    "undef-all",
];

#[derive(Default)]
struct Session {
    /// Evals waiting for a page, by message id, so interrupt can end them.
    running: HashMap<String, oneshot::Sender<()>>,
    /// The tests that failed or erred in the last test op, for `retest`.
    last_test_failures: testing::Query,
    /// What track-state last told it.
    told: state::Told,
}

pub struct NreplServer {
    evaluator: Arc<Evaluator>,
    sessions: Mutex<HashMap<String, Session>>,
    interns: state::InternsCache,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn dict(pairs: Vec<(&str, Value)>) -> Value {
    Value::Dict(
        pairs
            .into_iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v))
            .collect(),
    )
}

impl NreplServer {
    pub fn new(evaluator: Arc<Evaluator>) -> Arc<Self> {
        Arc::new(Self {
            evaluator,
            sessions: Mutex::default(),
            interns: state::InternsCache::default(),
        })
    }

    /// Accepts connections until the listener fails.
    pub async fn serve(self: Arc<Self>, listener: TcpListener) {
        loop {
            match listener.accept().await {
                Ok((stream, peer)) => {
                    let server = self.clone();
                    tokio::spawn(async move { server.connection(stream, peer).await });
                }
                Err(e) => {
                    tracing::warn!("nREPL accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        }
    }

    async fn connection(self: Arc<Self>, stream: TcpStream, peer: SocketAddr) {
        let _ = stream.set_nodelay(true);
        let (mut sink, mut incoming) = Framed::new(stream, BencodeCodec).split();
        let (replies, mut outbox) = mpsc::unbounded_channel::<Message>();
        // The replies waiting together (an eval's value, ns and done) go out
        // in one write.
        let writer = tokio::spawn(async move {
            let mut batch = Vec::new();
            while outbox.recv_many(&mut batch, 64).await > 0 {
                let done: Vec<_> = batch
                    .iter()
                    .filter(|reply| reply.contains_key("status"))
                    .map(|reply| text(reply, "id").unwrap_or_default())
                    .collect();
                let mut replies = futures_util::stream::iter(batch.drain(..).map(Ok));
                if sink.send_all(&mut replies).await.is_err() {
                    break;
                }
                for id in done {
                    tracing::debug!(%id, "nREPL reply written");
                }
            }
        });
        tracing::info!(%peer, "nREPL client connected");
        while let Some(message) = incoming.next().await {
            match message {
                Ok(message) => self.clone().handle(message, replies.clone()),
                Err(e) => {
                    tracing::warn!(%peer, "bad nREPL message: {e}");
                    let mut reply = Message::new();
                    reply.insert(
                        "err".into(),
                        string(format!("malformed nREPL message: {e}\n")),
                    );
                    reply.insert("status".into(), strings(["done", "error"]));
                    let _ = replies.send(reply);
                    break;
                }
            }
        }
        drop(replies);
        let _ = writer.await;
        tracing::info!(%peer, "nREPL client disconnected");
    }

    fn handle(self: Arc<Self>, request: Message, replies: mpsc::UnboundedSender<Message>) {
        let id = text(&request, "id").unwrap_or_default();
        tracing::debug!(%id, "nREPL request");
        let session = text(&request, "session");
        let reply = Reply {
            id,
            session: session.clone(),
            out: replies,
        };
        let op = text(&request, "op").unwrap_or_default();
        // cider-nrepl's ops go by `cider/name` too (recent CIDER sends those).
        let op = match op.strip_prefix("cider/") {
            Some(name) if OPS.contains(&name) => name.to_owned(),
            _ => op,
        };
        if let Some(test_op) = testing::TestOp::from_op(&op) {
            testing::handle(self, test_op, &request, reply);
            return;
        }
        match op.as_str() {
            "clone" => {
                let new_session = crate::security::random_hex(16)
                    .unwrap_or_else(|_| format!("{:x}", rand_fallback()));
                let ns = session
                    .as_deref()
                    .map(|s| self.evaluator.current_ns(Requester::Editor(s)))
                    .unwrap_or_else(|| "user".into());
                self.evaluator.set_ns(Requester::Editor(&new_session), &ns);
                lock(&self.sessions).insert(new_session.clone(), Session::default());
                reply.done(vec![("new-session", string(new_session))]);
            }
            "close" => {
                let closed = session
                    .as_deref()
                    .and_then(|s| lock(&self.sessions).remove(s));
                if let Some(session) = closed {
                    for (_, cancel) in session.running {
                        let _ = cancel.send(());
                    }
                }
                reply.send(vec![("status", strings(["done", "session-closed"]))]);
            }
            "ls-sessions" => {
                let mut ids: Vec<String> = lock(&self.sessions).keys().cloned().collect();
                ids.sort();
                reply.done(vec![("sessions", strings(ids))]);
            }
            "describe" => self.describe(reply),
            "eval" | "load-file" => self.eval(op == "load-file", &request, reply),
            "interrupt" => self.interrupt(&request, reply),
            "completions" | "complete" => info::completions(&self.evaluator, &request, reply),
            "lookup" => info::lookup(&self.evaluator, &request, reply),
            "info" => info::info(&self.evaluator, &request, reply),
            "eldoc" => info::eldoc(&self.evaluator, &request, reply),
            "undef" => undef::handle(self.clone(), false, &request, reply),
            "undef-all" => undef::handle(self.clone(), true, &request, reply),
            "macroexpand" => info::macroexpand(&self.evaluator, &request, reply),
            "ns-list" => info::ns_list(&self.evaluator, reply),
            "ns-vars" => info::ns_vars(&self.evaluator, &request, reply),
            "ns-vars-with-meta" => info::ns_vars_with_meta(&self.evaluator, &request, reply),
            "ns-path" => info::ns_path(&self.evaluator, &request, reply),
            "apropos" => info::apropos_matches(&self.evaluator, &request, reply),
            "get-state" => {
                state::send(&self, &reply);
                reply.done(vec![]);
            }
            "" => reply.send(vec![
                ("err", string("the request has no op\n")),
                ("status", strings(["done", "error", "unknown-op"])),
            ]),
            _ => reply.send(vec![
                ("op", string(op.clone())),
                (
                    "err",
                    string(format!(
                        "unknown op {op:?}; this server supports {}\n",
                        OPS.join(", ")
                    )),
                ),
                ("status", strings(["done", "error", "unknown-op"])),
            ]),
        }
    }

    fn describe(&self, reply: Reply) {
        let ops = Value::Dict(
            OPS.iter()
                .map(|op| (op.as_bytes().to_vec(), dict(vec![])))
                .collect(),
        );
        let version = env!("CARGO_PKG_VERSION");
        let versions = dict(vec![
            (
                "nrepl",
                dict(vec![
                    ("major", Value::Int(1)),
                    ("minor", Value::Int(0)),
                    ("incremental", Value::Int(0)),
                    ("version-string", string("1.0.0")),
                ]),
            ),
            (
                "jank-hot-reload",
                dict(vec![("version-string", string(version))]),
            ),
        ]);
        let current = reply
            .session
            .as_deref()
            .map(|s| self.evaluator.current_ns(Requester::Editor(s)))
            .unwrap_or_else(|| "user".into());
        reply.done(vec![
            ("ops", ops),
            ("versions", versions),
            ("aux", dict(vec![("current-ns", string(current))])),
            ("server", string(format!("jank-hot-reload {version}"))),
        ]);
    }

    fn eval(self: Arc<Self>, load_file: bool, request: &Message, reply: Reply) {
        let (code, file, origin) = if load_file {
            (
                text(request, "file"),
                text(request, "file-name").or_else(|| text(request, "file-path")),
                None,
            )
        } else {
            // CIDER sends where the code sits in its file: errors point there.
            (
                text(request, "code"),
                text(request, "file"),
                origin(request),
            )
        };
        let Some(code) = code else {
            let field = if load_file { "file" } else { "code" };
            reply.error(&EvalError::new(
                jank_hot_reload_protocol::Phase::Read,
                format!("the request has no {field}"),
            ));
            return;
        };
        if !load_file {
            let ns = reply
                .session
                .as_deref()
                .map(|s| self.evaluator.current_ns(Requester::Editor(s)))
                .unwrap_or_else(|| "user".into());
            if let Some(value) = editor_setup_answer(&code, &ns) {
                reply.send(vec![("value", string(value)), ("ns", string(ns))]);
                reply.done(vec![]);
                return;
            }
        }
        // A file named in the request decides the language; jank otherwise.
        let lang = file
            .as_deref()
            .and_then(|f| f.rsplit_once('.'))
            .and_then(|(_, extension)| SourceLang::from_extension(extension))
            .unwrap_or(SourceLang::Jank);
        let session = reply.session.clone().unwrap_or_default();
        let print = print::PrintOptions::of(request);
        // The request's namespace is where the first form runs; the rest run
        // where the form before them left the session, as `(ns foo)` does.
        let mut ns = if load_file { None } else { text(request, "ns") };
        // An eval of several forms evaluates them one after another, each
        // answered with its value, as a Clojure REPL does; a load-file is
        // one unit with one value.
        let units = match (load_file, lang) {
            (false, SourceLang::Jank) => top_level_units(&code, origin.unwrap_or((1, 1))),
            _ => Vec::new(),
        };
        let units = if units.len() > 1 {
            units
        } else {
            vec![(code, origin)]
        };
        // The jank front end reads the code at its place in the file; other
        // compilers' positions are the code's own, moved there here.
        let moved_to = origin.filter(|_| !self.evaluator.reads_at_origin(lang));
        tokio::spawn(async move {
            for (code, at) in units {
                let eval_request = EvalRequest {
                    id: reply.id.clone(),
                    code,
                    ns: ns.take(),
                    lang,
                    file: file.clone(),
                    line: at.map(|(line, _)| line),
                    column: at.map(|(_, column)| column),
                };
                let (cancel, cancelled) = oneshot::channel();
                lock(&self.sessions)
                    .entry(session.clone())
                    .or_default()
                    .running
                    .insert(reply.id.clone(), cancel);
                let result = self
                    .evaluator
                    .eval(Requester::Editor(&session), eval_request, Some(cancelled))
                    .await;
                let was_running = lock(&self.sessions)
                    .get_mut(&session)
                    .and_then(|s| s.running.remove(&reply.id))
                    .is_some();
                if !was_running {
                    reply.send(vec![("status", strings(["interrupted"]))]);
                    reply.send(vec![("status", strings(["done"]))]);
                    return;
                }
                let result = match moved_to {
                    Some(origin) => at_origin(result, origin),
                    None => result,
                };
                if !reply.answer(result, &print) {
                    state::send(&self, &reply);
                    return;
                }
            }
            reply.done(vec![]);
            state::send(&self, &reply);
        });
    }

    /// Evaluates jank `code` for an op other than eval (a test run, an
    /// undef) as the session's own eval would, in `ns` (None: the session's).
    async fn eval_for_op(
        &self,
        session: &str,
        id: String,
        code: String,
        ns: Option<String>,
    ) -> EvalResult {
        let request = EvalRequest {
            id,
            code,
            ns,
            lang: SourceLang::Jank,
            file: None,
            line: None,
            column: None,
        };
        self.evaluator
            .eval(Requester::Editor(session), request, None)
            .await
    }

    fn interrupt(&self, request: &Message, reply: Reply) {
        let session = reply.session.clone().unwrap_or_default();
        let target = text(request, "interrupt-id");
        let mut sessions = lock(&self.sessions);
        let Some(running) = sessions.get_mut(&session).map(|s| &mut s.running) else {
            drop(sessions);
            reply.send(vec![("status", strings(["done", "session-idle"]))]);
            return;
        };
        let id = match target {
            Some(id) => Some(id),
            None => running.keys().next().cloned(),
        };
        match id.and_then(|id| running.remove(&id)) {
            Some(cancel) => {
                drop(sessions);
                let _ = cancel.send(());
                reply.done(vec![]);
            }
            None if running.is_empty() => {
                drop(sessions);
                reply.send(vec![("status", strings(["done", "session-idle"]))]);
            }
            None => {
                drop(sessions);
                reply.send(vec![(
                    "status",
                    strings(["done", "error", "interrupt-id-mismatch"]),
                )]);
            }
        }
    }
}

/// Forms editors send on their own when they connect, written for the JVM
/// (CIDER's and Calva's REPL utilities, the namespace prompt). They get the
/// answer a REPL without those utilities would give, without reaching a
/// page: an error there would show in every page's HUD for something the
/// user never typed.
fn editor_setup_answer(code: &str, ns: &str) -> Option<String> {
    let normalized = code.split_whitespace().collect::<Vec<_>>().join(" ");
    match normalized.as_str() {
        "(clojure.core/apply clojure.core/require clojure.main/repl-requires)"
        | "(when (clojure.core/resolve 'clojure.main/repl-requires) (clojure.core/map clojure.core/require clojure.main/repl-requires))"
        | "(apply require clojure.main/repl-requires)" => Some("nil".into()),
        "(str *ns*)" | "(clojure.core/str *ns*)" | "(clojure.core/str clojure.core/*ns*)" => {
            Some(format!("{ns:?}"))
        }
        "*ns*" | "clojure.core/*ns*" => Some(format!("#namespace[{ns}]")),
        _ => None,
    }
}

/// The top-level forms of an eval's jank code, each with where it starts
/// (`line`, `column`, 1-based), counted from `start`, where the code starts.
/// Empty when the code does not read: then it goes as one unit, and its
/// reader error is reported as any other.
fn top_level_units(code: &str, start: (u32, u32)) -> Vec<(String, Option<(u32, u32)>)> {
    let Ok(forms) = crate::jank::reader::read_top_level(code) else {
        return Vec::new();
    };
    forms
        .into_iter()
        .map(|(_, range)| {
            let before = &code[..range.start];
            let line_offset = before.matches('\n').count() as u32;
            let column = match before.rfind('\n') {
                Some(newline) => before[newline + 1..].chars().count() as u32 + 1,
                None => start.1 + before.chars().count() as u32,
            };
            (
                code[range].to_owned(),
                Some((start.0 + line_offset, column)),
            )
        })
        .collect()
}

/// The `line` and `column` (1-based) where an eval's code starts in its file.
fn origin(request: &Message) -> Option<(u32, u32)> {
    let line = text(request, "line")?.parse().ok().filter(|l| *l >= 1)?;
    let column = text(request, "column")
        .and_then(|c| c.parse().ok())
        .filter(|c| *c >= 1)
        .unwrap_or(1);
    Some((line, column))
}

/// An error's position in the eval's code, moved to the same place in the file.
fn at_origin(mut result: EvalResult, (line, column): (u32, u32)) -> EvalResult {
    if let Some(error) = &mut result.error {
        if let (Some(l), Some(c)) = (error.line, error.column) {
            error.column = Some(if l == 1 { column + c - 1 } else { c });
            error.line = Some(line + l - 1);
        }
    }
    result
}

fn rand_fallback() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// Sends the messages answering one request, each tagged with its id (when it
/// has one) and session.
struct Reply {
    id: String,
    session: Option<String>,
    out: mpsc::UnboundedSender<Message>,
}

impl Reply {
    fn send(&self, fields: Vec<(&str, Value)>) {
        let mut message: Message = fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        // As nREPL's response-for: a request without an id gets replies without
        // one (an empty id trips simple clients' decoders).
        if !self.id.is_empty() {
            message.insert("id".into(), string(self.id.clone()));
        }
        if let Some(session) = &self.session {
            message.insert("session".into(), string(session.clone()));
        }
        let _ = self.out.send(message);
    }

    fn done(&self, mut fields: Vec<(&str, Value)>) {
        fields.push(("status", strings(["done"])));
        self.send(fields);
    }

    fn error(&self, error: &EvalError) {
        let mut err = format!("{error}\n");
        if let Some(frame) = &error.code_frame {
            err.push_str(frame);
        }
        self.send(vec![("err", string(err))]);
        let class = format!("jank.hot-reload/{}-error", error.phase);
        self.send(vec![
            ("ex", string(class.clone())),
            ("root-ex", string(class)),
            ("status", strings(["eval-error"])),
        ]);
        self.done(vec![]);
    }

    /// An eval's answer, its value printed as the request asks (`print`),
    /// without the final `done`; on an error, the error and `done`. Whether
    /// it succeeded, so that the forms after it are evaluated.
    fn answer(&self, result: EvalResult, print: &print::PrintOptions) -> bool {
        if let Some(out) = result.out.filter(|o| !o.is_empty()) {
            self.send(vec![("out", string(out))]);
        }
        match (result.ok, result.error) {
            (true, _) => {
                let (value, truncated) = print.apply(result.value.unwrap_or_else(|| "nil".into()));
                let mut fields = vec![("value", string(value))];
                if let Some(ns) = result.ns {
                    fields.push(("ns", string(ns)));
                }
                if truncated {
                    fields.push(("status", strings(["nrepl.middleware.print/truncated"])));
                    fields.push(("nrepl.middleware.print/truncated-keys", strings(["value"])));
                }
                self.send(fields);
                true
            }
            (false, Some(error)) => {
                self.error(&error);
                false
            }
            (false, None) => {
                self.error(&EvalError::new(
                    jank_hot_reload_protocol::Phase::Run,
                    "the evaluation failed",
                ));
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::top_level_units;

    #[test]
    fn each_form_of_an_eval_keeps_its_place_in_the_file() {
        let units = top_level_units("(ns a) (def x 1)\n  (inc x) ; done\n", (10, 5));
        assert_eq!(
            units,
            vec![
                ("(ns a)".to_owned(), Some((10, 5))),
                ("(def x 1)".to_owned(), Some((10, 12))),
                ("(inc x)".to_owned(), Some((11, 3))),
            ]
        );
    }

    #[test]
    fn code_that_does_not_read_is_one_unit() {
        assert!(top_level_units("(def x", (1, 1)).is_empty());
        assert!(top_level_units("; only a comment", (1, 1)).is_empty());
    }
}
