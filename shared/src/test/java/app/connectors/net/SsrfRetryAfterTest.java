package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SsrfRetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-10-21T07:28:00Z");

    @Test
    void readsDeltaSeconds() {
        assertThat(RetryAfter.parseHeader("30", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parseHeader(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void readsAnHttpDateRelativeToNow() {
        assertThat(RetryAfter.parseHeader("Wed, 21 Oct 2026 07:29:30 GMT", NOW)).contains(Duration.ofSeconds(90));
    }

    @Test
    void treatsADateInThePastAsNoWait() {
        assertThat(RetryAfter.parseHeader("Wed, 21 Oct 2026 07:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void ignoresJunk() {
        assertThat(RetryAfter.parseHeader("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parseHeader("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parseHeader("", NOW)).isEmpty();
        assertThat(RetryAfter.parseHeader(null, NOW)).isEmpty();
        assertThat(RetryAfter.parseHeader("99999999999999999999", NOW)).isEmpty();
    }

    @Test
    void readsDiscordFloatSecondsRoundingUpToTheMillisecond() {
        assertThat(RetryAfter.parseDiscordBody("{\"retry_after\":1.5,\"global\":false}")).contains(Duration.ofMillis(1500));
        assertThat(RetryAfter.parseDiscordBody("{\"retry_after\":0.0001}")).contains(Duration.ofMillis(1));
        assertThat(RetryAfter.parseDiscordBody("{\"retry_after\":64}")).contains(Duration.ofSeconds(64));
    }

    @Test
    void findsNoDiscordWaitInOtherBodies() {
        assertThat(RetryAfter.parseDiscordBody("rate_limited")).isEmpty();
        assertThat(RetryAfter.parseDiscordBody("{\"retry_after\":\"1\"}")).isEmpty();
        assertThat(RetryAfter.parseDiscordBody("{\"message\":\"x\"}")).isEmpty();
        assertThat(RetryAfter.parseDiscordBody("{broken")).isEmpty();
        assertThat(RetryAfter.parseDiscordBody(null)).isEmpty();
    }
}
