package app.connectors.it.catalog;

import static app.connectors.it.catalog.CatalogStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.catalog.CatalogStack.Delivery;
import app.connectors.it.catalog.CatalogStack.Response;
import app.connectors.it.catalog.CatalogStack.User;
import app.connectors.json.Json;
import app.connectors.testing.RecordedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operator templates end to end: the operator defines one by invoking TemplatesAdminFunction, users
 * list it through the API, create a connector from it and customise code and events afterwards.
 */
class TemplatesIT {

    private static final String TEMPLATE_CODE = """
            function handler(webhook) {
              webhook.payload = {
                personalizations: [{ to: [{ email: "team@acme.example" }] }],
                from: { email: "promises@acme.example" },
                subject: `Promise ${webhook.payload.promiseId} is ${webhook.payload.status}`,
                content: [{ type: "text/plain", value: webhook.payload.summary }]
              };
              return webhook;
            }""";

    private static CatalogStack stack;

    @BeforeAll
    static void start() {
        stack = CatalogStack.shared();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> admin(Map<String, Object> input) {
        return (Map<String, Object>) stack.stack().function("TemplatesAdminFunction").invoke(input);
    }

    private static Map<String, Object> put(String id, String type, List<String> events, String code) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("action", "put");
        input.put("id", id);
        input.put("type", type);
        input.put("name", "Promise mails " + id);
        input.put("description", "Mails the team when a promise changes status.");
        input.put("eventTypes", events);
        input.put("transformation", code);
        return admin(input);
    }

    private static String newTemplateId() {
        return "promise-mails-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void operatorTemplateIsListedAndPrefillsANewConnectorWhichTheUserThenCustomises() {
        // GIVEN the operator defines a SendGrid template for status changes
        String templateId = newTemplateId();
        Map<String, Object> saved = put(templateId, "sendgrid", List.of("promise.status_changed"), TEMPLATE_CODE);
        assertThat(saved.get("ok")).as("admin answer %s", saved).isEqualTo(true);

        // WHEN a user lists the templates and reads this one
        User user = stack.newUser();
        Response list = stack.call(user, "GET", "/api/v1/connector-templates", null);
        Response one = stack.call(user, "GET", "/api/v1/connector-templates/" + templateId, null);

        // THEN both show it as the operator defined it
        assertThat(list.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        list.json().path("templates").forEach(t -> ids.add(t.path("id").asText()));
        assertThat(ids).contains(templateId);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("type").asText()).isEqualTo("sendgrid");
        assertThat(one.json().path("eventTypes")).isEqualTo(json("{\"e\":[\"promise.status_changed\"]}").get("e"));
        assertThat(one.json().path("transformation").asText()).isEqualTo(TEMPLATE_CODE);

        // WHEN the user creates a connector from it, giving only a name and credentials
        Response created = stack.create(user, json("""
                {"template":"%s","name":"Team mails","config":{"api_key":"SG.template-key"}}""".formatted(templateId)));

        // THEN type, events and code come from the template
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = CatalogStack.idOf(created);
        assertThat(created.json().path("type").asText()).isEqualTo("sendgrid");
        assertThat(created.json().path("events")).isEqualTo(json("{\"e\":[\"promise.status_changed\"]}").get("e"));
        assertThat(created.json().path("transformation").asText()).isEqualTo(TEMPLATE_CODE);

        // WHEN the user changes the code and adds an event type with PATCH
        String ownCode = TEMPLATE_CODE.replace("team@acme.example", "me@acme.example");
        Response patched = stack.call(user, "PATCH", "/api/v1/connectors/" + id, Json.write(json("{}")
                .put("transformation", ownCode)
                .set("events", Json.array().add("promise.status_changed").add("promise.created"))));

        // THEN the connector keeps its type and now carries the user's code and events
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().path("transformation").asText()).isEqualTo(ownCode);
        List<String> events = new ArrayList<>();
        patched.json().path("events").forEach(e -> events.add(e.asText()));
        assertThat(events).containsExactlyInAnyOrder("promise.status_changed", "promise.created");

        // AND the customised code is what SendGrid receives
        Map<String, Integer> mark = stack.mark();
        stack.publish(user, null);
        Delivery delivery = stack.awaitFinishedDelivery(user, id);
        assertThat(delivery.status()).isEqualTo("succeeded");
        RecordedRequest mail = stack.awaitNew(mark, CatalogStack.SENDGRID, 1).get(0);
        assertThat(mail.header("authorization")).hasValue("Bearer SG.template-key");
        assertThat(mail.json()).isEqualTo(json("""
                {"personalizations":[{"to":[{"email":"me@acme.example"}]}],"from":{"email":"promises@acme.example"},
                 "subject":"Promise 4821 is kept",
                 "content":[{"type":"text/plain","value":"Offline mode reached all iOS and Android users in release 7.2."}]}"""));
    }

    @Test
    void operatorAnswerIsPlainJavaDataThatAnyLambdaSerializerWrites() {
        // GIVEN a template put by the operator
        String templateId = newTemplateId();
        Map<String, Object> saved = put(templateId, "loops", List.of("promise.created"), null);

        // THEN the answer holds only maps, lists and scalars: the Lambda runtime serialises responses with
        // its own JSON library, which does not know this service's Jackson tree types
        assertThat(saved.get("ok")).isEqualTo(true);
        assertPlain(saved);
        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) saved.get("template");
        assertThat(template.get("id")).isEqualTo(templateId);
        assertThat(template.get("eventTypes")).isEqualTo(List.of("promise.created"));
        Map<String, Object> listed = admin(Map.of("action", "list"));
        assertPlain(listed);
    }

    private static void assertPlain(Object value) {
        if (value instanceof Map<?, ?> map) {
            map.values().forEach(TemplatesIT::assertPlain);
        } else if (value instanceof List<?> list) {
            list.forEach(TemplatesIT::assertPlain);
        } else {
            assertThat(value == null || value instanceof String || value instanceof Number || value instanceof Boolean)
                    .as("plain value, not %s", value == null ? null : value.getClass().getName()).isTrue();
        }
    }

    @Test
    void templateOfAnUnknownTypeIsRefused() {
        Map<String, Object> answer = put(newTemplateId(), "fax", List.of("promise.created"), null);

        assertThat(answer.get("ok")).isEqualTo(false);
        assertThat(answer.get("status")).isEqualTo(400);
        assertThat(Json.MAPPER.valueToTree(answer.get("errors")).findValuesAsText("field")).containsExactly("type");
    }

    @Test
    void templateWithABrokenTransformationIsRefusedWithLineAndColumn() {
        // GIVEN code whose second line does not parse
        String broken = "function handler(webhook) {\n  webhook.payload = {;\n  return webhook;\n}";

        Map<String, Object> answer = put(newTemplateId(), "segment", List.of("promise.created"), broken);

        assertThat(answer.get("ok")).isEqualTo(false);
        assertThat(answer.get("status")).isEqualTo(400);
        JsonNode errors = Json.MAPPER.valueToTree(answer.get("errors"));
        assertThat(errors.findValuesAsText("field")).containsExactly("transformation");
        assertThat(errors.get(0).path("message").asText()).contains("line 2", "column");
    }

    @Test
    void templateWithoutAHandlerIsRefused() {
        Map<String, Object> answer = put(newTemplateId(), "segment", List.of("promise.created"),
                "function transform(webhook) { return webhook; }");

        assertThat(answer.get("status")).isEqualTo(400);
        assertThat(Json.MAPPER.valueToTree(answer.get("errors")).findValuesAsText("field")).containsExactly("transformation");
    }

    @Test
    void creatingFromAnUnknownTemplateIsA400() {
        User user = stack.newUser();
        Response created = stack.create(user, json("""
                {"template":"no-such-template","name":"x","config":{"api_key":"k"}}"""));

        assertThat(created.status()).isEqualTo(400);
        assertThat(created.text()).contains("no-such-template");
    }

    @Test
    void unknownTemplateIdIsA404() {
        Response missing = stack.call(stack.newUser(), "GET", "/api/v1/connector-templates/nothing-here", null);

        assertThat(missing.status()).isEqualTo(404);
    }
}
