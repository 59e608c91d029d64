#!/usr/bin/env bash
# Usage: setup/fetch-lakers.sh CACHE_DIR
# The Rust side of the lakers (EDHOC) adapter (firmware/adapters/lakers/rust):
#  1. the Cortex-M targets it cross-compiles for (rustup target add, only
#     those missing);
#  2. lakers 0.8.0 and every crate it and certcost's own shim and responder
#     use, pinned by firmware/adapters/lakers/rust/crates.lock (name, exact
#     version, sha256 of the .crate): cargo resolves the workspace in a work
#     copy in the cache, is held to exactly those versions (cargo update
#     --precise), every checksum of the resulting lock is compared with the
#     pin list, and the crates are vendored into CACHE_DIR/src/lakers-vendor/
#     (cargo checks each .crate against the lock while vendoring);
#  3. that Cargo.lock is copied next to the workspace's Cargo.toml
#     (git-ignored): builds afterwards are offline (--offline --locked, the
#     vendored folder as the only source: adapter.mk, harness/edhoc/responder.ts).
# cargo runs with a private CARGO_HOME in the cache; ~/.cargo is not touched.
# A stamp keyed on crates.lock and the manifests makes re-runs no-ops.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CACHE=${1:?usage: fetch-lakers.sh CACHE_DIR}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
WS=$ROOT/firmware/adapters/lakers/rust
PINS=$WS/crates.lock
DEST=$CACHE/src/lakers-vendor
STAMP=$DEST/.certcost-ok
say() { printf 'fetch-lakers: %s\n' "$*"; }
die() { printf 'fetch-lakers: error: %s\n' "$*" >&2; exit 1; }

# Rust targets of the boards' cores (firmware/boards/*.mk): M0, M3, M4F
# (hard float), M7 and M33 (soft float), and both ARMv7E-M/ARMv8-M float ABIs.
TARGETS=(thumbv6m-none-eabi thumbv7m-none-eabi thumbv7em-none-eabihf thumbv7em-none-eabi
         thumbv8m.main-none-eabi thumbv8m.main-none-eabihf)

command -v cargo >/dev/null || die "cargo not found (install a Rust toolchain)"

# ---- 1. targets ----
if command -v rustup >/dev/null; then
  have=$(rustup target list --installed)
  missing=()
  for t in "${TARGETS[@]}"; do grep -qx "$t" <<<"$have" || missing+=("$t"); done
  if ((${#missing[@]})); then
    say "rustup target add ${missing[*]}"
    rustup target add "${missing[@]}" >/dev/null || die "rustup target add ${missing[*]} failed"
  fi
else
  say "no rustup: the Cortex-M targets must come with the toolchain (${TARGETS[*]})"
fi

manifests=("$WS/Cargo.toml" "$WS/shim/Cargo.toml" "$WS/responder/Cargo.toml")
pinned() { grep -Ev '^[[:space:]]*(#|$)' "$PINS"; }
key=$(cat "$PINS" "${manifests[@]}" | sha256sum | cut -d' ' -f1)

# The lock as (name version checksum) lines, sorted, registry crates only.
lock_pins() {
  awk '/^\[\[package\]\]/{n="";v="";c=""} /^name = /{n=$3} /^version = /{v=$3} /^checksum = /{c=$3; gsub(/"/,"",n); gsub(/"/,"",v); gsub(/"/,"",c); print n, v, c}' "$1" | sort
}

if ! { [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$key" ]; }; then
  # ---- 2. resolve, check, vendor ----
  export CARGO_HOME=$CACHE/cargo
  WORK=$CACHE/lakers-work
  rm -rf "$WORK"; mkdir -p "$WORK/shim/src" "$WORK/responder/src"
  cp "$WS/Cargo.toml" "$WORK/"
  cp "$WS/shim/Cargo.toml" "$WORK/shim/"; cp "$WS/responder/Cargo.toml" "$WORK/responder/"
  cp "$WS/shim/src/lib.rs" "$WORK/shim/src/"; cp "$WS/responder/src/main.rs" "$WORK/responder/src/"
  say "cargo generate-lockfile ($(pinned | wc -l) pinned crates)"
  (cd "$WORK" && cargo generate-lockfile --quiet) || die "cargo generate-lockfile failed"
  while read -r name ver _; do
    got=$(lock_pins "$WORK/Cargo.lock" | awk -v n="$name" '$1==n{print $2}')
    [ -n "$got" ] || die "the workspace does not use $name (crates.lock is stale)"
    if [ "$got" != "$ver" ]; then
      (cd "$WORK" && cargo update --quiet -p "$name@$got" --precise "$ver") || die "cargo update -p $name --precise $ver failed"
    fi
  done < <(pinned)
  if ! diff <(lock_pins "$WORK/Cargo.lock") <(pinned | sort) >&2; then
    die "the resolved crates differ from crates.lock (left: resolved, right: pinned)"
  fi
  say "cargo vendor -> $DEST"
  rm -rf "$DEST.tmp"
  (cd "$WORK" && cargo vendor --quiet --locked --versioned-dirs "$DEST.tmp" >/dev/null) || die "cargo vendor failed"
  cp "$WORK/Cargo.lock" "$DEST.tmp/Cargo.lock"
  rm -rf "$DEST" "$WORK"; mv "$DEST.tmp" "$DEST"
  echo "$key" > "$STAMP"
fi

# ---- 3. the lock next to the workspace (git-ignored) ----
cmp -s "$DEST/Cargo.lock" "$WS/Cargo.lock" || cp "$DEST/Cargo.lock" "$WS/Cargo.lock"
