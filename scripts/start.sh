#!/usr/bin/env bash
# Installs what is missing, builds, and serves the demo on the reference runtime.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$repo_root"

bash scripts/bootstrap.sh
bash scripts/build.sh release
# Saving www/demo.jank (or any .jank file under www/) reloads it in the page.
exec target/release/jank-hot-reload --www www --watch www "$@"
