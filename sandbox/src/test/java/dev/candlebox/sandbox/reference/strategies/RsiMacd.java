package dev.candlebox.sandbox.reference.strategies;

import dev.candlebox.sandbox.reference.KlineWindow;
import dev.candlebox.sandbox.reference.ReferenceAccount;
import dev.candlebox.sandbox.reference.ReferenceIndicators;
import dev.candlebox.sandbox.reference.ReferenceKline;
import dev.candlebox.sandbox.reference.ReferenceStrategy;
import dev.candlebox.sandbox.reference.StrategyParams;

/** strategies/rsi_macd.py (with the defaults: the printed RSI + MACD example). */
public final class RsiMacd implements ReferenceStrategy {

    private Double prevMacd;
    private Double prevSignal;

    @Override
    public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params) {
        double[] closes = cache.closes();
        int rsiPeriod = params.integer("rsi_period", 14);
        double rsiBuy = params.number("rsi_buy", 35);
        double rsiSell = params.number("rsi_sell", 65);
        int fast = params.integer("macd_fast", 12);
        int slow = params.integer("macd_slow", 26);
        int signal = params.integer("macd_signal", 9);
        double positionPct = params.number("position_pct", 0.95);
        if (closes.length < slow + signal) {
            return;
        }
        Double rsi = ReferenceIndicators.rsi(closes, rsiPeriod);
        ReferenceIndicators.Macd macd = ReferenceIndicators.macd(closes, fast, slow, signal);
        if (rsi == null || macd == null) {
            return;
        }
        if (context.flat()) {
            if (rsi < rsiBuy && macd.histogram() > 0) {
                if (prevMacd != null && prevMacd <= prevSignal) {
                    context.buy(kline.close(), context.balanceOver(kline.close()) * positionPct);
                }
            }
        } else {
            if (rsi > rsiSell && macd.histogram() < 0) {
                if (prevMacd != null && prevMacd >= prevSignal) {
                    context.sellAll(kline.close());
                }
            }
        }
        prevMacd = macd.macd();
        prevSignal = macd.signal();
    }
}
