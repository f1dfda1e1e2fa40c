//! clojure.core's macros, written in jank (`prelude/core.jank`) and loaded
//! into the compile-time evaluator once per process.

use std::sync::OnceLock;

use crate::analyzer::analyze_unit;
use crate::knowledge::Knowledge;
use crate::reader;

/// The source of the prelude, compiled into the binary.
pub(crate) const SOURCE: &str = include_str!("prelude/core.jank");

/// Natives of the page written again in jank for macros to call.
const MACRO_TIME: &str = include_str!("prelude/macro_time.jank");

static PRELUDE: OnceLock<Knowledge> = OnceLock::new();

/// The knowledge every compilation starts from: the runtime's clojure.core
/// plus the prelude's macros, in namespace `user`.
pub(crate) fn loaded() -> &'static Knowledge {
    PRELUDE.get_or_init(|| crate::with_big_stack(load))
}

/// The prelude's knowledge once loaded; `None` while the prelude itself is
/// being compiled (a question about it then must not wait for itself).
pub(crate) fn loaded_if_ready() -> Option<&'static Knowledge> {
    PRELUDE.get()
}

/// Loads the prelude. It is this crate's own source, tested on every build,
/// so a failure here is a bug in the compiler, reported with its position.
fn load() -> Knowledge {
    let mut knowledge = Knowledge::bare();
    knowledge.enter_ns("clojure.core");
    for (file, source) in [
        ("prelude/core.jank", SOURCE),
        ("prelude/macro_time.jank", MACRO_TIME),
    ] {
        let forms = reader::read_all(source)
            .unwrap_or_else(|e| panic!("{file}:{}:{}: {}", e.pos.line, e.pos.column, e.message));
        if let Err(e) = analyze_unit(&forms, &[], &mut knowledge, true) {
            panic!("{file}:{}:{}: {}", e.pos.line, e.pos.column, e.message);
        }
    }
    knowledge.lend_macro_time_fns();
    knowledge.fill_in_arglists();
    knowledge.enter_ns("user");
    knowledge
}
