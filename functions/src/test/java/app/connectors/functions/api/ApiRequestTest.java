package app.connectors.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.json.Json;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiRequestTest {

    @Test
    void refusesABodyOneByteOver64KilobytesWith413() {
        // GIVEN a JSON body of 64 KB + 1 byte
        String body = jsonStringOfBytes(64 * 1024 + 1);

        // WHEN a route reads it
        APIGatewayProxyResponseEvent response = echo(request(body));

        // THEN the answer is a 413 problem naming the limit
        assertThat(response.getStatusCode()).isEqualTo(413);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode problem = parse(response.getBody());
        assertThat(problem.path("status").asInt()).isEqualTo(413);
        assertThat(problem.path("detail").asText()).contains("65537 bytes", "65536 bytes (64 KB)");
    }

    @Test
    void acceptsABodyOfExactly64Kilobytes() {
        APIGatewayProxyResponseEvent response = echo(request(jsonStringOfBytes(64 * 1024)));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(parse(response.getBody()).asText()).hasSize(64 * 1024 - 2);
    }

    @Test
    void countsBytesNotCharacters() {
        // 32,768 two-byte characters plus quotes: fewer than 64 K characters but more than 64 KB
        APIGatewayProxyResponseEvent response = echo(request("\"" + "é".repeat(32 * 1024) + "\""));

        assertThat(response.getStatusCode()).isEqualTo(413);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "Application/JSON", "application/merge-patch+json"})
    void acceptsABodyDeclaredAsJson(String contentType) {
        APIGatewayProxyResponseEvent response = echo(request("{\"name\":\"a\"}").withHeaders(Map.of("content-type", contentType)));

        assertThat(response.getStatusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x", "application/jsonx"})
    void refusesABodyNotDeclaredAsJsonWith415SayingWhatToSend(String contentType) {
        // GIVEN a JSON body sent with another media type (curl -d alone sends a form type)
        APIGatewayProxyRequestEvent event = request("{\"name\":\"a\"}").withHeaders(Map.of("Content-Type", contentType));

        // WHEN it is read
        APIGatewayProxyResponseEvent response = echo(event);

        // THEN 415 names the type it got and the header to send
        assertThat(response.getStatusCode()).isEqualTo(415);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(parse(response.getBody()).get("detail").asText())
                .contains("sent as " + contentType.split(";")[0], "Content-Type: application/json");
    }

    @Test
    void refusesABodyWithoutContentTypeWith415() {
        APIGatewayProxyResponseEvent response = echo(request("{}").withHeaders(null));

        assertThat(response.getStatusCode()).isEqualTo(415);
        assertThat(parse(response.getBody()).get("detail").asText()).startsWith("The request body has no Content-Type");
    }

    @Test
    void aRequestWithoutBodyNeedsNoContentType() {
        APIGatewayProxyResponseEvent response = ApiResponses.handle(request(null).withHeaders(null),
                r -> ApiResponses.ok(String.valueOf(r.jsonBody())));

        assertThat(response.getStatusCode()).isEqualTo(200);
    }

    @Test
    void refusesMalformedJsonWith400NamingLineAndColumn() {
        // GIVEN a body whose second line has a value missing
        String body = "{\n  \"name\": ,\n  \"type\": \"slack\"\n}";

        APIGatewayProxyResponseEvent response = echo(request(body));

        // THEN the problem points at line 2, column 11
        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode problem = parse(response.getBody());
        assertThat(problem.path("detail").asText()).contains("not valid JSON", "line 2, column 11");
        assertThat(problem.path("errors").get(0).path("field").asText()).isEmpty();
    }

    @Test
    void refusesDuplicateKeys() {
        APIGatewayProxyResponseEvent response = echo(request("{\"name\":\"a\",\"name\":\"b\"}"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(parse(response.getBody()).path("detail").asText()).contains("line 1");
    }

    @Test
    void decodesBase64Bodies() {
        String encoded = Base64.getEncoder().encodeToString("{\"name\":\"Ünïcode\"}".getBytes(StandardCharsets.UTF_8));
        APIGatewayProxyRequestEvent event = request(encoded).withIsBase64Encoded(true);

        APIGatewayProxyResponseEvent response = echo(event);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(parse(response.getBody()).path("name").asText()).isEqualTo("Ünïcode");
    }

    @Test
    void appliesTheLimitToTheDecodedBase64Body() {
        String encoded = Base64.getEncoder().encodeToString(jsonStringOfBytes(64 * 1024 + 1).getBytes(StandardCharsets.UTF_8));

        assertThat(echo(request(encoded).withIsBase64Encoded(true)).getStatusCode()).isEqualTo(413);
    }

    @Test
    void emptyBodyIsAbsentAndARequiredBodyIsThenRefused() {
        assertThat(new ApiRequest(request("")).jsonBody()).isNull();
        assertThat(new ApiRequest(request(null)).jsonBody()).isNull();
        APIGatewayProxyResponseEvent response = echo(request(""));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(parse(response.getBody()).path("detail").asText()).isEqualTo("A JSON request body is required.");
    }

    @Test
    void routeIsMethodAndResourceTemplate() {
        APIGatewayProxyRequestEvent event = request(null).withHttpMethod("PATCH").withResource("/api/v1/connectors/{uuid}")
                .withPath("/api/v1/connectors/42");

        assertThat(new ApiRequest(event).route()).isEqualTo("PATCH /api/v1/connectors/{uuid}");
    }

    @Test
    void principalComesFromTheAuthorizerContext() {
        var principal = new ApiRequest(request(null)).principal();

        assertThat(principal.userId()).isEqualTo("u1");
        assertThat(principal.tier().id()).isEqualTo("pro");
        assertThat(principal.tokenId()).isEqualTo("tok_1");
    }

    @Test
    void aRequestWithoutAuthorizerContextIsUnauthorized() {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/x").withPath("/x");

        APIGatewayProxyResponseEvent response = ApiResponses.handle(event, r -> ApiResponses.ok(r.principal().userId()));

        assertThat(response.getStatusCode()).isEqualTo(401);
    }

    @Test
    void aNonIntegerQueryParameterIsA400NamingIt() {
        APIGatewayProxyRequestEvent event = request(null).withQueryStringParameters(Map.of("limit", "ten"));

        APIGatewayProxyResponseEvent response = ApiResponses.handle(event, r -> ApiResponses.ok(r.intQuery("limit")));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(parse(response.getBody()).path("errors").get(0).path("field").asText()).isEqualTo("limit");
    }

    /** A JSON string literal that is exactly {@code bytes} bytes long, quotes included. */
    private static String jsonStringOfBytes(int bytes) {
        return "\"" + "a".repeat(bytes - 2) + "\"";
    }

    private static APIGatewayProxyResponseEvent echo(APIGatewayProxyRequestEvent event) {
        return ApiResponses.handle(event, r -> ApiResponses.ok(r.requiredJsonBody()));
    }

    private static APIGatewayProxyRequestEvent request(String body) {
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withResource("/api/v1/connectors")
                .withPath("/api/v1/connectors")
                .withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body)
                .withRequestContext(context("req-1", Map.of("userId", "u1", "tier", "pro", "tokenId", "tok_1")));
    }

    static APIGatewayProxyRequestEvent.ProxyRequestContext context(String requestId, Map<String, Object> authorizer) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId(requestId);
        context.setAuthorizer(authorizer);
        return context;
    }

    private static JsonNode parse(String body) {
        return Json.read(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }
}
