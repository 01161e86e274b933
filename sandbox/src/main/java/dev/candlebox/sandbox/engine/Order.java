package dev.candlebox.sandbox.engine;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * A resting order a strategy placed with {@code context.order(...)} (contract section 6), and its fate.
 * Orders fill whole; no margin is reserved while they rest.
 *
 * @param price       the limit price (limit, stop_limit), else null
 * @param stop        the trigger price (stop, stop_limit), else null
 * @param placedKline the kline during whose run() it was placed: it can first fill on the next one
 * @param lastKline   the last kline it may fill on ({@code expire_after}), or {@link Integer#MAX_VALUE}
 */
public record Order(long id, Side side, Type type, BigDecimal amount, BigDecimal price, BigDecimal stop,
                    boolean reduceOnly, String tag, int placedKline, int lastKline, Status status, int endKline) {

    public enum Type {
        LIMIT, STOP, STOP_LIMIT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Status {
        OPEN, FILLED, CANCELLED, EXPIRED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    Order with(Status s, int kline) {
        return new Order(id, side, type, amount, price, stop, reduceOnly, tag, placedKline, lastKline, s, kline);
    }
}
