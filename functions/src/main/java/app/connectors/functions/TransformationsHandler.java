package app.connectors.functions;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.filter.FilterDryRun;
import app.connectors.functions.api.ApiResponses;
import app.connectors.functions.api.FilterJson;
import app.connectors.json.Json;
import app.connectors.problem.ServiceUnavailableException;
import app.connectors.problem.ValidationException;
import app.connectors.transform.DryRun;
import app.connectors.transform.TransformOutcome;
import app.connectors.transform.TransformationEngine;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Routes the dry runs: {@code POST /api/v1/transformations/test} runs transformation code (a script
 * that fails is a 200 with {@code ok: false} and the error: the API call worked), and
 * {@code POST /api/v1/filters/test} tries a content filter on an event. A malformed request is a 400.
 */
public final class TransformationsHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private static final Set<String> FIELDS = Set.of("code", "eventType", "payload", "connectorType", "method", "url");

    private final DryRun dryRun;
    private final FilterDryRun filterDryRun;

    public TransformationsHandler() {
        this(new DryRun(new TransformationEngine(), ConnectorTypeCatalog.standard(), EventCatalog.standard()),
                new FilterDryRun(EventCatalog.standard(), EventParser.standard()));
    }

    /** For the local stack; dry runs need no environment. */
    public TransformationsHandler(Map<String, String> environment) {
        this();
    }

    TransformationsHandler(DryRun dryRun, FilterDryRun filterDryRun) {
        this.dryRun = dryRun;
        this.filterDryRun = filterDryRun;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiResponses.handle(event, context, request -> switch (request.route()) {
            case "POST /api/v1/transformations/test" -> ApiResponses.ok(view(dryRun.run(read(request.requiredJsonBody()))));
            case "POST /api/v1/filters/test" -> ApiResponses.ok(FilterJson.view(filterDryRun.run(FilterJson.request(request.requiredJsonBody()))));
            default -> ApiResponses.noRoute(request);
        });
    }

    private static DryRun.Request read(JsonNode body) {
        if (!body.isObject()) {
            throw ValidationException.of("", "The request body must be a JSON object: {code, eventType, payload} or {connectorType}.");
        }
        body.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                throw ValidationException.of(field, "unknown field '" + field + "'; allowed: " + String.join(", ", FIELDS));
            }
        });
        return new DryRun.Request(text(body, "code"), text(body, "eventType"), body.get("payload"), text(body, "connectorType"),
                text(body, "method"), text(body, "url"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ValidationException.of(field, field + " must be a string");
        }
        return node.textValue();
    }

    static ObjectNode view(TransformOutcome outcome) {
        ObjectNode out = Json.object();
        out.put("tookMs", outcome.took().toNanos() / 1_000_000.0);
        out.set("console", Json.MAPPER.valueToTree(outcome.console()));
        switch (outcome) {
            case TransformOutcome.Success s -> {
                out.put("ok", true);
                ObjectNode webhook = out.putObject("webhook");
                webhook.put("method", s.webhook().method());
                webhook.put("url", s.webhook().url());
                webhook.put("eventType", s.webhook().eventType());
                webhook.set("headers", Json.MAPPER.valueToTree(s.webhook().headers()));
                webhook.set("payload", s.webhook().payload());
                webhook.put("cancel", s.webhook().cancel());
                out.putNull("error");
            }
            case TransformOutcome.Unavailable u -> throw new ServiceUnavailableException(
                    "The transformation could not run now: " + u.reason() + ". Try again in a moment.");
            case TransformOutcome.Failure f -> {
                out.put("ok", false);
                out.putNull("webhook");
                ObjectNode error = out.putObject("error");
                error.put("kind", f.kind().name());
                error.put("message", f.message());
                if (f.line() != null) {
                    error.put("line", f.line());
                } else {
                    error.putNull("line");
                }
                if (f.column() != null) {
                    error.put("column", f.column());
                } else {
                    error.putNull("column");
                }
            }
        }
        return out;
    }
}
