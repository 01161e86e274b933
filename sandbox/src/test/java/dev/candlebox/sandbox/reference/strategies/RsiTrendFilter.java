package dev.candlebox.sandbox.reference.strategies;

import static dev.candlebox.sandbox.reference.ReferenceIndicators.rsi;
import static dev.candlebox.sandbox.reference.ReferenceIndicators.sma;

import dev.candlebox.sandbox.reference.KlineWindow;
import dev.candlebox.sandbox.reference.ReferenceAccount;
import dev.candlebox.sandbox.reference.ReferenceKline;
import dev.candlebox.sandbox.reference.ReferenceStrategy;
import dev.candlebox.sandbox.reference.StrategyParams;

/** strategies/rsi_trend_filter.py */
public final class RsiTrendFilter implements ReferenceStrategy {

    @Override
    public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params) {
        double[] closes = cache.closes();
        int rsiPeriod = params.integer("rsi_period", 14);
        int trendPeriod = params.integer("trend_period", 50);
        double oversold = params.number("oversold", 35);
        double overbought = params.number("overbought", 70);
        double positionPct = params.number("position_pct", 0.95);
        if (closes.length < Math.max(trendPeriod, rsiPeriod + 1)) {
            return;
        }
        double rsi = rsi(closes, rsiPeriod);
        double trend = sma(closes, trendPeriod);
        if (context.flat()) {
            if (kline.close() > trend && rsi < oversold) {
                context.buy(kline.close(), context.balanceOver(kline.close()) * positionPct);
            }
        } else if (rsi > overbought || kline.close() < trend) {
            context.sellAll(kline.close());
        }
    }
}
