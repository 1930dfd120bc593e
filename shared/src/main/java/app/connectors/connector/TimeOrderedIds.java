package app.connectors.connector;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * Connector ids that sort in creation order: UUIDs of version 7 (RFC 9562), whose first 48 bits
 * are the creation time in milliseconds. The Connectors table sorts a user's connectors by id, so
 * listing them in id order is listing them by creation time, with a consistent read and no index.
 * Within one millisecond the 12 bits after the version count up (RFC 9562's first method), so ids
 * made by one process stay in order; the last 62 bits are random.
 *
 * <pre>{@code
 * String id = TimeOrderedIds.next(clock.instant()).toString(); // "0193a5f2-7c41-7a3e-9b1c-…"
 * }</pre>
 */
final class TimeOrderedIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_SEQUENCE = 0xFFF;

    private static long lastMillis = -1;
    private static int sequence;

    private TimeOrderedIds() {
    }

    static synchronized UUID next(Instant now) {
        long millis = now.toEpochMilli();
        if (millis > lastMillis) {
            lastMillis = millis;
            // Start low in the millisecond, leaving room to count up.
            sequence = RANDOM.nextInt(MAX_SEQUENCE / 2);
        } else if (sequence < MAX_SEQUENCE) {
            sequence++;            // same millisecond, or the clock stepped back: keep counting from the last id
        } else {
            lastMillis++;          // 4,096 ids in one millisecond: borrow the next one
            sequence = 0;
        }
        long most = (lastMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | sequence;
        long least = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(most, least);
    }
}
