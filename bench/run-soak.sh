#!/usr/bin/env bash
# The demo page in headless Chromium for N minutes (default 10), with the
# collector on, and for a shorter baseline with it off, in the same run.
# Usage: bench/run-soak.sh [minutes]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash scripts/build.sh debug >/dev/null
bench_header "$(chromium --version 2>/dev/null)"
minutes=${1:-10}
baseline=$(( minutes < 2 ? minutes : 2 ))
echo
node bench/soak.mjs "$minutes" gc=on
node bench/soak.mjs "$baseline" gc=off | tail -1
