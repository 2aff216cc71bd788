#!/usr/bin/env bash
# The main job, end to end, with nothing configured: encrypt a file under the embedded key store's
# default key (created on first use), decrypt it, and check the round trip.
set -euo pipefail
cd "$(dirname "$0")/.."
envelope=${ENVELOPE:-build/release/envelope}
work=build/demo
mkdir -p "$work"
rm -f "$work"/sample.txt*
# The embedded key store (the same store `envelope kms serve --data-dir build/demo/store` serves).
# Without this line it would be ~/.local/share/envelope.
export ENVELOPE_DATA_DIR="$work/store"

cp README.md "$work/sample.txt"
"$envelope" encrypt -i "$work/sample.txt" -o "$work/sample.txt.encrypted" \
  -c purpose=demo --metadata-output -
"$envelope" decrypt -i "$work/sample.txt.encrypted" -o "$work/sample.txt.decrypted" \
  -c purpose=demo
cmp "$work/sample.txt" "$work/sample.txt.decrypted"
echo "demo: encrypted $(stat -c %s "$work/sample.txt") bytes to $(stat -c %s "$work/sample.txt.encrypted") under the embedded store's alias/envelope-default, decrypted, identical"
