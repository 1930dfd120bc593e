package app.connectors.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Judges one resolved address against the ranges the service never connects to: every block of
 * IANA's IPv4 and IPv6 special-purpose address registries that is not globally reachable, plus
 * multicast, and the few globally reachable special blocks nested inside a refused one (anycast
 * service addresses, where no webhook receiver lives). {@code SsrfSpecialPurposeRegistryTest}
 * walks the registries' tables against it. It looks at the address bytes only, never at a name, and it unwraps the IPv6 forms that
 * carry an IPv4 address (mapped, NAT64, 6to4, IPv4-compatible) so that {@code ::ffff:127.0.0.1}
 * is judged as {@code 127.0.0.1}.
 *
 * <pre>{@code
 * Optional<String> why = AddressPolicy.refusalReason(InetAddress.getByName("10.1.2.3"));
 * // why = Optional[10.1.2.3 is private (10.0.0.0/8)]
 * }</pre>
 *
 * <p>{@link InetAddress#isSiteLocalAddress()} and friends are not used: they miss fc00::/7,
 * 100.64/10, the documentation ranges and every embedded-IPv4 form.
 */
public final class AddressPolicy {

    /** A forbidden block of addresses with the name used in refusal reasons. */
    private record Block(byte[] network, int prefixLength, String cidr, String name, Embedded embedded) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    /** Where an IPv6 block keeps an IPv4 address that decides the verdict instead of the block itself. */
    private enum Embedded {
        NONE, LAST_FOUR_BYTES, BYTES_TWO_TO_FIVE
    }

    // Order matters: the first block that contains the address names the reason, so narrow blocks
    // (broadcast, ::1) come before the wide ones that contain them (240/4, ::/96).
    private static final List<Block> IPV4 = List.of(
            v4("0.0.0.0", 8, "this network"),
            v4("10.0.0.0", 8, "private"),
            v4("100.64.0.0", 10, "shared address space (carrier-grade NAT)"),
            v4("127.0.0.0", 8, "loopback"),
            v4("169.254.0.0", 16, "link-local (cloud instance metadata)"),
            v4("172.16.0.0", 12, "private"),
            v4("192.0.0.0", 24, "IETF protocol assignments"),
            v4("192.0.2.0", 24, "documentation (TEST-NET-1)"),
            v4("192.88.99.0", 24, "deprecated 6to4 relay anycast"),
            v4("192.168.0.0", 16, "private"),
            v4("198.18.0.0", 15, "benchmarking"),
            v4("198.51.100.0", 24, "documentation (TEST-NET-2)"),
            v4("203.0.113.0", 24, "documentation (TEST-NET-3)"),
            v4("224.0.0.0", 4, "multicast"),
            v4("255.255.255.255", 32, "broadcast"),
            v4("240.0.0.0", 4, "reserved"));

    private static final List<Block> IPV6 = List.of(
            v6("::", 128, "unspecified", Embedded.NONE),
            v6("::1", 128, "loopback", Embedded.NONE),
            v6("::ffff:0:0", 96, "IPv4-mapped", Embedded.LAST_FOUR_BYTES),
            // Not in the reference list, but deprecated IPv4-compatible addresses (::a.b.c.d) have no
            // legitimate public use and some stacks route them as IPv4.
            v6("::", 96, "IPv4-compatible (deprecated)", Embedded.LAST_FOUR_BYTES),
            v6("64:ff9b::", 96, "NAT64", Embedded.LAST_FOUR_BYTES),
            v6("64:ff9b:1::", 48, "local-use IPv4/IPv6 translation", Embedded.NONE),
            v6("100::", 64, "discard-only", Embedded.NONE),
            v6("100:0:0:1::", 64, "dummy IPv6 prefix", Embedded.NONE),
            v6("2001::", 32, "Teredo", Embedded.NONE),
            v6("2001:2::", 48, "benchmarking", Embedded.NONE),
            v6("2001:10::", 28, "deprecated ORCHID", Embedded.NONE),
            // The rest of 2001::/23 is protocol space: anycast service addresses, AMT, AS112, ORCHIDv2.
            v6("2001::", 23, "IETF protocol assignments", Embedded.NONE),
            v6("2001:db8::", 32, "documentation", Embedded.NONE),
            v6("3fff::", 20, "documentation", Embedded.NONE),
            v6("5f00::", 16, "segment routing (SRv6) SIDs", Embedded.NONE),
            v6("2002::", 16, "6to4", Embedded.BYTES_TWO_TO_FIVE),
            v6("fc00::", 7, "unique local", Embedded.NONE),
            v6("fe80::", 10, "link-local", Embedded.NONE),
            // Not in the reference list either: deprecated site-local, never globally routed.
            v6("fec0::", 10, "site-local (deprecated)", Embedded.NONE),
            v6("ff00::", 8, "multicast", Embedded.NONE));

    private AddressPolicy() {
    }

    /**
     * Why the service must not connect to {@code address}; empty when the address is publicly
     * routable as far as the reference list goes.
     */
    public static Optional<String> refusalReason(InetAddress address) {
        byte[] bytes = address.getAddress();
        String text = format(address);
        if (address instanceof Inet4Address) {
            return ipv4Block(bytes).map(block -> text + " is " + block.name() + " (" + block.cidr() + ")");
        }
        for (Block block : IPV6) {
            if (!block.contains(bytes)) {
                continue;
            }
            if (block.embedded() == Embedded.NONE) {
                return Optional.of(text + " is " + block.name() + " (" + block.cidr() + ")");
            }
            byte[] inner = embeddedIpv4(bytes, block.embedded());
            Optional<Block> innerBlock = ipv4Block(inner);
            if (block.name().startsWith("IPv4-compatible")) {
                // Refused whatever it embeds; name the embedded verdict when there is one.
                return Optional.of(text + " is " + block.name() + " (" + block.cidr() + ")"
                        + innerBlock.map(b -> ", embedding " + formatIpv4(inner) + " which is " + b.name()
                                + " (" + b.cidr() + ")").orElse(""));
            }
            return innerBlock.map(b -> text + " is " + block.name() + " (" + block.cidr() + ") for "
                    + formatIpv4(inner) + ", which is " + b.name() + " (" + b.cidr() + ")");
        }
        return Optional.empty();
    }

    /** True when {@link #refusalReason} has something to say. */
    public static boolean isForbidden(InetAddress address) {
        return refusalReason(address).isPresent();
    }

    /**
     * The canonical text of an address: dotted quad, or RFC 5952 compressed IPv6 without scope
     * (Java's {@code getHostAddress()} writes {@code fd00:ec2:0:0:0:0:0:254}).
     */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return formatIpv4(b);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // RFC 5952: compress the longest run (first one on a tie) of two or more zero groups.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static Optional<Block> ipv4Block(byte[] bytes) {
        for (Block block : IPV4) {
            if (block.contains(bytes)) {
                return Optional.of(block);
            }
        }
        return Optional.empty();
    }

    private static byte[] embeddedIpv4(byte[] v6, Embedded where) {
        int from = where == Embedded.LAST_FOUR_BYTES ? 12 : 2;
        byte[] inner = new byte[4];
        System.arraycopy(v6, from, inner, 0, 4);
        return inner;
    }

    private static String formatIpv4(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    private static Block v4(String network, int prefix, String name) {
        byte[] bytes = literal(network);
        return new Block(bytes, prefix, network + "/" + prefix, name, Embedded.NONE);
    }

    private static Block v6(String network, int prefix, String name, Embedded embedded) {
        return new Block(literal(network), prefix, network + "/" + prefix, name, embedded);
    }

    private static byte[] literal(String text) {
        try {
            InetAddress parsed = InetAddress.getByName(text); // literals only: never a lookup
            byte[] bytes = parsed.getAddress();
            if (text.contains(":") && bytes.length == 4) {
                // The JDK folds ::ffff:a.b.c.d into IPv4; the table needs the 16 IPv6 bytes.
                return toMapped(bytes);
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static byte[] toMapped(byte[] v4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        return v6;
    }
}
