package dev.candlebox.sandbox.reference;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The contract's backtest loop, plainly: per kline, extend the cache window, call {@code run}, value
 * the account at the close; {@code on_trade} after each fill, {@code on_day_end} after the last
 * kline of each UTC day and after the last kline. Then the §4 metrics from the fills and equity.
 */
public final class ReferenceBacktest {

    private ReferenceBacktest() {
    }

    public static ReferenceResult run(ReferenceKlines klines, ReferenceStrategy strategy, Map<String, Object> params,
                                      BigDecimal initialBalance, BigDecimal feeRate) {
        StrategyParams p = new StrategyParams(params);
        int windowSize = p.integer("klineWndSize", 50);
        ReferenceAccount account = new ReferenceAccount(initialBalance, feeRate);
        account.onFill(strategy::onTrade);

        List<ReferenceResult.EquityPoint> equity = new ArrayList<>(klines.size());
        BigDecimal peak = initialBalance;
        BigDecimal maxDrawdown = BigDecimal.ZERO;
        for (int i = 0; i < klines.size(); i++) {
            ReferenceKline kline = klines.kline(i);
            account.at(kline);
            strategy.run(account, kline, new KlineWindow(klines, Math.max(0, i + 1 - windowSize), i + 1), p);

            BigDecimal e = account.equity(kline.close());
            equity.add(new ReferenceResult.EquityPoint(kline.openTime(), e, account.balance(), account.position()));
            if (e.compareTo(peak) > 0) {
                peak = e;
            }
            BigDecimal drawdown = peak.subtract(e).divide(peak, ReferenceAccount.RATIO);
            if (drawdown.compareTo(maxDrawdown) > 0) {
                maxDrawdown = drawdown;
            }

            boolean lastOfDay = i == klines.size() - 1 || klines.kline(i + 1).utcDay() != kline.utcDay();
            if (lastOfDay) {
                strategy.onDayEnd(LocalDate.ofEpochDay(kline.utcDay()).toString(), account);
            }
        }

        List<ReferenceFill> fills = account.fills();
        BigDecimal finalBalance = equity.isEmpty() ? initialBalance : equity.getLast().equity();
        BigDecimal profit = finalBalance.subtract(initialBalance);
        long sells = fills.stream().filter(f -> f.side() == ReferenceFill.Side.SELL).count();
        long wins = fills.stream().filter(f -> f.side() == ReferenceFill.Side.SELL && f.realised().signum() > 0).count();
        BigDecimal winRate = sells == 0 ? BigDecimal.ZERO
                : BigDecimal.valueOf(wins).divide(BigDecimal.valueOf(sells), ReferenceAccount.RATIO);
        return new ReferenceResult(initialBalance, finalBalance, profit,
                profit.divide(initialBalance, ReferenceAccount.RATIO), maxDrawdown, fills.size(), winRate,
                account.position(), account.balance(), BigDecimal.ZERO, account.fees(), fills, equity);
    }
}
