package app.connectors.functions.portal;

import app.connectors.functions.api.ApiResponses;
import app.connectors.functions.api.ProblemResponses;
import app.connectors.json.Json;
import app.connectors.log.Log;
import app.connectors.oauth.ConnectFailure;
import app.connectors.oauth.ConnectFlow;
import app.connectors.oauth.ConnectRequest;
import app.connectors.oauth.OAuthProvider;
import app.connectors.portal.ActiveSession;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import app.connectors.windmill.WindmillClient;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The portal's Connect routes: start an OAuth flow, finish it (from the callback, or from the
 * portal window a popup handed the callback to), and the Windmill helpers. The flows themselves are
 * {@link ConnectFlow} and {@link WindmillClient}; this class only reads requests and shapes answers.
 */
public final class ConnectRoutes {

    private static final Set<String> CALLBACK_FIELDS = Set.of("code", "state", "error", "error_description");

    private final ConnectFlow flow;
    private final WindmillClient windmill;

    public ConnectRoutes(ConnectFlow flow, WindmillClient windmill) {
        this.flow = flow;
        this.windmill = windmill;
    }

    public List<OAuthProvider> available() {
        return flow.available();
    }

    public ConnectFlow flow() {
        return flow;
    }

    /** {@code POST /portal/api/connect/{provider}}: where to send the browser. */
    public APIGatewayProxyResponseEvent begin(ActiveSession session, String providerId, JsonNode body, String portalBaseUrl) {
        OAuthProvider provider = provider(providerId);
        var authorize = flow.begin(session, provider, ConnectRequest.read(body), redirectUri(portalBaseUrl, provider));
        Log.info("connect.started", "userId", session.userId(), "provider", provider.id());
        return ApiResponses.ok(Json.object().put("authorizeUrl", authorize.toString()));
    }

    /** {@code POST /portal/api/connect/{provider}/complete}: the callback's parameters, relayed by the popup. */
    public APIGatewayProxyResponseEvent complete(ActiveSession session, String providerId, JsonNode body) {
        OAuthProvider provider = provider(providerId);
        if (body == null || !body.isObject()) {
            throw ValidationException.of("", "The body must be the callback's parameters: {\"code\", \"state\"} or {\"error\", \"state\"}.");
        }
        Map<String, String> params = new HashMap<>();
        body.fields().forEachRemaining(field -> {
            if (!CALLBACK_FIELDS.contains(field.getKey())) {
                throw ValidationException.of(field.getKey(), "unknown field '" + field.getKey() + "'; allowed: code, state, error, error_description");
            }
            if (!field.getValue().isTextual()) {
                throw ValidationException.of(field.getKey(), field.getKey() + " must be a string");
            }
            params.put(field.getKey(), field.getValue().textValue());
        });
        try {
            ConnectFlow.Connected connected = flow.complete(session, provider, ConnectFlow.CallbackParams.of(params));
            Log.info("connect.completed", "userId", session.userId(), "provider", provider.id(), "via", "popup",
                    "reconnected", connected.reconnected());
            return ApiResponses.ok(Json.object().put("connectorId", connected.connectorId()).put("provider", provider.id())
                    .put("reconnected", connected.reconnected()));
        } catch (ConnectFailure failure) {
            Log.info("connect.failed", "userId", session.userId(), "provider", provider.id(), "reason", failure.reason().code());
            return problem(failure, "/portal/api/connect/" + provider.id() + "/complete");
        }
    }

    /**
     * {@code GET /portal/oauth/{provider}/callback}: finishes the flow when this browser context holds
     * the session that started it (a top-level flow), else hands the parameters to the opener window.
     */
    public CallbackOutcome callback(Optional<ActiveSession> session, String providerId, Map<String, String> query) {
        Optional<OAuthProvider> provider = OAuthProvider.parse(providerId);
        if (provider.isEmpty()) {
            return new CallbackOutcome.NotFound();
        }
        ConnectFlow.CallbackParams params = ConnectFlow.CallbackParams.of(query);
        boolean wellFormed = flow.isWellFormed(params.state());
        // A missing or malformed state is finished here, so that it fails as invalid_state, rather than
        // handed to another window as if it were another session's.
        if (session.isPresent() && (!wellFormed || flow.belongsTo(session.get(), provider.get(), params.state()))) {
            try {
                ConnectFlow.Connected connected = flow.complete(session.get(), provider.get(), params);
                Log.info("connect.completed", "userId", session.get().userId(), "provider", provider.get().id(), "via", "redirect",
                        "reconnected", connected.reconnected());
                return new CallbackOutcome.Redirect("../../#/connectors/" + connected.connectorId() + "?connected="
                        + provider.get().id() + (connected.reconnected() ? "&reconnected=true" : ""));
            } catch (ConnectFailure failure) {
                Log.info("connect.failed", "userId", session.get().userId(), "provider", provider.get().id(), "reason",
                        failure.reason().code());
                return new CallbackOutcome.Redirect("../../#/connect-error?provider=" + provider.get().id() + "&reason="
                        + failure.reason().code() + "&message=" + URLEncoder.encode(failure.getMessage(), StandardCharsets.UTF_8)
                        .replace("+", "%20"));
            }
        }
        String explanation = !wellFormed
                ? "This authorization was not started by the portal (its state is missing or malformed), so nothing was connected."
                + " Start Connect to " + provider.get().displayName() + " again from the portal."
                : session.isPresent()
                ? "This authorization was started in another portal session, so it was not used here and nothing was connected."
                + " Start Connect to " + provider.get().displayName() + " again from the portal."
                : "Return to the portal window that started this to finish connecting " + provider.get().displayName()
                + ". If it is closed, open the portal again from the application and start again; nothing was connected here.";
        return new CallbackOutcome.Relay(provider.get(), explanation);
    }

    /** What the callback answers. */
    public sealed interface CallbackOutcome {
        record Redirect(String location) implements CallbackOutcome {
        }

        /** A page that hands the parameters to the window that opened it, or explains when there is none. */
        record Relay(OAuthProvider provider, String explanation) implements CallbackOutcome {
        }

        record NotFound() implements CallbackOutcome {
        }
    }

    /** {@code POST /portal/api/windmill/{workspaces|runnables|webhook-url}}. */
    public APIGatewayProxyResponseEvent windmill(String action, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ValidationException.of("", "The body must be a JSON object with the Windmill token (and baseUrl for a self-hosted Windmill).");
        }
        return switch (action) {
            case "workspaces" -> {
                only(body, "baseUrl", "token");
                ArrayNode list = Json.array();
                windmill.workspaces(text(body, "baseUrl"), text(body, "token"))
                        .forEach(w -> list.addObject().put("id", w.id()).put("name", w.name()));
                ObjectNode out = Json.object();
                out.set("workspaces", list);
                yield ApiResponses.ok(out);
            }
            case "runnables" -> {
                only(body, "baseUrl", "token", "workspace");
                ArrayNode list = Json.array();
                windmill.runnables(text(body, "baseUrl"), text(body, "token"), text(body, "workspace"))
                        .forEach(r -> list.addObject().put("kind", r.kind()).put("path", r.path()).put("summary", r.summary()));
                ObjectNode out = Json.object();
                out.set("runnables", list);
                yield ApiResponses.ok(out);
            }
            case "webhook-url" -> {
                only(body, "baseUrl", "workspace", "kind", "path", "mode", "token");
                yield ApiResponses.ok(Json.object().put("url", windmill.webhookUrl(text(body, "baseUrl"), text(body, "workspace"),
                        text(body, "kind"), text(body, "path"), text(body, "mode"), text(body, "token"))));
            }
            default -> throw new NotFoundException("No Windmill route " + action + "; use workspaces, runnables or webhook-url.");
        };
    }

    /** The redirect URI registered with the provider: {@code <portal>/oauth/<provider>/callback}. */
    public static String redirectUri(String portalBaseUrl, OAuthProvider provider) {
        return portalBaseUrl + "/oauth/" + provider.id() + "/callback";
    }

    private static OAuthProvider provider(String id) {
        return OAuthProvider.parse(id).orElseThrow(() -> new NotFoundException("No Connect flow for '" + id
                + "'; the portal connects slack, discord and hubspot (and windmill through its own routes)."));
    }

    /** Problem JSON with the failure's {@code reason} code, which the page switches on. */
    static APIGatewayProxyResponseEvent problem(ConnectFailure failure, String instance) {
        APIGatewayProxyResponseEvent response = ProblemResponses.of(failure, instance);
        ObjectNode body = (ObjectNode) Json.read(new java.io.ByteArrayInputStream(response.getBody().getBytes(StandardCharsets.UTF_8)));
        body.put("reason", failure.reason().code());
        return response.withBody(Json.write(body));
    }

    private static void only(JsonNode body, String... fields) {
        Set<String> allowed = Set.of(fields);
        body.fieldNames().forEachRemaining(field -> {
            if (!allowed.contains(field)) {
                throw ValidationException.of(field, "unknown field '" + field + "'; allowed: " + String.join(", ", fields));
            }
        });
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ValidationException.of(field, field + " must be a string");
        }
        return value.textValue();
    }
}
