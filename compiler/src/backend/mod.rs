//! Backends: analyzed units to loadable patches.
//!
//! - `c`: C against the helper ABI, compiled by clang and wasm-ld (the
//!   server's compile pipeline); the reference backend.

pub mod c;
