//! Turns compiler output into structured errors, with a code frame from the source.

use jank_hot_reload_protocol::{EvalError, Phase};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// Parses clang's `file:line:col: severity: message` lines that refer to `file_name`.
pub fn parse_clang(output: &str, file_name: &str) -> Vec<Diagnostic> {
    output
        .lines()
        .filter_map(|line| {
            let at = line.find(file_name)?;
            let rest = line[at + file_name.len()..].strip_prefix(':')?;
            let mut parts = rest.splitn(4, ':');
            let line_no = parts.next()?.trim().parse().ok()?;
            let column = parts.next()?.trim().parse().ok()?;
            let severity = parts.next()?.trim().to_owned();
            let message = parts.next()?.trim().to_owned();
            Some(Diagnostic {
                severity,
                line: line_no,
                column,
                message,
            })
        })
        .collect()
}

/// The first error, as the user sees it; every other diagnostic follows in the message.
pub fn to_eval_error(
    diagnostics: &[Diagnostic],
    raw_output: &str,
    source: &str,
    file: Option<&str>,
) -> EvalError {
    let errors: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity.contains("error"))
        .collect();
    let Some(first) = errors.first() else {
        let text = raw_output.trim();
        let message = if text.is_empty() {
            "the compiler failed without a message".to_owned()
        } else {
            text.to_owned()
        };
        return EvalError::new(Phase::Compile, message);
    };
    let mut message = first.message.clone();
    for more in errors.iter().skip(1) {
        message.push_str(&format!(
            "\n{}:{}: {}",
            more.line, more.column, more.message
        ));
    }
    EvalError {
        phase: Phase::Compile,
        message,
        file: file.map(str::to_owned),
        line: Some(first.line),
        column: Some(first.column),
        code_frame: code_frame(source, first.line, first.column),
    }
}

pub use jank_hot_reload_compiler::diagnostics::code_frame;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_clang_errors_for_the_patch_file() {
        let out = "/tmp/x/patch.cpp:3:12: error: use of undeclared identifier 'y'\n\
                   /usr/include/foo.h:1:1: note: unrelated\n\
                   /tmp/x/patch.cpp:4:1: warning: unused\n";
        let diags = parse_clang(out, "patch.cpp");
        assert_eq!(diags.len(), 2);
        assert_eq!(diags[0].line, 3);
        assert_eq!(diags[0].column, 12);
        assert_eq!(diags[0].severity, "error");
        assert_eq!(diags[0].message, "use of undeclared identifier 'y'");
    }
}
