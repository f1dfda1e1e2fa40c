//! The server as users run it: a real process, real WebSockets, real compiles.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use jank_hot_reload_protocol::{
    decode_patch_frame, encode_patch_frame, parse_server_message, ClientInfo, ClientMessage,
    ErrorCode, EvalRequest, Hello, PatchAck, PatchHeader, Phase, ServerMessage, SourceLang,
    PROTOCOL_VERSION,
};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

const TOKEN: &str = "test-token-0123456789";
const TIMEOUT: Duration = Duration::from_secs(30);

const GGG_V2: &str = r#"
static void *ggg(void *v) { return jank_box_integer(jank_unbox_integer(v) + 49); }
JANK_PATCH_SYMBOLS({ "user/ggg", "1", (void *)ggg })
"#;

/// A running `jank-hot-reload` process on a free port; killed on drop.
struct Server {
    child: Child,
    port: u16,
    /// Every line the server printed on stdout so far.
    printed: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    fn start(extra: &[&str]) -> Self {
        let www = tempfile::tempdir().expect("tempdir").keep();
        std::fs::write(
            www.join("index.html"),
            "<html><head></head><body>hi</body></html>",
        )
        .expect("write index");
        let mut child = Command::new(env!("CARGO_BIN_EXE_jank-hot-reload"))
            .args(["--port", "0", "--token", TOKEN, "--www"])
            .arg(&www)
            .args([
                "--max-message-bytes",
                "65536",
                "--nrepl-port",
                "0",
                "--nrepl-port-file",
            ])
            .arg(www.join(".nrepl-port"))
            .args(if extra.contains(&"--ack-timeout") {
                &[][..]
            } else {
                &["--ack-timeout", "5"][..]
            })
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start server");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        let printed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = printed.clone();
        // Keep reading for the server's whole life, so its stdout never breaks.
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                record.lock().expect("lock").push(line.clone());
                if let Some(rest) = line.strip_prefix("page:      http://127.0.0.1:") {
                    let _ = tx.send(rest.split('/').next().and_then(|p| p.parse::<u16>().ok()));
                }
            }
        });
        let port = rx
            .recv_timeout(TIMEOUT)
            .ok()
            .flatten()
            .expect("the server printed its URL");
        Server {
            child,
            port,
            printed,
        }
    }

    fn printed(&self) -> Vec<String> {
        self.printed.lock().expect("lock").clone()
    }

    fn url(&self, token: Option<&str>) -> String {
        match token {
            Some(token) => format!("ws://127.0.0.1:{}/repl?token={token}", self.port),
            None => format!("ws://127.0.0.1:{}/repl", self.port),
        }
    }

    async fn connect_raw(
        &self,
        token: Option<&str>,
        origin: Option<&str>,
    ) -> Result<Socket, String> {
        let mut request = self.url(token).into_client_request().expect("request");
        if let Some(origin) = origin {
            request
                .headers_mut()
                .insert("Origin", HeaderValue::from_str(origin).expect("header"));
        }
        match tokio_tungstenite::connect_async(request).await {
            Ok((socket, _)) => Ok(socket),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(format!(
                "{} {}",
                response.status(),
                String::from_utf8_lossy(response.body().as_deref().unwrap_or_default())
            )),
            Err(other) => Err(other.to_string()),
        }
    }

    /// Connects as a page and completes the handshake.
    async fn page(&self) -> Socket {
        let mut socket = self
            .connect_raw(
                Some(TOKEN),
                Some(&format!("http://localhost:{}", self.port)),
            )
            .await
            .expect("connect");
        send(&mut socket, &hello(PROTOCOL_VERSION)).await;
        match recv_json(&mut socket).await {
            ServerMessage::Welcome(welcome) => assert_eq!(welcome.protocol, PROTOCOL_VERSION),
            other => panic!("expected welcome, got {other:?}"),
        }
        socket
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn hello(protocol: u32) -> ClientMessage {
    ClientMessage::Hello(Hello {
        protocol,
        client: ClientInfo {
            name: "websocket-test".into(),
            version: "0".into(),
        },
        abi: Default::default(),
        build_id: None,
        page_url: None,
        namespaces: None,
        capabilities: None,
    })
}

fn eval(id: &str, code: &str) -> ClientMessage {
    ClientMessage::Eval(EvalRequest {
        id: id.into(),
        code: code.into(),
        ns: Some("user".into()),
        lang: SourceLang::Cpp,
        file: None,
    })
}

async fn send(socket: &mut Socket, message: &ClientMessage) {
    let text = serde_json::to_string(message).expect("serialize");
    socket.send(Message::text(text)).await.expect("send");
}

/// The next message that is not a liveness ping.
async fn recv(socket: &mut Socket) -> Message {
    loop {
        let message = tokio::time::timeout(TIMEOUT, socket.next())
            .await
            .expect("a message before the timeout")
            .expect("the socket is open")
            .expect("a valid message");
        match &message {
            Message::Ping(_) | Message::Pong(_) => continue,
            Message::Text(text) if text.contains(r#""type":"ping""#) => continue,
            _ => return message,
        }
    }
}

async fn recv_json(socket: &mut Socket) -> ServerMessage {
    match recv(socket).await {
        Message::Text(text) => parse_server_message(&text).expect("a server message"),
        other => panic!("expected a text message, got {other:?}"),
    }
}

async fn recv_patch(socket: &mut Socket) -> (PatchHeader, Vec<u8>) {
    match recv(socket).await {
        Message::Binary(bytes) => {
            let (header, wasm) = decode_patch_frame(&bytes).expect("a valid patch frame");
            (header, wasm.to_vec())
        }
        other => panic!("expected a patch frame, got {other:?}"),
    }
}

fn ack(patch_id: u64, value: &str) -> ClientMessage {
    ClientMessage::PatchAck(PatchAck {
        patch_id,
        ok: true,
        error: None,
        load_ms: 0.4,
        value: (!value.is_empty()).then(|| value.into()),
        out: None,
        stats: None,
        namespaces: None,
    })
}

fn expect_error(message: ServerMessage, code: ErrorCode) -> String {
    match message {
        ServerMessage::Error {
            code: got, message, ..
        } => {
            assert_eq!(got, code, "{message}");
            message
        }
        other => panic!("expected {code:?}, got {other:?}"),
    }
}

/// Proves a connection still works: an eval round-trips. Patches broadcast by
/// other pages' evals are acknowledged on the way, as a page would.
async fn still_serves(socket: &mut Socket, id: &str) {
    send(socket, &eval(id, GGG_V2)).await;
    loop {
        match recv(socket).await {
            Message::Binary(bytes) => {
                let (header, _) = decode_patch_frame(&bytes).expect("a valid patch frame");
                send(socket, &ack(header.patch_id, "ok")).await;
            }
            Message::Text(text) => match parse_server_message(&text).expect("a server message") {
                ServerMessage::EvalResult(result) if result.id == id => {
                    assert!(result.ok, "{result:?}");
                    return;
                }
                other => panic!("expected eval-result {id}, got {other:?}"),
            },
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[tokio::test]
async fn handshake_welcomes_a_page() {
    let server = Server::start(&[]);
    let mut page = server.page().await;
    still_serves(&mut page, "e1").await;
}

#[tokio::test]
async fn eval_sends_patch_then_result_after_ack() {
    let server = Server::start(&[]);
    let mut page = server.page().await;
    send(&mut page, &eval("e1", GGG_V2)).await;

    let (header, wasm) = recv_patch(&mut page).await;
    assert_eq!(header.id.as_deref(), Some("e1"));
    assert!(header.entry_symbol.starts_with("jank_patch_symbols_"));
    assert_eq!(&wasm[..4], b"\0asm");
    assert_eq!(header.byte_length, wasm.len() as u64);
    assert_eq!(header.vars.len(), 1);
    assert_eq!(header.vars[0].name, "user/ggg");
    assert_eq!(header.hash, blake3::hash(&wasm).to_hex().to_string());

    send(&mut page, &ack(header.patch_id, "#'user/ggg")).await;
    match recv_json(&mut page).await {
        ServerMessage::EvalResult(result) => {
            assert_eq!(result.id, "e1");
            assert!(result.ok);
            assert_eq!(result.value.as_deref(), Some("#'user/ggg"));
            assert_eq!(result.timings.load_ms, Some(0.4));
            assert!(result.timings.compile_ms.is_some());
        }
        other => panic!("expected eval-result, got {other:?}"),
    }

    // The same source again is a cache hit with the same bytes and a newer patch id.
    send(&mut page, &eval("e2", GGG_V2)).await;
    let (again, again_wasm) = recv_patch(&mut page).await;
    assert_eq!(again_wasm, wasm);
    assert!(again.patch_id > header.patch_id);
    send(&mut page, &ack(again.patch_id, "ok")).await;
    match recv_json(&mut page).await {
        ServerMessage::EvalResult(result) => assert!(result.timings.cached, "{result:?}"),
        other => panic!("expected eval-result, got {other:?}"),
    }
}

#[tokio::test]
async fn a_failed_load_reaches_the_requester() {
    let server = Server::start(&[]);
    let mut page = server.page().await;
    send(&mut page, &eval("e1", GGG_V2)).await;
    let (header, _) = recv_patch(&mut page).await;
    let failed = ClientMessage::PatchAck(PatchAck {
        patch_id: header.patch_id,
        ok: false,
        error: Some(jank_hot_reload_protocol::EvalError::new(
            Phase::Load,
            "entry symbol not found",
        )),
        load_ms: 0.1,
        value: None,
        out: None,
        stats: None,
        namespaces: None,
    });
    send(&mut page, &failed).await;
    match recv_json(&mut page).await {
        ServerMessage::EvalResult(result) => {
            assert!(!result.ok);
            let error = result.error.expect("an error");
            assert_eq!(error.phase, Phase::Load);
            assert_eq!(error.message, "entry symbol not found");
        }
        other => panic!("expected eval-result, got {other:?}"),
    }
}

#[tokio::test]
async fn patches_broadcast_to_every_page_and_results_go_to_the_requester() {
    let server = Server::start(&[]);
    let mut pages = [
        server.page().await,
        server.page().await,
        server.page().await,
    ];
    send(&mut pages[1], &eval("from-1", GGG_V2)).await;
    let mut patch_id = 0;
    for page in pages.iter_mut() {
        let (header, wasm) = recv_patch(page).await;
        assert_eq!(header.id.as_deref(), Some("from-1"));
        assert_eq!(&wasm[..4], b"\0asm");
        patch_id = header.patch_id;
        send(page, &ack(header.patch_id, "ok")).await;
    }
    match recv_json(&mut pages[1]).await {
        ServerMessage::EvalResult(result) => assert_eq!(result.id, "from-1"),
        other => panic!("expected eval-result, got {other:?}"),
    }
    // Nobody else gets the result: their next message is the next patch.
    send(&mut pages[0], &eval("from-0", GGG_V2)).await;
    let (next, _) = recv_patch(&mut pages[2]).await;
    assert_eq!(next.patch_id, patch_id + 1);
    assert_eq!(next.id.as_deref(), Some("from-0"));
}

#[tokio::test]
async fn compile_errors_reach_every_page_with_line_and_column() {
    let server = Server::start(&[]);
    let mut requester = server.page().await;
    let mut other = server.page().await;
    let bad = "static void *f(void *v) {\n  return undefined_thing;\n}\nJANK_PATCH_SYMBOLS({\"user/f\", \"1\", (void *)f})\n";
    send(&mut requester, &eval("bad", bad)).await;
    for page in [&mut requester, &mut other] {
        match recv_json(page).await {
            ServerMessage::CompileError { id, error } => {
                assert_eq!(id.as_deref(), Some("bad"));
                assert_eq!(error.phase, Phase::Compile);
                assert_eq!((error.line, error.column), (Some(2), Some(10)));
                assert!(
                    error.message.contains("undefined_thing"),
                    "{}",
                    error.message
                );
                assert!(error.code_frame.expect("frame").contains("> 2 |"));
            }
            other => panic!("expected compile-error, got {other:?}"),
        }
    }
    match recv_json(&mut requester).await {
        ServerMessage::EvalResult(result) => {
            assert!(!result.ok);
            assert_eq!(result.error.and_then(|e| e.line), Some(2));
        }
        other => panic!("expected eval-result, got {other:?}"),
    }
    still_serves(&mut other, "after").await;
}

#[tokio::test]
async fn an_unacknowledged_patch_times_out_with_a_clear_error() {
    let server = Server::start(&["--ack-timeout", "0.5"]);
    let mut page = server.page().await;
    send(&mut page, &eval("e1", GGG_V2)).await;
    let _ = recv_patch(&mut page).await;
    match recv_json(&mut page).await {
        ServerMessage::EvalResult(result) => {
            let error = result.error.expect("an error");
            assert!(
                error.message.contains("did not acknowledge"),
                "{}",
                error.message
            );
        }
        other => panic!("expected eval-result, got {other:?}"),
    }
}

#[tokio::test]
async fn a_foreign_origin_is_refused() {
    let server = Server::start(&[]);
    let refusal = server
        .connect_raw(Some(TOKEN), Some("http://evil.example"))
        .await
        .expect_err("refused");
    assert!(refusal.starts_with("403"), "{refusal}");
    assert!(
        refusal.contains("origin http://evil.example is not allowed"),
        "{refusal}"
    );
    let mut page = server.page().await;
    still_serves(&mut page, "still").await;
}

#[tokio::test]
async fn an_allowed_extra_origin_connects() {
    let server = Server::start(&["--allow-origin", "http://localhost:3000"]);
    server
        .connect_raw(Some(TOKEN), Some("http://localhost:3000"))
        .await
        .expect("allowed");
}

#[tokio::test]
async fn a_missing_or_wrong_token_is_refused() {
    let server = Server::start(&[]);
    let missing = server.connect_raw(None, None).await.expect_err("refused");
    assert!(
        missing.starts_with("403") && missing.contains("missing token"),
        "{missing}"
    );
    let wrong = server
        .connect_raw(Some("not-the-token"), None)
        .await
        .expect_err("refused");
    assert!(
        wrong.starts_with("403") && wrong.contains("wrong token"),
        "{wrong}"
    );
}

#[tokio::test]
async fn a_version_mismatch_is_a_clear_fatal_error() {
    let server = Server::start(&[]);
    let mut socket = server
        .connect_raw(Some(TOKEN), None)
        .await
        .expect("connect");
    send(&mut socket, &hello(PROTOCOL_VERSION + 41)).await;
    match recv_json(&mut socket).await {
        ServerMessage::Error {
            code,
            message,
            fatal,
        } => {
            assert_eq!(code, ErrorCode::VersionMismatch);
            assert!(fatal);
            assert!(
                message.contains(&format!("client speaks {}", PROTOCOL_VERSION + 41)),
                "{message}"
            );
            assert!(
                message.contains(&format!("server speaks {PROTOCOL_VERSION}")),
                "{message}"
            );
        }
        other => panic!("expected a version error, got {other:?}"),
    }
    match recv(&mut socket).await {
        Message::Close(Some(frame)) => assert_eq!(u16::from(frame.code), 1002),
        other => panic!("expected close, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_input_gets_clear_errors_and_everyone_keeps_working() {
    let server = Server::start(&[]);
    let mut bad = server.page().await;
    let mut bystander = server.page().await;

    bad.send(Message::text("{this is not json"))
        .await
        .expect("send");
    let message = expect_error(recv_json(&mut bad).await, ErrorCode::MalformedMessage);
    assert!(message.contains("not JSON"), "{message}");

    bad.send(Message::text(r#"{"type":"eval","code":"x"}"#))
        .await
        .expect("send");
    let message = expect_error(recv_json(&mut bad).await, ErrorCode::MalformedMessage);
    assert!(message.contains("bad eval"), "{message}");

    bad.send(Message::text(r#"{"type":"launch-missiles"}"#))
        .await
        .expect("send");
    let message = expect_error(recv_json(&mut bad).await, ErrorCode::UnknownType);
    assert!(
        message.contains("launch-missiles") && message.contains("hello, eval"),
        "{message}"
    );

    let oversized = format!(
        r#"{{"type":"eval","id":"big","code":"{}"}}"#,
        "x".repeat(100_000)
    );
    bad.send(Message::text(oversized)).await.expect("send");
    let message = expect_error(recv_json(&mut bad).await, ErrorCode::MessageTooLarge);
    assert!(message.contains("65536-byte limit"), "{message}");

    bad.send(Message::binary(b"JHRP\xff\x00".to_vec()))
        .await
        .expect("send");
    let message = expect_error(recv_json(&mut bad).await, ErrorCode::BadFrame);
    assert!(message.contains("truncated"), "{message}");

    let mut truncated = encode_patch_frame(
        &PatchHeader {
            patch_id: 1,
            id: None,
            entry_symbol: "e".into(),
            vars: vec![],
            ns: None,
            hash: "h".into(),
            byte_length: 0,
            compile_ms: 0.0,
            run: None,
            before_load: Vec::new(),
            after_load: Vec::new(),
            session: None,
        },
        b"",
    );
    truncated.truncate(20);
    bad.send(Message::binary(truncated)).await.expect("send");
    let message = expect_error(recv_json(&mut bad).await, ErrorCode::BadFrame);
    assert!(message.contains("header says"), "{message}");

    send(&mut bad, &hello(PROTOCOL_VERSION)).await;
    expect_error(recv_json(&mut bad).await, ErrorCode::UnexpectedMessage);

    still_serves(&mut bad, "bad-still").await;
    still_serves(&mut bystander, "bystander").await;
}

#[tokio::test]
async fn a_message_over_the_hard_limit_closes_only_that_connection() {
    let server = Server::start(&[]);
    let mut bad = server.page().await;
    let mut bystander = server.page().await;
    let _ = bad.send(Message::text("x".repeat(65536 * 4 + 1))).await;
    match tokio::time::timeout(TIMEOUT, bad.next())
        .await
        .expect("an answer")
    {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1009),
        // The server may have closed the TCP stream before the frame was read.
        Some(Err(_)) | None => {}
        other => panic!("expected close, got {other:?}"),
    }
    still_serves(&mut bystander, "bystander").await;
}

#[tokio::test]
async fn messages_before_hello_are_refused() {
    let server = Server::start(&[]);
    let mut socket = server
        .connect_raw(Some(TOKEN), None)
        .await
        .expect("connect");
    send(&mut socket, &eval("early", GGG_V2)).await;
    expect_error(recv_json(&mut socket).await, ErrorCode::HelloRequired);
}

#[tokio::test]
async fn pages_are_pinged() {
    let server = Server::start(&["--ping-interval", "0.2"]);
    let mut page = server.page().await;
    let mut saw_ping = false;
    for _ in 0..10 {
        match tokio::time::timeout(TIMEOUT, page.next()).await {
            Ok(Some(Ok(Message::Text(text)))) if text.contains(r#""type":"ping""#) => {
                saw_ping = true;
                break;
            }
            _ => {}
        }
    }
    assert!(saw_ping, "no application-level ping arrived");
}

/// A plain HTTP/1.1 GET; the whole response as text.
async fn http_get(port: u16, path: &str) -> String {
    http_get_as(port, path, "localhost").await
}

/// A GET with the given `Host` header, as a DNS-rebinding page would send it.
async fn http_get_as(port: u16, path: &str, host: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("request");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .await
        .expect("response");
    response
}

#[tokio::test]
async fn serves_pages_with_the_token_injected() {
    let server = Server::start(&[]);
    let page = http_get(server.port, "/").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains(&format!("\"token\":\"{TOKEN}\"")), "{page}");
    let favicon = http_get(server.port, "/favicon.ico").await;
    assert!(
        favicon.starts_with("HTTP/1.1 204"),
        "no favicon is no content, not a 404: {favicon}"
    );

    for traversal in [
        "/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
    ] {
        let refused = http_get(server.port, traversal).await;
        assert!(
            refused.starts_with("HTTP/1.1 404") || refused.starts_with("HTTP/1.1 400"),
            "{traversal}: {refused}"
        );
        assert!(!refused.contains("root:"), "{traversal} leaked a file");
    }
}

#[tokio::test]
async fn refuses_foreign_host_headers_against_dns_rebinding() {
    let server = Server::start(&["--allow-host", "dev.example.test"]);
    let port = server.port;
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
    ] {
        let refused = http_get_as(port, "/", &host).await;
        assert!(refused.starts_with("HTTP/1.1 403"), "{host}: {refused}");
        assert!(
            refused.contains("--allow-host"),
            "the reason says what to do: {refused}"
        );
        assert!(!refused.contains(TOKEN), "no token for a foreign Host");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("app.localhost:{port}"),
        format!("dev.example.test:{port}"),
    ] {
        let page = http_get_as(port, "/", &host).await;
        assert!(page.starts_with("HTTP/1.1 200"), "{host}: {page}");
    }

    // The WebSocket upgrade is refused too, token or not.
    let mut request = server
        .url(Some(TOKEN))
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "Host",
        HeaderValue::from_str(&format!("evil.example:{port}")).expect("header"),
    );
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 403)
        }
        other => panic!("a foreign Host upgraded: {:?}", other.map(|_| ())),
    }
}

fn eval_jank(id: &str, code: &str) -> ClientMessage {
    ClientMessage::Eval(EvalRequest {
        id: id.into(),
        code: code.into(),
        ns: None,
        lang: SourceLang::Jank,
        file: None,
    })
}

async fn recv_result(socket: &mut Socket) -> jank_hot_reload_protocol::EvalResult {
    match recv_json(socket).await {
        ServerMessage::EvalResult(result) => result,
        other => panic!("expected eval-result, got {other:?}"),
    }
}

#[tokio::test]
async fn jank_source_compiles_pushes_and_answers() {
    let server = Server::start(&[]);
    let mut page = server.page().await;

    send(&mut page, &eval_jank("defn", "(defn ggg [v] (+ v 49))")).await;
    let (header, wasm) = recv_patch(&mut page).await;
    assert_eq!(&wasm[..4], b"\0asm");
    assert_eq!(
        header.run, None,
        "a defn answers with its var, nothing to run"
    );
    assert_eq!(header.vars.len(), 1);
    assert_eq!(
        (header.vars[0].name.as_str(), header.vars[0].arity.as_str()),
        ("user/ggg", "1")
    );
    send(&mut page, &ack(header.patch_id, "")).await;
    let result = recv_result(&mut page).await;
    assert!(result.ok, "{result:?}");
    assert_eq!(result.ns.as_deref(), Some("user"));

    // An expression carries a var for the page to run; its value comes from the ack.
    send(&mut page, &eval_jank("call", "(ggg 10)")).await;
    let (header, _) = recv_patch(&mut page).await;
    let run = header.run.expect("an expression to run");
    assert!(run.starts_with("jank.hot-reload.eval/"), "{run}");
    send(&mut page, &ack(header.patch_id, "59")).await;
    assert_eq!(recv_result(&mut page).await.value.as_deref(), Some("59"));

    // ns alone needs no patch, and the session remembers it.
    send(&mut page, &eval_jank("ns", "(ns my.app)")).await;
    let result = recv_result(&mut page).await;
    assert_eq!(
        (result.ok, result.value.as_deref(), result.ns.as_deref()),
        (true, Some("nil"), Some("my.app"))
    );
    send(&mut page, &eval_jank("def", "(defn here [] 1)")).await;
    let (header, _) = recv_patch(&mut page).await;
    assert_eq!(header.vars[0].name, "my.app/here");
    send(&mut page, &ack(header.patch_id, "")).await;
    assert_eq!(recv_result(&mut page).await.ns.as_deref(), Some("my.app"));

    // An unknown symbol is a compile-time error for every page, not a crash in one.
    send(&mut page, &eval_jank("bad", "(defn f [x]\n  (nope x))")).await;
    match recv_json(&mut page).await {
        ServerMessage::CompileError { error, .. } => {
            assert_eq!(error.phase, Phase::Analyze);
            assert!(
                error.message.contains("Unable to resolve symbol: nope"),
                "{}",
                error.message
            );
            assert_eq!(
                (error.line, error.column),
                (Some(2), Some(4)),
                "points at the symbol"
            );
        }
        other => panic!("expected compile-error, got {other:?}"),
    }
    assert!(!recv_result(&mut page).await.ok);
}

#[tokio::test]
async fn vars_the_page_reports_are_known_to_the_compiler() {
    let server = Server::start(&[]);
    let mut socket = server
        .connect_raw(Some(TOKEN), None)
        .await
        .expect("connect");
    let mut namespaces = std::collections::BTreeMap::new();
    namespaces.insert("app.page".to_owned(), vec!["render".to_owned()]);
    let hello = ClientMessage::Hello(Hello {
        namespaces: Some(namespaces),
        ..match hello(PROTOCOL_VERSION) {
            ClientMessage::Hello(h) => h,
            _ => unreachable!(),
        }
    });
    send(&mut socket, &hello).await;
    assert!(matches!(
        recv_json(&mut socket).await,
        ServerMessage::Welcome(_)
    ));

    // Known from hello: compiles and is sent.
    send(&mut socket, &eval_jank("known", "(app.page/render 1)")).await;
    let (header, _) = recv_patch(&mut socket).await;
    assert!(header.run.is_some());
    // Learned from an ack.
    let mut later = std::collections::BTreeMap::new();
    later.insert(
        "app.page".to_owned(),
        vec!["render".to_owned(), "tick".to_owned()],
    );
    send(
        &mut socket,
        &ClientMessage::PatchAck(PatchAck {
            namespaces: Some(later),
            ..match ack(header.patch_id, "ok") {
                ClientMessage::PatchAck(a) => a,
                _ => unreachable!(),
            }
        }),
    )
    .await;
    let _ = recv_result(&mut socket).await;
    send(&mut socket, &eval_jank("learned", "(app.page/tick)")).await;
    assert!(
        matches!(recv(&mut socket).await, Message::Binary(_)),
        "tick compiles after the ack reported it"
    );
    // Neither the page nor the compiler knows this one: a compile-time error.
    send(&mut socket, &eval_jank("unknown", "(app.page/nope)")).await;
    match recv_json(&mut socket).await {
        ServerMessage::CompileError { error, .. } => {
            assert!(error.message.contains("No such var: app.page/nope"))
        }
        other => panic!("expected compile-error, got {other:?}"),
    }
}

/// A fake jank nREPL server that follows the wasm-compile-patch op: it answers
/// with C++ shaped like jank's wasm_patch_processor output (its own ABI
/// declarations, struct and entry), or with jank's error form.
async fn fake_jank_peer() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use jank_hot_reload_server::frontends::nrepl::bencode::{string, text, BencodeCodec, Message};
    use serde_bencode::value::Value;
    use tokio_util::codec::Framed;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut framed = Framed::new(stream, BencodeCodec);
                while let Some(Ok(request)) = framed.next().await {
                    let field = |k: &str| text(&request, k).unwrap_or_default();
                    if field("op") != "describe" {
                        record.lock().expect("lock").push(format!(
                            "{} ns={} patch-id={} code={}",
                            field("op"),
                            field("ns"),
                            field("patch-id"),
                            field("code")
                        ));
                    }
                    let id = field("patch-id");
                    let reply = |pairs: Vec<(&str, Value)>| -> Message {
                        let mut m: Message =
                            pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
                        m.insert("id".into(), string(field("id")));
                        m
                    };
                    let status = |s: &[&str]| Value::List(s.iter().map(|x| string(*x)).collect());
                    if field("op") == "describe" {
                        let ops = ["clone", "describe", "eval", "wasm-compile-patch"]
                            .iter()
                            .map(|op| (op.as_bytes().to_vec(), Value::Dict(Default::default())))
                            .collect();
                        let _ = framed
                            .send(reply(vec![
                                ("ops", Value::Dict(ops)),
                                ("status", status(&["done"])),
                            ]))
                            .await;
                        continue;
                    }
                    if field("code").starts_with("(def ") {
                        // The fork's answer for a def whose value is not a fn.
                        let _ = framed
                            .send(reply(vec![
                                (
                                    "cpp-code",
                                    string("// ERROR: def value is not a function\n"),
                                ),
                                ("patch-id", string(field("patch-id"))),
                            ]))
                            .await;
                        let _ = framed
                            .send(reply(vec![("status", status(&["done"]))]))
                            .await;
                        continue;
                    }
                    if field("code").contains("boom") {
                        let _ = framed
                            .send(reply(vec![
                                ("err", string("Unable to resolve symbol: boom")),
                                ("status", status(&["error"])),
                            ]))
                            .await;
                        let _ = framed
                            .send(reply(vec![("status", status(&["done", "error"]))]))
                            .await;
                        continue;
                    }
                    let cpp = format!(
                        r#"#include <stdint.h>
extern "C" {{
extern void *jank_box_integer(int64_t value);
extern int64_t jank_unbox_integer(void *obj);
}}
struct patch_symbol {{ const char *qualified_name; const char *signature; void *fn_ptr; }};
extern "C" __attribute__((visibility("default"))) void *jank_user_ggg_{id}(void *v) {{
  return jank_box_integer(jank_unbox_integer(v) + 49);
}}
extern "C" __attribute__((visibility("default"))) patch_symbol *jank_patch_symbols_{id}(int *count) {{
  static patch_symbol symbols[] = {{ {{ "user/ggg", "1", (void *)jank_user_ggg_{id} }} }};
  *count = 1;
  return symbols;
}}
"#
                    );
                    let _ = framed
                        .send(reply(vec![
                            ("cpp-code", string(cpp)),
                            ("var-name", string("ggg")),
                            ("ns-name", string(field("ns"))),
                            ("patch-id", string(id.clone())),
                        ]))
                        .await;
                    let _ = framed
                        .send(reply(vec![("status", status(&["done"]))]))
                        .await;
                }
            });
        }
    });
    (port, seen)
}

// Multi-threaded: the fake peer answers while Server::start blocks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jank_backend_gets_cpp_from_a_jank_nrepl_server() {
    let (peer_port, seen) = fake_jank_peer().await;
    let server = Server::start(&["--jank-nrepl", &format!("127.0.0.1:{peer_port}")]);
    let mut page = server.page().await;

    send(&mut page, &eval_jank("def", "(defn ggg [v] (+ v 49))")).await;
    let (header, wasm) = recv_patch(&mut page).await;
    assert_eq!(&wasm[..4], b"\0asm");
    let requests = seen.lock().expect("lock").clone();
    assert_eq!(requests.len(), 1);
    assert!(
        requests[0].starts_with("wasm-compile-patch ns=user patch-id="),
        "{}",
        requests[0]
    );
    assert!(
        requests[0].ends_with("code=(defn ggg [v] (+ v 49))"),
        "{}",
        requests[0]
    );
    let patch_id = requests[0]
        .split("patch-id=")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        header.entry_symbol,
        format!("jank_patch_symbols_{patch_id}")
    );
    assert_eq!(header.vars[0].name, "user/ggg");
    send(&mut page, &ack(header.patch_id, "")).await;
    let result = recv_result(&mut page).await;
    assert_eq!(
        (result.ok, result.value.as_deref()),
        (true, Some("#'user/ggg"))
    );

    // jank's own errors come back as compile errors for every page.
    send(&mut page, &eval_jank("bad", "(defn f [] (boom))")).await;
    match recv_json(&mut page).await {
        ServerMessage::CompileError { error, .. } => {
            assert!(
                error
                    .message
                    .contains("jank: Unable to resolve symbol: boom"),
                "{}",
                error.message
            )
        }
        other => panic!("expected compile-error, got {other:?}"),
    }
}

// Multi-threaded: the fake peer answers while Server::start blocks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_forks_comment_only_answer_is_a_clear_compile_error() {
    let (peer_port, _) = fake_jank_peer().await;
    let server = Server::start(&["--jank-nrepl", &format!("127.0.0.1:{peer_port}")]);
    assert!(
        !server.printed().iter().any(|l| l.starts_with("warning:")),
        "{:?}",
        server.printed()
    );
    let mut page = server.page().await;
    send(&mut page, &eval_jank("def", "(def x 1)")).await;
    match recv_json(&mut page).await {
        ServerMessage::CompileError { error, .. } => assert!(
            error.message.contains(
                "jank: def value is not a function (its wasm-compile-patch compiles defns of fns only)"
            ),
            "{}",
            error.message
        ),
        other => panic!("expected compile-error, got {other:?}"),
    }
}

/// Upstream jank's nREPL server: its own ops, and no wasm-compile-patch.
async fn fake_upstream_jank_peer() -> u16 {
    use jank_hot_reload_server::frontends::nrepl::bencode::{string, text, BencodeCodec, Message};
    use serde_bencode::value::Value;
    use tokio_util::codec::Framed;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut framed = Framed::new(stream, BencodeCodec);
                while let Some(Ok(request)) = framed.next().await {
                    let mut reply = Message::new();
                    reply.insert(
                        "id".into(),
                        string(text(&request, "id").unwrap_or_default()),
                    );
                    let status = |s: &[&str]| Value::List(s.iter().map(|x| string(*x)).collect());
                    if text(&request, "op").as_deref() == Some("describe") {
                        let ops = [
                            "clone",
                            "close",
                            "completions",
                            "describe",
                            "eval",
                            "load-file",
                            "lookup",
                        ]
                        .iter()
                        .map(|op| (op.as_bytes().to_vec(), Value::Dict(Default::default())))
                        .collect();
                        reply.insert("ops".into(), Value::Dict(ops));
                        reply.insert("status".into(), status(&["done"]));
                    } else {
                        reply.insert("status".into(), status(&["done", "error", "unknown-op"]));
                    }
                    let _ = framed.send(reply).await;
                }
            });
        }
    });
    port
}

// Multi-threaded: the fake peer answers while Server::start blocks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_janks_nrepl_is_named_at_start_and_at_eval() {
    let peer_port = fake_upstream_jank_peer().await;
    let server = Server::start(&["--jank-nrepl", &format!("127.0.0.1:{peer_port}")]);
    let warning = server
        .printed()
        .into_iter()
        .find(|l| l.starts_with("warning:"))
        .expect("a warning at start");
    for part in [
        "has no wasm-compile-patch op",
        "only clone, close, completions, describe, eval, load-file, lookup",
        "pfeodrippe/jank",
        "drop --jank-nrepl",
    ] {
        assert!(warning.contains(part), "{warning}");
    }
    let mut page = server.page().await;
    send(&mut page, &eval_jank("def", "(defn ggg [v] v)")).await;
    match recv_json(&mut page).await {
        ServerMessage::CompileError { error, .. } => assert!(
            error
                .message
                .contains("does not support the wasm-compile-patch op"),
            "{}",
            error.message
        ),
        other => panic!("expected compile-error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_unreachable_jank_backend_is_a_clear_error() {
    let server = Server::start(&["--jank-nrepl", "127.0.0.1:9"]);
    let mut page = server.page().await;
    send(&mut page, &eval_jank("def", "(defn ggg [v] v)")).await;
    match recv_json(&mut page).await {
        ServerMessage::CompileError { error, .. } => {
            assert!(
                error
                    .message
                    .contains("jank nREPL server at 127.0.0.1:9 (--jank-nrepl) is not reachable"),
                "{}",
                error.message
            )
        }
        other => panic!("expected compile-error, got {other:?}"),
    }
}

// ---- security ----------------------------------------------------------------

#[test]
fn listening_beyond_loopback_needs_allow_remote_and_warns() {
    let refused = Command::new(env!("CARGO_BIN_EXE_jank-hot-reload"))
        .args(["--host", "0.0.0.0", "--port", "0", "--no-nrepl"])
        .output()
        .expect("run");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("refusing to listen on 0.0.0.0") && stderr.contains("--allow-remote"),
        "{stderr}"
    );

    let mut allowed = Command::new(env!("CARGO_BIN_EXE_jank-hot-reload"))
        .args([
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--no-nrepl",
            "--allow-remote",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    let stderr = allowed.stderr.take().expect("stderr");
    let mut warning = String::new();
    for line in BufReader::new(stderr).lines().map_while(Result::ok) {
        if line.contains("not loopback") {
            warning = line;
            break;
        }
    }
    let _ = allowed.kill();
    let _ = allowed.wait();
    assert!(
        warning.contains("anyone who can reach it and has the token can run code"),
        "{warning}"
    );
}

#[tokio::test]
async fn shell_metacharacters_in_sources_and_names_never_reach_a_shell() {
    let server = Server::start(&[]);
    let mut page = server.page().await;
    let marker = std::env::temp_dir().join(format!("jhr-pwned-{}", std::process::id()));
    let _ = std::fs::remove_file(&marker);
    let m = marker.display();
    let cpp = format!(
        "// $(touch {m}) `touch {m}` ; touch {m} | touch {m} && touch {m}\n\
         static void *f(void) {{ return jank_make_string(\"$(touch {m}); `touch {m}`\"); }}\n\
         JANK_PATCH_SYMBOLS({{ \"user/f\", \"0\", (void *)f }})\n"
    );
    send(&mut page, &eval("shell", &cpp)).await;
    let (header, _) = recv_patch(&mut page).await;
    send(&mut page, &ack(header.patch_id, "")).await;
    assert!(recv_result(&mut page).await.ok);
    let jank = format!("(defn g [] \"$(touch {m}); `touch {m}`\")");
    send(&mut page, &eval_jank("shell-jank", &jank)).await;
    let (header, _) = recv_patch(&mut page).await;
    send(&mut page, &ack(header.patch_id, "")).await;
    assert!(recv_result(&mut page).await.ok);
    assert!(!marker.exists(), "a shell ran part of the source");
}

#[tokio::test]
async fn an_nrepl_message_claiming_a_huge_length_is_refused_before_buffering() {
    use jank_hot_reload_server::frontends::nrepl::bencode::{value_end, BencodeError};
    // A string claiming 1 GiB: refused as soon as its length is read.
    let claim = b"d4:code1073741824:";
    assert!(matches!(value_end(claim, 0), Err(BencodeError::TooLarge)));
}

#[tokio::test]
async fn the_client_is_served_for_any_page_to_import() {
    let client = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        client.path().join("jank_hot_reload.js"),
        "export default function init() {}",
    )
    .expect("write");
    let dir = client.path().display().to_string();
    let server = Server::start(&["--client-dir", &dir]);
    let connect = http_get(server.port, "/__jank-hot-reload/connect.js").await;
    assert!(connect.starts_with("HTTP/1.1 200"), "{connect}");
    assert!(
        connect.contains("export async function connectJank(Module, options = {})"),
        "{connect}"
    );
    let module = http_get(server.port, "/__jank-hot-reload/jank_hot_reload.js").await;
    assert!(
        module.starts_with("HTTP/1.1 200") && module.contains("export default function init"),
        "{module}"
    );
    let escape = http_get(server.port, "/__jank-hot-reload/../index.html").await;
    assert!(
        escape.starts_with("HTTP/1.1 404"),
        "no way out of the client directory: {escape}"
    );
    let missing = http_get(server.port, "/__jank-hot-reload/nope.js").await;
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
}
