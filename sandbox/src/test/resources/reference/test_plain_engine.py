"""Hand checks of plain_engine.py (python3 -m unittest, from this folder).

Each test builds a few 1h klines (kline i opens at i * 3600000 ms), a small scripted strategy, and
compares with numbers worked out by hand in the comments. Unless a test says otherwise:
initial balance 10000, makerFee 0.0002, takerFee 0.0005, slippage 0, fill "seed".
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import plain_engine  # noqa: E402

H = 3600000

TEMPLATE = '''
class Strategy(IStrategy):
    def __init__(self):
        super().__init__()
        self.n = -1

    def run(self, context, kline, params):
        self.n += 1
        n = self.n
%s
'''


def run(klines, body, minutes=None, **cfg):
    """klines: (open, high, low, close) tuples; body: the run() body (indented 8), using n."""
    tmp = tempfile.mkdtemp(prefix="plain_engine_test_")
    path = os.path.join(tmp, "klines.csv")
    with open(path, "w") as fh:
        for i, (o, h, l, c) in enumerate(klines):
            fh.write("%d,%r,%r,%r,%r,1.0,%d\n" % (i * H, float(o), float(h), float(l), float(c),
                                                  i * H + H - 1))
    mpath = None
    if minutes is not None:
        mpath = os.path.join(tmp, "minutes.csv")
        with open(mpath, "w") as fh:
            for t, (o, h, l, c) in minutes:
                fh.write("%d,%r,%r,%r,%r,1.0,%d\n" % (t, float(o), float(h), float(l), float(c),
                                                      t + 59999))
    spath = os.path.join(tmp, "strategy.py")
    with open(spath, "w") as fh:
        fh.write(TEMPLATE % body)
    full = {"strategy": spath, "params": {}, "initialBalance": "10000", "market": "spot",
            "leverage": 1, "marginMode": "isolated", "fill": "seed", "slippage": "0",
            "makerFee": "0.0002", "takerFee": "0.0005", "intrabar": "pessimistic",
            "klines": path, "minutes": mpath, "funding": [], "tiers": None}
    full.update(cfg)
    return plain_engine.run(full)


def D(s):
    return Decimal(s)


class Liquidation(unittest.TestCase):
    def test_10x_isolated_long_liquidates_at_0_9_ep_over_0_996(self):
        # Long 1 at 1000 (seed, in [990, 1010]), leverage 10, MMR 0.004, cum 0.
        # fee = 1000 * 0.0005 = 0.5 -> wallet 9999.5; WB = margin = 1 * 1000 / 10 = 100.
        # LP = (WB + cum - Q*EP) / (Q*MMR - Q) = (100 - 1000) / (0.004 - 1) = 900 / 0.996
        #    = 225000 / 249 = 903.614457831325301204819277108433734...
        #    -> DECIMAL128 (34 digits): 903.6144578313253012048192771084337 (= 0.903614... x EP)
        # Kline 1 (down: open-high-low-close) reaches 900 < LP: liquidated at exactly LP.
        # fee recorded = 1 * LP * 0.0005 = 0.45180722891566265060240963855421685 (exact product)
        # wallet = 9999.5 - 100 = 9899.5; final = 9899.5 (flat).
        r = run([(1000, 1010, 990, 1000), (950, 960, 900, 920), (920, 930, 910, 925)],
                "        if n == 0:\n"
                "            print(context.buy(1000, 1))\n"
                "            print(context.liquidation_price)\n",
                market="futures", leverage=10)
        lp = "903.6144578313253012048192771084337"
        self.assertEqual(r["printed"], "True\n%s\n" % lp)
        self.assertEqual(len(r["trades"]), 2)
        liq = r["trades"][1]
        self.assertEqual((liq["kline"], liq["type"], liq["reason"]), (1, "liquidation", "liquidation"))
        self.assertEqual(D(liq["price"]), D(lp))
        self.assertEqual(D(liq["amount"]), 1)
        self.assertEqual(D(liq["fee"]), D("0.45180722891566265060240963855421685"))
        self.assertEqual(D(liq["balance"]), D("9899.5"))
        self.assertEqual(D(r["finalBalance"]), D("9899.5"))
        self.assertEqual(r["liquidations"], 1)
        # equity: kline 0 = 9999.5 + 1 * (1000 - 1000); kline 1 and 2 = 9899.5
        self.assertEqual(r["equity"], [9999.5, 9899.5, 9899.5])

    def test_10x_isolated_short(self):
        # Short 1 at 1000, leverage 10: LP = (100 + 0 + 1000) / (0.004 + 1) = 1100 / 1.004
        #    = 1095.617529880478087649402390438247 (34 digits). Kline 1 high 1090: no liquidation;
        # kline 2 high 1100 >= LP: liquidated at LP; wallet 9999.5 - 100 = 9899.5.
        r = run([(1000, 1010, 990, 1000), (1000, 1090, 995, 1050), (1050, 1100, 1040, 1060)],
                "        if n == 0:\n"
                "            context.sell(1000, 1)\n"
                "            print(context.liquidation_price)\n",
                market="futures", leverage=10)
        self.assertEqual(r["printed"], "1095.617529880478087649402390438247\n")
        self.assertEqual([(t["kline"], t["type"]) for t in r["trades"]], [(0, "sell"), (2, "liquidation")])
        self.assertEqual(D(r["trades"][1]["price"]), D("1095.617529880478087649402390438247"))
        self.assertEqual(D(r["finalBalance"]), D("9899.5"))


class Stops(unittest.TestCase):
    def test_stop_loss_gapping_through_fills_at_the_open(self):
        # Spot, slippage 0.001. Buy 1 at 1000 on kline 0: fill 1000 * 1.001 = 1001,
        # fee 1001 * 0.0005 = 0.5005, balance 10000 - 1001 - 0.5005 = 8998.4995.
        # Stop-loss at 950. Kline 1 (990..1010) does not reach it. Kline 2 opens at 930, below the
        # stop: it fills at the open 930 (not 950), less slippage: 930 * 0.999 = 929.07;
        # fee 929.07 * 0.0005 = 0.464535; slippage cost 1 * (930 - 929.07) = 0.93;
        # balance 8998.4995 + 929.07 - 0.464535 = 9927.104965.
        r = run([(1000, 1010, 990, 1000), (1000, 1010, 990, 1000), (930, 940, 920, 935)],
                "        if n == 0:\n"
                "            context.buy(1000, 1)\n"
                "            print(context.set_stop_loss(price=950))\n",
                slippage="0.001")
        self.assertEqual(r["printed"], "True\n")
        self.assertEqual(len(r["trades"]), 2)
        sl = r["trades"][1]
        self.assertEqual((sl["kline"], sl["type"], sl["reason"]), (2, "sell", "stop_loss"))
        self.assertEqual(D(sl["price"]), D("929.07"))
        self.assertEqual(D(sl["fee"]), D("0.464535"))
        self.assertEqual(D(sl["slippage"]), D("0.93"))
        self.assertEqual(D(sl["balance"]), D("9927.104965"))
        self.assertEqual(D(r["finalBalance"]), D("9927.104965"))

    def test_buy_stop_order_gap_fills_at_open(self):
        # Futures, leverage 5. A buy stop at 1050 placed on kline 0; kline 1 opens at 1060 > 1050:
        # fills at max(open, S) = 1060, no slippage here; taker fee 1060 * 2 * 0.0005 = 1.06.
        r = run([(1000, 1010, 990, 1000), (1060, 1070, 1055, 1065)],
                "        if n == 0:\n"
                "            print(context.order('buy', 2, 'stop', stop=1050))\n",
                market="futures", leverage=5)
        self.assertEqual(r["printed"], "1\n")
        t = r["trades"][0]
        self.assertEqual((t["kline"], t["reason"], D(t["price"]), D(t["fee"])), (1, "stop", D(1060), D("1.06")))
        self.assertEqual(r["orders"], [{"id": 1, "status": "filled"}])
        # final = 10000 - 1.06 + 2 * (1065 - 1060) = 10008.94
        self.assertEqual(D(r["finalBalance"]), D("10008.94"))

    def test_same_kline_stop_and_target_is_ambiguous_and_the_stop_wins(self):
        # Spot long 1 at 1000 (fee 0.5, balance 8999.5), SL pct 0.02 -> 980, TP pct 0.02 -> 1020.
        # Kline 1: open 1000, high 1025, low 975, close 990 (down kline: path open-high-low-close
        # would reach the TP at 1020 first). Both levels lie in [975, 1025]: the stop-loss wins,
        # the kline counts as ambiguous. SL fill 980 (taker, slippage 0), fee 0.49:
        # balance 8999.5 + 980 - 0.49 = 9979.01.
        r = run([(1000, 1010, 990, 1000), (1000, 1025, 975, 990), (990, 995, 985, 990)],
                "        if n == 0:\n"
                "            context.buy(1000, 1)\n"
                "            context.set_stop_loss(pct=0.02)\n"
                "            context.set_take_profit(pct=0.02)\n")
        self.assertEqual(r["ambiguousKlines"], 1)
        self.assertEqual(len(r["trades"]), 2)
        t = r["trades"][1]
        self.assertEqual((t["kline"], t["reason"], D(t["price"]), D(t["fee"])), (1, "stop_loss", D(980), D("0.49")))
        self.assertEqual(D(r["finalBalance"]), D("9979.01"))

    def test_same_kline_resolved_by_minutes(self):
        # As above but intrabar "1m" with the 60 minutes of kline 1: minute 0 goes 1000 -> 1021
        # (reaches the TP 1020, not the SL), the others stay between 1000 and 1001 except minute 59
        # which falls to 975. No minute holds both levels: not ambiguous. The TP fills first, at
        # 1020 (maker 0.0002): fee 0.204; balance 8999.5 + 1020 - 0.204 = 10019.296.
        minutes = [(H, (1000, 1021, 1000, 1010))]
        minutes += [(H + m * 60000, (1001, 1001, 1000, 1000)) for m in range(1, 59)]
        minutes += [(H + 59 * 60000, (1000, 1000, 975, 990))]
        r = run([(1000, 1010, 990, 1000), (1000, 1025, 975, 990), (990, 995, 985, 990)],
                "        if n == 0:\n"
                "            context.buy(1000, 1)\n"
                "            context.set_stop_loss(pct=0.02)\n"
                "            context.set_take_profit(pct=0.02)\n",
                minutes=minutes, intrabar="1m")
        self.assertEqual(r["ambiguousKlines"], 0)
        t = r["trades"][1]
        self.assertEqual((t["kline"], t["reason"], D(t["price"]), D(t["fee"])), (1, "take_profit", D(1020), D("0.204")))
        self.assertEqual(D(r["finalBalance"]), D("10019.296"))

    def test_trailing_stop_is_not_moved_by_its_own_kline(self):
        # Spot long 1 at 1000 (balance 8999.5), trailing 5 %: anchor 1000, level 950 on kline 1.
        # Kline 1 (up: open-low-high-close) 960..1100: 960 > 950, no fill (had the kline moved its
        # own stop to 1100 * 0.95 = 1045, its low 960 would have hit it). Anchor -> 1100.
        # Kline 2: level 1045; open 1080, low 1040: fills at 1045 (sell stop, no slippage),
        # fee 1045 * 0.0005 = 0.5225; balance 8999.5 + 1045 - 0.5225 = 10043.9775.
        r = run([(1000, 1010, 990, 1000), (1000, 1100, 960, 1090), (1080, 1085, 1040, 1050)],
                "        if n == 0:\n"
                "            context.buy(1000, 1)\n"
                "            context.set_trailing_stop(pct=0.05)\n")
        self.assertEqual([(t["kline"], t["reason"]) for t in r["trades"]], [(0, "order"), (2, "trailing_stop")])
        self.assertEqual(D(r["trades"][1]["price"]), D(1045))
        self.assertEqual(D(r["finalBalance"]), D("10043.9775"))


class Orders(unittest.TestCase):
    def test_limit_fills_at_the_better_open_and_expiry(self):
        # Kline 0: buy limit 990 (id 1) and buy limit 900 with expire_after=2 (id 2).
        # Kline 1 opens at 980 <= 990: id 1 fills at 980 (maker): fee 980 * 0.0002 = 0.196,
        # balance 10000 - 980 - 0.196 = 9019.804. Id 2 can fill on klines 1..2 only; kline 3 reaches
        # 890 but id 2 was marked expired after kline 2.
        r = run([(1000, 1010, 990, 1000), (980, 985, 970, 982), (982, 990, 950, 960), (960, 965, 890, 900)],
                "        if n == 0:\n"
                "            context.order('buy', 1, 'limit', price=990)\n"
                "            context.order('buy', 1, 'limit', price=900, expire_after=2)\n")
        self.assertEqual(r["orders"], [{"id": 1, "status": "filled"}, {"id": 2, "status": "expired"}])
        t = r["trades"][0]
        self.assertEqual((t["kline"], t["reason"], D(t["price"]), D(t["fee"]), D(t["balance"])),
                         (1, "limit", D(980), D("0.196"), D("9019.804")))

    def test_flip_is_one_trade(self):
        # Futures, leverage 5. Kline 0: sell 1 at 1000 (fee 0.5, wallet 9999.5, EP 1000).
        # Kline 1: buy 3 at 1100: reduce 1 (realised 1 * (1100 - 1000) * -1 = -100), open 2 at
        # 1100; fee 3 * 1100 * 0.0005 = 1.65; wallet 9999.5 - 100 - 1.65 = 9897.85; Q = 2, EP 1100.
        # margin used = 2 * 1100 / 5 = 440.
        r = run([(1000, 1010, 990, 1000), (1100, 1110, 1090, 1100)],
                "        if n == 0:\n"
                "            context.sell(1000, 1)\n"
                "        if n == 1:\n"
                "            print(context.buy(1100, 3), context.position, context.margin_used)\n",
                market="futures", leverage=5)
        self.assertEqual(r["printed"], "True 2 440\n")
        self.assertEqual(len(r["trades"]), 2)
        t = r["trades"][1]
        self.assertEqual((t["type"], D(t["amount"]), D(t["fee"]), D(t["balance"])),
                         ("buy", D(3), D("1.65"), D("9897.85")))

    def test_seed_spot_rules(self):
        # feeRate 0.001 (maker = taker). Buy outside [low, high] -> False; too large -> False;
        # buy 2 at 1000: cost 2000 + fee 2 -> balance 7998; sell 3 (more than held) -> False;
        # sell_all at 1005: + 2010 - 2.01 -> 10005.99.
        r = run([(1000, 1010, 990, 1000), (1000, 1010, 990, 1005)],
                "        if n == 0:\n"
                "            print(context.buy(1011, 1), context.buy(1000, 10), context.buy(1000, 2))\n"
                "        if n == 1:\n"
                "            print(context.sell(1005, 3), context.sell_all(1005), context.balance)\n",
                makerFee="0.001", takerFee="0.001")
        self.assertEqual(r["printed"], "False False True\nFalse True 10005.990\n")
        self.assertEqual(D(r["finalBalance"]), D("10005.99"))

    def test_next_open_and_funding(self):
        # fill "next_open", futures, leverage 2, slippage 0.001. Buy 1 during kline 0 -> fills at
        # kline 1's open 1010 * 1.001 = 1011.01, fee 0.505505, wallet 9999.494495.
        # Funding (settled after the kline's next_open fills): 1h + 5 min (in kline 1 = [1h, 2h - 1])
        # rate 0.0001 -> 1 * 1010 (kline 1's open) * 0.0001 = 0.101;
        # 2h + 30 min with mark 1020 rate -0.0002 -> 1 * 1020 * -0.0002 = -0.204 (received);
        # 10h (no kline: after the last close, outside the run, not counted).
        # wallet 9999.494495 - 0.101 + 0.204 = 9999.597495. A buy during the last kline is dropped.
        r = run([(1000, 1010, 990, 1000), (1010, 1020, 1000, 1015), (1015, 1025, 1005, 1020)],
                "        if n == 0 or n == 2:\n"
                "            print(context.buy(1, 1))\n",
                market="futures", leverage=2, fill="next_open", slippage="0.001",
                funding=[[H + 300000, "0.0001", None], [2 * H + 1800000, "-0.0002", "1020"],
                         [10 * H, "0.0001", None]])
        self.assertEqual(r["printed"], "True\nTrue\n")
        self.assertEqual(len(r["trades"]), 1)
        self.assertEqual(D(r["trades"][0]["price"]), D("1011.01"))
        self.assertEqual(r["droppedOrders"], 1)
        self.assertEqual([D(f["amount"]) for f in r["funding"]], [D("0.101"), D("-0.204")])
        self.assertEqual(D(r["fundingPaid"]), D("-0.103"))
        # final = 9999.597495 + 1 * (1020 - 1011.01) = 10008.587495
        self.assertEqual(D(r["finalBalance"]), D("10008.587495"))


class CommandLine(unittest.TestCase):
    def test_cli_writes_the_output_file(self):
        tmp = tempfile.mkdtemp(prefix="plain_engine_cli_")
        klines = os.path.join(tmp, "k.csv")
        with open(klines, "w") as fh:
            fh.write("0,100.0,101.0,99.0,100.5,1.0,3599999\n")
        strategy = os.path.join(tmp, "s.py")
        with open(strategy, "w") as fh:
            fh.write(TEMPLATE % "        context.buy(kline.close, 1)\n")
        cfg = {"strategy": strategy, "params": {}, "initialBalance": "10000", "market": "spot",
               "leverage": 1, "marginMode": "isolated", "fill": "seed", "slippage": "0",
               "makerFee": "0.001", "takerFee": "0.001", "intrabar": "pessimistic",
               "klines": klines, "minutes": None, "funding": []}
        inp = os.path.join(tmp, "in.json")
        outp = os.path.join(tmp, "out.json")
        with open(inp, "w") as fh:
            json.dump(cfg, fh)
        subprocess.run([sys.executable, os.path.join(HERE, "plain_engine.py"), inp, outp], check=True)
        with open(outp) as fh:
            r = json.load(fh)
        # buy 1 at 100.5: fee 0.1005, balance 9899.3995; final = 9899.3995 + 100.5 = 9999.8995
        self.assertEqual(D(r["finalBalance"]), D("9999.8995"))


if __name__ == "__main__":
    unittest.main()
