//! jank source through the server: the built-in compiler, the vars pages
//! report, and the --jank-nrepl backend against fake jank peers.

mod common;
use common::*;
use jank_hot_reload_protocol::Namespaces;

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
        ServerMessage::CompileError(CompileErrorNotice { error, .. }) => {
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
    let namespaces = Namespaces(vec![("app.page".to_owned(), vec!["render".to_owned()])]);
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
    let later = Namespaces(vec![(
        "app.page".to_owned(),
        vec!["render".to_owned(), "tick".to_owned()],
    )]);
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
        ServerMessage::CompileError(CompileErrorNotice { error, .. }) => {
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
        ServerMessage::CompileError(CompileErrorNotice { error, .. }) => {
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
        ServerMessage::CompileError(CompileErrorNotice { error, .. }) => assert!(
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
        ServerMessage::CompileError(CompileErrorNotice { error, .. }) => assert!(
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
        ServerMessage::CompileError(CompileErrorNotice { error, .. }) => {
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
