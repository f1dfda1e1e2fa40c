//! Backends: analyzed units to loadable patches.
//!
//! - `c`: C against the helper ABI, compiled by clang and wasm-ld (the
//!   server's compile pipeline); the reference backend.
//! - `wasm`: an Emscripten side module written directly, with no C compiler
//!   or linker in the loop.

pub mod c;
pub mod wasm;
