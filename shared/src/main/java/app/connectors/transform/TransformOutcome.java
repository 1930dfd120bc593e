package app.connectors.transform;

import java.time.Duration;
import java.util.List;

/**
 * The result of one transformation run: everything the delivery pipeline needs to send (or record
 * a failure and move on) and everything {@code POST /transformations/test} shows the user.
 *
 * <pre>{@code
 * switch (engine.run(code, webhook)) {
 *     case TransformOutcome.Success s -> send(s.webhook());
 *     case TransformOutcome.Failure f -> recordFailure(f.kind(), f.message());
 *     case TransformOutcome.Unavailable u -> retryLater(u.reason());
 * }
 * }</pre>
 */
public sealed interface TransformOutcome {

    /** Console lines written by the script, in order, capped. */
    List<String> console();

    /** Time from the call to the outcome, compilation included when the source was not cached. */
    Duration took();

    /** The handler ran and returned a sendable webhook (possibly with {@code cancel} set). */
    record Success(Webhook webhook, List<String> console, Duration took) implements TransformOutcome {
        public Success {
            console = List.copyOf(console);
        }
    }

    /**
     * The run ended without a webhook.
     *
     * @param line   1-based line in the transformation source, {@code null} when unknown
     * @param column 1-based column, {@code null} when unknown
     */
    record Failure(FailureKind kind, String message, Integer line, Integer column, List<String> console,
                   Duration took) implements TransformOutcome {
        public Failure {
            console = List.copyOf(console);
        }
    }

    /**
     * The sandbox could not give the run its time: it waited too long for a worker, or the host kept
     * it off the CPU until the wall-clock backstop (other runs, a GC pause). Nothing is known about
     * the script: it was not at fault, and the same run may well succeed later. Deliveries retry it;
     * the API answers 503.
     */
    record Unavailable(String reason, List<String> console, Duration took) implements TransformOutcome {
        public Unavailable {
            console = List.copyOf(console);
        }
    }
}
