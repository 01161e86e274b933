package dev.candlebox.sandbox.engine;

/**
 * How the inside of a kline is walked: as legs, each a small kline (open, high, low, close) walked
 * open → high → low → close when it closes down and open → low → high → close otherwise. The engine
 * fills resting orders, brackets and liquidations in the order this path reaches their prices.
 */
public interface IntrabarPath {
    /** Writes kline {@code i}'s legs into {@code out} as (open, high, low, close) quads; returns how many. */
    int legs(KlineSeries klines, int i, double[][] out);

    /** The most legs a kline can have (the size {@code out} must have). */
    int maxLegs();

    /** The kline itself as its only leg. */
    IntrabarPath PESSIMISTIC = new IntrabarPath() {
        @Override
        public int legs(KlineSeries k, int i, double[][] out) {
            double[] leg = out[0];
            leg[0] = k.open()[i];
            leg[1] = k.high()[i];
            leg[2] = k.low()[i];
            leg[3] = k.close()[i];
            return 1;
        }

        @Override
        public int maxLegs() {
            return 1;
        }
    };

    /**
     * The kline's 1-minute klines (of the same symbol) as legs, when every minute of it exists; else the
     * kline itself.
     */
    static IntrabarPath minutes(KlineSeries minutes, int maxMinutesPerKline) {
        return new IntrabarPath() {
            @Override
            public int legs(KlineSeries k, int i, double[][] out) {
                long start = k.openTime()[i];
                long duration = k.closeTime()[i] + 1 - start;
                long[] mt = minutes.openTime();
                if (duration % MINUTE != 0 || duration / MINUTE > Math.min(maxMinutesPerKline, out.length) || duration < MINUTE) {
                    return PESSIMISTIC.legs(k, i, out);
                }
                int count = (int) (duration / MINUTE);
                int from = java.util.Arrays.binarySearch(mt, start);
                if (from < 0 || from + count > mt.length || mt[from + count - 1] != start + (count - 1) * MINUTE) {
                    return PESSIMISTIC.legs(k, i, out);
                }
                for (int j = 0; j < count; j++) {
                    int m = from + j;
                    double[] leg = out[j];
                    leg[0] = minutes.open()[m];
                    leg[1] = minutes.high()[m];
                    leg[2] = minutes.low()[m];
                    leg[3] = minutes.close()[m];
                }
                return count;
            }

            @Override
            public int maxLegs() {
                return maxMinutesPerKline;
            }
        };
    }

    long MINUTE = 60_000L;
}
