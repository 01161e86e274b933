#!/usr/bin/env bash
# A 100-trial grid sweep of the moving-average template over the whole main series (BTCUSDT 1h, 48,478
# klines), end to end through the HTTP API, on a fresh `serve` with PostgreSQL and the default worker pool:
# fast_period 5..50 step 5 x slow_period 55..100 step 5. Prints the time from the POST to the sweep's end,
# per-trial figures from the stored runs, the best trial and its DSR.
# Usage: bench/sweep.sh   (needs PostgreSQL on localhost; loopback only)
set -euo pipefail
PORT=${BENCH_PORT:-18126}
source "$(dirname "$0")/lib.sh"
machine
fresh_main_series_db

# the kline API rate limit is not what is measured: the script reads 100 runs back at the end
DATABASE_URL=$PGURL PORT=$PORT RATE_LIMIT_ENABLED=false "$JAVA_HOME/bin/java" -jar server/target/candlebox.jar serve > /tmp/candlebox-bench-sweep.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" >/dev/null; do sleep 0.1; done
echo "== serve is up; $(curl -s http://127.0.0.1:$PORT/metrics | grep -E '^candlebox_workers_size' | tr '\n' ' ')"
python3 - "$PORT" strategies/ma_cross.py <<'PY'
import json, sys, time, urllib.request
port, path = sys.argv[1], sys.argv[2]
api = "http://127.0.0.1:%s/api/v1" % port
def call(method, url, body=None):
    req = urllib.request.Request(api + url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)
body = {"base": {"symbol": "BTCUSDT", "interval": "1h", "code": open(path).read(),
                 "strategyParams": {"klineWndSize": 101}},
        "space": {"fast_period": {"int": [5, 50], "step": 5}, "slow_period": {"int": [55, 100], "step": 5}},
        "method": "grid", "objective": "sharpe", "constraints": {"minTrades": 5}}
t0 = time.time()
sweep = call("POST", "/sweeps", body)
# follow the sweep's events (no polling, which would cost the server work) until it ends
with urllib.request.urlopen(urllib.request.Request(api + "/sweeps/%s/events" % sweep["id"],
                                                   headers={"Accept": "text/event-stream"}), timeout=3600) as events:
    for line in events:
        if line.decode().strip() == "event: end":
            break
took = time.time() - t0
print("== the sweep ended %.1f s after its POST" % took, flush=True)
sweep = call("GET", "/sweeps/" + sweep["id"])
trials = sweep["trials"]
runs = [call("GET", "/backtests/%s?view=summary" % t["runId"]) for t in trials]
def secs(a, b):
    from datetime import datetime
    return (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()
work = sorted(secs(r["startedAt"], r["finishedAt"]) for r in runs if r["startedAt"] and r["finishedAt"])
best, st = sweep["best"], sweep["statistics"]
print("== sweep %s: %d trials (%s) in %.1f s from the POST to its end: %.2f s a trial; "
      "a trial's run in a worker: median %.2f s, max %.2f s" % (sweep["status"], len(trials),
      sum(1 for t in trials if t["status"] == "succeeded"), took, took / len(trials), work[len(work) // 2], work[-1]))
print("== best: trial %d %s sharpe %.3f; DSR %.3f over %d trials (expected max Sharpe by luck %.3f), PSR %.4f, "
      "Sharpe 95%% interval [%.3f, %.3f]" % (best["trial"], json.dumps(best["params"]), best["objective"], st["dsr"],
      st["trialsCounted"], st["expectedMaxSharpe"], st["psr"], st["sharpeInterval"]["low"], st["sharpeInterval"]["high"]))
PY
