package dev.candlebox.db.funding;

import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The funding_rates table on both databases the product runs on. */
class FundingStoreTest {
    static final long T0 = 1735689600000L; // 2025-01-01 00:00 UTC
    static final long H8 = 8 * 3_600_000L;

    static FundingRate rate(long t, String rate, String mark) {
        return new FundingRate(t, new BigDecimal(rate), 8, mark == null ? null : new BigDecimal(mark));
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "h2"})
    void storesExactlyReadsInclusiveRangesAndKeepsWhatIsStored(String kind) {
        String url = kind.equals("h2") ? TestDatabases.freshH2() : TestDatabases.freshPostgres();
        try (Database db = Database.open(url, 2)) {
            FundingStore store = new FundingStore(db);
            assertEquals(OptionalLong.empty(), store.lastTime("BTCUSDT"));
            assertEquals(0, store.count("BTCUSDT"));

            FundingStore.UpsertResult first = store.upsert("btcusdt", List.of(rate(T0, "0.00010000", null),
                    rate(T0 + H8, "-0.000012345678", null), rate(T0 + 2 * H8, "0.0003", "93500.12345678"),
                    rate(T0 + H8, "0.5", null))); // a repeated time: the first wins
            assertEquals(new FundingStore.UpsertResult(3, 0, 0, List.of()), first);

            assertEquals(List.of(rate(T0 + H8, "-0.000012345678", null), rate(T0 + 2 * H8, "0.0003", "93500.12345678")),
                    store.between("BTCUSDT", T0 + H8, T0 + 2 * H8));
            assertEquals(List.of(rate(T0, "0.0001", null)), store.between("BTCUSDT", T0, T0));
            assertEquals(List.of(), store.between("ETHUSDT", T0, T0 + 2 * H8));

            FundingStore.UpsertResult again = store.upsert("BTCUSDT", List.of(rate(T0, "0.0002", "94000"),
                    rate(T0 + 3 * H8, "0.0001", null)));
            assertEquals(1, again.inserted());
            assertEquals(1, again.alreadyStored());
            assertEquals(1, again.markPricesAdded());
            assertEquals(List.of(new FundingStore.RateConflict(T0, new BigDecimal("0.0001"), new BigDecimal("0.0002"))),
                    again.conflicts());
            assertEquals(rate(T0, "0.0001", "94000"), store.between("BTCUSDT", T0, T0).getFirst());

            assertEquals(4, store.count("BTCUSDT"));
            assertEquals(T0, store.firstTime("BTCUSDT").orElseThrow());
            assertEquals(T0 + 3 * H8, store.lastTime("BTCUSDT").orElseThrow());
            assertEquals(List.of("BTCUSDT"), store.symbols());

            IllegalArgumentException tooFine = assertThrows(IllegalArgumentException.class,
                    () -> store.upsert("BTCUSDT", List.of(rate(T0 + 4 * H8, "0.0000000000001", null))));
            assertTrue(tooFine.getMessage().contains("more than 12 decimals"), tooFine.getMessage());
        } finally {
            if (kind.equals("postgresql")) TestDatabases.dropPostgresSchema(url);
        }
    }
}
