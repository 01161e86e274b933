package dev.candlebox.sandbox.reference.strategies;

import dev.candlebox.sandbox.reference.KlineWindow;
import dev.candlebox.sandbox.reference.ReferenceAccount;
import dev.candlebox.sandbox.reference.ReferenceKline;
import dev.candlebox.sandbox.reference.ReferenceStrategy;
import dev.candlebox.sandbox.reference.StrategyParams;

/** strategies/donchian_breakout.py */
public final class DonchianBreakout implements ReferenceStrategy {

    @Override
    public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params) {
        double[] highs = cache.highs();
        double[] lows = cache.lows();
        int entryPeriod = params.integer("entry_period", 20);
        int exitPeriod = params.integer("exit_period", 10);
        double positionPct = params.number("position_pct", 0.95);
        if (highs.length < Math.max(entryPeriod, exitPeriod) + 1) {
            return;
        }
        double upper = Channel.max(highs, highs.length - entryPeriod - 1, highs.length - 1);
        double lower = Channel.min(lows, lows.length - exitPeriod - 1, lows.length - 1);
        if (context.flat()) {
            if (kline.close() > upper) {
                context.buy(kline.close(), context.balanceOver(kline.close()) * positionPct);
            }
        } else if (kline.close() < lower) {
            context.sellAll(kline.close());
        }
    }
}
