package dev.candlebox.db.derivatives;

import java.math.BigDecimal;
import java.util.List;

/**
 * One row of a derivatives table (contract section 7): the open time of the period it belongs to and its values,
 * exact, in the order of the table's value columns (null where the source does not give one).
 */
public sealed interface Derivative permits OpenInterest, LongShortRatio, Liquidations {
    long timeMs();

    List<BigDecimal> values();
}
