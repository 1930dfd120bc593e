package app.connectors.net;

import app.connectors.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * How {@link GuardedHttpSender} talks to destinations.
 *
 * <pre>{@code
 * SenderConfig prod = SenderConfig.production();                          // https only, 15 s deadline
 * SenderConfig local = SenderConfig.fromEnvironment(System.getenv());     // ALLOW_PLAIN_HTTP, SENDER_*_MS
 * SenderConfig test = SenderConfig.production().withPlainHttpAllowed()
 *         .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2));
 * }</pre>
 *
 * @param connectTimeout         TCP connect (and TLS handshake socket) timeout
 * @param responseTimeout        longest silence while waiting for or reading the answer
 * @param deadline               hard cap on the whole exchange, at most {@link #MAX_DEADLINE}
 * @param allowPlainHttp         whether {@code http://} URLs may be sent (the local stack and tests); production: false
 * @param maxConnections         pooled connections, and so requests in flight, overall; any destination may use
 *                               all of them (a per-host cap would queue every Slack connector behind the
 *                               four of hooks.slack.com). A request waits for one before its deadline starts.
 * @param successBodyWait        how long a 2xx's (small) body may take after its status line; the success is
 *                               decided at the status line, and a body not in by then is dropped with its
 *                               connection instead of being waited for (at most the deadline)
 */
public record SenderConfig(Duration connectTimeout, Duration responseTimeout, Duration deadline,
                           boolean allowPlainHttp, int maxConnections, Duration successBodyWait) {

    /** The delivery policy: a destination that has not answered within 15 s has failed (as Svix counts it). */
    public static final Duration MAX_DEADLINE = Duration.ofSeconds(15);

    /** Set to {@code true} on the local stack only, to allow {@code http://} destinations. */
    public static final String ALLOW_PLAIN_HTTP_ENV = Settings.ALLOW_PLAIN_HTTP;

    public SenderConfig {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(responseTimeout, "responseTimeout");
        requirePositive(deadline, "deadline");
        if (deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("deadline must be at most " + MAX_DEADLINE + ", got " + deadline);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
        requirePositive(successBodyWait, "successBodyWait");
    }

    /** HTTPS only; 5 s connect, 10 s response silence, 15 s in all; 64 requests in flight; 1 s for a success's body. */
    public static SenderConfig production() {
        return new SenderConfig(Duration.ofSeconds(5), Duration.ofSeconds(10), MAX_DEADLINE, false, 64, Duration.ofSeconds(1));
    }

    /**
     * {@link #production()} with plain http allowed when {@value #ALLOW_PLAIN_HTTP_ENV} is {@code true},
     * and with the timeouts the optional {@code SENDER_CONNECT_TIMEOUT_MS}, {@code SENDER_RESPONSE_TIMEOUT_MS}
     * and {@code SENDER_DEADLINE_MS} give, each capped at {@link #MAX_DEADLINE}: configuration may
     * shorten the delivery policy's 15 s, never lengthen it. A value that is not a positive whole
     * number fails with the variable's name.
     */
    public static SenderConfig fromEnvironment(Map<String, String> environment) {
        SenderConfig config = production();
        config = config.withTimeouts(
                millis(environment, Settings.SENDER_CONNECT_TIMEOUT_MS, config.connectTimeout()),
                millis(environment, Settings.SENDER_RESPONSE_TIMEOUT_MS, config.responseTimeout()),
                millis(environment, Settings.SENDER_DEADLINE_MS, config.deadline()));
        return Boolean.parseBoolean(environment.get(ALLOW_PLAIN_HTTP_ENV)) ? config.withPlainHttpAllowed() : config;
    }

    private static Duration millis(Map<String, String> environment, String name, Duration unset) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return unset;
        }
        long millis;
        try {
            millis = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            millis = 0;
        }
        if (millis <= 0) {
            throw new IllegalStateException("environment variable " + name + " must be a positive number of milliseconds, got '"
                    + value + "'");
        }
        Duration given = Duration.ofMillis(millis);
        return given.compareTo(MAX_DEADLINE) > 0 ? MAX_DEADLINE : given;
    }

    public SenderConfig withPlainHttpAllowed() {
        return new SenderConfig(connectTimeout, responseTimeout, deadline, true, maxConnections, successBodyWait);
    }

    public SenderConfig withTimeouts(Duration connect, Duration response, Duration total) {
        return new SenderConfig(connect, response, total, allowPlainHttp, maxConnections, successBodyWait);
    }

    /** These settings with at most {@code connections} requests in flight. */
    public SenderConfig withMaxConnections(int connections) {
        return new SenderConfig(connectTimeout, responseTimeout, deadline, allowPlainHttp, connections, successBodyWait);
    }

    /** These settings with another wait for a success's body. */
    public SenderConfig withSuccessBodyWait(Duration wait) {
        return new SenderConfig(connectTimeout, responseTimeout, deadline, allowPlainHttp, maxConnections, wait);
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
