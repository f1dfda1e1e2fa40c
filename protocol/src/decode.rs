//! What the browser client reads, decoded from JSON that is already parsed,
//! without serde's derived `Deserialize`.
//!
//! Why: in the client's `.wasm`, serde's decoders (a visitor per type, and
//! core's float printer, which serde's error messages link) were a quarter of
//! the module. The client parses with the browser's `JSON.parse` and reads the
//! result through [`Json`]. The derived serde impls stay the definition of the
//! wire format: `tests/protocol.rs` checks, for arbitrary values, that this
//! decoder reads back exactly what serde_json writes.

use crate::{
    AssetChange, AssetReload, CompileErrorNotice, ErrorCode, EvalError, EvalResult, PatchHeader,
    Phase, Ping, Refusal, RegistryLimits, ServerMessage, SourceLang, Timings, VarInfo, Welcome,
};

/// A parsed JSON value, as far as the decoder looks into it.
pub trait Json: Sized {
    /// The member `key` of an object; None when it is absent or null, or when
    /// this is not an object. Member names are literals, so an implementation
    /// may keep each name's own representation.
    fn member(&self, key: &'static str) -> Option<Self>;
    fn as_string(&self) -> Option<String>;
    fn as_number(&self) -> Option<f64>;
    fn as_boolean(&self) -> Option<bool>;
    /// An array's items.
    fn items(&self) -> Option<Vec<Self>>;
    /// An object's members with their names (null members left out).
    fn entries(&self) -> Option<Vec<(String, Self)>>;
    /// An object, and not an array.
    fn is_object(&self) -> bool;
}

/// Why a value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A member is missing or has the wrong shape.
    #[error("{} must be {expected}", if field.is_empty() { "the value" } else { field })]
    Field {
        /// Dotted path from the decoded value, `error.phase`; empty for the value itself.
        field: String,
        expected: &'static str,
    },
    #[error("unknown message type \"{0}\" (a newer server?)")]
    UnknownType(String),
}

impl DecodeError {
    /// The value itself is not of the expected shape; its caller names it.
    pub fn here(expected: &'static str) -> Self {
        DecodeError::Field {
            field: String::new(),
            expected,
        }
    }

    fn within(self, outer: &str) -> Self {
        match self {
            DecodeError::Field { field, expected } => DecodeError::Field {
                field: if field.is_empty() {
                    outer.to_owned()
                } else {
                    format!("{outer}.{field}")
                },
                expected,
            },
            other => other,
        }
    }
}

/// A type read from a JSON value.
pub trait Decode: Sized {
    /// How the value should look, for errors: `"a string"`.
    const EXPECTED: &'static str;
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError>;
}

/// The members of one JSON object, read by name with serde's defaults.
pub struct Object<'a, J>(&'a J);

impl<'a, J: Json> Object<'a, J> {
    pub fn of(value: &'a J) -> Result<Self, DecodeError> {
        if value.is_object() {
            Ok(Object(value))
        } else {
            Err(DecodeError::here("an object"))
        }
    }

    /// A member that must be there.
    pub fn required<T: Decode>(&self, key: &'static str) -> Result<T, DecodeError> {
        match self.0.member(key) {
            Some(value) => T::decode(&value).map_err(|e| e.within(key)),
            None => Err(DecodeError::Field {
                field: key.to_owned(),
                expected: T::EXPECTED,
            }),
        }
    }

    /// A member that may be absent or null (`Option` fields).
    pub fn optional<T: Decode>(&self, key: &'static str) -> Result<Option<T>, DecodeError> {
        self.0
            .member(key)
            .map(|value| T::decode(&value).map_err(|e| e.within(key)))
            .transpose()
    }

    /// A member whose absence means `default`.
    pub fn or<T: Decode>(&self, key: &'static str, default: T) -> Result<T, DecodeError> {
        Ok(self.optional(key)?.unwrap_or(default))
    }

    /// A member whose absence means its type's default (`#[serde(default)]`).
    pub fn or_default<T: Decode + Default>(&self, key: &'static str) -> Result<T, DecodeError> {
        self.or(key, T::default())
    }
}

/// A unit enum variant by its wire name.
pub fn variant<J: Json, T: Copy>(
    value: &J,
    names: &[(&str, T)],
    expected: &'static str,
) -> Result<T, DecodeError> {
    let name = value.as_string();
    names
        .iter()
        .find(|(wire, _)| Some(*wire) == name.as_deref())
        .map(|(_, variant)| *variant)
        .ok_or(DecodeError::here(expected))
}

impl Decode for String {
    const EXPECTED: &'static str = "a string";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        value.as_string().ok_or(DecodeError::here(Self::EXPECTED))
    }
}

impl Decode for bool {
    const EXPECTED: &'static str = "true or false";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        value.as_boolean().ok_or(DecodeError::here(Self::EXPECTED))
    }
}

impl Decode for f64 {
    const EXPECTED: &'static str = "a number";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        value.as_number().ok_or(DecodeError::here(Self::EXPECTED))
    }
}

/// A whole number no larger than `max`, from a JSON number (an f64 in the browser).
fn whole_number<J: Json>(value: &J, max: f64, expected: &'static str) -> Result<f64, DecodeError> {
    value
        .as_number()
        .filter(|n| n.fract() == 0.0 && (0.0..=max).contains(n))
        .ok_or(DecodeError::here(expected))
}

impl Decode for u64 {
    const EXPECTED: &'static str = "a whole number";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        // Past 2^53 a JSON number is not exact in the browser; ids never get there.
        whole_number(value, 9_007_199_254_740_991.0, Self::EXPECTED).map(|n| n as u64)
    }
}

impl Decode for u32 {
    const EXPECTED: &'static str = "a whole number below 2^32";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        whole_number(value, u32::MAX as f64, Self::EXPECTED).map(|n| n as u32)
    }
}

impl<T: Decode> Decode for Vec<T> {
    const EXPECTED: &'static str = "an array";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let items = value.items().ok_or(DecodeError::here(Self::EXPECTED))?;
        // A loop, not `collect` into a `Result`, which is more code in the client.
        let mut decoded = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            decoded.push(T::decode(item).map_err(|e| e.within(&i.to_string()))?);
        }
        Ok(decoded)
    }
}

/// An object whose members are lists of names.
impl Decode for crate::Namespaces {
    const EXPECTED: &'static str = "an object";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        Object::of(value)?;
        let entries = value.entries().ok_or(DecodeError::here(Self::EXPECTED))?;
        let mut namespaces = Vec::with_capacity(entries.len());
        for (ns, names) in entries {
            let names = Vec::decode(&names).map_err(|e| e.within(&ns))?;
            namespaces.push((ns, names));
        }
        Ok(crate::Namespaces(namespaces))
    }
}

impl Decode for Phase {
    const EXPECTED: &'static str = "a phase (read, analyze, compile, transfer, load or run)";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        use Phase::*;
        let names = [
            ("read", Read),
            ("analyze", Analyze),
            ("compile", Compile),
            ("transfer", Transfer),
            ("load", Load),
            ("run", Run),
        ];
        variant(value, &names, Self::EXPECTED)
    }
}

impl Decode for ErrorCode {
    const EXPECTED: &'static str = "an error code";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        use ErrorCode::*;
        let names = [
            ("version-mismatch", VersionMismatch),
            ("malformed-message", MalformedMessage),
            ("unknown-type", UnknownType),
            ("message-too-large", MessageTooLarge),
            ("bad-frame", BadFrame),
            ("unexpected-message", UnexpectedMessage),
            ("hello-required", HelloRequired),
        ];
        variant(value, &names, Self::EXPECTED)
    }
}

impl Decode for AssetReload {
    const EXPECTED: &'static str = "css or page";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        variant(
            value,
            &[("css", AssetReload::Css), ("page", AssetReload::Page)],
            Self::EXPECTED,
        )
    }
}

impl Decode for SourceLang {
    const EXPECTED: &'static str = "jank, c++ or c";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let names = [
            ("jank", SourceLang::Jank),
            ("c++", SourceLang::Cpp),
            ("cpp", SourceLang::Cpp),
            ("c", SourceLang::C),
        ];
        variant(value, &names, Self::EXPECTED)
    }
}

impl Decode for EvalError {
    const EXPECTED: &'static str = "an error object";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(EvalError {
            phase: o.required("phase")?,
            message: o.required("message")?,
            file: o.optional("file")?,
            line: o.optional("line")?,
            column: o.optional("column")?,
            code_frame: o.optional("code_frame")?,
        })
    }
}

impl Decode for Timings {
    const EXPECTED: &'static str = "a timings object";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(Timings {
            compile_ms: o.optional("compile_ms")?,
            load_ms: o.optional("load_ms")?,
            total_ms: o.optional("total_ms")?,
            cached: o.or_default("cached")?,
        })
    }
}

impl Decode for Welcome {
    const EXPECTED: &'static str = "a welcome";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(Welcome {
            protocol: o.required("protocol")?,
            server_version: o.required("server_version")?,
            session_id: o.required("session_id")?,
            next_patch_id: o.optional("next_patch_id")?,
        })
    }
}

impl Decode for EvalResult {
    const EXPECTED: &'static str = "an eval result";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(EvalResult {
            id: o.required("id")?,
            ok: o.required("ok")?,
            value: o.optional("value")?,
            out: o.optional("out")?,
            error: o.optional("error")?,
            timings: o.or_default("timings")?,
            ns: o.optional("ns")?,
        })
    }
}

impl Decode for CompileErrorNotice {
    const EXPECTED: &'static str = "a compile error";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(CompileErrorNotice {
            id: o.optional("id")?,
            error: o.required("error")?,
        })
    }
}

impl Decode for Refusal {
    const EXPECTED: &'static str = "an error";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(Refusal {
            code: o.required("code")?,
            message: o.required("message")?,
            fatal: o.or_default("fatal")?,
        })
    }
}

impl Decode for Ping {
    const EXPECTED: &'static str = "a ping";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        Ok(Ping {
            t: Object::of(value)?.required("t")?,
        })
    }
}

impl Decode for AssetChange {
    const EXPECTED: &'static str = "an asset change";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(AssetChange {
            path: o.required("path")?,
            reload: o.required("reload")?,
        })
    }
}

impl Decode for ServerMessage {
    const EXPECTED: &'static str = "a message object";
    /// Reads the `type` first and decodes that variant's struct; a `type`
    /// this version does not know is [`DecodeError::UnknownType`].
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let kind: String = Object::of(value)?.required("type")?;
        let message = match kind.as_str() {
            "welcome" => Welcome::decode(value).map(Self::Welcome),
            "eval-result" => EvalResult::decode(value).map(Self::EvalResult),
            "compile-error" => CompileErrorNotice::decode(value).map(Self::CompileError),
            "error" => Refusal::decode(value).map(Self::Error),
            "ping" => Ping::decode(value).map(Self::Ping),
            "asset-changed" => AssetChange::decode(value).map(Self::AssetChanged),
            _ => return Err(DecodeError::UnknownType(kind)),
        };
        message.map_err(|e| e.within(&kind))
    }
}

impl Decode for VarInfo {
    const EXPECTED: &'static str = "a var";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(VarInfo {
            name: o.required("name")?,
            arity: o.required("arity")?,
        })
    }
}

impl Decode for PatchHeader {
    const EXPECTED: &'static str = "a patch header";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(PatchHeader {
            patch_id: o.required("patch_id")?,
            id: o.optional("id")?,
            entry_symbol: o.required("entry_symbol")?,
            vars: o.or_default("vars")?,
            ns: o.optional("ns")?,
            hash: o.required("hash")?,
            byte_length: o.required("byte_length")?,
            compile_ms: o.or_default("compile_ms")?,
            run: o.optional("run")?,
            before_load: o.or_default("before_load")?,
            after_load: o.or_default("after_load")?,
            session: o.optional("session")?,
            catch_up: o.or_default("catch_up")?,
        })
    }
}

impl Decode for RegistryLimits {
    const EXPECTED: &'static str = "registry limits";
    fn decode<J: Json>(value: &J) -> Result<Self, DecodeError> {
        let o = Object::of(value)?;
        Ok(RegistryLimits {
            max_arity: o.required("max_arity")?,
            variadic: o.required("variadic")?,
            multi_arity: o.required("multi_arity")?,
            call_var_max_args: o.optional("call_var_max_args")?,
            fn_wrapper_max_arity: o.required("fn_wrapper_max_arity")?,
        })
    }
}

/// serde_json's values, so the decoder is tested against serde's own output.
impl Json for serde_json::Value {
    fn member(&self, key: &'static str) -> Option<Self> {
        self.get(key).filter(|v| !v.is_null()).cloned()
    }
    fn as_string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn as_number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn as_boolean(&self) -> Option<bool> {
        self.as_bool()
    }
    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
    fn entries(&self) -> Option<Vec<(String, Self)>> {
        let members = self.as_object()?.iter();
        Some(
            members
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        )
    }
    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }
}
