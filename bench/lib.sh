# Sourced by every bench script: environment, set-up, and the machine and date
# each result is recorded with.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$repo_root"
bash scripts/bootstrap.sh

bench_header() {
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -srm)${1:+, $1}"
  echo "date:    $(date -u +%Y-%m-%dT%H:%MZ)"
}

# JVM Clojure and its nREPL: the baseline the editor benches run beside.
need_jvm_nrepl() {
  if [ ! -f /usr/share/java/nrepl.jar ]; then
    apt-get install -y -qq clojure libnrepl-clojure >/dev/null
  fi
}
