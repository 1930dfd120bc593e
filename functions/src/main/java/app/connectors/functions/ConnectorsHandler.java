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
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Routes {@code /api/v1/connectors} and {@code /api/v1/connectors/{uuid}}: create, list, read, replace, update, delete. */
public final class ConnectorsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final ConnectorService connectors;
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
        this(components.connectors());
    }

    ConnectorsHandler(ConnectorService connectors) {
        this.connectors = connectors;
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
                    var created = connectors.create(userId, ConnectorInput.read(request.requiredJsonBody()));
                    var body = view(created.connector());
                    if (created.signingSecret() != null) {
                        body.put("signingSecret", created.signingSecret());
                    }
                    yield ApiResponses.created(body, "/api/v1/connectors/" + created.connector().id());
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

    private ObjectNode view(Connector connector) {
        return ConnectorJson.of(connector, connectors.shownConfig(connector));
    }

    private static String uuid(ApiRequest request) {
        return request.pathParameter("uuid");
    }
}
