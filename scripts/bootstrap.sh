#!/usr/bin/env bash
# Installs whatever is missing to build, test and run jank-hot-reload, and
# nothing else. Idempotent: a second run only checks, in about a second.
#
#   Debian: emscripten (emcc, clang-14, wasm-ld-14), binaryen, chromium, chromium-driver,
#           clojure, libnrepl-clojure, node-acorn, libboost1.81-dev (headers only)
#   Rust:   the wasm32-unknown-unknown target, wasm-bindgen-cli (pinned to Cargo.lock), wasm-pack
#   npm:    the dependencies in package-lock.json
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else log "need root to run: $*"; exit 1
  fi
}

# --- Debian packages -------------------------------------------------------
missing=()
command -v emcc >/dev/null || missing+=(emscripten)
command -v clang++-14 >/dev/null || missing+=(clang-14)
command -v wasm-ld-14 >/dev/null || missing+=(lld-14)
command -v wasm-opt >/dev/null || missing+=(binaryen)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
# JVM Clojure: the reference that equality, hashing and printing are checked against.
command -v clojure >/dev/null || missing+=(clojure)
# nREPL's own client (nrepl.cmdline --connect): a client the nREPL tests did not write.
[ -f /usr/share/java/nrepl.jar ] || missing+=(libnrepl-clojure)
[ -f /usr/share/nodejs/acorn/package.json ] || missing+=(node-acorn)
# Boost's headers: Multiprecision for the runtime's BigInts and ratios, and
# Regex for Java's regex syntax. Regex is header-only from Boost 1.76 on;
# Debian 12's default Boost is 1.74, so this asks for 1.81 by name.
[ -f /usr/include/boost/multiprecision/cpp_int.hpp ] && [ -f /usr/include/boost/regex/v5/regex.hpp ] \
  || missing+=(libboost1.81-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Rust ------------------------------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo install --locked first; some registry mirrors miss a locked transitive
# version, so fall back to resolving afresh.
cargo_install() {
  cargo install --locked "$@" || cargo install "$@"
}

want_bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ -n "$want_bindgen" ] && [ "$want_bindgen" != "$have_bindgen" ]; then
  log "installing wasm-bindgen-cli $want_bindgen (have: ${have_bindgen:-none})"
  cargo_install wasm-bindgen-cli --version "$want_bindgen"
fi

if ! command -v wasm-pack >/dev/null; then
  log "installing wasm-pack"
  cargo_install wasm-pack
fi

# --- npm -------------------------------------------------------------------
stamp=node_modules/.bootstrap-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  log "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  mkdir -p node_modules && touch "$stamp"
fi
