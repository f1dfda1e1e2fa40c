//! 100,000 generated cases each for every decoder that reads untrusted bytes:
//! the patch frame decoder, the nREPL bencode decoder, the jank reader, and
//! the jank front end with its macro expander. None may panic. Release builds only (scripts/test.sh runs
//! `cargo test --release --test fuzz`): in a debug build the cases take minutes.
#![cfg(not(debug_assertions))]

use bytes::BytesMut;
use jank_hot_reload_protocol::{decode_patch_frame, encode_patch_frame, PatchHeader, PATCH_MAGIC};
use jank_hot_reload_server::frontends::nrepl::bencode::BencodeCodec;
use jank_hot_reload_server::jank::{self, reader, Knowledge};
use proptest::prelude::*;
use tokio_util::codec::Decoder;

const CASES: u32 = 100_000;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Mostly-valid frames with one corruption, so cases reach past the prefix.
fn frames() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<u64>(),
        "[a-z_]{0,12}",
        proptest::collection::vec(any::<u8>(), 0..64),
        any::<u16>(),
        any::<u8>(),
        0u8..4,
    )
        .prop_map(|(patch_id, entry, wasm, at, byte, mode)| {
            let header = PatchHeader {
                patch_id,
                id: None,
                entry_symbol: entry,
                vars: vec![],
                ns: None,
                hash: String::new(),
                byte_length: wasm.len() as u64,
                compile_ms: 0.0,
                run: None,
                before_load: Vec::new(),
                after_load: Vec::new(),
                session: None,
                catch_up: false,
            };
            let mut frame = encode_patch_frame(&header, &wasm);
            let at = usize::from(at) % frame.len().max(1);
            match mode {
                0 => frame[at] = byte,
                1 => frame.truncate(at),
                2 => frame.insert(at, byte),
                _ => {}
            }
            frame
        })
}

fn bencode_like() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"d".to_vec()),
        Just(b"l".to_vec()),
        Just(b"e".to_vec()),
        Just(b"i42e".to_vec()),
        Just(b"i-e".to_vec()),
        Just(b"2:op".to_vec()),
        Just(b"4:eval".to_vec()),
        Just(b"9:".to_vec()),
        Just(b"99999999999999999999:".to_vec()),
        Just(b"0:".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..4),
    ];
    proptest::collection::vec(token, 0..24).prop_map(|parts| parts.concat())
}

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
        Just("^:m".to_owned()),
        Just("\"s\\n\"".to_owned()),
        Just("\"".to_owned()),
        Just("\\a".to_owned()),
        Just(":k".to_owned()),
        Just("::k".to_owned()),
        Just("%".to_owned()),
        Just("%2".to_owned()),
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
        Just("cond".to_owned()),
        Just("->".to_owned()),
        Just("16rFF".to_owned()),
        Just("defmacro".to_owned()),
        Just("`".to_owned()),
        Just("~".to_owned()),
        Just("~@".to_owned()),
        Just("x#".to_owned()),
        Just("#?(:jank".to_owned()),
        Just("#?@(:jank".to_owned()),
        Just("case".to_owned()),
        Just("try".to_owned()),
        Just("catch".to_owned()),
        Just("finally".to_owned()),
        Just("throw".to_owned()),
        Just("doseq".to_owned()),
        Just("for".to_owned()),
        Just("letfn".to_owned()),
        Just("&form".to_owned()),
        Just("1/2".to_owned()),
        Just("#\"a\"".to_owned()),
        Just("when".to_owned()),
        Just("1e999".to_owned()),
        Just(" ".to_owned()),
        "[a-z0-9]{1,3}",
    ];
    proptest::collection::vec(token, 0..32).prop_map(|tokens| tokens.join(" "))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn patch_frame_decoder(frame in frames()) {
        let _ = decode_patch_frame(&frame);
    }

    #[test]
    fn patch_frame_decoder_on_raw_bytes(mut bytes in proptest::collection::vec(any::<u8>(), 0..96)) {
        if bytes.len() >= 4 && bytes[0] % 2 == 0 {
            bytes[..4].copy_from_slice(&PATCH_MAGIC);
        }
        let _ = decode_patch_frame(&bytes);
    }

    #[test]
    fn bencode_decoder(bytes in bencode_like()) {
        let mut codec = BencodeCodec;
        let mut buf = BytesMut::from(&bytes[..]);
        for _ in 0..64 {
            match codec.decode(&mut buf) {
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
    }

    #[test]
    fn jank_reader(text in "\\PC{0,120}") {
        let _ = reader::read_all(&text);
    }

    #[test]
    fn macro_expander(body in jank_like(), args in jank_like()) {
        // A user macro whose body and call are token soup: expanding it may
        // fail, but always with a position, and never hangs or panics.
        let mut knowledge = Knowledge::default();
        let text = format!("(defmacro m [& xs] `({body} ~@xs))\n(m {args})");
        if let Err(error) = jank::compile(&text, None, &mut knowledge) {
            prop_assert!(error.line.is_some() && error.column.is_some(), "{error}");
        }
    }

    #[test]
    fn jank_front_end(text in jank_like()) {
        let mut knowledge = Knowledge::default();
        if let Err(error) = jank::compile(&text, None, &mut knowledge) {
            // Every error says where.
            prop_assert!(error.line.is_some() && error.column.is_some(), "{error}");
        }
    }
}
