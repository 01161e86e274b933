package dev.candlebox.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The counting rule on a hand-driven clock; every expected value is worked out in the comments. */
class FixedWindowsTest {

    private long now;
    private final LocalWindowStore store = new LocalWindowStore(() -> now);

    private static Policy policy(int perSecond, int perMinute) {
        return new Policy("test", List.of(
                new Policy.Window(Duration.ofMinutes(1), perMinute),
                new Policy.Window(Duration.ofSeconds(1), perSecond)));
    }

    private Decision at(long millis, Policy p) {
        now = millis;
        return store.hit(p, "client");
    }

    @Test
    void bothWindowsMustHoldAndTheBindingOneIsReported() {
        Policy p = policy(3, 5); // given longest first: the policy sorts them
        assertEquals(List.of(1000L, 60_000L), p.windows().stream().map(w -> w.length().toMillis()).toList());
        // second window: 3 left -> 2, minute: 5 -> 4; the fewest left is the second's 2
        assertEquals(new Decision(true, 3, 2, 0), at(0, p));
        assertEquals(new Decision(true, 3, 1, 0), at(100, p));
        assertEquals(new Decision(true, 3, 0, 0), at(200, p));
        // second window full until 0 + 1000: 700 ms -> 1 s
        assertEquals(new Decision(false, 3, 0, 1), at(300, p));
        // the refused request was not counted: the minute still has 2 left. The second window
        // reopens at 1000: second 2 left, minute 1 left -> minute binds
        assertEquals(new Decision(true, 5, 1, 0), at(1000, p));
        assertEquals(new Decision(true, 5, 0, 0), at(1100, p));
        // minute full until 0 + 60000: 58800 ms -> 59 s
        assertEquals(new Decision(false, 5, 0, 59), at(1200, p));
        // the second window (opened at 1000, 2 of 3 used) has room, the minute does not:
        // 60000 - 1999 = 58001 ms -> rounded up to 59 s
        assertEquals(new Decision(false, 5, 0, 59), at(1999, p));
        // 59999: minute still open, 1 ms left -> rounded up to 1 s
        assertEquals(new Decision(false, 5, 0, 1), at(59_999, p));
        // both reopen at 60000
        assertEquals(new Decision(true, 3, 2, 0), at(60_000, p));
    }

    @Test
    void whenBothWindowsRefuseRetryAfterWaitsForTheOneThatReopensLast() {
        Policy p = policy(2, 2);
        at(0, p);
        at(10, p);
        // second window reopens at 1000 (990 ms), minute at 60000 (59990 ms -> 60 s)
        assertEquals(new Decision(false, 2, 0, 60), at(10, p));
    }

    @Test
    void onATieTheShorterWindowIsReported() {
        Policy p = policy(2, 3);
        assertEquals(new Decision(true, 2, 1, 0), at(0, p)); // second 1 left, minute 2 left
        // at 1000: second reopened, 1 left; minute 1 left: tie -> the second's limit
        assertEquals(new Decision(true, 2, 1, 0), at(1000, p));
    }

    @Test
    void aWindowOpensAtTheFirstRequestNotOnTheClock() {
        Policy p = policy(2, 100);
        at(700, p);
        at(1200, p); // same window as 700: it runs 700..1700
        assertEquals(new Decision(false, 2, 0, 1), at(1699, p)); // 1 ms -> 1 s
        assertEquals(new Decision(true, 2, 1, 0), at(1700, p));
    }

    @Test
    void clientsHaveSeparateBudgetsAndCountersAreForgottenAfterTheLongestWindow() {
        Policy p = policy(1, 1);
        now = 0;
        assertEquals(true, store.hit(p, "a").allowed());
        assertEquals(true, store.hit(p, "b").allowed());
        assertEquals(false, store.hit(p, "a").allowed());
        assertEquals(2, store.size());
        now = 61_000;
        assertEquals(true, store.hit(p, "c").allowed()); // the sweep runs first: a and b expired at 60000
        assertEquals(1, store.size());
    }
}
