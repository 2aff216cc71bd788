#!/usr/bin/env bash
# Streams SIZE (default 10 GiB) of zeros through `envelope encrypt` into `envelope decrypt`
# (stdin to stdout, suite 0x0478, frame 4096) and reports each process's peak resident memory
# and the throughput of the pipe. Constant memory means the peaks do not grow with SIZE.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
envelope=$root/build/release/envelope
size=${1:-10G}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 32 /dev/urandom > "$work/key"
chmod 600 "$work/key"
keys="provider=raw-aes key-namespace=bench key-name=stream key-file=$work/key"
start=$(date +%s.%N)
head -c "$size" /dev/zero |
  /usr/bin/time -f "%M" -o "$work/enc.rss" "$envelope" encrypt -i - -o - --wrapping-keys "$keys" \
    --algorithm 0x0478 |
  /usr/bin/time -f "%M" -o "$work/dec.rss" "$envelope" decrypt -i - -o - --wrapping-keys "$keys" |
  wc -c > "$work/count"
end=$(date +%s.%N)
bytes=$(cat "$work/count")
python3 - "$bytes" "$start" "$end" "$(cat "$work/enc.rss")" "$(cat "$work/dec.rss")" <<'PY'
import sys
n, t0, t1, enc, dec = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"streamed {n / 2**30:.2f} GiB through encrypt | decrypt in {t1 - t0:.1f} s "
      f"({n / (t1 - t0) / 1e6:.0f} MB/s end to end); peak RSS: encrypt {enc / 1024:.1f} MiB, "
      f"decrypt {dec / 1024:.1f} MiB")
PY
