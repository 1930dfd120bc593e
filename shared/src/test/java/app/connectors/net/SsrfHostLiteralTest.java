package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SsrfHostLiteralTest {

    @ParameterizedTest(name = "{0} means {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1            | 127.0.0.1
            127.1                | 127.0.0.1
            127.0.1              | 127.0.0.1
            2130706433           | 127.0.0.1
            0x7f.1               | 127.0.0.1
            0X7F.0.0.1           | 127.0.0.1
            0x7f000001           | 127.0.0.1
            0177.0.0.1           | 127.0.0.1
            017700000001         | 127.0.0.1
            127.0.0.1.           | 127.0.0.1
            0                    | 0.0.0.0
            192.168.257          | 192.168.1.1
            3232235777           | 192.168.1.1
            0xa9.0xfe.0xa9.0xfe  | 169.254.169.254
            [::ffff:127.0.0.1]   | 127.0.0.1
            ::1                  | ::1
            [fd00:ec2::254]      | fd00:ec2::254
            """)
    void readsNumericHostsByTheirMeaning(String host, String expected) throws Exception {
        // GIVEN a host spelled in one of the inet_aton or IPv6 literal forms
        // WHEN it is parsed
        InetAddress address = HostLiteral.parse(host).orElseThrow();

        // THEN it is the address those forms denote
        assertThat(AddressPolicy.format(address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hooks.slack.com", "localhost", "1password.com", "a-1.example", "discord.com."})
    void leavesNamesToTheResolver(String host) throws Exception {
        assertThat(HostLiteral.parse(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "1.2.3.4.5", "08.0.0.1", "4294967296", "1..2", "0x100.1", "1.2.3.256",
            "example.123", "[fe80::1%eth0]", "[not:hex:gg]", "[127.0.0.1]", "[]", "::ffff:x", "١٢٧.0.0.1"})
    void refusesNumericLookingHostsThatAreNoAddress(String host) {
        // GIVEN a host that looks numeric (or bracketed) but is no valid address
        // WHEN / THEN it is neither an address nor a name to look up
        assertThatThrownBy(() -> HostLiteral.parse(host)).isInstanceOf(UnknownHostException.class);
    }
}
