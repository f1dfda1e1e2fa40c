//! The ways in: HTTP for pages and files, and the WebSocket pages connect to.

pub mod http;
pub mod ws;
