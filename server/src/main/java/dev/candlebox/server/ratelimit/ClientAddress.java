package dev.candlebox.server.ratelimit;

import io.javalin.http.Context;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which address counts as the client. The socket's peer, unless that peer is one of the operator's
 * trusted proxies: then {@code X-Forwarded-For} is read from the right (each proxy appends the
 * address it received the request from) and the first address that is not itself a trusted proxy
 * is the client. Whatever a client writes into the header further left is never reached, so the
 * header cannot be used to change one's own budget.
 */
public final class ClientAddress {

    private final List<AddressRange> trusted;

    public ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(AddressRange::parse).toList();
    }

    public static ClientAddress from(RateLimitConfig config) {
        return new ClientAddress(config.trustedProxies());
    }

    /** The client's IP address as canonical text ({@code 203.0.113.7}, {@code 2001:db8:0:0:0:0:0:1}). */
    public String of(Context ctx) {
        return resolve(ctx.req().getRemoteAddr(), Collections.list(ctx.req().getHeaders("X-Forwarded-For")));
    }

    /**
     * The key the client's budget is kept under: the address for IPv4, the /64 network for IPv6
     * ({@code 2001:db8:1:2::/64}), because one IPv6 subscriber usually holds a whole /64 and could
     * otherwise take a fresh budget per address.
     */
    public String budgetKey(Context ctx) {
        return budgetKeyOf(of(ctx));
    }

    static String budgetKeyOf(String address) {
        InetAddress a = AddressRange.literal(address);
        if (!(a instanceof Inet6Address)) {
            return address;
        }
        byte[] network = a.getAddress();
        java.util.Arrays.fill(network, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(network).getHostAddress().replaceFirst("(:0)+$", "::") + "/64";
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param peer         the socket's remote address as the server saw it
     * @param forwardedFor every {@code X-Forwarded-For} header value, in the order received
     */
    String resolve(String peer, List<String> forwardedFor) {
        if (peer == null || peer.isBlank()) {
            return "unknown"; // no peer address at all (a test harness, a closed connection): one shared budget
        }
        InetAddress peerAddress = AddressRange.literal(peer);
        if (peerAddress == null) {
            return peer; // not an IP (e.g. a Unix socket): the best name there is
        }
        if (!isTrusted(peerAddress)) {
            return AddressRange.text(peerAddress);
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String part : header.split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.strip());
                }
            }
        }
        InetAddress client = peerAddress;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = AddressRange.literal(withoutPort(hops.get(i)));
            if (hop == null) {
                // A trusted proxy passed on something that is not an address ("unknown", a name):
                // the last address known for sure is that proxy's, so the budget is the proxy's.
                return AddressRange.text(client);
            }
            client = hop;
            if (!isTrusted(hop)) {
                return AddressRange.text(hop);
            }
        }
        return AddressRange.text(client); // every hop was a trusted proxy: the left-most one
    }

    private boolean isTrusted(InetAddress address) {
        for (AddressRange range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** "203.0.113.7:5123" → "203.0.113.7", "[2001:db8::1]:443" → "[2001:db8::1]"; IPv6 without brackets is left alone. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close < 0 ? hop : hop.substring(0, close + 1);
        }
        int colon = hop.indexOf(':');
        if (colon >= 0 && colon == hop.lastIndexOf(':')) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
