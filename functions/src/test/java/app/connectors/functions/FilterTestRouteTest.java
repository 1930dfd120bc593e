package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.filter.FilterDryRun;
import app.connectors.json.Json;
import app.connectors.transform.DryRun;
import app.connectors.transform.TransformationEngine;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/filters/test} at the handler: verdicts a UI can show beside the filter, and 400s naming the path. */
class FilterTestRouteTest {

    private static final TransformationsHandler HANDLER = new TransformationsHandler(
            new DryRun(new TransformationEngine(), ConnectorTypeCatalog.standard(), EventCatalog.standard()),
            new FilterDryRun(EventCatalog.standard(), EventParser.standard()));

    @Test
    void matchingFilterOnTheTypesExampleSaysSo() {
        APIGatewayProxyResponseEvent response = post("""
                {"filter": {"data": {"status": ["kept", "broken"]}}, "eventType": "promise.status_changed"}""");

        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("matched").asBoolean()).isTrue();
        assertThat(body.path("eventType").asText()).isEqualTo("promise.status_changed");
        assertThat(body.get("failure").isNull()).isTrue();
    }

    @Test
    void refusedEventNamesTheFirstFailingPathAndWhy() {
        ObjectNode event = EventCatalog.standard().find("promise.status_changed").orElseThrow().example().deepCopy();
        ((ObjectNode) event.get("data")).put("status", "stalled");

        APIGatewayProxyResponseEvent response = post(Json.write(Json.object()
                .<ObjectNode>set("filter", parse("{\"subject\":{\"title\":[{\"prefix\":\"Ship\"}]},\"data\":{\"status\":[\"kept\"]}}"))
                .set("event", event)));

        JsonNode body = json(response);
        assertThat(body.path("matched").asBoolean()).isFalse();
        assertThat(body.path("failure").path("path").asText()).isEqualTo("data.status");
        assertThat(body.path("failure").path("reason").asText()).contains("\"stalled\"", "[\"kept\"]");
    }

    @Test
    void saysWhichOrAlternativeMatched() {
        JsonNode body = json(post("""
                {"filter": {"$or": [{"data": {"daysLeft": [{"numeric": ["<", 7]}]}},
                                    {"attributes": {"company": [{"equals-ignore-case": "INITECH CLOUD"}]}}]},
                 "eventType": "promise.deadline_approaching"}"""));

        assertThat(body.path("matched").asBoolean()).isTrue();
        assertThat(body.path("matchedAlternative").asText()).isEqualTo("$or[1]");
    }

    @Test
    void invalidFilterIsA400NamingThePath() {
        APIGatewayProxyResponseEvent response = post("""
                {"filter": {"data": {"promiseId": [{"wildcard": "48**"}]}}, "eventType": "promise.created"}""");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("filter.data.promiseId[0].wildcard");
    }

    @Test
    void fieldsAreCheckedAgainstTheConnectorsEventTypes() {
        // data.status exists in promise.status_changed only; a connector of promise.created could never match on it
        APIGatewayProxyResponseEvent refused = post("""
                {"filter": {"data": {"status": ["kept"]}}, "eventType": "promise.created"}""");
        APIGatewayProxyResponseEvent allowed = post("""
                {"filter": {"data": {"status": ["kept"]}}, "eventType": "promise.created", "events": ["*"]}""");

        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(json(refused).path("errors").get(0).path("field").asText()).isEqualTo("filter.data.status");
        assertThat(allowed.getStatusCode()).isEqualTo(200);
        assertThat(json(allowed).path("failure").path("path").asText()).isEqualTo("data.status");
    }

    @Test
    void eventThatIsNotAValidEnvelopeIsA400() {
        APIGatewayProxyResponseEvent response = post("""
                {"filter": {}, "event": {"type": "promise.created"}}""");

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("event");
        assertThat(json(response).path("errors").get(0).path("message").asText()).contains("missing field id");
    }

    @Test
    void eventAndEventTypeTogetherOrNeitherIsA400() {
        assertThat(post("{\"filter\": {}}").getStatusCode()).isEqualTo(400);
        assertThat(post("{\"filter\": {}, \"eventType\": \"promise.created\", \"event\": {}}").getStatusCode()).isEqualTo(400);
        assertThat(post("{\"filter\": {}, \"eventType\": \"promise.created\", \"colour\": 1}").getStatusCode()).isEqualTo(400);
    }

    private static APIGatewayProxyResponseEvent post(String body) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("req-filter-test");
        context.setAuthorizer(Map.of("userId", "u-filter", "tier", "pro", "tokenId", "tok_filter"));
        return HANDLER.handleRequest(new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withResource("/api/v1/filters/test")
                .withPath("/api/v1/filters/test")
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body)
                .withRequestContext(context), null);
    }

    private static JsonNode json(APIGatewayProxyResponseEvent response) {
        return parse(response.getBody());
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text);
        }
    }
}
