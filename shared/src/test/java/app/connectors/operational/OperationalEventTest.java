package app.connectors.operational;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationalEventTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T14:03:00Z"), ZoneOffset.UTC);

    @Test
    void aDeadDeliveryCarriesItsIdsAttemptsAndReason() throws Exception {
        OperationalEvent event = OperationalEvent.deliveryDead("user-42", "c-1", "slack", "dlv_9", "evt_1", 8,
                "all 8 attempts failed; last: HTTP 500: down", CLOCK);
        JsonNode json = Json.MAPPER.readTree(event.toJson());
        assertThat(json.path("id").asText()).startsWith("opev_");
        assertThat(json.path("type").asText()).isEqualTo("delivery.dead");
        assertThat(json.path("occurredAt").asText()).isEqualTo("2026-11-20T14:03:00Z");
        assertThat(json.path("userId").asText()).isEqualTo("user-42");
        assertThat(json.path("connectorId").asText()).isEqualTo("c-1");
        assertThat(json.path("connectorType").asText()).isEqualTo("slack");
        assertThat(json.path("deliveryId").asText()).isEqualTo("dlv_9");
        assertThat(json.path("eventId").asText()).isEqualTo("evt_1");
        assertThat(json.path("attempts").asInt()).isEqualTo(8);
        assertThat(json.path("reason").asText()).isEqualTo("all 8 attempts failed; last: HTTP 500: down");
    }

    @Test
    void eachTypeHasItsName() {
        assertThat(OperationalEvent.connectorDisabled("u", "c", "slack", "gone", CLOCK).type()).isEqualTo("connector.disabled");
        assertThat(OperationalEvent.connectorReenabled("u", "c", "slack", CLOCK).type()).isEqualTo("connector.reenabled");
        OperationalEvent refresh = OperationalEvent.oauthRefreshFailed("u", "c", "hubspot", "hubspot",
                "HubSpot refused the refresh token (invalid_grant): reconnect HubSpot", CLOCK);
        assertThat(refresh.type()).isEqualTo("oauth.refresh_failed");
        assertThat(refresh.toJson()).contains("\"provider\":\"hubspot\"");
    }

    @Test
    void reasonsLoseUrlsCredentialsAndTokensWhateverADestinationEchoed() {
        // GIVEN reasons quoting what hostile or chatty destinations answered
        List<String> hostile = new ArrayList<>(List.of(
                "HTTP 400: invalid url https://hooks.slack.com/services/T0001/B0001/Xy7Qp2SecretPath",
                "HTTP 401: bad header Authorization: Bearer sk_live_51HxYzAbCdEfGhIjKlMnOp",
                "HTTP 403: api_key=SG.abcdefghijklmnop.qrstuvwxyz0123456789 refused",
                "HTTP 500: echo {\"token\":\"xoxb-1234-5678-abcdefghijkl\"}",
                "HTTP 500: basic dXNlcjpwYXNzd29yZA==",
                "HTTP 502: discord https://discord.com/api/webhooks/123456789012345678/dIsCoRdToKeN_secret?wait=true",
                "HTTP 500: key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw in body"));
        hostile.add("HTTP 500: " + "x".repeat(1000));

        // THEN none of the secrets survives, and no reason is longer than 300 characters
        for (String reason : hostile) {
            String scrubbed = ReasonScrubber.scrub(reason);
            assertThat(scrubbed).as(reason).doesNotContain("SecretPath").doesNotContain("sk_live").doesNotContain("SG.abc")
                    .doesNotContain("xoxb-1234").doesNotContain("dXNlcjpwYXNzd29yZA").doesNotContain("dIsCoRdToKeN")
                    .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
            assertThat(scrubbed.length()).isLessThanOrEqualTo(300);
        }
        // AND an ordinary reason reads as written
        String plain = "Slack answered 404 (channel_not_found): the destination is gone; update the webhook URL and re-enable the connector";
        assertThat(ReasonScrubber.scrub(plain)).isEqualTo(plain);
    }
}
