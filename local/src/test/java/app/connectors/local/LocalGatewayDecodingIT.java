package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security review: the local gateway percent-decodes a path twice (HttpExchange's
 * {@code getRequestURI().getPath()} decodes once, RouteTable.decode again), so {@code %252F} in a
 * path parameter arrives as {@code /} where API Gateway passes {@code %2F}. Through the portal's
 * {@code /portal/{proxy+}} this turns {@code /portal/api/v1/connectors%252F<uuid>} into the
 * connector's GET route locally, a route AWS would not reach: the local stack does not show how the
 * deployed API routes such paths.
 */
class LocalGatewayDecodingIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(LocalStackOptions.forTests(Path.of("src/test/resources/local/test-template.yaml"))
                .withPollers(false)
                .withClock(new MutableClock()));
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @Test
    void aPathParameterIsDecodedOnceAsApiGatewayDoes() throws Exception {
        TestAuthorizerHandler.TOKENS.put("tok-u-decode", "u-decode");

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/things/abc%252Fdef"))
                .header("Authorization", "Bearer tok-u-decode").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(LambdaJson.MAPPER.readTree(response.body()).at("/pathParameters/uuid").asText()).isEqualTo("abc%2Fdef");
    }
}
