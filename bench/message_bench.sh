#!/usr/bin/env bash
# Envelope's message benchmarks side by side with the AWS Encryption SDK for JavaScript, in one
# run on this machine, with the same settings (raw AES-256 key 00..1f, frame 4096, context
# purpose=bench). Prints a Markdown table with ratios (Envelope / esdk-js); MB = 10^6 bytes.
#
#   bench/message_bench.sh                 (needs the release build and build/peer-esdk-js)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=$root/build/release/bench/message_bench
peer=$root/build/peer-esdk-js
[ -x "$bench" ] || { echo "build the release tree first" >&2; exit 1; }
[ -f "$peer/bench.cjs" ] || "$root/../shared/peers/esdk-js/setup.sh" "$peer" >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$bench" --benchmark_format=json --benchmark_min_time=2 > "$out/envelope.json"
node --no-warnings "$peer/bench.cjs" tput 0478 268435456 2 > "$out/js-tput-0478.json"
node --no-warnings "$peer/bench.cjs" tput 0578 268435456 2 > "$out/js-tput-0578.json"
node --no-warnings "$peer/bench.cjs" rate 0478 plain 1.5 3 1024 > "$out/js-rate-0478.json"
node --no-warnings "$peer/bench.cjs" rate 0578 plain 1.5 3 1024 > "$out/js-rate-0578.json"

python3 - "$out" <<'PY'
import json, sys, os
d = sys.argv[1]
env = {b["name"]: b for b in json.load(open(os.path.join(d, "envelope.json")))["benchmarks"]}
def ours(prefix, field):
    for name, b in env.items():
        if name.startswith(prefix):
            return b[field]
    raise KeyError(prefix)
js = {f: json.load(open(os.path.join(d, f))) for f in os.listdir(d) if f.startswith("js-")}
rows = []
for suite, sid in (("0478", 1144), ("0578", 1400)):
    t = js[f"js-tput-{suite}.json"]
    rows.append((f"{suite} streaming encrypt (MB/s)", ours(f"BM_StreamEncrypt/{sid}/", "bytes_per_second") / 1e6, t["encMBps"]["median"]))
    rows.append((f"{suite} streaming decrypt (MB/s)", ours(f"BM_StreamDecrypt/{sid}/", "bytes_per_second") / 1e6, t["decMBps"]["median"]))
for suite, sid, threads in (("0478", 1144, 1), ("0578", 1400, 2)):
    r = js[f"js-rate-{suite}.json"]
    rows.append((f"{suite} 1 KiB encrypts/s ({threads} thread{'s' if threads > 1 else ''})", ours(f"BM_SmallEncrypt/{sid}/", "items_per_second"), r["encMsgPerS"]["median"]))
    rows.append((f"{suite} 1 KiB decrypts/s ({threads} thread{'s' if threads > 1 else ''})", ours(f"BM_SmallDecrypt/{sid}/", "items_per_second"), r["decMsgPerS"]["median"]))
print("| case | Envelope | esdk-js | ratio |")
print("|---|---:|---:|---:|")
for name, a, b in rows:
    print(f"| {name} | {a:,.0f} | {b:,.0f} | {a / b:.1f}x |")
PY
