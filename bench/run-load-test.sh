#!/usr/bin/env bash
# 10 pages, 500 patches in a row: every page acks every patch; memory per patch.
# Usage: bench/run-load-test.sh [pages] [patches]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$repo_root"
bash scripts/bootstrap.sh
bash scripts/build.sh release >/dev/null
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -srm), $(chromium --version 2>/dev/null)"
echo "date:    $(date -u +%Y-%m-%dT%H:%MZ)"
node bench/load.mjs "${1:-10}" "${2:-500}"
