#!/usr/bin/env bash
# The jank front end's share of a compile, over the corpus. Usage: bench/run-jank.sh [runs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$repo_root"
bash scripts/bootstrap.sh
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -srm)"
echo "date:    $(date -u +%Y-%m-%dT%H:%MZ)"
cargo run --quiet --release -p jank-hot-reload-server --example bench_jank -- "${1:-50}"
