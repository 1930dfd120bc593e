package app.connectors.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API token text: a recognisable prefix ({@code cnk_}, so leaked tokens are easy to scan for) and
 * 256 random bits. Only {@link #hash} of a token is ever stored.
 *
 * <pre>{@code
 * String token = ApiToken.generate();      // cnk_3q2…  shown to the user once
 * String stored = ApiToken.hash(token);    // SHA-256 hex, the table key
 * }</pre>
 */
public final class ApiToken {

    public static final String PREFIX = "cnk_";
    /** How much of the token the API shows again later, so users can tell tokens apart. */
    static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 6;

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiToken() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String newId() {
        byte[] bytes = new byte[9];
        RANDOM.nextBytes(bytes);
        return "tok_" + HexFormat.of().formatHex(bytes);
    }

    /** SHA-256 hex of the token text. A fast hash suffices: the token has 256 bits of entropy. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    public static String displayPrefix(String token) {
        return token.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, token.length()));
    }
}
