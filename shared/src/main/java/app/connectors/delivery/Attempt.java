package app.connectors.delivery;

import java.time.Instant;
import java.util.List;

/**
 * One try at sending a delivery, as its log shows it.
 *
 * @param number           1-based, within its series
 * @param series           the series of attempts it belongs to (a manual retry or a redrive starts the next)
 * @param at               when the request left (or, without a request, when the attempt was judged)
 * @param statusCode       the destination's HTTP status, or null when there was no answer
 * @param latencyMs        time to the answer (or to the failure)
 * @param outcome          succeeded, retrying, failed, cancelled or dead
 * @param error            a short reason without secrets (never a URL path or query), or null on success
 * @param console          what the transformation printed, capped in bytes, or null
 * @param connectorVersion the version of the connector the attempt was made with, or null when
 *                         there was none (the connector was gone); auto-disable judges this version
 */
public record Attempt(int number, int series, Instant at, Integer statusCode, long latencyMs, String outcome, String error,
                      List<String> console, Long connectorVersion) {

    public Attempt {
        console = console == null ? null : List.copyOf(console);
    }

    public Attempt withOutcome(String newOutcome) {
        return new Attempt(number, series, at, statusCode, latencyMs, newOutcome, error, console, connectorVersion);
    }
}
