package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Walks IANA's IPv4 and IPv6 Special-Purpose Address Registries (iana.org/assignments/
 * iana-ipv4-special-registry and iana-ipv6-special-registry), one row per entry with its
 * "Globally Reachable" column, plus the multicast blocks of the multicast registries. Every entry
 * that is not globally reachable must be refused at its first, a middle and its last address.
 *
 * <p>Verdicts: {@code refused} (not globally reachable, or deprecated); {@code refused-nested}
 * (globally reachable, but an anycast or protocol block inside a refused one, where no webhook
 * receiver lives: refused with its parent); {@code public} (globally reachable, allowed);
 * {@code embedded} (a translation prefix whose embedded IPv4 address decides: refused when it
 * carries a refused IPv4 address, allowed when it carries a public one).
 */
class SsrfSpecialPurposeRegistryTest {

    @ParameterizedTest(name = "{0} ({1}, globally reachable: {2}) is {3}")
    @CsvSource(delimiter = '|', textBlock = """
            # IPv4 Special-Purpose Address Registry
            0.0.0.0/8          | This network                              | false | refused
            0.0.0.0/32         | This host on this network                 | false | refused
            10.0.0.0/8         | Private-Use                               | false | refused
            100.64.0.0/10      | Shared Address Space                      | false | refused
            127.0.0.0/8        | Loopback                                  | false | refused
            169.254.0.0/16     | Link Local                                | false | refused
            172.16.0.0/12      | Private-Use                               | false | refused
            192.0.0.0/24       | IETF Protocol Assignments                 | false | refused
            192.0.0.0/29       | IPv4 Service Continuity Prefix            | false | refused
            192.0.0.8/32       | IPv4 dummy address                        | false | refused
            192.0.0.9/32       | Port Control Protocol Anycast             | true  | refused-nested
            192.0.0.10/32      | Traversal Using Relays around NAT Anycast | true  | refused-nested
            192.0.0.170/32     | NAT64/DNS64 Discovery                     | false | refused
            192.0.0.171/32     | NAT64/DNS64 Discovery                     | false | refused
            192.0.2.0/24       | Documentation (TEST-NET-1)                | false | refused
            192.31.196.0/24    | AS112-v4                                  | true  | public
            192.52.193.0/24    | AMT                                       | true  | public
            192.88.99.0/24     | Deprecated (6to4 Relay Anycast)           | n/a   | refused
            192.88.99.2/32     | 6a44-relay anycast address                | false | refused
            192.168.0.0/16     | Private-Use                               | false | refused
            192.175.48.0/24    | Direct Delegation AS112 Service           | true  | public
            198.18.0.0/15      | Benchmarking                              | false | refused
            198.51.100.0/24    | Documentation (TEST-NET-2)                | false | refused
            203.0.113.0/24     | Documentation (TEST-NET-3)                | false | refused
            240.0.0.0/4        | Reserved                                  | false | refused
            255.255.255.255/32 | Limited Broadcast                         | false | refused
            # IPv4 multicast (IPv4 Multicast Address Space Registry)
            224.0.0.0/4        | Multicast                                 | n/a   | refused
            # IPv6 Special-Purpose Address Registry
            ::1/128            | Loopback Address                          | false | refused
            ::/128             | Unspecified Address                       | false | refused
            ::ffff:0:0/96      | IPv4-mapped Address                       | false | refused
            64:ff9b::/96       | IPv4-IPv6 Translat.                       | true  | embedded
            64:ff9b:1::/48     | IPv4-IPv6 Translat. (local use)           | false | refused
            100::/64           | Discard-Only Address Block                | false | refused
            100:0:0:1::/64     | Dummy IPv6 Prefix                         | false | refused
            2001::/23          | IETF Protocol Assignments                 | false | refused
            2001::/32          | TEREDO                                    | n/a   | refused
            2001:1::1/128      | Port Control Protocol Anycast             | true  | refused-nested
            2001:1::2/128      | TURN Anycast                              | true  | refused-nested
            2001:1::3/128      | DNS-SD Service Registration Protocol Anycast | true | refused-nested
            2001:2::/48        | Benchmarking                              | false | refused
            2001:3::/32        | AMT                                       | true  | refused-nested
            2001:4:112::/48    | AS112-v6                                  | true  | refused-nested
            2001:10::/28       | Deprecated (previously ORCHID)            | false | refused
            2001:20::/28       | ORCHIDv2                                  | true  | refused-nested
            2001:30::/28       | Drone Remote ID Protocol Entity Tags      | true  | refused-nested
            2001:db8::/32      | Documentation                             | false | refused
            2002::/16          | 6to4                                      | n/a   | embedded
            2620:4f:8000::/48  | Direct Delegation AS112 Service           | true  | public
            3fff::/20          | Documentation                             | false | refused
            5f00::/16          | Segment Routing (SRv6) SIDs               | false | refused
            fc00::/7           | Unique-Local                              | false | refused
            fe80::/10          | Link-Local Unicast                        | false | refused
            # IPv6 multicast (IPv6 Multicast Address Space Registry)
            ff00::/8           | Multicast                                 | n/a   | refused
            """)
    void everyRegistryEntryGetsItsVerdict(String block, String name, String globallyReachable, String verdict) throws Exception {
        // GIVEN the first, a middle and the last address of the registry's block
        Cidr cidr = Cidr.parse(block);

        for (InetAddress address : cidr.samples()) {
            // WHEN the policy judges it
            var reason = AddressPolicy.refusalReason(address);

            // THEN the verdict is the table's
            switch (verdict) {
                case "refused", "refused-nested" -> assertThat(reason).as(address + " in " + block + " (" + name + ")").isPresent();
                case "public" -> assertThat(reason).as(address + " in " + block + " (" + name + ")").isEmpty();
                case "embedded" -> {
                    assertThat(AddressPolicy.refusalReason(cidr.embedding(new byte[] {127, 0, 0, 1})))
                            .as(block + " carrying 127.0.0.1").isPresent();
                    assertThat(AddressPolicy.refusalReason(cidr.embedding(new byte[] {10, 1, 2, 3})))
                            .as(block + " carrying 10.1.2.3").isPresent();
                    assertThat(AddressPolicy.refusalReason(cidr.embedding(new byte[] {93, (byte) 184, (byte) 215, 14})))
                            .as(block + " carrying the public 93.184.215.14").isEmpty();
                }
                default -> throw new IllegalArgumentException("unknown verdict " + verdict);
            }
        }
    }

    /** A block of addresses: network bytes and prefix length. */
    private record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) throws UnknownHostException {
            String[] parts = text.split("/");
            return new Cidr(bytes(parts[0]), Integer.parseInt(parts[1]));
        }

        /** First, middle and last address of the block. */
        InetAddress[] samples() throws UnknownHostException {
            int bits = network.length * 8;
            BigInteger first = new BigInteger(1, network);
            BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
            BigInteger last = first.or(hostMask);
            BigInteger middle = first.add(hostMask.shiftRight(1));
            return new InetAddress[] {address(first), address(middle), address(last)};
        }

        /** An address of a translation block carrying {@code ipv4} where that block keeps it. */
        InetAddress embedding(byte[] ipv4) throws UnknownHostException {
            byte[] copy = Arrays.copyOf(network, 16);
            int at = (copy[0] == 0x20 && copy[1] == 0x02) ? 2 : 12; // 6to4 keeps it after 2002:, NAT64 at the end
            System.arraycopy(ipv4, 0, copy, at, 4);
            return InetAddress.getByAddress(copy);
        }

        private InetAddress address(BigInteger value) throws UnknownHostException {
            byte[] raw = value.toByteArray();
            byte[] out = new byte[network.length];
            int copy = Math.min(raw.length, out.length);
            System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
            return InetAddress.getByAddress(out);
        }

        private static byte[] bytes(String literal) throws UnknownHostException {
            byte[] parsed = InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && parsed.length == 4) {
                // The JDK folds ::ffff:a.b.c.d into IPv4; keep the 16 IPv6 bytes.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(parsed, 0, mapped, 12, 4);
                return mapped;
            }
            return parsed;
        }
    }
}
