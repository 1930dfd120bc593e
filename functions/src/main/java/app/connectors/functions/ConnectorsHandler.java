package app.connectors.functions;

import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorInput;
import app.connectors.connector.ConnectorService;
import app.connectors.functions.api.ApiRequest;
import app.connectors.functions.api.ApiResponses;
import app.connectors.functions.api.ConnectorJson;
import app.connectors.functions.api.SnapStartPriming;
import app.connectors.idempotency.IdempotencyService;
import app.connectors.json.Json;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Routes {@code /api/v1/connectors} and {@code /api/v1/connectors/{uuid}}: create, list, read, replace,
 * update, delete. A create with an {@code Idempotency-Key} header runs once per key
 * ({@link IdempotencyService}); its retries get the first answer, marked {@code Idempotent-Replayed: true}.
 */
public final class ConnectorsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final ConnectorService connectors;
    private final Supplier<IdempotencyService> idempotency;
    /** Reads a connector that cannot exist: the real lookup path, no write. */
    private final SnapStartPriming priming;

    public ConnectorsHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public ConnectorsHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public ConnectorsHandler(Components components) {
        this(components.connectors(), components::idempotency);
    }

    ConnectorsHandler(ConnectorService connectors, Supplier<IdempotencyService> idempotency) {
        this.connectors = connectors;
        this.idempotency = idempotency;
        this.priming = SnapStartPriming.register(() -> {
            try {
                // A well-formed id (malformed ones are refused before DynamoDB) under a user id no caller can have.
                connectors.get("#priming", "00000000-0000-0000-0000-000000000000");
            } catch (app.connectors.problem.NotFoundException expected) {
                // The answer every priming run gets.
            }
        });
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiResponses.handle(event, context, request -> {
            String userId = request.principal().userId();
            return switch (request.route()) {
                case "GET /api/v1/connectors" ->
                        ApiResponses.ok(ConnectorJson.page(connectors.list(userId, request.intQuery("limit"), request.query("cursor")),
                                connectors::shownConfig));
                case "POST /api/v1/connectors" -> {
                    ConnectorInput input = ConnectorInput.read(request.requiredJsonBody());
                    String key = request.header(IDEMPOTENCY_KEY);
                    IdempotencyService.Answer answer = key == null
                            ? create(userId, input, connectors.newConnectorId())
                            : idempotency.get().execute(userId, key, request.rawBody(), connectors.newConnectorId(),
                                    reservedId -> create(userId, input, reservedId));
                    Map<String, String> headers = new HashMap<>(answer.headers());
                    if (answer.replayed()) {
                        headers.put(REPLAYED, "true");
                    }
                    yield ApiResponses.jsonText(answer.status(), answer.body(), headers);
                }
                case "GET /api/v1/connectors/{uuid}" -> ApiResponses.ok(view(connectors.get(userId, uuid(request))));
                case "PUT /api/v1/connectors/{uuid}" -> {
                    var replaced = connectors.replace(userId, uuid(request), ConnectorInput.read(request.requiredJsonBody()));
                    var body = view(replaced.connector());
                    if (replaced.signingSecret() != null) {
                        body.put("signingSecret", replaced.signingSecret());
                    }
                    yield ApiResponses.ok(body);
                }
                case "PATCH /api/v1/connectors/{uuid}" -> ApiResponses.ok(view(
                        connectors.update(userId, uuid(request), ConnectorInput.read(request.requiredJsonBody()))));
                case "POST /api/v1/connectors/{uuid}/signing-secret" -> {
                    var rotated = connectors.rotateSigningSecret(userId, uuid(request));
                    yield ApiResponses.ok(app.connectors.json.Json.object()
                            .put("uuid", rotated.connector().id())
                            .put("signingSecret", rotated.signingSecret())
                            .put("previousSecretValidUntil", rotated.previousValidUntil().toString())
                            .put("version", rotated.connector().version()));
                }
                case "DELETE /api/v1/connectors/{uuid}" -> {
                    connectors.delete(userId, uuid(request));
                    yield ApiResponses.noContent();
                }
                default -> ApiResponses.noRoute(request);
            };
        });
    }

    private IdempotencyService.Answer create(String userId, ConnectorInput input, String id) {
        var created = connectors.create(userId, input, id);
        var body = view(created.connector());
        if (created.signingSecret() != null) {
            body.put("signingSecret", created.signingSecret());
        }
        return IdempotencyService.Answer.of(201, Map.of("Location", "/api/v1/connectors/" + created.connector().id()),
                Json.write(body));
    }

    private ObjectNode view(Connector connector) {
        return ConnectorJson.of(connector, connectors.shownConfig(connector));
    }

    private static String uuid(ApiRequest request) {
        return request.pathParameter("uuid");
    }
}
