package app.connectors.it.catalog;

import static app.connectors.it.catalog.CatalogStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.catalog.CatalogStack.Delivery;
import app.connectors.it.catalog.CatalogStack.User;
import app.connectors.json.Json;
import app.connectors.testing.RecordedRequest;
import app.connectors.transform.SeedScripts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed document's example transformations for the catalog's API types, verbatim (the copies in
 * shared's test resources, transform/seed), saved on a connector and run on the real delivery path:
 * the event's data is the example payload from the script's own comment, and the fake API receives
 * the payload the seed documents, at the URL it sets, with the type's credentials.
 */
class SeedTransformationsIT {

    private static CatalogStack stack;

    @BeforeAll
    static void start() {
        stack = CatalogStack.shared();
    }

    static Stream<Arguments> seedExamples() {
        return Stream.of(
                // The seed reads payload.email although its example has user.email: undefined, so left out.
                Arguments.of("hubspot", "access_token", CatalogStack.HUBSPOT, "/crm/v3/objects/contacts", """
                        {"properties":{"firstname":"John","lastname":"Doe"}}"""),
                Arguments.of("closecrm", "api_key", CatalogStack.CLOSE, "/api/v1/contact/", """
                        {"lead_id":"lead_QyNaWw4fdSwxl5Mc5daMFf3Y27PpIcH0awPbC9l7uyo","name":"John Doe",
                         "emails":["john@example.com"],"phones":["+1234567890"]}"""),
                Arguments.of("segment", "write_key", CatalogStack.SEGMENT, "/v1/track", """
                        {"userId":"user123","event":"subscription_created",
                         "properties":{"plan":"premium","price":99.99,"email":"john@example.com","name":"John Doe"}}"""),
                Arguments.of("customerio", "site_id", CatalogStack.CUSTOMERIO, "/api/v2/entity", """
                        {"type":"person","identifiers":{"id":"user123"},"action":"subscription_created",
                         "name":"subscription_created",
                         "attributes":{"plan":"premium","price":99.99,"email":"john@example.com","name":"John Doe"}}"""),
                Arguments.of("sendgrid", "api_key", CatalogStack.SENDGRID, "/v3/mail/send", """
                        {"personalizations":[{"to":[{"email":"john@example.com"}]}],
                         "from":{"email":"notifications@yourdomain.com","name":"Your App"},
                         "subject":"Welcome to Your App!",
                         "content":[{"type":"text/html","value":"<h1>Welcome John Doe!</h1>\\n                <p>Thank you for signing up to our service.</p>"}]}"""),
                Arguments.of("resend", "api_key", CatalogStack.RESEND, "/emails", """
                        {"from":"Your App <notifications@yourdomain.com>","to":["john@example.com"],
                         "subject":"Welcome to Your App!",
                         "html":"<h1>Welcome John Doe!</h1>\\n           <p>Thank you for signing up to our service.</p>"}"""),
                Arguments.of("loops", "api_key", CatalogStack.LOOPS, "/api/v1/events/send", """
                        {"email":"john@example.com","userId":"user123","eventName":"user_signup",
                         "eventProperties":{"source":"webhook"}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedExamples")
    void seedExampleRunsUnchangedThroughDelivery(String type, String credentialField, String host, String path,
                                                 String documented) {
        // GIVEN a connector of the type carrying the seed's example transformation as written
        String source = seedSource(type);
        ObjectNode config = Json.object().put(credentialField, "cred-" + type);
        if (type.equals("customerio")) {
            config.put("api_key", "cio-key");
        }
        User user = stack.newUser();
        ObjectNode body = Json.object().put("type", type).put("name", "seed " + type).put("transformation", source);
        body.set("config", config);
        body.set("events", Json.array().add(CatalogStack.EVENT_TYPE));
        String id = stack.createConnector(user, body);

        // WHEN an event whose data is the script's own example payload is delivered
        Map<String, Integer> mark = stack.mark();
        Instant before = Instant.now();
        stack.publish(user, examplePayload(source));
        Delivery delivery = stack.awaitFinishedDelivery(user, id);

        // THEN the API received the documented payload at the documented URL, authenticated
        assertThat(delivery.status()).as("delivery %s", delivery.record()).isEqualTo("succeeded");
        List<RecordedRequest> received = stack.awaitNew(mark, host, 1);
        assertThat(received).hasSize(1);
        RecordedRequest r = received.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(path);
        assertThat(r.header("authorization")).isPresent();
        ObjectNode payload = (ObjectNode) r.json();
        if (type.equals("segment")) {
            // The seed stamps new Date().toISOString(): checked as a time of this run, not a constant.
            Instant stamped = Instant.parse(payload.remove("timestamp").asText());
            assertThat(stamped).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
        }
        assertThat(payload).isEqualTo(json(documented));
    }

    private static String seedSource(String name) {
        return SeedScripts.source(name);
    }

    static JsonNode examplePayload(String source) {
        return SeedScripts.examplePayload(source);
    }
}
