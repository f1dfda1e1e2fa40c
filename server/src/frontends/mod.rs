//! The ways in: HTTP for pages and files, the WebSocket pages connect to, and
//! nREPL for editors.

pub mod http;
pub mod nrepl;
pub mod watch;
pub mod ws;
