package app.connectors.engines;

import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.V8Runtime;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * V8 through Javet: one isolate, a fresh context per run (resetContext), stopped by
 * terminateExecution at the deadline. The isolate's heap is V8's: exhausting it aborts the process
 * unless a near-heap-limit callback intervenes (not set here; the bomb case shows what happens).
 */
final class JavetV8 implements Candidate {

    private final V8Runtime runtime;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "javet-watchdog");
        t.setDaemon(true);
        return t;
    });

    JavetV8() {
        try {
            runtime = V8Host.getV8Instance().createV8Runtime();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "javet-v8";
    }

    @Override
    public String run(String code, String input, Duration budget) throws Exception {
        runtime.resetContext();
        ScheduledFuture<?> stop = watchdog.schedule(runtime::terminateExecution, budget.toNanos(), TimeUnit.NANOSECONDS);
        try {
            runtime.getGlobalObject().set("INPUT", input);
            return runtime.getExecutor(Candidate.wrap(code)).executeString();
        } finally {
            stop.cancel(false);
        }
    }

    @Override
    public String memoryCap() {
        return "per isolate (heap limit flags), but exhausting it aborts the whole process";
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        try {
            runtime.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
