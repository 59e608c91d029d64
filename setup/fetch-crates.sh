#!/usr/bin/env bash
# Usage: setup/fetch-crates.sh CACHE_DIR
# Unpacks the crates pinned in setup/crates/crates.lock into
# CACHE_DIR/src/crates/<name>-<version>/, after checking each .crate's sha256.
#
# cargo fetch does the download (it resolves the whole dependency graph of
# setup/crates/Cargo.toml, ~60 small crates, because it cannot fetch less; and
# of each manifest under setup/crates/separate/), but
# only the pinned crates are unpacked: `cargo vendor` would copy every
# platform's build-time dependencies too. cargo runs with a private CARGO_HOME
# and a work copy of the manifest in the cache, so neither ~/.cargo nor the tree
# is touched. Each unpacked crate carries a stamp with its .crate's sha256
# (<name>-<version>/.certcost-ok): a re-run with every pinned crate stamped is a
# no-op, and a cache shared by checkouts that pin different sets of crates
# keeps every crate any of them unpacked.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${1:?usage: fetch-crates.sh CACHE_DIR}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
LOCK=$HERE/crates/crates.lock
DEST=$CACHE/src/crates
say() { printf 'fetch-crates: %s\n' "$*"; }
die() { printf 'fetch-crates: error: %s\n' "$*" >&2; exit 1; }

pinned() { grep -Ev '^[[:space:]]*(#|$)' "$LOCK"; }
stamped() { [ -f "$DEST/$1-$2/.certcost-ok" ] && [ "$(cat "$DEST/$1-$2/.certcost-ok")" = "$3" ]; }

missing=0
while read -r name ver sha; do stamped "$name" "$ver" "$sha" || missing=$((missing + 1)); done < <(pinned)
[ "$missing" = 0 ] && exit 0

command -v cargo >/dev/null || die "cargo not found (install a Rust toolchain)"
export CARGO_HOME=$CACHE/cargo
WORK=$CACHE/cargo-work
rm -rf "$WORK"
host=$(rustc -vV | sed -n 's/^host: //p')
say "cargo fetch ($missing of $(pinned | wc -l) pinned crates to unpack)"
# The main manifest, then each manifest under crates/separate/ (crates whose
# `links` key keeps them out of the main graph), each resolved on its own.
for manifest in "$HERE/crates/Cargo.toml" "$HERE"/crates/separate/*/Cargo.toml; do
  [ -f "$manifest" ] || continue
  w=$WORK/$(basename "$(dirname "$manifest")")
  mkdir -p "$w/src"
  cp "$manifest" "$w/Cargo.toml"
  cp "$HERE/crates/src/lib.rs" "$w/src/"
  (cd "$w" && cargo fetch --quiet --target "$host") || die "cargo fetch failed for $manifest"
done

mkdir -p "$DEST"
while read -r name ver sha; do
  stamped "$name" "$ver" "$sha" && continue
  crate=$(ls "$CARGO_HOME"/registry/cache/*/"$name-$ver.crate" 2>/dev/null | head -n1 || true)
  [ -n "$crate" ] || die "cargo did not fetch $name $ver (does Cargo.toml pin it?)"
  echo "$sha  $crate" | sha256sum -c --status ||
    die "sha256 mismatch for $name-$ver.crate (want $sha, got $(sha256sum "$crate" | cut -d' ' -f1))"
  x=$DEST/.x-$name-$ver
  rm -rf "$x"; mkdir -p "$x"
  tar -xzf "$crate" -C "$x"
  [ -d "$x/$name-$ver" ] || die "$name-$ver.crate has an unexpected layout"
  echo "$sha" > "$x/$name-$ver/.certcost-ok"
  # Swap in by renames, so a build reading the old copy never sees a half-unpacked one.
  if [ -e "$DEST/$name-$ver" ]; then mv "$DEST/$name-$ver" "$x/old"; fi
  mv "$x/$name-$ver" "$DEST/"; rm -rf "$x"
  say "$name $ver -> $DEST/$name-$ver"
done < <(pinned)

# cargo's own unpacked copies of the whole graph (~150 MB) are not needed;
# the downloaded archives stay, so a pin change re-downloads only what changed.
rm -rf "$CARGO_HOME/registry/src"
