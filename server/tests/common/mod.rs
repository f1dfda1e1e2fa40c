//! What every server test shares: a real `jank-hot-reload` process on a free
//! port, a page's WebSocket, and the protocol's messages.
#![allow(dead_code, unused_imports)] // each test file uses its own part

pub use std::io::{BufRead, BufReader};
pub use std::process::{Child, Command, Stdio};
pub use std::time::Duration;

pub use futures_util::{SinkExt, StreamExt};
pub use jank_hot_reload_protocol::{
    decode_patch_frame, encode_patch_frame, parse_server_message, ClientInfo, ClientMessage,
    CompileErrorNotice, ErrorCode, EvalRequest, Hello, PatchAck, PatchHeader, Phase, Refusal,
    ServerMessage, SourceLang, PROTOCOL_VERSION,
};
pub use tokio::net::TcpStream;
pub use tokio_tungstenite::tungstenite::client::IntoClientRequest;
pub use tokio_tungstenite::tungstenite::http::HeaderValue;
pub use tokio_tungstenite::tungstenite::Message;
pub use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub const TOKEN: &str = "test-token-0123456789";
pub const TIMEOUT: Duration = Duration::from_secs(30);

pub const GGG_V2: &str = r#"
static void *ggg(void *v) { return jank_box_integer(jank_unbox_integer(v) + 49); }
JANK_PATCH_SYMBOLS({ "user/ggg", "1", (void *)ggg })
"#;

/// A running `jank-hot-reload` process on a free port; killed on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
    /// Every line the server printed on stdout so far.
    printed: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(extra: &[&str]) -> Self {
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

    pub fn printed(&self) -> Vec<String> {
        self.printed.lock().expect("lock").clone()
    }

    pub fn url(&self, token: Option<&str>) -> String {
        match token {
            Some(token) => format!("ws://127.0.0.1:{}/repl?token={token}", self.port),
            None => format!("ws://127.0.0.1:{}/repl", self.port),
        }
    }

    pub async fn connect_raw(
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
    pub async fn page(&self) -> Socket {
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

pub fn hello(protocol: u32) -> ClientMessage {
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

pub fn eval(id: &str, code: &str) -> ClientMessage {
    ClientMessage::Eval(EvalRequest {
        id: id.into(),
        code: code.into(),
        ns: Some("user".into()),
        lang: SourceLang::Cpp,
        file: None,
        line: None,
        column: None,
    })
}

pub async fn send(socket: &mut Socket, message: &ClientMessage) {
    let text = serde_json::to_string(message).expect("serialize");
    socket.send(Message::text(text)).await.expect("send");
}

/// The next message that is not a liveness ping.
pub async fn recv(socket: &mut Socket) -> Message {
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

pub async fn recv_json(socket: &mut Socket) -> ServerMessage {
    match recv(socket).await {
        Message::Text(text) => parse_server_message(&text).expect("a server message"),
        other => panic!("expected a text message, got {other:?}"),
    }
}

pub async fn recv_patch(socket: &mut Socket) -> (PatchHeader, Vec<u8>) {
    match recv(socket).await {
        Message::Binary(bytes) => {
            let (header, wasm) = decode_patch_frame(&bytes).expect("a valid patch frame");
            (header, wasm.to_vec())
        }
        other => panic!("expected a patch frame, got {other:?}"),
    }
}

pub fn ack(patch_id: u64, value: &str) -> ClientMessage {
    ClientMessage::PatchAck(PatchAck {
        patch_id,
        ok: true,
        error: None,
        load_ms: 0.4,
        value: (!value.is_empty()).then(|| value.into()),
        out: None,
        namespaces: None,
    })
}

pub fn expect_error(message: ServerMessage, code: ErrorCode) -> String {
    match message {
        ServerMessage::Error(Refusal {
            code: got, message, ..
        }) => {
            assert_eq!(got, code, "{message}");
            message
        }
        other => panic!("expected {code:?}, got {other:?}"),
    }
}

/// Proves a connection still works: an eval round-trips. Patches broadcast by
/// other pages' evals are acknowledged on the way, as a page would.
pub async fn still_serves(socket: &mut Socket, id: &str) {
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

/// A plain HTTP/1.1 GET; the whole response as text.
pub async fn http_get(port: u16, path: &str) -> String {
    http_get_as(port, path, "localhost").await
}

/// A GET with the given `Host` header, as a DNS-rebinding page would send it.
pub async fn http_get_as(port: u16, path: &str, host: &str) -> String {
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

pub fn eval_jank(id: &str, code: &str) -> ClientMessage {
    ClientMessage::Eval(EvalRequest {
        id: id.into(),
        code: code.into(),
        ns: None,
        lang: SourceLang::Jank,
        file: None,
        line: None,
        column: None,
    })
}

pub async fn recv_result(socket: &mut Socket) -> jank_hot_reload_protocol::EvalResult {
    match recv_json(socket).await {
        ServerMessage::EvalResult(result) => result,
        other => panic!("expected eval-result, got {other:?}"),
    }
}
