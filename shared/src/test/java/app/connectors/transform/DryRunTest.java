package app.connectors.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The dry run's two forms, on the real engine and the shipped catalogs. */
class DryRunTest {

    private static final DryRun DRY_RUN = new DryRun(new TransformationEngine(), ConnectorTypeCatalog.standard(),
            EventCatalog.standard());
    private static final String IDENTITY = "function handler(webhook) { return webhook; }";

    private static Webhook success(TransformOutcome outcome) {
        assertThat(outcome).as("outcome %s", outcome).isInstanceOf(TransformOutcome.Success.class);
        return ((TransformOutcome.Success) outcome).webhook();
    }

    private static DryRun.Request typeForm(String type, String eventType, String code) {
        return new DryRun.Request(code, eventType, null, type, null, null);
    }

    private static ValidationException refused(DryRun.Request request) {
        return catchThrowableOfType(ValidationException.class, () -> DRY_RUN.run(request));
    }

    @Test
    void aResultADeliveryWouldRefuseIsRefusedTheSameWay() {
        // GIVEN transformations that set a Cookie header, and a URL with a password
        TransformOutcome cookie = DRY_RUN.run(typeForm("segment", null,
                "function handler(webhook) { webhook.headers = { Cookie: 'session=1' }; return webhook; }"));
        TransformOutcome password = DRY_RUN.run(typeForm("segment", null,
                "function handler(webhook) { webhook.url = 'https://user:secret@api.segment.io/v1/track'; return webhook; }"));

        // THEN each is a failure naming what to change
        assertThat(cookie).isInstanceOfSatisfying(TransformOutcome.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(FailureKind.INVALID_RESULT);
            assertThat(f.message()).contains("'Cookie'");
        });
        assertThat(password).isInstanceOfSatisfying(TransformOutcome.Failure.class,
                f -> assertThat(f.message()).contains("webhook.url", "user name or password"));
    }

    @Test
    void hubspotDefaultRunsOnTheStatusChangedExample() {
        Webhook out = success(DRY_RUN.run(typeForm("hubspot", null, null)));

        assertThat(out.url()).isEqualTo("https://api.hubapi.com/crm/v3/objects/notes");
        assertThat(out.eventType()).isEqualTo("promise.status_changed");
        assertThat(out.payload().path("properties").path("hs_note_body").asText()).isEqualTo(
                "promise.status_changed: promise 4821 is now kept (Offline mode reached all iOS and Android users in release 7.2.)");
        assertThat(out.headers()).isEmpty();
    }

    @Test
    void apiTypesSeeTheEventsDataAsPayload() {
        String code = "function handler(webhook) { webhook.payload = { seen: webhook.payload }; return webhook; }";

        Webhook out = success(DRY_RUN.run(typeForm("segment", "promise.deadline_approaching", code)));

        assertThat(out.payload().path("seen")).isEqualTo(EventCatalog.standard().find("promise.deadline_approaching")
                .orElseThrow().example().path("data"));
    }

    @Test
    void inngestEndpointIsShownAsAValidUrlWithItsKeyUnfilled() {
        // A handler that returns the webhook as it came must work for every type (it failed on the raw {event_key}).
        Webhook out = success(DRY_RUN.run(typeForm("inngest", null, IDENTITY)));

        assertThat(out.url()).isEqualTo("https://inn.gs/e/%7Bevent_key%7D");
        assertThat(out.payload().path("name").asText()).isEqualTo("promise.status_changed");
    }

    @Test
    void chatTypesSeeTheirFormattedPayload() {
        Webhook out = success(DRY_RUN.run(typeForm("slack", null, IDENTITY)));

        assertThat(out.payload().path("attachments").path(0).path("blocks").isArray()).isTrue();
        assertThat(out.payload().path("text").asText()).isNotBlank();
        assertThat(out.url()).isEqualTo("https://example.com/webhook");
    }

    @Test
    void codeFormRunsOnTheGivenPayloadWithTheGivenMethod() {
        JsonNode payload = Json.object().put("name", "Acme").put("amount", 12);
        String code = "function handler(webhook) { webhook.payload = { text: `${webhook.method} ${webhook.payload.name}` };"
                + " return webhook; }";

        Webhook out = success(DRY_RUN.run(new DryRun.Request(code, "invoice.created", payload, null, "put", null)));

        assertThat(out.method()).isEqualTo("PUT");
        assertThat(out.payload()).isEqualTo(Json.object().put("text", "PUT Acme"));
        assertThat(payload.path("amount").asInt()).as("the caller's payload is not changed").isEqualTo(12);
    }

    @Test
    void codeFormWithOnlyAnEventTypeRunsOnThatTypesExampleAsAGenericConnectorReceivesIt() {
        String code = "function handler(webhook) { webhook.payload = { title: webhook.payload.subject.title, type: webhook.eventType }; return webhook; }";

        Webhook out = success(DRY_RUN.run(new DryRun.Request(code, "promise.created", null, null, null, null)));

        var example = EventCatalog.standard().find("promise.created").orElseThrow().example();
        assertThat(out.payload()).isEqualTo(Json.object().put("title", example.path("subject").path("title").asText())
                .put("type", "promise.created"));
    }

    @Test
    void codeFormWithOnlyAnUnknownEventTypeNamesTheField() {
        assertThat(refused(new DryRun.Request(IDENTITY, "invoice.created", null, null, null, null)).errors())
                .extracting(FieldError::field).containsExactly("eventType");
    }

    @Test
    void syntaxErrorIsAFailureWithLineAndColumn() {
        TransformOutcome outcome = DRY_RUN.run(new DryRun.Request("function handler(webhook) {\n\n  return ;;)\n}",
                "invoice.created", Json.object(), null, null, null));

        assertThat(outcome).isInstanceOfSatisfying(TransformOutcome.Failure.class, f -> {
            assertThat(f.kind()).isEqualTo(FailureKind.SYNTAX);
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.column()).isNotNull().isPositive();
        });
    }

    @Test
    void typeWithoutDefaultTransformationNeedsCode() {
        assertThat(refused(typeForm("slack", null, null)).errors()).extracting(FieldError::field).containsExactly("code");
    }

    @Test
    void codeFormNeedsCodeEventTypeAndPayload() {
        assertThat(refused(new DryRun.Request(null, null, null, null, null, null)).errors())
                .extracting(FieldError::field).containsExactlyInAnyOrder("code", "eventType", "payload");
    }

    @Test
    void payloadMustBeAnObjectOrArray() {
        assertThat(refused(new DryRun.Request(IDENTITY, "x", Json.MAPPER.getNodeFactory().textNode("hi"), null, null, null))
                .errors()).extracting(FieldError::field).containsExactly("payload");
    }

    @Test
    void connectorTypeAndPayloadTogetherAreRefused() {
        assertThat(refused(new DryRun.Request(null, null, Json.object(), "loops", null, null)).errors())
                .extracting(FieldError::field).containsExactly("payload");
    }

    @Test
    void unknownEventTypeOfTheTypeFormIsRefused() {
        assertThat(refused(typeForm("loops", "invoice.created", null)).errors())
                .extracting(FieldError::field).containsExactly("eventType");
    }

    @Test
    void methodOutsidePostPutPatchIsRefused() {
        assertThat(refused(new DryRun.Request(IDENTITY, "x", Json.object(), null, "DELETE", null)).errors())
                .extracting(FieldError::field).containsExactly("method");
    }
}
