//! A thin wrapper over an Emscripten `Module`: its file system, its exports and
//! `ccall`, hiding what differs between Emscripten 3.1.x and 4.x.
//!
//! - Raw exports: `Module.asm` (3.1.x) or `Module.wasmExports` (4.x). On 3.1.x
//!   `Module._f` is a lazy JS wrapper whose `length` is 0, so the ABI form is
//!   read from the raw export. On 4.x `Module._f` is the raw export itself.
//! - Runtime methods (`FS`, `ccall`, `UTF8ToString`) must be exported by the
//!   build (`-sEXPORTED_RUNTIME_METHODS=FS,ccall,UTF8ToString`); their absence
//!   is a clear error naming the flag.

use jank_hot_reload_protocol::AbiForm;
use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleError {
    NotAnObject,
    MissingRuntimeMethod(&'static str),
    MissingExport(&'static str),
    /// A JS exception from a runtime call (a trap, a stack overflow).
    Threw {
        call: String,
        message: String,
    },
}

impl std::fmt::Display for ModuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModuleError::NotAnObject => {
                write!(
                    f,
                    "connect() needs the Emscripten Module object (after it is ready)"
                )
            }
            ModuleError::MissingRuntimeMethod(name) => write!(
                f,
                "the Module does not export {name}; link jank.wasm with \
                 -sEXPORTED_RUNTIME_METHODS=FS,ccall,UTF8ToString"
            ),
            ModuleError::MissingExport(name) => write!(
                f,
                "the Module does not export {name}; is this a jank.wasm built with HOT_RELOAD=1 \
                 (MAIN_MODULE and the hot-reload registry)?"
            ),
            ModuleError::Threw { call, message } if is_stack_exhausted(message) => write!(
                f,
                "StackOverflowError: the browser's stack ran out in {call} ({message}): \
                 a lazy seq nested thousands deep? Earlier definitions are intact"
            ),
            ModuleError::Threw { call, message } => write!(f, "{call} threw: {message}"),
        }
    }
}

/// The browser's own stack overflow: V8's and SpiderMonkey's messages. The
/// runtime counts jank-level calls and throws StackOverflowError first; this is
/// what is left, native recursion such as realizing deeply nested lazy seqs.
/// (Prefix tests: `str::contains` would add its searcher to the client.)
fn is_stack_exhausted(message: &str) -> bool {
    message.starts_with("Maximum call stack size exceeded")
        || message.starts_with("too much recursion")
}

#[derive(Clone)]
pub(crate) struct EmscriptenModule {
    module: Object,
    fs: Object,
    ccall: Function,
    utf8_to_string: Function,
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn call_method(target: &JsValue, name: &str, args: &Array) -> Result<JsValue, ModuleError> {
    let function: Function = get(target, name)
        .dyn_into()
        .map_err(|_| ModuleError::Threw {
            call: name.to_owned(),
            message: "not a function".into(),
        })?;
    function.apply(target, args).map_err(|e| threw(name, &e))
}

pub(crate) fn error_message(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    error
        .as_string()
        .or_else(|| {
            js_sys::JSON::stringify(error)
                .ok()
                .and_then(|s| s.as_string())
        })
        .unwrap_or_else(|| "unknown error".into())
}

fn threw(call: &str, error: &JsValue) -> ModuleError {
    ModuleError::Threw {
        call: call.to_owned(),
        message: error_message(error),
    }
}

impl EmscriptenModule {
    pub(crate) fn new(module: JsValue) -> Result<Self, ModuleError> {
        let module: Object = module.dyn_into().map_err(|_| ModuleError::NotAnObject)?;
        let method = |name: &'static str| -> Result<JsValue, ModuleError> {
            let value = get(&module, name);
            if value.is_undefined() || value.is_null() {
                Err(ModuleError::MissingRuntimeMethod(name))
            } else {
                Ok(value)
            }
        };
        let this = Self {
            fs: method("FS")?.unchecked_into(),
            ccall: method("ccall")?.unchecked_into(),
            utf8_to_string: method("UTF8ToString")?.unchecked_into(),
            module: module.clone(),
        };
        if this.export("jank_hot_reload_load_patch").is_none() {
            return Err(ModuleError::MissingExport("jank_hot_reload_load_patch"));
        }
        Ok(this)
    }

    /// The raw wasm export, or the Module's `_name` when raw exports are hidden.
    pub(crate) fn export(&self, name: &str) -> Option<Function> {
        for table in ["asm", "wasmExports"] {
            let exports = get(&self.module, table);
            if exports.is_object() {
                if let Ok(f) = get(&exports, name).dyn_into::<Function>() {
                    return Some(f);
                }
            }
        }
        get(&self.module, &format!("_{name}"))
            .dyn_into::<Function>()
            .ok()
    }

    /// The form of `jank_hot_reload_load_patch`, from its parameter count;
    /// None when only a JS wrapper is visible and the count is unknown.
    pub(crate) fn detect_abi(&self) -> Option<AbiForm> {
        match self.export("jank_hot_reload_load_patch")?.length() {
            1 => Some(AbiForm::Seed),
            2 => Some(AbiForm::EntrySymbol),
            _ => None,
        }
    }

    pub(crate) fn has_export(&self, name: &str) -> bool {
        self.export(name).is_some()
    }

    pub(crate) fn mkdir_tree(&self, path: &str) -> Result<(), ModuleError> {
        call_method(&self.fs, "mkdirTree", &Array::of1(&JsValue::from_str(path))).map(|_| ())
    }

    pub(crate) fn write_file(&self, path: &str, bytes: &[u8]) -> Result<(), ModuleError> {
        let data = Uint8Array::from(bytes);
        call_method(
            &self.fs,
            "writeFile",
            &Array::of2(&JsValue::from_str(path), &data),
        )
        .map(|_| ())
    }

    /// Whether the file at `path` holds exactly `bytes` (false if it is gone).
    pub(crate) fn file_holds(&self, path: &str, bytes: &[u8]) -> bool {
        call_method(&self.fs, "readFile", &Array::of1(&JsValue::from_str(path)))
            .ok()
            .and_then(|data| data.dyn_into::<Uint8Array>().ok())
            .is_some_and(|data| data.length() as usize == bytes.len() && data.to_vec() == bytes)
    }

    pub(crate) fn unlink(&self, path: &str) -> Result<(), ModuleError> {
        call_method(&self.fs, "unlink", &Array::of1(&JsValue::from_str(path))).map(|_| ())
    }

    /// `ccall(name, 'number', ['string', ...], args)`.
    pub(crate) fn call_with_strings(&self, name: &str, args: &[&str]) -> Result<f64, ModuleError> {
        let types = Array::new();
        let values = Array::new();
        for arg in args {
            types.push(&JsValue::from_str("string"));
            values.push(&JsValue::from_str(arg));
        }
        let call_args = Array::of4(
            &JsValue::from_str(name),
            &JsValue::from_str("number"),
            &types,
            &values,
        );
        let result = self
            .ccall
            .apply(&self.module, &call_args)
            .map_err(|e| threw(name, &e))?;
        Ok(result.as_f64().unwrap_or(-1.0))
    }

    /// Calls an export returning a malloc'd C string, copies it and frees it.
    pub(crate) fn call_for_string(
        &self,
        name: &str,
        args: &[&str],
    ) -> Result<Option<String>, ModuleError> {
        let ptr = self.call_with_strings(name, args)?;
        if ptr == 0.0 {
            return Ok(None);
        }
        let ptr_value = JsValue::from_f64(ptr);
        let text = self
            .utf8_to_string
            .call1(&JsValue::NULL, &ptr_value)
            .map_err(|e| threw("UTF8ToString", &e))?
            .as_string();
        if let Some(free) = self.export("free") {
            free.call1(&JsValue::NULL, &ptr_value)
                .map_err(|e| threw("free", &e))?;
        }
        Ok(text)
    }

    /// Emscripten's preload path: compiles and instantiates a side module
    /// asynchronously so that the later dlopen finds it ready. None if the
    /// Module does not offer it.
    pub(crate) fn preload(&self, dir: &str, name: &str, bytes: &[u8]) -> Option<js_sys::Promise> {
        let create: Function = get(&self.module, "FS_createPreloadedFile")
            .dyn_into()
            .ok()?;
        if !get(&self.module, "preloadedWasm").is_object() {
            return None;
        }
        let data = Uint8Array::from(bytes);
        let dir = JsValue::from_str(dir);
        let name = JsValue::from_str(name);
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            let args = Array::new();
            for value in [
                &dir,
                &name,
                &data.clone().into(),
                &JsValue::TRUE,
                &JsValue::TRUE,
            ] {
                args.push(value);
            }
            args.push(&resolve);
            args.push(&reject);
            if let Err(e) = create.apply(&self.module, &args) {
                let _ = reject.call1(&JsValue::NULL, &e);
            }
        });
        Some(promise)
    }

    /// Forgets a preloaded module, so memory is not held twice.
    pub(crate) fn forget_preloaded(&self, path: &str) {
        let preloaded = get(&self.module, "preloadedWasm");
        if preloaded.is_object() {
            let _ = Reflect::delete_property(
                preloaded.unchecked_ref::<Object>(),
                &JsValue::from_str(path),
            );
        }
    }
}
