#!/usr/bin/env bash
# Load test of the backtest service (loopback only, bounded): RUNS runs of the moving-average template over
# one month of the main series, submitted by CLIENTS clients at once, while READERS clients read kline pages.
# Reports completed runs/s, p50/p99 time to result, failures (expected 0) and the server's memory.
# Usage: bench/backtest-load.sh [RUNS=200] [CLIENTS=8] [READERS=2]   (needs PostgreSQL and Redis on localhost)
set -euo pipefail
RUNS=${1:-200}
CLIENTS=${2:-8}
READERS=${3:-2}
PORT=${BENCH_PORT:-18124}
source "$(dirname "$0")/lib.sh"
machine
fresh_main_series_db

DATABASE_URL=$PGURL REDIS_URL=redis://127.0.0.1:6379 PORT=$PORT TRUSTED_PROXIES=127.0.0.1 \
  RATE_LIMIT_KEY_PREFIX="bench:$$:" RATE_LIMIT_PER_SECOND=100000 RATE_LIMIT_PER_MINUTE=1000000 BACKTEST_SUBMIT_PER_SECOND=1000 BACKTEST_SUBMIT_PER_MINUTE=100000 \
  BACKTEST_QUEUE_CAPACITY=1000 BACKTEST_MAX_ACTIVE_PER_CLIENT=1000 \
  "$JAVA_HOME/bin/java" -Xmx1g -jar server/target/candlebox.jar serve > /tmp/candlebox-load-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
echo "== workers: $(curl -s http://127.0.0.1:$PORT/metrics | grep -E '^candlebox_workers_(size|alive|optimizing)' | tr '\n' ' ')"
echo "== $RUNS runs (MA cross, 2024-01 of BTCUSDT 1h, 744 klines each) from $CLIENTS clients, $READERS kline readers"
python3 bench/backtest_load.py "$PORT" "$SERVER" "$RUNS" "$CLIENTS" "$READERS" strategies/ma_cross.py 2024-01-01T00:00:00Z 2024-01-31T23:00:00Z
echo "== server counters: $(curl -s http://127.0.0.1:$PORT/metrics | grep -E '^candlebox_backtest_runs_total' | tr '\n' ' ')"
