#!/usr/bin/env bash
# Persistent collections on the reference runtime (Node) beside JVM Clojure.
# Usage: bench/run-collections.sh [runs] [--curve]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
make -s -C runtime >/dev/null
cargo build -q -p jank-hot-reload-server
bench_header "node $(node --version), $(clojure -e '(print (clojure-version))' 2>/dev/null | sed 's/^/Clojure /'), $(java -version 2>&1 | head -1)"
echo
node bench/collections.mjs "${1:-5}" "${@:2}"
