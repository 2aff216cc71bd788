#!/usr/bin/env bash
# Builds every libFuzzer target with clang, ASan and UBSan, and runs each for SECONDS (default
# 20), seeded from the test vectors. Fails on any crash, leak or sanitizer report.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzzers
corpus_root=build/fuzz-corpus
mkdir -p "$corpus_root"
vectors=../shared/vectors/esdk
failed=0
for target in $(find build/fuzz -type f -name '*_fuzz' -perm -u+x | sort); do
  name=$(basename "$target")
  corpus="$corpus_root/$name"
  mkdir -p "$corpus"
  seeds=()
  if [ -d "fuzz/seeds/$name" ]; then seeds+=("fuzz/seeds/$name"); fi
  case "$name" in
    decrypt_fuzz|header_parse_fuzz)
      [ -d "$vectors/esdk-net-4.0.1-raw/ciphertexts" ] && seeds+=("$vectors/esdk-net-4.0.1-raw/ciphertexts") ;;
  esac
  echo "fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 \
       "$corpus" "${seeds[@]}" > "build/fuzz-$name.log" 2>&1; then
    echo "fuzz: $name FAILED (see build/fuzz-$name.log)"; tail -40 "build/fuzz-$name.log"; failed=1
  fi
done
[ "$failed" -eq 0 ] && echo "fuzz: all targets ran clean"
exit "$failed"
