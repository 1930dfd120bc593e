package app.connectors.functions;

import app.connectors.config.Components;
import app.connectors.config.Lazy;
import app.connectors.config.Settings;
import app.connectors.delivery.ConnectorTester;
import app.connectors.delivery.DeliveryLog;
import app.connectors.functions.api.ApiResponses;
import app.connectors.functions.api.DeliveryJson;
import app.connectors.functions.api.SnapStartPriming;
import app.connectors.json.Json;
import app.connectors.problem.ValidationException;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Routes a connector's delivery log ({@code GET …/deliveries}), one delivery's retry
 * ({@code POST …/deliveries/{id}/retry}) and the test endpoint ({@code POST …/test}).
 */
public final class DeliveriesHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    // Built on first use: the log routes need no HTTP sender or transformation engine, the test route does.
    private final Lazy<DeliveryLog> log;
    private final Lazy<ConnectorTester> tester;
    /** Builds both before a SnapStart snapshot, so a restored environment starts with them. */
    private final SnapStartPriming priming;

    public DeliveriesHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public DeliveriesHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public DeliveriesHandler(Components components) {
        this(Lazy.of(components::deliveryLog), Lazy.of(components::connectorTester));
    }

    DeliveriesHandler(DeliveryLog log, ConnectorTester tester) {
        this(Lazy.value(log), Lazy.value(tester));
    }

    private DeliveriesHandler(Lazy<DeliveryLog> log, Lazy<ConnectorTester> tester) {
        this.log = log;
        this.tester = tester;
        this.priming = SnapStartPriming.register(() -> {
            log.get();
            tester.get();
        });
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiResponses.handle(event, context, request -> {
            String userId = request.principal().userId();
            String connectorId = request.pathParameter("uuid");
            return switch (request.route()) {
                case "GET /api/v1/connectors/{uuid}/deliveries" -> ApiResponses.ok(DeliveryJson.page(
                        log.get().list(userId, connectorId, request.intQuery("limit"), request.query("cursor"))));
                case "POST /api/v1/connectors/{uuid}/deliveries/{id}/retry" -> {
                    var record = log.get().retry(userId, connectorId, request.pathParameter("id"));
                    yield ApiResponses.json(202, Json.object().put("id", record.deliveryId()).put("status", "queued")
                            .put("previousStatus", record.state().apiStatus()), Map.of());
                }
                case "POST /api/v1/connectors/{uuid}/test" ->
                        ApiResponses.ok(DeliveryJson.of(tester.get().test(userId, connectorId, eventTypeOf(request.jsonBody()))));
                default -> ApiResponses.noRoute(request);
            };
        });
    }

    private static String eventTypeOf(JsonNode body) {
        if (body == null) {
            return null;
        }
        if (!body.isObject()) {
            throw ValidationException.of("", "The request body must be a JSON object such as {\"eventType\": \"promise.created\"}.");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!field.equals("eventType")) {
                throw ValidationException.of(field, "unknown field '" + field + "'; the only field is eventType");
            }
        });
        JsonNode type = body.get("eventType");
        if (type == null || type.isNull()) {
            return null;
        }
        if (!type.isTextual()) {
            throw ValidationException.of("eventType", "eventType must be a string");
        }
        return type.textValue();
    }
}
