//! Static files from the page root. HTML pages get the connection settings
//! injected, so any page served here (the demo, or the user's own jank.wasm
//! build) can connect without configuration.

use std::path::{Component, Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeFile;

use crate::state::AppState;

/// Where the server serves the browser client, for pages it did not write.
pub const CLIENT_PREFIX: &str = "/__jank-hot-reload/";

/// `connect.js`: the two lines a user's page needs, as one import.
const CONNECT_JS: &str =
    "// Served by jank-hot-reload: init the client and connect a jank.wasm Module.\n\
import init, { connect } from './jank_hot_reload.js';\n\
export async function connectJank(Module, options = {}) {\n\
  await init();\n\
  return connect(Module, options);\n\
}\n";

/// Refuses any request whose `Host` is not ours (see `HostPolicy`), before
/// any page, token or WebSocket is reached.
pub async fn refuse_foreign_host(
    State(state): State<AppState>,
    request: Request,
    next: axum::middleware::Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("\u{fffd}"));
    if state.hosts.allows(host) {
        return next.run(request).await;
    }
    let host = host.unwrap_or_default().to_owned();
    tracing::warn!(%host, "refused a request for a foreign Host (DNS rebinding?)");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "jank-hot-reload: refused Host {host:?}. This server answers only to localhost, \
             *.localhost and IP addresses, which keeps other sites from reaching it by DNS \
             rebinding. To use another name, start it with --allow-host <name>.\n"
        ),
    )
        .into_response()
}

pub async fn serve_static(State(state): State<AppState>, request: Request) -> Response {
    let raw_path = request.uri().path().to_owned();
    let resolved = match raw_path.strip_prefix(CLIENT_PREFIX) {
        Some("connect.js") => {
            return (
                [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                CONNECT_JS,
            )
                .into_response()
        }
        Some(file) => state
            .client_dir
            .as_deref()
            .and_then(|dir| resolve(dir, file)),
        None => resolve(&state.www_root, &raw_path),
    };
    let Some(path) = resolved else {
        // Browsers ask for a favicon on every page load; without one, answer
        // "nothing" rather than a 404 that shows red in the console.
        if raw_path == "/favicon.ico" {
            return StatusCode::NO_CONTENT.into_response();
        }
        return not_found(&raw_path);
    };
    if path.extension().is_some_and(|e| e == "html" || e == "htm") {
        return match tokio::fs::read_to_string(&path).await {
            Ok(html) => (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                inject_config(&html, &state.token),
            )
                .into_response(),
            Err(_) => not_found(&raw_path),
        };
    }
    // Assets (not HTML, which carries the token) may be read by the other
    // origins the WebSocket accepts, e.g. an app served by its own dev server.
    let cors_origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .filter(|o| state.origins.allows(Some(o)))
        .and_then(|o| HeaderValue::from_str(o).ok());
    match ServeFile::new(&path).oneshot(request).await {
        Ok(response) => {
            let mut response = response.map(Body::new);
            if let Some(origin) = cors_origin {
                let headers = response.headers_mut();
                headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                headers.insert(header::VARY, HeaderValue::from_static("Origin"));
            }
            response
        }
        Err(_) => not_found(&raw_path),
    }
}

/// Maps a URL path to a file under `root`, or None. Refuses `..`, encoded
/// traversal and symlinks that lead out of the root.
pub fn resolve(root: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut relative = PathBuf::new();
    for component in Path::new(decoded.trim_start_matches('/')).components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    let mut candidate = root.join(relative);
    if candidate.is_dir() {
        candidate.push("index.html");
    }
    let real = candidate.canonicalize().ok()?;
    let real_root = root.canonicalize().ok()?;
    (real.starts_with(&real_root) && real.is_file()).then_some(real)
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let decoded = String::from_utf8(out).ok()?;
    (!decoded.contains('\0') && !decoded.contains('\\')).then_some(decoded)
}

/// Puts `window.__JANK_HOT_RELOAD__` before anything else in the page.
fn inject_config(html: &str, token: &str) -> String {
    let script = format!(
        "<script>window.__JANK_HOT_RELOAD__={{\"token\":\"{token}\",\"path\":\"{}\",\"protocol\":{}}};</script>",
        jank_hot_reload_protocol::WS_PATH,
        jank_hot_reload_protocol::PROTOCOL_VERSION
    );
    let lower = html.to_ascii_lowercase();
    match lower.find("<head") {
        Some(at) => match lower[at..].find('>') {
            Some(close) => {
                let split = at + close + 1;
                format!("{}{script}{}", &html[..split], &html[split..])
            }
            None => format!("{script}{html}"),
        },
        None => format!("{script}{html}"),
    }
}

fn not_found(path: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        format!("jank-hot-reload: nothing to serve at {path}"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_refuses_traversal() {
        let root = tempfile::tempdir().expect("tempdir");
        std::fs::write(root.path().join("index.html"), "<html></html>").expect("write");
        std::fs::write(root.path().join("a.js"), "x").expect("write");
        assert!(resolve(root.path(), "/").is_some());
        assert!(resolve(root.path(), "/a.js").is_some());
        assert!(resolve(root.path(), "/../etc/passwd").is_none());
        assert!(resolve(root.path(), "/%2e%2e/%2e%2e/etc/passwd").is_none());
        assert!(resolve(root.path(), "/..%2fetc%2fpasswd").is_none());
        assert!(resolve(root.path(), "/missing.js").is_none());
    }

    #[cfg(unix)]
    #[test]
    fn resolve_refuses_symlinks_out_of_root() {
        let outside = tempfile::tempdir().expect("tempdir");
        std::fs::write(outside.path().join("secret"), "s").expect("write");
        let root = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(outside.path().join("secret"), root.path().join("link"))
            .expect("symlink");
        assert!(resolve(root.path(), "/link").is_none());
    }

    #[test]
    fn config_goes_into_head() {
        let html = inject_config("<!doctype html><HTML><Head><title>x</title>", "tok");
        assert!(html.starts_with("<!doctype html><HTML><Head><script>window.__JANK_HOT_RELOAD__="));
        assert!(html.contains("\"token\":\"tok\""));
        let bare = inject_config("<p>hi</p>", "t");
        assert!(bare.starts_with("<script>"));
    }
}
