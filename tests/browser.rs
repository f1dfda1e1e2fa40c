//! The client in headless Chromium, against the real reference runtime (built by
//! emcc) and a real server that scripts/test.sh starts under a supervisor.
//! Run with `wasm-pack test --headless --chrome` (see scripts/test.sh).
#![cfg(target_arch = "wasm32")]

use jank_hot_reload::{connect, Client, HUD_HOST_ID};
use jank_hot_reload_protocol::{
    encode_patch_frame, EvalResult, Namespaces, PatchAck, PatchHeader, Phase, VarInfo,
};
use js_sys::{Function, Object};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{fetch, get, runtime, set, sleep, SERVER};

const TOKEN: &str = match option_env!("JHR_TEST_TOKEN") {
    Some(s) => s,
    None => "browser-test-token",
};
const CONTROL: &str = match option_env!("JHR_TEST_CONTROL") {
    Some(s) => s,
    None => "127.0.0.1:7902",
};

/// Released when a test ends (or panics out).
struct Serial;

impl Drop for Serial {
    fn drop(&mut self) {
        BUSY.with(|busy| busy.set(false));
    }
}

/// Waits for every other test to finish; hold the guard for the whole test.
async fn serial() -> Serial {
    while BUSY.with(|busy| busy.replace(true)) {
        sleep(10).await;
    }
    Serial
}

const MISMATCH: &str = match option_env!("JHR_TEST_MISMATCH") {
    Some(s) => s,
    None => "127.0.0.1:7903",
};

thread_local! {
    /// Held by every test for its whole run: the tests share one page and one
    /// server, and a patch one test evaluates reaches every connected client.
    static BUSY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn client_options(extra: &[(&str, JsValue)]) -> JsValue {
    let options = Object::new();
    set(
        &options,
        "url",
        &JsValue::from_str(&format!("ws://{SERVER}/repl")),
    );
    set(&options, "token", &JsValue::from_str(TOKEN));
    set(&options, "logLevel", &JsValue::from_str("warn"));
    for (key, value) in extra {
        set(&options, key, value);
    }
    options.into()
}

async fn connected_client(module: JsValue, extra: &[(&str, JsValue)]) -> Client {
    let client = connect(module, client_options(extra)).expect("connect");
    JsFuture::from(client.when_connected())
        .await
        .expect("connected");
    client
}

async fn eval_cpp(client: &Client, code: &str) -> EvalResult {
    let options = Object::new();
    set(&options, "lang", &JsValue::from_str("c++"));
    let promise = client.eval(code.to_owned(), options.into()).expect("eval");
    let result = JsFuture::from(promise).await.expect("an eval result");
    serde_wasm_bindgen::from_value(result).expect("an EvalResult")
}

fn ggg(addend: i32) -> String {
    format!(
        "static void *ggg(void *v) {{ return jank_box_integer(jank_unbox_integer(v) + {addend}); }}\n\
         JANK_PATCH_SYMBOLS({{ \"user/ggg\", \"1\", (void *)ggg }})\n"
    )
}

const PROBE: &str = "static void *probe(void) { void *a[] = { jank_box_integer(10) }; \
    return jank_call_var(\"user\", \"ggg\", 1, a); }\n\
    JANK_PATCH_SYMBOLS({ \"user/probe\", \"0\", (void *)probe })\n";

/// Runs a zero-arity var in the page's runtime, as printed.
fn run_var(module: &JsValue, var: &str) -> String {
    if !get(module, "_jank_hot_reload_run_var").is_function() {
        // The fork's ABI has no run-var: call it, and read the integer it gives.
        let (ns, name) = var.split_once('/').expect("ns/name");
        return call_int(module, ns, name).to_string();
    }
    let ccall: Function = get(module, "ccall").dyn_into().expect("ccall");
    let args = js_sys::Array::of4(
        &"jank_hot_reload_run_var".into(),
        &"number".into(),
        &js_sys::Array::of1(&"string".into()),
        &js_sys::Array::of1(&var.into()),
    );
    let ptr = ccall.apply(module, &args).expect("run_var");
    let utf8: Function = get(module, "UTF8ToString")
        .dyn_into()
        .expect("UTF8ToString");
    let json = utf8
        .call1(&JsValue::NULL, &ptr)
        .expect("string")
        .as_string()
        .expect("text");
    let free: Function = get(module, "_free").dyn_into().expect("free");
    free.call1(&JsValue::NULL, &ptr).expect("free");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(parsed["ok"], true, "{var}: {json}");
    parsed["value"].as_str().expect("value").to_owned()
}

fn stats(client: &Client) -> serde_json::Value {
    serde_wasm_bindgen::from_value(client.stats()).expect("stats")
}

async fn full_path(build: &str, precompile: bool) {
    let module = runtime(build).await;
    let client = connected_client(
        module.clone(),
        &[("precompile", JsValue::from_bool(precompile))],
    )
    .await;
    assert!(client.connected());

    let v1 = eval_cpp(&client, &ggg(48)).await;
    assert!(v1.ok, "{v1:?}");
    assert!(v1.timings.load_ms.is_some(), "the ack carried load_ms");
    let probe = eval_cpp(&client, PROBE).await;
    assert!(probe.ok, "{probe:?}");
    assert_eq!(run_var(&module, "user/probe"), "58");

    let v2 = eval_cpp(&client, &ggg(49)).await;
    assert!(v2.ok, "{v2:?}");
    assert_eq!(run_var(&module, "user/probe"), "59");

    let stats = stats(&client);
    assert_eq!(stats["patches_loaded"], 3, "{stats}");
    assert_eq!(stats["patches_failed"], 0, "{stats}");
    assert_eq!(stats["runtime"]["loaded_modules"], 3, "{stats}");
    assert!(stats["load_ms_median"].as_f64().is_some(), "{stats}");
    assert!(stats["bytes_received"].as_u64().unwrap_or(0) > 0, "{stats}");
    assert_eq!(
        stats["precompile"], precompile,
        "the intended load path was used: {stats}"
    );
    client.close();
}

#[wasm_bindgen_test]
async fn full_path_entry_symbol_form_with_precompile() {
    let _serial = serial().await;
    full_path("jank_runtime", true).await;
}

#[wasm_bindgen_test]
async fn full_path_seed_form_synchronous() {
    let _serial = serial().await;
    full_path("jank_runtime_seed", false).await;
}

/// A zero-arity var's integer value through `jank_call_var`: all the jank
/// fork's ABI offers a page.
fn call_int(module: &JsValue, ns: &str, name: &str) -> i64 {
    let ccall: Function = get(module, "ccall").dyn_into().expect("ccall");
    let types = js_sys::Array::of4(
        &"string".into(),
        &"string".into(),
        &"number".into(),
        &"number".into(),
    );
    let args = js_sys::Array::of4(&ns.into(), &name.into(), &0.into(), &0.into());
    let result = ccall
        .apply(
            module,
            &js_sys::Array::of4(&"jank_call_var".into(), &"number".into(), &types, &args),
        )
        .expect("jank_call_var");
    let unbox: Function = get(module, "_jank_unbox_integer")
        .dyn_into()
        .expect("unbox");
    let value = unbox.call1(&JsValue::NULL, &result).expect("unbox");
    js_sys::BigInt::new(&value)
        .ok()
        .and_then(|b| i64::try_from(b).ok())
        .unwrap_or(i64::MIN)
}

#[wasm_bindgen_test]
async fn full_path_on_the_fork_profile() {
    let _serial = serial().await;
    let module = runtime("jank_runtime_fork").await;
    let client = connected_client(module.clone(), &[]).await;
    assert!(client.connected());
    for patch in [ggg(48), PROBE.to_owned()] {
        let result = eval_cpp(&client, &patch).await;
        assert!(result.ok, "{result:?}");
    }
    assert_eq!(call_int(&module, "user", "probe"), 58);
    let jank = eval_jank(&client, "(defn ggg [v] (+ v 49))").await;
    assert!(jank.ok, "{jank:?}");
    assert_eq!(call_int(&module, "user", "probe"), 59);
    // A closure: the fork has no jank_make_closure; the patch stands in for it.
    let closure = eval_jank(&client, "(defn adder [n] (fn [x] (+ x n)))").await;
    assert!(closure.ok, "{closure:?}");
    // What the fork cannot load never reaches it: a compile error by name.
    let tried = eval_jank(&client, "(defn t [] (try 1 (catch :default e 2)))").await;
    let error = tried.error.expect("refused");
    assert_eq!(error.phase, Phase::Compile);
    assert!(error.message.contains("jank_try"), "{error:?}");
    let stats = stats(&client);
    assert_eq!(stats["runtime"]["loaded_modules"], 4, "{stats}");
    client.close();
    // Until the server sees this page go, it compiles for the fork's
    // capabilities: let it, before the next test's page.
    sleep(300).await;
}

fn overlay() -> (web_sys::HtmlElement, String) {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let host = document
        .get_element_by_id(HUD_HOST_ID)
        .expect("the HUD is mounted");
    let root = host.shadow_root().expect("in a shadow root");
    let overlay: web_sys::HtmlElement = root
        .query_selector(".overlay")
        .expect("query")
        .expect("overlay")
        .dyn_into()
        .expect("html");
    let title = root
        .query_selector(".title")
        .expect("query")
        .expect("title")
        .text_content()
        .unwrap_or_default();
    (overlay, title)
}

async fn load_frame(client: &Client, frame: Vec<u8>) -> PatchAck {
    let ack = JsFuture::from(client.load_patch_frame(frame))
        .await
        .expect("an ack");
    serde_wasm_bindgen::from_value(ack).expect("a PatchAck")
}

fn header(patch_id: u64, entry: &str, len: usize) -> PatchHeader {
    PatchHeader {
        patch_id,
        id: None,
        entry_symbol: entry.into(),
        vars: vec![],
        ns: None,
        hash: String::new(),
        byte_length: len as u64,
        compile_ms: 0.0,
        run: None,
        before_load: Vec::new(),
        after_load: Vec::new(),
        session: None,
        catch_up: false,
    }
}

#[wasm_bindgen_test]
async fn bad_frames_get_error_acks_and_a_hud_message() {
    let _serial = serial().await;
    let module = runtime("jank_runtime").await;
    let client = connected_client(module.clone(), &[]).await;
    assert!(eval_cpp(&client, &ggg(49)).await.ok);
    assert!(eval_cpp(&client, PROBE).await.ok);
    assert_eq!(run_var(&module, "user/probe"), "59");

    // A real side module, to reuse with a wrong entry symbol.
    let fixture = fetch_fixture("order_v1").await;

    let mut truncated = encode_patch_frame(&header(1, "e", 4), b"\0asm");
    truncated.truncate(12);
    let mut bad_magic = encode_patch_frame(&header(1, "e", 4), b"\0asm");
    bad_magic[0] = b'X';
    let not_wasm = encode_patch_frame(&header(900_001, "e", 9), b"not wasm!");
    let wrong_entry = encode_patch_frame(
        &header(900_002, "jank_patch_symbols_nope", fixture.wasm.len()),
        &fixture.wasm,
    );
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("truncated header", truncated, "truncated"),
        ("bad magic", bad_magic, "magic"),
        ("non-wasm bytes", not_wasm, "not a WebAssembly module"),
        (
            "missing entry symbol",
            wrong_entry,
            "entry symbol 'jank_patch_symbols_nope' not found",
        ),
    ];
    for (case, frame, expected) in cases {
        let ack = load_frame(&client, frame).await;
        assert!(!ack.ok, "{case}");
        let error = ack.error.expect("an error");
        assert!(
            error.message.contains(expected),
            "{case}: {}",
            error.message
        );
        assert!(
            matches!(error.phase, Phase::Transfer | Phase::Load),
            "{case}"
        );
        let (overlay, title) = overlay();
        assert!(!overlay.hidden(), "{case}: the overlay shows");
        assert!(title.contains(expected), "{case}: {title}");
        assert_eq!(
            run_var(&module, "user/probe"),
            "59",
            "{case}: earlier definitions intact"
        );
    }
    assert_eq!(stats(&client)["patches_failed"], 4);

    // Esc dismisses the overlay; the next success clears it too.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    let esc =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    web_sys::window()
        .and_then(|w| w.document())
        .expect("document")
        .dispatch_event(&esc)
        .expect("dispatch");
    assert!(overlay().0.hidden(), "Esc dismissed the overlay");
    client.close();
}

struct Fixture {
    wasm: Vec<u8>,
    entry: String,
}

async fn fetch_fixture(name: &str) -> Fixture {
    let base = format!("http://{SERVER}/generated/fixtures");
    let manifest = fetch(format!("{base}/manifest.json")).await;
    let manifest = JsFuture::from(manifest.json().expect("json"))
        .await
        .expect("manifest");
    let entry = get(&get(&manifest, name), "entry_symbol")
        .as_string()
        .expect("entry");
    let wasm = fetch(format!("{base}/{name}.wasm")).await;
    let bytes = JsFuture::from(wasm.array_buffer().expect("buffer"))
        .await
        .expect("bytes");
    Fixture {
        wasm: js_sys::Uint8Array::new(&bytes).to_vec(),
        entry,
    }
}

#[wasm_bindgen_test]
async fn frames_apply_in_patch_id_order_whatever_the_arrival_order() {
    let _serial = serial().await;
    frames_apply_in_order("jank_runtime").await;
}

#[wasm_bindgen_test]
async fn frames_apply_in_patch_id_order_on_the_fork_profile() {
    let _serial = serial().await;
    frames_apply_in_order("jank_runtime_fork").await;
}

async fn frames_apply_in_order(build: &str) {
    let module = runtime(build).await;
    // Not connected: the frames come only from this test.
    let options = client_options(&[
        ("url", JsValue::from_str("ws://127.0.0.1:9/repl")),
        ("hud", JsValue::FALSE),
    ]);
    let client = connect(module.clone(), options).expect("connect");
    let mut frames = Vec::new();
    for (i, name) in ["order_v1", "order_v2", "order_v3"].into_iter().enumerate() {
        let fixture = fetch_fixture(name).await;
        frames.push(encode_patch_frame(
            &header(101 + i as u64, &fixture.entry, fixture.wasm.len()),
            &fixture.wasm,
        ));
    }
    // Arrival order 101, 103, 102: 103 must wait for 102.
    let first = load_frame(&client, frames[0].clone()).await;
    assert!(first.ok, "{first:?}");
    assert_eq!(run_var(&module, "order/v"), "1");
    let third = JsFuture::from(client.load_patch_frame(frames[2].clone()));
    sleep(100).await;
    assert_eq!(run_var(&module, "order/v"), "1", "103 waits for 102");
    let second = load_frame(&client, frames[1].clone()).await;
    assert!(second.ok);
    let third: PatchAck = serde_wasm_bindgen::from_value(third.await.expect("ack")).expect("ack");
    assert!(third.ok);
    assert_eq!(run_var(&module, "order/v"), "3", "applied as 101, 102, 103");

    // A frame older than what was applied is refused, not applied.
    let stale = load_frame(&client, frames[0].clone()).await;
    assert!(!stale.ok);
    assert!(stale
        .error
        .expect("error")
        .message
        .contains("after a newer patch"));
    assert_eq!(run_var(&module, "order/v"), "3");
    client.close();
}

/// A patch that runs no code defines only its header's fns, so its ack
/// reports those not reported yet, and not the whole listing of the runtime's
/// vars (which costs more than the rest of a small patch's load).
#[wasm_bindgen_test]
async fn an_ack_reports_the_new_vars_of_a_patch_that_runs_no_code() {
    let _serial = serial().await;
    let module = runtime("jank_runtime").await;
    // Not connected; the hello its first try composed took every var the
    // runtime had then as reported.
    let options = client_options(&[
        ("url", JsValue::from_str("ws://127.0.0.1:9/repl")),
        ("hud", JsValue::FALSE),
    ]);
    let client = connect(module.clone(), options).expect("connect");
    sleep(100).await;
    // A var no patch defines, interned from JavaScript: only a listing finds it.
    let boxed: Function = get(&module, "_jank_box_integer").dyn_into().expect("box");
    let seven = boxed
        .call1(&JsValue::NULL, &js_sys::BigInt::from(7).into())
        .expect("a boxed 7");
    let ccall: Function = get(&module, "ccall").dyn_into().expect("ccall");
    let types = js_sys::Array::of3(&"string".into(), &"string".into(), &"number".into());
    let args = js_sys::Array::of3(&"side".into(), &"fresh".into(), &seven);
    ccall
        .apply(
            &module,
            &js_sys::Array::of4(&"jank_set_var_root".into(), &"number".into(), &types, &args),
        )
        .expect("jank_set_var_root");
    let fixture = fetch_fixture("order_v1").await;
    let mut defining = header(201, &fixture.entry, fixture.wasm.len());
    defining.vars = vec![VarInfo {
        name: "order/v".into(),
        arity: "0".into(),
    }];
    let first = load_frame(&client, encode_patch_frame(&defining, &fixture.wasm)).await;
    assert!(first.ok, "{first:?}");
    assert_eq!(
        first.namespaces,
        Some(Namespaces(vec![("order".into(), vec!["v".into()])])),
        "a patch that runs no code cannot have interned side/fresh"
    );
    defining.patch_id = 202;
    let again = load_frame(&client, encode_patch_frame(&defining, &fixture.wasm)).await;
    assert!(again.ok, "{again:?}");
    assert_eq!(again.namespaces, None, "order/v was reported already");
    // A patch that runs code may intern anything: its ack lists what is new
    // in the whole runtime.
    let mut running = header(203, &fixture.entry, fixture.wasm.len());
    running.run = Some("order/v".into());
    let ran = load_frame(&client, encode_patch_frame(&running, &fixture.wasm)).await;
    assert!(ran.ok, "{ran:?}");
    assert_eq!(
        ran.namespaces,
        Some(Namespaces(vec![("side".into(), vec!["fresh".into()])]))
    );
    client.close();
}

/// The files in the client's patch directory.
fn patch_files(module: &JsValue) -> u32 {
    let fs = get(module, "FS");
    let readdir: Function = get(&fs, "readdir").dyn_into().expect("readdir");
    let names: js_sys::Array = readdir
        .call1(&fs, &"/jank-hot-reload/patches".into())
        .expect("readdir")
        .dyn_into()
        .expect("array");
    names.length() - 2 // . and ..
}

#[wasm_bindgen_test]
async fn the_same_bytes_again_reopen_the_module_already_loaded() {
    let _serial = serial().await;
    same_bytes_again("jank_runtime").await;
}

#[wasm_bindgen_test]
async fn the_same_bytes_again_on_the_fork_profile() {
    let _serial = serial().await;
    same_bytes_again("jank_runtime_fork").await;
}

async fn same_bytes_again(build: &str) {
    let module = runtime(build).await;
    let options = client_options(&[
        ("url", JsValue::from_str("ws://127.0.0.1:9/repl")),
        ("hud", JsValue::FALSE),
    ]);
    let client = connect(module.clone(), options).expect("connect");
    let v1 = fetch_fixture("order_v1").await;
    let v2 = fetch_fixture("order_v2").await;
    let frame = |id: u64, fixture: &Fixture, hash: &str| {
        let mut header = header(id, &fixture.entry, fixture.wasm.len());
        header.hash = hash.into();
        encode_patch_frame(&header, &fixture.wasm)
    };
    assert!(load_frame(&client, frame(201, &v1, "h1")).await.ok);
    assert!(load_frame(&client, frame(202, &v2, "h2")).await.ok);
    assert_eq!(run_var(&module, "order/v"), "2");
    assert_eq!(patch_files(&module), 2);
    // v1's bytes again: its module is opened again and rebinds the var,
    // without a new file (nor a new compile and instantiation).
    let again = load_frame(&client, frame(203, &v1, "h1")).await;
    assert!(again.ok, "{again:?}");
    assert_eq!(run_var(&module, "order/v"), "1");
    assert_eq!(patch_files(&module), 2);
    // A known hash on other bytes is not trusted: they load as a new module.
    let mismatched = load_frame(&client, frame(204, &v2, "h1")).await;
    assert!(mismatched.ok, "{mismatched:?}");
    assert_eq!(run_var(&module, "order/v"), "2");
    client.close();
}

/// The reference runtime's Module reshaped by `script` (given `m`), as other
/// Emscripten versions and flags build it.
fn reshaped(module: &JsValue, script: &str) -> JsValue {
    Function::new_with_args("m", script)
        .call1(&JsValue::NULL, module)
        .expect("reshape")
}

fn offline_options() -> JsValue {
    client_options(&[
        ("url", JsValue::from_str("ws://127.0.0.1:9/repl")),
        ("hud", JsValue::FALSE),
    ])
}

fn connect_error(module: JsValue) -> String {
    connect_error_with(module, offline_options())
}

/// The message of the error `connect` gives; panics if it connects.
fn connect_error_with(module: JsValue, options: JsValue) -> String {
    match connect(module, options) {
        Ok(client) => {
            client.close();
            panic!("connect accepted a Module or options it cannot use")
        }
        Err(e) => error_message(e.into()),
    }
}

fn error_message(e: JsValue) -> String {
    String::from(e.unchecked_into::<js_sys::Error>().message())
}

#[wasm_bindgen_test]
async fn emscripten_4_module_shapes_load_or_name_the_flag_they_lack() {
    let _serial = serial().await;
    let module = runtime("jank_runtime").await;
    let fixture = fetch_fixture("order_v1").await;
    // 4.x: no Module.asm, raw exports in wasmExports and as Module._f.
    let four = reshaped(
        &module,
        "const o = { FS: m.FS, ccall: m.ccall, UTF8ToString: m.UTF8ToString, wasmExports: m.asm };
         for (const k of Object.keys(m.asm)) o['_' + k] = m.asm[k];
         return o;",
    );
    // Only JS wrappers whose length is 0, and no raw exports at all.
    let wrapped = reshaped(
        &module,
        "const o = { FS: m.FS, ccall: m.ccall, UTF8ToString: m.UTF8ToString };
         for (const k of Object.keys(m.asm)) o['_' + k] = (...a) => m.asm[k](...a);
         return o;",
    );
    for (i, shape) in [four, wrapped].into_iter().enumerate() {
        let client = connect(shape, offline_options()).expect("a usable shape");
        let frame = encode_patch_frame(
            &header(301 + i as u64, &fixture.entry, fixture.wasm.len()),
            &fixture.wasm,
        );
        let ack = load_frame(&client, frame).await;
        assert!(ack.ok, "shape {i}: {ack:?}");
        assert_eq!(run_var(&module, "order/v"), "1");
        client.close();
    }
    // Each missing runtime method is an error naming the flag that adds it.
    for method in ["FS", "ccall", "UTF8ToString"] {
        let without = reshaped(
            &module,
            &format!(
                "const o = {{ FS: m.FS, ccall: m.ccall, UTF8ToString: m.UTF8ToString, wasmExports: m.asm }};
                 delete o.{method};
                 return o;"
            ),
        );
        let message = connect_error(without);
        assert!(
            message.contains(method) && message.contains("-sEXPORTED_RUNTIME_METHODS"),
            "{message}"
        );
    }
    let no_registry = reshaped(
        &module,
        "const exports = { ...m.asm }; delete exports.jank_hot_reload_load_patch;
         return { FS: m.FS, ccall: m.ccall, UTF8ToString: m.UTF8ToString, wasmExports: exports };",
    );
    assert!(connect_error(no_registry).contains("jank_hot_reload_load_patch"));
    // An ES6 MODULARIZE factory's Module (4.x's EXPORT_ES6) connects as the UMD one.
    let import = Function::new_with_args(
        "",
        &format!(
            "const url = URL.createObjectURL(new Blob(
               ['export default (o) => window.createJankRuntime(o);'], {{ type: 'text/javascript' }}));
             return import(url).then((m) => m.default({{ locateFile: (p) => 'http://{SERVER}/generated/' + p }}));"
        ),
    );
    let promise = import.call0(&JsValue::NULL).expect("import");
    let es6_module = JsFuture::from(promise.unchecked_into::<js_sys::Promise>())
        .await
        .expect("the ES6 factory instantiates");
    let client = connect(es6_module, offline_options()).expect("an ES6 factory's Module");
    client.close();
}

#[wasm_bindgen_test]
async fn bad_options_are_errors_that_name_the_option() {
    let _serial = serial().await;
    let module = runtime("jank_runtime").await;
    let options = |extra: &[(&str, JsValue)]| {
        let options = offline_options();
        for (key, value) in extra {
            set(&options, key, value);
        }
        options
    };
    let error = |options: JsValue| connect_error_with(module.clone(), options);
    let reconnect = Object::new();
    set(&reconnect, "initialMs", &JsValue::from_str("soon"));
    assert_eq!(
        error(options(&[("reconnect", reconnect.into())])),
        "bad connect() options: reconnect.initialMs must be a number"
    );
    assert_eq!(
        error(options(&[("logLevel", JsValue::from_str("loud"))])),
        "bad connect() options: logLevel must be 'silent', 'error', 'warn', 'info' or 'debug'"
    );
    assert_eq!(
        error(options(&[("hud", JsValue::from_f64(1.0))])),
        "bad connect() options: hud must be true or false"
    );

    // Valid options, partly given, take the defaults for the rest.
    let reconnect = Object::new();
    set(&reconnect, "maxMs", &JsValue::from_f64(1000.0));
    let client = connect(
        module.clone(),
        options(&[
            ("reconnect", reconnect.into()),
            ("abi", JsValue::from_str("seed")),
        ]),
    )
    .expect("valid options");
    let eval_options = Object::new();
    set(&eval_options, "lang", &JsValue::from_str("rust"));
    let refused = client.eval("x".into(), eval_options.into()).map(|_| ());
    let message = match refused {
        Ok(()) => panic!("eval accepted lang: 'rust'"),
        Err(e) => error_message(e.into()),
    };
    assert_eq!(message, "bad eval options: lang must be jank, c++ or c");
    assert_eq!(stats(&client)["abi"], "seed");
    client.close();
}

#[wasm_bindgen_test]
async fn reconnects_after_a_server_restart_and_sends_queued_evals_once() {
    let _serial = serial().await;
    let module = runtime("jank_runtime").await;
    let client = connected_client(
        module.clone(),
        &[(
            "reconnect",
            js_sys::JSON::parse(r#"{"initialMs":100,"maxMs":500}"#).expect("json"),
        )],
    )
    .await;
    assert!(eval_cpp(&client, &ggg(48)).await.ok);

    let window = web_sys::window().expect("window");
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    JsFuture::from(window.fetch_with_str_and_init(&format!("http://{CONTROL}/restart"), &init))
        .await
        .expect("restart requested");
    for _ in 0..100 {
        if !client.connected() {
            break;
        }
        sleep(20).await;
    }
    assert!(
        !client.connected(),
        "the client noticed the server went away"
    );

    // Made while disconnected: queued, sent once after the reconnect.
    let loaded_before = stats(&client)["patches_loaded"].as_u64().expect("count");
    let code = ggg(49);
    let result = eval_cpp(&client, &code).await;
    assert!(result.ok, "{result:?}");
    assert!(client.connected());
    let after = stats(&client);
    assert_eq!(
        after["patches_loaded"].as_u64(),
        Some(loaded_before + 1),
        "exactly once: {after}"
    );
    assert!(after["reconnects"].as_u64().unwrap_or(0) >= 1, "{after}");
    assert!(eval_cpp(&client, PROBE).await.ok);
    assert_eq!(run_var(&module, "user/probe"), "59");
    client.close();
}

const EVENT_NAMES: [&str; 6] = [
    "connected",
    "disconnected",
    "patch",
    "error",
    "before-load",
    "after-load",
];

type Listeners = Vec<wasm_bindgen::closure::Closure<dyn FnMut(web_sys::CustomEvent)>>;

/// Records every `jank-hot-reload:*` event fired on window, in order.
fn record_events() -> (js_sys::Array, Listeners) {
    let seen = js_sys::Array::new();
    let window = web_sys::window().expect("window");
    let mut listeners = Vec::new();
    for name in EVENT_NAMES {
        let seen = seen.clone();
        let listener = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::CustomEvent)>::new(
            move |event: web_sys::CustomEvent| {
                seen.push(&JsValue::from_str(&event.type_()));
            },
        );
        window
            .add_event_listener_with_callback(
                &format!("jank-hot-reload:{name}"),
                listener.as_ref().unchecked_ref(),
            )
            .expect("listen");
        listeners.push(listener);
    }
    (seen, listeners)
}

fn stop_recording(listeners: Listeners) {
    let window = web_sys::window().expect("window");
    for (name, listener) in EVENT_NAMES.iter().zip(listeners.iter()) {
        let _ = window.remove_event_listener_with_callback(
            &format!("jank-hot-reload:{name}"),
            listener.as_ref().unchecked_ref(),
        );
    }
}

#[wasm_bindgen_test]
async fn events_fire_and_async_hooks_are_awaited() {
    let _serial = serial().await;
    let (seen, listeners) = record_events();
    let log = js_sys::Array::new();
    let window: JsValue = web_sys::window().expect("window").into();
    set(&window, "__hookLog", &log);
    // beforeLoad resolves only after 50 ms: the load must wait for it.
    let before = Function::new_with_args(
        "header",
        "return new Promise(r => setTimeout(() => { window.__hookLog.push('before:' + header.patch_id); r(); }, 50));",
    );
    let after = Function::new_with_args(
        "ack",
        "window.__hookLog.push('after:' + ack.patch_id + ':' + ack.ok + ':' + ack.stats.patches_loaded);",
    );
    let module = runtime("jank_runtime").await;
    let client = connected_client(
        module.clone(),
        &[("beforeLoad", before.into()), ("afterLoad", after.into())],
    )
    .await;
    let result = eval_cpp(&client, &ggg(49)).await;
    assert!(result.ok, "{result:?}");
    let bad = eval_cpp(&client, "static void *f(void *v) { return nope; }\n").await;
    assert!(!bad.ok);
    assert_eq!(bad.error.as_ref().map(|e| e.phase), Some(Phase::Compile));
    sleep(50).await;

    let names: Vec<String> = seen.iter().filter_map(|v| v.as_string()).collect();
    let position = |name: &str| names.iter().position(|n| n == name).unwrap_or(usize::MAX);
    assert!(
        position("jank-hot-reload:connected") < position("jank-hot-reload:before-load"),
        "{names:?}"
    );
    assert!(
        position("jank-hot-reload:before-load") < position("jank-hot-reload:patch"),
        "{names:?}"
    );
    assert!(
        position("jank-hot-reload:patch") < position("jank-hot-reload:after-load"),
        "{names:?}"
    );
    assert!(
        names.iter().any(|n| n == "jank-hot-reload:error"),
        "the compile error fired an event: {names:?}"
    );

    let hooks: Vec<String> = log.iter().filter_map(|v| v.as_string()).collect();
    assert_eq!(hooks.len(), 2, "{hooks:?}");
    assert!(hooks[0].starts_with("before:"), "{hooks:?}");
    assert!(
        hooks[1].starts_with("after:") && hooks[1].ends_with(":true:1"),
        "{hooks:?}"
    );

    client.close();
    stop_recording(listeners);
}

#[wasm_bindgen_test]
async fn the_hud_shows_status_clears_on_success_and_can_be_turned_off() {
    let _serial = serial().await;
    let module = runtime("jank_runtime").await;
    let client = connected_client(module.clone(), &[]).await;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let root = document
        .get_element_by_id(HUD_HOST_ID)
        .expect("mounted")
        .shadow_root()
        .expect("shadow root");
    let badge = root
        .query_selector(".badge")
        .expect("query")
        .expect("badge");
    assert_eq!(
        badge.get_attribute("data-status").as_deref(),
        Some("connected")
    );

    // A compile error shows the phase, the position and the code frame.
    let bad = eval_cpp(&client, "static void *f(void *v) {\n  return nope;\n}\n").await;
    assert!(!bad.ok);
    let (overlay_el, title) = overlay();
    assert!(!overlay_el.hidden());
    assert!(
        title.contains("compile error") && title.contains("nope"),
        "{title}"
    );
    let place = root
        .query_selector(".where")
        .expect("query")
        .expect("where")
        .text_content()
        .unwrap_or_default();
    assert!(place.contains("line 2, column 10"), "{place}");
    let frame = root
        .query_selector(".frame")
        .expect("query")
        .expect("frame")
        .text_content()
        .unwrap_or_default();
    assert!(frame.contains("> 2 |") && frame.contains('^'), "{frame}");
    assert_eq!(badge.get_attribute("data-status").as_deref(), Some("error"));

    // A click dismisses it; the next success clears it as well.
    overlay_el.click();
    assert!(overlay().0.hidden());
    assert!(
        !eval_cpp(&client, "static void *f(void *v) { return nope2; }\n")
            .await
            .ok
    );
    assert!(!overlay().0.hidden());
    assert!(eval_cpp(&client, &ggg(49)).await.ok);
    assert!(overlay().0.hidden(), "cleared by the next success");
    assert_eq!(
        badge.get_attribute("data-status").as_deref(),
        Some("connected")
    );
    client.close();
    assert!(
        document.get_element_by_id(HUD_HOST_ID).is_none(),
        "close() removes the HUD"
    );

    // hud: false mounts nothing.
    let quiet = connected_client(module, &[("hud", JsValue::FALSE)]).await;
    assert!(document.get_element_by_id(HUD_HOST_ID).is_none());
    quiet.close();
}

#[wasm_bindgen_test]
async fn a_protocol_version_mismatch_is_shown_plainly() {
    let _serial = serial().await;
    let (seen, listeners) = record_events();
    let module = runtime("jank_runtime").await;
    let options = client_options(&[("url", JsValue::from_str(&format!("ws://{MISMATCH}/repl")))]);
    let client = connect(module, options).expect("connect");
    let mut shown = String::new();
    for _ in 0..200 {
        shown = overlay().1;
        if !shown.is_empty() {
            break;
        }
        sleep(20).await;
    }
    assert!(shown.contains("protocol version mismatch"), "{shown}");
    assert!(
        shown.contains("client speaks 1") && shown.contains("server speaks 999"),
        "{shown}"
    );
    assert!(
        !client.connected(),
        "a mismatched server is never treated as connected"
    );
    let names: Vec<String> = seen.iter().filter_map(|v| v.as_string()).collect();
    assert!(
        names.iter().any(|n| n == "jank-hot-reload:error"),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n == "jank-hot-reload:connected"),
        "{names:?}"
    );
    client.close();
    stop_recording(listeners);
}

async fn eval_jank(client: &Client, code: &str) -> EvalResult {
    let promise = client
        .eval(code.to_owned(), JsValue::UNDEFINED)
        .expect("eval");
    let result = JsFuture::from(promise).await.expect("an eval result");
    serde_wasm_bindgen::from_value(result).expect("an EvalResult")
}

#[wasm_bindgen_test]
async fn jank_source_end_to_end() {
    let _serial = serial().await;
    let module = runtime("jank_runtime").await;
    let client = connected_client(module.clone(), &[]).await;

    let defined = eval_jank(&client, "(ns user) (defn ggg [v] (+ v 48))").await;
    assert_eq!(
        (defined.ok, defined.value.as_deref()),
        (true, Some("#'user/ggg")),
        "{defined:?}"
    );
    assert_eq!(
        eval_jank(&client, "(ggg 10)").await.value.as_deref(),
        Some("58")
    );
    assert!(eval_jank(&client, "(defn ggg [v] (+ v 49))").await.ok);
    assert_eq!(
        eval_jank(&client, "(ggg 10)").await.value.as_deref(),
        Some("59")
    );

    let printed = eval_jank(&client, "(println \"hi\" [1 2]) :x").await;
    assert_eq!(
        (printed.value.as_deref(), printed.out.as_deref()),
        (Some(":x"), Some("hi [1 2]\n"))
    );

    let failed = eval_jank(&client, "(/ 1 0)").await;
    assert!(!failed.ok);
    let error = failed.error.expect("an error");
    assert_eq!(
        (error.phase, error.message.as_str()),
        (Phase::Run, "Divide by zero")
    );
    let (overlay_el, title) = overlay();
    assert!(
        !overlay_el.hidden() && title.contains("Divide by zero"),
        "{title}"
    );

    let unknown = eval_jank(&client, "(ggg (nope))").await;
    assert_eq!(unknown.error.map(|e| e.phase), Some(Phase::Analyze));
    assert_eq!(
        eval_jank(&client, "(ggg 10)").await.value.as_deref(),
        Some("59"),
        "still intact"
    );
    client.close();
}
