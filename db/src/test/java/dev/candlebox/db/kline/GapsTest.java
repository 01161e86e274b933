package dev.candlebox.db.kline;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GapsTest {
    static final long H = 3_600_000L;

    static long utc(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void countsEveryStretchListsTheFirstAndSkipsRepeats() {
        // hours 0,1 | 4 (2 missing) | 4 again | 5 | 9 (3 missing) | 10 | 12 (1 missing)
        long[] t = {0, H, 4 * H, 4 * H, 5 * H, 9 * H, 10 * H, 12 * H, -1};
        Gaps g = Gaps.find(t, 8, Interval.H1, 2);
        assertEquals(3, g.count());
        assertEquals(6, g.missingKlines());
        assertEquals(List.of(new Gaps.Gap(H, 4 * H, 2), new Gaps.Gap(5 * H, 9 * H, 3)), g.listed());
    }

    @Test
    void monthsAreCountedByTheCalendar() {
        long[] t = {utc("2024-01-01T00:00:00Z"), utc("2024-02-01T00:00:00Z"), utc("2024-05-01T00:00:00Z")};
        Gaps g = Gaps.find(t, 3, Interval.MONTH1, 10);
        assertEquals(1, g.count());
        assertEquals(2, g.missingKlines(), "March and April");
    }

    @Test
    void noKlinesOrOneKlineHasNoGaps() {
        assertEquals(new Gaps(0, 0, List.of()), Gaps.find(new long[0], 0, Interval.H1, 10));
        assertEquals(new Gaps(0, 0, List.of()), Gaps.find(new long[]{5 * H}, 1, Interval.H1, 10));
    }
}
