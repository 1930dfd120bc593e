package app.connectors.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One scripted behaviour of a {@link FakeDestination}: an HTTP answer, or misbehaviour on the wire
 * (hang, reset, close without answer, a body that trickles in).
 *
 * <pre>{@code
 * fake.enqueue(FakeReply.tooManyRequests("2"), FakeReply.reset(), FakeReply.text(200, "ok"));
 * }</pre>
 */
public sealed interface FakeReply {

    /** An HTTP answer. */
    record Answer(int status, Map<String, String> headers, byte[] body) implements FakeReply {

        public Answer {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        /** A copy with one more header. */
        public Answer withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(status, more, body);
        }
    }

    /** Read the request, then say nothing until the client gives up or the fake closes. */
    record Hang() implements FakeReply {
    }

    /** Read the request, then reset the connection (RST: SO_LINGER 0 and close). */
    record Reset() implements FakeReply {
    }

    /** Read the request, then close the connection cleanly without a byte of answer. */
    record CloseWithoutAnswer() implements FakeReply {
    }

    /** Send the status line and headers at once, then one body byte every {@code interval}. */
    record SlowBody(int status, int bytes, Duration interval) implements FakeReply {
    }

    /**
     * Send the status line and headers announcing {@code bytes} of body, then write the body as fast
     * as the client takes it; {@link FakeDestination#bodyBytesWritten()} counts what got out.
     */
    record HugeBody(int status, long bytes) implements FakeReply {
    }

    static Answer status(int status) {
        return new Answer(status, Map.of(), new byte[0]);
    }

    static Answer text(int status, String body) {
        return new Answer(status, Map.of("Content-Type", "text/plain; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer json(int status, String json) {
        return new Answer(status, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    /** 429 with a {@code Retry-After} header (delta-seconds or HTTP-date), as Slack sends it. */
    static Answer tooManyRequests(String retryAfter) {
        return text(429, "rate_limited").withHeader("Retry-After", retryAfter);
    }

    /** Discord's 429: JSON {@code retry_after} in float seconds, plus the rounded-up header. */
    static Answer discordRateLimited(double retryAfterSeconds, boolean global) {
        String body = String.format(Locale.ROOT,
                "{\"message\":\"You are being rate limited.\",\"retry_after\":%s,\"global\":%s}", retryAfterSeconds, global);
        return json(429, body)
                .withHeader("Retry-After", Long.toString((long) Math.ceil(retryAfterSeconds)))
                .withHeader("X-RateLimit-Limit", "5")
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset-After", Double.toString(retryAfterSeconds))
                .withHeader("X-RateLimit-Scope", global ? "global" : "user");
    }

    /** Slack: the channel behind the webhook was deleted. */
    static Answer slackChannelNotFound() {
        return text(404, "channel_not_found");
    }

    /** Slack: the channel behind the webhook was archived. */
    static Answer slackChannelArchived() {
        return text(410, "channel_is_archived");
    }

    /** A 302 that a well-behaved sender must not follow. */
    static Answer redirect(String location) {
        return status(302).withHeader("Location", location);
    }

    static FakeReply hang() {
        return new Hang();
    }

    static FakeReply reset() {
        return new Reset();
    }

    static FakeReply closeWithoutAnswer() {
        return new CloseWithoutAnswer();
    }

    static FakeReply slowBody(int status, int bytes, Duration interval) {
        return new SlowBody(status, bytes, interval);
    }

    static FakeReply hugeBody(int status, long bytes) {
        return new HugeBody(status, bytes);
    }
}
