#!/usr/bin/env bash
# Every test: protocol, server (with real compiles and WebSockets), and the
# reference runtime in Node with patches from the real compile pipeline.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"

bash scripts/bootstrap.sh
bash scripts/build.sh debug

log "Rust tests"
cargo test --workspace

log "runtime tests (Node, emcc-built runtime, real patches)"
node --test tests/runtime/
