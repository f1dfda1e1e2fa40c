//! Browser-side helpers shared by the wasm-bindgen tests and benchmarks:
//! loading the reference runtime from the test server.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Set by scripts/test.sh (or bench/run-load.sh) when it builds the tests.
pub const SERVER: &str = match option_env!("JHR_TEST_SERVER") {
    Some(s) => s,
    None => "127.0.0.1:7901",
};

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &JsValue::from_str(key), value).expect("set");
}

pub fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).expect("get")
}

pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

pub async fn fetch(url: String) -> web_sys::Response {
    let window = web_sys::window().expect("window");
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .expect("fetch")
        .dyn_into()
        .expect("response");
    assert!(response.ok(), "{url}: {}", response.status());
    response
}

thread_local! {
    /// createJankRuntime per build: both builds define the same global.
    static FACTORIES: RefCell<HashMap<String, Function>> = RefCell::new(HashMap::new());
}

async fn runtime_factory(build: &str) -> Function {
    if let Some(f) = FACTORIES.with(|f| f.borrow().get(build).cloned()) {
        return f;
    }
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let script = document.create_element("script").expect("script");
    script
        .set_attribute("src", &format!("http://{SERVER}/generated/{build}.js"))
        .expect("src");
    let loaded = Promise::new(&mut |resolve, reject| {
        set(&script, "onload", &resolve);
        set(&script, "onerror", &reject);
    });
    document
        .head()
        .expect("head")
        .append_child(&script)
        .expect("append");
    JsFuture::from(loaded)
        .await
        .expect("the runtime script loads");
    let window: JsValue = web_sys::window().expect("window").into();
    let factory: Function = get(&window, "createJankRuntime")
        .dyn_into()
        .expect("factory");
    FACTORIES.with(|f| f.borrow_mut().insert(build.to_owned(), factory.clone()));
    factory
}

/// A fresh reference runtime instance (`jank_runtime` or `jank_runtime_seed`).
pub async fn runtime(build: &str) -> JsValue {
    let factory = runtime_factory(build).await;
    let options = Object::new();
    let base = format!("http://{SERVER}/generated/");
    let locate = Function::new_with_args("path", &format!("return {base:?} + path;"));
    set(&options, "locateFile", &locate);
    let ready = factory.call1(&JsValue::NULL, &options).expect("create");
    JsFuture::from(ready.dyn_into::<Promise>().expect("promise"))
        .await
        .expect("the runtime instantiates")
}
