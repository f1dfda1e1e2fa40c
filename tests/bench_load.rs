//! Benchmark, not a test: patch load time in headless Chromium (FS write,
//! [async precompile], dlopen, rebind), synchronous against async precompile,
//! alternating in one run. Run by bench/run-load.sh; skipped by `npm test`.
#![cfg(target_arch = "wasm32")]

use jank_hot_reload::connect;
use jank_hot_reload_protocol::{encode_patch_frame, PatchAck, PatchHeader};
use js_sys::Object;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{fetch, get, runtime, set, SERVER};

const RUNS: usize = 25;
const WARMUP: usize = 3;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

#[wasm_bindgen_test]
async fn patch_load_time_by_size_sync_vs_precompile() {
    if option_env!("JHR_BENCH").is_none() {
        return; // built by `npm test` too, but only measured by bench/run-load.sh
    }
    let module = runtime("jank_runtime").await;
    let client = |precompile: bool| {
        let options = Object::new();
        set(&options, "url", &JsValue::from_str("ws://127.0.0.1:9/repl"));
        set(&options, "token", &JsValue::from_str("unused"));
        set(&options, "hud", &JsValue::FALSE);
        set(&options, "logLevel", &JsValue::from_str("error"));
        set(&options, "precompile", &JsValue::from_bool(precompile));
        connect(module.clone(), options.into()).expect("client")
    };
    let sync = client(false);
    let precompiled = client(true);
    let manifest = fetch(format!("http://{SERVER}/generated/bench/manifest.json")).await;
    let manifest = JsFuture::from(manifest.json().expect("json"))
        .await
        .expect("manifest");
    let names = js_sys::Object::keys(manifest.unchecked_ref::<Object>());

    web_sys::console::log_1(&"| patch bytes | runs | sync median ms | precompile median ms | sync max ms | precompile max ms |".into());
    web_sys::console::log_1(&"|---:|---:|---:|---:|---:|---:|".into());
    let mut next_id = [1u64, 1u64];
    for name in names.iter() {
        let name = name.as_string().expect("name");
        let entry = get(&get(&manifest, &name), "entry_symbol")
            .as_string()
            .expect("entry");
        let bytes = fetch(format!("http://{SERVER}/generated/bench/{name}.wasm")).await;
        let bytes = JsFuture::from(bytes.array_buffer().expect("buffer"))
            .await
            .expect("bytes");
        let wasm = js_sys::Uint8Array::new(&bytes).to_vec();
        let mut times = [Vec::new(), Vec::new()];
        for round in 0..WARMUP + RUNS {
            for (mode, client) in [&sync, &precompiled].into_iter().enumerate() {
                let header = PatchHeader {
                    patch_id: next_id[mode],
                    id: None,
                    entry_symbol: entry.clone(),
                    vars: vec![],
                    ns: None,
                    hash: String::new(),
                    byte_length: wasm.len() as u64,
                    compile_ms: 0.0,
                    run: None,
                    before_load: Vec::new(),
                    after_load: Vec::new(),
                    session: None,
                    catch_up: false,
                };
                next_id[mode] += 1;
                let ack =
                    JsFuture::from(client.load_patch_frame(encode_patch_frame(&header, &wasm)))
                        .await
                        .expect("ack");
                let ack: PatchAck = serde_wasm_bindgen::from_value(ack).expect("ack");
                assert!(ack.ok, "{name}: {:?}", ack.error);
                if round >= WARMUP {
                    times[mode].push(ack.load_ms);
                }
            }
        }
        let max = |xs: &Vec<f64>| xs.iter().cloned().fold(0.0, f64::max);
        web_sys::console::log_1(
            &format!(
                "| {} | {RUNS} | {:.2} | {:.2} | {:.2} | {:.2} |",
                wasm.len(),
                median(times[0].clone()),
                median(times[1].clone()),
                max(&times[0]),
                max(&times[1])
            )
            .into(),
        );
    }
    sync.close();
    precompiled.close();
}
