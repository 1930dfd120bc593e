package app.connectors.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import app.connectors.json.Json;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security review: a token answer whose {@code expires_in} is absurdly large (a broken or hostile
 * token endpoint, or one reached through ENDPOINT_OVERRIDES) makes {@link HubSpotTokens#config}
 * throw DateTimeException/ArithmeticException from Instant.plusSeconds. The Connect callback then
 * ends on the generic 500 page instead of reason=provider_error, and the refresh path
 * (OAuthTokenRefresher) fails the same way on every delivery. Either a ConnectFailure or a usable
 * (clamped) expiry is acceptable; an unchecked time exception is not.
 */
class HubSpotTokensHostileAnswerTest {

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "1e300", "31556889864403200"})
    void anAbsurdExpiryIsAProviderErrorOrClampedNeverACrash(String expiresIn) {
        var answer = Json.read(new java.io.ByteArrayInputStream(("{\"access_token\": \"at-1\", \"refresh_token\": \"rt-1\", \"expires_in\": "
                + expiresIn + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        Throwable thrown = catchThrowable(() -> HubSpotTokens.config(answer, Instant.parse("2026-01-01T00:00:00Z")));

        assertThat(thrown).as("expires_in=" + expiresIn).satisfiesAnyOf(
                t -> assertThat(t).isNull(),
                t -> assertThat(t).isInstanceOf(ConnectFailure.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807", "1e300", "31556889864403200", "-1", "1800.5", "\"1800\"", "[]", "{}"})
    void anAbsurdExpiryIsAProviderErrorNamingTheField(String expiresIn) {
        Throwable thrown = catchThrowable(() -> HubSpotTokens.config(answer(expiresIn), NOW));

        assertThat(thrown).as("expires_in=" + expiresIn).isInstanceOf(ConnectFailure.class).hasMessageContaining("expires_in");
        assertThat(((ConnectFailure) thrown).reason()).isEqualTo(ConnectFailure.Reason.PROVIDER_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1800", "31622400", "null"})
    void aPlausibleOrMissingExpiryIsKept(String expiresIn) {
        var config = HubSpotTokens.config(answer(expiresIn), NOW);

        long seconds = expiresIn.equals("null") ? 1800 : Long.parseLong(expiresIn);
        assertThat(config.get(HubSpotTokens.EXPIRES_AT).asText()).isEqualTo(NOW.plusSeconds(seconds).toString());
    }

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static com.fasterxml.jackson.databind.JsonNode answer(String expiresIn) {
        return Json.read(new java.io.ByteArrayInputStream(("{\"access_token\": \"at-1\", \"refresh_token\": \"rt-1\", \"expires_in\": "
                + expiresIn + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
