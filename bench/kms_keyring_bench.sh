#!/usr/bin/env bash
# 1 KiB messages/s through the AWS KMS keyring, without and with a caching CMM, for Envelope
# (bench/kms_keyring_bench) and the AWS Encryption SDK for JavaScript (the esdk-js peer's
# esdk.mjs with its KMS keyring and --cache), against one `envelope kms serve` on loopback in the
# same run. Same settings on both sides: suite 0478, frame 4096, context purpose=bench, one
# sequential encryptor; caching CMM of 100 entries, max age 60 s, 1000 messages per data key.
# Prints a Markdown table of medians over ROUNDS with ratios (Envelope / esdk-js).
#
#   bench/kms_keyring_bench.sh [ENVELOPE [KMS_KEYRING_BENCH]]
#       defaults: build/release/envelope and build/release/bench/kms_keyring_bench
# Env: ROUNDS (3), SECONDS_PER_RUN (3, Envelope), JS_PLAIN (1500) and JS_CACHE (5000): messages
# per esdk-js run. esdk.mjs encrypts one message per --repeat in one process, so its rate is
# measured as (N - 50) / (time of N messages - time of 50), which removes Node's start-up.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ENVELOPE=${1:-$ROOT/build/release/envelope}
BENCH=${2:-$ROOT/build/release/bench/kms_keyring_bench}
PEER=$ROOT/build/peer-esdk-js
ROUNDS=${ROUNDS:-3}
SECS=${SECONDS_PER_RUN:-3}
JS_PLAIN=${JS_PLAIN:-1500}
JS_CACHE=${JS_CACHE:-5000}
[ -x "$ENVELOPE" ] && [ -x "$BENCH" ] || { echo "build envelope and kms_keyring_bench first" >&2; exit 1; }
[ -f "$PEER/esdk.mjs" ] || "$ROOT/../shared/peers/esdk-js/setup.sh" "$PEER" >/dev/null

WORK=$(mktemp -d /tmp/kms-keyring-bench-XXXXXX)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

export AWS_ACCESS_KEY_ID=AKIAKEYRINGBENCH0001
export AWS_SECRET_ACCESS_KEY=keyring/bench/secret/000000000000000000000
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
cat >"$WORK/config.json" <<EOF
{"accounts": [{"id": "111122223333", "access_keys": [
  {"access_key_id": "$AWS_ACCESS_KEY_ID", "secret_access_key": "$AWS_SECRET_ACCESS_KEY"}]}]}
EOF
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
"$ENVELOPE" kms serve --listen 127.0.0.1:"$PORT" --data-dir "$WORK/data" \
  --config "$WORK/config.json" 2>"$WORK/server.log" &
SERVER_PID=$!
wait_port "$PORT"
KEY=$("$BENCH" create-key "$URL")
head -c 1024 /dev/urandom >"$WORK/pt"

js_seconds() {  # mode messages -> wall seconds of one esdk.mjs process
  local cache=()
  [ "$1" = cache ] && cache=(--cache capacity=100,max-age=60,max-messages=1000)
  local t0 t1
  t0=$(date +%s.%N)
  node --no-warnings "$PEER/esdk.mjs" encrypt \
    --keyring "type=kms,key=$KEY,endpoint=$URL,region=us-east-1" --suite 0x0478 \
    --frame-length 4096 --context purpose=bench "${cache[@]}" --repeat "$2" \
    --in "$WORK/pt" --out /dev/null --metadata /dev/null
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{print $2 - $1}'
}
js_rate() {  # mode messages -> messages/s
  local base full
  base=$(js_seconds "$1" 50)
  full=$(js_seconds "$1" "$2")
  echo "$base $full $2" | awk '{printf "%.1f\n", ($3 - 50) / ($2 - $1)}'
}

for r in $(seq "$ROUNDS"); do
  for mode in plain cache; do
    "$BENCH" encrypt "$URL" "$KEY" "$mode" "$SECS" >>"$WORK/envelope-$mode.jsonl"
    n=$JS_PLAIN
    [ "$mode" = cache ] && n=$JS_CACHE
    js_rate "$mode" "$n" >>"$WORK/js-$mode.txt"
  done
done

python3 - "$WORK" <<'PY'
import json, os, statistics, sys
d = sys.argv[1]
def ours(mode):
    runs = [json.loads(l) for l in open(os.path.join(d, f"envelope-{mode}.jsonl"))]
    return statistics.median(r["msgPerS"] for r in runs), runs
def js(mode):
    return statistics.median(float(l) for l in open(os.path.join(d, f"js-{mode}.txt")))
(ep, ep_runs), (ec, ec_runs) = ours("plain"), ours("cache")
jp, jc = js("plain"), js("cache")
print("| 1 KiB messages/s (0478, 1 encryptor) | Envelope | esdk-js | ratio |")
print("|---|---:|---:|---:|")
print(f"| KMS keyring, no cache | {ep:,.0f} | {jp:,.0f} | {ep / jp:.1f}x |")
print(f"| KMS keyring + caching CMM | {ec:,.0f} | {jc:,.0f} | {ec / jc:.1f}x |")
print(f"| caching speed-up | {ec / ep:.1f}x | {jc / jp:.1f}x | |")
calls = sum(r["kmsCalls"] for r in ec_runs) / max(1, sum(r["messages"] for r in ec_runs))
print(f"\nEnvelope KMS calls per message: no cache "
      f"{sum(r['kmsCalls'] for r in ep_runs) / max(1, sum(r['messages'] for r in ep_runs)):.3f}, "
      f"cache {calls:.4f}; rounds: {len(ep_runs)}")
for name, vals in (("Envelope no cache", [r["msgPerS"] for r in ep_runs]),
                   ("Envelope cache", [r["msgPerS"] for r in ec_runs]),
                   ("esdk-js no cache", [float(l) for l in open(os.path.join(d, "js-plain.txt"))]),
                   ("esdk-js cache", [float(l) for l in open(os.path.join(d, "js-cache.txt"))])):
    print(f"{name}: " + ", ".join(f"{v:,.0f}" for v in vals))
PY
