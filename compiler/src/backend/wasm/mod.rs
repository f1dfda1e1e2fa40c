//! Codegen: a [`Unit`] straight to an Emscripten side module, with no C
//! compiler or linker in the loop.
//!
//! The module has the shape `wasm-ld -shared` gives the C backend's output,
//! and that Emscripten's `loadWebAssemblyModule` expects:
//! - a `dylink.0` section first, with the memory and table the module needs;
//! - imports of `env.memory`, `env.__indirect_function_table`,
//!   `env.__memory_base`, `env.__table_base`, `env.__stack_pointer` and the
//!   helpers (resolved against the main module's exports);
//! - one data segment at `__memory_base` holding every string and the symbol
//!   table, and one element segment at `__table_base` holding every function
//!   the runtime calls through a pointer;
//! - the entry `jank_patch_symbols_<id>` (also exported as
//!   `jank_patch_symbols`), which fills in the symbol table's pointers when
//!   called, so no data relocations are needed;
//! - when a defn's arglists ride in the patch, `jank_patch_meta`, which
//!   returns them as EDN (`backend::patch_meta`).
//!
//! Every value is an `i32` pointer to a runtime object. Argument arrays live in
//! a frame on Emscripten's shadow stack (`__stack_pointer`), so calls are
//! re-entrant; a frame left behind by an exception is restored by the catcher,
//! as for C. Each expression's value goes into a fresh local; loops and `recur`
//! are a wasm `loop` and a `br` to it.
//!
//! It generates what the C backend does, form for form (`backend::c` is the
//! reference it is tested against), and checks every module with
//! `wasmparser` before returning it.

mod spills;
mod stand_ins;

use std::collections::HashMap;
use std::sync::Arc;

use wasm_encoder::{
    BlockType, CodeSection, ConstExpr, CustomSection, DataSection, ElementSection, Elements,
    EntityType, ExportKind, ExportSection, Function, FunctionSection, GlobalType, ImportSection,
    Instruction, MemArg, MemoryType, Module, RefType, Section, TableType, TypeSection, ValType,
};

use crate::ast::{Const, Expr, FnExpr, LocalId, Unit};
use crate::backend::c::EVAL_NS;
use crate::form::{Form, FormKind};

/// One patch, ready to load.
#[derive(Debug, Clone)]
pub struct WasmPatch {
    pub wasm: Vec<u8>,
    /// `jank_patch_symbols_<hash>`, the hash of everything else in the
    /// module: a different module never reuses a loaded one's entry name.
    pub entry_symbol: String,
    /// `(qualified name, signature)` of every symbol-table entry.
    pub symbols: Vec<(String, String)>,
    /// The zero-arity var the page runs for the unit's value, if any.
    pub run_var: Option<String>,
}

/// The runtime helpers a patch may call, in import order (their function
/// indices), with their parameter types; each returns an `i32`.
const HELPERS: &[(&str, &[ValType])] = &[
    ("jank_box_integer", &[ValType::I64]),
    ("jank_box_double", &[ValType::F64]),
    ("jank_make_string", &[ValType::I32]),
    ("jank_make_keyword", &[ValType::I32, ValType::I32]),
    ("jank_make_symbol", &[ValType::I32, ValType::I32]),
    ("jank_make_vector", &[ValType::I32, ValType::I32]),
    ("jank_make_set", &[ValType::I32, ValType::I32]),
    ("jank_make_list", &[ValType::I32, ValType::I32]),
    ("jank_make_map", &[ValType::I32, ValType::I32]),
    ("jank_nil_value", &[]),
    ("jank_truthy", &[ValType::I32]),
    (
        "jank_call_var",
        &[ValType::I32, ValType::I32, ValType::I32, ValType::I32],
    ),
    ("jank_deref_var", &[ValType::I32, ValType::I32]),
    ("jank_make_fn_wrapper", &[ValType::I32, ValType::I32]),
    ("jank_call", &[ValType::I32, ValType::I32, ValType::I32]),
    (
        "jank_make_closure",
        &[ValType::I32, ValType::I32, ValType::I32],
    ),
    (
        "jank_fn_add_arity",
        &[ValType::I32, ValType::I32, ValType::I32],
    ),
    ("jank_make_char", &[ValType::I32]),
    ("jank_make_boolean", &[ValType::I32]),
    ("jank_var", &[ValType::I32, ValType::I32]),
    (
        "jank_set_var_root",
        &[ValType::I32, ValType::I32, ValType::I32],
    ),
    ("jank_throw", &[ValType::I32]),
    ("jank_try", &[ValType::I32, ValType::I32, ValType::I32]),
    (jank_hot_reload_protocol::capabilities::LOOP_TICK, &[]),
    (
        jank_hot_reload_protocol::capabilities::GC_ADD_ROOT,
        &[ValType::I32],
    ),
    (
        jank_hot_reload_protocol::capabilities::CORE_OP,
        &[ValType::I32, ValType::I32, ValType::I32],
    ),
    (
        jank_hot_reload_protocol::capabilities::CORE_DEREF,
        &[ValType::I32],
    ),
    (jank_hot_reload_protocol::capabilities::SAFEPOINT, &[]),
    (
        jank_hot_reload_protocol::capabilities::SAFE_CALL,
        &[ValType::I32, ValType::I32, ValType::I32],
    ),
    (
        jank_hot_reload_protocol::capabilities::SAFE_TRY,
        &[ValType::I32, ValType::I32, ValType::I32],
    ),
];

/// The safe helper a patch calls in place of `name` when the page collects
/// inside calls (`Unit::safepoints`).
fn safe_form(name: &'static str) -> &'static str {
    use jank_hot_reload_protocol::capabilities::{LOOP_TICK, SAFEPOINT, SAFE_CALL, SAFE_TRY};
    match name {
        "jank_call" => SAFE_CALL,
        "jank_try" => SAFE_TRY,
        LOOP_TICK => SAFEPOINT,
        other => other,
    }
}

/// Global indices of the imported globals.
const MEMORY_BASE: u32 = 0;
const TABLE_BASE: u32 = 1;
const STACK_POINTER: u32 = 2;

/// Why a module could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WasmError(pub String);

impl std::fmt::Display for WasmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the wasm backend: {}", self.0)
    }
}

pub(crate) use stand_ins::{call_args_through_apply, parts_of as stand_in_parts};

/// `stand_ins`: helpers the page lacks that the patch builds itself
/// ([`stand_ins`]), as the target pass chose them.
///
/// `direct_vars`: the page has `jank_var` and `jank_call` of its own, so each
/// var a patch calls is resolved once and kept (see [`Gen::resolved_var`]).
pub fn generate(
    unit: &Unit,
    eval_name: &str,
    stand_ins: &[&'static str],
    direct_vars: bool,
) -> Result<WasmPatch, WasmError> {
    // Only the helpers the code calls are imported: a page that lacks the
    // others loads it, and instantiation has fewer imports to resolve.
    let mut needed = crate::target::helpers_of(unit);
    for stand_in in stand_ins {
        needed.extend(stand_in_parts(stand_in).unwrap_or_default());
    }
    if direct_vars && needed.contains(&"jank_call_var") {
        needed.extend(["jank_var", "jank_call"]);
    }
    let safepoints = unit.safepoints && stand_ins.is_empty();
    if safepoints {
        for helper in &mut needed {
            *helper = safe_form(helper);
        }
    }
    let imported = jank_hot_reload_protocol::capabilities::HELPERS
        .iter()
        .copied()
        .chain([
            jank_hot_reload_protocol::capabilities::LOOP_TICK,
            jank_hot_reload_protocol::capabilities::GC_ADD_ROOT,
            jank_hot_reload_protocol::capabilities::CORE_OP,
            jank_hot_reload_protocol::capabilities::CORE_DEREF,
            jank_hot_reload_protocol::capabilities::SAFEPOINT,
            jank_hot_reload_protocol::capabilities::SAFE_CALL,
            jank_hot_reload_protocol::capabilities::SAFE_TRY,
        ])
        .filter(|h| needed.contains(h) && !stand_ins.contains(h))
        .collect();
    let mut gen = Gen {
        imported,
        safepoints,
        direct_vars,
        stand_ins: stand_ins.to_vec(),
        ..Gen::default()
    };
    let mut table: Vec<(String, String, u32)> = Vec::new();
    for defn in &unit.defns {
        let qualified = format!("{}/{}", defn.ns, defn.name);
        for (func, signature) in gen.function(&defn.fun) {
            table.push((qualified.clone(), signature, func));
        }
    }
    let run_var = if unit.run.is_empty() {
        None
    } else {
        let func = gen.declare(0, false);
        let mut b = Body::new(0);
        let mut value = None;
        for expr in &unit.run {
            value = Some(gen.emit(&mut b, expr));
        }
        let value = match value {
            Some(v) => v,
            None => b.zero(),
        };
        gen.finish(func, b, value);
        let qualified = format!("{EVAL_NS}/{eval_name}");
        table.push((qualified.clone(), "0".into(), func));
        Some(qualified)
    };
    // `jank_patch_meta`: the arglists no code sets, as a string in the data segment.
    let meta_fn = super::patch_meta(unit).map(|meta| {
        let func = gen.declare(0, false);
        let mut b = Body::new(0);
        gen.push_string(&mut b, &meta);
        let text = b.new_local();
        b.op(Instruction::LocalSet(text));
        gen.finish(func, b, text);
        func
    });
    let (wasm, entry_symbol) = gen.module(&table, meta_fn);
    if let Some(helper) = gen.missing {
        return Err(WasmError(format!(
            "the code calls {helper}, which the target pass did not list (a compiler bug)"
        )));
    }
    wasmparser::Validator::new()
        .validate_all(&wasm)
        .map_err(|e| WasmError(format!("generated an invalid module: {e}")))?;
    Ok(WasmPatch {
        wasm,
        entry_symbol,
        symbols: table.into_iter().map(|(n, s, _)| (n, s)).collect(),
        run_var,
    })
}

/// The instructions of one function under construction.
struct Body {
    code: Vec<Instruction<'static>>,
    /// Parameters, then locals: all i32.
    params: u32,
    locals: u32,
    /// The frame pointer's local (its value is the function's frame).
    frame: u32,
    /// The largest argument array any call here needs, in slots.
    frame_slots: u32,
    /// Enclosing control frames, innermost last: `Some(vars)` for a loop that
    /// `recur` may target.
    labels: Vec<Option<Vec<u32>>>,
    /// Whether this function takes an environment first.
    env: bool,
    locals_of: HashMap<LocalId, u32>,
}

impl Body {
    fn new(params: u32) -> Self {
        Self {
            code: Vec::new(),
            params,
            locals: 1, // the frame pointer
            frame: params,
            frame_slots: 0,
            labels: Vec::new(),
            env: false,
            locals_of: HashMap::new(),
        }
    }

    fn op(&mut self, i: Instruction<'static>) {
        self.code.push(i);
    }

    fn new_local(&mut self) -> u32 {
        self.locals += 1;
        self.params + self.locals - 1
    }

    /// A local holding 0 (a null pointer): a value for code that never returns.
    fn zero(&mut self) -> u32 {
        let t = self.new_local();
        self.op(Instruction::I32Const(0));
        self.op(Instruction::LocalSet(t));
        t
    }

    fn local_of(&mut self, id: LocalId) -> u32 {
        if let Some(l) = self.locals_of.get(&id) {
            return *l;
        }
        let l = self.new_local();
        self.locals_of.insert(id, l);
        l
    }
}

#[derive(Default)]
struct Gen {
    /// Every defined function, by index among the defined ones.
    funcs: Vec<Option<(u32, Function)>>,
    /// Parameter count of each defined function (its type).
    arities: Vec<u32>,
    /// Each defined function's table slot.
    slots: Vec<u32>,
    data: Vec<u8>,
    strings: HashMap<String, u32>,
    /// The helpers imported, in import order (their function indices).
    imported: Vec<&'static str>,
    /// Whether the page may collect inside a call (`Unit::safepoints`): every
    /// function keeps each local in its shadow-stack frame, and calls the
    /// safe helpers.
    safepoints: bool,
    /// Helpers the patch defines itself (stand_ins.rs), and the defined
    /// function of each once built.
    stand_ins: Vec<&'static str>,
    built_stand_ins: HashMap<&'static str, u32>,
    /// A helper the code called that is not imported.
    missing: Option<String>,
    /// Whether a var call goes through a slot that keeps the resolved var
    /// (`jank_var` once, then `jank_call`), instead of `jank_call_var`
    /// finding the var by its name on every call.
    direct_vars: bool,
    /// Each var's slot in the data segment, by namespace and name.
    var_slots: HashMap<(String, String), u32>,
    /// The slot of each constant equal ones share (`target::shared_constant_key`).
    constant_slots: HashMap<String, u32>,
}

fn arity_code(fixed: usize, variadic: bool) -> i32 {
    if variadic {
        -(fixed as i32) - 1
    } else {
        fixed as i32
    }
}

/// A helper's result types: the collector's root registration returns
/// nothing, every other helper a value.
fn results_of(name: &str) -> &'static [ValType] {
    if name == jank_hot_reload_protocol::capabilities::GC_ADD_ROOT {
        &[]
    } else {
        &[ValType::I32]
    }
}

/// A helper's parameter types.
fn params_of(name: &str) -> &'static [ValType] {
    HELPERS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, params)| *params)
        .unwrap_or_else(|| unreachable!("unknown helper {name}"))
}

fn mem(offset: u64) -> MemArg {
    MemArg {
        offset,
        align: 2,
        memory_index: 0,
    }
}

impl Gen {
    /// Reserves a function (and its table slot); the body comes with `finish`.
    fn declare(&mut self, params: u32, _variadic: bool) -> u32 {
        self.funcs.push(None);
        self.arities.push(params);
        self.slots.push(self.slots.len() as u32);
        (self.funcs.len() - 1) as u32
    }

    /// The function index of a defined function (imports come first).
    fn index(&self, func: u32) -> u32 {
        self.imported.len() as u32 + func
    }

    /// The function index of an imported helper, or of its stand-in (or of
    /// its safe form, when the page collects inside calls).
    fn helper(&mut self, name: &'static str) -> u32 {
        let name = if self.safepoints {
            safe_form(name)
        } else {
            name
        };
        if let Some(stand_in) = self.stand_ins.iter().copied().find(|n| *n == name) {
            let func = self.stand_in(stand_in);
            return self.index(func);
        }
        match self.imported.iter().position(|n| *n == name) {
            Some(i) => i as u32,
            None => {
                self.missing.get_or_insert_with(|| name.to_owned());
                0
            }
        }
    }

    /// A NUL-terminated string in the data segment; its offset from `__memory_base`.
    fn string(&mut self, s: &str) -> u32 {
        if let Some(offset) = self.strings.get(s) {
            return *offset;
        }
        let offset = self.data.len() as u32;
        self.data.extend_from_slice(s.as_bytes());
        self.data.push(0);
        self.strings.insert(s.to_owned(), offset);
        offset
    }

    fn push_string(&mut self, b: &mut Body, s: &str) {
        let offset = self.string(s);
        b.op(Instruction::GlobalGet(MEMORY_BASE));
        b.op(Instruction::I32Const(offset as i32));
        b.op(Instruction::I32Add);
    }

    /// Calls a helper whose arguments are on the stack; returns the result's local.
    fn call_helper(&mut self, b: &mut Body, name: &'static str) -> u32 {
        let f = self.helper(name);
        b.op(Instruction::Call(f));
        let t = b.new_local();
        b.op(Instruction::LocalSet(t));
        t
    }

    /// Writes values into the frame's argument array and pushes its address
    /// (0 for none).
    fn push_args(&mut self, b: &mut Body, values: &[u32]) {
        if values.is_empty() {
            b.op(Instruction::I32Const(0));
            return;
        }
        b.frame_slots = b.frame_slots.max(values.len() as u32);
        for (i, v) in values.iter().enumerate() {
            b.op(Instruction::LocalGet(b.frame));
            b.op(Instruction::LocalGet(*v));
            b.op(Instruction::I32Store(mem(4 * i as u64)));
        }
        b.op(Instruction::LocalGet(b.frame));
    }

    fn call_var(&mut self, b: &mut Body, ns: &str, name: &str, values: &[u32]) -> u32 {
        if self.direct_vars {
            let var = self.resolved_var(b, ns, name);
            b.op(Instruction::LocalGet(var));
            b.op(Instruction::I32Const(values.len() as i32));
            self.push_args(b, values);
            return self.call_helper(b, "jank_call");
        }
        self.push_string(b, ns);
        self.push_string(b, name);
        b.op(Instruction::I32Const(values.len() as i32));
        self.push_args(b, values);
        self.call_helper(b, "jank_call_var")
    }

    /// The var `ns/name`, from its slot in the data segment; the first call
    /// resolves it with `jank_var` and fills the slot. A var is never freed,
    /// and a redefinition sets the same var's root, so the slot stays right
    /// for the patch's life, as a compiled Clojure fn holds its vars. Calling
    /// it then costs no lookup by name (which was a third of a tight loop).
    fn resolved_var(&mut self, b: &mut Body, ns: &str, name: &str) -> u32 {
        let slot = self.var_slot(ns, name);
        let var = b.new_local();
        b.op(Instruction::GlobalGet(MEMORY_BASE));
        b.op(Instruction::I32Load(mem(u64::from(slot))));
        b.op(Instruction::LocalTee(var));
        b.op(Instruction::I32Eqz);
        b.op(Instruction::If(BlockType::Empty));
        b.labels.push(None);
        self.push_string(b, ns);
        self.push_string(b, name);
        let resolve = self.helper("jank_var");
        b.op(Instruction::Call(resolve));
        b.op(Instruction::LocalSet(var));
        b.op(Instruction::GlobalGet(MEMORY_BASE));
        b.op(Instruction::LocalGet(var));
        b.op(Instruction::I32Store(mem(u64::from(slot))));
        b.labels.pop();
        b.op(Instruction::End);
        var
    }

    /// The slot in the data segment for the var `ns/name`.
    fn var_slot(&mut self, ns: &str, name: &str) -> u32 {
        let key = (ns.to_owned(), name.to_owned());
        if let Some(slot) = self.var_slots.get(&key) {
            return *slot;
        }
        let slot = self.new_slot();
        self.var_slots.insert(key, slot);
        slot
    }

    /// A zeroed, 4-byte aligned slot in the data segment.
    fn new_slot(&mut self) -> u32 {
        while !self.data.len().is_multiple_of(4) {
            self.data.push(0);
        }
        let slot = self.data.len() as u32;
        self.data.extend_from_slice(&[0; 4]);
        slot
    }

    /// A constant from its slot (`Unit::cached_constants`); the first use
    /// builds it with `build`, fills the slot and registers the slot as a
    /// root of the collector. Equal constants under one `key` share a slot.
    fn cached(
        &mut self,
        b: &mut Body,
        key: Option<String>,
        build: impl FnOnce(&mut Self, &mut Body) -> u32,
    ) -> u32 {
        let slot = match key {
            Some(key) => match self.constant_slots.get(&key) {
                Some(slot) => *slot,
                None => {
                    let slot = self.new_slot();
                    self.constant_slots.insert(key, slot);
                    slot
                }
            },
            None => self.new_slot(),
        };
        let value = b.new_local();
        b.op(Instruction::GlobalGet(MEMORY_BASE));
        b.op(Instruction::I32Load(mem(u64::from(slot))));
        b.op(Instruction::LocalTee(value));
        b.op(Instruction::I32Eqz);
        b.op(Instruction::If(BlockType::Empty));
        b.labels.push(None);
        let built = build(self, b);
        b.op(Instruction::LocalGet(built));
        b.op(Instruction::LocalSet(value));
        b.op(Instruction::GlobalGet(MEMORY_BASE));
        b.op(Instruction::LocalGet(value));
        b.op(Instruction::I32Store(mem(u64::from(slot))));
        b.op(Instruction::GlobalGet(MEMORY_BASE));
        b.op(Instruction::I32Const(slot as i32));
        b.op(Instruction::I32Add);
        let add_root = self.helper(jank_hot_reload_protocol::capabilities::GC_ADD_ROOT);
        b.op(Instruction::Call(add_root));
        b.labels.pop();
        b.op(Instruction::End);
        value
    }

    /// Whether clojure.core's arithmetic goes to the page's core op.
    fn calls_core_ops(&self) -> bool {
        self.imported
            .contains(&jank_hot_reload_protocol::capabilities::CORE_OP)
    }

    /// Whether clojure.core's one-argument deref goes to the page's core deref.
    fn calls_core_deref(&self) -> bool {
        self.imported
            .contains(&jank_hot_reload_protocol::capabilities::CORE_DEREF)
    }

    /// Whether constants are built once and kept (the page has the root
    /// registration, and the unit builds one).
    fn caches_constants(&self) -> bool {
        self.imported
            .contains(&jank_hot_reload_protocol::capabilities::GC_ADD_ROOT)
    }

    /// Emits the functions of every arity of `fun`; returns them and their signatures.
    fn function(&mut self, fun: &FnExpr) -> Vec<(u32, String)> {
        let env = !fun.captures.is_empty();
        let mut declared = Vec::new();
        for arity in &fun.arities {
            let params = arity.params.len() + usize::from(arity.rest.is_some()) + usize::from(env);
            let func = self.declare(params as u32, arity.rest.is_some());
            declared.push(func);
        }
        let mut out = Vec::new();
        for (arity, func) in fun.arities.iter().zip(declared) {
            let mut ids: Vec<LocalId> = arity.params.clone();
            if let Some(rest) = arity.rest {
                ids.push(rest);
            }
            let first_param = u32::from(env);
            let mut b = Body::new(ids.len() as u32 + first_param);
            b.env = env;
            for (i, id) in ids.iter().enumerate() {
                b.locals_of.insert(*id, first_param + i as u32);
            }
            for (i, captured) in fun.captures.iter().enumerate() {
                b.op(Instruction::I64Const(i as i64));
                let index = self.call_helper(&mut b, "jank_box_integer");
                let env_local = b.new_local();
                b.op(Instruction::LocalGet(0));
                b.op(Instruction::LocalSet(env_local));
                let value = self.call_var(&mut b, "clojure.core", "nth", &[env_local, index]);
                let l = b.local_of(*captured);
                b.op(Instruction::LocalGet(value));
                b.op(Instruction::LocalSet(l));
            }
            // The body is a loop: `recur` to the fn head reassigns the
            // parameters and goes round again.
            let vars: Vec<u32> = (0..ids.len() as u32).map(|i| first_param + i).collect();
            let result = b.new_local();
            b.op(Instruction::Loop(BlockType::Empty));
            b.labels.push(Some(vars));
            let value = self.emit(&mut b, &arity.body);
            b.labels.pop();
            b.op(Instruction::LocalGet(value));
            b.op(Instruction::LocalSet(result));
            b.op(Instruction::End);
            self.finish(func, b, result);
            let signature = if arity.rest.is_some() {
                format!("{}+", arity.params.len())
            } else {
                arity.params.len().to_string()
            };
            out.push((func, signature));
        }
        out
    }

    /// The function indices of the helpers where the page may collect.
    fn safe_calls(&self) -> Vec<u32> {
        use jank_hot_reload_protocol::capabilities::{SAFEPOINT, SAFE_CALL, SAFE_TRY};
        if !self.safepoints {
            return Vec::new();
        }
        self.imported
            .iter()
            .enumerate()
            .filter(|(_, name)| [SAFEPOINT, SAFE_CALL, SAFE_TRY].contains(name))
            .map(|(i, _)| i as u32)
            .collect()
    }

    /// Wraps the body with the frame's allocation and release, and stores it.
    ///
    /// When the page may collect during one of the body's calls, each local
    /// whose value such a call may outlive ([`spills`]) also lives in the
    /// frame, after the argument array: each write to it writes its slot
    /// too, and a parameter is stored on entry. The collector scans the
    /// shadow stack for them, since it cannot see wasm locals; a slot not
    /// yet written holds an older frame's word, which at worst keeps an
    /// object one collection longer.
    fn finish(&mut self, func: u32, b: Body, result: u32) {
        let safe = self.safe_calls();
        let in_frame = spills::spilled_locals(&b.code, b.params, b.locals, |f| safe.contains(&f));
        let spilled = in_frame.iter().any(|s| *s);
        let in_frame = |local: u32| in_frame.get(local as usize).copied().unwrap_or(false);
        let slots_at = b.frame_slots * 4;
        let slot = |local: u32| u64::from(slots_at + 4 * local);
        let spill_slots = if spilled { b.params + b.locals } else { 0 };
        let frame_bytes = ((b.frame_slots + spill_slots) * 4).div_ceil(16) * 16;
        let mut f = Function::new([(b.locals, ValType::I32)]);
        let spill = |f: &mut Function, local: u32| {
            f.instruction(&Instruction::LocalGet(b.frame));
            f.instruction(&Instruction::LocalGet(local));
            f.instruction(&Instruction::I32Store(mem(slot(local))));
        };
        if frame_bytes > 0 {
            f.instruction(&Instruction::GlobalGet(STACK_POINTER));
            f.instruction(&Instruction::I32Const(frame_bytes as i32));
            f.instruction(&Instruction::I32Sub);
            f.instruction(&Instruction::LocalTee(b.frame));
            f.instruction(&Instruction::GlobalSet(STACK_POINTER));
        }
        for param in (0..b.params).filter(|p| in_frame(*p)) {
            spill(&mut f, param);
        }
        for i in &b.code {
            f.instruction(i);
            match i {
                Instruction::LocalSet(l) | Instruction::LocalTee(l)
                    if *l != b.frame && in_frame(*l) =>
                {
                    spill(&mut f, *l)
                }
                _ => {}
            }
        }
        if frame_bytes > 0 {
            f.instruction(&Instruction::LocalGet(b.frame));
            f.instruction(&Instruction::I32Const(frame_bytes as i32));
            f.instruction(&Instruction::I32Add);
            f.instruction(&Instruction::GlobalSet(STACK_POINTER));
        }
        f.instruction(&Instruction::LocalGet(result));
        f.instruction(&Instruction::End);
        self.funcs[func as usize] = Some((b.params, f));
    }

    /// Emits code computing `expr`; returns the local holding its value.
    fn emit(&mut self, b: &mut Body, expr: &Expr) -> u32 {
        match expr {
            Expr::Const(c) if self.caches_constants() && crate::target::is_cached_const(c) => {
                let key = crate::target::shared_constant_key(c);
                self.cached(b, key, |gen, b| gen.constant(b, c))
            }
            Expr::Const(c) => self.constant(b, c),
            Expr::Quote(form)
                if self.caches_constants() && crate::target::is_cached_quote(form) =>
            {
                self.cached(b, None, |gen, b| gen.quote(b, form))
            }
            Expr::Quote(form) => self.quote(b, form),
            Expr::Local(id) => {
                // Copied, so a later `recur` that reassigns the local cannot
                // change a value already taken.
                let l = b.local_of(*id);
                let t = b.new_local();
                b.op(Instruction::LocalGet(l));
                b.op(Instruction::LocalSet(t));
                t
            }
            Expr::Var { ns, name } => {
                self.push_string(b, ns);
                self.push_string(b, name);
                self.call_helper(b, "jank_deref_var")
            }
            Expr::TheVar { ns, name } => {
                self.push_string(b, ns);
                self.push_string(b, name);
                self.call_helper(b, "jank_var")
            }
            Expr::VarCall { ns, name, args } => {
                let values = self.emit_all(b, args);
                let core_op = crate::target::core_op(ns, name, values.len());
                match core_op.filter(|_| self.calls_core_ops()) {
                    Some(op) => {
                        // (+ a b), (inc a) and the like, as Clojure inlines them.
                        b.op(Instruction::I32Const(op));
                        b.op(Instruction::LocalGet(values[0]));
                        match values.get(1) {
                            Some(second) => b.op(Instruction::LocalGet(*second)),
                            None => b.op(Instruction::I32Const(0)),
                        }
                        self.call_helper(b, jank_hot_reload_protocol::capabilities::CORE_OP)
                    }
                    None if self.calls_core_deref()
                        && crate::target::is_core_deref(ns, name, values.len()) =>
                    {
                        b.op(Instruction::LocalGet(values[0]));
                        self.call_helper(b, jank_hot_reload_protocol::capabilities::CORE_DEREF)
                    }
                    None => self.call_var(b, ns, name, &values),
                }
            }
            Expr::Call { callee, args } => {
                let f = self.emit(b, callee);
                let values = self.emit_all(b, args);
                b.op(Instruction::LocalGet(f));
                b.op(Instruction::I32Const(values.len() as i32));
                self.push_args(b, &values);
                self.call_helper(b, "jank_call")
            }
            Expr::If {
                cond,
                then,
                otherwise,
            } => {
                let c = self.emit(b, cond);
                let t = b.new_local();
                b.op(Instruction::LocalGet(c));
                let f = self.helper("jank_truthy");
                b.op(Instruction::Call(f));
                b.op(Instruction::If(BlockType::Empty));
                b.labels.push(None);
                let v = self.emit(b, then);
                b.op(Instruction::LocalGet(v));
                b.op(Instruction::LocalSet(t));
                b.op(Instruction::Else);
                let v = self.emit(b, otherwise);
                b.op(Instruction::LocalGet(v));
                b.op(Instruction::LocalSet(t));
                b.labels.pop();
                b.op(Instruction::End);
                t
            }
            Expr::Do(exprs) => {
                let mut value = None;
                for e in exprs {
                    value = Some(self.emit(b, e));
                }
                match value {
                    Some(v) => v,
                    None => self.constant(b, &Const::Nil),
                }
            }
            Expr::Let { bindings, body } => {
                for (id, value) in bindings {
                    let v = self.emit(b, value);
                    let l = b.local_of(*id);
                    b.op(Instruction::LocalGet(v));
                    b.op(Instruction::LocalSet(l));
                }
                self.emit(b, body)
            }
            Expr::Loop { bindings, body } => {
                let mut vars = Vec::new();
                for (id, value) in bindings {
                    let v = self.emit(b, value);
                    let l = b.local_of(*id);
                    b.op(Instruction::LocalGet(v));
                    b.op(Instruction::LocalSet(l));
                    vars.push(l);
                }
                let t = b.new_local();
                b.op(Instruction::Loop(BlockType::Empty));
                b.labels.push(Some(vars));
                let v = self.emit(b, body);
                b.labels.pop();
                b.op(Instruction::LocalGet(v));
                b.op(Instruction::LocalSet(t));
                b.op(Instruction::End);
                t
            }
            Expr::Recur { args } => {
                let ticks = crate::target::recur_ticks(args);
                let values = self.emit_all(b, args);
                let Some(depth) = b.labels.iter().rev().position(Option::is_some) else {
                    unreachable!("recur outside a loop got past the analyzer")
                };
                let vars = b.labels[b.labels.len() - 1 - depth]
                    .clone()
                    .unwrap_or_default();
                for (var, value) in vars.iter().zip(values) {
                    b.op(Instruction::LocalGet(value));
                    b.op(Instruction::LocalSet(*var));
                }
                // The page's time limit sees loops that call nothing else.
                let tick = jank_hot_reload_protocol::capabilities::LOOP_TICK;
                let tick = if self.safepoints {
                    safe_form(tick)
                } else {
                    tick
                };
                if ticks && self.imported.contains(&tick) {
                    let f = self.helper(tick);
                    b.op(Instruction::Call(f));
                    b.op(Instruction::Drop);
                }
                b.op(Instruction::Br(depth as u32));
                b.zero()
            }
            Expr::Fn(fun) => self.fn_value(b, fun),
            Expr::Vector(items) => self.collection(b, "jank_make_vector", items),
            Expr::Map(items) => self.collection(b, "jank_make_map", items),
            Expr::Set(items) => self.collection(b, "jank_make_set", items),
            Expr::Def {
                ns,
                name,
                init: Some(init),
                meta,
            } => {
                let v = self.emit(b, init);
                self.push_string(b, ns);
                self.push_string(b, name);
                b.op(Instruction::LocalGet(v));
                let var = self.call_helper(b, "jank_set_var_root");
                self.set_var_meta(b, var, meta.as_deref());
                var
            }
            Expr::Def {
                ns,
                name,
                init: None,
                meta,
            } => {
                let ns_sym = self.symbol(b, "", ns);
                let name_sym = self.symbol(b, "", name);
                let var = self.call_var(b, "clojure.core", "intern", &[ns_sym, name_sym]);
                self.set_var_meta(b, var, meta.as_deref());
                var
            }
            Expr::Throw(value) => {
                let v = self.emit(b, value);
                b.op(Instruction::LocalGet(v));
                let f = self.helper("jank_throw");
                b.op(Instruction::Call(f));
                b.op(Instruction::Drop);
                b.op(Instruction::Unreachable);
                b.zero()
            }
            Expr::Try {
                body,
                handler,
                finally,
            } => {
                let body = self.emit(b, body);
                let handler = match handler {
                    Some(h) => self.emit(b, h),
                    None => b.zero(),
                };
                let finally = match finally {
                    Some(f) => self.emit(b, f),
                    None => b.zero(),
                };
                for v in [body, handler, finally] {
                    b.op(Instruction::LocalGet(v));
                }
                self.call_helper(b, "jank_try")
            }
            Expr::Case {
                test,
                clauses,
                default,
            } => {
                let value = self.emit(b, test);
                let t = b.new_local();
                self.case_clauses(b, value, t, clauses, default);
                t
            }
        }
    }

    /// `(reset-meta! var meta)` after a def that has metadata.
    fn set_var_meta(&mut self, b: &mut Body, var: u32, meta: Option<&Expr>) {
        if let Some(meta) = meta {
            let m = self.emit(b, meta);
            let _ = self.call_var(b, "clojure.core", "reset-meta!", &[var, m]);
        }
    }

    /// `if (value = any constant) { then } else { the next clause }`, nested.
    fn case_clauses(
        &mut self,
        b: &mut Body,
        value: u32,
        target: u32,
        clauses: &[(Vec<Form>, Expr)],
        default: &Expr,
    ) {
        let Some(((constants, then), rest)) = clauses.split_first() else {
            let v = self.emit(b, default);
            b.op(Instruction::LocalGet(v));
            b.op(Instruction::LocalSet(target));
            return;
        };
        let matched = b.new_local();
        b.op(Instruction::I32Const(0));
        b.op(Instruction::LocalSet(matched));
        for constant in constants {
            let k = self.quote(b, constant);
            let same = self.call_var(b, "clojure.core", "=", &[value, k]);
            b.op(Instruction::LocalGet(matched));
            b.op(Instruction::LocalGet(same));
            let f = self.helper("jank_truthy");
            b.op(Instruction::Call(f));
            b.op(Instruction::I32Or);
            b.op(Instruction::LocalSet(matched));
        }
        b.op(Instruction::LocalGet(matched));
        b.op(Instruction::If(BlockType::Empty));
        b.labels.push(None);
        let v = self.emit(b, then);
        b.op(Instruction::LocalGet(v));
        b.op(Instruction::LocalSet(target));
        b.op(Instruction::Else);
        self.case_clauses(b, value, target, rest, default);
        b.labels.pop();
        b.op(Instruction::End);
    }

    fn emit_all(&mut self, b: &mut Body, exprs: &[Expr]) -> Vec<u32> {
        exprs.iter().map(|e| self.emit(b, e)).collect()
    }

    fn collection(&mut self, b: &mut Body, make: &'static str, items: &[Expr]) -> u32 {
        let values = self.emit_all(b, items);
        self.make_collection(b, make, &values)
    }

    fn make_collection(&mut self, b: &mut Body, make: &'static str, values: &[u32]) -> u32 {
        b.op(Instruction::I32Const(values.len() as i32));
        self.push_args(b, values);
        self.call_helper(b, make)
    }

    fn push_fn_pointer(&mut self, b: &mut Body, func: u32) {
        b.op(Instruction::GlobalGet(TABLE_BASE));
        b.op(Instruction::I32Const(self.slots[func as usize] as i32));
        b.op(Instruction::I32Add);
    }

    fn fn_value(&mut self, b: &mut Body, fun: &Arc<FnExpr>) -> u32 {
        let arities = self.function(fun);
        let mut value = None;
        for ((func, _), arity) in arities.iter().zip(&fun.arities) {
            let code = arity_code(arity.params.len(), arity.rest.is_some());
            match value {
                None if fun.captures.is_empty() => {
                    self.push_fn_pointer(b, *func);
                    b.op(Instruction::I32Const(code));
                    value = Some(self.call_helper(b, "jank_make_fn_wrapper"));
                }
                None => {
                    let captured: Vec<u32> = fun.captures.iter().map(|c| b.local_of(*c)).collect();
                    let env = self.make_collection(b, "jank_make_vector", &captured);
                    self.push_fn_pointer(b, *func);
                    b.op(Instruction::I32Const(code));
                    b.op(Instruction::LocalGet(env));
                    value = Some(self.call_helper(b, "jank_make_closure"));
                }
                Some(f) => {
                    b.op(Instruction::LocalGet(f));
                    self.push_fn_pointer(b, *func);
                    b.op(Instruction::I32Const(code));
                    let f = self.helper("jank_fn_add_arity");
                    b.op(Instruction::Call(f));
                    b.op(Instruction::Drop);
                }
            }
        }
        match value {
            Some(v) => v,
            None => self.constant(b, &Const::Nil),
        }
    }

    fn symbol(&mut self, b: &mut Body, ns: &str, name: &str) -> u32 {
        self.push_string(b, ns);
        self.push_string(b, name);
        self.call_helper(b, "jank_make_symbol")
    }

    fn constant(&mut self, b: &mut Body, c: &Const) -> u32 {
        match c {
            Const::Nil => self.call_helper(b, "jank_nil_value"),
            Const::Bool(v) => {
                b.op(Instruction::I32Const(i32::from(*v)));
                self.call_helper(b, "jank_make_boolean")
            }
            Const::Int(v) => {
                b.op(Instruction::I64Const(*v));
                self.call_helper(b, "jank_box_integer")
            }
            Const::Float(v) => {
                b.op(Instruction::F64Const((*v).into()));
                self.call_helper(b, "jank_box_double")
            }
            Const::Str(s) => {
                self.push_string(b, s);
                self.call_helper(b, "jank_make_string")
            }
            Const::Char(c) => {
                b.op(Instruction::I32Const(*c as i32));
                self.call_helper(b, "jank_make_char")
            }
            Const::Keyword { ns, name } => {
                self.push_string(b, ns);
                self.push_string(b, name);
                self.call_helper(b, "jank_make_keyword")
            }
        }
    }

    fn quote(&mut self, b: &mut Body, form: &Form) -> u32 {
        let value = self.quote_bare(b, form);
        match &form.meta {
            Some(meta)
                if matches!(
                    *form.kind,
                    FormKind::List(_)
                        | FormKind::Vector(_)
                        | FormKind::Map(_)
                        | FormKind::Set(_)
                        | FormKind::Symbol { .. }
                ) =>
            {
                let m = self.quote(b, meta);
                self.call_var(b, "clojure.core", "with-meta", &[value, m])
            }
            _ => value,
        }
    }

    fn quote_bare(&mut self, b: &mut Body, form: &Form) -> u32 {
        let (make, items) = match &*form.kind {
            FormKind::Nil => return self.constant(b, &Const::Nil),
            FormKind::Bool(v) => return self.constant(b, &Const::Bool(*v)),
            FormKind::Int(v) => return self.constant(b, &Const::Int(*v)),
            FormKind::Float(v) => return self.constant(b, &Const::Float(*v)),
            FormKind::Str(v) => return self.constant(b, &Const::Str(v.clone())),
            FormKind::Char(v) => return self.constant(b, &Const::Char(*v)),
            FormKind::Keyword { ns, name, .. } => {
                return self.constant(
                    b,
                    &Const::Keyword {
                        ns: ns.clone(),
                        name: name.clone(),
                    },
                )
            }
            FormKind::Symbol { ns, name } => return self.symbol(b, ns, name),
            FormKind::Ratio(n, d) => {
                let n = self.constant(b, &Const::Int(*n));
                let d = self.constant(b, &Const::Int(*d));
                return self.call_var(b, "clojure.core", "/", &[n, d]);
            }
            FormKind::Regex(pattern) => {
                let p = self.constant(b, &Const::Str(pattern.clone()));
                return self.call_var(b, "clojure.core", "re-pattern", &[p]);
            }
            FormKind::Tagged { tag, text } => {
                let t = self.constant(b, &Const::Str(text.clone()));
                return self.call_var(b, "clojure.core", tag.maker(), &[t]);
            }
            FormKind::Class(name) => {
                let n = self.constant(b, &Const::Str(name.clone()));
                return self.call_var(b, "clojure.core", "class-named*", &[n]);
            }
            FormKind::BigInt(v) => {
                let digits = self.constant(b, &Const::Str(v.to_string()));
                return self.call_var(b, "clojure.core", "bigint", &[digits]);
            }
            FormKind::BigDecimal { unscaled, scale } => {
                let text = crate::form::decimal_text(unscaled, *scale);
                let digits = self.constant(b, &Const::Str(text));
                return self.call_var(b, "clojure.core", "bigdec", &[digits]);
            }
            // The analyzer refuses compile-time values in code; a var is the var.
            FormKind::Var { ns, name } => {
                self.push_string(b, ns);
                self.push_string(b, name);
                return self.call_helper(b, "jank_var");
            }
            FormKind::Fn(_) | FormKind::Builtin(_) | FormKind::Cell(_) | FormKind::ExInfo(_) => {
                return self.constant(b, &Const::Nil)
            }
            FormKind::List(items) => ("jank_make_list", items),
            FormKind::Vector(items) => ("jank_make_vector", items),
            FormKind::Map(items) => ("jank_make_map", items),
            FormKind::Set(items) => ("jank_make_set", items),
        };
        let values: Vec<u32> = items.iter().map(|f| self.quote(b, f)).collect();
        self.make_collection(b, make, &values)
    }

    /// The whole module, sections in the order the loader expects, and the
    /// name of its entry.
    fn module(
        &mut self,
        table: &[(String, String, u32)],
        meta_fn: Option<u32>,
    ) -> (Vec<u8>, String) {
        // The symbol table's strings, then the table itself (filled in by the entry).
        let names: Vec<(u32, u32)> = table
            .iter()
            .map(|(name, sig, _)| (self.string(name), self.string(sig)))
            .collect();
        while self.data.len() & 3 != 0 {
            self.data.push(0);
        }
        let table_offset = self.data.len() as u32;
        self.data.resize(self.data.len() + 12 * table.len(), 0);

        let entry = self.declare(1, false);
        let mut b = Body::new(1);
        for (i, ((name, sig), (_, _, func))) in names.iter().zip(table).enumerate() {
            let at = u64::from(table_offset) + 12 * i as u64;
            for (field, offset) in [(0u64, *name), (4, *sig)] {
                b.op(Instruction::GlobalGet(MEMORY_BASE));
                b.op(Instruction::GlobalGet(MEMORY_BASE));
                b.op(Instruction::I32Const(offset as i32));
                b.op(Instruction::I32Add);
                b.op(Instruction::I32Store(mem(at + field)));
            }
            b.op(Instruction::GlobalGet(MEMORY_BASE));
            self.push_fn_pointer(&mut b, *func);
            b.op(Instruction::I32Store(mem(at + 8)));
        }
        b.op(Instruction::LocalGet(0));
        b.op(Instruction::I32Const(table.len() as i32));
        b.op(Instruction::I32Store(mem(0)));
        let result = b.new_local();
        b.op(Instruction::GlobalGet(MEMORY_BASE));
        b.op(Instruction::I32Const(table_offset as i32));
        b.op(Instruction::I32Add);
        b.op(Instruction::LocalSet(result));
        self.finish(entry, b, result);

        // Types: one per parameter count, then the helpers' own.
        let mut types = TypeSection::new();
        let mut type_of_helper = Vec::new();
        for name in &self.imported {
            type_of_helper.push(types.len());
            types.ty().function(
                params_of(name).iter().copied(),
                results_of(name).iter().copied(),
            );
        }
        let mut type_of_arity: HashMap<u32, u32> = HashMap::new();
        for params in &self.arities {
            if !type_of_arity.contains_key(params) {
                type_of_arity.insert(*params, types.len());
                types.ty().function(
                    std::iter::repeat_n(ValType::I32, *params as usize),
                    [ValType::I32],
                );
            }
        }

        let mut imports = ImportSection::new();
        imports.import(
            "env",
            "memory",
            EntityType::Memory(MemoryType {
                minimum: 0,
                maximum: None,
                memory64: false,
                shared: false,
                page_size_log2: None,
            }),
        );
        imports.import(
            "env",
            "__indirect_function_table",
            EntityType::Table(TableType {
                element_type: RefType::FUNCREF,
                table64: false,
                minimum: 0,
                maximum: None,
                shared: false,
            }),
        );
        for (name, mutable) in [
            ("__memory_base", false),
            ("__table_base", false),
            ("__stack_pointer", true),
        ] {
            imports.import(
                "env",
                name,
                EntityType::Global(GlobalType {
                    val_type: ValType::I32,
                    mutable,
                    shared: false,
                }),
            );
        }
        for (name, ty) in self.imported.iter().zip(&type_of_helper) {
            imports.import("env", name, EntityType::Function(*ty));
        }

        let mut functions = FunctionSection::new();
        let mut code = CodeSection::new();
        for (i, f) in self.funcs.iter().enumerate() {
            let Some((_, body)) = f else {
                unreachable!("a declared function was never finished")
            };
            functions.function(type_of_arity[&self.arities[i]]);
            code.function(body);
        }

        let in_table: Vec<u32> = (0..self.funcs.len() as u32)
            .map(|f| self.index(f))
            .collect();
        let mut elements = ElementSection::new();
        elements.active(
            Some(0),
            &ConstExpr::global_get(TABLE_BASE),
            Elements::Functions(in_table.into()),
        );

        let mut data = DataSection::new();
        data.active(
            0,
            &ConstExpr::global_get(MEMORY_BASE),
            self.data.iter().copied(),
        );

        let dylink = CustomSection {
            name: "dylink.0".into(),
            data: dylink_mem_info(self.data.len() as u32, self.funcs.len() as u32).into(),
        };
        let sections: [&dyn Section; 7] = [
            &dylink, &types, &imports, &functions, &elements, &code, &data,
        ];
        let mut hasher = blake3::Hasher::new();
        let mut encoded = Vec::new();
        for section in sections {
            encoded.clear();
            section.encode(&mut encoded);
            hasher.update(&encoded);
        }
        let entry_symbol = format!(
            "{}{}",
            crate::ENTRY_PREFIX,
            &hasher.finalize().to_hex()[..16]
        );
        let mut exports = ExportSection::new();
        exports.export(&entry_symbol, ExportKind::Func, self.index(entry));
        exports.export("jank_patch_symbols", ExportKind::Func, self.index(entry));
        if let Some(meta_fn) = meta_fn {
            exports.export(
                super::PATCH_META_EXPORT,
                ExportKind::Func,
                self.index(meta_fn),
            );
        }

        let mut module = Module::new();
        module.section(&dylink);
        module.section(&types);
        module.section(&imports);
        module.section(&functions);
        module.section(&exports);
        module.section(&elements);
        module.section(&code);
        module.section(&data);
        (module.finish(), entry_symbol)
    }
}

/// The `dylink.0` section's one subsection: WASM_DYLINK_MEM_INFO.
fn dylink_mem_info(memory_size: u32, table_size: u32) -> Vec<u8> {
    fn uleb(out: &mut Vec<u8>, mut v: u32) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    let mut info = Vec::new();
    uleb(&mut info, memory_size);
    uleb(&mut info, 2); // memory alignment: 2^2
    uleb(&mut info, table_size);
    uleb(&mut info, 0); // table alignment: 2^0
    let mut section = vec![1]; // WASM_DYLINK_MEM_INFO
    uleb(&mut section, info.len() as u32);
    section.extend(info);
    section
}
