"""Load test of the backtest service: several clients submit runs at once (each run answered with
?wait=true, so the time to result is measured end to end) while other clients read kline pages.
Plain python3, no packages. Loopback only. Bounded: RUNS in all, and a deadline.

usage: backtest_load.py PORT SERVER_PID RUNS CLIENTS READERS STRATEGY.py START END
"""
import http.client
import os
import json
import random
import statistics
import sys
import threading
import time

port, pid, runs, clients, readers = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
code = open(sys.argv[6]).read()
start, end = sys.argv[7], sys.argv[8]
DEADLINE = time.time() + 900

lock = threading.Lock()
results = []          # (seconds to result, status)
page_latencies = []
remaining = [runs]
peak_rss = [0]
done = threading.Event()


def rss_kb():
    total = 0
    for p in [pid] + children(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def server_rss_kb():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def children(p):
    # every thread's children: the workers are started from pool threads, not the main one
    out = []
    try:
        for task in os.listdir(f"/proc/{p}/task"):
            with open(f"/proc/{p}/task/{task}/children") as f:
                out += [int(c) for c in f.read().split()]
    except OSError:
        pass
    return out


def submitter(i):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Content-Type": "application/json", "X-Forwarded-For": f"10.0.{i // 250}.{i % 250 + 1}"}
    while time.time() < DEADLINE:
        with lock:
            if remaining[0] == 0:
                return
            remaining[0] -= 1
        params = {"fast_period": random.choice([5, 8, 10, 12]), "slow_period": random.choice([20, 26, 30])}
        body = json.dumps({"symbol": "BTCUSDT", "interval": "1h", "startTime": start, "endTime": end,
                           "strategyParams": params, "code": code})
        t0 = time.perf_counter()
        conn.request("POST", "/api/v1/backtests?wait=true", body, headers)
        resp = conn.getresponse()
        data = resp.read()
        elapsed = time.perf_counter() - t0
        status = json.loads(data).get("status", f"http {resp.status}") if resp.status in (200, 202) else f"http {resp.status}"
        with lock:
            results.append((elapsed, status))


def reader(i):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"X-Forwarded-For": f"10.1.0.{i + 1}"}
    while not done.is_set():
        hour = random.randint(0, 47000)
        t0 = time.perf_counter()
        conn.request("GET", f"/api/v1/kline/BTCUSDT/1h?limit=1000&start_time={1546300800000 + hour * 3600000}", headers=headers)
        resp = conn.getresponse()
        resp.read()
        with lock:
            page_latencies.append((time.perf_counter() - t0, resp.status))


def sampler():
    while not done.is_set():
        peak_rss[0] = max(peak_rss[0], server_rss_kb())
        time.sleep(0.5)


threads = [threading.Thread(target=submitter, args=(i,)) for i in range(clients)]
side = [threading.Thread(target=reader, args=(i,)) for i in range(readers)] + [threading.Thread(target=sampler)]
for t in side:
    t.start()
t0 = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - t0
done.set()
for t in side:
    t.join()

times = sorted(r[0] for r in results)
ok = sum(1 for r in results if r[1] == "succeeded")
failures = len(results) - ok


def pct(xs, q):
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


pages = sorted(p[0] for p in page_latencies)
print(f"runs: {len(results)} submitted by {clients} clients, {ok} succeeded, {failures} failed or refused "
      f"({sorted(set(r[1] for r in results if r[1] != 'succeeded'))})")
print(f"completed runs/s: {ok / wall:.2f} over {wall:.1f} s")
print(f"time to result: p50 {pct(times, 0.5):.2f} s, p99 {pct(times, 0.99):.2f} s, max {times[-1] if times else 0:.2f} s")
print(f"kline pages read meanwhile by {readers} clients: {len(pages)} ({len(pages) / wall:.1f}/s), "
      f"p50 {pct(pages, 0.5) * 1000:.1f} ms, p99 {pct(pages, 0.99) * 1000:.1f} ms, "
      f"non-200: {sum(1 for p in page_latencies if p[1] != 200)}")
print(f"server JVM peak RSS {peak_rss[0] / 1024:.0f} MiB; server + workers now {rss_kb() / 1024:.0f} MiB")
sys.exit(1 if failures else 0)
