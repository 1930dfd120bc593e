package app.connectors.functions.api;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.json.Json;
import app.connectors.problem.ConflictException;
import app.connectors.problem.FieldError;
import app.connectors.problem.LimitExceededException;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProblemResponsesTest {

    @Test
    void validationProblemHasTheRfc9457ShapeWithFieldErrors() {
        // GIVEN a validation failure with two field errors
        var e = new ValidationException("The connector has 2 problems; see errors.", List.of(
                new FieldError("name", "name is required"), new FieldError("events[0]", "'x' is not an event type")));

        // WHEN it becomes a response
        APIGatewayProxyResponseEvent response = ProblemResponses.of(e, "/api/v1/connectors");

        // THEN it is problem JSON with every member and the errors in order
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode body = parse(response);
        assertThat(body.path("type").asText()).isEqualTo("urn:connectors:problem:validation");
        assertThat(body.path("title").asText()).isEqualTo("Validation failed");
        assertThat(body.path("status").asInt()).isEqualTo(400);
        assertThat(body.path("detail").asText()).isEqualTo("The connector has 2 problems; see errors.");
        assertThat(body.path("instance").asText()).isEqualTo("/api/v1/connectors");
        assertThat(body.path("errors")).hasSize(2);
        assertThat(body.path("errors").get(0).path("field").asText()).isEqualTo("name");
        assertThat(body.path("errors").get(0).path("message").asText()).isEqualTo("name is required");
        assertThat(body.path("errors").get(1).path("field").asText()).isEqualTo("events[0]");
    }

    @ParameterizedTest
    @CsvSource({"not-found, 404, Not found", "conflict, 409, Conflict", "limit-exceeded, 403, Plan limit reached"})
    void eachApiExceptionKeepsItsStatusTypeAndTitle(String type, int status, String title) {
        var e = switch (type) {
            case "not-found" -> new NotFoundException("gone");
            case "conflict" -> new ConflictException("changed");
            default -> new LimitExceededException("full");
        };

        JsonNode body = parse(ProblemResponses.of(e, "/x"));

        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asText()).isEqualTo("urn:connectors:problem:" + type);
        assertThat(body.path("title").asText()).isEqualTo(title);
        assertThat(body.has("errors")).isFalse();
    }

    @Test
    void unexpectedFailureIsA500WithoutItsMessage() {
        // GIVEN a failure whose message carries internals
        var failure = new IllegalStateException("table prod-Users-ABC123 unreachable, key=hunter2");

        // WHEN it becomes a response
        APIGatewayProxyResponseEvent response = ProblemResponses.unexpected(failure, "/api/v1/connectors", "req-9");

        // THEN the body is a generic 500 that quotes the request id and nothing of the exception
        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getBody()).doesNotContain("hunter2", "prod-Users", "IllegalStateException");
        JsonNode body = parse(response);
        assertThat(body.path("type").asText()).isEqualTo("urn:connectors:problem:internal");
        assertThat(body.path("detail").asText()).contains("req-9");
    }

    @Test
    void routeThatThrowsUnexpectedlyAnswers500WithoutItsMessage() {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/x").withPath("/x")
                .withRequestContext(ApiRequestTest.context("req-7", Map.of("userId", "u1")));

        APIGatewayProxyResponseEvent response = ApiResponses.handle(event, r -> {
            throw new NullPointerException("Cannot invoke secretValue() on null");
        });

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).doesNotContain("secretValue", "NullPointer").contains("req-7");
    }

    @Test
    void stackOverflowInARouteIsA500Too() {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod("GET").withResource("/x").withPath("/x");

        APIGatewayProxyResponseEvent response = ApiResponses.handle(event, r -> {
            throw new StackOverflowError("deep");
        });

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(parse(response).path("detail").asText()).contains("unknown");
    }

    private static JsonNode parse(APIGatewayProxyResponseEvent response) {
        return Json.read(new java.io.ByteArrayInputStream(response.getBody().getBytes(StandardCharsets.UTF_8)));
    }
}
