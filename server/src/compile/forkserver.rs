//! Client of the fork server in native/forkserver.c: keeps clang and wasm-ld
//! initialised, and runs each compile in a forked copy. This removes LLVM's
//! ~18 ms start-up from every step of every compile.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use thiserror::Error;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::UnixStream;
use tokio::process::{Child, Command};

use super::process::{read_capped_file, Finished, Limits};

/// The shim, built by build.rs, embedded so the binary is self-contained.
#[cfg(jhr_forkserver)]
pub(super) const SHIM: Option<&[u8]> = Some(include_bytes!(concat!(
    env!("OUT_DIR"),
    "/libjhr_forkserver.so"
)));
#[cfg(not(jhr_forkserver))]
pub const SHIM: Option<&[u8]> = None;

const SIGALRM: i32 = 14;
const START_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Error)]
pub(super) enum ForkServerError {
    /// The server is gone or misbehaved; the caller falls back to spawning.
    #[error("fork server unavailable: {0}")]
    Unavailable(String),
    #[error("did not finish within {0:?} and was killed")]
    TimedOut(Duration),
}

pub(super) struct ForkServer {
    socket: PathBuf,
    program: PathBuf,
    _process: Child,
}

impl ForkServer {
    /// Starts `program` under the shim and waits until it listens on `socket`.
    pub(super) async fn start(
        program: &Path,
        shim: &Path,
        socket: PathBuf,
    ) -> Result<Self, ForkServerError> {
        let mut process = Command::new(program)
            .env("LD_PRELOAD", shim)
            .env("JHR_FORKSERVER_SOCKET", &socket)
            .env("NODE_PATH", super::toolchain::node_path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                ForkServerError::Unavailable(format!("cannot start {}: {e}", program.display()))
            })?;
        let deadline = tokio::time::Instant::now() + START_TIMEOUT;
        loop {
            if UnixStream::connect(&socket).await.is_ok() {
                return Ok(Self {
                    socket,
                    program: program.to_owned(),
                    _process: process,
                });
            }
            if let Ok(Some(status)) = process.try_wait() {
                return Err(ForkServerError::Unavailable(format!(
                    "{} exited ({status}) instead of serving; is it dynamically linked against glibc?",
                    program.display()
                )));
            }
            if tokio::time::Instant::now() > deadline {
                return Err(ForkServerError::Unavailable(format!(
                    "{} did not start serving within {START_TIMEOUT:?}",
                    program.display()
                )));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// Runs the tool with `args` (argv[1..]) in `cwd`, under the limits.
    pub(super) async fn run(
        &self,
        args: &[String],
        cwd: &Path,
        limits: Limits,
    ) -> Result<Finished, ForkServerError> {
        let stderr_path = cwd.join(format!(
            "{}.stderr",
            self.program
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("tool")
        ));
        let timeout_secs = limits.timeout.as_secs_f64().ceil().max(1.0) as u64;
        let file_limit = (limits.output_cap.max(limits.max_file_bytes)) as u64;
        let mut fields: Vec<String> = vec![
            cwd.to_string_lossy().into_owned(),
            stderr_path.to_string_lossy().into_owned(),
            timeout_secs.to_string(),
            file_limit.to_string(),
            (args.len() + 1).to_string(),
            self.program.to_string_lossy().into_owned(),
        ];
        fields.extend(args.iter().cloned());
        let mut body = Vec::new();
        for field in &fields {
            if field.contains('\0') {
                return Err(ForkServerError::Unavailable("argument contains NUL".into()));
            }
            body.extend_from_slice(field.as_bytes());
            body.push(0);
        }

        let unavailable = |e: std::io::Error| ForkServerError::Unavailable(e.to_string());
        let mut stream = UnixStream::connect(&self.socket)
            .await
            .map_err(unavailable)?;
        stream
            .write_all(&(body.len() as u32).to_le_bytes())
            .await
            .map_err(unavailable)?;
        stream.write_all(&body).await.map_err(unavailable)?;
        let mut status = [0u8; 4];
        // The worker's alarm() enforces the limit; this is a backstop.
        let wait = limits.timeout + Duration::from_secs(2);
        match tokio::time::timeout(wait, stream.read_exact(&mut status)).await {
            Err(_) => return Err(ForkServerError::TimedOut(limits.timeout)),
            Ok(Err(e)) => return Err(unavailable(e)),
            Ok(Ok(_)) => {}
        }
        let status = i32::from_le_bytes(status);
        if status == -1 {
            return Err(ForkServerError::Unavailable(
                "the request was refused".into(),
            ));
        }
        if status == 128 + SIGALRM {
            return Err(ForkServerError::TimedOut(limits.timeout));
        }
        Ok(Finished {
            success: status == 0,
            stdout: String::new(),
            stderr: read_capped_file(&stderr_path, limits.output_cap).await,
        })
    }
}
