package app.connectors.functions.api;

import app.connectors.functions.Invocation;
import app.connectors.json.Json;
import app.connectors.log.LogContext;
import app.connectors.metrics.Metrics;
import app.connectors.problem.ApiException;
import app.connectors.problem.LimitExceededException;
import app.connectors.problem.NotFoundException;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds JSON responses and runs a route's logic with the one error mapping of the API.
 *
 * <pre>{@code
 * return ApiResponses.handle(event, context, request -> switch (request.route()) {
 *     case "GET /api/v1/things" -> ApiResponses.ok(list());
 *     default -> ApiResponses.noRoute(request);
 * });
 * }</pre>
 */
public final class ApiResponses {

    private ApiResponses() {
    }

    /** A route's logic: request in, response out; exceptions are mapped by {@link #handle}. */
    @FunctionalInterface
    public interface Route {
        APIGatewayProxyResponseEvent respond(ApiRequest request) throws Exception;
    }

    /**
     * A handler's whole invocation: opens its log context ({@link Invocation}) with the caller and the
     * connector in the path, runs the route, and counts the answer by status class.
     */
    public static APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context, Route route) {
        try (LogContext.Scope invocation = Invocation.begin(context)) {
            return handle(event, route);
        }
    }

    /** Runs a route within the caller's invocation (a handler calling another in-process opens none of its own). */
    public static APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Route route) {
        ApiRequest request = new ApiRequest(event);
        Map<String, Object> authorizer = event.getRequestContext() == null ? null : event.getRequestContext().getAuthorizer();
        Map<String, String> pathParameters = event.getPathParameters();
        try (LogContext.Scope ids = LogContext.with(
                "userId", authorizer == null ? null : authorizer.get("userId"),
                "connectorId", pathParameters == null ? null : pathParameters.get("uuid"))) {
            APIGatewayProxyResponseEvent response;
            try {
                response = route.respond(request);
            } catch (LimitExceededException e) {
                Metrics.planLimitRefused(authorizer == null ? null : String.valueOf(authorizer.get("tier")));
                response = ProblemResponses.of(e, request.path());
            } catch (ApiException e) {
                response = ProblemResponses.of(e, request.path());
            } catch (Exception | StackOverflowError e) {
                response = ProblemResponses.unexpected(e, request.path(), request.requestId());
            }
            Metrics.apiResponse(response.getStatusCode() == null ? 200 : response.getStatusCode());
            return response;
        }
    }

    public static APIGatewayProxyResponseEvent ok(Object body) {
        return json(200, body, Map.of());
    }

    public static APIGatewayProxyResponseEvent created(Object body, String location) {
        return json(201, body, Map.of("Location", location));
    }

    public static APIGatewayProxyResponseEvent noContent() {
        return new APIGatewayProxyResponseEvent().withStatusCode(204).withHeaders(Map.of());
    }

    /** A JSON answer whose body is already serialized (a stored one, replayed). */
    public static APIGatewayProxyResponseEvent jsonText(int status, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(body);
    }

    public static APIGatewayProxyResponseEvent json(int status, Object body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(Json.write(body));
    }

    /** A route in template.yaml that this handler does not serve: a wiring bug, reported as 404. */
    public static APIGatewayProxyResponseEvent noRoute(ApiRequest request) {
        throw new NotFoundException("No such route: " + request.route());
    }
}
