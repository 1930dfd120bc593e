package app.connectors.oauth;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    private HubSpotTokens() {
    }

    /**
     * @throws ConnectFailure when the answer lacks either token
     */
    public static ObjectNode config(JsonNode answer, Instant now) {
        String access = OAuthProvider.text(answer, ACCESS_TOKEN);
        String refresh = OAuthProvider.text(answer, REFRESH_TOKEN);
        if (access == null || refresh == null) {
            throw new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR, "HubSpot's answer lacks the access or refresh token.");
        }
        long seconds = answer.path("expires_in").asLong(1800);
        return Json.object().put(ACCESS_TOKEN, access).put(REFRESH_TOKEN, refresh)
                .put(EXPIRES_AT, now.plusSeconds(Math.max(0, seconds)).toString());
    }
}
