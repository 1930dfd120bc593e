package app.connectors.net;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What a {@link FetchRequest} got: an answer with any status (3xx included: redirects are not followed), or none. */
public sealed interface FetchResult {

    /**
     * @param body the answer's body, at most {@link GuardedHttpSender#MAX_FETCH_BYTES}
     */
    record Answer(int status, String contentType, byte[] body, Duration latency) implements FetchResult {

        public Answer {
            body = body == null ? new byte[0] : body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }

    /** No answer: why, with at most the URL's origin in the message. */
    record Unreachable(SendResult.FailureKind kind, String message) implements FetchResult {
    }
}
