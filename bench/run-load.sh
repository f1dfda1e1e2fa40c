#!/usr/bin/env bash
# Patch load time in headless Chromium by patch size, synchronous against async
# precompile, plus the client's .wasm size. Usage: bench/run-load.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash scripts/build.sh debug >/dev/null
bench_header "$(chromium --version 2>/dev/null)"

# Patches of about 200 B (the smallest a one-function side module gets), 4 KB, 64 KB and 1 MB.
mkdir -p www/generated/bench target/bench-src
manifest="{"
for size in 0 3500 64000 1040000; do
  name="size_$size"
  {
    if [ "$size" -gt 0 ]; then
      printf 'static const char blob[] = "'; head -c "$size" /dev/zero | tr '\0' 'x'; printf '";\n'
      echo 'static void *f(void) { return jank_make_string(blob); }'
    else
      echo 'static void *f(void) { return jank_nil_value(); }'
    fi
    echo 'JANK_PATCH_SYMBOLS({ "bench/f", "0", (void *)f })'
  } > "target/bench-src/$name.c"
  summary=$(target/debug/jank-hot-reload compile "target/bench-src/$name.c" -o "www/generated/bench/$name.wasm")
  manifest+="\"$name\":$summary,"
done
echo "${manifest%,}}" > www/generated/bench/manifest.json

port=7911
runner=127.0.0.1:8121
target/debug/jank-hot-reload --port $port --no-nrepl --www www --allow-origin "http://$runner" --log-level warn >/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

echo
echo "Patch load (client ack load_ms: FS write, precompile if any, dlopen, rebind):"
JHR_BENCH=1 JHR_TEST_SERVER="127.0.0.1:$port" WASM_BINDGEN_TEST_ADDRESS="$runner" \
WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 WASM_BINDGEN_TEST_TIMEOUT=300 \
  wasm-pack test --release --headless --chrome --chromedriver "$(command -v chromedriver)" \
  -- --test bench_load -- --nocapture 2>&1 | grep -E '^\|' || { echo "the load benchmark failed"; exit 1; }

echo
echo "Client size (wasm-pack --release, then wasm-opt as scripts/build.sh runs it):"
raw=target/client.raw.wasm
opt=pkg/jank_hot_reload_bg.wasm
printf '| raw | after wasm-opt -Oz | gzip -9 of that |\n|---:|---:|---:|\n| %s | %s | %s |\n' \
  "$(stat -c %s "$raw")" "$(stat -c %s "$opt")" "$(gzip -9 -c "$opt" | wc -c)"
