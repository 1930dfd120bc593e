package app.connectors.net;

import app.connectors.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the wait a rate-limited (429) or unavailable (503) destination asks for. {@code Retry-After}
 * is either delta-seconds ({@code 30}) or an HTTP-date in any of the three forms RFC 9110 §5.6.7 asks
 * recipients to accept ({@code Wed, 21 Oct 2026 07:28:00 GMT}, the obsolete
 * {@code Wednesday, 21-Oct-26 07:28:00 GMT} and {@code Wed Oct 21 07:28:00 2026}); Discord also puts
 * a float number of seconds in its 429 body ({@code {"retry_after": 1.5, "global": false}}).
 *
 * <pre>{@code
 * RetryAfter.parseHeader("30", Instant.now());                        // Optional[PT30S]
 * RetryAfter.parseDiscordBody("{\"retry_after\":1.5,\"global\":false}"); // Optional[PT1.5S]
 * }</pre>
 *
 * Fractions are rounded up to the millisecond so that a retry never comes early.
 */
public final class RetryAfter {

    /** RFC 850 without its day name (which says nothing the date does not). */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2, 2000)
            .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US);
    /** asctime() without its day name, runs of spaces folded to one ("Oct  1" → "Oct 1"). */
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy", Locale.US);

    private RetryAfter() {
    }

    /** The wait a {@code Retry-After} header value asks for; a date in the past is zero; junk is empty. */
    public static Optional<Duration> parseHeader(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.strip();
        if (Character.isDigit(text.charAt(0))) {
            return seconds(text);
        }
        Optional<Instant> at = httpDate(text);
        if (at.isEmpty()) {
            return Optional.empty();
        }
        Duration wait = Duration.between(now, at.get());
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    }

    /** IMF-fixdate first (what senders must send), then RFC 850 and asctime(), all GMT. */
    private static Optional<Instant> httpDate(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException notImfFixdate) {
            // try the obsolete forms
        }
        try {
            // "Sunday, 06-Nov-94 08:49:37 GMT": the year is the one ending in those digits that is
            // at most 50 years ahead (RFC 9110), judged against today's year.
            int comma = text.indexOf(", ");
            LocalDateTime parsed = LocalDateTime.parse(comma < 0 ? text : text.substring(comma + 2), RFC_850);
            int thisYear = LocalDate.now(ZoneOffset.UTC).getYear();
            int year = thisYear - Math.floorMod(thisYear, 100) + parsed.getYear() % 100;
            if (year > thisYear + 50) {
                year -= 100;
            } else if (year < thisYear - 49) {
                year += 100;
            }
            return Optional.of(parsed.withYear(year).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notRfc850) {
            // try asctime
        }
        try {
            String folded = text.replaceAll(" +", " ");
            int space = folded.indexOf(' ');
            return Optional.of(LocalDateTime.parse(folded.substring(space + 1), ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notAsctime) {
            return Optional.empty();
        }
    }

    /** Discord's {@code retry_after} (float seconds) from a JSON body; empty when absent or not JSON. */
    public static Optional<Duration> parseDiscordBody(String body) {
        if (body == null || body.isBlank() || body.strip().charAt(0) != '{') {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.parse(body).get("retry_after");
            if (node == null || !node.isNumber()) {
                return Optional.empty();
            }
            return seconds(node.decimalValue().toPlainString());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Optional<Duration> seconds(String text) {
        try {
            BigDecimal seconds = new BigDecimal(text);
            if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                return Optional.empty();
            }
            long millis = seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
            return Optional.of(Duration.ofMillis(millis));
        } catch (NumberFormatException | ArithmeticException e) {
            return Optional.empty();
        }
    }
}
