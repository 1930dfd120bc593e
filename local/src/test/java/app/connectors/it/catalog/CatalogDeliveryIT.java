package app.connectors.it.catalog;

import static app.connectors.it.catalog.CatalogStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.it.catalog.CatalogStack.Delivery;
import app.connectors.it.catalog.CatalogStack.User;
import app.connectors.json.Json;
import app.connectors.testing.RecordedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every catalog type, created with its default transformation (where it has one), receives the
 * catalog's example event through the real pipeline (EventsQueue, dispatcher, deliveries queue,
 * deliver function) at a local fake of its API, with the type's authentication and the body its
 * default transformation writes; the credentials never show in the delivery log, the API's
 * answers, or the transformation's console.
 */
class CatalogDeliveryIT {

    private static CatalogStack stack;
    private static JsonNode exampleData;

    @BeforeAll
    static void start() {
        stack = CatalogStack.shared();
        exampleData = stack.exampleEvent().path("data");
    }

    /** What one delivery of the example event produced. */
    private record Delivered(String connectorId, String eventId, RecordedRequest request, Delivery delivery, String answers) {
    }

    /**
     * GIVEN a new user with one connector of {@code type}, WHEN the example event is published for
     * that user, THEN exactly one request reaches {@code host}'s fake and nothing else is reached.
     * The API answers about the connector (create, read) are collected for leak checks.
     */
    private static Delivered deliver(String type, ObjectNode config, String host) {
        User user = stack.newUser();
        ObjectNode body = Json.object().put("type", type).put("name", type + " catalog test");
        body.set("config", config);
        body.set("events", Json.array().add(CatalogStack.EVENT_TYPE));
        CatalogStack.Response created = stack.create(user, body);
        assertThat(created.status()).as("create answered %s", created.text()).isEqualTo(201);
        String connectorId = CatalogStack.idOf(created);
        String read = stack.call(user, "GET", "/api/v1/connectors/" + connectorId, null).text();

        Map<String, Integer> mark = stack.mark();
        String eventId = stack.publish(user, null);
        Delivery delivery = stack.awaitFinishedDelivery(user, connectorId);
        List<RecordedRequest> received = stack.awaitNew(mark, host, 1);

        assertThat(delivery.status()).as("delivery %s", delivery.record()).isEqualTo("succeeded");
        assertThat(received).hasSize(1);
        assertThat(stack.hostsReachedSince(mark)).containsExactly(host);
        return new Delivered(connectorId, eventId, received.get(0), delivery, created.text() + "\n" + read);
    }

    /** The secrets appear nowhere the user or a log reader can see. */
    private static void assertNotLeaked(Delivered delivered, String... secrets) {
        for (String secret : secrets) {
            assertThat(delivered.delivery().logText()).as("delivery log").doesNotContain(secret);
            assertThat(delivered.answers()).as("connector answers").doesNotContain(secret);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The Authorization header with a Basic credential decoded, or empty. */
    private static String readableAuthorization(RecordedRequest r) {
        String value = r.header("authorization").orElse("");
        return value.startsWith("Basic ")
                ? new String(Base64.getDecoder().decode(value.substring(6)), StandardCharsets.UTF_8) : value;
    }

    private static String secret(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    private static void assertRecentIsoTimestamp(JsonNode value) {
        assertThat(value.asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
        assertThat(Instant.parse(value.asText())).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    }

    @Test
    void hubspotCreatesANoteWithTheBearerAccessToken() {
        String access = secret("hs-access-");
        String refresh = secret("hs-refresh-");
        Delivered d = deliver("hubspot", Json.object().put("access_token", access).put("refresh_token", refresh),
                CatalogStack.HUBSPOT);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/crm/v3/objects/notes");
        assertThat(r.header("authorization")).hasValue("Bearer " + access);
        assertThat(r.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode properties = r.json().path("properties");
        assertThat(properties.path("hs_note_body").asText()).isEqualTo("promise.status_changed: promise 4821 is now kept"
                + " (Offline mode reached all iOS and Android users in release 7.2.)");
        assertRecentIsoTimestamp(properties.path("hs_timestamp"));
        assertThat(r.json().size()).isEqualTo(1);
        assertThat(properties.size()).isEqualTo(2);
        assertThat(r.bodyText()).doesNotContain(refresh);
        assertNotLeaked(d, access, refresh);
    }

    @Test
    void closeCrmCreatesALeadWithTheApiKeyAsBasicUser() {
        String key = secret("api_");
        Delivered d = deliver("closecrm", Json.object().put("api_key", key), CatalogStack.CLOSE);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/api/v1/lead/");
        assertThat(r.header("authorization")).hasValue(basic(key, ""));
        assertThat(r.json()).isEqualTo(json("""
                {"name":"Acme Mobile","description":"promise.status_changed: promise 4821 is now kept"}"""));
        assertNotLeaked(d, key);
    }

    @Test
    void segmentTracksTheEventWithTheWriteKeyAsBasicUser() {
        String writeKey = secret("wk_");
        Delivered d = deliver("segment", Json.object().put("write_key", writeKey), CatalogStack.SEGMENT);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/track");
        assertThat(r.header("authorization")).hasValue(basic(writeKey, ""));
        ObjectNode body = (ObjectNode) r.json();
        assertRecentIsoTimestamp(body.remove("timestamp"));
        ObjectNode expected = json("""
                {"anonymousId":"promise-4821","event":"promise.status_changed"}""");
        expected.set("properties", exampleData);
        assertThat(body).isEqualTo(expected);
        assertNotLeaked(d, writeKey);
    }

    @Test
    void customerIoTracksAnAnonymousEventWithSiteIdAndApiKeyAsBasic() {
        String siteId = secret("site");
        String apiKey = secret("cio");
        Delivered d = deliver("customerio", Json.object().put("site_id", siteId).put("api_key", apiKey),
                CatalogStack.CUSTOMERIO);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/api/v1/events");
        assertThat(r.header("authorization")).hasValue(basic(siteId, apiKey));
        ObjectNode expected = json("""
                {"name":"promise.status_changed","anonymous_id":"promise-4821"}""");
        expected.set("data", exampleData);
        assertThat(r.json()).isEqualTo(expected);
        assertNotLeaked(d, siteId, apiKey);
    }

    @Test
    void sendGridSendsAMailWithTheBearerApiKey() {
        String key = secret("SG.");
        Delivered d = deliver("sendgrid", Json.object().put("api_key", key), CatalogStack.SENDGRID);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v3/mail/send");
        assertThat(r.header("authorization")).hasValue("Bearer " + key);
        ObjectNode body = (ObjectNode) r.json();
        String text = body.path("content").path(0).path("value").asText();
        assertThat(json(text)).isEqualTo(exampleData);
        assertThat(text).startsWith("{\n  \"promiseId\": \"4821\",\n  \"previousStatus\"");
        assertThat(body).isEqualTo(json("""
                {"personalizations":[{"to":[{"email":"alerts@yourdomain.com"}]}],
                 "from":{"email":"notifications@yourdomain.com","name":"Promise tracker"},
                 "subject":"promise.status_changed: promise 4821",
                 "content":[{"type":"text/plain","value":%s}]}""".formatted(Json.write(text))));
        assertNotLeaked(d, key);
    }

    @Test
    void resendSendsAnEmailWithTheBearerApiKey() {
        String key = secret("re_");
        Delivered d = deliver("resend", Json.object().put("api_key", key), CatalogStack.RESEND);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/emails");
        assertThat(r.header("authorization")).hasValue("Bearer " + key);
        ObjectNode body = (ObjectNode) r.json();
        assertThat(json(body.remove("text").asText())).isEqualTo(exampleData);
        assertThat(body).isEqualTo(json("""
                {"from":"Promise tracker <notifications@yourdomain.com>","to":["alerts@yourdomain.com"],
                 "subject":"promise.status_changed: promise 4821"}"""));
        assertNotLeaked(d, key);
    }

    @Test
    void loopsSendsAnEventWithTheBearerApiKey() {
        String key = secret("loops");
        Delivered d = deliver("loops", Json.object().put("api_key", key), CatalogStack.LOOPS);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/api/v1/events/send");
        assertThat(r.header("authorization")).hasValue("Bearer " + key);
        assertThat(r.json()).isEqualTo(json("""
                {"email":"alerts@yourdomain.com","eventName":"promise_status_changed",
                 "eventProperties":{"promiseId":"4821","status":"kept"}}"""));
        assertNotLeaked(d, key);
    }

    @Test
    void inngestSendsTheEventWithTheEventKeyInThePath() {
        String key = secret("ik");
        Delivered d = deliver("inngest", Json.object().put("event_key", key), CatalogStack.INNGEST);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/e/" + key);
        assertThat(r.header("authorization")).isEmpty();
        JsonNode body = r.json();
        assertThat(body.path("name").asText()).isEqualTo("promise.status_changed");
        assertThat(body.path("id").asText()).isEqualTo(d.eventId());
        assertThat(body.path("ts").asLong()).isEqualTo(Instant.parse("2026-11-20T14:03:00Z").toEpochMilli());
        assertThat(body.path("data").path("id").asText()).isEqualTo(d.eventId());
        assertThat(body.path("data").path("data")).isEqualTo(exampleData);
        assertThat(body.size()).isEqualTo(4);
        assertNotLeaked(d, key);
    }

    @Test
    void windmillReceivesTheEnvelopeWithItsTokenOnlyInTheUrl() {
        String token = secret("wm_");
        String url = stack.base(CatalogStack.WINDMILL) + "/api/w/acme/jobs/run/p/f/alerts/on_promise?token=" + token;
        Delivered d = deliver("windmill", Json.object().put("webhook_url", url), CatalogStack.WINDMILL);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/api/w/acme/jobs/run/p/f/alerts/on_promise");
        assertThat(r.queryParameter("token")).hasValue(token);
        assertThat(r.header("authorization")).isEmpty();
        assertThat(r.headers().keySet()).noneMatch(name -> name.startsWith("webhook-"));
        assertThat(r.json().path("id").asText()).isEqualTo(d.eventId());
        assertThat(r.json().path("type").asText()).isEqualTo("promise.status_changed");
        assertThat(r.json().path("data")).isEqualTo(exampleData);
        assertNotLeaked(d, token);
    }

    @Test
    void zapierReceivesFlattenedJsonWithoutCredentialHeaders() {
        String hook = "hk" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = stack.base(CatalogStack.ZAPIER) + "/hooks/catch/1234567/" + hook + "/";
        Delivered d = deliver("zapier", Json.object().put("webhook_url", url), CatalogStack.ZAPIER);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/hooks/catch/1234567/" + hook + "/");
        assertThat(r.header("authorization")).isEmpty();
        JsonNode body = r.json();
        assertThat(body.path("event.id").asText()).isEqualTo(d.eventId());
        assertThat(body.path("data.promiseId").asText()).isEqualTo("4821");
        assertThat(body.path("data.previousStatus").asText()).isEqualTo("in_progress");
        body.fields().forEachRemaining(e -> assertThat(e.getValue().isContainerNode()).as(e.getKey()).isFalse());
        assertNotLeaked(d, hook);
    }

    static Stream<Arguments> customAuth() {
        String user = secret("acme-user-");
        String password = secret("pw-");
        String token = secret("tok_");
        return Stream.of(
                Arguments.of("NONE", Json.object(), null),
                Arguments.of("BASIC", Json.object().put("username", user).put("password", password), basic(user, password)),
                Arguments.of("BEARER", Json.object().put("token", token), "Bearer " + token));
    }

    @ParameterizedTest(name = "auth_type {0}")
    @MethodSource("customAuth")
    void customCallsItsConfiguredUrlAndMethodWithTheChosenAuthentication(String authType, ObjectNode credentials,
                                                                         String expectedAuthorization) {
        String path = "/v1/tickets/" + authType.toLowerCase();
        ObjectNode config = Json.object()
                .put("integration_name", "Acme Ticketing")
                .put("icon_url", "https://cdn.acme.example/icon.png")
                .put("instructions", "Create an API key in Acme and paste it below.")
                .put("url", stack.base(CatalogStack.CUSTOM) + path + "?source=connectors")
                .put("method", "PUT")
                .put("auth_type", authType);
        config.setAll(credentials);
        Delivered d = deliver("custom", config, CatalogStack.CUSTOM);

        RecordedRequest r = d.request();
        assertThat(r.method()).isEqualTo("PUT");
        assertThat(r.path()).isEqualTo(path);
        assertThat(r.queryParameter("source")).hasValue("connectors");
        assertThat(r.header("authorization")).isEqualTo(java.util.Optional.ofNullable(expectedAuthorization));
        assertThat(r.json().path("id").asText()).isEqualTo(d.eventId());
        assertThat(r.json().path("data")).isEqualTo(exampleData);
        List<String> secrets = new java.util.ArrayList<>();
        credentials.fields().forEachRemaining(e -> secrets.add(e.getValue().asText()));
        assertNotLeaked(d, secrets.toArray(String[]::new));
    }

    static Stream<Arguments> credentialedTypes() {
        return Stream.of(
                Arguments.of("hubspot", "access_token", CatalogStack.HUBSPOT),
                Arguments.of("closecrm", "api_key", CatalogStack.CLOSE),
                Arguments.of("segment", "write_key", CatalogStack.SEGMENT),
                Arguments.of("sendgrid", "api_key", CatalogStack.SENDGRID),
                Arguments.of("resend", "api_key", CatalogStack.RESEND),
                Arguments.of("loops", "api_key", CatalogStack.LOOPS),
                Arguments.of("inngest", "event_key", CatalogStack.INNGEST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentialedTypes")
    void theTransformationNeverSeesTheCredentials(String type, String field, String host) {
        // GIVEN a connector whose transformation prints everything it is given
        String credential = secret("leak-check-");
        User user = stack.newUser();
        ObjectNode body = Json.object().put("type", type).put("name", "console " + type)
                .put("transformation", "function handler(webhook) {\n  console.log(JSON.stringify(webhook));\n"
                        + "  console.log(Object.keys(webhook.headers).join(','));\n  return webhook;\n}");
        body.set("config", Json.object().put(field, credential));
        body.set("events", Json.array().add(CatalogStack.EVENT_TYPE));
        String connectorId = stack.createConnector(user, body);

        // WHEN the example event is delivered
        Map<String, Integer> mark = stack.mark();
        stack.publish(user, null);
        Delivery delivery = stack.awaitFinishedDelivery(user, connectorId);

        // THEN the request carried the credential, but the console (and the whole log) never did
        assertThat(delivery.status()).isEqualTo("succeeded");
        RecordedRequest r = stack.awaitNew(mark, host, 1).get(0);
        assertThat(r.path() + " " + readableAuthorization(r)).contains(credential);
        JsonNode console = delivery.lastAttempt().path("console");
        assertThat(console.size()).isEqualTo(2);
        assertThat(console.get(0).asText()).contains("\"eventType\":\"promise.status_changed\"", "\"promiseId\":\"4821\"");
        assertThat(console.get(1).asText()).doesNotContainIgnoringCase("authorization");
        assertThat(delivery.logText()).doesNotContain(credential);
    }

    @Test
    void everyCatalogTypeIsCoveredHere() {
        // The catalog's non-chat types are exactly those this class delivers to.
        List<String> chat = List.of("slack", "discord", "teams", "generic");
        assertThat(ConnectorTypeCatalog.standard().names()).filteredOn(n -> !chat.contains(n))
                .containsExactlyInAnyOrder("hubspot", "closecrm", "segment", "customerio", "sendgrid", "resend", "loops",
                        "windmill", "inngest", "zapier", "custom");
    }

    @Test
    void endpointOverridesAreNeverSetInTheDeployedTemplate() throws Exception {
        // The override moves credentialed traffic; it must stay a local-stack-only setting.
        String template = Files.readString(Path.of("../template.yaml"));
        assertThat(template).doesNotContain("ENDPOINT_OVERRIDES").doesNotContain("ALLOW_PLAIN_HTTP");
    }
}
