package dev.candlebox.sandbox.reference.strategies;

import dev.candlebox.sandbox.reference.KlineWindow;
import dev.candlebox.sandbox.reference.ReferenceAccount;
import dev.candlebox.sandbox.reference.ReferenceKline;
import dev.candlebox.sandbox.reference.ReferenceStrategy;
import dev.candlebox.sandbox.reference.StrategyParams;

/** strategies/breakout_stop_loss_take_profit.py */
public final class BreakoutStopLossTakeProfit implements ReferenceStrategy {

    @Override
    public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params) {
        double[] highs = cache.highs();
        double[] lows = cache.lows();
        int lookback = params.integer("lookback", 20);
        double stopLoss = params.number("stop_loss", 0.03);
        double takeProfit = params.number("take_profit", 0.06);
        double positionPct = params.number("position_pct", 0.95);
        if (cache.size() < lookback + 1) {
            return;
        }
        // highs[-lookback - 1:-1]: the lookback klines before the current one.
        double highest = Channel.max(highs, highs.length - lookback - 1, highs.length - 1);
        double lowest = Channel.min(lows, lows.length - lookback - 1, lows.length - 1);
        if (context.flat()) {
            if (kline.close() > highest) {
                context.buy(kline.close(), context.balanceOver(kline.close()) * positionPct);
            }
        } else {
            double avgPrice = context.avgPositionPrice();
            if (kline.close() < avgPrice * (1 - stopLoss)) {
                context.sellAll(kline.close());
            } else if (kline.close() > avgPrice * (1 + takeProfit)) {
                context.sellAll(kline.close());
            } else if (kline.close() < lowest) {
                context.sellAll(kline.close());
            }
        }
    }
}
