"""Fetches a whole series the way the reference client does (limit=1000, start_time = last open_time) and
prints the row count and the wall time. Plain python3, no packages."""
import http.client
import json
import sys
import time
import urllib.parse

host, port, symbol, interval = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
conn = http.client.HTTPConnection(host, port)
start = "0"
rows = 0
pages = 0
t0 = time.perf_counter()
while True:
    conn.request("GET", f"/api/v1/kline/{symbol}/{interval}?limit=1000&start_time={urllib.parse.quote(start)}")
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200:
        sys.exit(f"HTTP {resp.status}: {body[:200]!r}")
    data = json.loads(body)["data"]
    rows += len(data)
    pages += 1
    if len(data) < 1000:
        break
    start = data[-1]["open_time"]
elapsed = time.perf_counter() - t0
print(f"whole series by pagination: {rows} rows in {pages} pages, {elapsed:.3f} s")
