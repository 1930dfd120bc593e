package app.connectors.functions.api;

import app.connectors.log.Log;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before Lambda takes the snapshot of an initialised function, run the real
 * code path once (class loading, JIT warm-up, SDK marshallers, the HTTP client's first connection)
 * without changing anything, so that restored environments start warm. On a JVM without CRaC (the
 * local stack, tests) registering does nothing.
 *
 * <pre>{@code
 * private final SnapStartPriming priming = SnapStartPriming.register(() -> store.find("#priming", "#priming"));
 * }</pre>
 *
 * <p>CRaC holds resources weakly: the caller keeps the returned instance in a field.
 */
public final class SnapStartPriming implements Resource {

    private final Runnable prime;

    private SnapStartPriming(Runnable prime) {
        this.prime = prime;
    }

    public static SnapStartPriming register(Runnable prime) {
        SnapStartPriming priming = new SnapStartPriming(prime);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            prime.run();
        } catch (RuntimeException e) {
            // Priming is an optimisation: a failure must not stop the snapshot, but it is worth knowing.
            Log.warn("snapstart.priming_failed", "error", e.getClass().getName(), "detail", String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: clients reconnect on demand, and no secret or random state is cached at init.
    }
}
