package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;

/**
 * At what price an immediate order ({@code buy}, {@code sell}, {@code sell_all}, {@code close_position})
 * fills on kline {@code i}, before slippage; null when it cannot fill there. One rule per
 * {@link Trading.FillTiming}.
 */
public interface FillRule {
    BigDecimal price(BigDecimal requested, KlineSeries klines, int i);

    static FillRule of(Trading.FillTiming timing) {
        return switch (timing) {
            case SEED -> WITHIN_KLINE_RANGE;
            case CLOSE -> (requested, k, i) -> finite(k.close()[i]);
            case NEXT_OPEN -> (requested, k, i) -> finite(k.open()[i]);
        };
    }

    /** The strategy's price, when it lies in the kline's traded range {@code low <= price <= high}. */
    FillRule WITHIN_KLINE_RANGE = (requested, k, i) -> {
        double low = k.low()[i];
        double high = k.high()[i];
        if (requested == null || !Double.isFinite(low) || !Double.isFinite(high)) return null;
        return requested.compareTo(BigDecimal.valueOf(low)) >= 0 && requested.compareTo(BigDecimal.valueOf(high)) <= 0
                ? requested : null;
    };

    private static BigDecimal finite(double x) {
        return Double.isFinite(x) && x > 0 ? BigDecimal.valueOf(x) : null;
    }
}
