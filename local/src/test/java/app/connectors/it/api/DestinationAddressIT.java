package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.api.ApiStack.Account;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Save-time SSRF rules for a generic connector's url: every spelling of a forbidden address is
 * refused naming the address; a name that does not resolve is accepted (docs/decisions/0002).
 */
class DestinationAddressIT {

    private static ApiStack api;
    private static Account user;

    @BeforeAll
    static void start() {
        api = ApiStack.start();
        api.dns.answer("internal.example.com", "10.0.0.7")
                .answer("split.example.com", ApiStack.PUBLIC_ADDRESS, "192.168.1.20")
                .answer("metadata.example.com", "fd00:ec2::254")
                .nxdomain("not-yet.example.com");
        user = api.createUser("ssrf", "enterprise");
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @ParameterizedTest(name = "{0} names {1}")
    @CsvSource(delimiter = '|', textBlock = """
            https://127.1/hook                               | 127.0.0.1
            https://2130706433/hook                          | 127.0.0.1
            https://0x7f.1/hook                              | 127.0.0.1
            https://[::ffff:127.0.0.1]/hook                  | 127.0.0.1
            https://[::1]/hook                               | ::1
            https://169.254.169.254/latest/meta-data/        | 169.254.169.254
            https://10.1.2.3/hook                            | 10.1.2.3
            https://internal.example.com/hook                | 10.0.0.7
            https://split.example.com/hook                   | 192.168.1.20
            https://metadata.example.com/hook                | fd00:ec2::254
            """)
    void rejectsUrlOnForbiddenAddress(String url, String address) {
        // GIVEN a generic connector whose url is, or resolves to, a forbidden address
        String body = ApiStack.genericBody("internal", url);

        // WHEN it is created
        ApiResponse response = api.call(user, "POST", "/api/v1/connectors", body);

        // THEN 400 on config.url, naming the address
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.errorFields()).containsExactly("config.url");
        assertThat(response.errorMessages().getFirst()).contains(address).contains("refused");
    }

    @Test
    void aLoopbackEndpointRefusedOnTheLocalStackSaysHowToAdmitIt() {
        // WHEN a local test endpoint is used without having been admitted
        ApiResponse response = api.call(user, "POST", "/api/v1/connectors", ApiStack.genericBody("sink", "http://127.0.0.1:8099/hook"));

        // THEN the refusal names the flag that admits exactly that address and port
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.errorMessages().getFirst()).contains("is loopback",
                "start the stack with: bin/local start --allow-target 127.0.0.1:8099");
    }

    @Test
    void acceptsHostThatDoesNotResolveYet() {
        // GIVEN a name that does not resolve (NXDOMAIN)
        String body = ApiStack.genericBody("later", "https://not-yet.example.com/hook/abcdefgh12345678");

        // WHEN it is created
        ApiResponse response = api.call(user, "POST", "/api/v1/connectors", body);

        // THEN it is saved; the delivery path judges the name when it is used
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(response.json().at("/config/url").asText()).isEqualTo("https://not-yet.example.com/••••5678");
    }

    @Test
    void acceptsHostThatResolvesToPublicAddress() {
        // GIVEN a name that resolves to a public address
        String body = ApiStack.genericBody("public", "https://hooks.example.com/hook/abcdefgh12345678");

        // WHEN it is created
        ApiResponse response = api.call(user, "POST", "/api/v1/connectors", body);

        // THEN it is saved, after exactly the lookups the save needed
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        assertThat(api.dns.lookups("hooks.example.com")).isPositive();
    }

    @Test
    void rejectsPatchMovingUrlToPrivateAddress() {
        // GIVEN a generic connector on a public host
        String uuid = api.call(user, "POST", "/api/v1/connectors",
                ApiStack.genericBody("moving", "https://hooks.example.com/hook/abcdefgh12345678")).json().get("uuid").asText();

        // WHEN a PATCH moves it to loopback
        ApiResponse patched = api.call(user, "PATCH", "/api/v1/connectors/" + uuid, "{\"config\":{\"url\":\"https://127.0.0.1/x\"}}");

        // THEN it is refused and the stored URL is unchanged
        assertThat(patched.status()).isEqualTo(400);
        assertThat(patched.errorMessages().getFirst()).contains("127.0.0.1");
        assertThat(api.call(user, "GET", "/api/v1/connectors/" + uuid).json().at("/config/url").asText())
                .isEqualTo("https://hooks.example.com/••••5678");
    }
}
