#!/usr/bin/env bash
# A runtime change against its baseline, in one run: builds the reference
# runtime at REV in a git worktree, then times both builds side by side.
# Usage: bench/run-runtime-ab.sh REV [runs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rev=${1:?usage: bench/run-runtime-ab.sh REV [runs]}
base=$(mktemp -d)
trap 'git worktree remove --force "$base/tree" >/dev/null 2>&1 || true; rm -rf "$base"' EXIT
git worktree add --detach "$base/tree" "$rev" >/dev/null 2>&1
make -s -C "$base/tree/runtime" -j2 build/jank_runtime.js build/package.json >/dev/null
make -s -C runtime -j2 >/dev/null
cargo build -q --release -p jank-hot-reload-server
bench_header "node $(node --version); base $(git rev-parse --short "$rev"), new $(git rev-parse --short HEAD)$(git diff --quiet -- runtime || echo ' plus uncommitted runtime changes')"
echo
JANK_HOT_RELOAD_BIN=target/release/jank-hot-reload node bench/runtime-ab.mjs "$base/tree/runtime/build" runtime/build "${2:-9}"
