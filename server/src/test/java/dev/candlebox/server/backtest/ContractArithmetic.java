package dev.candlebox.server.backtest;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second, plain implementation of the contract's arithmetic (§3–4), used to check a run's reported
 * numbers from its trades and the raw klines: fees, balances, equity per kline, drawdown, win rate.
 */
final class ContractArithmetic {
    final double finalEquity;
    final double maxDrawdown;
    final double winRate;
    final double[] equity;

    private ContractArithmetic(double finalEquity, double maxDrawdown, double winRate, double[] equity) {
        this.finalEquity = finalEquity;
        this.maxDrawdown = maxDrawdown;
        this.winRate = winRate;
        this.equity = equity;
    }

    /**
     * Replays {@code trades} over the klines {@code lines} (raw file fields: open time, o, h, l, c, ...),
     * asserting each fill's fee, balance and price range on the way.
     */
    static ContractArithmetic replay(JsonNode trades, List<String[]> lines, BigDecimal initial, BigDecimal feeRate) {
        Map<Long, Integer> klineAt = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) klineAt.put(Long.parseLong(lines.get(i)[0]), i);
        BigDecimal balance = initial, position = BigDecimal.ZERO, costBasis = BigDecimal.ZERO;
        int sells = 0, wins = 0;
        Map<Integer, BigDecimal[]> afterKline = new HashMap<>();
        for (JsonNode t : trades) {
            long ts = java.time.OffsetDateTime.parse(t.get("timestamp").asText()).toInstant().toEpochMilli();
            Integer k = klineAt.get(ts);
            assertTrue(k != null, "a fill at a kline's open time: " + t);
            BigDecimal price = new BigDecimal(t.get("price").asText());
            BigDecimal amount = new BigDecimal(t.get("amount").asText());
            double low = Double.parseDouble(lines.get(k)[3]), high = Double.parseDouble(lines.get(k)[2]);
            assertTrue(price.doubleValue() >= low && price.doubleValue() <= high, "price within the kline's range: " + t);
            BigDecimal value = price.multiply(amount);
            BigDecimal fee = value.multiply(feeRate);
            assertEquals(0, fee.compareTo(new BigDecimal(t.get("fee").asText())), "fee = price × amount × feeRate: " + t);
            if (t.get("type").asText().equals("buy")) {
                balance = balance.subtract(value).subtract(fee);
                position = position.add(amount);
                costBasis = costBasis.add(value).add(fee);
            } else {
                BigDecimal share = amount.compareTo(position) == 0 ? costBasis
                        : costBasis.multiply(amount.divide(position, MathContext.DECIMAL128), MathContext.DECIMAL128);
                sells++;
                if (value.subtract(fee).subtract(share).signum() > 0) wins++;
                balance = balance.add(value).subtract(fee);
                position = position.subtract(amount);
                costBasis = position.signum() == 0 ? BigDecimal.ZERO : costBasis.subtract(share);
            }
            assertTrue(balance.signum() >= 0 && position.signum() >= 0, "never negative: " + t);
            assertEquals(0, balance.compareTo(new BigDecimal(t.get("balance").asText())), "balance after the fill: " + t);
            afterKline.put(k, new BigDecimal[]{balance, position});
        }
        double[] equity = new double[lines.size()];
        double peak = initial.doubleValue(), maxDd = 0;
        BigDecimal b = initial, p = BigDecimal.ZERO;
        for (int i = 0; i < lines.size(); i++) {
            BigDecimal[] s = afterKline.get(i);
            if (s != null) {
                b = s[0];
                p = s[1];
            }
            equity[i] = b.add(p.multiply(new BigDecimal(lines.get(i)[4]))).doubleValue();
            peak = Math.max(peak, equity[i]);
            maxDd = Math.max(maxDd, (peak - equity[i]) / peak);
        }
        return new ContractArithmetic(equity[equity.length - 1], maxDd, sells == 0 ? 0 : wins / (double) sells, equity);
    }
}
