package app.connectors.functions.api;

import app.connectors.json.Json;
import app.connectors.log.Log;
import app.connectors.problem.ApiException;
import app.connectors.problem.FieldError;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The one place where failures become HTTP responses: RFC 9457 problem JSON for every error the
 * API reports, and a 500 without internals (the stack trace goes to the log) for everything else.
 */
public final class ProblemResponses {

    public static final String CONTENT_TYPE = "application/problem+json";
    static final String TYPE_PREFIX = "urn:connectors:problem:";

    private ProblemResponses() {
    }

    public static APIGatewayProxyResponseEvent of(ApiException e, String instance) {
        return problem(e.status(), e.type(), e.title(), e.getMessage(), instance, e.errors());
    }

    public static APIGatewayProxyResponseEvent unexpected(Throwable e, String instance, String requestId) {
        Log.error("request.failed", e, "path", instance, "requestId", requestId);
        return problem(500, "internal", "Internal error",
                "Something went wrong on our side; retry later. Quote request id " + requestId + " if it persists.",
                instance, List.of());
    }

    public static APIGatewayProxyResponseEvent problem(int status, String type, String title, String detail, String instance,
                                                       List<FieldError> errors) {
        ObjectNode body = Json.object();
        body.put("type", TYPE_PREFIX + type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        if (!errors.isEmpty()) {
            ArrayNode list = body.putArray("errors");
            errors.forEach(err -> list.addObject().put("field", err.field()).put("message", err.message()));
        }
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(Map.of("Content-Type", CONTENT_TYPE))
                .withBody(Json.write(body));
    }
}
