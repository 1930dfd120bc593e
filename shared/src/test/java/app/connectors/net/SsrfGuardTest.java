package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.testing.StubResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsrfGuardTest {

    private final StubResolver dns = new StubResolver();

    @Test
    void refusesNameThatResolvesToLoopback() {
        // GIVEN a name whose only address is loopback
        dns.answer("evil.example", "127.0.0.1");
        SsrfGuard guard = DefaultSsrfGuard.strict(dns);

        // WHEN / THEN the check refuses and says which address and range
        assertThatThrownBy(() -> guard.check("evil.example", 443))
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessage("evil.example: 127.0.0.1 is loopback (127.0.0.0/8)");
    }

    @Test
    void refusesWhenAnyOneOfTheAddressesIsForbidden() {
        // GIVEN a name with a public and a metadata address
        dns.answer("mixed.example", "93.184.215.14", "169.254.169.254");
        SsrfGuard guard = DefaultSsrfGuard.strict(dns);

        // WHEN / THEN the whole host is refused, naming the bad address
        assertThatThrownBy(() -> guard.check("mixed.example", 443))
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("169.254.169.254 is link-local")
                .hasMessageNotContaining("93.184.215.14");
    }

    @Test
    void returnsEveryCheckedAddressInResolverOrderAfterOneLookup() throws Exception {
        // GIVEN a name with two public addresses
        dns.answer("hooks.example", "2606:4700::1111", "93.184.215.14");
        SsrfGuard guard = DefaultSsrfGuard.strict(dns);

        // WHEN it is checked
        var addresses = guard.check("hooks.example", 443);

        // THEN both come back in order, from exactly one lookup
        assertThat(addresses).extracting(AddressPolicy::format).containsExactly("2606:4700::1111", "93.184.215.14");
        assertThat(dns.lookups("hooks.example")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.1", "2130706433", "0x7f.1", "0177.0.0.1", "[::ffff:127.0.0.1]", "::1", "0"})
    void judgesLiteralHostsByValueWithoutLookingThemUp(String host) {
        // GIVEN a resolver that would say "public" for anything asked
        SsrfGuard guard = DefaultSsrfGuard.strict(h -> java.util.List.of(InetAddress.getByAddress(h, new byte[] {93, (byte) 184, (byte) 215, 14})));

        // WHEN / THEN the literal is refused on its numeric meaning
        assertThatThrownBy(() -> guard.check(host, 80)).isInstanceOf(DestinationRefusedException.class);
    }

    @Test
    void doesNotResolveLiteralHosts() throws Exception {
        // GIVEN a stub resolver that knows nothing
        SsrfGuard guard = DefaultSsrfGuard.strict(dns);

        // WHEN a public literal is checked
        var addresses = guard.check("8.8.8.8", 443);

        // THEN it is admitted as itself, with no lookup
        assertThat(addresses).extracting(AddressPolicy::format).containsExactly("8.8.8.8");
        assertThat(dns.totalLookups()).isZero();
    }

    @Test
    void admitsAnExactlyAllowedAddressAndPort() throws Exception {
        // GIVEN 127.0.0.1:8123 on the allow-list
        SsrfGuard guard = new DefaultSsrfGuard(dns, AllowedTarget.parseList("127.0.0.1:8123"));

        // WHEN / THEN that pair is admitted
        assertThat(guard.check("127.0.0.1", 8123)).extracting(AddressPolicy::format).containsExactly("127.0.0.1");
    }

    @Test
    void refusesAllowedAddressOnAnotherPort() {
        // GIVEN 127.0.0.1:8123 on the allow-list
        SsrfGuard guard = new DefaultSsrfGuard(dns, AllowedTarget.parseList("127.0.0.1:8123"));

        // WHEN / THEN the same address on another port is refused
        assertThatThrownBy(() -> guard.check("127.0.0.1", 8124)).isInstanceOf(DestinationRefusedException.class);
    }

    @Test
    void refusesAnotherLoopbackAddressOnTheAllowedPort() {
        SsrfGuard guard = new DefaultSsrfGuard(dns, AllowedTarget.parseList("127.0.0.1:8123"));

        assertThatThrownBy(() -> guard.check("127.0.0.2", 8123)).isInstanceOf(DestinationRefusedException.class);
    }

    @Test
    void refusesNameWhoseOtherAddressIsNotAllowed() {
        // GIVEN localhost answering 127.0.0.1 and ::1, with only the IPv4 pair allowed
        dns.answer("localhost", "127.0.0.1", "::1");
        SsrfGuard guard = new DefaultSsrfGuard(dns, AllowedTarget.parseList("127.0.0.1:8123"));

        // WHEN / THEN the unlisted ::1 refuses the host
        assertThatThrownBy(() -> guard.check("localhost", 8123))
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessage("localhost: ::1 is loopback (::1/128)");
    }

    @Test
    void readsAllowListEntriesForBothFamilies() {
        Set<AllowedTarget> targets = AllowedTarget.parseList("127.0.0.1:8123, [::1]:8123\n10.0.0.5:80");

        assertThat(targets).extracting(AllowedTarget::toString)
                .containsExactlyInAnyOrder("127.0.0.1:8123", "[::1]:8123", "10.0.0.5:80");
        assertThat(AllowedTarget.parseList("  ")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:80", "::1:80", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:70000", "[::1]:x", ":80"})
    void rejectsAllowListEntriesThatAreNotAnAddressAndPort(String entry) {
        assertThatThrownBy(() -> AllowedTarget.parse(entry)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void judgesAtSaveTimeAsAdmittedRefusedOrUnresolvable() {
        // GIVEN a public name, a private name and a name that does not exist
        dns.answer("ok.example", "93.184.215.14").answer("lan.example", "192.168.1.10").nxdomain("gone.example");
        SsrfGuard guard = DefaultSsrfGuard.strict(dns);

        // WHEN / THEN each gets its verdict
        assertThat(guard.judge("ok.example", 443)).isInstanceOf(DestinationCheck.Admitted.class);
        assertThat(guard.judge("lan.example", 443)).isEqualTo(
                new DestinationCheck.Refused("lan.example: 192.168.1.10 is private (192.168.0.0/16)"));
        assertThat(guard.judge("gone.example", 443)).isInstanceOf(DestinationCheck.Unresolvable.class);
        assertThat(guard.judge("256.1.1.1", 443)).isInstanceOf(DestinationCheck.Unresolvable.class);
    }

    @Test
    void refusesAtSendTimeWhatTurnedToLoopbackAfterTheSaveTimeCheck() throws Exception {
        // GIVEN a name that answers public first, loopback afterwards (DNS rebinding)
        dns.answer("rebind.example", "93.184.215.14").thenAnswer("rebind.example", "127.0.0.1");
        SsrfGuard guard = DefaultSsrfGuard.strict(dns);
        assertThat(guard.judge("rebind.example", 443).isAdmitted()).isTrue();

        // WHEN it is checked again at send time
        // THEN the new answer is judged, not the old verdict
        assertThatThrownBy(() -> guard.check("rebind.example", 443))
                .isInstanceOf(DestinationRefusedException.class)
                .hasMessageContaining("127.0.0.1 is loopback");
        assertThat(dns.lookups("rebind.example")).isEqualTo(2);
    }

    @Test
    void reportsNxdomainAsUnknownHost() {
        dns.nxdomain("gone.example");
        SsrfGuard guard = DefaultSsrfGuard.strict(dns);

        assertThatThrownBy(() -> guard.check("gone.example", 443)).isInstanceOf(UnknownHostException.class);
    }
}
