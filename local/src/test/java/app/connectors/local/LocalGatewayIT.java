package app.connectors.local;

import app.connectors.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalGatewayIT {

    private static final MutableClock CLOCK = new MutableClock();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(LocalStackOptions.forTests(Path.of("src/test/resources/local/test-template.yaml"))
                .withPollers(false)
                .withClock(CLOCK));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void literalRouteWinsOverPathParameterRoute() throws Exception {
        HttpResponse<String> response = send(get("/api/v1/things/types", "Bearer " + token("u-types")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("resource").asText()).isEqualTo("/api/v1/things/types");
        assertThat(json(response).has("pathParameters")).isFalse(); // API Gateway sends null
    }

    @Test
    void passesPathAndQueryParametersHeadersAndTheAuthorizerContext() throws Exception {
        // GIVEN a valid token for user u-params
        String token = token("u-params");

        // WHEN a request with a path parameter, repeated query parameters and headers arrives
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/v1/things/abc-123?limit=5&tag=a&tag=b"))
                .header("Authorization", "Bearer " + token)
                .header("X-Test", "yes")
                .header("X-Multi", "one").header("X-Multi", "two")
                .GET().build());

        // THEN the handler saw them the way API Gateway passes them
        JsonNode echo = json(response);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(echo.get("resource").asText()).isEqualTo("/api/v1/things/{uuid}");
        assertThat(echo.get("path").asText()).isEqualTo("/api/v1/things/abc-123");
        assertThat(echo.at("/pathParameters/uuid").asText()).isEqualTo("abc-123");
        assertThat(echo.at("/query/limit").asText()).isEqualTo("5");
        assertThat(echo.at("/query/tag").asText()).isEqualTo("b");
        assertThat(echo.at("/multiQuery/tag").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(echo.get("xTest").asText()).isEqualTo("yes");
        assertThat(echo.get("xMulti").toString()).isEqualTo("[\"one\",\"two\"]");
        assertThat(echo.at("/authorizer/userId").asText()).isEqualTo("u-params");
        assertThat(echo.at("/authorizer/principalId").asText()).isEqualTo("u-params");
        assertThat(echo.at("/authorizer/tier").asText()).isEqualTo("pro");
        assertThat(echo.get("stage").asText()).isEqualTo("v1");
        assertThat(echo.get("itemsTable").asText()).isEqualTo(stack.resourcePrefix() + "ItemsTable");
        assertThat(echo.get("function").asText()).isEqualTo("ThingsFunction");
        assertThat(echo.get("remainingMillis").asInt()).isBetween(1, 5000);
        assertThat(response.headers().allValues("X-Echo")).containsExactly("a", "b");
        assertThat(response.headers().firstValue("x-amzn-RequestId")).hasValue(echo.get("requestId").asText());
    }

    @Test
    void passesTheBodyAsTextAndAnswersTheHandlersStatus() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/v1/things"))
                .header("Authorization", "Bearer " + token("u-body"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"é\"}")).build());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(json(response).get("body").asText()).isEqualTo("{\"name\":\"é\"}");
        assertThat(json(response).get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(json(response).get("httpMethod").asText()).isEqualTo("POST");
    }

    @Test
    void missingTokenIs401WithTheTemplatesBodyWithoutCallingTheAuthorizer() throws Exception {
        int callsBefore = TestAuthorizerHandler.CALLS.get();

        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/v1/things/types")).GET().build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"test template body\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(TestAuthorizerHandler.CALLS.get()).isEqualTo(callsBefore);
    }

    @Test
    void badTokenIs401WithTheSameBody() throws Exception {
        HttpResponse<String> response = send(get("/api/v1/things/types", "Bearer not-a-token"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("test template body");
    }

    @Test
    void denyPolicyAnswersTheAccessDeniedGatewayResponse() throws Exception {
        HttpResponse<String> response = send(get("/api/v1/things/types", "Bearer deny"));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("denied by policy");
    }

    @Test
    void revokedTokenKeepsWorkingUntilTheAuthorizerCacheTtlPasses() throws Exception {
        // GIVEN a token that was used once (its policy is now cached for ReauthorizeEvery = 60 s)
        String token = token("u-revoke");
        assertThat(send(get("/api/v1/things/types", "Bearer " + token)).statusCode()).isEqualTo(200);
        int callsAfterFirst = TestAuthorizerHandler.CALLS.get();

        // WHEN the token is revoked
        TestAuthorizerHandler.TOKENS.remove(token);

        // THEN it still works from the cache (without calling the authorizer) until 60 s have passed
        CLOCK.advance(Duration.ofSeconds(59));
        assertThat(send(get("/api/v1/things/other", "Bearer " + token)).statusCode()).isEqualTo(200);
        assertThat(TestAuthorizerHandler.CALLS.get()).isEqualTo(callsAfterFirst);
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(send(get("/api/v1/things/types", "Bearer " + token)).statusCode()).isEqualTo(401);
    }

    @Test
    void publicRouteNeedsNoToken() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/v1/health")).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).has("authorizer")).isFalse();
    }

    @Test
    void handlerExceptionIs502WithoutInternals() throws Exception {
        HttpResponse<String> response = send(get("/api/v1/things/x/boom", "Bearer " + token("u-boom")));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).isEqualTo("{\"message\": \"Internal server error\"}");
    }

    @Test
    void unknownRouteAndUnknownMethodAnswerAsApiGatewayDoes() throws Exception {
        // GIVEN a path no route has, and a routed path with a method it does not serve
        HttpResponse<String> missing = send(get("/api/v1/nothing", "Bearer x"));
        HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(url("/api/v1/things/types"))
                .DELETE().header("Authorization", "Bearer x").build());

        // THEN both are API Gateway's 403 "Missing Authentication Token", before any authorizer runs
        for (HttpResponse<String> response : java.util.List.of(missing, wrongMethod)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        }
    }

    @Test
    void oversizedHeadersAre431NotAReset() throws Exception {
        // GIVEN requests whose headers exceed API Gateway's 10,240 bytes, one with a body
        HttpResponse<String> get = send(HttpRequest.newBuilder(url("/api/v1/things/types"))
                .header("Authorization", "Bearer " + token("u-headers")).header("X-Big", "a".repeat(20_000)).GET().build());
        HttpResponse<String> post = send(HttpRequest.newBuilder(url("/api/v1/things"))
                .header("Authorization", "Bearer " + token("u-headers")).header("X-Big", "a".repeat(200_000))
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build());

        // THEN each is answered 431, and a request just under the limit is served
        assertThat(get.statusCode()).isEqualTo(431);
        assertThat(post.statusCode()).isEqualTo(431);
        assertThat(post.body()).contains("Request Header Fields Too Large");
        HttpResponse<String> fits = send(HttpRequest.newBuilder(url("/api/v1/things/types"))
                .header("Authorization", "Bearer " + token("u-headers")).header("X-Big", "a".repeat(8_000)).GET().build());
        assertThat(fits.statusCode()).isEqualTo(200);
    }

    @Test
    void aControlCharacterInThePathIs400BeforeAnyFunctionRuns() throws Exception {
        // GIVEN paths carrying an encoded CR LF (header injection) and an encoded NUL in a path parameter
        for (String path : java.util.List.of("/api/v1/things/x%0d%0aSet-Cookie:%20a=b", "/api/v1/things/%00")) {
            HttpResponse<String> response = send(get(path, "Bearer " + token("u-crlf")));

            // THEN the gateway refuses it with 400 and the function never sees it
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.body()).contains("control character");
            assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void aResponseWithoutBodyGetsNoContentType() throws Exception {
        HttpResponse<String> response = send(get("/api/v1/things/x?empty=1", "Bearer " + token("u-empty")));

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Content-Type")).isEmpty();
    }

    @Test
    void bodyOverTenMegabytesIs413() throws Exception {
        byte[] big = new byte[LocalGateway.MAX_BODY_BYTES + 1];

        HttpResponse<String> response = send(HttpRequest.newBuilder(url("/api/v1/things"))
                .header("Authorization", "Bearer " + token("u-big"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());

        assertThat(response.statusCode()).isEqualTo(413);
    }

    private static String token(String userId) {
        String token = "tok-" + userId;
        TestAuthorizerHandler.TOKENS.put(token, userId);
        return token;
    }

    private static URI url(String path) {
        return stack.gatewayUrl().resolve(path);
    }

    private static HttpRequest get(String path, String authorization) {
        return HttpRequest.newBuilder(url(path)).header("Authorization", authorization).GET().build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return LambdaJson.MAPPER.readTree(response.body());
    }
}
