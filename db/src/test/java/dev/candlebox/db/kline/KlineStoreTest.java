package dev.candlebox.db.kline;

import dev.candlebox.db.Database;
import dev.candlebox.db.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KlineStoreTest {
    static final Series BTC_1H = new Series("BTCUSDT", Interval.H1);
    static final Series BTC_MONTH = new Series("BTCUSDT", Interval.MONTH1);

    static KlineColumns rows(long firstHour, int n) {
        KlineColumns k = new KlineColumns(n);
        for (int i = 0; i < n; i++) {
            long t = (firstHour + i) * 3_600_000L;
            k.add(t, 100 + i, 101.5 + i, 99.25 + i, 100.125 + i, (1_234_567_891L + i * 100_000_000L) / 1e8, t + 3_599_999, i % 2 == 0 ? Double.NaN : 1234.5,
                    i % 3 == 0 ? KlineColumns.MISSING_COUNT : 42 + i, 1.5, Double.NaN);
        }
        return k;
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void storingTheSameRowsTwiceChangesNothingAndReadsGiveThemBack(String kind) {
        String url = kind.equals("postgres") ? TestDatabases.freshPostgres() : TestDatabases.freshH2();
        try (Database db = Database.open(url, 2)) {
            KlineStore store = new KlineStore(db);
            assertEquals(OptionalLong.empty(), store.lastOpenTime(BTC_1H));
            KlineColumns first = rows(1000, 2500);
            assertEquals(new KlineStore.UpsertResult(2500, 0), store.upsert(BTC_1H, first));
            assertEquals(new KlineStore.UpsertResult(0, 2500), store.upsert(BTC_1H, first));
            // overlapping rows with other values: the stored ones stay, the new tail is added
            KlineColumns overlap = rows(3000, 1000);
            assertEquals(new KlineStore.UpsertResult(500, 500), store.upsert(BTC_1H, overlap));
            assertEquals(3000, store.count(BTC_1H));
            assertEquals(OptionalLong.of(3999 * 3_600_000L), store.lastOpenTime(BTC_1H));

            KlineColumns all = store.range(BTC_1H, 0, Long.MAX_VALUE);
            assertEquals(3000, all.size());
            assertArrayEquals(first.openTimes(), java.util.Arrays.copyOf(all.openTimes(), 2500));
            assertArrayEquals(first.closes(), java.util.Arrays.copyOf(all.closes(), 2500));
            assertArrayEquals(first.volumes(), java.util.Arrays.copyOf(all.volumes(), 2500));
            // NUMERIC(20,8) keeps 8 places: a value with more is rounded
            Series eth = new Series("ETHUSDT", Interval.H1);
            KlineColumns nine = new KlineColumns(1);
            nine.add(0, 1.123456789, 2, 1, 1.5, 3, 3_599_999, Double.NaN, KlineColumns.MISSING_COUNT, Double.NaN, Double.NaN);
            store.upsert(eth, nine);
            assertEquals(1.12345679, store.range(eth, 0, 0).open(0));
            assertArrayEquals(first.quoteVolumes(), java.util.Arrays.copyOf(all.quoteVolumes(), 2500), "NaN stays missing");
            assertArrayEquals(first.tradesCounts(), java.util.Arrays.copyOf(all.tradesCounts(), 2500));
            assertTrue(Double.isNaN(all.takerBuyQuoteVolume(0)));

            KlineColumns page = store.page(BTC_1H, 1000 * 3_600_000L, 1003 * 3_600_000L, 1000);
            assertArrayEquals(new long[]{1001 * 3_600_000L, 1002 * 3_600_000L, 1003 * 3_600_000L}, page.openTimes());
            assertEquals(1000 * 3_600_000L, store.previous(BTC_1H, 1000 * 3_600_000L + 1).orElseThrow().openTime(0));
            assertTrue(store.previous(BTC_1H, 1000 * 3_600_000L).isEmpty());
            assertEquals(1001 * 3_600_000L, store.next(BTC_1H, 1000 * 3_600_000L).orElseThrow().openTime(0));

            List<Integer> chunks = new ArrayList<>();
            store.scan(BTC_1H, 1000 * 3_600_000L, 3999 * 3_600_000L, 1000, c -> chunks.add(c.size()));
            assertEquals(List.of(1000, 1000, 1000), chunks);

            store.upsert(BTC_MONTH, rows(0, 1));
            assertEquals("t_kline_btcusdt_1mo", BTC_MONTH.tableName());
            assertEquals(List.of(BTC_1H, BTC_MONTH, eth), store.seriesWithData().stream().sorted(
                    java.util.Comparator.comparing(Series::tableName)).toList());
            assertEquals(List.of("BTCUSDT", "ETHUSDT"), store.symbols());
        } finally {
            if (kind.equals("postgres")) TestDatabases.dropPostgresSchema(url);
        }
    }
}
