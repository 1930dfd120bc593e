package app.connectors.net;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What happened to one {@link OutboundRequest}: the destination answered ({@link Response}, any
 * status, 3xx included since redirects are never followed), or it could not be reached
 * ({@link Failure}). Failures are values so that the retry policy can switch on them.
 *
 * <pre>{@code
 * switch (sender.send(request)) {
 *     case SendResult.Response r when r.isSuccess() -> markDelivered(r.latency());
 *     case SendResult.Response r -> retryOrFail(r.status(), r.retryAfter(Instant.now()));
 *     case SendResult.Failure f -> retryOrFail(f.kind(), f.message());
 * }
 * }</pre>
 */
public sealed interface SendResult {

    Duration latency();

    /** Why a request got no HTTP answer. */
    enum FailureKind {
        /** The host does not resolve. */
        DNS,
        /** The SSRF guard (or the plain-http switch) refused the destination; not worth retrying. */
        REFUSED,
        /** The connection was refused or the network unreachable. */
        CONNECT,
        /** Connect, response or total deadline exceeded. */
        TIMEOUT,
        /** The peer reset or closed the connection without a complete answer. */
        RESET,
        /** The TLS handshake failed (certificate, protocol). */
        TLS,
        /** Anything else on the wire. */
        IO
    }

    /**
     * The destination's answer.
     *
     * @param status      HTTP status code
     * @param headers     selected headers (Retry-After, Content-Type, X-RateLimit-*), names in lower case
     * @param bodyExcerpt at most {@value GuardedHttpSender#EXCERPT_CHARS} characters of the body, UTF-8 decoded;
     *                    possibly cut short (a long or slow body is never read to its end)
     * @param latency     from the moment the request had a connection of its own to its status line
     */
    record Response(int status, Map<String, String> headers, String bodyExcerpt, Duration latency) implements SendResult {

        public Response {
            headers = Map.copyOf(headers);
        }

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }

        /** A selected header by case-insensitive name. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /**
         * The wait the destination asked for (with a 429 or a 503): the Retry-After header, else a
         * Discord-style JSON {@code retry_after}.
         */
        public Optional<Duration> retryAfter(Instant now) {
            Optional<Duration> fromHeader = header("Retry-After").flatMap(value -> RetryAfter.parseHeader(value, now));
            return fromHeader.isPresent() ? fromHeader : RetryAfter.parseDiscordBody(bodyExcerpt);
        }
    }

    /**
     * No answer. {@code message} names at most {@code scheme://host[:port]}, never the URL's path or query.
     */
    record Failure(FailureKind kind, String message, Duration latency) implements SendResult {
    }
}
