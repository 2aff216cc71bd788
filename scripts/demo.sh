#!/usr/bin/env bash
# The main job, end to end: make a key, encrypt a file, decrypt it, and check the round trip.
set -euo pipefail
cd "$(dirname "$0")/.."
envelope=build/release/envelope
work=build/demo
mkdir -p "$work"
rm -f "$work"/*

"$envelope" keygen --aes 256 -o "$work/demo.key"
keys="provider=raw-aes key-namespace=demo key-name=demo-key key-file=$work/demo.key"

cp README.md "$work/sample.txt"
"$envelope" encrypt -i "$work/sample.txt" -o "$work/sample.txt.encrypted" \
  --wrapping-keys "$keys" -c purpose=demo --metadata-output -
"$envelope" decrypt -i "$work/sample.txt.encrypted" -o "$work/sample.txt.decrypted" \
  --wrapping-keys "$keys" -c purpose=demo
cmp "$work/sample.txt" "$work/sample.txt.decrypted"
echo "demo: encrypted $(stat -c %s "$work/sample.txt") bytes to $(stat -c %s "$work/sample.txt.encrypted"), decrypted, identical"
