package app.connectors.local;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EventBridge's schedules for the local stack: invokes a function at its template's
 * {@code rate(…)} (or at a fixed interval the options give), with a scheduled event like the one
 * EventBridge sends. A run that throws is logged; the next one comes on time anyway. Runs of one
 * function never overlap.
 *
 * <pre>{@code
 * try (LocalScheduler scheduler = LocalScheduler.start(function, schedule, Duration.ofMinutes(5))) { ... }
 * }</pre>
 */
public final class LocalScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalScheduler.class);

    private final ScheduledExecutorService timer;

    private LocalScheduler(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Runs {@code function} every {@code every}, the first time after one period. */
    public static LocalScheduler start(LocalFunction function, TemplateModel.ScheduleEvent schedule, Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "schedule-" + function.logicalId() + "-" + schedule.name());
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                Object result = function.invoke(scheduledEvent(function, schedule));
                LOG.debug("{} ran on its schedule: {}", function.logicalId(), result);
            } catch (RuntimeException | Error e) {
                LOG.error("{} failed on its schedule {}", function.logicalId(), schedule.name(), e);
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("{} runs every {} ({})", function.logicalId(), every, schedule.name());
        return new LocalScheduler(timer);
    }

    /** The scheduled event, as a map (handlers of scheduled functions take a map or ignore their input). */
    private static Map<String, Object> scheduledEvent(LocalFunction function, TemplateModel.ScheduleEvent schedule) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "0");
        event.put("source", "aws.events");
        event.put("detail-type", "Scheduled Event");
        event.put("time", Instant.now().toString());
        event.put("resources", java.util.List.of("local:rule/" + function.logicalId() + "-" + schedule.name()));
        event.put("detail", Map.of());
        return event;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
