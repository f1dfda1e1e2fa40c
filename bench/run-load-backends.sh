#!/usr/bin/env bash
# Patch load time in Chromium per jank backend (wasm, C). Usage: bench/run-load-backends.sh [runs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash scripts/build.sh debug >/dev/null
bench_header "$(chromium --version 2>/dev/null)"
node bench/load-backends.mjs "${1:-20}"
