package dev.candlebox.sandbox.reference;

/** A strategy of {@code strategies/} re-written in Java: the same decisions on the same floats. */
public interface ReferenceStrategy {

    void run(ReferenceAccount context, ReferenceKline kline, KlineWindow cache, StrategyParams params);

    /** {@code on_trade(trade)}: after each fill. */
    default void onTrade(ReferenceFill trade) {
    }

    /** {@code on_day_end(date, context)}: after the last kline of each UTC day, and after the last kline. */
    default void onDayEnd(String date, ReferenceAccount context) {
    }
}
