#!/usr/bin/env bash
# GenerateDataKey throughput and latency of the local KMS (SigV4 verification on, keep-alive) at
# concurrency 1, 8 and 64, next to moto_server measured in the same run on the same machine.
#
#   bench/kms_server_bench.sh [PATH/TO/envelope]      (default: build/release/envelope)
#
# Env: SECONDS_PER_RUN (10), CONCURRENCY ("1 8 64"), MOTO (1: also measure moto_server).
# Prints a Markdown table (the figures in docs/performance.md#kms-server come from it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ENVELOPE=${1:-$ROOT/build/release/envelope}
SECS=${SECONDS_PER_RUN:-10}
CONC=${CONCURRENCY:-"1 8 64"}
WORK=$(mktemp -d /tmp/kms-bench-XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# The load generator is built with the project (target kms_load).
LOAD=${KMS_LOAD:-$ROOT/build/release/bench/kms_load}
[ -x "$LOAD" ] || { echo "build the release tree first (kms_load not found at $LOAD)" >&2; exit 1; }

create_key() {  # url akid secret -> key id
  python3 - "$@" <<'PY'
import sys, boto3
url, akid, secret = sys.argv[1:4]
kms = boto3.client("kms", endpoint_url=url, region_name="us-east-1",
                   aws_access_key_id=akid, aws_secret_access_key=secret)
print(kms.create_key()["KeyMetadata"]["KeyId"])
PY
}

row() {  # server concurrency output-line
  local l=$3
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" \
    "$(sed 's/.*rps=\([^ ]*\).*/\1/' <<<"$l")" "$(sed 's/.*p50_ms=\([^ ]*\).*/\1/' <<<"$l")" \
    "$(sed 's/.*p99_ms=\([^ ]*\).*/\1/' <<<"$l")" "$(sed 's/.*errors=\([^ ]*\).*/\1/' <<<"$l")"
}

echo "| Server | Concurrency | GenerateDataKey/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"

# --- envelope kms serve -----------------------------------------------------------------------
PORT=$(free_port)
"$ENVELOPE" kms serve --listen 127.0.0.1:"$PORT" --data-dir "$WORK/data" 2>"$WORK/server.log" &
PIDS+=($!)
wait_port "$PORT"
AKID=$(sed -n 's/^aws_access_key_id = //p' "$WORK/data/credentials")
SECRET=$(sed -n 's/^aws_secret_access_key = //p' "$WORK/data/credentials")
KEY=$(create_key "http://127.0.0.1:$PORT" "$AKID" "$SECRET")
for c in $CONC; do
  out=$("$LOAD" --port "$PORT" --connections "$c" --seconds "$SECS" --access-key "$AKID" \
        --secret "$SECRET" --body "{\"KeyId\":\"$KEY\",\"KeySpec\":\"AES_256\"}")
  row envelope "$c" "$out"
done
kill -TERM "${PIDS[0]}"; wait "${PIDS[0]}" || true

# --- moto_server, same machine, same run -------------------------------------------------------
if [[ "${MOTO:-1}" == 1 ]] && command -v moto_server >/dev/null; then
  MPORT=$(free_port)
  moto_server -H 127.0.0.1 -p "$MPORT" >"$WORK/moto.log" 2>&1 &
  PIDS+=($!)
  wait_port "$MPORT"
  MKEY=$(create_key "http://127.0.0.1:$MPORT" testing testing)
  for c in $CONC; do
    out=$("$LOAD" --port "$MPORT" --connections "$c" --seconds "$SECS" \
          --body "{\"KeyId\":\"$MKEY\",\"KeySpec\":\"AES_256\"}")
    row moto_server "$c" "$out"
  done
fi
