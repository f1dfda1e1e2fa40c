//! What a page does when a file it was served changes: a stylesheet is
//! swapped in place (the page keeps its state), an HTML page that is the one
//! showing reloads.

use wasm_bindgen::JsCast;

/// The path part of `href` as the page resolves it.
fn url_path(href: &str) -> Option<String> {
    let base = web_sys::window()?.location().href().ok()?;
    web_sys::Url::new_with_base(href, &base)
        .ok()
        .map(|url| url.pathname())
}

/// Points every `<link rel="stylesheet">` for `path` at a fresh copy; the
/// number of stylesheets swapped.
pub(crate) fn swap_stylesheets(path: &str, stamp: f64) -> usize {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return 0;
    };
    let Ok(links) = document.query_selector_all("link[rel~='stylesheet'][href]") else {
        return 0;
    };
    let mut swapped = 0;
    for i in 0..links.length() {
        let Some(link) = links
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let Some(href) = link.get_attribute("href") else {
            continue;
        };
        if url_path(&href).as_deref() == Some(path) {
            let fresh = format!("{path}?jhr-reload={}", stamp as u64);
            if link.set_attribute("href", &fresh).is_ok() {
                swapped += 1;
            }
        }
    }
    swapped
}

/// Whether the page showing is `path` (`/` shows `/index.html`).
pub(crate) fn page_shows(path: &str) -> bool {
    let Some(shown) = web_sys::window().and_then(|w| w.location().pathname().ok()) else {
        return false;
    };
    shown == path || (shown.ends_with('/') && format!("{shown}index.html") == path)
}

pub(crate) fn reload_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}
