#!/usr/bin/env bash
# Compile benchmark: fast path vs emcc on the same patches (1, 10, 100 functions),
# alternating in one run, plus the cache hit. Usage: bench/run.sh [runs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$repo_root"
bash scripts/bootstrap.sh
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -srm)"
echo "date:    $(date -u +%Y-%m-%dT%H:%MZ)"
cargo run --quiet --release -p jank-hot-reload-server --example bench_compile -- "${1:-15}"
