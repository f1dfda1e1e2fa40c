//! The heads-up display: a status badge and an error overlay, inside a shadow
//! root so that neither the app's CSS nor ours can leak across.
//!
//! Messages are set as text, never as HTML: compiler output is untrusted.

use gloo_events::EventListener;
use jank_hot_reload_protocol::EvalError;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, HtmlElement, KeyboardEvent, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

pub const HOST_ID: &str = "jank-hot-reload-hud";

const STYLE: &str = r#"
:host { all: initial; }
.badge { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647;
  font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; color: #e8eaf0;
  background: rgba(24, 27, 36, .88); border-radius: 12px; padding: 4px 10px;
  display: flex; align-items: center; gap: 6px; pointer-events: none; }
.dot { width: 8px; height: 8px; border-radius: 50%; background: #9aa0a6; }
.badge[data-status=connected] .dot { background: #34a853; }
.badge[data-status=loading] .dot { background: #fbbc04; }
.badge[data-status=error] .dot, .badge[data-status=disconnected] .dot { background: #ea4335; }
.overlay { position: fixed; inset: 0; z-index: 2147483646; background: rgba(10, 12, 18, .72);
  display: flex; align-items: flex-start; justify-content: center; padding-top: 10vh; }
.overlay[hidden] { display: none; }
.panel { max-width: min(900px, 92vw); max-height: 75vh; overflow: auto; background: #181b24;
  color: #e8eaf0; border-top: 4px solid #ea4335; border-radius: 6px; padding: 16px 20px;
  font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, monospace; box-shadow: 0 8px 40px #000a; }
.title { color: #ff8a80; font-weight: bold; white-space: pre-wrap; }
.where { color: #9aa0a6; margin-top: 4px; }
.frame { margin: 12px 0 0; padding: 10px; background: #0f1117; border-radius: 4px; white-space: pre; }
.frame:empty { display: none; }
.hint { color: #6b7280; margin-top: 12px; font-size: 11px; }
"#;

/// What the badge shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Connecting,
    Connected,
    Loading,
    Error,
    Disconnected,
}

impl Status {
    fn attr(self) -> &'static str {
        match self {
            Status::Connecting => "connecting",
            Status::Connected => "connected",
            Status::Loading => "loading",
            Status::Error => "error",
            Status::Disconnected => "disconnected",
        }
    }
}

pub(crate) struct Hud {
    host: HtmlElement,
    badge: Element,
    label: Element,
    overlay: HtmlElement,
    title: Element,
    location: Element,
    frame: Element,
    /// Removed with the HUD (gloo's listeners unregister on drop).
    _on_key: EventListener,
    _on_click: EventListener,
}

fn child(document: &Document, parent: &web_sys::Node, tag: &str, class: &str) -> Option<Element> {
    let element = document.create_element(tag).ok()?;
    element.set_class_name(class);
    parent.append_child(&element).ok()?;
    Some(element)
}

impl Hud {
    /// Mounts the HUD; None outside a document (then the client runs without one).
    pub(crate) fn mount() -> Option<Hud> {
        let document = web_sys::window()?.document()?;
        if let Some(old) = document.get_element_by_id(HOST_ID) {
            old.remove();
        }
        let host: HtmlElement = document.create_element("div").ok()?.dyn_into().ok()?;
        host.set_id(HOST_ID);
        let root: ShadowRoot = host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok()?;
        let style = child(&document, &root, "style", "")?;
        style.set_text_content(Some(STYLE));
        let badge = child(&document, &root, "div", "badge")?;
        badge.set_attribute("part", "badge").ok()?;
        child(&document, &badge, "span", "dot")?;
        let label = child(&document, &badge, "span", "label")?;
        let overlay: HtmlElement = child(&document, &root, "div", "overlay")?.dyn_into().ok()?;
        overlay.set_attribute("role", "alertdialog").ok()?;
        overlay.set_hidden(true);
        let panel = child(&document, &overlay, "div", "panel")?;
        let title = child(&document, &panel, "div", "title")?;
        let location = child(&document, &panel, "div", "where")?;
        let frame = child(&document, &panel, "pre", "frame")?;
        let hint = child(&document, &panel, "div", "hint")?;
        hint.set_text_content(Some(
            "Esc or click to dismiss; the next successful load clears it.",
        ));

        let on_key = {
            let overlay = overlay.clone();
            EventListener::new(&document, "keydown", move |event| {
                let escape = event
                    .dyn_ref::<KeyboardEvent>()
                    .is_some_and(|key| key.key() == "Escape");
                if escape {
                    overlay.set_hidden(true);
                }
            })
        };
        let on_click = {
            let hidden = overlay.clone();
            EventListener::new(&overlay, "click", move |_| hidden.set_hidden(true))
        };

        let parent: web_sys::Node = match document.body() {
            Some(body) => body.into(),
            None => document.document_element()?.into(),
        };
        parent.append_child(&host).ok()?;
        let hud = Hud {
            host,
            badge,
            label,
            overlay,
            title,
            location,
            frame,
            _on_key: on_key,
            _on_click: on_click,
        };
        hud.set_status(Status::Connecting, "connecting");
        Some(hud)
    }

    pub(crate) fn set_status(&self, status: Status, text: &str) {
        let _ = self.badge.set_attribute("data-status", status.attr());
        self.label.set_text_content(Some(&format!("jank: {text}")));
    }

    pub(crate) fn show_error(&self, error: &EvalError) {
        self.title
            .set_text_content(Some(&format!("{} error: {}", error.phase, error.message)));
        let place = match (&error.file, error.line, error.column) {
            (Some(file), Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            (None, Some(line), Some(column)) => format!("line {line}, column {column}"),
            (Some(file), _, _) => file.clone(),
            _ => String::new(),
        };
        self.location.set_text_content(Some(&place));
        self.frame
            .set_text_content(Some(error.code_frame.as_deref().unwrap_or("")));
        self.overlay.set_hidden(false);
    }

    pub(crate) fn clear_error(&self) {
        self.overlay.set_hidden(true);
    }

    pub(crate) fn unmount(&self) {
        self.host.remove();
    }
}
