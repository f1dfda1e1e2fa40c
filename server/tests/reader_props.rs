//! The reader and the whole jank front end never panic, whatever the input.

use jank_hot_reload_server::jank::{self, reader, Knowledge};
use proptest::prelude::*;

/// Text biased towards jank syntax, so the generator reaches deep into the reader.
fn jank_like() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("#{".to_owned()),
        Just("#(".to_owned()),
        Just("#_".to_owned()),
        Just("#'".to_owned()),
        Just("'".to_owned()),
        Just("@".to_owned()),
        Just("^:m ".to_owned()),
        Just("\"s\\n\"".to_owned()),
        Just("\"".to_owned()),
        Just("\\a".to_owned()),
        Just("\\".to_owned()),
        Just(":k".to_owned()),
        Just("::k".to_owned()),
        Just("%".to_owned()),
        Just("%&".to_owned()),
        Just("defn".to_owned()),
        Just("fn".to_owned()),
        Just("let".to_owned()),
        Just("loop".to_owned()),
        Just("recur".to_owned()),
        Just("if".to_owned()),
        Just("&".to_owned()),
        Just("x".to_owned()),
        Just("+".to_owned()),
        Just("ns".to_owned()),
        Just(";c\n".to_owned()),
        Just("16rFF".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("1.5e3".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        "[a-z0-9]{1,3}",
    ];
    proptest::collection::vec(token, 0..40).prop_map(|tokens| tokens.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_reader_never_panics_on_any_text(text in "\\PC{0,200}") {
        let _ = reader::read_all(&text);
    }

    #[test]
    fn the_front_end_never_panics_on_jank_like_text(text in jank_like()) {
        let mut knowledge = Knowledge::default();
        if let Err(error) = jank::compile(&text, None, &mut knowledge) {
            // Every error says where.
            prop_assert!(error.line.is_some() && error.column.is_some(), "{error}");
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let text = "(".repeat(100_000);
    let error = reader::read_all(&text).expect_err("too deep");
    assert!(error.message.contains("nested deeper"), "{}", error.message);
    let mut knowledge = Knowledge::default();
    let deep_but_readable = format!("{}1{}", "[".repeat(190), "]".repeat(190));
    jank::compile(&deep_but_readable, None, &mut knowledge).expect("190 levels compile");
}
