#!/usr/bin/env bash
# The jank front end's share of a compile, over the corpus. Usage: bench/run-jank.sh [runs]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_header
cargo run --quiet --release -p jank-hot-reload-server --example bench_jank -- "${1:-50}"
