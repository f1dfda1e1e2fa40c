//! What the browser client writes, built as JSON values through [`JsonOut`],
//! without serde's derived `Serialize`.
//!
//! The counterpart of [`crate::decode`], for the same reason: serde's code
//! was too large a part of the client's `.wasm`. The client builds JS objects
//! and lets `JSON.stringify` write the text. The serde derives stay the
//! definition of the wire format: `tests/protocol.rs` checks, for arbitrary
//! values, that this encoder writes what serde_json writes, member for member,
//! with the same members left out.

use crate::{
    AbiForm, Capabilities, ClientInfo, ClientMessage, EvalError, EvalRequest, EvalResult, Hello,
    PatchAck, PatchHeader, Phase, RegistryLimits, SourceLang, Timings, VarInfo, Welcome,
};

/// A JSON value under construction.
pub trait JsonOut: Sized {
    /// An empty object, for [`JsonOut::set`].
    fn object() -> Self;
    fn array(items: Vec<Self>) -> Self;
    fn string(text: &str) -> Self;
    fn number(number: f64) -> Self;
    fn boolean(value: bool) -> Self;
    fn null() -> Self;
    /// Sets a member of an object made by [`JsonOut::object`].
    fn set_entry(&mut self, key: &str, value: Self);
    /// Sets a member whose name is a literal (a struct's field), which an
    /// implementation may keep made.
    fn set(&mut self, key: &'static str, value: Self) {
        self.set_entry(key, value);
    }
}

/// A type written as a JSON value.
pub trait Encode {
    fn encode<J: JsonOut>(&self) -> J;
}

/// An object written member by member, with serde's rules for leaving
/// members out.
pub struct ObjectOut<J>(J);

impl<J: JsonOut> ObjectOut<J> {
    pub fn new() -> Self {
        ObjectOut(J::object())
    }

    /// A member always written.
    pub fn field<T: Encode + ?Sized>(mut self, key: &'static str, value: &T) -> Self {
        self.0.set(key, value.encode());
        self
    }

    /// A member left out when None (`skip_serializing_if = "Option::is_none"`).
    pub fn optional<T: Encode>(self, key: &'static str, value: &Option<T>) -> Self {
        match value {
            Some(value) => self.field(key, value),
            None => self,
        }
    }

    /// A list left out when empty (`skip_serializing_if = "Vec::is_empty"`).
    pub fn nonempty<T: Encode>(self, key: &'static str, items: &[T]) -> Self {
        if items.is_empty() {
            self
        } else {
            self.field(key, items)
        }
    }

    /// A flag left out when false.
    pub fn flag(self, key: &'static str, value: bool) -> Self {
        if value {
            self.field(key, &true)
        } else {
            self
        }
    }

    pub fn finish(self) -> J {
        self.0
    }
}

impl<J: JsonOut> Default for ObjectOut<J> {
    fn default() -> Self {
        Self::new()
    }
}

impl Encode for str {
    fn encode<J: JsonOut>(&self) -> J {
        J::string(self)
    }
}

impl Encode for String {
    fn encode<J: JsonOut>(&self) -> J {
        J::string(self)
    }
}

impl Encode for bool {
    fn encode<J: JsonOut>(&self) -> J {
        J::boolean(*self)
    }
}

impl Encode for f64 {
    fn encode<J: JsonOut>(&self) -> J {
        J::number(*self)
    }
}

impl Encode for u64 {
    fn encode<J: JsonOut>(&self) -> J {
        J::number(*self as f64)
    }
}

impl Encode for u32 {
    fn encode<J: JsonOut>(&self) -> J {
        J::number(f64::from(*self))
    }
}

impl<T: Encode> Encode for [T] {
    fn encode<J: JsonOut>(&self) -> J {
        J::array(self.iter().map(Encode::encode).collect())
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode<J: JsonOut>(&self) -> J {
        self.as_slice().encode()
    }
}

impl Encode for crate::Namespaces {
    fn encode<J: JsonOut>(&self) -> J {
        let mut object = J::object();
        for (ns, names) in self.iter() {
            object.set_entry(ns, names.encode());
        }
        object
    }
}

impl Encode for Phase {
    fn encode<J: JsonOut>(&self) -> J {
        J::string(&self.to_string())
    }
}

impl Encode for AbiForm {
    fn encode<J: JsonOut>(&self) -> J {
        J::string(match self {
            AbiForm::EntrySymbol => "entry-symbol",
            AbiForm::Seed => "seed",
        })
    }
}

impl Encode for SourceLang {
    fn encode<J: JsonOut>(&self) -> J {
        J::string(match self {
            SourceLang::Jank => "jank",
            SourceLang::Cpp => "c++",
            SourceLang::C => "c",
        })
    }
}

impl Encode for EvalError {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("phase", &self.phase)
            .field("message", &self.message)
            .optional("file", &self.file)
            .optional("line", &self.line)
            .optional("column", &self.column)
            .optional("code_frame", &self.code_frame)
            .finish()
    }
}

impl Encode for Timings {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .optional("compile_ms", &self.compile_ms)
            .optional("load_ms", &self.load_ms)
            .optional("total_ms", &self.total_ms)
            .field("cached", &self.cached)
            .finish()
    }
}

impl Encode for Welcome {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("protocol", &self.protocol)
            .field("server_version", &self.server_version)
            .field("session_id", &self.session_id)
            .optional("next_patch_id", &self.next_patch_id)
            .finish()
    }
}

impl Encode for EvalResult {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("id", &self.id)
            .field("ok", &self.ok)
            .optional("value", &self.value)
            .optional("out", &self.out)
            .optional("error", &self.error)
            .field("timings", &self.timings)
            .optional("ns", &self.ns)
            .finish()
    }
}

impl Encode for VarInfo {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("name", &self.name)
            .field("arity", &self.arity)
            .finish()
    }
}

impl Encode for PatchHeader {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("patch_id", &self.patch_id)
            .optional("id", &self.id)
            .field("entry_symbol", &self.entry_symbol)
            .field("vars", &self.vars)
            .optional("ns", &self.ns)
            .field("hash", &self.hash)
            .field("byte_length", &self.byte_length)
            .field("compile_ms", &self.compile_ms)
            .optional("run", &self.run)
            .nonempty("before_load", &self.before_load)
            .nonempty("after_load", &self.after_load)
            .optional("session", &self.session)
            .flag("catch_up", self.catch_up)
            .finish()
    }
}

impl Encode for RegistryLimits {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("max_arity", &self.max_arity)
            .field("variadic", &self.variadic)
            .field("multi_arity", &self.multi_arity)
            .optional("call_var_max_args", &self.call_var_max_args)
            .field("fn_wrapper_max_arity", &self.fn_wrapper_max_arity)
            .finish()
    }
}

impl Encode for Capabilities {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("helpers", &self.helpers)
            .field("extensions", &self.extensions)
            .field("limits", &self.limits)
            .finish()
    }
}

impl Encode for ClientInfo {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("name", &self.name)
            .field("version", &self.version)
            .finish()
    }
}

impl Encode for PatchAck {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("patch_id", &self.patch_id)
            .field("ok", &self.ok)
            .optional("error", &self.error)
            .field("load_ms", &self.load_ms)
            .optional("value", &self.value)
            .optional("out", &self.out)
            .optional("namespaces", &self.namespaces)
            .finish()
    }
}

impl Encode for Hello {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("protocol", &self.protocol)
            .field("client", &self.client)
            .field("abi", &self.abi)
            .optional("build_id", &self.build_id)
            .optional("page_url", &self.page_url)
            .optional("namespaces", &self.namespaces)
            .optional("capabilities", &self.capabilities)
            .finish()
    }
}

impl Encode for EvalRequest {
    fn encode<J: JsonOut>(&self) -> J {
        ObjectOut::new()
            .field("id", &self.id)
            .field("code", &self.code)
            .optional("ns", &self.ns)
            .field("lang", &self.lang)
            .optional("file", &self.file)
            .optional("line", &self.line)
            .optional("column", &self.column)
            .finish()
    }
}

/// Tagged by `type`, as serde's `#[serde(tag = "type")]` writes it.
impl Encode for ClientMessage {
    fn encode<J: JsonOut>(&self) -> J {
        match self {
            ClientMessage::Hello(hello) => tagged("hello", hello.encode()),
            ClientMessage::Eval(request) => tagged("eval", request.encode()),
            ClientMessage::PatchAck(ack) => tagged("patch-ack", ack.encode()),
            ClientMessage::Pong { t } => tagged("pong", ObjectOut::new().field("t", t).finish()),
        }
    }
}

fn tagged<J: JsonOut>(kind: &'static str, mut body: J) -> J {
    body.set("type", J::string(kind));
    body
}

/// serde_json's values, so the encoder is tested against serde's own output.
impl JsonOut for serde_json::Value {
    fn object() -> Self {
        serde_json::Value::Object(serde_json::Map::new())
    }
    fn array(items: Vec<Self>) -> Self {
        serde_json::Value::Array(items)
    }
    fn string(text: &str) -> Self {
        serde_json::Value::String(text.to_owned())
    }
    /// As `JSON.stringify` writes it: a whole number without a fraction.
    fn number(number: f64) -> Self {
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if number.fract() == 0.0 && number.abs() < EXACT {
            (number as i64).into()
        } else {
            serde_json::Number::from_f64(number).map_or(serde_json::Value::Null, Into::into)
        }
    }
    fn boolean(value: bool) -> Self {
        serde_json::Value::Bool(value)
    }
    fn null() -> Self {
        serde_json::Value::Null
    }
    fn set_entry(&mut self, key: &str, value: Self) {
        if let serde_json::Value::Object(members) = self {
            members.insert(key.to_owned(), value);
        }
    }
}
