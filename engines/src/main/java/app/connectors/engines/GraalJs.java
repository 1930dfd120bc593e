package app.connectors.engines;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;

/** GraalJS community: one shared engine (code cache), a new context per run, cancelled by close(true) at the deadline. */
final class GraalJs implements Candidate {

    private final Engine engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "graaljs-watchdog");
        t.setDaemon(true);
        return t;
    });

    @Override
    public String name() {
        return "graaljs";
    }

    @Override
    public String run(String code, String input, Duration budget) {
        try (Context cx = Context.newBuilder("js").engine(engine).allowAllAccess(false).build()) {
            ScheduledFuture<?> cancel = watchdog.schedule(() -> cx.close(true), budget.toNanos(), TimeUnit.NANOSECONDS);
            try {
                cx.getBindings("js").putMember("INPUT", input);
                return cx.eval(Source.create("js", Candidate.wrap(code))).asString();
            } finally {
                cancel.cancel(false);
            }
        }
    }

    @Override
    public String memoryCap() {
        return "no: a heap cap (sandbox.MaxHeapMemory) is Oracle GraalVM only";
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        engine.close(true);
    }
}
