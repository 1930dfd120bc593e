package app.connectors.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads a URL host as an IP address when it is one, by its numeric meaning. Resolvers and browsers
 * accept the BSD {@code inet_aton} forms, so {@code 127.1}, {@code 2130706433}, {@code 0x7f.1} and
 * {@code 0177.0.0.1} all mean 127.0.0.1; a guard that judged the text, or handed it to DNS as a
 * name, would be fooled by them.
 *
 * <pre>{@code
 * HostLiteral.parse("0x7f.1");          // Optional[/127.0.0.1]
 * HostLiteral.parse("[::ffff:10.0.0.1]"); // Optional[/10.0.0.1]
 * HostLiteral.parse("hooks.slack.com");   // Optional.empty: a name, resolve it
 * HostLiteral.parse("256.1.1.1");         // throws UnknownHostException: numeric but not an address
 * }</pre>
 *
 * <p>Following the WHATWG URL rule, a host whose last dot-separated label starts with a digit is an
 * IPv4 attempt: it is either a valid address or no host at all, never a name.
 */
public final class HostLiteral {

    private HostLiteral() {
    }

    /**
     * The address {@code host} denotes by itself; empty when it is a name that needs resolving.
     *
     * @param host a URL host, IPv6 with or without brackets
     * @throws UnknownHostException when the host looks numeric (or is bracketed) but is not a valid address
     */
    public static Optional<InetAddress> parse(String host) throws UnknownHostException {
        if (host == null || host.isEmpty()) {
            throw new UnknownHostException("empty host");
        }
        if (host.startsWith("[") || host.indexOf(':') >= 0) {
            return Optional.of(ipv6(host));
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        int lastDot = name.lastIndexOf('.');
        String last = name.substring(lastDot + 1);
        if (last.isEmpty() || !Character.isDigit(last.charAt(0))) {
            return Optional.empty();
        }
        return Optional.of(ipv4(name));
    }

    private static InetAddress ipv6(String host) throws UnknownHostException {
        String inner = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (inner.isEmpty() || inner.indexOf('%') >= 0 || inner.indexOf('[') >= 0 || inner.indexOf(']') >= 0) {
            // Zone ids name a local interface: meaningless (and risky) for a remote destination.
            throw new UnknownHostException("not a valid IPv6 literal");
        }
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                throw new UnknownHostException("not a valid IPv6 literal");
            }
        }
        // The bracketed form makes the JDK parse a literal or fail; it never falls back to a lookup.
        try {
            return InetAddress.getByName("[" + inner + "]");
        } catch (UnknownHostException e) {
            throw new UnknownHostException("not a valid IPv6 literal");
        }
    }

    private static InetAddress ipv4(String name) throws UnknownHostException {
        String[] parts = name.split("\\.", -1);
        if (parts.length > 4) {
            throw invalid();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = number(parts[i]);
        }
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                throw invalid();
            }
        }
        // The last part fills every byte the earlier parts left: a.b.c.d, a.b.(16 bits), a.(24 bits), (32 bits).
        int lastBytes = 5 - parts.length;
        long last = values[parts.length - 1];
        if (last >= (1L << (8 * lastBytes))) {
            throw invalid();
        }
        long value = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            value |= values[i] << (8 * (3 - i));
        }
        value |= last;
        byte[] bytes = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        return InetAddress.getByAddress(bytes);
    }

    /** One inet_aton part: {@code 0x}-prefixed hex, {@code 0}-prefixed octal, or decimal. */
    private static long number(String part) throws UnknownHostException {
        if (part.isEmpty()) {
            throw invalid();
        }
        int radix = 10;
        String digits = part;
        if (part.length() >= 2 && part.charAt(0) == '0' && (part.charAt(1) == 'x' || part.charAt(1) == 'X')) {
            radix = 16;
            digits = part.substring(2);
            if (digits.isEmpty()) {
                return 0; // "0x" alone is zero for inet_aton and WHATWG alike
            }
        } else if (part.length() >= 2 && part.charAt(0) == '0') {
            radix = 8;
            digits = part.substring(1);
        }
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = Character.digit(digits.charAt(i), radix);
            if (digit < 0 || digits.charAt(i) > 0x7f) {
                throw invalid();
            }
            value = value * radix + digit;
            if (value > 0xFFFF_FFFFL) {
                throw invalid();
            }
        }
        return value;
    }

    private static UnknownHostException invalid() {
        return new UnknownHostException("not a valid IPv4 literal");
    }
}
