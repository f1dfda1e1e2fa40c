//! Deep nesting is an error, not a stack overflow. (The never-panic properties
//! run at 100,000 cases in fuzz.rs.)

use jank_hot_reload_compiler::{self as jank, reader, Knowledge};

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = "(".repeat(100_000);
    let error = reader::read_all(&text).expect_err("too deep");
    assert!(error.message.contains("nested deeper"), "{}", error.message);
    let mut knowledge = Knowledge::default();
    let deep_but_readable = format!("{}1{}", "[".repeat(190), "]".repeat(190));
    jank::compile(&deep_but_readable, None, &mut knowledge).expect("190 levels compile");
}

/// A character past the BMP written as two `\u` escapes, as Java source
/// writes it, reads as that one character; a lone surrogate is an error.
#[test]
fn a_surrogate_pair_of_escapes_is_one_character() {
    let forms = jank_hot_reload_compiler::reader::read_all(r#""\ud83d\ude00!""#).expect("reads");
    assert_eq!(
        jank_hot_reload_compiler::form::pr_str(&forms[0]),
        "\"\u{1F600}!\""
    );
    let lone =
        jank_hot_reload_compiler::reader::read_all(r#""\ud83d""#).expect_err("a lone surrogate");
    assert!(lone.message.contains("lone surrogate"), "{}", lone.message);
}
