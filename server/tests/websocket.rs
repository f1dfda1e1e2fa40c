//! The WebSocket protocol as pages use it: a real server process, real sockets,
//! real compiles; bad input, limits and pings.

mod common;
use common::*;

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
            ServerMessage::CompileError(CompileErrorNotice { id, error }) => {
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
        ServerMessage::Error(Refusal {
            code,
            message,
            fatal,
        }) => {
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
            catch_up: false,
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
