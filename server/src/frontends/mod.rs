//! The ways in: HTTP for pages and files, the WebSocket pages connect to, and
//! nREPL for editors; and the files that change under them (`--watch` for
//! jank, the served root for stylesheets and pages).

pub mod assets;
pub mod http;
pub mod nrepl;
pub mod watch;
pub mod ws;
