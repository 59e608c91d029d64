#!/usr/bin/env bash
# certcost set-up: installs what is missing, then fetches and checks the
# third-party sources and builds the counting plugin. Safe to re-run: every
# step checks first and does nothing when its result is already there.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${CERTCOST_CACHE:-$ROOT/.cache}
SRC=$CACHE/src
mkdir -p "$SRC" "$CACHE/bin" "$CACHE/dl"
say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# ---- 1. Debian packages -------------------------------------------------
PKGS=(gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm openssl libglib2.0-dev pkg-config
      gcc make cmake dpkg-dev xz-utils bzip2 ca-certificates)
# Reports: node-canvas (under chartjs-node-canvas) compiles from source against
# cairo/pango; chromium checks the HTML report in the tests.
# Peers: gnutls-serv is the GnuTLS DTLS peer (scenario peer: { kind: gnutls }).
PKGS+=(gnutls-bin)
PKGS+=(build-essential python3 libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev
       chromium fonts-dejavu-core)
# Coverage-guided fuzzing on the host (certcost fuzz --engine libfuzzer, fuzz/host/):
# clang with libFuzzer and the sanitizer runtimes, and llvm-symbolizer for reports.
# The kill test and every child process use util-linux's setpriv (--pdeathsig).
PKGS+=(clang-14 libclang-rt-14-dev llvm-14 util-linux)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  [ "$(id -u)" = 0 ] || die "missing Debian packages (${missing[*]}); run as root or install them"
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# ---- 2. npm dependencies -------------------------------------------------
if [ ! -f "$ROOT/node_modules/.package-lock.json" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  say "npm ci"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi

# ---- 3. Debian source packages, through a private apt state -------------
# deb-src entries are derived from this machine's own apt sources, and kept
# in the cache, so the system's apt configuration is left untouched.
APT_DIR=$CACHE/apt
apt_src() {
  apt-get -q -o Dir::Etc::SourceList="$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
    -o Dir::State::Lists="$APT_DIR/lists" -o Dir::Cache="$APT_DIR/cache" "$@"
}
apt_ready=0
prepare_apt() {
  [ $apt_ready = 1 ] && return
  mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
  node "$ROOT/setup/deb-src-list.mjs" > "$APT_DIR/sources.list.new"
  if ! cmp -s "$APT_DIR/sources.list.new" "$APT_DIR/sources.list" || [ -z "$(ls "$APT_DIR/lists" | grep Sources || true)" ]; then
    mv "$APT_DIR/sources.list.new" "$APT_DIR/sources.list"
    say "apt-get update (deb-src, private lists)"
    apt_src update >/dev/null
  fi
  rm -f "$APT_DIR/sources.list.new"
  apt_ready=1
}
# Newest Debian version of source package $1 whose upstream version is $2.
src_version() {
  apt-cache -o Dir::Etc::SourceList="$APT_DIR/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
    -o Dir::State::Lists="$APT_DIR/lists" -o Dir::Cache="$APT_DIR/cache" showsrc "$1" 2>/dev/null |
    sed -n 's/^Version: //p' | grep -E "^([0-9]+:)?$2([-+~].*)?$" | sort -V | tail -n1
}
check_sha() { echo "$2  $1" | sha256sum -c --status || die "sha256 mismatch for $1 (want $2, got $(sha256sum "$1" | cut -d' ' -f1))"; }

fetch_debian_src() { # name upstream sha dest
  local name=$1 up=$2 sha=$3 dest=$4
  if [ -f "$SRC/$dest/.certcost-ok" ] && [ "$(cat "$SRC/$dest/.certcost-ok")" = "$sha" ]; then return; fi
  prepare_apt
  local ver; ver=$(src_version "$name" "$up")
  [ -n "$ver" ] || die "no Debian source package $name with upstream version $up"
  say "apt-get source $name=$ver"
  (cd "$CACHE/dl" && apt_src source --download-only "$name=$ver" >/dev/null 2>&1) || die "apt-get source $name=$ver failed"
  local orig; orig=$(ls "$CACHE/dl/${name}_${up}".orig.tar.* | grep -v '\.asc$' | head -n1)
  check_sha "$orig" "$sha"
  rm -rf "$SRC/$dest" "$SRC/.x-$dest"; mkdir -p "$SRC/.x-$dest"
  tar -xf "$orig" -C "$SRC/.x-$dest"
  mv "$SRC/.x-$dest"/* "$SRC/$dest"; rm -rf "$SRC/.x-$dest"
  echo "$sha" > "$SRC/$dest/.certcost-ok"
}

fetch_qemu_header() { # sha dest
  local sha=$1 dest=$2 hdr="$SRC/$2/qemu-plugin.h"
  if [ -f "$hdr" ] && echo "$sha  $hdr" | sha256sum -c --status; then return; fi
  prepare_apt
  local ver; ver=$(dpkg-query -W -f='${source:Version}' qemu-system-arm)
  say "apt-get source qemu=$ver (for include/qemu/qemu-plugin.h)"
  (cd "$CACHE/dl" && apt_src source --download-only "qemu=$ver" >/dev/null 2>&1) || die "apt-get source qemu=$ver failed"
  local orig; orig=$(ls "$CACHE/dl"/qemu_*.orig.tar.* | grep -v '\.asc$' | head -n1)
  mkdir -p "$SRC/$dest"
  tar -xOf "$orig" --wildcards '*/include/qemu/qemu-plugin.h' > "$hdr.tmp"
  check_sha "$hdr.tmp" "$sha"
  mv "$hdr.tmp" "$hdr"
  rm -f "$CACHE/dl"/qemu_*  # 20+ MB we no longer need
}

while read -r name kind up sha dest; do
  case "$name" in ''|'#'*) continue ;; esac
  case "$kind" in
    debian-src) fetch_debian_src "$name" "$up" "$sha" "$dest" ;;
    debian-hdr) fetch_qemu_header "$sha" "$dest" ;;
    *) die "sources.lock: unknown kind $kind" ;;
  esac
done < "$ROOT/setup/sources.lock"

# ---- 4. Rust crates that ship C sources ---------------------------------
if [ -x "$ROOT/setup/fetch-crates.sh" ]; then "$ROOT/setup/fetch-crates.sh" "$CACHE"; fi
# lakers (EDHOC): the Cortex-M Rust targets and the vendored crates of the
# lakers adapter's own Rust code (setup/fetch-lakers.sh).
if [ -x "$ROOT/setup/fetch-lakers.sh" ]; then "$ROOT/setup/fetch-lakers.sh" "$CACHE"; fi

# ---- 5. the counting plugin ----------------------------------------------
make -s -C "$ROOT/plugin" CACHE="$CACHE"
say "ready (cache: $CACHE)"
