package dev.candlebox.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitConfigTest {

    @Test
    void withNothingSetTheDefaultsAre30PerSecondAnd1000PerMinuteOnWithoutTrustedProxies() {
        RateLimitConfig c = RateLimitConfig.fromEnv(Map.of());
        assertTrue(c.enabled());
        assertEquals(30, c.perSecond());
        assertEquals(1000, c.perMinute());
        assertEquals(List.of(), c.trustedProxies());
        assertEquals("candlebox:rl:", c.keyPrefix());
        assertEquals(Duration.ofMillis(500), c.redisTimeout());
        assertEquals(Duration.ofSeconds(5), c.redisRetryInterval());
        assertEquals(32, c.redisPoolSize());
        assertEquals(c, RateLimitConfig.defaults());
    }

    @Test
    void everyVariableIsRead() {
        RateLimitConfig c = RateLimitConfig.fromEnv(Map.of(
                "RATE_LIMIT_ENABLED", "false",
                "RATE_LIMIT_PER_SECOND", "5",
                "RATE_LIMIT_PER_MINUTE", " 120 ",
                "TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.10 ,,fd00::/8",
                "RATE_LIMIT_KEY_PREFIX", "staging:rl:",
                "RATE_LIMIT_REDIS_TIMEOUT_MS", "250",
                "RATE_LIMIT_REDIS_RETRY_SECONDS", "2",
                "RATE_LIMIT_REDIS_POOL_SIZE", "4"));
        assertFalse(c.enabled());
        assertEquals(5, c.perSecond());
        assertEquals(120, c.perMinute());
        assertEquals(List.of("10.0.0.0/8", "192.168.1.10", "fd00::/8"), c.trustedProxies());
        assertEquals("staging:rl:", c.keyPrefix());
        assertEquals(Duration.ofMillis(250), c.redisTimeout());
        assertEquals(Duration.ofSeconds(2), c.redisRetryInterval());
        assertEquals(4, c.redisPoolSize());
    }

    @Test
    void blankValuesMeanTheDefault() {
        RateLimitConfig c = RateLimitConfig.fromEnv(Map.of("RATE_LIMIT_PER_SECOND", "  ", "TRUSTED_PROXIES", ""));
        assertEquals(30, c.perSecond());
        assertEquals(List.of(), c.trustedProxies());
    }

    @Test
    void booleanSpellings() {
        for (String on : List.of("true", "TRUE", "1", "yes", "on")) {
            assertTrue(RateLimitConfig.fromEnv(Map.of("RATE_LIMIT_ENABLED", on)).enabled(), on);
        }
        for (String off : List.of("false", "False", "0", "no", "off")) {
            assertFalse(RateLimitConfig.fromEnv(Map.of("RATE_LIMIT_ENABLED", off)).enabled(), off);
        }
    }

    @Test
    void badValuesFailWithAMessageNamingTheVariable() {
        assertMessage("RATE_LIMIT_ENABLED: 'maybe' is not a boolean (use true or false)",
                Map.of("RATE_LIMIT_ENABLED", "maybe"));
        assertMessage("RATE_LIMIT_PER_SECOND: 'thirty' is not a whole number (allowed: 1..1000000000)",
                Map.of("RATE_LIMIT_PER_SECOND", "thirty"));
        assertMessage("RATE_LIMIT_PER_SECOND: 0 is out of range (allowed: 1..1000000000)",
                Map.of("RATE_LIMIT_PER_SECOND", "0"));
        assertMessage("RATE_LIMIT_PER_MINUTE: -5 is out of range (allowed: 1..1000000000)",
                Map.of("RATE_LIMIT_PER_MINUTE", "-5"));
        assertMessage("RATE_LIMIT_PER_MINUTE: '1.5' is not a whole number (allowed: 1..1000000000)",
                Map.of("RATE_LIMIT_PER_MINUTE", "1.5"));
        assertMessage("RATE_LIMIT_PER_MINUTE: 99999999999 is out of range (allowed: 1..1000000000)",
                Map.of("RATE_LIMIT_PER_MINUTE", "99999999999"));
        assertMessage("TRUSTED_PROXIES: 'proxy.local' is not an IP address or CIDR (examples: 10.0.0.5, 10.0.0.0/8, fd00::/8)",
                Map.of("TRUSTED_PROXIES", "10.0.0.1, proxy.local"));
        assertMessage("TRUSTED_PROXIES: '10.0.0.0/33' has a bad prefix length (allowed: 0..32)",
                Map.of("TRUSTED_PROXIES", "10.0.0.0/33"));
        assertMessage("TRUSTED_PROXIES: 'fd00::/129' has a bad prefix length (allowed: 0..128)",
                Map.of("TRUSTED_PROXIES", "fd00::/129"));
        assertMessage("TRUSTED_PROXIES: '10.0.0.0/x' has a bad prefix length (allowed: 0..32)",
                Map.of("TRUSTED_PROXIES", "10.0.0.0/x"));
        assertMessage("RATE_LIMIT_KEY_PREFIX: 'a b' must not contain whitespace",
                Map.of("RATE_LIMIT_KEY_PREFIX", "a b"));
        assertMessage("RATE_LIMIT_REDIS_TIMEOUT_MS: 0 is out of range (allowed: 1..600000)",
                Map.of("RATE_LIMIT_REDIS_TIMEOUT_MS", "0"));
        assertMessage("RATE_LIMIT_REDIS_RETRY_SECONDS: 'soon' is not a whole number (allowed: 1..3600)",
                Map.of("RATE_LIMIT_REDIS_RETRY_SECONDS", "soon"));
        assertMessage("RATE_LIMIT_REDIS_POOL_SIZE: 0 is out of range (allowed: 1..10000)",
                Map.of("RATE_LIMIT_REDIS_POOL_SIZE", "0"));
    }

    @Test
    void theRecordRefusesWhatFromEnvRefuses() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimitConfig(true, 0, 10, List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RateLimitConfig(true, 1, 10, List.of("not-an-ip")));
        assertEquals("'not-an-ip' is not an IP address or CIDR (examples: 10.0.0.5, 10.0.0.0/8, fd00::/8)", e.getMessage());
    }

    @Test
    void aBadRedisUrlIsRefusedWithoutEchoingThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RateLimiter.create(RateLimitConfig.defaults(), java.util.Optional.of("http://user:secret@host:6379")));
        assertEquals("REDIS_URL: 'http://***@host:6379' is not a Redis URL (expected redis://host:port or rediss://host:port)",
                e.getMessage());
    }

    @Test
    void theDefaultPolicyIsBothWindows() {
        Policy p = RateLimitConfig.defaults().defaultPolicy("kline");
        assertEquals("kline", p.name());
        assertEquals(List.of(new Policy.Window(Duration.ofSeconds(1), 30), new Policy.Window(Duration.ofMinutes(1), 1000)),
                p.windows());
        assertEquals("30 per second and 1000 per minute", p.describe());
    }

    @Test
    void policyNamesAreSafeForRedisKeys() {
        assertThrows(IllegalArgumentException.class, () -> RateLimitConfig.defaults().defaultPolicy("Kline"));
        assertThrows(IllegalArgumentException.class, () -> RateLimitConfig.defaults().defaultPolicy("a:b"));
        assertThrows(IllegalArgumentException.class, () -> RateLimitConfig.defaults().defaultPolicy(""));
        assertEquals("backtest-submit", RateLimitConfig.defaults().defaultPolicy("backtest-submit").name());
    }

    private static void assertMessage(String expected, Map<String, String> env) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RateLimitConfig.fromEnv(env));
        assertEquals(expected, e.getMessage());
    }
}
