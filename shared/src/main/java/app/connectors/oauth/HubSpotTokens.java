package app.connectors.oauth;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * HubSpot's token answers ({@code access_token}, {@code refresh_token}, {@code expires_in} seconds)
 * as the hubspot connector's config: the two tokens (secret, stored encrypted) and
 * {@code token_expires_at}, the instant the access token stops working.
 */
public final class HubSpotTokens {

    public static final String ACCESS_TOKEN = "access_token";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String EXPIRES_AT = "token_expires_at";
    /** HubSpot's access tokens live 30 minutes; an answer that gives none is taken to mean that. */
    static final long DEFAULT_LIFETIME_SECONDS = 1800;
    /**
     * The longest lifetime believed: anything beyond (or not a whole number of seconds) is a broken or
     * hostile answer, and trusting it would keep a dead token for years or overflow the clock.
     */
    static final long MAX_LIFETIME_SECONDS = Duration.ofDays(366).toSeconds();

    private HubSpotTokens() {
    }

    /**
     * @throws ConnectFailure (provider error) when the answer lacks either token or gives a lifetime
     *                        ({@code expires_in}) that is not a whole number of seconds from 0 to
     *                        {@link #MAX_LIFETIME_SECONDS}
     */
    public static ObjectNode config(JsonNode answer, Instant now) {
        String access = OAuthProvider.text(answer, ACCESS_TOKEN);
        String refresh = OAuthProvider.text(answer, REFRESH_TOKEN);
        if (access == null || refresh == null) {
            throw new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR, "HubSpot's answer lacks the access or refresh token.");
        }
        return Json.object().put(ACCESS_TOKEN, access).put(REFRESH_TOKEN, refresh)
                .put(EXPIRES_AT, now.plusSeconds(lifetimeSeconds(answer.get("expires_in"))).toString());
    }

    private static long lifetimeSeconds(JsonNode expiresIn) {
        if (expiresIn == null || expiresIn.isNull()) {
            return DEFAULT_LIFETIME_SECONDS;
        }
        if (expiresIn.isIntegralNumber() && expiresIn.canConvertToLong()
                && expiresIn.longValue() >= 0 && expiresIn.longValue() <= MAX_LIFETIME_SECONDS) {
            return expiresIn.longValue();
        }
        String shown = expiresIn.toString();
        throw new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR, "HubSpot's answer gives the access token a lifetime"
                + " (expires_in) of " + (shown.length() > 40 ? shown.substring(0, 40) + "…" : shown)
                + ", not a whole number of seconds from 0 to " + MAX_LIFETIME_SECONDS + ".");
    }
}
