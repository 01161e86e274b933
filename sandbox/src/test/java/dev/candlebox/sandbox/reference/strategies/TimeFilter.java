package dev.candlebox.sandbox.reference.strategies;

import dev.candlebox.sandbox.reference.KlineWindow;
import dev.candlebox.sandbox.reference.ReferenceAccount;
import dev.candlebox.sandbox.reference.ReferenceKline;
import dev.candlebox.sandbox.reference.ReferenceStrategy;
import dev.candlebox.sandbox.reference.StrategyParams;

/** strategies/time_filter.py */
public final class TimeFilter implements ReferenceStrategy {

    private int entriesToday;

    @Override
    public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params) {
        int startHour = params.integer("start_hour", 9);
        int endHour = params.integer("end_hour", 16);
        int maxEntries = params.integer("max_entries_per_day", 1);
        double positionPct = params.number("position_pct", 0.95);
        int hour = kline.utcHour();
        if (startHour <= hour && hour < endHour) {
            if (context.flat() && entriesToday < maxEntries && kline.close() > kline.open()) {
                if (context.buy(kline.close(), context.balanceOver(kline.close()) * positionPct)) {
                    entriesToday++;
                }
            }
        } else if (!context.flat()) {
            context.sellAll(kline.close());
        }
    }

    @Override
    public void onDayEnd(String date, ReferenceAccount context) {
        entriesToday = 0;
    }
}
