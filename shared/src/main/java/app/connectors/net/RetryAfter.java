package app.connectors.net;

import app.connectors.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads the wait a rate-limited destination asks for. {@code Retry-After} is either delta-seconds
 * ({@code 30}) or an HTTP-date ({@code Wed, 21 Oct 2026 07:28:00 GMT}); Discord also puts a float
 * number of seconds in its 429 body ({@code {"retry_after": 1.5, "global": false}}).
 *
 * <pre>{@code
 * RetryAfter.parseHeader("30", Instant.now());                        // Optional[PT30S]
 * RetryAfter.parseDiscordBody("{\"retry_after\":1.5,\"global\":false}"); // Optional[PT1.5S]
 * }</pre>
 *
 * Fractions are rounded up to the millisecond so that a retry never comes early.
 */
public final class RetryAfter {

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
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
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
