package dev.candlebox.sandbox.reference;

/** One kline as a strategy sees it ({@code kline} in Python), with its position in the series. */
public record ReferenceKline(int index, long openTime, double open, double high, double low, double close,
                             double volume) {

    private static final long DAY_MS = 86_400_000L;

    /** The UTC hour of the open time, what {@code datetime.fromisoformat(kline.open_time).hour} gives. */
    public int utcHour() {
        return (int) (Math.floorMod(openTime, DAY_MS) / 3_600_000L);
    }

    /** The UTC day of the open time, as days since 1970-01-01. */
    public long utcDay() {
        return Math.floorDiv(openTime, DAY_MS);
    }
}
