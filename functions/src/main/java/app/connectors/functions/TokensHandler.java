package app.connectors.functions;

import app.connectors.auth.StoredToken;
import app.connectors.auth.TokenService;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.functions.api.ApiResponses;
import app.connectors.json.Json;
import app.connectors.problem.ValidationException;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Routes {@code /api/v1/tokens}: issue (the token is shown once), list, revoke. The caller's token is
 * checked live on every one of them ({@link TokenService#confirmLive}): the authorizer's cached
 * answer would let a just-revoked token mint a fresh one.
 */
public final class TokensHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final TokenService tokens;

    public TokensHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public TokensHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public TokensHandler(Components components) {
        this(components.tokens());
    }

    TokensHandler(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiResponses.handle(event, context, request -> {
            String userId = tokens.confirmLive(request.header("Authorization"), request.principal()).userId();
            return switch (request.route()) {
                case "POST /api/v1/tokens" -> {
                    var issued = tokens.issue(userId, nameOf(request.jsonBody()));
                    ObjectNode body = view(issued.stored());
                    body.put("token", issued.token());
                    yield ApiResponses.created(body, "/api/v1/tokens/" + issued.stored().tokenId());
                }
                case "GET /api/v1/tokens" -> {
                    ObjectNode body = Json.object();
                    var list = body.putArray("tokens");
                    tokens.list(userId).forEach(t -> list.add(view(t)));
                    yield ApiResponses.ok(body);
                }
                case "DELETE /api/v1/tokens/{id}" -> {
                    tokens.revoke(userId, request.pathParameter("id"));
                    yield ApiResponses.noContent();
                }
                default -> ApiResponses.noRoute(request);
            };
        });
    }

    private static String nameOf(JsonNode body) {
        if (body == null) {
            return null;
        }
        if (!body.isObject()) {
            throw ValidationException.of("", "The request body must be a JSON object such as {\"name\": \"CI\"}.");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!field.equals("name")) {
                throw ValidationException.of(field, "unknown field '" + field + "'; the only field is name");
            }
        });
        JsonNode name = body.get("name");
        if (name == null || name.isNull()) {
            return null;
        }
        if (!name.isTextual()) {
            throw ValidationException.of("name", "name must be a string");
        }
        return name.textValue();
    }

    private static ObjectNode view(StoredToken t) {
        ObjectNode node = Json.object();
        node.put("id", t.tokenId());
        node.put("prefix", t.prefix());
        if (t.name() != null) {
            node.put("name", t.name());
        } else {
            node.putNull("name");
        }
        node.put("createdAt", t.createdAt().toString());
        if (t.lastUsedAt() != null) {
            node.put("lastUsedAt", t.lastUsedAt().toString());
        } else {
            node.putNull("lastUsedAt");
        }
        return node;
    }
}
