//! Security defaults: loopback only, no shell, bounded nREPL messages.

mod common;
use common::*;

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
