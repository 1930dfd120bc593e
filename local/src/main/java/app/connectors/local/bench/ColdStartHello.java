package app.connectors.local.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** The baseline of {@link ColdStartHarness}: a handler that answers at once, so its cold start is the JVM's and the runtime's. */
public final class ColdStartHello implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        return Map.of("hello", "world");
    }
}
