//! Which locals a function keeps in its shadow-stack frame, when the page
//! may collect inside a call (`Unit::safepoints`).
//!
//! The collector cannot see wasm locals, only memory. A local whose value a
//! safe call may outlive (a call where the page may collect) must be in the
//! frame when that call runs; the rest stay locals only. Writing every local
//! to the frame made a tight loop 1.4 times slower.
//!
//! The analysis is over the instructions as written, and errs toward
//! spilling. A local is spilled when
//! - a safe call lies between its first write and its last read, or
//! - it is read inside a loop that makes a safe call, and its value may come
//!   round the loop or from before it: it was written before the loop, or is
//!   written in the loop after a read (a loop variable).
//!
//! A local the call's own arguments are read from counts as read after the
//! call: the page may still need what it was handed (`try`'s finally runs
//! after its body, which may collect).
//!
//! Every other local is written and then read within one stretch that makes
//! no safe call: the backend gives each expression a fresh local.

use wasm_encoder::Instruction;

/// For each local index (parameters first): whether it lives in the frame.
pub(super) fn spilled_locals(
    code: &[Instruction<'static>],
    params: u32,
    locals: u32,
    is_safe_call: impl Fn(u32) -> bool,
) -> Vec<bool> {
    let count = (params + locals) as usize;
    // Positions: 0 is the entry (where the parameters are written), the
    // instruction at index i is at i + 1.
    let mut writes: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut reads: Vec<Vec<usize>> = vec![Vec::new(); count];
    for param in writes.iter_mut().take(params as usize) {
        param.push(0);
    }
    let mut calls = Vec::new();
    let mut loops = Vec::new();
    let mut open: Vec<Option<usize>> = Vec::new();
    for (i, instruction) in code.iter().enumerate() {
        let at = i + 1;
        match instruction {
            Instruction::LocalGet(l) => reads[*l as usize].push(at),
            Instruction::LocalSet(l) | Instruction::LocalTee(l) => writes[*l as usize].push(at),
            Instruction::Call(f) if is_safe_call(*f) => calls.push(at),
            Instruction::Loop(_) => open.push(Some(at)),
            Instruction::Block(_) | Instruction::If(_) => open.push(None),
            Instruction::End => {
                if let Some(Some(start)) = open.pop() {
                    loops.push((start, at));
                }
            }
            _ => {}
        }
    }
    // The stretch that pushes a safe call's arguments: the locals read there
    // are read after the call too.
    for &call in &calls {
        let arguments = code[..call - 1].iter().rev().take_while(|i| {
            matches!(
                i,
                Instruction::LocalGet(_)
                    | Instruction::I32Const(_)
                    | Instruction::I64Const(_)
                    | Instruction::F64Const(_)
                    | Instruction::GlobalGet(_)
                    | Instruction::I32Add
                    | Instruction::I32Store(_)
            )
        });
        for instruction in arguments {
            if let Instruction::LocalGet(l) = instruction {
                reads[*l as usize].push(call + 1);
            }
        }
    }
    let calling_loops: Vec<(usize, usize)> = loops
        .into_iter()
        .filter(|(start, end)| calls.iter().any(|c| start < c && c < end))
        .collect();
    (0..count)
        .map(|l| {
            let (Some(first_write), Some(last_read)) =
                (writes[l].iter().min(), reads[l].iter().max())
            else {
                return false;
            };
            let across_a_call = calls.iter().any(|c| first_write < c && c < last_read);
            let round_a_loop = calling_loops.iter().any(|&(start, end)| {
                let inside = |p: &usize| start < *p && *p < end;
                let read_inside: Vec<usize> = reads[l].iter().copied().filter(inside).collect();
                !read_inside.is_empty()
                    && (*first_write < start
                        || writes[l]
                            .iter()
                            .filter(|w| inside(w))
                            .any(|w| read_inside.iter().any(|r| r < w)))
            });
            across_a_call || round_a_loop
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::BlockType;

    const SAFE: u32 = 7;

    fn spilled(code: &[Instruction<'static>], params: u32, locals: u32) -> Vec<bool> {
        spilled_locals(code, params, locals, |f| f == SAFE)
    }

    #[test]
    fn a_temporary_read_before_any_call_stays_a_local() {
        use Instruction::*;
        // t1 = 1; t2 = t1; call; t3 = result
        let code = [
            I32Const(1),
            LocalSet(1),
            LocalGet(1),
            LocalSet(2),
            Call(SAFE),
            LocalSet(3),
        ];
        assert_eq!(spilled(&code, 0, 4), vec![false, false, false, false]);
    }

    #[test]
    fn a_value_read_after_a_call_is_spilled_and_so_is_a_parameter() {
        use Instruction::*;
        // p0 read after the call; t1 written before it and read after it.
        let code = [
            I32Const(1),
            LocalSet(1),
            Call(SAFE),
            Drop,
            LocalGet(0),
            LocalGet(1),
            Drop,
            Drop,
        ];
        assert_eq!(spilled(&code, 1, 2), vec![true, true, false]);
    }

    #[test]
    fn a_loop_variable_and_a_value_from_before_a_calling_loop_are_spilled() {
        use Instruction::*;
        // l1 (before the loop) and l2 (the loop variable, read at the top,
        // written at the bottom) cross the call through the back edge; l3 is
        // a temporary inside the loop.
        let code = [
            I32Const(0),
            LocalSet(1),
            I32Const(0),
            LocalSet(2),
            Loop(BlockType::Empty),
            LocalGet(2),
            LocalGet(1),
            Drop,
            LocalSet(3),
            LocalGet(3),
            Drop,
            Call(SAFE),
            Drop,
            I32Const(1),
            LocalSet(2),
            Br(0),
            End,
        ];
        assert_eq!(spilled(&code, 0, 4), vec![false, true, true, false]);
    }

    #[test]
    fn the_locals_a_safe_call_is_handed_are_spilled() {
        use Instruction::*;
        // try's body, handler and finally are read to call it, and only then.
        let code = [
            I32Const(1),
            LocalSet(0),
            I32Const(2),
            LocalSet(1),
            LocalGet(0),
            I32Const(0),
            LocalGet(1),
            Call(SAFE),
            LocalSet(2),
        ];
        assert_eq!(spilled(&code, 0, 3), vec![true, true, false]);
    }

    #[test]
    fn a_loop_without_a_safe_call_spills_nothing() {
        use Instruction::*;
        let code = [
            I32Const(0),
            LocalSet(0),
            Loop(BlockType::Empty),
            LocalGet(0),
            LocalSet(1),
            LocalGet(1),
            LocalSet(0),
            Br(0),
            End,
            Call(SAFE),
            Drop,
        ];
        assert_eq!(spilled(&code, 0, 2), vec![false, false]);
    }
}
