//! What the server serves over HTTP: pages with the token, the client, and
//! nothing for a foreign Host.

mod common;
use common::*;

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
