package app.connectors.engines;

import app.connectors.json.Json;
import app.connectors.transform.TransformLimits;
import app.connectors.transform.TransformOutcome;
import app.connectors.transform.TransformationEngine;
import app.connectors.transform.Webhook;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The product's engine: QuickJS compiled to WebAssembly, a realm restored from an image per run. */
final class QuickJsWasm implements Candidate {

    private final Map<Duration, TransformationEngine> engines = new HashMap<>();

    @Override
    public String name() {
        return "quickjs-wasm";
    }

    @Override
    public String run(String code, String input, Duration budget) throws Exception {
        TransformationEngine engine = engines.computeIfAbsent(budget,
                b -> new TransformationEngine(TransformLimits.defaults().withCpuTime(b)));
        JsonNode webhook = Json.parse(input);
        TransformOutcome outcome = engine.run(code, new Webhook(webhook.path("method").asText("POST"), webhook.path("url").asText(),
                webhook.path("eventType").asText(), webhook.path("payload"), Map.of(), false));
        if (outcome instanceof TransformOutcome.Success success) {
            return Json.write(Json.object().set("payload", success.webhook().payload()));
        }
        if (outcome instanceof TransformOutcome.Unavailable unavailable) {
            throw new IllegalStateException("UNAVAILABLE: " + unavailable.reason());
        }
        TransformOutcome.Failure failure = (TransformOutcome.Failure) outcome;
        throw new IllegalStateException(failure.kind() + ": " + failure.message());
    }

    @Override
    public String memoryCap() {
        return "yes: the WebAssembly memory's maximum (16 MiB a run)";
    }
}
