package app.connectors.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test direct-invoke handler (the shape of AccountsFunction): a Map in, a Map out; "explode" throws,
 * "nobody" is refused with {@code {"ok": false}}.
 */
public class TestMapHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final Map<String, String> environment;

    public TestMapHandler(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        if ("explode".equals(input.get("name"))) {
            throw new IllegalArgumentException("cannot greet explode");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if ("nobody".equals(input.get("name"))) {
            result.put("ok", false);
            result.put("detail", "nobody to greet");
            return result;
        }
        result.put("greeting", "hello " + input.get("name"));
        result.put("itemsTable", environment.get("ITEMS_TABLE"));
        result.put("dynamoDb", environment.get(LocalEnvironment.AWS_ENDPOINT_URL_DYNAMODB));
        return result;
    }
}
