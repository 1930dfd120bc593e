package app.connectors.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.RepeatedTest;

class ServiceClockTest {

    @RepeatedTest(20)
    void theServiceClockGivesWholeMillisecondsSoTimestampsHaveAtMostThreeFractionDigits() {
        Instant now = Components.SERVICE_CLOCK.instant();

        assertThat(now.getNano() % 1_000_000).isZero();
        assertThat(now.toString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3})?Z");
    }
}
