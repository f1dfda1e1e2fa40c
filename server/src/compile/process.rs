//! Runs a compiler as an argument vector (never through a shell), with a time
//! limit and a cap on how much output it may produce.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use thiserror::Error;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::Command;

use super::forkserver::{ForkServer, ForkServerError};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    /// Bytes of stdout and of stderr kept; the rest is read and dropped.
    pub output_cap: usize,
    /// Largest file the tool may write (enforced where the fork server runs it).
    pub max_file_bytes: usize,
}

#[derive(Debug, Error)]
pub enum RunError {
    #[error("could not start {program}: {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("{program} did not finish within {limit:?} and was killed")]
    TimedOut { program: String, limit: Duration },
    #[error("waiting for {program} failed: {source}")]
    Wait {
        program: String,
        source: std::io::Error,
    },
}

pub struct Finished {
    pub success: bool,
    pub stderr: String,
    pub stdout: String,
}

pub async fn run(
    program: &Path,
    args: &[String],
    cwd: &Path,
    limits: Limits,
) -> Result<Finished, RunError> {
    let name = program.display().to_string();
    let mut child = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env("NODE_PATH", super::toolchain::node_path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|source| RunError::Spawn {
            program: name.clone(),
            source,
        })?;

    let stdout = child
        .stdout
        .take()
        .map(|s| tokio::spawn(read_capped(s, limits.output_cap)));
    let stderr = child
        .stderr
        .take()
        .map(|s| tokio::spawn(read_capped(s, limits.output_cap)));

    let status = match tokio::time::timeout(limits.timeout, child.wait()).await {
        Ok(status) => status.map_err(|source| RunError::Wait {
            program: name.clone(),
            source,
        })?,
        Err(_) => {
            // kill_on_drop reaps it; kill now so the pipes close promptly.
            let _ = child.kill().await;
            return Err(RunError::TimedOut {
                program: name,
                limit: limits.timeout,
            });
        }
    };
    Ok(Finished {
        success: status.success(),
        stdout: join_output(stdout).await,
        stderr: join_output(stderr).await,
    })
}

/// Reads at most `cap` bytes of a tool's captured output file.
pub async fn read_capped_file(path: &Path, cap: usize) -> String {
    match tokio::fs::File::open(path).await {
        Ok(file) => read_capped(file, cap).await,
        Err(_) => String::new(),
    }
}

async fn join_output(task: Option<tokio::task::JoinHandle<String>>) -> String {
    match task {
        Some(task) => task.await.unwrap_or_default(),
        None => String::new(),
    }
}

/// Keeps the first `cap` bytes and drains the rest, so a chatty compiler never
/// blocks on a full pipe nor fills our memory.
async fn read_capped(mut stream: impl AsyncRead + Unpin, cap: usize) -> String {
    let mut kept = Vec::new();
    let mut buf = [0u8; 8192];
    let mut truncated = false;
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let room = cap.saturating_sub(kept.len());
                kept.extend_from_slice(&buf[..n.min(room)]);
                truncated |= n > room;
            }
        }
    }
    let mut text = String::from_utf8_lossy(&kept).into_owned();
    if truncated {
        text.push_str(&format!("\n[output truncated at {cap} bytes]"));
    }
    text
}

/// Runs one tool, through a fork server when one can be had, else by spawning.
/// The two give the same results; the fork server saves LLVM's start-up.
pub struct ToolRunner {
    program: PathBuf,
    /// The shim and the socket path, when fork serving is enabled.
    fork: Option<(PathBuf, PathBuf)>,
    server: Mutex<Option<Arc<ForkServer>>>,
    starting: tokio::sync::Mutex<()>,
}

impl ToolRunner {
    pub fn new(program: PathBuf, fork: Option<(PathBuf, PathBuf)>) -> Self {
        Self {
            program,
            fork,
            server: Mutex::new(None),
            starting: tokio::sync::Mutex::new(()),
        }
    }

    pub fn program(&self) -> &Path {
        &self.program
    }

    pub async fn run(
        &self,
        args: &[String],
        cwd: &Path,
        limits: Limits,
    ) -> Result<Finished, RunError> {
        if let Some(server) = self.fork_server().await {
            match server.run(args, cwd, limits).await {
                Ok(finished) => return Ok(finished),
                Err(ForkServerError::TimedOut(limit)) => {
                    return Err(RunError::TimedOut {
                        program: self.program.display().to_string(),
                        limit,
                    })
                }
                Err(err @ ForkServerError::Unavailable(_)) => {
                    tracing::warn!(program = %self.program.display(), "{err}; restarting it, spawning meanwhile");
                    *self.lock() = None;
                }
            }
        }
        run(&self.program, args, cwd, limits).await
    }

    /// The running fork server, started on first use; None if disabled or it
    /// cannot start (then this runner stops trying).
    async fn fork_server(&self) -> Option<Arc<ForkServer>> {
        let (shim, socket) = self.fork.as_ref()?;
        if let Some(server) = self.lock().clone() {
            return Some(server);
        }
        let _starting = self.starting.lock().await;
        if let Some(server) = self.lock().clone() {
            return Some(server);
        }
        match ForkServer::start(&self.program, shim, socket.clone()).await {
            Ok(server) => {
                let server = Arc::new(server);
                *self.lock() = Some(server.clone());
                tracing::debug!(program = %self.program.display(), "fork server started");
                Some(server)
            }
            Err(err) => {
                tracing::warn!(program = %self.program.display(), "{err}; compiles will spawn it each time");
                None
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Arc<ForkServer>>> {
        self.server.lock().unwrap_or_else(|e| e.into_inner())
    }
}
