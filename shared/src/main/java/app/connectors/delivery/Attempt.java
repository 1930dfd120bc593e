package app.connectors.delivery;

import java.time.Instant;

/**
 * One try at sending a delivery.
 *
 * @param statusCode the destination's HTTP status, or null when there was no answer
 * @param latencyMs  time to the answer (or to the failure)
 * @param error      a short reason without secrets (never a URL path or query), or null on success
 * @param console    what the transformation printed, capped, or null
 */
public record Attempt(int number, Instant at, Integer statusCode, long latencyMs, String outcome, String error,
                      java.util.List<String> console) {
}
