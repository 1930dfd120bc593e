package app.connectors.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try again: the wait before each attempt after the first, like Svix's schedule (now,
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), each wait jittered by ±20 % so that a destination that
 * comes back is not hit by every queued retry at the same second.
 *
 * <pre>{@code
 * RetrySchedule schedule = RetrySchedule.standard();
 * schedule.attempts();            // 8
 * schedule.delayBefore(2);        // about 5 s
 * }</pre>
 */
public record RetrySchedule(List<Duration> waits, double jitter) {

    /** Environment variable that replaces the schedule, e.g. {@code 0,1,1,2} (seconds); for tests and the local stack. */
    public static final String VARIABLE = "RETRY_SCHEDULE_SECONDS";

    public RetrySchedule {
        waits = List.copyOf(waits);
        if (waits.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least the first attempt");
        }
    }

    public static RetrySchedule standard() {
        return new RetrySchedule(List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)), 0.2);
    }

    /** A schedule from {@code 0,5,300,…} seconds; the first entry is the first attempt's wait (normally 0). */
    public static RetrySchedule parse(String seconds) {
        List<Duration> waits = new ArrayList<>();
        for (String part : seconds.split(",")) {
            waits.add(Duration.ofMillis(Math.round(Double.parseDouble(part.trim()) * 1000)));
        }
        return new RetrySchedule(waits, 0.0);
    }

    /** How many attempts a delivery gets in one series. */
    public int attempts() {
        return waits.size();
    }

    /** The jittered wait before attempt {@code number} (1-based); the first attempt waits {@code waits[0]}. */
    public Duration delayBefore(int number) {
        Duration base = waits.get(Math.min(number, waits.size()) - 1);
        if (jitter == 0 || base.isZero()) {
            return base;
        }
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }
}
