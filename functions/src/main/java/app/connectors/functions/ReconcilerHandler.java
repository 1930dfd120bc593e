package app.connectors.functions;

import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.delivery.Reconciler;
import app.connectors.log.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs on a schedule (template.yaml's ReconcilerFunction; the local stack runs it the same way):
 * puts back the jobs of deliveries still pending well past their due time. The input (the
 * scheduler's event) is not read.
 */
public final class ReconcilerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final Reconciler reconciler;

    public ReconcilerHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public ReconcilerHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)).reconciler());
    }

    ReconcilerHandler(Reconciler reconciler) {
        this.reconciler = reconciler;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Reconciler.Result result = reconciler.run();
        Log.info("reconcile.done", "overdue", result.overdue(), "requeued", result.requeued(), "eventMissing", result.eventMissing());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("overdue", result.overdue());
        out.put("requeued", result.requeued());
        out.put("eventMissing", result.eventMissing());
        return out;
    }
}
