package app.connectors.testing;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.net.DefaultSsrfGuard;
import app.connectors.net.GuardedHttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import app.connectors.net.SenderConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The platform fakes are what the local module's end-to-end tests trust, so they get tests of
 * their own: each answers like its platform, and fails like it when a limit is broken. Requests
 * go through the real sender, which also shows the fakes speak HTTP the way a client expects.
 */
class SsrfFakePlatformTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static SendResult.Response post(FakeResponder platform, String path, String json, Map<String, String> headers) {
        try (FakeDestination fake = FakeDestination.start(platform);
             GuardedHttpSender sender = new GuardedHttpSender(new DefaultSsrfGuard(new StubResolver(), Set.of(fake.allowedTarget())),
                     SenderConfig.production().withPlainHttpAllowed()
                             .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)))) {
            SendResult result = sender.send(new OutboundRequest(OutboundRequest.Method.POST, fake.uri(path), headers,
                    json.getBytes(StandardCharsets.UTF_8)));
            assertThat(result).isInstanceOf(SendResult.Response.class);
            return (SendResult.Response) result;
        }
    }

    private static SendResult.Response post(FakeResponder platform, String path, String json) {
        return post(platform, path, json, Map.of("Content-Type", "application/json"));
    }

    private static String quoted(int length) {
        return "\"" + "x".repeat(length) + "\"";
    }

    @Test
    void slackAcceptsAValidMessageWithOk() {
        String message = "{\"text\":\"fallback\",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":"
                + quoted(150) + "}},{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":" + quoted(3000)
                + "},\"accessory\":{\"type\":\"button\",\"text\":{\"type\":\"plain_text\",\"text\":" + quoted(75)
                + "},\"url\":\"https://example.com\"}}]}";

        SendResult.Response response = post(FakePlatform.slack(), "/services/T0/B0/x", message);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyExcerpt()).isEqualTo("ok");
    }

    @Test
    void slackRejectsAHeaderLongerThan150WithInvalidPayload() {
        String message = "{\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":" + quoted(151) + "}}]}";

        SendResult.Response response = post(FakePlatform.slack(), "/services/T0/B0/x", message);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyExcerpt()).isEqualTo("invalid_payload");
    }

    @Test
    void slackRejectsMoreThan50BlocksAndOversizedParts() {
        String divider = "{\"type\":\"divider\"},";
        String blocks51 = "{\"blocks\":[" + divider.repeat(50) + "{\"type\":\"divider\"}]}";
        assertThat(FakePlatform.slackBlocksProblem(Json(blocks51).path("blocks"))).hasValue("more than 50 blocks");

        String fields11 = "{\"blocks\":[{\"type\":\"section\",\"fields\":[" + "{\"type\":\"mrkdwn\",\"text\":\"a\"},".repeat(10)
                + "{\"type\":\"mrkdwn\",\"text\":\"a\"}]}]}";
        assertThat(FakePlatform.slackBlocksProblem(Json(fields11).path("blocks"))).isPresent();
        String longField = "{\"blocks\":[{\"type\":\"section\",\"fields\":[{\"type\":\"mrkdwn\",\"text\":" + quoted(2001) + "}]}]}";
        assertThat(FakePlatform.slackBlocksProblem(Json(longField).path("blocks"))).isPresent();
        String context11 = "{\"blocks\":[{\"type\":\"context\",\"elements\":[" + "{\"type\":\"mrkdwn\",\"text\":\"a\"},".repeat(10)
                + "{\"type\":\"mrkdwn\",\"text\":\"a\"}]}]}";
        assertThat(FakePlatform.slackBlocksProblem(Json(context11).path("blocks"))).isPresent();
        String section3001 = "{\"blocks\":[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":" + quoted(3001) + "}}]}";
        assertThat(FakePlatform.slackBlocksProblem(Json(section3001).path("blocks"))).isPresent();
        String longUrl = "{\"blocks\":[{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"text\":{\"type\":\"plain_text\",\"text\":\"Open\"},\"url\":"
                + quoted(3001) + "}]}]}";
        assertThat(FakePlatform.slackBlocksProblem(Json(longUrl).path("blocks"))).isPresent();
        String longButton = "{\"blocks\":[{\"type\":\"actions\",\"elements\":[{\"type\":\"button\",\"text\":{\"type\":\"plain_text\",\"text\":"
                + quoted(76) + "}}]}]}";
        assertThat(FakePlatform.slackBlocksProblem(Json(longButton).path("blocks"))).isPresent();
    }

    @Test
    void discordAnswers204OrTheMessageWithWaitTrue() {
        String message = "{\"embeds\":[{\"title\":" + quoted(256) + ",\"description\":\"d\",\"color\":3066993}]}";

        assertThat(post(FakePlatform.discord(), "/api/webhooks/1/token", message).status()).isEqualTo(204);
        SendResult.Response waited = post(FakePlatform.discord(), "/api/webhooks/1/token?wait=true", message);
        assertThat(waited.status()).isEqualTo(200);
        assertThat(Json(waited.bodyExcerpt()).path("id").asText()).isNotEmpty();
    }

    @Test
    void discordRejectsBrokenLimitsWithInvalidFormBody() {
        SendResult.Response response = post(FakePlatform.discord(), "/api/webhooks/1/token",
                "{\"embeds\":[{\"title\":" + quoted(257) + "}]}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(Json(response.bodyExcerpt()).path("code").asInt()).isEqualTo(50035);
        assertThat(FakePlatform.discordProblem(Json("{\"content\":" + quoted(2001) + "}"))).isPresent();
        assertThat(FakePlatform.discordProblem(Json("{\"embeds\":[" + "{},".repeat(10) + "{}]}"))).isPresent();
        assertThat(FakePlatform.discordProblem(Json("{\"embeds\":[{\"description\":" + quoted(4097) + "}]}"))).isPresent();
        assertThat(FakePlatform.discordProblem(Json("{\"embeds\":[{\"footer\":{\"text\":" + quoted(2049) + "}}]}"))).isPresent();
        assertThat(FakePlatform.discordProblem(Json("{\"embeds\":[{\"fields\":[{\"name\":" + quoted(257) + ",\"value\":\"v\"}]}]}"))).isPresent();
        assertThat(FakePlatform.discordProblem(Json("{\"embeds\":[{\"fields\":[{\"name\":\"n\",\"value\":" + quoted(1025) + "}]}]}"))).isPresent();
        assertThat(FakePlatform.discordProblem(Json("{\"embeds\":[{\"fields\":[" + "{\"name\":\"n\",\"value\":\"v\"},".repeat(25)
                + "{\"name\":\"n\",\"value\":\"v\"}]}]}"))).isPresent();
        // two embeds within their own limits but 4000 + 4000 > 6000 together
        assertThat(FakePlatform.discordProblem(Json("{\"embeds\":[{\"description\":" + quoted(4000) + "},{\"description\":"
                + quoted(4000) + "}]}"))).hasValueSatisfying(p -> assertThat(p).contains("6000"));
        assertThat(FakePlatform.discordProblem(Json("{\"embeds\":[{\"description\":" + quoted(4000) + "},{\"description\":"
                + quoted(2000) + "}]}"))).isEmpty();
    }

    @Test
    void teamsAccepts202ForAnAdaptiveCardMessageOnly() {
        String card = "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"application/vnd.microsoft.card.adaptive\","
                + "\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.4\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"hi\"}]}}]}";

        assertThat(post(FakePlatform.teams(), "/workflows/x", card).status()).isEqualTo(202);
        assertThat(post(FakePlatform.teams(), "/workflows/x", "{\"text\":\"legacy connector card\"}").status()).isEqualTo(400);
        String huge = card.replace("\"hi\"", quoted(FakePlatform.TEAMS_MAX_BYTES));
        assertThat(post(FakePlatform.teams(), "/workflows/x", huge).status()).isEqualTo(400);
    }

    @Test
    void zapierAcceptsFlatJsonAndRejectsNestedObjects() {
        SendResult.Response flat = post(FakePlatform.zapier(), "/hooks/catch/1/abc/",
                "{\"promise.title\":\"t\",\"promise.status\":\"kept\",\"tags\":[\"a\",\"b\"]}");
        assertThat(flat.status()).isEqualTo(200);
        assertThat(Json(flat.bodyExcerpt()).path("status").asText()).isEqualTo("success");

        assertThat(post(FakePlatform.zapier(), "/hooks/catch/1/abc/", "{\"promise\":{\"title\":\"t\"}}").status()).isEqualTo(400);
        assertThat(post(FakePlatform.zapier(), "/hooks/catch/1/abc/", "{\"items\":[{\"a\":1}]}").status()).isEqualTo(400);
    }

    @Test
    void standardWebhooksEndpointChecksTheSignature() {
        String body = "{\"type\":\"promise.status_changed\"}";
        String signature = FakePlatform.standardWebhooksSignature(SECRET, "msg_1", "1760000000",
                body.getBytes(StandardCharsets.UTF_8));
        Map<String, String> good = Map.of("Content-Type", "application/json", "webhook-id", "msg_1",
                "webhook-timestamp", "1760000000", "webhook-signature", "v1,bm90LWl0 " + signature);
        Map<String, String> tampered = Map.of("Content-Type", "application/json", "webhook-id", "msg_2",
                "webhook-timestamp", "1760000000", "webhook-signature", signature);

        assertThat(post(FakePlatform.standardWebhooks(SECRET), "/hook", body, good).status()).isEqualTo(200);
        assertThat(post(FakePlatform.standardWebhooks(SECRET), "/hook", body, tampered).status()).isEqualTo(401);
        assertThat(post(FakePlatform.standardWebhooks(SECRET), "/hook", body).status()).isEqualTo(401);
    }

    @Test
    void awaitFailsWhenTooFewRequestsArrive() {
        try (FakeDestination fake = FakeDestination.start()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> fake.awaitRequests(1, Duration.ofMillis(50)))
                    .isInstanceOf(AssertionError.class).hasMessageContaining("expected 1 request(s)");
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode Json(String text) {
        try {
            return app.connectors.json.Json.parse(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
