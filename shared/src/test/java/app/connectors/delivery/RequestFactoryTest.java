package app.connectors.delivery;

import app.connectors.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorService;
import app.connectors.event.Event;
import app.connectors.json.Json;
import app.connectors.net.OutboundRequest;
import app.connectors.signing.StandardWebhookSigner;
import app.connectors.transform.TransformationEngine;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestFactoryTest {

    private static final String MESSAGE_ID = "dlv_0123456789abcdef0123456789abcdef";

    @TempDir
    Path keys;

    private DeliveryFixtures fixtures;
    private final Event event = FanOutTest.event("tech-product", "Acme Mobile", null);

    @BeforeEach
    void setUp() {
        fixtures = new DeliveryFixtures(keys, new MutableClock(Instant.parse("2026-03-01T10:00:00Z")));
    }

    @Test
    void discordGetsWaitTrueOnItsRealUrl() {
        Connector discord = fixtures.discord();

        OutboundRequest request = ready(discord);

        assertThat(request.uri().toString()).isEqualTo(DeliveryFixtures.DISCORD_URL + "?wait=true");
        assertThat(Json.MAPPER.valueToTree(parse(request.body())).path("embeds").isArray()).isTrue();
    }

    @Test
    void discordUrlThatAlreadyWaitsIsNotGivenTheParameterTwice() {
        Connector discord = fixtures.create(DeliveryFixtures.webhook("discord", DeliveryFixtures.DISCORD_URL + "?wait=true"))
                .connector();

        assertThat(ready(discord).uri().getRawQuery()).isEqualTo("wait=true");
    }

    @Test
    void slackGetsNoQueryParameter() {
        assertThat(ready(fixtures.slack()).uri().toString()).isEqualTo(DeliveryFixtures.SLACK_URL);
    }

    @Test
    void genericIsSignedPerStandardWebhooksWithItsOwnSecret() {
        ConnectorService.Created created = fixtures.generic("{\"X-Team\":\"platform\"}");

        OutboundRequest request = ready(created.connector());

        assertThat(request.method()).isEqualTo(OutboundRequest.Method.PUT);
        assertThat(request.uri().toString()).isEqualTo(DeliveryFixtures.GENERIC_URL);
        assertThat(request.headers()).containsEntry("webhook-id", MESSAGE_ID).containsEntry("X-Team", "platform")
                .containsEntry("Content-Type", "application/json");
        assertThat(new StandardWebhookSigner().verify(request.headers().get("webhook-id"),
                request.headers().get("webhook-timestamp"), request.headers().get("webhook-signature"), request.body(),
                created.signingSecret())).isTrue();
        assertThat(new StandardWebhookSigner().verify(request.headers().get("webhook-id"),
                request.headers().get("webhook-timestamp"), request.headers().get("webhook-signature"), request.body(),
                new StandardWebhookSigner().newSecret())).isFalse();
        JsonNode body = parse(request.body());
        assertThat(body.path("id").asText()).isEqualTo(event.id());
        assertThat(body.path("type").asText()).isEqualTo(event.type());
    }

    @Test
    void deliveriesWithoutATransformationNeverStartTheSandbox() {
        // GIVEN a request factory over an engine of its own, and a connector without a transformation
        TransformationEngine engine = new TransformationEngine();
        RequestFactory requests = new RequestFactory(ConnectorTypeCatalog.standard(), engine, new StandardWebhookSigner(),
                Clock.systemUTC());
        Connector slack = fixtures.create("""
                {"type":"slack","name":"Plain","config":{"webhook_url":"%s"},"events":["*"]}""".formatted(DeliveryFixtures.SLACK_URL))
                .connector();

        // WHEN its deliveries are prepared
        PreparedRequest prepared = requests.prepare(slack, fixtures.connectors.secretsOf(slack), event, MESSAGE_ID);

        // THEN they are ready and the engine was never built: no cold start for them
        assertThat(prepared).isInstanceOf(PreparedRequest.Ready.class);
        assertThat(engine.started()).isFalse();
    }

    @Test
    void transformationHeadersKeepTheServiceHeadersAndTheSignatureIntact() {
        ConnectorService.Created created = fixtures.create("""
                {"type":"generic","name":"Hook","config":{"url":"%s","method":"POST","headers":{"X-Team":"platform"}},
                 "events":["*"],"transformation":%s}""".formatted(DeliveryFixtures.GENERIC_URL, Json.write(
                Json.MAPPER.getNodeFactory().textNode("""
                        function handler(webhook) {
                          webhook.headers['X-Extra'] = 'yes';
                          return webhook;
                        }"""))));

        OutboundRequest request = ready(created.connector());

        assertThat(request.headers()).containsEntry("X-Team", "platform").containsEntry("X-Extra", "yes")
                .containsEntry("Content-Type", "application/json").containsEntry("webhook-id", MESSAGE_ID);
        assertThat(new StandardWebhookSigner().verify(MESSAGE_ID, request.headers().get("webhook-timestamp"),
                request.headers().get("webhook-signature"), request.body(), created.signingSecret())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cookie", "X-Forwarded-For", "Forwarded", "Expect", "Content-Encoding", "Authorization",
            "webhook-signature", "Webhook-Id", "Content-Type", "Host", "Transfer-Encoding", "Proxy-Authorization",
            "Sec-Fetch-Site", "X-Real-IP", "Bad Name"})
    void transformationHeadersAreHeldToTheRulesOfConfigHeaders(String header) {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { webhook.headers['" + header + "'] = 'x'; return webhook; }");

        // Refused once, with the header named, instead of silently dropped or sent.
        assertThat(prepare(slack)).isInstanceOfSatisfying(PreparedRequest.Failed.class,
                failed -> assertThat(failed.reason()).contains("webhook.headers").contains(header));
    }

    @Test
    void transformationHeaderValuesAndCountAreBounded() {
        Connector longValue = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { webhook.headers['X-Long'] = 'x'.repeat(1025); return webhook; }");
        Connector many = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { for (let i = 0; i < 21; i++) webhook.headers['X-H' + i] = 'v'; return webhook; }");

        assertThat(prepare(longValue)).isInstanceOfSatisfying(PreparedRequest.Failed.class,
                failed -> assertThat(failed.reason()).contains("at most 1024 characters"));
        assertThat(prepare(many)).isInstanceOfSatisfying(PreparedRequest.Failed.class,
                failed -> assertThat(failed.reason()).contains("at most 20"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:secret@example.com/in", "https://user@example.com/in", "ftp://example.com/in",
            "/relative/path"})
    void transformationUrlThatCannotBeSentIsRefusedOnceWithAReason(String url) {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { webhook.url = '" + url + "'; return webhook; }");

        assertThat(prepare(slack)).isInstanceOfSatisfying(PreparedRequest.Failed.class, failed -> assertThat(failed.reason())
                .contains("webhook.url").doesNotContain("Exception"));
    }

    @Test
    void transformationSeesTheSecretUrlMaskedAndTheRealOneIsSentWhenUnchanged() {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { console.log(webhook.url); webhook.payload.text = 'changed'; return webhook; }");

        PreparedRequest.Ready ready = (PreparedRequest.Ready) prepare(slack);

        assertThat(ready.console()).singleElement().satisfies(line -> {
            assertThat(line).startsWith("https://hooks.slack.com/");
            assertThat(line).doesNotContain("Zq8RkV2mWx7pLs4N").doesNotContain("T0000000");
        });
        assertThat(ready.request().uri().toString()).isEqualTo(DeliveryFixtures.SLACK_URL);
        assertThat(parse(ready.request().body()).path("text").asText()).isEqualTo("changed");
    }

    @Test
    void transformationThatChangesTheUrlSendsThere() {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { webhook.url = 'https://hooks.slack.com/services/T1/B1/other'; return webhook; }");

        assertThat(((PreparedRequest.Ready) prepare(slack)).request().uri().toString())
                .isEqualTo("https://hooks.slack.com/services/T1/B1/other");
    }

    @Test
    void transformationAppendingAQueryToTheMaskedUrlSendsToTheRealUrlWithIt() {
        // GIVEN a Discord transformation that posts into a thread by appending to the URL it sees (masked)
        Connector discord = fixtures.withTransformation("discord", DeliveryFixtures.DISCORD_URL,
                "function handler(webhook) { webhook.url = webhook.url + '?thread_id=42'; return webhook; }");

        // WHEN the request is prepared
        String sent = ((PreparedRequest.Ready) prepare(discord)).request().uri().toString();

        // THEN it goes to the real webhook with the query (and Discord's wait=true), never to the mask
        assertThat(sent).startsWith(DeliveryFixtures.DISCORD_URL + "?thread_id=42").contains("wait=true");
    }

    @Test
    void transformationKeepingPartOfTheMaskFailsInsteadOfSendingToIt() {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { webhook.url = webhook.url.replace('hooks.slack.com', 'hooks.slack.com:443'); return webhook; }");

        assertThat(prepare(slack)).isInstanceOfSatisfying(PreparedRequest.Failed.class,
                failed -> assertThat(failed.reason()).contains("masked part"));
    }

    @Test
    void secretHeaderValuesAreMaskedInTheSandboxAndRealOnTheWire() {
        // GIVEN a generic connector with a secret header, and a transformation that prints the headers
        ConnectorService.Created created = fixtures.create("""
                {"type":"generic","name":"Hook","config":{"url":"%s","method":"POST","headers":{"X-Api-Key":"key-0123456789abcdef"}},
                 "events":["*"],"transformation":%s}""".formatted(DeliveryFixtures.GENERIC_URL, Json.write(
                Json.MAPPER.getNodeFactory().textNode(
                        "function handler(webhook) { console.log(JSON.stringify(webhook.headers)); return webhook; }"))));

        // WHEN the request is prepared
        PreparedRequest.Ready ready = (PreparedRequest.Ready) prepare(created.connector());

        // THEN the console never saw the key, and the destination gets it
        assertThat(String.join("\n", ready.console())).doesNotContain("0123456789abcdef").contains("X-Api-Key");
        assertThat(ready.request().headers()).containsEntry("X-Api-Key", "key-0123456789abcdef");
    }

    @Test
    void secretHeadersAreNotSentToAnotherOrigin() {
        ConnectorService.Created created = fixtures.create("""
                {"type":"generic","name":"Hook","config":{"url":"%s","method":"POST","headers":{"X-Api-Key":"key-0123456789abcdef"}},
                 "events":["*"],"transformation":%s}""".formatted(DeliveryFixtures.GENERIC_URL, Json.write(
                Json.MAPPER.getNodeFactory().textNode(
                        "function handler(webhook) { webhook.url = 'https://elsewhere.example.net/in'; return webhook; }"))));

        assertThat(prepare(created.connector())).isInstanceOfSatisfying(PreparedRequest.Failed.class,
                failed -> assertThat(failed.reason()).contains("secret headers"));
    }

    @Test
    void transformationPayloadThatIsNotAnObjectFails() {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { webhook.payload = 'text'; return webhook; }");

        assertThat(prepare(slack)).isInstanceOfSatisfying(PreparedRequest.Failed.class,
                failed -> assertThat(failed.reason()).contains("must be a JSON object or array"));
    }

    @Test
    void transformationCancelIsCancelled() {
        Connector slack = fixtures.withTransformation("slack", DeliveryFixtures.SLACK_URL,
                "function handler(webhook) { webhook.cancel = true; }");

        assertThat(prepare(slack)).isInstanceOf(PreparedRequest.Cancelled.class);
    }

    private PreparedRequest prepare(Connector connector) {
        return fixtures.requests.prepare(connector, fixtures.connectors.secretsOf(connector), event, MESSAGE_ID);
    }

    private OutboundRequest ready(Connector connector) {
        PreparedRequest prepared = prepare(connector);
        assertThat(prepared).isInstanceOf(PreparedRequest.Ready.class);
        return ((PreparedRequest.Ready) prepared).request();
    }

    private static JsonNode parse(byte[] body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
