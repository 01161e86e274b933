package dev.candlebox.db.derivatives;

import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import dev.candlebox.db.funding.FundingRate;
import dev.candlebox.db.funding.FundingStore;
import dev.candlebox.db.kline.Interval;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The derivatives tables on both databases the product runs on. */
class DerivativeStoreTest {
    static final long T0 = 1718830800000L; // 2024-06-19 21:00 UTC
    static final long H = 3_600_000L;

    static BigDecimal d(String s) {
        return s == null ? null : new BigDecimal(s);
    }

    static OpenInterest oi(long t, String oi, String value) {
        return new OpenInterest(t, d(oi), d(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void storesExactlyKeepsWhatIsStoredAndOnlyFillsWhatIsMissing(String kind) {
        String url = kind.equals("h2") ? TestDatabases.freshH2() : TestDatabases.freshPostgres();
        try (Database db = Database.open(url, 2)) {
            DerivativeStore<OpenInterest> store = DerivativeStore.openInterest(db);
            assertEquals(OptionalLong.empty(), store.lastTime("BTCUSDT", Interval.H1));

            DerivativeStore.UpsertResult first = store.upsert("btcusdt", Interval.H1, List.of(oi(T0, "75286.99200", null),
                    oi(T0 + H, "75464.702", null), oi(T0 + 2 * H, "75439.532", "4901234567.123456789012"),
                    oi(T0 + H, "1", null))); // a repeated time: the first wins
            assertEquals(new DerivativeStore.UpsertResult(3, 0, 0, List.of()), first);
            assertEquals(List.of(oi(T0 + H, "75464.702", null), oi(T0 + 2 * H, "75439.532", "4901234567.123456789012")),
                    store.between("BTCUSDT", Interval.H1, T0 + H, T0 + 2 * H));
            assertEquals(List.of(), store.between("BTCUSDT", Interval.H4, T0, T0 + 2 * H)); // another interval, another series

            // again with values added and one changed: the value is filled in, the change reported and not written
            DerivativeStore.UpsertResult again = store.upsert("BTCUSDT", Interval.H1, List.of(oi(T0, "75286.992", "4890000000"),
                    oi(T0 + H, "75464.703", null)));
            assertEquals(new DerivativeStore.UpsertResult(0, 2, 1, List.of(new DerivativeStore.Conflict(T0 + H, "open_interest",
                    d("75464.702"), d("75464.703")))), again);
            assertEquals(oi(T0, "75286.992", "4890000000"), store.between("BTCUSDT", Interval.H1, T0, T0).getFirst());
            assertEquals(3, store.count("BTCUSDT", Interval.H1));
            assertEquals(OptionalLong.of(T0), store.firstTime("BTCUSDT", Interval.H1));

            assertThrows(IllegalArgumentException.class, () -> store.upsert("BTCUSDT", Interval.H1,
                    List.of(oi(T0 + 3 * H, "1.0000000000001", null))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void aPageJoinsTheKindsByTimeWithTheFundingRateInForce(String kind) {
        String url = kind.equals("h2") ? TestDatabases.freshH2() : TestDatabases.freshPostgres();
        try (Database db = Database.open(url, 2)) {
            Derivatives derivatives = new Derivatives(db);
            derivatives.openInterest().upsert("BTCUSDT", Interval.H1, List.of(oi(T0, "1", null), oi(T0 + 2 * H, "3", null)));
            derivatives.longShortRatios().upsert("BTCUSDT", Interval.H1, List.of(new LongShortRatio(T0 + H, d("2.5"), null, null)));
            derivatives.liquidations().upsert("BTCUSDT", Interval.H1, List.of(new Liquidations(T0 + 3 * H, d("10"), d("0"), null, null)));
            FundingStore funding = new FundingStore(db);
            FundingRate before = new FundingRate(T0 - 5 * H, d("0.0001"), 8, null);
            FundingRate at = new FundingRate(T0 + 3 * H, d("-0.00002"), 8, null);
            funding.upsert("BTCUSDT", List.of(before, at));

            List<Derivatives.Row> page = derivatives.page("BTCUSDT", Interval.H1, T0, Long.MAX_VALUE, 2);
            assertEquals(List.of(new Derivatives.Row(T0 + H, null, new LongShortRatio(T0 + H, d("2.5"), null, null), null, before),
                    new Derivatives.Row(T0 + 2 * H, oi(T0 + 2 * H, "3", null), null, null, before)), page);
            List<Derivatives.Row> next = derivatives.page("BTCUSDT", Interval.H1, T0 + 2 * H, Long.MAX_VALUE, 2);
            assertEquals(List.of(new Derivatives.Row(T0 + 3 * H, null, null, new Liquidations(T0 + 3 * H, d("10"), d("0"), null, null), at)), next);
            assertEquals(List.of("BTCUSDT"), derivatives.symbols());
            assertEquals(List.of(Interval.H1), derivatives.intervals("BTCUSDT"));
        }
    }
}
