package dev.candlebox.sandbox.reference.strategies;

import dev.candlebox.sandbox.reference.KlineWindow;
import dev.candlebox.sandbox.reference.ReferenceAccount;
import dev.candlebox.sandbox.reference.ReferenceFill;
import dev.candlebox.sandbox.reference.ReferenceKline;
import dev.candlebox.sandbox.reference.ReferenceStrategy;
import dev.candlebox.sandbox.reference.StrategyParams;

/** strategies/dca_take_profit.py */
public final class DcaTakeProfit implements ReferenceStrategy {

    private long klinesSeen;
    private int buysSinceSell;

    @Override
    public void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params) {
        int everyN = params.integer("every_n_klines", 24);
        double quotePerBuy = params.number("quote_per_buy", 500);
        int maxBuys = params.integer("max_buys", 10);
        double takeProfit = params.number("take_profit", 0.05);
        double sellFraction = params.number("sell_fraction", 0.5);
        double minSellValue = params.number("min_sell_value", 100);

        klinesSeen++;
        if (!context.flat()) {
            double avgPrice = context.avgPositionPrice();
            if (kline.close() > avgPrice * (1 + takeProfit)) {
                double amount = context.position().doubleValue() * sellFraction;
                if (amount * kline.close() < minSellValue) {
                    context.sellAll(kline.close());
                } else {
                    context.sell(kline.close(), amount);
                }
                return;
            }
        }
        if (klinesSeen % everyN == 0 && buysSinceSell < maxBuys) {
            context.buy(kline.close(), quotePerBuy / kline.close());
        }
    }

    @Override
    public void onTrade(ReferenceFill trade) {
        if (trade.side() == ReferenceFill.Side.BUY) {
            buysSinceSell++;
        } else {
            buysSinceSell = 0;
        }
    }
}
