#!/usr/bin/env bash
# Benchmark of the kline API against PostgreSQL: limit=1000 pages with random start_time (wrk), the whole
# main series by the reference client's pagination, and PostgreSQL's own rate for the same query (pgbench).
# Rate limits are off. Usage: bench/kline-api.sh [duration-seconds]   (needs PostgreSQL on 127.0.0.1:5432)
set -euo pipefail
DURATION=${1:-20}
PORT=${BENCH_PORT:-18123}
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
source "$(dirname "$0")/lib.sh"
machine
echo "== $(psql -h 127.0.0.1 -U postgres -d test -tAc 'select version()' | cut -d, -f1)"
fresh_main_series_db
psql -h 127.0.0.1 -U postgres -d $DB -qc "VACUUM ANALYZE t_kline_btcusdt_1h"

DATABASE_URL=$PGURL PORT=$PORT RATE_LIMIT_ENABLED=false "$JAVA_HOME/bin/java" -Xmx1g -jar server/target/candlebox.jar serve > /tmp/candlebox-bench-server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done

echo "== warm-up"
wrk -t2 -c8 -d10s -s bench/kline-pages.lua "http://127.0.0.1:$PORT" >/dev/null
for c in 8 32; do
  echo "== candlebox: limit=1000 pages, random start_time, $c connections, ${DURATION}s"
  wrk -t2 -c$c -d${DURATION}s --latency -s bench/kline-pages.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|Transfer/sec|50%|90%|99%|Non-2xx|Socket errors"
done
echo "== candlebox: limit=100 pages, 32 connections, ${DURATION}s"
BENCH_LIMIT=100 wrk -t2 -c32 -d${DURATION}s --latency -s bench/kline-pages.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|50%|99%|Non-2xx"
echo "== candlebox: whole series by pagination (python3 client, one connection)"
python3 bench/paginate.py 127.0.0.1 $PORT BTCUSDT 1h
python3 bench/paginate.py 127.0.0.1 $PORT BTCUSDT 1h
kill $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT

echo "== postgresql alone (pgbench, the same query, prepared, 32 clients, ${DURATION}s)"
pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 32 -j 2 -T "$DURATION" -f bench/pgbench-page.sql $DB 2>/dev/null | grep -E "tps|latency average"
