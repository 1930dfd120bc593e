package app.connectors.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test API handler: echoes what it received as JSON; ".../boom" throws. */
public class TestApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final Map<String, String> environment;

    public TestApiHandler() {
        this(System.getenv());
    }

    public TestApiHandler(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        if (event.getResource().endsWith("/boom")) {
            throw new IllegalStateException("boom with a secret detail");
        }
        if (event.getQueryStringParameters() != null && event.getQueryStringParameters().containsKey("empty")) {
            return new APIGatewayProxyResponseEvent().withStatusCode(204); // no headers, no body
        }
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("resource", event.getResource());
        echo.put("path", event.getPath());
        echo.put("httpMethod", event.getHttpMethod());
        echo.put("pathParameters", event.getPathParameters());
        echo.put("query", event.getQueryStringParameters());
        echo.put("multiQuery", event.getMultiValueQueryStringParameters());
        echo.put("authorizer", event.getRequestContext().getAuthorizer());
        echo.put("stage", event.getRequestContext().getStage());
        echo.put("sourceIp", event.getRequestContext().getIdentity().getSourceIp());
        echo.put("requestId", event.getRequestContext().getRequestId());
        echo.put("body", event.getBody());
        echo.put("isBase64Encoded", event.getIsBase64Encoded());
        echo.put("xTest", event.getHeaders() == null ? null : event.getHeaders().get("x-test"));
        echo.put("xMulti", event.getMultiValueHeaders() == null ? null : event.getMultiValueHeaders().get("X-Multi"));
        echo.put("itemsTable", environment.get("ITEMS_TABLE"));
        echo.put("function", context.getFunctionName());
        echo.put("remainingMillis", context.getRemainingTimeInMillis());
        try {
            return new APIGatewayProxyResponseEvent()
                    .withStatusCode(event.getHttpMethod().equals("POST") ? 201 : 200)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withMultiValueHeaders(Map.of("X-Echo", List.of("a", "b")))
                    .withBody(LambdaJson.MAPPER.writeValueAsString(echo));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
