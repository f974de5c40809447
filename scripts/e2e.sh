#!/usr/bin/env bash
# Starts the whole system (-target=all, demo seeded) on a fresh data
# directory and a port of its own, runs the console's Playwright tests
# against it in Debian's chromium, and stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-18080}
data=$(mktemp -d)
log="$data/incuchain.log"
export INCUCHAIN_DATA_DIR="$data" INCUCHAIN_SEED_DEMO=true INCUCHAIN_LOG_FORMAT=text \
  INCUCHAIN_GATEWAY_ADDR="127.0.0.1:$port" INCUCHAIN_PUBLIC_URL="http://127.0.0.1:$port" \
  INCUCHAIN_WEB_DIR="$PWD/web/dist" INCUCHAIN_NATS_EMBEDDED_PORT=0 INCUCHAIN_S3_EMBEDDED_ADDR=127.0.0.1:0 \
  INCUCHAIN_METRICS_ADDR=127.0.0.1:0
bin/incuchain -target=all >"$log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "e2e: incuchain exited:"; cat "$log"; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "e2e: incuchain not ready:"; tail -50 "$log"; exit 1; }
echo "e2e: system up at http://127.0.0.1:$port"
status=0
(cd web && BASE_URL="http://127.0.0.1:$port" npm run --silent e2e) || status=$?
if [ $status -ne 0 ]; then echo "e2e: failed; last server log lines:"; tail -40 "$log"; fi
exit $status
