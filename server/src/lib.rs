//! The jank hot-reload dev server.
//!
//! - `frontends`: HTTP (pages, files) and the WebSocket `/repl` pages connect to
//! - `compile`: C/C++ → Emscripten side module, with a content-addressed cache
//! - `eval`: one evaluation end to end, shared by the front ends
//! - `hub`: connected pages, broadcast and ack routing

pub mod compile;
pub mod eval;
pub mod frontends;
pub mod hub;
/// The jank compiler (its own crate), under the name the server has always used.
pub use jank_hot_reload_compiler as jank;
pub mod security;
pub mod server;
pub mod state;
