#!/usr/bin/env bash
# A runtime change against its baseline, in one run: builds the reference
# runtime and the server at REV in a git worktree, then times both side by
# side, each running code from its own compiler.
# Usage: bench/run-runtime-ab.sh REV [runs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rev=${1:?usage: bench/run-runtime-ab.sh REV [runs]}
base=$(mktemp -d)
trap 'git worktree remove --force "$base/tree" >/dev/null 2>&1 || true; rm -rf "$base"' EXIT
git worktree add --detach "$base/tree" "$rev" >/dev/null 2>&1
make -s -C "$base/tree/runtime" -j2 build/jank_runtime.js build/package.json >/dev/null
cargo build -q --release -p jank-hot-reload-server --manifest-path "$base/tree/Cargo.toml" --target-dir "$base/target"
make -s -C runtime -j2 >/dev/null
cargo build -q --release -p jank-hot-reload-server
bench_header "node $(node --version); base $(git rev-parse --short "$rev"), new $(git rev-parse --short HEAD)$(git diff --quiet -- runtime compiler || echo ' plus uncommitted changes')"
echo
BASE_BIN="$base/target/release/jank-hot-reload" JANK_HOT_RELOAD_BIN=target/release/jank-hot-reload node bench/runtime-ab.mjs "$base/tree/runtime/build" runtime/build "${2:-9}"
