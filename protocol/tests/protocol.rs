use jank_hot_reload_protocol::*;
use proptest::prelude::*;

fn header(len: usize) -> PatchHeader {
    PatchHeader {
        patch_id: 7,
        id: Some("e1".into()),
        entry_symbol: "jank_patch_symbols_abc".into(),
        vars: vec![VarInfo {
            name: "user/ggg".into(),
            arity: "1".into(),
        }],
        ns: Some("user".into()),
        hash: "abc".into(),
        byte_length: len as u64,
        compile_ms: 12.5,
        run: None,
        before_load: Vec::new(),
        after_load: Vec::new(),
        session: None,
        catch_up: false,
    }
}

#[test]
fn patch_frame_round_trips() {
    let wasm = b"\0asm\x01\0\0\0rest";
    let frame = encode_patch_frame(&header(wasm.len()), wasm);
    assert_eq!(&frame[..4], b"JHRP");
    let (decoded, body) = decode_patch_frame(&frame).expect("decodes");
    assert_eq!(decoded, header(wasm.len()));
    assert_eq!(body, wasm);
}

#[test]
fn truncated_prefix_is_rejected() {
    assert_eq!(
        decode_patch_frame(b"JHR"),
        Err(FrameError::TooShort { len: 3 })
    );
}

#[test]
fn bad_magic_is_rejected() {
    let mut frame = encode_patch_frame(&header(1), b"x");
    frame[0] = b'X';
    assert!(matches!(
        decode_patch_frame(&frame),
        Err(FrameError::BadMagic { .. })
    ));
}

#[test]
fn truncated_header_is_rejected() {
    let frame = encode_patch_frame(&header(4), b"\0asm");
    let cut = &frame[..20];
    let err = decode_patch_frame(cut).unwrap_err();
    assert!(matches!(err, FrameError::TruncatedHeader { .. }), "{err}");
    assert!(err.to_string().contains("truncated"));
}

#[test]
fn oversized_header_length_is_rejected() {
    let mut frame = b"JHRP".to_vec();
    frame.extend_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        decode_patch_frame(&frame),
        Err(FrameError::HeaderTooLarge { .. })
    ));
}

#[test]
fn body_length_must_match_header() {
    let frame = encode_patch_frame(&header(10), b"\0asm");
    assert_eq!(
        decode_patch_frame(&frame),
        Err(FrameError::LengthMismatch {
            declared: 10,
            actual: 4
        })
    );
}

#[test]
fn client_messages_use_kebab_case_tags() {
    let msg = parse_client_message(
        r#"{"type":"patch-ack","patch_id":3,"ok":false,"load_ms":0.5,
            "error":{"phase":"load","message":"entry symbol missing"}}"#,
    )
    .expect("parses");
    match msg {
        ClientMessage::PatchAck(ack) => {
            assert_eq!(ack.patch_id, 3);
            assert_eq!(ack.error.map(|e| e.phase), Some(Phase::Load));
        }
        other => panic!("unexpected {other:?}"),
    }
    let eval = parse_client_message(r#"{"type":"eval","id":"1","code":"x","lang":"c++"}"#)
        .expect("parses");
    assert!(matches!(
        eval,
        ClientMessage::Eval(EvalRequest {
            lang: SourceLang::Cpp,
            ..
        })
    ));
}

#[test]
fn unknown_type_and_malformed_json_are_told_apart() {
    assert!(matches!(
        parse_client_message(r#"{"type":"launch-missiles"}"#),
        Err(ParseError::UnknownType { .. })
    ));
    assert!(matches!(
        parse_client_message("{not json"),
        Err(ParseError::Malformed(_))
    ));
    assert!(matches!(
        parse_client_message(r#"{"type":"eval"}"#),
        Err(ParseError::Malformed(_))
    ));
}

proptest! {
    #[test]
    fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = decode_patch_frame(&bytes);
    }

    #[test]
    fn decoder_never_panics_on_valid_prefix(tail in proptest::collection::vec(any::<u8>(), 0..256),
                                            len in 0u32..300) {
        let mut frame = PATCH_MAGIC.to_vec();
        frame.extend_from_slice(&len.to_le_bytes());
        frame.extend_from_slice(&tail);
        let _ = decode_patch_frame(&frame);
    }

    #[test]
    fn parser_never_panics(text in ".{0,200}") {
        let _ = parse_client_message(&text);
    }
}

#[test]
fn a_file_extension_names_its_language() {
    use jank_hot_reload_protocol::SourceLang;
    for (ext, lang) in [
        ("jank", SourceLang::Jank),
        ("cljc", SourceLang::Jank),
        ("clj", SourceLang::Jank),
        ("cpp", SourceLang::Cpp),
        ("cc", SourceLang::Cpp),
        ("c", SourceLang::C),
    ] {
        assert_eq!(SourceLang::from_extension(ext), Some(lang), "{ext}");
    }
    assert_eq!(SourceLang::from_extension("wasm"), None);
    assert_eq!(SourceLang::from_extension(""), None);
}

/// One message of every server type, as the server writes them.
fn every_server_message() -> Vec<ServerMessage> {
    vec![
        ServerMessage::Welcome(Welcome {
            protocol: PROTOCOL_VERSION,
            server_version: "0.1.0".into(),
            session_id: "s1".into(),
            next_patch_id: Some(7),
        }),
        ServerMessage::EvalResult(EvalResult {
            id: "e1".into(),
            ok: false,
            value: None,
            out: Some("hi\n".into()),
            error: Some(EvalError::new(Phase::Run, "boom")),
            timings: Timings {
                compile_ms: Some(0.25),
                ..Timings::default()
            },
            ns: Some("user".into()),
        }),
        ServerMessage::CompileError(CompileErrorNotice {
            id: None,
            error: EvalError::new(Phase::Read, "unbalanced"),
        }),
        ServerMessage::Error(Refusal {
            code: ErrorCode::BadFrame,
            message: "no".into(),
            fatal: true,
        }),
        ServerMessage::Ping(Ping { t: 12 }),
        ServerMessage::AssetChanged(AssetChange {
            path: "/app.css".into(),
            reload: AssetReload::Css,
        }),
    ]
}

#[test]
fn every_server_type_decodes_by_its_tag_as_the_derived_decoder_does() {
    let messages = every_server_message();
    assert_eq!(messages.len(), SERVER_MESSAGE_TYPES.len());
    for message in messages {
        let json = serde_json::to_value(&message).expect("serializes");
        let kind = json["type"].as_str().expect("tagged").to_owned();
        assert!(SERVER_MESSAGE_TYPES.contains(&kind.as_str()), "{kind}");
        let decoded = ServerMessage::deserialize_as(&kind, json.clone()).expect("decodes");
        assert_eq!(decoded.as_ref(), Some(&message), "{kind}");
        let derived: ServerMessage = serde_json::from_value(json).expect("derived decodes");
        assert_eq!(derived, message);
    }
}

#[test]
fn an_unknown_server_type_decodes_to_none_and_a_bad_field_to_an_error() {
    let ping = serde_json::json!({"type": "ping", "t": 1});
    let unknown = ServerMessage::deserialize_as("pong-v2", ping).expect("not an error");
    assert_eq!(unknown, None);
    let bad = serde_json::json!({"type": "ping", "t": "soon"});
    let error = ServerMessage::deserialize_as("ping", bad).expect_err("t is not a number");
    assert!(error.to_string().contains("invalid type"), "{error}");
}
