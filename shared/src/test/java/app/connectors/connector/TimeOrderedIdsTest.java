package app.connectors.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void idsAreVersion7UuidsCarryingTheMillisecond() {
        Instant at = Instant.parse("2099-11-20T14:03:00.123Z"); // later than any other test's clock: the generator never goes back

        UUID id = TimeOrderedIds.next(at);

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at.toEpochMilli());
        assertThat(id.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void idsSortInTheOrderTheyWereMadeEvenWithinOneMillisecondOrWhenTheClockStepsBack() {
        // GIVEN ids made at rising times, many in the same millisecond, and one after the clock stepped back
        Instant start = Instant.parse("2026-11-20T14:03:00Z");
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            made.add(TimeOrderedIds.next(start.plusMillis(i / 1000)).toString());
        }
        made.add(TimeOrderedIds.next(start.minusSeconds(5)).toString());

        // THEN sorting them as strings (the table's order) gives the order they were made in
        assertThat(made).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void concurrentCallersNeverGetTheSameId() throws Exception {
        ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        Instant now = Instant.parse("2026-11-20T14:03:01Z");
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 1_000; i++) {
                        ids.add(TimeOrderedIds.next(now));
                    }
                    return null;
                });
            }
            go.countDown();
        }
        assertThat(ids).hasSize(8_000).doesNotHaveDuplicates();
    }
}
