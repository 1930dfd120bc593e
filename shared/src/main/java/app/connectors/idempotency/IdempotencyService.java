package app.connectors.idempotency;

import app.connectors.crypto.SecretCipher;
import app.connectors.json.Json;
import app.connectors.problem.ApiException;
import app.connectors.problem.ConflictException;
import app.connectors.problem.UnprocessableContentException;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs a request at most once per {@code Idempotency-Key} of a user, as Stripe and Svix do:
 *
 * <ul>
 *   <li>the first request with a key runs, and its successful answer is stored (encrypted) for 24 hours;</li>
 *   <li>a retry with the same key and the same body gets that answer again, marked as replayed;</li>
 *   <li>the same key with a different body is refused (422), and so is a retry while the first is still
 *       running (409: retry in a moment);</li>
 *   <li>a refused request (4xx) stores nothing, so the key can be used again once the body is fixed;</li>
 *   <li>an attempt that died mid-way (a crash, a timeout) is taken over by the next retry once its lock
 *       expires, with the same reserved id, so the operation finds what the dead attempt created
 *       instead of creating a second one.</li>
 * </ul>
 *
 * Keys are scoped per user: the same key from two users is two keys.
 *
 * <pre>{@code
 * Answer answer = idempotency.execute(userId, key, body, newId, reservedId -> create(userId, body, reservedId));
 * }</pre>
 */
public final class IdempotencyService {

    /** How long a key stays bound to its first request. */
    public static final Duration RETENTION = Duration.ofHours(24);
    /**
     * How long an attempt holds its key: well beyond the API functions' timeout (15 s), so a running
     * attempt is never taken over; an attempt that died is taken over after it.
     */
    public static final Duration LEASE = Duration.ofSeconds(60);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final IdempotencyStore store;
    private final SecretCipher cipher;
    private final Clock clock;

    public IdempotencyService(IdempotencyStore store, SecretCipher cipher, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * An answer to store and replay.
     *
     * @param replayed true when this is the stored answer of an earlier request with the same key
     */
    public record Answer(int status, Map<String, String> headers, String body, boolean replayed) {

        public Answer {
            headers = Map.copyOf(headers);
        }

        public static Answer of(int status, Map<String, String> headers, String body) {
            return new Answer(status, headers, body, false);
        }
    }

    /**
     * Runs {@code operation} once for (user, key, body); see the class comment for retries.
     *
     * @param newId     the id to reserve for what the operation creates, used when this is the key's first request
     * @param operation given the reserved id to use for what it creates; returns a 2xx answer or throws
     */
    public Answer execute(String userId, String key, String body, String newId, Function<String, Answer> operation) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw ValidationException.of("Idempotency-Key",
                    "Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID");
        }
        String fingerprint = fingerprint(body);
        Instant now = clock.instant();
        IdempotencyRecord fresh = new IdempotencyRecord(userId, key, fingerprint, newId,
                IdempotencyRecord.State.IN_PROGRESS, now.plus(LEASE), 0, null, now, now.plus(RETENTION));
        if (store.reserve(fresh, now)) {
            return run(fresh, operation);
        }
        IdempotencyRecord existing = store.find(userId, key).orElseThrow(() ->
                new ConflictException("A request with this Idempotency-Key just finished or expired; retry it."));
        if (!existing.fingerprint().equals(fingerprint)) {
            throw new UnprocessableContentException("This Idempotency-Key was already used with a different request body"
                    + " (at " + existing.createdAt() + "); send a new key for a new request, or the same body to get the"
                    + " first answer again.");
        }
        if (existing.state() == IdempotencyRecord.State.COMPLETED) {
            return replay(existing);
        }
        if (existing.lockedUntil().isAfter(now)) {
            throw new ConflictException("A request with this Idempotency-Key is still being processed; retry in a few seconds"
                    + " to get its answer.");
        }
        if (!store.takeOver(userId, key, existing.lockedUntil(), now.plus(LEASE))) {
            throw new ConflictException("Another retry with this Idempotency-Key took over first; retry in a few seconds"
                    + " to get its answer.");
        }
        return run(existing, operation);
    }

    private Answer run(IdempotencyRecord record, Function<String, Answer> operation) {
        Answer answer;
        try {
            answer = operation.apply(record.reservedId());
        } catch (ApiException refused) {
            // Nothing was done (validation, quota, a conflict): the key is free again for a corrected request.
            store.release(record.userId(), record.key(), record.reservedId());
            throw refused;
        }
        // An unexpected failure leaves the record in progress: its lock expires and a retry takes over.
        if (answer.status() >= 200 && answer.status() < 300) {
            store.complete(record.userId(), record.key(), record.reservedId(), answer.status(), seal(record, answer));
        } else {
            store.release(record.userId(), record.key(), record.reservedId());
        }
        return answer;
    }

    private Answer replay(IdempotencyRecord record) {
        byte[] json = cipher.decrypt(record.sealedResponse(), context(record));
        try {
            JsonNode stored = Json.MAPPER.readTree(json);
            Map<String, String> headers = new LinkedHashMap<>();
            stored.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
            return new Answer(stored.path("status").asInt(), headers, stored.path("body").asText(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored answer is not JSON", e);
        }
    }

    private byte[] seal(IdempotencyRecord record, Answer answer) {
        ObjectNode stored = Json.object().put("status", answer.status()).put("body", answer.body());
        ObjectNode headers = stored.putObject("headers");
        answer.headers().forEach(headers::put);
        return cipher.encrypt(Json.writeBytes(stored), context(record));
    }

    private static Map<String, String> context(IdempotencyRecord record) {
        return Map.of("userId", record.userId(), "idempotencyKey", record.key());
    }

    /**
     * SHA-256 of the body as canonical JSON (object members sorted, no spaces), so a retry that
     * reorders or reformats the same JSON is the same request; a body that is not JSON is hashed as is.
     */
    static String fingerprint(String body) {
        String canonical;
        try {
            JsonNode parsed = body == null || body.isBlank() ? null : Json.parse(body);
            canonical = parsed == null ? (body == null ? "" : body) : Json.write(canonical(parsed));
        } catch (JsonProcessingException notJson) {
            canonical = body;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
            ObjectNode out = Json.object();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = Json.array();
            node.forEach(item -> out.add(canonical(item)));
            return out;
        }
        return node;
    }
}
