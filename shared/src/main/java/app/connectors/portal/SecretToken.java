package app.connectors.portal;

import app.connectors.auth.ApiToken;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * High-entropy bearer values of the portal (link codes, session tokens, CSRF tokens, OAuth states):
 * 256 random bits behind a recognisable prefix. Stores keep only {@link #hash} of a code or session
 * token, as they do for API tokens, so a leaked table does not open sessions.
 *
 * <pre>{@code
 * String code = SecretToken.generate(SecretToken.LINK_PREFIX);   // cpl_…
 * String key = SecretToken.hash(code);                            // what the table stores
 * }</pre>
 */
public final class SecretToken {

    public static final String LINK_PREFIX = "cpl_";
    public static final String SESSION_PREFIX = "cps_";
    /** Longer values are refused unread: no real token is that long, and hashing megabytes is a cheap attack. */
    public static final int MAX_LENGTH = 128;

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretToken() {
    }

    /** {@code prefix} followed by 256 random bits in URL-safe base64 (43 characters). */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 hex; a fast hash suffices for 256-bit random values. */
    public static String hash(String token) {
        return ApiToken.hash(token);
    }

    /** Whether {@code value} could be a token minted with {@code prefix} (shape only; says nothing of validity). */
    public static boolean looksLike(String value, String prefix) {
        return value != null && value.length() <= MAX_LENGTH && value.startsWith(prefix)
                && value.substring(prefix.length()).matches("[A-Za-z0-9_-]{43}");
    }

    /** Constant-time comparison, so a mismatch's position is not measurable. */
    public static boolean same(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
