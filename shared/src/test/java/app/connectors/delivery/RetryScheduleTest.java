package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void parsesSecondsWithSpacesAndFractions() {
        RetrySchedule schedule = RetrySchedule.parse("0, 1.5 ,300");

        assertThat(schedule.waits()).containsExactly(Duration.ZERO, Duration.ofMillis(1500), Duration.ofMinutes(5));
        assertThat(schedule.attempts()).isEqualTo(3);
        assertThat(schedule.jitter()).isZero();
    }

    @Test
    void parsedScheduleIsExact() {
        RetrySchedule schedule = RetrySchedule.parse("0,1,1");

        assertThat(schedule.delayBefore(1)).isEqualTo(Duration.ZERO);
        assertThat(schedule.delayBefore(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(schedule.delayBefore(3)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void attemptsBeyondTheScheduleWaitTheLastWait() {
        RetrySchedule schedule = RetrySchedule.parse("0,2,7");

        assertThat(schedule.delayBefore(9)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void rejectsTextThatIsNotSeconds() {
        assertThatThrownBy(() -> RetrySchedule.parse("0,soon")).isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> new RetrySchedule(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void standardScheduleIsSvixs() {
        RetrySchedule schedule = RetrySchedule.standard();

        assertThat(schedule.waits()).containsExactly(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        assertThat(schedule.attempts()).isEqualTo(8);
        assertThat(schedule.delayBefore(1)).isEqualTo(Duration.ZERO);
    }

    @Test
    void jitterStaysWithinTwentyPercentAndVaries() {
        RetrySchedule schedule = RetrySchedule.standard();
        Set<Duration> seen = new HashSet<>();

        for (int i = 0; i < 2000; i++) {
            Duration wait = schedule.delayBefore(3); // 5 min ± 20 %
            assertThat(wait).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
            seen.add(wait);
        }

        assertThat(seen.size()).isGreaterThan(100);
        assertThat(seen.stream().anyMatch(d -> d.compareTo(Duration.ofSeconds(270)) < 0)).isTrue();
        assertThat(seen.stream().anyMatch(d -> d.compareTo(Duration.ofSeconds(330)) > 0)).isTrue();
    }
}
