package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.filter.FilterDryRun;
import app.connectors.json.Json;
import app.connectors.transform.DryRun;
import app.connectors.transform.RunClock;
import app.connectors.transform.TransformLimits;
import app.connectors.transform.TransformationEngine;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/transformations/test} at the handler: the documented results, errors and 400s. */
class TransformationsHandlerTest {

    private static final TransformationsHandler HANDLER = new TransformationsHandler(
            new DryRun(new TransformationEngine(), ConnectorTypeCatalog.standard(), EventCatalog.standard()),
            new FilterDryRun(EventCatalog.standard(), EventParser.standard()));

    private static APIGatewayProxyResponseEvent post(String body) {
        return HANDLER.handleRequest(request(body), null);
    }

    private static APIGatewayProxyRequestEvent request(String body) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("req-dry-run");
        context.setAuthorizer(Map.of("userId", "u-dry", "tier", "pro", "tokenId", "tok_dry"));
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withResource("/api/v1/transformations/test")
                .withPath("/api/v1/transformations/test")
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body)
                .withRequestContext(context);
    }

    private static JsonNode json(APIGatewayProxyResponseEvent response) {
        try {
            return Json.parse(response.getBody());
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + response.getBody());
        }
    }

    @Test
    void codeFormReturnsTheWebhookTheConsoleAndTheTime() {
        // GIVEN code that logs and rewrites the payload
        String body = Json.write(Json.object()
                .put("code", "function handler(webhook) {\n  console.log('amount', webhook.payload.amount);\n"
                        + "  webhook.payload = { text: `Invoice of $${webhook.payload.amount}` };\n"
                        + "  webhook.headers['X-Source'] = 'dry-run';\n  return webhook;\n}")
                .put("eventType", "invoice.created")
                .set("payload", Json.object().put("amount", 99.5)));

        // WHEN it is dry-run
        APIGatewayProxyResponseEvent response = post(body);

        // THEN 200 with ok, the resulting webhook, the console line and a duration
        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode result = json(response);
        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("webhook").path("payload").path("text").asText()).isEqualTo("Invoice of $99.5");
        assertThat(result.path("webhook").path("method").asText()).isEqualTo("POST");
        assertThat(result.path("webhook").path("url").asText()).isEqualTo("https://example.com/webhook");
        assertThat(result.path("webhook").path("eventType").asText()).isEqualTo("invoice.created");
        assertThat(result.path("webhook").path("headers").path("X-Source").asText()).isEqualTo("dry-run");
        assertThat(result.path("webhook").path("cancel").asBoolean()).isFalse();
        assertThat(result.path("console").size()).isEqualTo(1);
        assertThat(result.path("console").get(0).asText()).isEqualTo("amount 99.5");
        assertThat(result.path("tookMs").isNumber()).isTrue();
        assertThat(result.path("tookMs").asDouble()).isBetween(0.0, 60_000.0);
        assertThat(result.path("error").isNull()).isTrue();
    }

    @Test
    void aDryRunTheOverloadedSandboxCouldNotStartIs503NotAFailureOfTheCode() {
        // GIVEN a sandbox whose host turns overloaded: every run waits 2 s for a worker (the bound is 1 s)
        java.util.concurrent.atomic.AtomicBoolean overloaded = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong wall = new java.util.concurrent.atomic.AtomicLong();
        RunClock clock = new RunClock() {
            @Override
            public long wallNanos() {
                return overloaded.get() ? wall.addAndGet(2_000_000_000L) : wall.get();
            }

            @Override
            public long cpuNanos(Thread thread) {
                return RunClock.system().cpuNanos(thread);
            }
        };
        TransformationEngine engine = new TransformationEngine(TransformLimits.defaults(), clock);
        TransformationsHandler overloadedHandler = new TransformationsHandler(new DryRun(engine, ConnectorTypeCatalog.standard(),
                EventCatalog.standard()), new FilterDryRun(EventCatalog.standard(), EventParser.standard()));
        String body = Json.write(Json.object().put("code", "function handler(webhook) { return webhook; }")
                .put("eventType", "invoice.created").set("payload", Json.object().put("amount", 1)));
        assertThat(overloadedHandler.handleRequest(request(body), null).getStatusCode()).isEqualTo(200);
        overloaded.set(true);

        // WHEN code is dry-run
        APIGatewayProxyResponseEvent response = overloadedHandler.handleRequest(request(body), null);

        // THEN 503 problem JSON that says to try again, not a failure of the code
        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(json(response).path("detail").asText()).contains("could not run now").contains("Try again");
    }

    @Test
    void syntaxErrorIsOkFalseWithKindLineAndColumn() {
        // GIVEN code whose third line does not parse
        String body = Json.write(Json.object()
                .put("code", "function handler(webhook) {\n  const x = 1;\n  webhook.payload = {a: };\n  return webhook;\n}")
                .put("eventType", "invoice.created")
                .set("payload", Json.object()));

        JsonNode result = json(post(body));

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("webhook").isNull()).isTrue();
        assertThat(result.path("error").path("kind").asText()).isEqualTo("SYNTAX");
        assertThat(result.path("error").path("line").asInt()).isEqualTo(3);
        assertThat(result.path("error").path("column").asInt()).isPositive();
        assertThat(result.path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void scriptThatThrowsIsOkFalseWithItsConsoleKept() {
        String body = Json.write(Json.object()
                .put("code", "function handler(webhook) {\n  console.log('before');\n  throw new Error('no amount');\n}")
                .put("eventType", "invoice.created")
                .set("payload", Json.object()));

        JsonNode result = json(post(body));

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("error").path("kind").asText()).isEqualTo("SCRIPT_ERROR");
        assertThat(result.path("error").path("message").asText()).contains("no amount");
        assertThat(result.path("console").get(0).asText()).isEqualTo("before");
    }

    @Test
    void connectorTypeFormUsesTheTypesDefaultTransformationOnTheCatalogExample() {
        JsonNode result = json(post("{\"connectorType\":\"loops\"}"));

        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("webhook").path("eventType").asText()).isEqualTo("promise.status_changed");
        assertThat(result.path("webhook").path("url").asText()).isEqualTo("https://app.loops.so/api/v1/events/send");
        assertThat(result.path("webhook").path("payload")).isEqualTo(Json.object()
                .put("email", "alerts@yourdomain.com")
                .put("eventName", "promise_status_changed")
                .set("eventProperties", Json.object().put("promiseId", "4821").put("status", "kept")));
    }

    @Test
    void connectorTypeFormWithAnotherEventTypeUsesThatExample() {
        JsonNode result = json(post("{\"connectorType\":\"closecrm\",\"eventType\":\"promise.created\"}"));

        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("webhook").path("eventType").asText()).isEqualTo("promise.created");
        assertThat(result.path("webhook").path("payload").path("description").asText())
                .isEqualTo("promise.created: promise 4907");
    }

    @Test
    void unknownFieldIsA400NamingIt() {
        APIGatewayProxyResponseEvent response = post("{\"code\":\"function handler(w){return w;}\",\"eventType\":\"x\","
                + "\"payload\":{},\"cod\":1}");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("cod");
    }

    @Test
    void codeThatIsNotAStringIsA400() {
        APIGatewayProxyResponseEvent response = post("{\"code\":42,\"eventType\":\"x\",\"payload\":{}}");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("code");
    }

    @Test
    void bodyThatIsAnArrayIsA400() {
        assertThat(post("[1,2]").getStatusCode()).isEqualTo(400);
    }

    @Test
    void bodyThatIsNotJsonIsA400() {
        assertThat(post("{code:").getStatusCode()).isEqualTo(400);
    }

    @Test
    void missingBodyIsA400() {
        assertThat(post(null).getStatusCode()).isEqualTo(400);
    }

    @Test
    void missingPayloadWithAnUnknownEventTypeIsA400NamingTheEventType() {
        // Without a payload the event type's example is used, so an unknown type is what to fix
        APIGatewayProxyResponseEvent response = post("{\"code\":\"function handler(w){return w;}\",\"eventType\":\"x\"}");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").findValuesAsText("field")).containsExactly("eventType");
    }

    @Test
    void missingPayloadWithACatalogEventTypeRunsOnItsExample() {
        APIGatewayProxyResponseEvent response = post(
                "{\"code\":\"function handler(w){ w.payload = {id: w.payload.id}; return w; }\",\"eventType\":\"promise.created\"}");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(json(response).path("webhook").path("payload").path("id").asText()).startsWith("evt_");
    }

    @Test
    void unknownConnectorTypeIsA400NamingIt() {
        APIGatewayProxyResponseEvent response = post("{\"connectorType\":\"fax\"}");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").findValuesAsText("field")).contains("connectorType");
    }
}
