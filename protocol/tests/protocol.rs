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
fn every_server_type_decodes_as_the_derived_decoder_does() {
    let messages = every_server_message();
    assert_eq!(messages.len(), SERVER_MESSAGE_TYPES.len());
    for message in messages {
        let json = serde_json::to_value(&message).expect("serializes");
        let kind = json["type"].as_str().expect("tagged").to_owned();
        assert!(SERVER_MESSAGE_TYPES.contains(&kind.as_str()), "{kind}");
        assert_eq!(
            ServerMessage::decode(&json).as_ref(),
            Ok(&message),
            "{kind}"
        );
        let derived: ServerMessage = serde_json::from_value(json).expect("derived decodes");
        assert_eq!(derived, message);
    }
}

#[test]
fn an_unknown_server_type_and_a_bad_field_are_errors_that_name_them() {
    let unknown = serde_json::json!({"type": "pong-v2", "t": 1});
    assert_eq!(
        ServerMessage::decode(&unknown),
        Err(DecodeError::UnknownType("pong-v2".into()))
    );
    let error = |json: serde_json::Value| {
        ServerMessage::decode(&json)
            .expect_err("not a valid message")
            .to_string()
    };
    assert_eq!(
        error(serde_json::json!({"type": "ping", "t": "soon"})),
        "ping.t must be a whole number"
    );
    assert_eq!(
        error(serde_json::json!({"type": "ping", "t": 1.5})),
        "ping.t must be a whole number"
    );
    assert_eq!(
        error(serde_json::json!({"type": "welcome", "protocol": 1, "server_version": "0"})),
        "welcome.session_id must be a string"
    );
    assert_eq!(
        error(
            serde_json::json!({"type": "compile-error", "error": {"phase": "lex", "message": "m"}})
        ),
        "compile-error.error.phase must be a phase (read, analyze, compile, transfer, load or run)"
    );
    assert_eq!(error(serde_json::json!({"t": 1})), "type must be a string");
    assert_eq!(error(serde_json::json!([1])), "the value must be an object");
    let header = serde_json::json!({"patch_id": 1, "entry_symbol": "e", "hash": "h",
        "byte_length": 4, "vars": [{"name": "user/f", "arity": 1}]});
    assert_eq!(
        PatchHeader::decode(&header)
            .expect_err("arity is a string")
            .to_string(),
        "vars.0.arity must be a string"
    );
}

#[test]
fn absent_and_null_members_take_serde_defaults() {
    let header = serde_json::json!({"patch_id": 3, "entry_symbol": "e", "hash": "h",
        "byte_length": 4, "id": null, "compile_ms": null});
    let decoded = PatchHeader::decode(&header).expect("decodes");
    let derived: PatchHeader =
        serde_json::from_value(serde_json::json!({"patch_id": 3, "entry_symbol": "e",
            "hash": "h", "byte_length": 4}))
        .expect("derived decodes");
    assert_eq!(decoded, derived);
    assert_eq!(decoded.compile_ms, 0.0);
    assert!(decoded.vars.is_empty() && !decoded.catch_up && decoded.id.is_none());
}

/// Text and numbers as the browser's `JSON.parse` sees them: ids stay below 2^53.
fn text() -> impl Strategy<Value = String> {
    ".{0,12}"
}
fn whole() -> impl Strategy<Value = u64> {
    0..(1u64 << 53)
}
fn ms() -> impl Strategy<Value = f64> {
    (0u32..1_000_000).prop_map(|n| f64::from(n) / 64.0)
}

fn eval_error() -> impl Strategy<Value = EvalError> {
    let phase = prop_oneof![
        Just(Phase::Read),
        Just(Phase::Analyze),
        Just(Phase::Compile),
        Just(Phase::Transfer),
        Just(Phase::Load),
        Just(Phase::Run),
    ];
    (
        phase,
        text(),
        proptest::option::of(text()),
        proptest::option::of(any::<u32>()),
        proptest::option::of(any::<u32>()),
        proptest::option::of(text()),
    )
        .prop_map(
            |(phase, message, file, line, column, code_frame)| EvalError {
                phase,
                message,
                file,
                line,
                column,
                code_frame,
            },
        )
}

fn server_message() -> impl Strategy<Value = ServerMessage> {
    let welcome = (any::<u32>(), text(), text(), proptest::option::of(whole())).prop_map(
        |(protocol, server_version, session_id, next_patch_id)| {
            ServerMessage::Welcome(Welcome {
                protocol,
                server_version,
                session_id,
                next_patch_id,
            })
        },
    );
    let timings = (
        proptest::option::of(ms()),
        proptest::option::of(ms()),
        proptest::option::of(ms()),
        any::<bool>(),
    )
        .prop_map(|(compile_ms, load_ms, total_ms, cached)| Timings {
            compile_ms,
            load_ms,
            total_ms,
            cached,
        });
    let result = (
        text(),
        any::<bool>(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(eval_error()),
        timings,
        proptest::option::of(text()),
    )
        .prop_map(|(id, ok, value, out, error, timings, ns)| {
            ServerMessage::EvalResult(EvalResult {
                id,
                ok,
                value,
                out,
                error,
                timings,
                ns,
            })
        });
    let compile_error = (proptest::option::of(text()), eval_error())
        .prop_map(|(id, error)| ServerMessage::CompileError(CompileErrorNotice { id, error }));
    let code = prop_oneof![
        Just(ErrorCode::VersionMismatch),
        Just(ErrorCode::MalformedMessage),
        Just(ErrorCode::UnknownType),
        Just(ErrorCode::MessageTooLarge),
        Just(ErrorCode::BadFrame),
        Just(ErrorCode::UnexpectedMessage),
        Just(ErrorCode::HelloRequired),
    ];
    let refusal = (code, text(), any::<bool>()).prop_map(|(code, message, fatal)| {
        ServerMessage::Error(Refusal {
            code,
            message,
            fatal,
        })
    });
    let ping = whole().prop_map(|t| ServerMessage::Ping(Ping { t }));
    let reload = prop_oneof![Just(AssetReload::Css), Just(AssetReload::Page)];
    let asset = (text(), reload)
        .prop_map(|(path, reload)| ServerMessage::AssetChanged(AssetChange { path, reload }));
    prop_oneof![welcome, result, compile_error, refusal, ping, asset]
}

fn patch_header() -> impl Strategy<Value = PatchHeader> {
    let var = (text(), text()).prop_map(|(name, arity)| VarInfo { name, arity });
    let names = || proptest::collection::vec(text(), 0..3);
    (
        (whole(), proptest::option::of(text()), text()),
        (
            proptest::collection::vec(var, 0..3),
            proptest::option::of(text()),
        ),
        (text(), whole(), ms(), proptest::option::of(text())),
        (
            names(),
            names(),
            proptest::option::of(text()),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (patch_id, id, entry_symbol),
                (vars, ns),
                (hash, byte_length, compile_ms, run),
                (before_load, after_load, session, catch_up),
            )| PatchHeader {
                patch_id,
                id,
                entry_symbol,
                vars,
                ns,
                hash,
                byte_length,
                compile_ms,
                run,
                before_load,
                after_load,
                session,
                catch_up,
            },
        )
}

/// What serde_json writes, parsed back as a browser would: through text.
fn as_the_browser_parses(value: &impl serde::Serialize) -> serde_json::Value {
    let text = serde_json::to_string(value).expect("serializes");
    serde_json::from_str(&text).expect("parses")
}

proptest! {
    #[test]
    fn the_hand_decoder_reads_back_every_server_message_serde_writes(message in server_message()) {
        let json = as_the_browser_parses(&message);
        prop_assert_eq!(ServerMessage::decode(&json), Ok(message));
    }

    #[test]
    fn the_hand_decoder_reads_back_every_patch_header_serde_writes(header in patch_header()) {
        let json = as_the_browser_parses(&header);
        prop_assert_eq!(PatchHeader::decode(&json), Ok(header));
    }

    #[test]
    fn the_hand_decoder_reads_back_registry_limits(
        max_arity in any::<u32>(), variadic in any::<bool>(), multi_arity in any::<bool>(),
        call_var_max_args in proptest::option::of(any::<u32>()), fn_wrapper_max_arity in any::<u32>(),
    ) {
        let limits = RegistryLimits { max_arity, variadic, multi_arity, call_var_max_args, fn_wrapper_max_arity };
        prop_assert_eq!(RegistryLimits::decode(&as_the_browser_parses(&limits)), Ok(limits));
    }
}

/// serde_json tells `1` from `1.0`; JSON (and the browser) does not.
fn numbers_as_f64(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.into_iter().map(numbers_as_f64).collect()),
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k, numbers_as_f64(v)))
                .collect(),
        ),
        other => other,
    }
}

/// The hand encoder's JSON and serde's, member for member.
fn assert_encodes_as_serde<T: Encode + serde::Serialize>(value: &T) -> Result<(), TestCaseError> {
    let ours: serde_json::Value = value.encode();
    let serde = serde_json::to_value(value).expect("serializes");
    prop_assert_eq!(numbers_as_f64(ours), numbers_as_f64(serde));
    Ok(())
}

fn capabilities() -> impl Strategy<Value = Capabilities> {
    let limits = (
        any::<u32>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(any::<u32>()),
        any::<u32>(),
    )
        .prop_map(
            |(max_arity, variadic, multi_arity, call_var_max_args, fn_wrapper_max_arity)| {
                RegistryLimits {
                    max_arity,
                    variadic,
                    multi_arity,
                    call_var_max_args,
                    fn_wrapper_max_arity,
                }
            },
        );
    let names = || proptest::collection::vec(text(), 0..3);
    (names(), names(), limits).prop_map(|(helpers, extensions, limits)| Capabilities {
        helpers,
        extensions,
        limits,
    })
}

fn namespaces() -> impl Strategy<Value = Namespaces> {
    // Each namespace once, as a JSON object can carry it.
    proptest::collection::btree_map(text(), proptest::collection::vec(text(), 0..3), 0..3)
        .prop_map(|map| map.into_iter().collect())
}

fn client_message() -> impl Strategy<Value = ClientMessage> {
    let abi = prop_oneof![Just(AbiForm::EntrySymbol), Just(AbiForm::Seed)];
    let hello = (
        any::<u32>(),
        (text(), text()),
        abi,
        (proptest::option::of(text()), proptest::option::of(text())),
        proptest::option::of(namespaces()),
        proptest::option::of(capabilities()),
    )
        .prop_map(
            |(protocol, (name, version), abi, (build_id, page_url), namespaces, capabilities)| {
                ClientMessage::Hello(Hello {
                    protocol,
                    client: ClientInfo { name, version },
                    abi,
                    build_id,
                    page_url,
                    namespaces,
                    capabilities,
                })
            },
        );
    let lang = prop_oneof![
        Just(SourceLang::Jank),
        Just(SourceLang::Cpp),
        Just(SourceLang::C)
    ];
    let eval = (
        text(),
        text(),
        proptest::option::of(text()),
        lang,
        proptest::option::of(text()),
        proptest::option::of(any::<u32>()),
        proptest::option::of(any::<u32>()),
    )
        .prop_map(|(id, code, ns, lang, file, line, column)| {
            ClientMessage::Eval(EvalRequest {
                id,
                code,
                ns,
                lang,
                file,
                line,
                column,
            })
        });
    let ack = (
        (whole(), any::<bool>(), proptest::option::of(eval_error())),
        ms(),
        (proptest::option::of(text()), proptest::option::of(text())),
        proptest::option::of(namespaces()),
    )
        .prop_map(
            |((patch_id, ok, error), load_ms, (value, out), namespaces)| {
                ClientMessage::PatchAck(PatchAck {
                    patch_id,
                    ok,
                    error,
                    load_ms,
                    value,
                    out,
                    namespaces,
                })
            },
        );
    let pong = whole().prop_map(|t| ClientMessage::Pong { t });
    prop_oneof![hello, eval, ack, pong]
}

proptest! {
    #[test]
    fn the_hand_encoder_writes_every_client_message_as_serde_does(message in client_message()) {
        assert_encodes_as_serde(&message)?;
        let json: serde_json::Value = message.encode();
        let parsed = parse_client_message(&json.to_string()).expect("the server reads it");
        prop_assert_eq!(parsed, message);
    }

    #[test]
    fn the_hand_encoder_writes_what_the_client_hands_to_javascript_as_serde_does(
        message in server_message(), header in patch_header(),
    ) {
        match &message {
            ServerMessage::Welcome(welcome) => assert_encodes_as_serde(welcome)?,
            ServerMessage::EvalResult(result) => assert_encodes_as_serde(result)?,
            ServerMessage::CompileError(notice) => assert_encodes_as_serde(&notice.error)?,
            _ => {}
        }
        assert_encodes_as_serde(&header)?;
    }
}
