#!/usr/bin/env bash
# An eval that prints, through the page, beside JVM Clojure's nREPL. Usage: bench/run-output.sh [runs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_jvm_nrepl
bash scripts/build.sh release >/dev/null
bench_header "$(chromium --version 2>/dev/null)"
node bench/output.mjs "${1:-5}"
