#!/usr/bin/env bash
# Runs the whole test suite: unit, vectors, integration and interop tests on the Release build,
# then every fuzz target for a bounded time under ASan and UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."

peer_dir=build/peer-esdk-js
if [ -d ../shared/peers/esdk-js ] && [ ! -d "$peer_dir/node_modules" ]; then
  ../shared/peers/esdk-js/setup.sh "$peer_dir" >/dev/null
fi

ctest --preset release -j2
scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
