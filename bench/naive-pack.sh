#!/usr/bin/env bash
# The "naive" way a careful user packs a folder without hakobu:
# a sha256sum manifest of every file, tar | age, and a checksum sidecar.
#
#   bench/naive-pack.sh PARENT NAME RECIPIENT OUT.age
#
# Packs PARENT/NAME (stored as NAME/...) plus NAME.SHA256SUMS into OUT.age,
# and writes OUT.age.sha256 next to it. Used by bench/run as an anchor.
set -euo pipefail
parent=$1 name=$2 recipient=$3 out=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$parent" && find "$name" -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$tmp/$name.SHA256SUMS"
tar -cf - -C "$parent" "$name" -C "$tmp" "$name.SHA256SUMS" | age -r "$recipient" > "$out"
(cd "$(dirname "$out")" && sha256sum "$(basename "$out")") > "$out.sha256"
