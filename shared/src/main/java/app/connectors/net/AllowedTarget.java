package app.connectors.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashSet;

/**
 * One exact (address, port) pair that the SSRF guard admits although its address is in a
 * forbidden range. Tests and the local stack list their own local receivers this way; production
 * lists nothing. The pair is exact: the same address on another port is still refused.
 *
 * <pre>{@code
 * AllowedTarget sink = AllowedTarget.parse("127.0.0.1:8123");
 * Set<AllowedTarget> all = AllowedTarget.parseList("127.0.0.1:8123, [::1]:8123");
 * }</pre>
 *
 * @param address an IP address (names are not accepted: an allow-list entry must not depend on DNS)
 * @param port    1–65535
 */
public record AllowedTarget(InetAddress address, int port) {

    public AllowedTarget {
        if (address == null) {
            throw new IllegalArgumentException("allowed target needs an address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("allowed target port out of range: " + port);
        }
    }

    /** Reads {@code 127.0.0.1:8123} or {@code [::1]:8123}; the host must be an IP literal. */
    public static AllowedTarget parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("allowed target must be address:port, got '" + trimmed + "'");
        }
        String host = trimmed.substring(0, colon);
        if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("IPv6 allowed target must be bracketed, like [::1]:8123");
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("allowed target port is not a number: '" + trimmed + "'");
        }
        try {
            InetAddress address = HostLiteral.parse(host)
                    .orElseThrow(() -> new IllegalArgumentException("allowed target host must be an IP address: '" + host + "'"));
            return new AllowedTarget(address, port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("allowed target host is not a valid address: '" + host + "'");
        }
    }

    /** Reads a comma- or whitespace-separated list (the form an environment variable carries); blank → empty. */
    public static Set<AllowedTarget> parseList(String text) {
        Set<AllowedTarget> targets = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        List<String> items = new ArrayList<>(List.of(text.split("[,\\s]+")));
        items.removeIf(String::isBlank);
        for (String item : items) {
            targets.add(parse(item));
        }
        return Set.copyOf(targets);
    }

    /** True when this entry admits a connection to exactly {@code address} on {@code port}. */
    public boolean admits(InetAddress address, int port) {
        return this.port == port && this.address.equals(address);
    }

    @Override
    public String toString() {
        String host = AddressPolicy.format(address);
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
