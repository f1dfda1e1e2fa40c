#!/usr/bin/env bash
# nREPL eval of a defn through the browser's ack to done. Usage: bench/run-turnaround.sh [runs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# The baseline: Clojure's own nREPL server on the JVM.
need_jvm_nrepl
bash scripts/build.sh release >/dev/null
bench_header "$(chromium --version 2>/dev/null)"
node bench/turnaround.mjs "${1:-30}"
