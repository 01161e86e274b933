#!/usr/bin/env python3
"""Builds an INPUT.json (and the klines / minutes CSV it names) for plain_engine.py from the gzip
files in testdata/.

    python3 make_input.py --strategy strategies/flip.py \
        --klines ../../../../../testdata/gg-cmk__binance-quant/data/BTCUSDT-1h-futures.csv.gz \
        --funding ../../../../../testdata/gg-cmk__binance-quant/data/BTCUSDT-funding.csv.gz \
        --market futures --leverage 5 --out /tmp/flip

Kline sources: Binance's 12-column klines (with or without a header) or open_time_ms,open,high,low,
close,volume (no close time: open + 60 s - 1 ms is assumed, i.e. 1-minute rows). Funding source:
fundingTime,fundingIntervalHours,fundingRate. Writes OUT/klines.csv (open_time_ms,open,high,low,close,
volume,close_time_ms with Python repr floats), OUT/minutes.csv when --minutes is given, and
OUT/input.json.
"""
import argparse
import gzip
import json
import os


def opener(path):
    return gzip.open(path, "rt") if path.endswith(".gz") else open(path)


def read_rows(path, start=None, end=None):
    rows = []
    with opener(path) as fh:
        for line in fh:
            f = line.strip().split(",")
            if not f[0].isdigit():
                continue                                   # header
            t = int(f[0])
            if (start is not None and t < start) or (end is not None and t > end):
                continue
            ct = int(f[6]) if len(f) > 6 else t + 59999
            rows.append((t, float(f[1]), float(f[2]), float(f[3]), float(f[4]), float(f[5]), ct))
    return rows


def hours_from_minutes(rows):
    """1h klines rolled up from 1-minute rows (hours with a missing minute are still rolled up)."""
    hours = []
    for t, o, h, l, c, v, ct in rows:
        start = t - t % 3600000
        if hours and hours[-1][0] == start:
            s, o0, h0, l0, c0, v0, ct0 = hours[-1]
            hours[-1] = (s, o0, max(h0, h), min(l0, l), c, v0 + v, start + 3599999)
        else:
            hours.append((start, o, h, l, c, v, start + 3599999))
    return hours


def write_rows(rows, path):
    with open(path, "w") as out:
        for t, o, h, l, c, v, ct in rows:
            out.write("%d,%r,%r,%r,%r,%r,%d\n" % (t, o, h, l, c, v, ct))


def read_funding(path):
    events = []
    with opener(path) as fh:
        for line in fh:
            f = line.strip().split(",")
            if not f[0].isdigit():
                continue
            events.append([int(f[0]), f[2], None])
    return events


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--strategy", required=True)
    p.add_argument("--klines", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--funding")
    p.add_argument("--minutes")
    p.add_argument("--hours-from-minutes", action="store_true",
                   help="--klines is a 1-minute file: roll it up to 1h klines (and use it as --minutes)")
    p.add_argument("--market", default="spot")
    p.add_argument("--leverage", type=int, default=1)
    p.add_argument("--margin-mode", default="isolated")
    p.add_argument("--fill", default="seed")
    p.add_argument("--slippage", default="0")
    p.add_argument("--maker-fee", default="0.001")
    p.add_argument("--taker-fee", default="0.001")
    p.add_argument("--intrabar", default="pessimistic")
    p.add_argument("--initial", default="10000")
    p.add_argument("--params", default="{}")
    p.add_argument("--start", type=int, help="first open_time (ms) to keep")
    p.add_argument("--end", type=int, help="last open_time (ms) to keep")
    a = p.parse_args()

    os.makedirs(a.out, exist_ok=True)
    rows = read_rows(a.klines, a.start, a.end)
    if a.hours_from_minutes:
        a.minutes = a.minutes or a.klines
        rows = hours_from_minutes(rows)
    klines_csv = os.path.abspath(os.path.join(a.out, "klines.csv"))
    write_rows(rows, klines_csv)
    minutes_csv = None
    if a.minutes:
        minutes_csv = os.path.abspath(os.path.join(a.out, "minutes.csv"))
        write_rows(read_rows(a.minutes, a.start, a.end), minutes_csv)
    cfg = {
        "strategy": os.path.abspath(a.strategy),
        "params": json.loads(a.params),
        "initialBalance": a.initial,
        "market": a.market,
        "leverage": a.leverage,
        "marginMode": a.margin_mode,
        "fill": a.fill,
        "slippage": a.slippage,
        "makerFee": a.maker_fee,
        "takerFee": a.taker_fee,
        "intrabar": a.intrabar,
        "klines": klines_csv,
        "minutes": minutes_csv,
        "funding": read_funding(a.funding) if a.funding else [],
        "tiers": [[None, "0.004", "0"]],
    }
    with open(os.path.join(a.out, "input.json"), "w") as fh:
        json.dump(cfg, fh, indent=1)
    print("%s: %d klines%s" % (os.path.join(a.out, "input.json"), len(rows),
                               ", %d funding times" % len(cfg["funding"]) if a.funding else ""))


if __name__ == "__main__":
    main()
