#!/usr/bin/env bash
# Builds what `npm start` and the tests run: the reference runtime (emcc), the
# server, and the browser client. Each step is incremental.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"
profile="${1:-debug}"

log "building the reference runtime (runtime/build)"
make -C runtime -j2 --no-print-directory | grep -v '^make' || true
test -f runtime/build/jank_runtime.js

log "building the server ($profile)"
if [ "$profile" = release ]; then cargo build --release -p jank-hot-reload-server
else cargo build -p jank-hot-reload-server; fi

log "building the browser client (pkg/)"
# Panic messages carry their source file's path: name crates from the
# registry by crate, not by this machine's absolute path (1 KB shipped).
remap=""
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$dir" ] && remap+=" --remap-path-prefix=$dir="
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-}$remap"
wasm-pack build --target web --release --out-dir pkg --no-pack >/dev/null 2>&1 \
  || wasm-pack build --target web --release --out-dir pkg --no-pack
# wasm-pack's own wasm-opt is off (it would download binaryen). Debian's
# binaryen 108 miscompiles current wasm-bindgen output (the externref table),
# so use the npm package's binaryen (a devDependency). The unoptimised copy
# stays in target/ for the size report. Merging similar functions first folds
# the near-identical monomorphised copies -Oz alone keeps (2 KB).
cp pkg/jank_hot_reload_bg.wasm target/client.raw.wasm
node_modules/.bin/wasm-opt --merge-similar-functions -Oz --converge --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  target/client.raw.wasm -o pkg/jank_hot_reload_bg.wasm
# Then short import, export and module names, renamed to match in the glue (8.5 KB).
node scripts/minify-client-names.mjs pkg

# The demo page loads the runtime from its own root.
mkdir -p www/generated
cp runtime/build/jank_runtime.js runtime/build/jank_runtime.wasm \
   runtime/build/jank_runtime_seed.js runtime/build/jank_runtime_seed.wasm \
   runtime/build/jank_runtime_fork.js runtime/build/jank_runtime_fork.wasm www/generated/
cp pkg/jank_hot_reload.js pkg/jank_hot_reload_bg.wasm www/generated/
