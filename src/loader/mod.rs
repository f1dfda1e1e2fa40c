//! Loading one patch into the runtime: FS write, (async precompile), dlopen
//! through `jank_hot_reload_load_patch`, the optional expression run, cleanup.

pub(crate) mod module;
pub(crate) mod order;
mod reuse;

use jank_hot_reload_protocol::decode::{Decode, DecodeError, Json, Object};
use jank_hot_reload_protocol::{
    capabilities, AbiForm, Capabilities, EvalError, Namespaces, PatchHeader, Phase, RegistryLimits,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use module::{EmscriptenModule, ModuleError};

/// Where patches are written in Emscripten's file system.
pub(crate) const PATCH_DIR: &str = "/jank-hot-reload/patches";

pub(crate) struct PatchLoader {
    module: EmscriptenModule,
    abi: AbiForm,
    keep_files: bool,
    /// Cleared for good when the Module's preload path turns out to be broken.
    precompile: std::cell::Cell<bool>,
    /// Makes every file name unique: Emscripten's dlopen caches by path.
    loads: std::cell::Cell<u64>,
    /// The vars already reported to the server, which learns them additively:
    /// an ack carries only what is new. Each name list is kept sorted.
    reported: std::cell::RefCell<Vec<(String, Vec<String>)>>,
    /// Patches loaded before, by content hash, to open again without a new module.
    loaded: std::cell::RefCell<reuse::LoadedPatches>,
}

/// Chromium compiles a module synchronously on the main thread only up to
/// this size; smaller patches skip the async preload and its event-loop turns.
const SYNC_COMPILE_LIMIT: usize = 4096;

/// What the page's jank hooks printed, and which of them failed.
#[derive(Debug, Default)]
pub(crate) struct HookReport {
    pub out: Vec<String>,
    pub failures: Vec<String>,
}

/// What a successful load produced.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub value: Option<String>,
    pub out: Option<String>,
    /// The expression's runtime error, when it carried one that failed.
    pub run_error: Option<EvalError>,
}

/// What `jank_hot_reload_run_var` answers, as JSON.
struct RunResult {
    ok: bool,
    value: Option<String>,
    error: Option<String>,
    out: Option<String>,
}

impl Decode for RunResult {
    const EXPECTED: &'static str = "a run result";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(RunResult {
            ok: o.required("ok")?,
            value: o.optional("value")?,
            error: o.optional("error")?,
            out: o.optional("out")?,
        })
    }
}

fn load_error(message: impl Into<String>) -> EvalError {
    EvalError::new(Phase::Load, message)
}

impl From<ModuleError> for EvalError {
    fn from(e: ModuleError) -> Self {
        load_error(e.to_string())
    }
}

impl PatchLoader {
    pub(crate) fn new(
        module: EmscriptenModule,
        abi: AbiForm,
        keep_files: bool,
        precompile: bool,
    ) -> Self {
        Self {
            module,
            abi,
            keep_files,
            precompile: std::cell::Cell::new(precompile),
            loads: std::cell::Cell::new(0),
            reported: Default::default(),
            loaded: Default::default(),
        }
    }

    pub(crate) fn abi(&self) -> AbiForm {
        self.abi
    }

    /// Whether patches currently take the async precompile path.
    pub(crate) fn precompiling(&self) -> bool {
        self.precompile.get()
    }

    /// Loads one patch; Err leaves every earlier definition as it was (the
    /// runtime validates a patch whole before rebinding).
    pub(crate) async fn load(
        &self,
        header: &PatchHeader,
        wasm: &[u8],
    ) -> Result<Loaded, EvalError> {
        if wasm.len() < 4 || &wasm[..4] != b"\0asm" {
            return Err(load_error(format!(
                "patch {} is not a WebAssembly module (bad magic bytes)",
                header.patch_id
            )));
        }
        let known = self
            .loaded
            .borrow()
            .path_of(&header.hash)
            .map(str::to_owned)
            // The hash is the server's word; the kept file is checked too.
            .filter(|path| self.module.file_holds(path, wasm));
        let before = self.registration_check(header);
        match known {
            // The same bytes again: dlopen finds the library it already has.
            Some(path) => self.dlopen(&path, &header.entry_symbol)?,
            None => self.load_new(header, wasm).await?,
        }
        if let Some(before) = before {
            self.check_registered(header, &before)?;
        }
        match &header.run {
            Some(var) => self.run_in(var, header.session.as_deref()),
            None => Ok(Loaded::default()),
        }
    }

    /// For a registry that skips a symbol it cannot register and still
    /// returns 0 (the jank fork's: one without `jank_hot_reload_capabilities`),
    /// each var's value before the load, to see afterwards which were bound.
    fn registration_check(&self, header: &PatchHeader) -> Option<Vec<Option<f64>>> {
        if self.module.has_export("jank_hot_reload_capabilities")
            || !self.module.has_export("jank_deref_var")
            || header.vars.is_empty()
        {
            return None;
        }
        Some(
            header
                .vars
                .iter()
                .map(|v| self.var_value(&v.name))
                .collect(),
        )
    }

    /// The object a var holds (its address), through the fork's own helper.
    fn var_value(&self, qualified: &str) -> Option<f64> {
        let (ns, name) = qualified.split_once('/')?;
        self.module
            .call_with_strings("jank_deref_var", &[ns, name])
            .ok()
    }

    /// After a load that returned 0: every var of the header must now hold a
    /// new value, and as the arity it was sent with. Names each that does not.
    fn check_registered(
        &self,
        header: &PatchHeader,
        before: &[Option<f64>],
    ) -> Result<(), EvalError> {
        let limits = self.capabilities().limits;
        let nil = self.module.call_with_strings("jank_nil_value", &[]).ok();
        let mut problems = Vec::new();
        for (i, (var, before)) in header.vars.iter().zip(before).enumerate() {
            let after = self.var_value(&var.name);
            let fixed: Option<u32> = var.arity.trim_end_matches('+').parse().ok();
            let replaced_later = header.vars[i + 1..].iter().any(|v| v.name == var.name);
            let why = if after.is_none() || after == *before || after == nil || after == Some(0.0) {
                Some(match fixed {
                    Some(n) if n > limits.max_arity => format!(
                        "arity {n}: the registry registers arities 0 to {}",
                        limits.max_arity
                    ),
                    None => format!("signature \"{}\" is not an arity", var.arity),
                    _ if !var.name.contains('/') => "no namespace in its name".to_owned(),
                    _ => "the registry did not bind it (the browser console has its reason)"
                        .to_owned(),
                })
            } else if var.arity.ends_with('+') && !limits.variadic {
                Some(format!(
                    "registered as a fixed arity {}: the registry has no variadic fns",
                    fixed.unwrap_or(0)
                ))
            } else if replaced_later && !limits.multi_arity {
                Some(format!(
                    "arity {} was replaced by a later one: the registry keeps one arity per var",
                    var.arity
                ))
            } else {
                None
            };
            if let Some(why) = why {
                problems.push(format!("{} ({why})", var.name));
            }
        }
        if problems.is_empty() {
            return Ok(());
        }
        Err(load_error(format!(
            "the runtime loaded patch {} but did not register it as sent: {}",
            header.patch_id,
            problems.join("; ")
        )))
    }

    /// Writes a patch not loaded before into the FS and opens it. The file is
    /// kept (within a budget) so the same bytes can be opened again.
    async fn load_new(&self, header: &PatchHeader, wasm: &[u8]) -> Result<(), EvalError> {
        self.loads.set(self.loads.get() + 1);
        let name = format!(
            "{}-p{}-{}.wasm",
            self.loads.get(),
            header.patch_id,
            sanitize(&header.entry_symbol)
        );
        let path = format!("{PATCH_DIR}/{name}");

        let preloaded = self.precompile.get()
            && wasm.len() > SYNC_COMPILE_LIMIT
            && self.preload(&name, &path, wasm).await?;
        if !preloaded {
            self.write_patch(&path, wasm)?;
        }

        let result = self.dlopen(&path, &header.entry_symbol);
        if preloaded {
            self.module.forget_preloaded(&path);
        }
        if let Err(error) = result {
            if !self.keep_files {
                let _ = self.module.unlink(&path);
            }
            return Err(error);
        }
        let evicted = self
            .loaded
            .borrow_mut()
            .remember(&header.hash, &path, wasm.len());
        if !self.keep_files {
            for path in evicted {
                let _ = self.module.unlink(&path);
            }
        }
        Ok(())
    }

    /// Writes a patch into PATCH_DIR, making the directory only when the
    /// write finds it missing (the first patch, or after the page's own code
    /// removed it): making it before every write was a tenth of a
    /// millisecond of each new patch's load in Chromium.
    fn write_patch(&self, path: &str, wasm: &[u8]) -> Result<(), ModuleError> {
        if self.module.write_file(path, wasm).is_ok() {
            return Ok(());
        }
        self.module.mkdir_tree(PATCH_DIR)?;
        self.module.write_file(path, wasm)
    }

    /// The async path: Emscripten compiles and instantiates the module off the
    /// synchronous dlopen. Ok(false) means use the synchronous path instead.
    async fn preload(&self, name: &str, path: &str, wasm: &[u8]) -> Result<bool, EvalError> {
        self.module.mkdir_tree(PATCH_DIR)?;
        let Some(promise) = self.module.preload(PATCH_DIR, name, wasm) else {
            self.precompile.set(false);
            return Ok(false);
        };
        match JsFuture::from(promise).await {
            Ok(_) => Ok(true),
            Err(e) if e.is_instance_of::<js_sys::ReferenceError>() => {
                // e.g. emcc 3.1.6 without $Browser: the path exists but cannot work.
                web_sys::console::warn_1(
                    &format!(
                        "[jank-hot-reload] the Module's async preload path is broken ({}); \
                         loading patches synchronously from now on",
                        module::error_message(&e)
                    )
                    .into(),
                );
                self.precompile.set(false);
                Ok(false)
            }
            Err(e) => {
                let _ = self.module.unlink(path);
                Err(load_error(format!(
                    "the runtime could not compile {name}: {}",
                    module::error_message(&e)
                )))
            }
        }
    }

    fn dlopen(&self, path: &str, entry_symbol: &str) -> Result<(), EvalError> {
        let rc = match self.abi {
            AbiForm::EntrySymbol => self
                .module
                .call_with_strings("jank_hot_reload_load_patch", &[path, entry_symbol])?,
            AbiForm::Seed => self
                .module
                .call_with_strings("jank_hot_reload_load_patch", &[path])?,
        };
        if rc == 0.0 {
            return Ok(());
        }
        let detail = if self.module.has_export("jank_hot_reload_last_error") {
            self.module
                .call_for_string("jank_hot_reload_last_error", &[])
                .ok()
                .flatten()
                .filter(|s| !s.is_empty())
        } else {
            None
        };
        Err(load_error(detail.unwrap_or_else(|| {
            "jank_hot_reload_load_patch returned -1 (the browser console has the runtime's reason)"
                .to_owned()
        })))
    }

    /// Runs the patch's expression var through the runtime's extension.
    fn run(&self, var: &str) -> Result<Loaded, EvalError> {
        self.run_in(var, None)
    }

    /// Runs as an editor's REPL `session` when there is one and the runtime
    /// keeps their `*1 *2 *3 *e` (jank_hot_reload_run_eval).
    fn run_in(&self, var: &str, session: Option<&str>) -> Result<Loaded, EvalError> {
        if !self.module.has_export("jank_hot_reload_run_var") {
            return Err(EvalError::new(
                Phase::Run,
                "the runtime does not export jank_hot_reload_run_var, so expressions cannot \
                 return values; definitions still load",
            ));
        }
        let answer = match session {
            Some(session) if self.module.has_export("jank_hot_reload_run_eval") => self
                .module
                .call_for_string("jank_hot_reload_run_eval", &[var, session]),
            _ => self
                .module
                .call_for_string("jank_hot_reload_run_var", &[var]),
        };
        let json = answer
            .map_err(|e| EvalError::new(Phase::Run, e.to_string()))?
            .unwrap_or_default();
        let result: RunResult = crate::json::from_str(&json)
            .map_err(|e| EvalError::new(Phase::Run, format!("bad answer from the runtime: {e}")))?;
        Ok(Loaded {
            value: result.value,
            out: result.out.filter(|s| !s.is_empty()),
            run_error: if result.ok {
                None
            } else {
                Some(EvalError::new(
                    Phase::Run,
                    result.error.unwrap_or_else(|| "unknown error".into()),
                ))
            },
        })
    }

    /// Calls the page's jank hooks (`^:dev/before-load` / `^:dev/after-load`
    /// vars) in order. A failing hook never stops the patch: its message is
    /// returned with what the hooks printed.
    pub(crate) fn run_hooks(&self, vars: &[String], kind: &str) -> HookReport {
        let mut report = HookReport::default();
        for var in vars {
            let failure = match self.run(var) {
                Ok(Loaded { out, run_error, .. }) => {
                    report.out.extend(out);
                    run_error.map(|e| e.message)
                }
                Err(error) => Some(error.message),
            };
            if let Some(message) = failure {
                let line = format!("{kind} hook {var} failed: {message}");
                report.out.push(format!("{line}\n"));
                report.failures.push(line);
            }
        }
        report
    }

    /// The vars not reported yet (all of them the first time), or None when
    /// nothing is new or the runtime cannot list them.
    pub(crate) fn new_namespaces(&self) -> Option<Namespaces> {
        self.unreported(self.namespaces()?.0)
    }

    /// What a patch added. One that runs no code defines only its header's
    /// fns (anything else is code the patch runs), so those are all it can
    /// add: listing every var costs more than the rest of a small patch's load.
    pub(crate) fn new_namespaces_after(&self, header: &PatchHeader) -> Option<Namespaces> {
        if header.run.is_some() {
            return self.new_namespaces();
        }
        if !self.module.has_export("jank_hot_reload_list_vars") {
            return None;
        }
        let mut defined: Vec<(String, Vec<String>)> = Vec::new();
        for (ns, name) in header
            .vars
            .iter()
            .filter_map(|var| var.name.split_once('/'))
        {
            match defined.iter_mut().find(|(known, _)| known == ns) {
                Some((_, names)) => names.push(name.to_owned()),
                None => defined.push((ns.to_owned(), vec![name.to_owned()])),
            }
        }
        self.unreported(defined)
    }

    /// Of `listed`, the vars not reported yet, now taken as reported.
    fn unreported(&self, listed: Vec<(String, Vec<String>)>) -> Option<Namespaces> {
        let mut reported = self.reported.borrow_mut();
        let mut fresh = Vec::new();
        for (ns, names) in listed {
            let at = match reported.iter().position(|(known, _)| *known == ns) {
                Some(at) => at,
                None => {
                    reported.push((ns.clone(), Vec::new()));
                    reported.len() - 1
                }
            };
            let known = &mut reported[at].1;
            let mut new = Vec::new();
            for name in names {
                if let Err(slot) = known.binary_search(&name) {
                    known.insert(slot, name.clone());
                    new.push(name);
                }
            }
            if !new.is_empty() {
                fresh.push((ns, new));
            }
        }
        (!fresh.is_empty()).then_some(Namespaces(fresh))
    }

    /// What this runtime can load (reported in `hello`): the helpers and
    /// extensions it exports, and its registry's limits, which a runtime
    /// without `jank_hot_reload_capabilities` has as the jank fork's.
    pub(crate) fn capabilities(&self) -> Capabilities {
        let present = |names: &[&str]| -> Vec<String> {
            names
                .iter()
                .filter(|name| self.module.has_export(name))
                .map(|name| (*name).to_owned())
                .collect()
        };
        let limits = self
            .module
            .has_export("jank_hot_reload_capabilities")
            .then(|| {
                self.module
                    .call_for_string("jank_hot_reload_capabilities", &[])
                    .ok()
                    .flatten()
            })
            .flatten()
            .and_then(|json| crate::json::from_str::<RegistryLimits>(&json).ok())
            .unwrap_or(RegistryLimits::FORK);
        Capabilities {
            helpers: present(capabilities::HELPERS),
            extensions: present(capabilities::EXTENSIONS),
            limits,
        }
    }

    /// Forgets what was reported: a new connection may reach a new server.
    pub(crate) fn forget_reported(&self) {
        self.reported.borrow_mut().clear();
    }

    /// The runtime's namespaces and vars (the list-vars extension), if it has it.
    pub(crate) fn namespaces(&self) -> Option<Namespaces> {
        if !self.module.has_export("jank_hot_reload_list_vars") {
            return None;
        }
        let json = self
            .module
            .call_for_string("jank_hot_reload_list_vars", &[])
            .ok()
            .flatten()?;
        let listing = crate::json::parse(&json).ok()?;
        let namespaces = js_sys::Reflect::get(&listing, &"namespaces".into()).ok()?;
        crate::json::from_js(namespaces).ok()
    }

    /// Lets the runtime's garbage collector run if enough was allocated (the
    /// reference runtime's `jank_gc_maybe`; a runtime without one is left
    /// alone). Call it only from a task of its own, when no wasm frame is live.
    pub(crate) fn collect_garbage_if_due(&self) {
        if let Some(maybe_collect) = self.module.export("jank_gc_maybe") {
            if let Err(e) = maybe_collect.call0(&wasm_bindgen::JsValue::NULL) {
                web_sys::console::warn_1(&e);
            }
        }
    }

    /// The collector's figures (`jank_gc_stats`), if the runtime has one.
    pub(crate) fn gc_stats(&self) -> Option<wasm_bindgen::JsValue> {
        if !self.module.has_export("jank_gc_stats") {
            return None;
        }
        let json = self
            .module
            .call_for_string("jank_gc_stats", &[])
            .ok()
            .flatten()?;
        crate::json::parse(&json).ok()
    }

    /// The runtime's `jank_hot_reload_get_stats`, parsed.
    pub(crate) fn runtime_stats(&self) -> Option<wasm_bindgen::JsValue> {
        let json = self
            .module
            .call_for_string("jank_hot_reload_get_stats", &[])
            .ok()
            .flatten()?;
        crate::json::parse(&json).ok()
    }
}

/// Keeps a file name safe whatever the server put in the header.
fn sanitize(entry: &str) -> String {
    entry
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(64)
        .collect()
}
