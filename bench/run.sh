#!/usr/bin/env bash
# Compile benchmark: fast path vs emcc on the same patches (1, 10, 100 functions),
# alternating in one run, plus the cache hit. Usage: bench/run.sh [runs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_header
cargo run --quiet --release -p jank-hot-reload-server --example bench_compile -- "${1:-15}"
echo
echo "jank to a side module, per backend (server/examples/bench_backends.rs):"
cargo run --quiet --release -p jank-hot-reload-server --example bench_backends -- "${1:-15}"
