#!/usr/bin/env bash
# `candlebox backtest` of the moving-average template over the main series (48,478 1h klines) as a terminal user
# lives it (bin/candlebox, the launcher with a class-data-sharing archive), wall time of the whole command: (1) cold, in a worker the command starts itself (--local);
# (2) with a `serve` up on the same PostgreSQL database (defaults), which the command finds and hands the run to;
# beside CPython running the same strategy on the same prelude (sandbox/bench/cpython_bench.py).
# Usage: bench/cli.sh [RUNS=3]   (needs PostgreSQL on localhost; loopback only; run it alone on the machine)
set -euo pipefail
RUNS=${1:-3}
PORT=${BENCH_PORT:-18126}
source "$(dirname "$0")/lib.sh"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
machine
fresh_main_series_db

backtest() { # $1: label, rest: extra args; prints the wall time of the whole command
    local t0 t1
    t0=$(date +%s.%N)
    DATABASE_URL=$PGURL PORT=$PORT bin/candlebox backtest strategies/ma_cross.py \
        --symbol BTCUSDT --interval 1h --out "$OUT/$1" "${@:2}" > "$OUT/$1.log" 2>&1
    t1=$(date +%s.%N)
    printf '%-34s %6.2f s   (%s)\n' "$1" "$(echo "$t1 - $t0" | bc)" "$(grep -m1 'run by' "$OUT/$1.log" | sed 's/ *run by *//')"
}

echo "== cold: a new JVM and a new worker per command (--local)"
for i in $(seq "$RUNS"); do backtest "cold-$i" --local; done

echo "== with \`serve\` up on the same database (defaults), after its first run"
DATABASE_URL=$PGURL PORT=$PORT "$JAVA" -jar "$JAR" serve > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$OUT"' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 0.2; done
backtest "first-after-serve-started"
for i in $(seq $((RUNS + 2))); do backtest "server-up-$i"; done
cmp -s "$OUT/cold-1/trades.csv" "$OUT/server-up-1/trades.csv" && cmp -s "$OUT/cold-1/equity.csv" "$OUT/server-up-1/equity.csv" \
    && echo "   trades.csv and equity.csv of a cold run and a server run are identical" \
    || { echo "   FILES DIFFER between a cold run and a server run"; exit 1; }
kill $SERVER; wait $SERVER 2>/dev/null || true

echo "== CPython ($(python3 --version)): the whole command (start, read the gzip file, run), then the engine alone"
for i in $(seq "$RUNS"); do
    t0=$(date +%s.%N)
    python3 sandbox/bench/cpython_bench.py strategies/ma_cross.py "$DATA" 48478 1 > "$OUT/cpython.log"
    t1=$(date +%s.%N)
    printf '%-34s %6.2f s   (%s)\n' "cpython-$i" "$(echo "$t1 - $t0" | bc)" "$(tail -1 "$OUT/cpython.log")"
done
