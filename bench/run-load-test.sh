#!/usr/bin/env bash
# 10 pages, 500 patches in a row: every page acks every patch; memory per patch.
# Usage: bench/run-load-test.sh [pages] [patches]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash scripts/build.sh release >/dev/null
bench_header "$(chromium --version 2>/dev/null)"
node bench/load.mjs "${1:-10}" "${2:-500}"
