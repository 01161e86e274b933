package dev.candlebox.server.ratelimit;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One trusted-proxy entry: a single IP ({@code 10.0.0.5}, {@code ::1}) or a CIDR block
 * ({@code 10.0.0.0/8}, {@code fd00::/8}). Only literals are accepted, so parsing never does a DNS lookup.
 */
record AddressRange(byte[] network, int prefixLength) {

    static AddressRange parse(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        InetAddress address = literal(host);
        if (address == null) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not an IP address or CIDR (examples: 10.0.0.5, 10.0.0.0/8, fd00::/8)");
        }
        byte[] bytes = address.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException(
                        "'" + text + "' has a bad prefix length (allowed: 0.." + bits + ")");
            }
        }
        return new AddressRange(mask(bytes, prefix), prefix);
    }

    boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        return candidate.length == network.length && java.util.Arrays.equals(mask(candidate, prefixLength), network);
    }

    /**
     * Parses an IP literal (IPv4, IPv6, IPv6 in brackets), or returns null. IPv4-mapped IPv6
     * addresses ({@code ::ffff:1.2.3.4}) come back as IPv4, so a proxy can be named either way.
     */
    static InetAddress literal(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || !(s.indexOf(':') >= 0 || Character.isDigit(s.charAt(0)))) {
            return null;
        }
        try {
            InetAddress address = InetAddress.ofLiteral(s);
            if (address instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                // A zone id is local to the host that wrote it; compare the address alone.
                return InetAddress.getByAddress(v6.getAddress());
            }
            return address;
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            return null;
        }
    }

    /** The canonical text of an address: dotted IPv4, or full lower-case IPv6 without zone. */
    static String text(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        String s = address.getHostAddress();
        int zone = s.indexOf('%');
        return zone < 0 ? s : s.substring(0, zone);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefixLength == prefixLength && java.util.Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        try {
            return text(InetAddress.getByAddress(network)) + "/" + prefixLength;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
