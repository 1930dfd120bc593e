package app.connectors.functions;

import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.functions.api.ApiResponses;
import app.connectors.json.Json;
import app.connectors.template.ConnectorTemplate;
import app.connectors.template.TemplateService;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Routes {@code GET /api/v1/connector-templates} and {@code GET /api/v1/connector-templates/{id}}:
 * the operator's templates, which users create connectors from ({@code POST /connectors} with
 * {@code "template": "<id>"}).
 */
public final class TemplatesHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final TemplateService templates;

    public TemplatesHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public TemplatesHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public TemplatesHandler(Components components) {
        this(components.templates());
    }

    TemplatesHandler(TemplateService templates) {
        this.templates = templates;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiResponses.handle(event, context, request -> switch (request.route()) {
            case "GET /api/v1/connector-templates" -> {
                ObjectNode body = Json.object();
                var list = body.putArray("templates");
                templates.list().forEach(t -> list.add(view(t)));
                yield ApiResponses.ok(body);
            }
            case "GET /api/v1/connector-templates/{id}" -> ApiResponses.ok(view(templates.get(request.pathParameter("id"))));
            default -> ApiResponses.noRoute(request);
        });
    }

    static ObjectNode view(ConnectorTemplate t) {
        ObjectNode node = Json.object();
        node.put("id", t.id());
        node.put("type", t.type());
        node.put("name", t.name());
        node.put("description", t.description());
        node.set("eventTypes", Json.MAPPER.valueToTree(t.eventTypes()));
        if (t.transformation() != null) {
            node.put("transformation", t.transformation());
        } else {
            node.putNull("transformation");
        }
        node.put("createdAt", t.createdAt().toString());
        node.put("updatedAt", t.updatedAt().toString());
        return node;
    }
}
