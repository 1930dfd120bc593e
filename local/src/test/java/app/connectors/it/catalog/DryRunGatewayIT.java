package app.connectors.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.catalog.CatalogStack.Response;
import app.connectors.it.catalog.CatalogStack.User;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/transformations/test} through the local gateway and its authorizer. */
class DryRunGatewayIT {

    private static CatalogStack stack;
    private static User user;

    @BeforeAll
    static void start() {
        stack = CatalogStack.shared();
        user = stack.newUser();
    }

    @Test
    void connectorTypeFormRunsTheDefaultTransformationOnTheCatalogExampleAndSendsNothing() {
        Map<String, Integer> mark = stack.mark();

        Response response = stack.call(user, "POST", "/api/v1/transformations/test", "{\"connectorType\":\"closecrm\"}");

        assertThat(response.status()).as(response.text()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("ok").asBoolean()).isTrue();
        assertThat(body.path("webhook").path("url").asText()).isEqualTo("https://api.close.com/api/v1/lead/");
        assertThat(body.path("webhook").path("method").asText()).isEqualTo("POST");
        assertThat(body.path("webhook").path("payload")).isEqualTo(CatalogStack.json("""
                {"name":"Acme Mobile","description":"promise.status_changed: promise 4821 is now kept"}"""));
        assertThat(body.path("webhook").path("headers").size()).isZero();
        assertThat(body.path("tookMs").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(body.path("error").isNull()).isTrue();
        assertThat(stack.hostsReachedSince(mark)).isEmpty();
    }

    @Test
    void syntaxErrorIsOkFalseWithKindLineAndColumn() {
        Response response = stack.call(user, "POST", "/api/v1/transformations/test", """
                {"code":"function handler(webhook) {\\n  return webhook +;\\n}","eventType":"promise.created","payload":{}}""");

        assertThat(response.status()).isEqualTo(200);
        JsonNode error = response.json().path("error");
        assertThat(response.json().path("ok").asBoolean()).isFalse();
        assertThat(error.path("kind").asText()).isEqualTo("SYNTAX");
        assertThat(error.path("line").asInt()).isEqualTo(2);
        assertThat(error.path("column").asInt()).isPositive();
    }

    @Test
    void bodyThatIsNotJsonIsA400Problem() {
        Response response = stack.call(user, "POST", "/api/v1/transformations/test", "code=function handler(){}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("status").asInt()).isEqualTo(400);
    }

    @Test
    void withoutATokenItIs401() {
        Response response = stack.call(null, "POST", "/api/v1/transformations/test", "{\"connectorType\":\"closecrm\"}");

        assertThat(response.status()).isEqualTo(401);
    }
}
