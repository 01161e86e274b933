package dev.candlebox.sandbox.reference.strategies;

import static dev.candlebox.sandbox.reference.ReferenceIndicators.sma;

import dev.candlebox.sandbox.reference.KlineWindow;
import dev.candlebox.sandbox.reference.ReferenceAccount;
import dev.candlebox.sandbox.reference.ReferenceKline;
import dev.candlebox.sandbox.reference.ReferenceStrategy;
import dev.candlebox.sandbox.reference.StrategyParams;

/** strategies/bollinger_reversion.py */
public final class BollingerReversion implements ReferenceStrategy {

    @Override
    public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params) {
        double[] closes = cache.closes();
        int period = params.integer("period", 20);
        double numStd = params.number("num_std", 2.0);
        double positionPct = params.number("position_pct", 0.95);
        if (closes.length < period) {
            return;
        }
        double middle = sma(closes, period);
        double squares = 0;
        for (int i = closes.length - period; i < closes.length; i++) {
            squares += (closes[i] - middle) * (closes[i] - middle);
        }
        double std = Math.sqrt(squares / period);
        double lower = middle - numStd * std;
        if (context.flat()) {
            if (kline.close() < lower) {
                context.buy(kline.close(), context.balanceOver(kline.close()) * positionPct);
            }
        } else if (kline.close() >= middle) {
            context.sellAll(kline.close());
        }
    }
}
