package app.connectors.functions;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.EventCatalog;
import app.connectors.functions.api.ApiResponses;
import app.connectors.functions.api.CatalogJson;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Routes {@code GET /api/v1/connectors/types} and {@code GET /api/v1/event-types}: the catalogs, from data. */
public final class CatalogHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final ObjectNode connectorTypes;
    private final ObjectNode eventTypes;

    public CatalogHandler() {
        this(ConnectorTypeCatalog.standard(), EventCatalog.standard());
    }

    /** For the local stack; the catalogs need no environment. */
    public CatalogHandler(Map<String, String> environment) {
        this();
    }

    CatalogHandler(ConnectorTypeCatalog types, EventCatalog events) {
        this.connectorTypes = CatalogJson.connectorTypes(types);
        this.eventTypes = CatalogJson.eventTypes(events);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ApiResponses.handle(event, context, request -> switch (request.route()) {
            case "GET /api/v1/connectors/types" -> ApiResponses.ok(connectorTypes);
            case "GET /api/v1/event-types" -> ApiResponses.ok(eventTypes);
            default -> ApiResponses.noRoute(request);
        });
    }
}
