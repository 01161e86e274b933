package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;

/** Whether the market could have filled an order at its price on a given kline. */
public interface FillRule {
    boolean fillable(Order order, KlineSeries klines, int index);

    /** The price must lie in the kline's traded range: {@code low <= price <= high}. */
    FillRule WITHIN_KLINE_RANGE = (order, klines, i) -> {
        double low = klines.low()[i];
        double high = klines.high()[i];
        if (!Double.isFinite(low) || !Double.isFinite(high)) return false;
        BigDecimal p = order.price();
        return p.compareTo(BigDecimal.valueOf(low)) >= 0 && p.compareTo(BigDecimal.valueOf(high)) <= 0;
    };
}
