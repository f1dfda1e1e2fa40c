//! Stand-ins: helpers a page lacks, built inside the patch from helpers it
//! has and from clojure.core.
//!
//! The jank fork exports 16 helpers. Real code needs `true` and `false`,
//! characters, quoted lists, map literals, closures and calls of fn values all
//! the time, and each of those has a way through `jank_call_var`:
//! `(boolean 0)`, `(char n)`, `(conj (list) ...)`, `(assoc (array-map) ...)`,
//! `(partial wrapper env)`, `(apply f args... nil)` and, for `def` and
//! `#'x`, `(intern 'ns 'name value)`. A stand-in is a
//! function of the patch with the helper's own signature, so the code that
//! calls it is the same whichever the page has.

use wasm_encoder::{BlockType, Instruction, ValType};

use super::{mem, params_of, Body, Gen};

/// Each helper that can be stood in for, with the helpers its stand-in calls.
pub(crate) const STAND_INS: &[(&str, &[&str])] = &[
    (
        "jank_make_boolean",
        &["jank_box_integer", "jank_nil_value", "jank_call_var"],
    ),
    ("jank_make_char", &["jank_box_integer", "jank_call_var"]),
    ("jank_make_list", &["jank_call_var"]),
    ("jank_make_map", &["jank_call_var"]),
    (
        "jank_make_closure",
        &["jank_call_var", "jank_make_fn_wrapper"],
    ),
    ("jank_call", &["jank_nil_value", "jank_call_var"]),
    ("jank_set_var_root", &["jank_make_symbol", "jank_call_var"]),
    ("jank_var", &["jank_make_symbol", "jank_call_var"]),
];

/// The helpers `helper`'s stand-in calls, if it has one.
pub(crate) fn parts_of(helper: &str) -> Option<&'static [&'static str]> {
    STAND_INS
        .iter()
        .find(|(name, _)| *name == helper)
        .map(|(_, parts)| *parts)
}

/// The most arguments a stood-in `jank_call` passes on: `apply` takes the fn
/// and a final nil beside them.
pub(crate) fn call_args_through_apply(call_var_max_args: u32) -> usize {
    call_var_max_args.saturating_sub(2) as usize
}

const CORE: &str = "clojure.core";

impl Gen {
    /// The defined function standing in for `helper`, built on first use.
    pub(super) fn stand_in(&mut self, helper: &'static str) -> u32 {
        if let Some(func) = self.built_stand_ins.get(helper) {
            return *func;
        }
        let params = params_of(helper).len() as u32;
        let func = self.declare(params, false);
        self.built_stand_ins.insert(helper, func);
        let mut b = Body::new(params);
        let result = match helper {
            "jank_make_boolean" => self.boolean(&mut b),
            "jank_make_char" => self.char(&mut b),
            "jank_make_list" => self.list(&mut b),
            "jank_make_map" => self.map(&mut b),
            "jank_make_closure" => self.closure(&mut b),
            "jank_call" => self.call(&mut b),
            "jank_set_var_root" => self.intern(&mut b, true),
            "jank_var" => self.intern(&mut b, false),
            _ => unreachable!("no stand-in for {helper}"),
        };
        self.finish(func, b, result);
        func
    }

    /// `(boolean 0)` for true, `(boolean nil)` for false.
    fn boolean(&mut self, b: &mut Body) -> u32 {
        b.op(Instruction::LocalGet(0));
        b.op(Instruction::If(BlockType::Result(ValType::I32)));
        b.op(Instruction::I64Const(0));
        let box_integer = self.helper("jank_box_integer");
        b.op(Instruction::Call(box_integer));
        b.op(Instruction::Else);
        let nil = self.helper("jank_nil_value");
        b.op(Instruction::Call(nil));
        b.op(Instruction::End);
        let x = b.new_local();
        b.op(Instruction::LocalSet(x));
        self.call_var(b, CORE, "boolean", &[x])
    }

    /// `(char code-point)`.
    fn char(&mut self, b: &mut Body) -> u32 {
        b.op(Instruction::LocalGet(0));
        b.op(Instruction::I64ExtendI32U);
        let code = self.call_helper(b, "jank_box_integer");
        self.call_var(b, CORE, "char", &[code])
    }

    /// `(conj ... (conj (list) last) ... first)`: params (count, items).
    fn list(&mut self, b: &mut Body) -> u32 {
        let acc = self.call_var(b, CORE, "list", &[]);
        self.for_each_index(b, 0, 1, |gen, b, i| {
            // items[count - 1 - i]: a list is built from its end.
            let from_end = b.new_local();
            b.op(Instruction::LocalGet(0));
            b.op(Instruction::I32Const(1));
            b.op(Instruction::I32Sub);
            b.op(Instruction::LocalGet(i));
            b.op(Instruction::I32Sub);
            b.op(Instruction::LocalSet(from_end));
            let item = gen.load_item(b, from_end, 0);
            let next = gen.call_var(b, CORE, "conj", &[acc, item]);
            b.op(Instruction::LocalGet(next));
            b.op(Instruction::LocalSet(acc));
        });
        acc
    }

    /// `(assoc ... (assoc (array-map) k v) ...)`, keeping the literal's
    /// order: params (count of keys and values, items).
    fn map(&mut self, b: &mut Body) -> u32 {
        let acc = self.call_var(b, CORE, "array-map", &[]);
        self.for_each_index(b, 0, 2, |gen, b, i| {
            let key = gen.load_item(b, i, 0);
            let value = gen.load_item(b, i, 4);
            let next = gen.call_var(b, CORE, "assoc", &[acc, key, value]);
            b.op(Instruction::LocalGet(next));
            b.op(Instruction::LocalSet(acc));
        });
        acc
    }

    /// `for (i = 0; i < count; i += step) body(i)`, with the count in local `count`.
    fn for_each_index(
        &mut self,
        b: &mut Body,
        count: u32,
        step: i32,
        body: impl FnOnce(&mut Self, &mut Body, u32),
    ) {
        let i = b.new_local();
        b.op(Instruction::I32Const(0));
        b.op(Instruction::LocalSet(i));
        b.op(Instruction::Block(BlockType::Empty));
        b.op(Instruction::Loop(BlockType::Empty));
        b.op(Instruction::LocalGet(i));
        b.op(Instruction::LocalGet(count));
        b.op(Instruction::I32GeU);
        b.op(Instruction::BrIf(1));
        body(self, b, i);
        b.op(Instruction::LocalGet(i));
        b.op(Instruction::I32Const(step));
        b.op(Instruction::I32Add);
        b.op(Instruction::LocalSet(i));
        b.op(Instruction::Br(0));
        b.op(Instruction::End);
        b.op(Instruction::End);
    }

    /// `items[i]` (plus `offset` bytes) of the array in param 1, in a new local.
    fn load_item(&mut self, b: &mut Body, i: u32, offset: u64) -> u32 {
        b.op(Instruction::LocalGet(1));
        b.op(Instruction::LocalGet(i));
        b.op(Instruction::I32Const(4));
        b.op(Instruction::I32Mul);
        b.op(Instruction::I32Add);
        b.op(Instruction::I32Load(mem(offset)));
        let item = b.new_local();
        b.op(Instruction::LocalSet(item));
        item
    }

    /// `(partial (wrapper f) env)`: the closure's code takes its environment
    /// first, so it is wrapped with one parameter more. Params (f, arity code, env).
    fn closure(&mut self, b: &mut Body) -> u32 {
        b.op(Instruction::LocalGet(0));
        // The arity code with the environment added: n → n+1, and a variadic
        // -(n+1) → -(n+2).
        b.op(Instruction::LocalGet(1));
        b.op(Instruction::I32Const(0));
        b.op(Instruction::I32LtS);
        b.op(Instruction::If(BlockType::Result(ValType::I32)));
        b.op(Instruction::LocalGet(1));
        b.op(Instruction::I32Const(1));
        b.op(Instruction::I32Sub);
        b.op(Instruction::Else);
        b.op(Instruction::LocalGet(1));
        b.op(Instruction::I32Const(1));
        b.op(Instruction::I32Add);
        b.op(Instruction::End);
        let wrapper = self.call_helper(b, "jank_make_fn_wrapper");
        self.call_var(b, CORE, "partial", &[wrapper, 2])
    }

    /// `(intern 'ns 'name value)` for `def` (params: ns and name C strings,
    /// value), or `(intern 'ns 'name)` for `#'x` (the var exists: the
    /// compiler resolved it). Either returns the var.
    fn intern(&mut self, b: &mut Body, with_value: bool) -> u32 {
        let mut args = Vec::new();
        for param in [0, 1] {
            self.push_string(b, "");
            b.op(Instruction::LocalGet(param));
            args.push(self.call_helper(b, "jank_make_symbol"));
        }
        if with_value {
            args.push(2);
        }
        self.call_var(b, CORE, "intern", &args)
    }

    /// `(apply f a b ... nil)`: params (f, count, args). The target pass
    /// keeps the count within what the page's `jank_call_var` passes.
    fn call(&mut self, b: &mut Body) -> u32 {
        // The frame: f, the arguments, then nil.
        b.frame_slots = b.frame_slots.max(16);
        b.op(Instruction::LocalGet(b.frame));
        b.op(Instruction::LocalGet(0));
        b.op(Instruction::I32Store(mem(0)));
        self.for_each_index(b, 1, 1, |_, b, i| {
            // frame[1 + i] = args[i]
            b.op(Instruction::LocalGet(b.frame));
            b.op(Instruction::LocalGet(i));
            b.op(Instruction::I32Const(4));
            b.op(Instruction::I32Mul);
            b.op(Instruction::I32Add);
            b.op(Instruction::LocalGet(2));
            b.op(Instruction::LocalGet(i));
            b.op(Instruction::I32Const(4));
            b.op(Instruction::I32Mul);
            b.op(Instruction::I32Add);
            b.op(Instruction::I32Load(mem(0)));
            b.op(Instruction::I32Store(mem(4)));
        });
        // frame[1 + count] = nil
        b.op(Instruction::LocalGet(b.frame));
        b.op(Instruction::LocalGet(1));
        b.op(Instruction::I32Const(4));
        b.op(Instruction::I32Mul);
        b.op(Instruction::I32Add);
        let nil = self.helper("jank_nil_value");
        b.op(Instruction::Call(nil));
        b.op(Instruction::I32Store(mem(4)));
        self.push_string(b, CORE);
        self.push_string(b, "apply");
        b.op(Instruction::LocalGet(1));
        b.op(Instruction::I32Const(2));
        b.op(Instruction::I32Add);
        b.op(Instruction::LocalGet(b.frame));
        self.call_helper(b, "jank_call_var")
    }
}
