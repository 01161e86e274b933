package dev.candlebox.server.backtest;

import dev.candlebox.sandbox.engine.BacktestResult;
import dev.candlebox.sandbox.engine.EquityCurve;
import dev.candlebox.sandbox.engine.Fill;
import dev.candlebox.sandbox.engine.Side;
import dev.candlebox.server.stats.Returns;
import dev.candlebox.server.stats.SharpeMoments;
import dev.candlebox.server.stats.SharpeStatistics;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics of a run beyond the contract's fields, computed from the engine's validated result and the
 * klines it ran on. Every formula is written down in {@code docs/metrics.md}; a metric that is undefined
 * for the run (no volatility, no losing trade...) is null.
 */
public final class Metrics {
    static final double YEAR_MS = 365.25 * 86_400_000d;

    private Metrics() {}

    /**
     * @param closes     the klines' closes, one per equity point
     * @param intervalMs the nominal kline interval (annualisation: periods per year = year / interval)
     */
    public static Map<String, Double> of(BacktestResult r, double[] closes, long intervalMs) {
        return of(r, r.equityCurve(), closes, intervalMs);
    }

    /**
     * The metrics of the klines from {@code tradeFrom} on (epoch ms; {@code strategyParams.tradeFrom}, a
     * walk-forward window's out-of-sample start): the warm-up klines before it, where the strategy could not
     * trade and equity stayed the initial balance, are left out. All of them when tradeFrom is null.
     */
    public static Map<String, Double> of(BacktestResult r, double[] closes, long intervalMs, Long tradeFrom) {
        EquityCurve c = r.equityCurve();
        if (tradeFrom == null) return of(r, c, closes, intervalMs);
        int i = 0;
        while (i < c.size() && c.timestamp()[i] < tradeFrom) i++;
        int n = c.size();
        EquityCurve traded = new EquityCurve(java.util.Arrays.copyOfRange(c.timestamp(), i, n), java.util.Arrays.copyOfRange(c.equity(), i, n),
                java.util.Arrays.copyOfRange(c.balance(), i, n), java.util.Arrays.copyOfRange(c.position(), i, n));
        return of(r, traded, java.util.Arrays.copyOfRange(closes, Math.min(i, closes.length), closes.length), intervalMs);
    }

    private static Map<String, Double> of(BacktestResult r, EquityCurve curve, double[] closes, long intervalMs) {
        int n = curve.size();
        double initial = r.initialBalance().doubleValue();
        Map<String, Double> m = new LinkedHashMap<>();
        double finalEquity = n == 0 ? initial : curve.equity()[n - 1];
        double totalReturn = finalEquity / initial - 1;
        m.put("totalReturn", totalReturn);

        double years = n == 0 ? 0 : (curve.timestamp()[n - 1] + intervalMs - curve.timestamp()[0]) / YEAR_MS;
        Double cagr = years > 0 && finalEquity > 0 ? Math.pow(finalEquity / initial, 1 / years) - 1 : null;
        m.put("cagr", cagr);

        // per-kline returns, the first against the initial balance
        double sum = 0, sumSq = 0, downSq = 0;
        double prev = initial;
        for (int i = 0; i < n; i++) {
            double ret = curve.equity()[i] / prev - 1;
            sum += ret;
            sumSq += ret * ret;
            if (ret < 0) downSq += ret * ret;
            prev = curve.equity()[i];
        }
        double periodsPerYear = YEAR_MS / intervalMs;
        double mean = n == 0 ? 0 : sum / n;
        double sd = n < 2 ? 0 : Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1)));
        double downside = n == 0 ? 0 : Math.sqrt(downSq / n);
        m.put("volatility", n < 2 ? null : sd * Math.sqrt(periodsPerYear));
        m.put("sharpe", sd > 0 ? mean / sd * Math.sqrt(periodsPerYear) : null);
        m.put("sortino", downside > 0 ? mean / downside * Math.sqrt(periodsPerYear) : null);
        m.put("psr", SharpeStatistics.psr(SharpeMoments.of(Returns.of(curve, initial).value()), 0));
        double maxDd = r.maxDrawdown().doubleValue();
        m.put("maxDrawdown", maxDd);
        m.put("calmar", cagr != null && maxDd > 0 ? cagr / maxDd : null);

        RoundTrips trips = RoundTrips.of(r.trades());
        m.put("roundTrips", (double) trips.count);
        m.put("winRate", r.winRate().doubleValue());
        m.put("profitFactor", trips.grossLoss > 0 ? trips.grossProfit / trips.grossLoss : null);
        m.put("expectancy", trips.count > 0 ? trips.netPnl / trips.count : null);
        m.put("avgHoldingHours", trips.count > 0 ? trips.holdingMs / (double) trips.count / 3_600_000d : null);
        m.put("longestHoldingHours", trips.count > 0 ? trips.longestMs / 3_600_000d : null);
        m.put("maxConsecutiveLosses", (double) trips.maxConsecutiveLosses);

        int inPosition = 0;
        for (int i = 0; i < n; i++) if (curve.position()[i] != 0) inPosition++;
        m.put("exposure", n == 0 ? 0.0 : inPosition / (double) n);
        m.put("maxDrawdownDurationHours", maxDrawdownDurationMs(curve, initial) / 3_600_000d);
        m.put("buyAndHoldReturn", closes.length == 0 ? null : closes[closes.length - 1] / closes[0] - 1);
        m.put("totalFees", r.quoteFee().add(r.baseFee()).doubleValue());
        m.put("totalTrades", (double) r.totalTrades());
        return m;
    }

    /**
     * The longest time equity spent below a previous peak: from the kline that set the peak (the first
     * kline, for the initial balance) to the first kline back at or above it, or to the last kline if it
     * never came back.
     */
    static long maxDrawdownDurationMs(EquityCurve curve, double initial) {
        int n = curve.size();
        if (n == 0) return 0;
        double peak = initial;
        long peakTime = curve.timestamp()[0];
        boolean underwater = false;
        long longest = 0;
        for (int i = 0; i < n; i++) {
            double e = curve.equity()[i];
            long t = curve.timestamp()[i];
            if (e >= peak) {
                if (underwater) longest = Math.max(longest, t - peakTime);
                underwater = false;
                peak = e;
                peakTime = t;
            } else {
                underwater = true;
            }
        }
        if (underwater) longest = Math.max(longest, curve.timestamp()[n - 1] - peakTime);
        return longest;
    }

    /**
     * Round trips: a trip opens with a fill from a flat position (a buy: long; a sell: short) and closes
     * when the position is flat again; a flip closes one trip and opens the next in one fill, its amount and
     * fee shared by amount. Its PnL is every sell's value less fees minus every buy's value plus fees,
     * within the trip (a liquidation counts at its price and fee). A trip still open at the end is not
     * counted.
     */
    static final class RoundTrips {
        int count;
        double grossProfit;
        double grossLoss;
        double netPnl;
        long holdingMs;
        long longestMs;
        int maxConsecutiveLosses;
        private int losses;

        static RoundTrips of(java.util.List<Fill> fills) {
            RoundTrips t = new RoundTrips();
            BigDecimal position = BigDecimal.ZERO;
            BigDecimal cash = BigDecimal.ZERO;
            long openedAt = 0;
            for (Fill f : fills) {
                int sign = f.side() == Side.BUY ? 1 : -1;
                BigDecimal amount = f.amount();
                if (position.signum() == 0) {
                    openedAt = f.timestamp();
                    cash = BigDecimal.ZERO;
                }
                BigDecimal closing = position.signum() != 0 && position.signum() != sign ? amount.min(position.abs()) : BigDecimal.ZERO;
                if (closing.signum() > 0 && closing.compareTo(position.abs()) == 0) {
                    // this fill ends the trip (and may open the next with the rest)
                    BigDecimal share = closing.divide(amount, java.math.MathContext.DECIMAL128);
                    cash = cash.add(flow(f, closing, f.fee().multiply(share), sign));
                    t.close(cash.doubleValue(), f.timestamp() - openedAt);
                    BigDecimal rest = amount.subtract(closing);
                    cash = rest.signum() > 0 ? flow(f, rest, f.fee().subtract(f.fee().multiply(share)), sign) : BigDecimal.ZERO;
                    openedAt = f.timestamp();
                } else {
                    cash = cash.add(flow(f, amount, f.fee(), sign));
                }
                position = position.add(sign > 0 ? amount : amount.negate());
            }
            return t;
        }

        /** A fill's cash flow: − value − fee for a buy, + value − fee for a sell. */
        private static BigDecimal flow(Fill f, BigDecimal amount, BigDecimal fee, int sign) {
            BigDecimal value = f.price().multiply(amount);
            return (sign > 0 ? value.negate() : value).subtract(fee);
        }

        private void close(double pnl, long held) {
            count++;
            netPnl += pnl;
            if (pnl > 0) grossProfit += pnl;
            else grossLoss -= pnl;
            holdingMs += held;
            longestMs = Math.max(longestMs, held);
            losses = pnl < 0 ? losses + 1 : 0;
            maxConsecutiveLosses = Math.max(maxConsecutiveLosses, losses);
        }
    }
}
