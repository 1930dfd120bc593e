package app.connectors.transform;

import static app.connectors.transform.SeedScripts.examplePayload;
import static app.connectors.transform.SeedScripts.json;
import static app.connectors.transform.SeedScripts.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example transformation of the connectors seed, copied verbatim into
 * src/test/resources/transform/seed, run unchanged on the payload written in its own comment.
 */
class TransformSeedVectorsTest {

    private static final String ORIGINAL_URL = "https://destination.example.com/hook";
    private static final TransformationEngine ENGINE = new TransformationEngine();

    static Stream<Arguments> seedExamples() {
        return Stream.of(
                Arguments.of("slack", null, """
                        {"text":"💰 New invoice for $99.99 from John Doe"}"""),
                Arguments.of("discord", null, """
                        {"embeds":[{"title":"❌ Subscription Cancelled",
                          "description":"User john@example.com cancelled their subscription","color":16711680}]}"""),
                Arguments.of("teams", null, """
                        {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
                          "content":{"type":"AdaptiveCard","body":[
                            {"type":"TextBlock","text":"🆘 New Support Ticket","weight":"Bolder"},
                            {"type":"TextBlock","text":"Ticket #TICKET-123 from John Doe"}]}}]}"""),
                // The seed reads webhook.payload.email, which its own example payload does not have
                // (the email is under user): the property is undefined and, as in JSON.stringify,
                // left out of the output. Asserted as the seed behaves, not as it meant.
                Arguments.of("hubspot", "https://api.hubapi.com/crm/v3/objects/contacts", """
                        {"properties":{"firstname":"John","lastname":"Doe"}}"""),
                Arguments.of("closecrm", "https://api.close.com/api/v1/contact/", """
                        {"lead_id":"lead_QyNaWw4fdSwxl5Mc5daMFf3Y27PpIcH0awPbC9l7uyo","name":"John Doe",
                         "emails":["john@example.com"],"phones":["+1234567890"]}"""),
                Arguments.of("customerio", "https://track.customer.io/api/v2/entity", """
                        {"type":"person","identifiers":{"id":"user123"},"action":"subscription_created",
                         "name":"subscription_created",
                         "attributes":{"plan":"premium","price":99.99,"email":"john@example.com","name":"John Doe"}}"""),
                Arguments.of("sendgrid", null, """
                        {"personalizations":[{"to":[{"email":"john@example.com"}]}],
                         "from":{"email":"notifications@yourdomain.com","name":"Your App"},
                         "subject":"Welcome to Your App!",
                         "content":[{"type":"text/html","value":"<h1>Welcome John Doe!</h1>\\n                <p>Thank you for signing up to our service.</p>"}]}"""),
                Arguments.of("resend", null, """
                        {"from":"Your App <notifications@yourdomain.com>","to":["john@example.com"],
                         "subject":"Welcome to Your App!",
                         "html":"<h1>Welcome John Doe!</h1>\\n           <p>Thank you for signing up to our service.</p>"}"""),
                Arguments.of("loops", null, """
                        {"email":"john@example.com","userId":"user123","eventName":"user_signup",
                         "eventProperties":{"source":"webhook"}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedExamples")
    void seedExampleProducesTheDocumentedPayload(String name, String expectedUrl, String expectedPayload) {
        // GIVEN the seed's example transformation and the example payload from its comment
        String code = source(name);
        Webhook input = Webhook.post(ORIGINAL_URL, "example.event", examplePayload(code));

        // WHEN it runs unchanged
        TransformOutcome outcome = ENGINE.run(code, input);

        // THEN it produces the payload (and destination) the seed documents
        assertThat(outcome).isInstanceOf(TransformOutcome.Success.class);
        Webhook out = ((TransformOutcome.Success) outcome).webhook();
        assertThat(out.payload()).isEqualTo(json(expectedPayload));
        assertThat(out.url()).isEqualTo(expectedUrl == null ? ORIGINAL_URL : expectedUrl);
        assertThat(out.method()).isEqualTo("POST");
        assertThat(out.cancel()).isFalse();
        assertThat(ENGINE.check(code)).isEmpty();
    }

    @Test
    void hubspotExampleLeavesOutTheEmailItReadsFromTheWrongPlace() {
        // GIVEN the HubSpot example, whose payload has user.email but which reads payload.email
        String code = source("hubspot");

        // WHEN it runs on its own example payload
        Webhook out = success(ENGINE.run(code, Webhook.post(ORIGINAL_URL, "user.created", examplePayload(code))));

        // THEN properties.email is absent (undefined is left out, as JSON.stringify does), not null
        assertThat(out.payload().path("properties").has("email")).isFalse();
    }

    @Test
    void segmentExampleSpreadsPropertiesAndStampsTheCurrentTime() {
        // GIVEN the Segment example, which uses object spread and new Date().toISOString()
        String code = source("segment");
        Instant before = Instant.now();

        // WHEN it runs on its example payload
        Webhook out = success(ENGINE.run(code, Webhook.post(ORIGINAL_URL, "subscription.created", examplePayload(code))));

        // THEN the payload is the documented one with an ISO-8601 UTC timestamp of now
        assertThat(out.url()).isEqualTo("https://api.segment.io/v1/track");
        JsonNode payload = out.payload();
        assertThat(payload.path("userId").asText()).isEqualTo("user123");
        assertThat(payload.path("event").asText()).isEqualTo("subscription_created");
        assertThat(payload.path("properties")).isEqualTo(json("""
                {"plan":"premium","price":99.99,"email":"john@example.com","name":"John Doe"}"""));
        String timestamp = payload.path("timestamp").asText();
        assertThat(timestamp).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(Instant.parse(timestamp)).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(payload.size()).isEqualTo(4);
    }

    @Test
    void invoiceSwitchExampleWritesTheCreatedMessage() {
        // GIVEN the seed's eventType switch and an invoice.created event
        Webhook in = Webhook.post(ORIGINAL_URL, "invoice.created", json("""
                {"name":"Acme Corp","amount":125.5}"""));

        // WHEN it runs
        Webhook out = success(ENGINE.run(source("invoice-switch"), in));

        // THEN the created branch wrote the text
        assertThat(out.payload()).isEqualTo(json("""
                {"text":"Acme Corp created an invoice for $125.5"}"""));
    }

    @Test
    void invoiceSwitchExampleWritesTheDeletedMessage() {
        // GIVEN the seed's eventType switch and an invoice.deleted event
        Webhook in = Webhook.post(ORIGINAL_URL, "invoice.deleted", json("""
                {"name":"Acme Corp","amount":125.5}"""));

        // WHEN it runs
        Webhook out = success(ENGINE.run(source("invoice-switch"), in));

        // THEN the deleted branch wrote the text
        assertThat(out.payload()).isEqualTo(json("""
                {"text":"Acme Corp deleted an invoice"}"""));
    }

    @Test
    void invoiceSwitchExampleLeavesOtherEventsAsTheyAre() {
        // GIVEN the seed's eventType switch and an event type it does not handle
        JsonNode payload = json("""
                {"name":"Acme Corp","amount":125.5}""");

        // WHEN it runs
        Webhook out = success(ENGINE.run(source("invoice-switch"), Webhook.post(ORIGINAL_URL, "invoice.paid", payload)));

        // THEN the payload goes out unchanged
        assertThat(out.payload()).isEqualTo(payload);
    }

    @Test
    void oneLinerFromTheSeedFormatsTheAmount() {
        // GIVEN the seed's one-line Slack transformation wrapped in a handler
        Webhook in = Webhook.post(ORIGINAL_URL, "invoice.created", json("""
                {"amount":42}"""));

        // WHEN it runs
        Webhook out = success(ENGINE.run(source("slack-one-liner"), in));

        // THEN the integer amount prints as JavaScript prints it
        assertThat(out.payload()).isEqualTo(json("""
                {"text":"An invoice of $42 has been created."}"""));
    }

    static Webhook success(TransformOutcome outcome) {
        assertThat(outcome).as("outcome %s", outcome).isInstanceOf(TransformOutcome.Success.class);
        return ((TransformOutcome.Success) outcome).webhook();
    }
}
