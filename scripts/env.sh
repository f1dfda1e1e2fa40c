# Sourced by every script: the environment the toolchain needs.
# Debian's emcc runs its JS optimizer under node and needs Debian's node modules (acorn).
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
export PATH="$HOME/.cargo/bin:$PATH"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf '\033[1m[jank-hot-reload]\033[0m %s\n' "$*" >&2; }
