//! JSON control messages. Every text frame is one of these, tagged by `type`.

use serde::{Deserialize, Serialize};

/// Which `jank_hot_reload_load_patch` form the page's runtime exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AbiForm {
    /// `jank_hot_reload_load_patch(path, entry_symbol)`: each patch's unique entry.
    #[default]
    EntrySymbol,
    /// `jank_hot_reload_load_patch(path)`: the seed form, entry `jank_patch_symbols`.
    Seed,
}

/// Source language of an `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SourceLang {
    /// jank (Clojure syntax), compiled by the server's jank compiler.
    #[default]
    Jank,
    /// A hand-written C++ patch using `jank/patch.h`.
    #[serde(rename = "c++", alias = "cpp")]
    Cpp,
    /// A hand-written C patch using `jank/patch.h`.
    C,
}

impl SourceLang {
    /// The language of a file by its extension (`"cljc"`, `"cpp"`, ...), or
    /// None for anything else. Every front end decides it here.
    pub fn from_extension(extension: &str) -> Option<SourceLang> {
        match extension {
            "jank" | "clj" | "cljc" => Some(SourceLang::Jank),
            "cpp" | "cc" | "cxx" | "c++" | "hpp" => Some(SourceLang::Cpp),
            "c" | "h" => Some(SourceLang::C),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol: u32,
    pub client: ClientInfo,
    #[serde(default)]
    pub abi: AbiForm,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// The runtime's namespaces and their vars, so the server compiles against
    /// what the page really has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Namespaces>,
    /// What the runtime can load; absent from older clients (then nothing
    /// is assumed missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capabilities: Option<crate::Capabilities>,
}

/// Namespace names with their vars' names: the JSON object
/// `{"ns": ["name", ...]}` on the wire. Held as pairs, not as a map, so the
/// browser client links no `BTreeMap` (4 KB of its `.wasm`); whoever builds
/// one names each namespace once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Namespaces(pub Vec<(String, Vec<String>)>);

impl Namespaces {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each namespace with its var names.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0
            .iter()
            .map(|(ns, names)| (ns.as_str(), names.as_slice()))
    }
}

impl FromIterator<(String, Vec<String>)> for Namespaces {
    fn from_iter<I: IntoIterator<Item = (String, Vec<String>)>>(pairs: I) -> Self {
        Namespaces(pairs.into_iter().collect())
    }
}

impl Serialize for Namespaces {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Namespaces {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Read as a map, which keeps a namespace named twice once.
        let map = std::collections::BTreeMap::<String, Vec<String>>::deserialize(deserializer)?;
        Ok(map.into_iter().collect())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalRequest {
    /// Chosen by the requester; echoed in the patch header and the result.
    pub id: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
    #[serde(default)]
    pub lang: SourceLang,
    /// The file the code comes from, for positions in errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Where the code starts in that file (1-based), as an editor sends it
    /// for one form: errors, and the code's own line numbers, are the file's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

/// The page's answer to every patch frame. A silent failure is a bug.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchAck {
    pub patch_id: u64,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<EvalError>,
    #[serde(default)]
    pub load_ms: f64,
    /// The printed value of the patch's expression, when it carried one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What the expression printed (println and friends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out: Option<String>,
    /// The runtime's namespaces after this patch (namespace sync).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespaces: Option<Namespaces>,
}

/// Messages a client sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ClientMessage {
    Hello(Hello),
    Eval(EvalRequest),
    PatchAck(PatchAck),
    /// Answer to the server's application-level ping.
    Pong {
        #[serde(default)]
        t: u64,
    },
}

/// Where in the pipeline an evaluation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    Read,
    Analyze,
    Compile,
    Transfer,
    Load,
    Run,
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Phase::Read => "read",
            Phase::Analyze => "analyze",
            Phase::Compile => "compile",
            Phase::Transfer => "transfer",
            Phase::Load => "load",
            Phase::Run => "run",
        })
    }
}

/// An error the user can act on: what failed, where, and the code around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalError {
    pub phase: Phase,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// A few source lines around `line`, with a caret under `column`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_frame: Option<String>,
}

impl EvalError {
    pub fn new(phase: Phase, message: impl Into<String>) -> Self {
        Self {
            phase,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            code_frame: None,
        }
    }
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} error", self.phase)?;
        if let Some(file) = &self.file {
            write!(f, " in {file}")?;
        }
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, " at {line}:{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Milliseconds spent in each step of one evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compile_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_ms: Option<f64>,
    /// True when the patch came from the cache without compiling.
    #[serde(default)]
    pub cached: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub protocol: u32,
    pub server_version: String,
    pub session_id: String,
    /// The id the next patch will carry, so the page can order what follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_patch_id: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvalResult {
    pub id: String,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<EvalError>,
    #[serde(default)]
    pub timings: Timings,
    /// The requester's namespace after the evaluation (jank source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ns: Option<String>,
}

/// Why the server refused a message or a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    VersionMismatch,
    MalformedMessage,
    UnknownType,
    MessageTooLarge,
    BadFrame,
    UnexpectedMessage,
    HelloRequired,
}

/// Messages the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ServerMessage {
    Welcome(Welcome),
    EvalResult(EvalResult),
    /// A compile error, broadcast to every page so that each HUD shows it.
    CompileError(CompileErrorNotice),
    /// A protocol-level refusal. The connection stays open unless said otherwise.
    Error(Refusal),
    /// Application-level liveness: browsers cannot observe WebSocket pings,
    /// so the client's idle watchdog counts these.
    Ping(Ping),
    /// A file under the served root changed: a stylesheet is swapped in
    /// place, an HTML page reloads (figwheel's and Vite's behaviour).
    AssetChanged(AssetChange),
}

/// A compile error for every page's HUD; `id` names the eval it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompileErrorNotice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub error: EvalError,
}

/// Why the server refused a message; `fatal` when it closes the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default)]
    pub fatal: bool,
}

/// The server's clock, echoed back in the pong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ping {
    pub t: u64,
}

/// A changed file under the served root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetChange {
    /// The URL path, `/styles/app.css`.
    pub path: String,
    pub reload: AssetReload,
}

/// What a page does about a changed asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssetReload {
    /// Re-fetch every `<link rel="stylesheet">` with this path.
    Css,
    /// Reload the page if it shows this path.
    Page,
}

/// The `type` values [`ClientMessage`] accepts, for error messages.
pub const CLIENT_MESSAGE_TYPES: &[&str] = &["hello", "eval", "patch-ack", "pong"];
