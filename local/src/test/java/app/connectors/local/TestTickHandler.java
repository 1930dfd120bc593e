package app.connectors.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test scheduled handler: records the events it is invoked with. */
public class TestTickHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final List<Map<String, Object>> TICKS = new CopyOnWriteArrayList<>();

    public TestTickHandler(Map<String, String> environment) {
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        TICKS.add(input);
        return Map.of("ok", true);
    }
}
