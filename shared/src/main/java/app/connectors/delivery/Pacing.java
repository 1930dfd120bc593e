package app.connectors.delivery;

import app.connectors.catalog.ConnectorType;
import java.time.Duration;

/**
 * How a connector type's destination is paced. Types whose destinations accept fewer than
 * {@value #PACED_BELOW_PER_SECOND} requests a second (Slack 1/s, Discord 5 per 2 s, Teams 4/s …) book
 * a send slot for every request, so a burst is spread out instead of earning 429s; faster APIs
 * are not paced (no write per delivery for them) and rely on their 429s and Retry-After, which pause
 * the destination for everyone.
 *
 * <p>Slots are {@link #spacing()} apart: the type's interval plus a {@link #tolerance()}, and a job
 * sends only within that tolerance after its slot (a later one books again). So two sends to one
 * destination are never closer than the interval, however late a worker wakes up.
 *
 * @param interval the type's window divided by its request count; zero when not paced
 */
public record Pacing(Duration interval) {

    /** Destinations slower than this many requests a second are paced. */
    static final int PACED_BELOW_PER_SECOND = 10;
    private static final Duration PACED_FROM = Duration.ofMillis(1000 / PACED_BELOW_PER_SECOND);
    private static final Duration MIN_TOLERANCE = Duration.ofMillis(50);

    public static Pacing of(ConnectorType type) {
        Duration interval = type.pacing().window().dividedBy(Math.max(1, type.pacing().requests()));
        return new Pacing(interval.compareTo(PACED_FROM) > 0 ? interval : Duration.ZERO);
    }

    public boolean paced() {
        return !interval.isZero();
    }

    /** How late after its slot a send may still go: a tenth of the interval, at least 50 ms. */
    public Duration tolerance() {
        Duration tenth = interval.dividedBy(10);
        return tenth.compareTo(MIN_TOLERANCE) > 0 ? tenth : MIN_TOLERANCE;
    }

    /** The distance between two booked slots: the interval and the tolerance a send may use of its slot. */
    public Duration spacing() {
        return interval.plus(tolerance());
    }
}
