package dev.candlebox.sandbox.reference.strategies;

import dev.candlebox.sandbox.reference.ReferenceStrategy;
import java.util.Map;
import java.util.function.Supplier;

/** Each file of {@code strategies/} and its Java re-implementation (a fresh instance per run). */
public final class ReferenceStrategies {

    public static final Map<String, Supplier<ReferenceStrategy>> BY_FILE = Map.of(
            "ma_cross.py", MaCross::new,
            "rsi_macd.py", RsiMacd::new,
            "breakout_stop_loss_take_profit.py", BreakoutStopLossTakeProfit::new,
            "time_filter.py", TimeFilter::new,
            "bollinger_reversion.py", BollingerReversion::new,
            "donchian_breakout.py", DonchianBreakout::new,
            "rsi_trend_filter.py", RsiTrendFilter::new,
            "dca_take_profit.py", DcaTakeProfit::new);

    private ReferenceStrategies() {
    }
}
