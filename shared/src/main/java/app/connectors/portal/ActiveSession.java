package app.connectors.portal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A valid session together with the token its cookie carried. Values bound to the session (the
 * CSRF token, OAuth states) are MACs keyed by that token: the server keeps no copy of them, a
 * leaked table cannot forge them, and only a request carrying this session's cookie can check them.
 *
 * <pre>{@code
 * ActiveSession session = sessions.find(cookieValue).orElseThrow();
 * boolean ok = session.acceptsCsrfToken(request.header("X-CSRF-Token"));
 * String tag = session.mac("oauth-state", stateId);
 * }</pre>
 */
public final class ActiveSession {

    private static final String CSRF_PURPOSE = "csrf";

    private final String token;
    private final PortalSession stored;
    private final Instant endsAt;

    ActiveSession(String token, PortalSession stored, Instant endsAt) {
        this.token = token;
        this.stored = stored;
        this.endsAt = endsAt;
    }

    public String userId() {
        return stored.userId();
    }

    public String tokenHash() {
        return stored.tokenHash();
    }

    /** When the session ends unless a request comes first (idle timeout or absolute end). */
    public Instant endsAt() {
        return endsAt;
    }

    public PortalSession stored() {
        return stored;
    }

    /** The value the page sends back in {@code X-CSRF-Token}. */
    public String csrfToken() {
        return mac(CSRF_PURPOSE, "");
    }

    public boolean acceptsCsrfToken(String given) {
        return given != null && given.length() <= SecretToken.MAX_LENGTH && SecretToken.same(csrfToken(), given);
    }

    /** HMAC-SHA256 of {@code purpose} and {@code data} under the session token, URL-safe base64. */
    public String mac(String purpose, String data) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            // The purpose is length-prefixed so that ("ab", "c") and ("a", "bc") never collide.
            hmac.update((purpose.length() + ":" + purpose + ":" + data).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code given} is this session's MAC of {@code purpose} and {@code data}. */
    public boolean verifies(String purpose, String data, String given) {
        return given != null && given.length() <= SecretToken.MAX_LENGTH && SecretToken.same(mac(purpose, data), given);
    }

    @Override
    public String toString() {
        return "ActiveSession[user=" + stored.userId() + "]";
    }
}
