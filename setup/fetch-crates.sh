#!/usr/bin/env bash
# Usage: setup/fetch-crates.sh CACHE_DIR
# Unpacks the crates pinned in setup/crates/crates.lock into
# CACHE_DIR/src/crates/<name>-<version>/, after checking each .crate's sha256.
#
# cargo fetch does the download (it resolves the whole dependency graph of
# setup/crates/Cargo.toml, ~60 small crates, because it cannot fetch less), but
# only the pinned crates are unpacked: `cargo vendor` would copy every
# platform's build-time dependencies too. cargo runs with a private CARGO_HOME
# and a work copy of the manifest in the cache, so neither ~/.cargo nor the tree
# is touched. A stamp keyed on crates.lock + Cargo.toml makes re-runs no-ops.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${1:?usage: fetch-crates.sh CACHE_DIR}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
LOCK=$HERE/crates/crates.lock
DEST=$CACHE/src/crates
STAMP=$DEST/.certcost-ok
say() { printf 'fetch-crates: %s\n' "$*"; }
die() { printf 'fetch-crates: error: %s\n' "$*" >&2; exit 1; }

pinned() { grep -Ev '^[[:space:]]*(#|$)' "$LOCK"; }
key=$(cat "$LOCK" "$HERE/crates/Cargo.toml" | sha256sum | cut -d' ' -f1)

all_there() {
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$key" ] || return 1
  local name ver sha
  while read -r name ver sha; do [ -d "$DEST/$name-$ver" ] || return 1; done < <(pinned)
}
all_there && exit 0

command -v cargo >/dev/null || die "cargo not found (install a Rust toolchain)"
export CARGO_HOME=$CACHE/cargo
WORK=$CACHE/cargo-work
rm -rf "$WORK"; mkdir -p "$WORK/src"
cp "$HERE/crates/Cargo.toml" "$WORK/"
cp "$HERE/crates/src/lib.rs" "$WORK/src/"
host=$(rustc -vV | sed -n 's/^host: //p')
say "cargo fetch ($(pinned | wc -l) pinned crates)"
(cd "$WORK" && cargo fetch --quiet --target "$host") || die "cargo fetch failed"

mkdir -p "$DEST"
while read -r name ver sha; do
  crate=$(ls "$CARGO_HOME"/registry/cache/*/"$name-$ver.crate" 2>/dev/null | head -n1 || true)
  [ -n "$crate" ] || die "cargo did not fetch $name $ver (does Cargo.toml pin it?)"
  echo "$sha  $crate" | sha256sum -c --status ||
    die "sha256 mismatch for $name-$ver.crate (want $sha, got $(sha256sum "$crate" | cut -d' ' -f1))"
  rm -rf "$DEST/$name-$ver" "$DEST/.x"; mkdir -p "$DEST/.x"
  tar -xzf "$crate" -C "$DEST/.x"
  [ -d "$DEST/.x/$name-$ver" ] || die "$name-$ver.crate has an unexpected layout"
  mv "$DEST/.x/$name-$ver" "$DEST/"; rm -rf "$DEST/.x"
  say "$name $ver -> $DEST/$name-$ver"
done < <(pinned)

# cargo's own unpacked copies of the whole graph (~150 MB) are not needed;
# the downloaded archives stay, so a pin change re-downloads only what changed.
rm -rf "$CARGO_HOME/registry/src"
echo "$key" > "$STAMP"
