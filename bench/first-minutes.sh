#!/usr/bin/env bash
# What a new user lives through: a fresh `serve` with the default configuration (PostgreSQL, the default
# worker pool and warm-up), then the moving-average template over the whole main series through the HTTP
# API (?wait=true), one run after another, as a user pressing Run again, for SECONDS seconds. Prints each
# run's time from submit to result and when it started after the server answered /health, then a summary.
# Usage: bench/first-minutes.sh [SECONDS=120]   (needs PostgreSQL on localhost; loopback only)
set -euo pipefail
SECONDS_TOTAL=${1:-120}
PORT=${BENCH_PORT:-18125}
source "$(dirname "$0")/lib.sh"
machine
fresh_main_series_db

START=$(date +%s.%N)
DATABASE_URL=$PGURL PORT=$PORT "$JAVA_HOME/bin/java" -jar server/target/candlebox.jar serve > /tmp/candlebox-first-minutes.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 0.1; done
UP=$(date +%s.%N)
echo "== serve answered /health $(echo "$UP - $START" | bc) s after it was started (defaults: $(curl -s http://127.0.0.1:$PORT/metrics | grep -E '^candlebox_workers_size' | tr '\n' ' '))"
python3 - "$PORT" "$SECONDS_TOTAL" strategies/ma_cross.py <<'PY'
import json, sys, time, urllib.request
port, total, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
code = open(path).read()
body = json.dumps({"symbol": "BTCUSDT", "interval": "1h", "code": code, "strategyParams": {}}).encode()
t0 = time.time()
times = []
while time.time() - t0 < total:
    start = time.time() - t0
    req = urllib.request.Request("http://127.0.0.1:%s/api/v1/backtests?wait=true" % port, data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        run = json.load(r)
    took = time.time() - t0 - start
    res = run.get("result") or {}
    print("run %2d submitted at %6.1f s: %6.2f s, %s, %s fills, final %s" % (len(times), start, took, run["status"],
          res.get("totalTrades"), res.get("finalBalance")), flush=True)
    times.append((start, took))
first = times[0]
print("== first result %.1f s after /health answered; runs started in the first 120 s: max %.2f s; "
      "the last five: median %.2f s" % (first[0] + first[1], max(t for s, t in times if s < 120),
      sorted(t for s, t in times[-5:])[len(times[-5:]) // 2]))
PY
echo "== $(curl -s http://127.0.0.1:$PORT/metrics | grep -E '^candlebox_workers_(warm|alive|optimizing)' | tr '\n' ' ')"
