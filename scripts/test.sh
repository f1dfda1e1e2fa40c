#!/usr/bin/env bash
# Every test: protocol, server (with real compiles and WebSockets), and the
# reference runtime in Node with patches from the real compile pipeline.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"

bash scripts/bootstrap.sh
bash scripts/build.sh debug

log "formatting and lints (cargo fmt --check, clippy -D warnings)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

log "Rust tests"
cargo test --workspace

log "fuzzing: 100,000 cases each for the frame decoder, the bencode decoder, the jank reader, front end and macro expander (release)"
cargo test --release -p jank-hot-reload-server --test fuzz

log "runtime tests (Node, emcc-built runtime, real patches)"
node --test tests/runtime/ tests/corpus/ tests/package/ tests/e2e/ tests/nrepl/ tests/watch/ tests/failure/

log "browser tests (headless Chromium, real runtime, real server)"
server_port=7901
control_port=7902
runner=127.0.0.1:8111
token="browser-test-$$-$RANDOM"

# Side modules the ordering tests load, with their entry symbols.
mkdir -p www/generated/fixtures
manifest="{"
for source in tests/browser/fixtures/*.c; do
  name=$(basename "$source" .c)
  summary=$(target/debug/jank-hot-reload compile "$source" -o "www/generated/fixtures/$name.wasm")
  manifest+="\"$name\":$summary,"
done
echo "${manifest%,}}" > www/generated/fixtures/manifest.json

JANK_HOT_RELOAD_BIN=target/debug/jank-hot-reload CONTROL_PORT=$control_port MISMATCH_PORT=7903 \
  node tests/browser/supervisor.mjs --port $server_port --token "$token" --www www --no-nrepl \
  --allow-origin "http://$runner" --log-level warn &
supervisor=$!
trap 'kill $supervisor 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$server_port/" && break
  sleep 0.1
done

JHR_TEST_SERVER="127.0.0.1:$server_port" JHR_TEST_TOKEN="$token" JHR_TEST_CONTROL="127.0.0.1:$control_port" \
JHR_TEST_MISMATCH="127.0.0.1:7903" \
WASM_BINDGEN_TEST_ADDRESS="$runner" WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 WASM_BINDGEN_TEST_TIMEOUT=120 \
  wasm-pack test --headless --chrome --chromedriver "$(command -v chromedriver)" -- --test browser
