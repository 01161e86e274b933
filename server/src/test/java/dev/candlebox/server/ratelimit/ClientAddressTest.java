package dev.candlebox.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private static final ClientAddress NO_PROXY = new ClientAddress(List.of());
    private static final ClientAddress BEHIND_PROXIES =
            new ClientAddress(List.of("10.0.0.0/8", "192.168.1.10", "fd00::/8"));

    @Test
    void withoutTrustedProxiesTheSocketPeerIsTheClientWhateverTheHeaderSays() {
        assertEquals("127.0.0.1", NO_PROXY.resolve("127.0.0.1", List.of("203.0.113.7")));
        assertEquals("198.51.100.4", NO_PROXY.resolve("198.51.100.4", List.of("10.0.0.1, 203.0.113.7")));
    }

    @Test
    void aPeerThatIsNotATrustedProxyIsTheClientEvenWhenProxiesAreConfigured() {
        assertEquals("198.51.100.4", BEHIND_PROXIES.resolve("198.51.100.4", List.of("203.0.113.7")));
    }

    @Test
    void behindATrustedProxyTheRightMostUntrustedAddressIsTheClient() {
        assertEquals("203.0.113.7", BEHIND_PROXIES.resolve("10.1.2.3", List.of("203.0.113.7")));
        // The client wrote "1.1.1.1" itself; the proxy appended the real peer, 203.0.113.7.
        assertEquals("203.0.113.7", BEHIND_PROXIES.resolve("10.1.2.3", List.of("1.1.1.1, 203.0.113.7")));
        // Two trusted hops (a CDN edge in 10/8, then 192.168.1.10) are skipped.
        assertEquals("203.0.113.7",
                BEHIND_PROXIES.resolve("192.168.1.10", List.of("1.1.1.1, 203.0.113.7, 10.9.9.9")));
        // Several header lines are one list, in order.
        assertEquals("203.0.113.7", BEHIND_PROXIES.resolve("10.1.2.3", List.of("1.1.1.1", "203.0.113.7, 10.0.0.2")));
    }

    @Test
    void aTrustedProxyWithoutTheHeaderIsItselfTheClient() {
        assertEquals("10.1.2.3", BEHIND_PROXIES.resolve("10.1.2.3", List.of()));
    }

    @Test
    void whenEveryHopIsTrustedTheLeftMostCounts() {
        assertEquals("10.0.0.7", BEHIND_PROXIES.resolve("10.1.2.3", List.of("10.0.0.7, 10.0.0.8")));
    }

    @Test
    void somethingThatIsNotAnAddressStopsTheWalkAtTheLastTrustedHop() {
        assertEquals("10.0.0.8", BEHIND_PROXIES.resolve("10.1.2.3", List.of("203.0.113.7, unknown, 10.0.0.8")));
        assertEquals("10.1.2.3", BEHIND_PROXIES.resolve("10.1.2.3", List.of("evil.example.com")));
    }

    @Test
    void aMissingPeerIsOneSharedUnknownClient() {
        assertEquals("unknown", BEHIND_PROXIES.resolve(null, List.of("203.0.113.7")));
        assertEquals("unknown", NO_PROXY.resolve("", List.of()));
    }

    @Test
    void portsAndBracketsAreStripped() {
        assertEquals("203.0.113.7", BEHIND_PROXIES.resolve("10.1.2.3", List.of("203.0.113.7:51234")));
        assertEquals("2001:db8:0:0:0:0:0:1", BEHIND_PROXIES.resolve("10.1.2.3", List.of("[2001:db8::1]:443")));
        assertEquals("2001:db8:0:0:0:0:0:1", BEHIND_PROXIES.resolve("10.1.2.3", List.of("2001:db8::1")));
    }

    @Test
    void ipv6ProxiesMatchByCidrAndMappedIpv4MatchesIpv4Ranges() {
        assertEquals("2001:db8:0:0:0:0:0:5", BEHIND_PROXIES.resolve("fd12:3456::1", List.of("2001:db8::5")));
        assertEquals("203.0.113.7", BEHIND_PROXIES.resolve("::ffff:10.0.0.1", List.of("203.0.113.7")));
        assertEquals("2001:db8:0:0:0:0:0:5", NO_PROXY.resolve("2001:db8::5", List.of("203.0.113.7")));
    }

    @Test
    void cidrBoundariesAreExact() {
        ClientAddress slash28 = new ClientAddress(List.of("172.16.0.16/28"));
        assertEquals("203.0.113.7", slash28.resolve("172.16.0.16", List.of("203.0.113.7")));
        assertEquals("203.0.113.7", slash28.resolve("172.16.0.31", List.of("203.0.113.7")));
        assertEquals("172.16.0.15", slash28.resolve("172.16.0.15", List.of("203.0.113.7")));
        assertEquals("172.16.0.32", slash28.resolve("172.16.0.32", List.of("203.0.113.7")));
        ClientAddress everyone = new ClientAddress(List.of("0.0.0.0/0"));
        assertEquals("8.8.8.8", everyone.resolve("8.8.8.8", List.of("8.8.8.8")));
    }

    @Test
    void ipv6ClientsShareOneBudgetPerSlash64() {
        assertEquals("2001:db8:1:2::/64", ClientAddress.budgetKeyOf("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals("2001:db8:1:2::/64", ClientAddress.budgetKeyOf("2001:db8:1:2:0:0:0:1"));
        assertEquals("2001:db8::/64", ClientAddress.budgetKeyOf("2001:db8:0:0:1:0:0:1"));
        assertEquals("203.0.113.7", ClientAddress.budgetKeyOf("203.0.113.7"));
    }
}
