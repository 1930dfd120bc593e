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
    void readsTheObsoleteHttpDateFormsRecipientsMustAccept() {
        // RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 form, and ANSI C's asctime() form
        assertThat(RetryAfter.parseHeader("Wednesday, 21-Oct-26 07:29:30 GMT", NOW)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parseHeader("Wed Oct 21 07:29:30 2026", NOW)).contains(Duration.ofSeconds(90));
        assertThat(RetryAfter.parseHeader("Wed Oct  1 07:28:00 2026", Instant.parse("2026-09-30T07:28:00Z")))
                .contains(Duration.ofDays(1));
    }

    @Test
    void readsATwoDigitYearAsTheNearestCenturyNotMoreThanFiftyYearsAhead() {
        // RFC 9110: a two-digit year more than 50 years in the future means the past century
        assertThat(RetryAfter.parseHeader("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).contains(Duration.ZERO);
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
