package dev.candlebox.sandbox.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.candlebox.sandbox.Klines;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The test data loader reads the real files; figures from the files themselves and testdata/README.md. */
class BinanceCsvTest {

    @Test
    void readsTheMainHourlySeriesWithAllTwelveColumns() {
        ReferenceKlines k = BinanceCsv.read(Klines.testData().resolve("derived/BTCUSDT-1h-spot-20190101-20240716.csv.gz"));
        assertEquals(48_478, k.size());
        // first row: 1546300800000,3701.23000000,3713.00000000,3689.88000000,3700.31000000,686.36742000,
        //            1546304399999,2539069.22918493,5534,370.85531400,1371962.40437473,0
        assertEquals(1_546_300_800_000L, k.openTime()[0]); // 2019-01-01T00:00Z
        assertEquals(3701.23, k.open()[0]);
        assertEquals(3713.0, k.high()[0]);
        assertEquals(3689.88, k.low()[0]);
        assertEquals(3700.31, k.close()[0]);
        assertEquals(686.36742, k.volume()[0]);
        assertEquals(1_546_304_399_999L, k.closeTime()[0]);
        assertEquals(2539069.22918493, k.quoteVolume()[0]);
        assertEquals(5534, k.tradesCount()[0]);
        assertEquals(370.855314, k.takerBuyBaseVolume()[0]);
        assertEquals(1371962.40437473, k.takerBuyQuoteVolume()[0]);
        assertEquals(1_721_116_800_000L, k.openTime()[k.size() - 1]); // 2024-07-16T08:00Z
    }

    @Test
    void readsTheMinuteFileSkippingItsHeader() {
        ReferenceKlines k = BinanceCsv.readOhlcv(Klines.testData().resolve("derived/BTCUSDT-1m-spot-202503.csv.gz"),
                Duration.ofMinutes(1));
        assertEquals(44_640, k.size());
        // first row after the header: 1740798000000,85240.45,85278.16,85225.95,85237.0,10.64798
        assertEquals(1_740_798_000_000L, k.openTime()[0]);
        assertEquals(85240.45, k.open()[0]);
        assertEquals(85278.16, k.high()[0]);
        assertEquals(85225.95, k.low()[0]);
        assertEquals(85237.0, k.close()[0]);
        assertEquals(10.64798, k.volume()[0]);
        assertEquals(1_740_798_059_999L, k.closeTime()[0]);
    }
}
