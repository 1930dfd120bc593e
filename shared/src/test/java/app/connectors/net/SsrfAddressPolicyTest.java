package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SsrfAddressPolicyTest {

    @ParameterizedTest(name = "{0} is refused for {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0                 | 0.0.0.0/8
            0.255.255.255           | 0.0.0.0/8
            10.0.0.0                | 10.0.0.0/8
            10.255.255.255          | 10.0.0.0/8
            100.64.0.0              | 100.64.0.0/10
            100.127.255.255         | 100.64.0.0/10
            127.0.0.1               | 127.0.0.0/8
            127.255.255.255         | 127.0.0.0/8
            169.254.0.0             | 169.254.0.0/16
            169.254.169.254         | 169.254.0.0/16
            169.254.255.255         | 169.254.0.0/16
            172.16.0.0              | 172.16.0.0/12
            172.31.255.255          | 172.16.0.0/12
            192.0.0.0               | 192.0.0.0/24
            192.0.0.255             | 192.0.0.0/24
            192.0.2.0               | 192.0.2.0/24
            192.0.2.255             | 192.0.2.0/24
            192.168.0.0             | 192.168.0.0/16
            192.168.255.255         | 192.168.0.0/16
            198.18.0.0              | 198.18.0.0/15
            198.19.255.255          | 198.18.0.0/15
            198.51.100.0            | 198.51.100.0/24
            198.51.100.255          | 198.51.100.0/24
            203.0.113.0             | 203.0.113.0/24
            203.0.113.255           | 203.0.113.0/24
            224.0.0.0               | 224.0.0.0/4
            239.255.255.255         | 224.0.0.0/4
            240.0.0.0               | 240.0.0.0/4
            255.255.255.254         | 240.0.0.0/4
            255.255.255.255         | 255.255.255.255/32
            ::                      | ::/128
            ::1                     | ::1/128
            ::2                     | ::/96
            ::ffff:127.0.0.1        | 127.0.0.0/8
            ::ffff:10.1.2.3         | 10.0.0.0/8
            ::ffff:169.254.169.254  | 169.254.0.0/16
            64:ff9b::7f00:1         | 64:ff9b::/96
            64:ff9b::a9fe:a9fe      | 169.254.0.0/16
            2002:7f00:1::           | 2002::/16
            2002:c0a8:101::1        | 192.168.0.0/16
            fc00::                  | fc00::/7
            fd00:ec2::254           | fc00::/7
            fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | fc00::/7
            fe80::                  | fe80::/10
            fe80::1                 | fe80::/10
            febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff | fe80::/10
            fec0::1                 | fec0::/10
            ff00::                  | ff00::/8
            ff02::1                 | ff00::/8
            ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | ff00::/8
            """)
    void refusesAddressInsideForbiddenRange(String address, String range) throws Exception {
        // GIVEN an address at the edge or in the middle of a forbidden range
        InetAddress parsed = ipv6Preserving(address);

        // WHEN the policy judges it
        var reason = AddressPolicy.refusalReason(parsed);

        // THEN it is refused and the reason names the range
        assertThat(reason).hasValueSatisfying(text -> assertThat(text).contains("(" + range + ")"));
    }

    @ParameterizedTest(name = "{0} is public")
    @CsvSource(textBlock = """
            1.0.0.0
            8.8.8.8
            9.255.255.255
            11.0.0.0
            100.63.255.255
            100.128.0.0
            126.255.255.255
            128.0.0.0
            169.253.255.255
            169.255.0.0
            172.15.255.255
            172.32.0.0
            192.0.1.0
            192.0.3.0
            192.167.255.255
            192.169.0.0
            198.17.255.255
            198.20.0.0
            198.51.99.255
            198.51.101.0
            203.0.112.255
            203.0.114.0
            223.255.255.255
            93.184.215.14
            ::ffff:8.8.8.8
            64:ff9b::808:808
            64:ff9b::1:7f00:1
            2002:808:808::1
            2001:4860:4860::8888
            2606:4700::1111
            fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            fe00::
            fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff
            """)
    void admitsAddressJustOutsideEveryRange(String address) throws Exception {
        // GIVEN a publicly routable address, often one step outside a forbidden range
        InetAddress parsed = ipv6Preserving(address);

        // WHEN / THEN it is not refused
        assertThat(AddressPolicy.refusalReason(parsed)).isEmpty();
    }

    @Test
    void namesTheAddressAndRangeInTheReason() throws Exception {
        // GIVEN loopback and the IPv6 instance-metadata address
        // WHEN / THEN the reasons read as sentences naming address, kind and range
        assertThat(AddressPolicy.refusalReason(InetAddress.getByName("127.0.0.1")))
                .contains("127.0.0.1 is loopback (127.0.0.0/8)");
        assertThat(AddressPolicy.refusalReason(InetAddress.getByName("fd00:ec2::254")))
                .contains("fd00:ec2::254 is unique local (fc00::/7)");
    }

    @Test
    void judgesTheIpv4InsideAMappedIpv6Address() throws Exception {
        // GIVEN ::ffff:127.0.0.1 kept as a 16-byte IPv6 address (the JDK would fold it to IPv4)
        InetAddress mapped = ipv6Preserving("::ffff:127.0.0.1");
        assertThat(mapped).isInstanceOf(Inet6Address.class);

        // WHEN / THEN the reason explains both layers
        assertThat(AddressPolicy.refusalReason(mapped))
                .contains("::ffff:7f00:1 is IPv4-mapped (::ffff:0:0/96) for 127.0.0.1, which is loopback (127.0.0.0/8)");
    }

    @Test
    void writesIpv6InCompressedForm() throws Exception {
        assertThat(AddressPolicy.format(InetAddress.getByName("fd00:ec2:0:0:0:0:0:254"))).isEqualTo("fd00:ec2::254");
        assertThat(AddressPolicy.format(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(AddressPolicy.format(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(AddressPolicy.format(InetAddress.getByName("1::"))).isEqualTo("1::");
    }

    /** Parses a literal; an IPv4-mapped literal stays an {@link Inet6Address} so the mapped path is tested. */
    static InetAddress ipv6Preserving(String literal) throws UnknownHostException {
        InetAddress parsed = HostLiteral.parse(literal).orElseThrow();
        if (literal.contains(":") && parsed instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            return Inet6Address.getByAddress(null, mapped, -1);
        }
        return parsed;
    }
}
