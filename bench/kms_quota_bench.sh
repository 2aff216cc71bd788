#!/usr/bin/env bash
# What the request quotas cost the local KMS: GenerateDataKey throughput with quotas on versus off
# (same binary, same run, alternated), and the server CPU time of a throttled request versus a
# served one (server utime+stime from /proc divided by the requests answered).
#
#   bench/kms_quota_bench.sh [SERVER] [KMS_LOAD]
#     SERVER:   a quota_test_server binary (default build/release/tests/integration/
#               kms_quotas/kms_quota_test_server); it serves CONFIG DATA_DIR on 127.0.0.1:0
#     KMS_LOAD: the load generator (target kms_load)
# Env: SECONDS_PER_RUN (10), CONNECTIONS (8), ROUNDS (2).
# Prints a Markdown table (the figures in docs/performance.md#quotas come from it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVER=${1:-$ROOT/build/release/tests/integration/kms_quotas/kms_quota_test_server}
LOAD=${2:-${KMS_LOAD:-$ROOT/build/release/bench/kms_load}}
SECS=${SECONDS_PER_RUN:-10}
CONN=${CONNECTIONS:-8}
ROUNDS=${ROUNDS:-2}
AKID=AKIAQUOTABENCH00001
SECRET=quota/bench/secret/000000000000000000000
WORK=$(mktemp -d /tmp/kms-quota-bench-XXXXXX)
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for b in "$SERVER" "$LOAD"; do [ -x "$b" ] || { echo "not found: $b" >&2; exit 1; }; done
TICK=$(getconf CLK_TCK)

start() {  # quotas-json -> sets PID and PORT
  local dir="$WORK/s$RANDOM"
  mkdir -p "$dir"
  printf '{"accounts":[{"id":"111122223333","access_keys":[{"access_key_id":"%s","secret_access_key":"%s"}]}],"quotas":%s}' \
    "$AKID" "$SECRET" "$1" >"$dir/config.json"
  exec 3< <("$SERVER" "$dir/config.json" "$dir/data")
  PID=$!
  read -r _ PORT <&3
}
stop() { kill -TERM "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }

create_key() {
  python3 - "http://127.0.0.1:$PORT" "$AKID" "$SECRET" <<'PY'
import sys, boto3
url, akid, secret = sys.argv[1:4]
kms = boto3.client("kms", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id=akid, aws_secret_access_key=secret)
print(kms.create_key()["KeyMetadata"]["KeyId"])
PY
}

run() {  # quotas-json -> "rps cpu_us_per_request errors"
  start "$1"
  local key; key=$(create_key)
  local before after out rps errors
  before=$(cpu_ticks)
  out=$("$LOAD" --port "$PORT" --connections "$CONN" --seconds "$SECS" --access-key "$AKID" \
        --secret "$SECRET" --body "{\"KeyId\":\"$key\",\"KeySpec\":\"AES_256\"}")
  after=$(cpu_ticks)
  stop
  rps=$(sed 's/.*rps=\([^ ]*\).*/\1/' <<<"$out")
  errors=$(sed 's/.*errors=\([^ ]*\).*/\1/' <<<"$out")
  awk -v r="$rps" -v t=$((after - before)) -v hz="$TICK" -v s="$SECS" -v e="$errors" \
    'BEGIN { n = r * s + e; printf "%.0f %.1f %s\n", n / s, (t / hz) * 1e6 / n, e }'
}

OFF='{"enabled":false}'
ON='{"enabled":true}'  # us-east-1 symmetric 50,000/s: on, but never reached here
THROTTLED='{"overrides":[{"quota":"CryptographicOperationsSymmetric","value":0}]}'

echo "| Run | Quotas | GenerateDataKey answers/s (served + throttled) | server CPU µs per request | non-200 answers |"
echo "|---|---|---|---|---|"
for r in $(seq "$ROUNDS"); do
  read -r a b c <<<"$(run "$OFF")"; echo "| $r | off | $a | $b | $c |"
  read -r a b c <<<"$(run "$ON")"; echo "| $r | on (not reached) | $a | $b | $c |"
done
read -r a b c <<<"$(run "$THROTTLED")"; echo "| - | on, every request throttled | $a | $b | $c |"
