package app.connectors.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies the Standard Webhooks way (the scheme Svix popularised), so that receivers
 * can verify them with any of its libraries: {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">}, keyed with the base64-decoded part of a {@code whsec_…} secret.
 * Thread-safe.
 *
 * <pre>{@code
 * StandardWebhookSigner signer = new StandardWebhookSigner();
 * String secret = signer.newSecret();                       // shown to the user once, stored encrypted
 * StandardWebhookSigner.Headers headers = signer.headers(deliveryId, body, secret);
 * headers.asMap().forEach(request::header);
 * // receiver side
 * boolean ok = signer.verify(id, timestamp, signature, body, secret);
 * }</pre>
 */
public final class StandardWebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String SIGNATURE_HEADER = "webhook-signature";
    /** The replay window the Standard Webhooks libraries use. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String VERSION = "v1";
    private static final int SECRET_BYTES = 32;
    private static final String HMAC = "HmacSHA256";

    private final Clock clock;
    private final Duration tolerance;
    private final SecureRandom random;

    /** The real clock, a five-minute tolerance, and a strong random source for secrets. */
    public StandardWebhookSigner() {
        this(Clock.systemUTC(), DEFAULT_TOLERANCE, new SecureRandom());
    }

    StandardWebhookSigner(Clock clock, Duration tolerance, SecureRandom random) {
        this.clock = clock;
        this.tolerance = tolerance;
        this.random = random;
    }

    /** The three headers of one delivery attempt. */
    public record Headers(String id, String timestamp, String signature) {

        /** In the order the spec lists them, keyed by the lower-case header names. */
        public Map<String, String> asMap() {
            Map<String, String> map = new LinkedHashMap<>(4);
            map.put(ID_HEADER, id);
            map.put(TIMESTAMP_HEADER, timestamp);
            map.put(SIGNATURE_HEADER, signature);
            return map;
        }
    }

    /** {@code whsec_} and the base64 of 32 random bytes. */
    public String newSecret() {
        byte[] key = new byte[SECRET_BYTES];
        random.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** {@code v1,<base64 HMAC-SHA256 of "msgId.timestampSeconds.body">}. */
    public String sign(String msgId, long timestampSeconds, byte[] body, String secret) {
        return VERSION + "," + Base64.getEncoder().encodeToString(mac(msgId, Long.toString(timestampSeconds), body, key(secret)));
    }

    /** Headers signed now; {@code msgId} should be the same on every retry of one delivery. */
    public Headers headers(String msgId, byte[] body, String secret) {
        return headers(msgId, clock.instant().getEpochSecond(), body, secret);
    }

    public Headers headers(String msgId, long timestampSeconds, byte[] body, String secret) {
        return new Headers(msgId, Long.toString(timestampSeconds), sign(msgId, timestampSeconds, body, secret));
    }

    /**
     * Headers signed with every given secret (space-separated signatures): during a rotation the
     * new secret and the one it replaces both sign, so receivers can switch at their own pace.
     */
    public Headers headers(String msgId, byte[] body, java.util.List<String> secrets) {
        long timestamp = clock.instant().getEpochSecond();
        StringBuilder signatures = new StringBuilder();
        for (String secret : secrets) {
            if (!signatures.isEmpty()) {
                signatures.append(' ');
            }
            signatures.append(sign(msgId, timestamp, body, secret));
        }
        return new Headers(msgId, Long.toString(timestamp), signatures.toString());
    }

    /**
     * True when the timestamp is within the tolerance of now and one of the space-separated
     * signatures (several during a secret rotation) is a valid {@code v1} signature of the body.
     * Comparison is constant-time. Malformed headers are simply not valid.
     */
    public boolean verify(String msgId, String timestampHeader, String signatureHeader, byte[] body, String secret) {
        if (msgId == null || timestampHeader == null || signatureHeader == null || body == null) {
            return false;
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - timestamp) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = mac(msgId, timestampHeader.trim(), body, key(secret));
        for (String candidate : signatureHeader.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !VERSION.equals(candidate.substring(0, comma))) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }

    /** The HMAC key: the base64 after {@code whsec_} (a bare base64 secret is accepted too). */
    private static byte[] key(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("secret is missing");
        }
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            byte[] key = Base64.getDecoder().decode(encoded);
            if (key.length == 0) {
                throw new IllegalArgumentException("secret is empty");
            }
            return key;
        } catch (IllegalArgumentException e) {
            // Never put the secret itself in the message: it ends up in logs.
            throw new IllegalArgumentException("secret is not whsec_ followed by base64", e);
        }
    }

    private static byte[] mac(String msgId, String timestamp, byte[] body, byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            // Fed piecewise: no copy of the body just to prepend "id.timestamp.".
            mac.update(msgId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            mac.update(body);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
