package dev.candlebox.sandbox.reference.strategies;

import static dev.candlebox.sandbox.reference.ReferenceIndicators.sma;

import dev.candlebox.sandbox.reference.KlineWindow;
import dev.candlebox.sandbox.reference.ReferenceAccount;
import dev.candlebox.sandbox.reference.ReferenceKline;
import dev.candlebox.sandbox.reference.ReferenceStrategy;
import dev.candlebox.sandbox.reference.StrategyParams;
import java.util.Arrays;

/** strategies/ma_cross.py */
public final class MaCross implements ReferenceStrategy {

    @Override
    public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params) {
        double[] closes = cache.closes();
        int fastPeriod = params.integer("fast_period", 10);
        int slowPeriod = params.integer("slow_period", 30);
        double positionPct = params.number("position_pct", 0.95);
        if (closes.length < slowPeriod + 1) {
            return;
        }
        double[] previous = Arrays.copyOf(closes, closes.length - 1);
        double fastMa = sma(closes, fastPeriod);
        double slowMa = sma(closes, slowPeriod);
        double prevFast = sma(previous, fastPeriod);
        double prevSlow = sma(previous, slowPeriod);
        if (fastMa > slowMa && prevFast <= prevSlow) {
            if (context.flat()) {
                context.buy(kline.close(), context.balanceOver(kline.close()) * positionPct);
            }
        } else if (fastMa < slowMa && prevFast >= prevSlow) {
            if (!context.flat()) {
                context.sellAll(kline.close());
            }
        }
    }
}
