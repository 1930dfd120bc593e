package app.connectors.oauth;

import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorService;
import app.connectors.delivery.CredentialRefresh;
import app.connectors.log.Log;
import app.connectors.operational.OperationalEvent;
import app.connectors.operational.OperationalEvents;
import app.connectors.problem.ConflictException;
import app.connectors.problem.NotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps a HubSpot connector's access token usable: refreshes it with the refresh token shortly before
 * it expires, and once more when HubSpot answers 401 to it. The new tokens are written with the
 * version the refresh started from (optimistic locking, {@link ConnectorService#renewCredentials}),
 * so of two concurrent refreshes one write wins and the other re-reads and uses the winner's token,
 * and a user's concurrent edit cannot write an older token back: no token is ever overwritten by an
 * older one. A refresh HubSpot refuses ({@code invalid_grant}: the app was uninstalled or the token
 * revoked) disables the connector with a reason that says to reconnect HubSpot, which the portal's
 * Connect button does (reconnecting turns it back on), and tells the host platform: the operational
 * events {@code connector.disabled} and {@code oauth.refresh_failed}, once per refusal (the refresh whose
 * disable took effect publishes them). A refresh that could not reach HubSpot is only logged: the
 * send goes ahead with the token it has, and the delivery is retried on its schedule.
 *
 * <pre>{@code
 * Connector usable = refresher.beforeSend(connector);             // refreshed when expiring soon
 * ...  // HubSpot answered 401 to usable's token:
 * Optional<Connector> retry = refresher.afterUnauthorized(usable); // empty: send no retry
 * }</pre>
 */
public final class OAuthTokenRefresher implements CredentialRefresh {

    /** Refresh this long before the access token's expiry, so a send never races it. */
    public static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
    /** The connector's status reason after HubSpot refused the refresh token. */
    public static final String RECONNECT_REASON = "HubSpot refused the refresh token (the app was uninstalled or its access"
            + " revoked): reconnect HubSpot";
    private static final int WRITE_ATTEMPTS = 3;

    private final ConnectorService connectors;
    private final TokenEndpoint tokens;
    private final Clock clock;
    private final OperationalEvents operationalEvents;

    public OAuthTokenRefresher(ConnectorService connectors, TokenEndpoint tokens, Clock clock) {
        this(connectors, tokens, clock, OperationalEvents.none());
    }

    /** @param operationalEvents where the host platform hears that a refresh was refused */
    public OAuthTokenRefresher(ConnectorService connectors, TokenEndpoint tokens, Clock clock, OperationalEvents operationalEvents) {
        this.connectors = connectors;
        this.tokens = tokens;
        this.clock = clock;
        this.operationalEvents = operationalEvents;
    }

    /** Whether this connector's credentials are refreshable OAuth tokens (a HubSpot connector with a refresh token). */
    public boolean handles(Connector connector) {
        return OAuthProvider.HUBSPOT.connectorType().equals(connector.type())
                && connectors.secretsOf(connector).config().hasNonNull(HubSpotTokens.REFRESH_TOKEN);
    }

    /**
     * The connector to send with: itself, or with a fresh access token when its token expires within
     * {@link #REFRESH_AHEAD} (or its expiry is unknown and was never refreshed here). When the refresh
     * is refused the connector is disabled and returned as it was; the send then fails on its own.
     */
    @Override
    public Connector beforeSend(Connector connector) {
        if (!handles(connector) || !expiresSoon(connector)) {
            return connector;
        }
        return refresh(connector).orElse(connector);
    }

    /**
     * After HubSpot answered 401 to {@code used}'s token: the connector with a newer token to retry
     * with once, or empty when there is none (the refresh was refused, or the connector is gone).
     * If another request refreshed meanwhile, its token is used without refreshing again.
     */
    @Override
    public Optional<Connector> afterUnauthorized(Connector used) {
        if (!handles(used)) {
            return Optional.empty();
        }
        Connector current;
        try {
            current = connectors.get(used.userId(), used.id());
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
        if (current.version() != used.version() && !accessToken(current).equals(accessToken(used))) {
            return Optional.of(current);
        }
        return refresh(current);
    }

    private Optional<Connector> refresh(Connector start) {
        Connector current = start;
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            ObjectNode secret = connectors.secretsOf(current).config();
            ObjectNode config;
            try {
                JsonNode grant = tokens.exchange(OAuthProvider.HUBSPOT, Map.of("grant_type", "refresh_token",
                        "refresh_token", secret.get(HubSpotTokens.REFRESH_TOKEN).asText()));
                config = refreshedConfig(grant, secret);
            } catch (TokenEndpoint.Refused refused) {
                if ("invalid_grant".equals(refused.error()) || "BAD_REFRESH_TOKEN".equals(refused.error())) {
                    // A provider that rotates refresh tokens refuses the old one once a concurrent refresh used
                    // it: if that refresh has been written meanwhile, its tokens are the answer, not a disable.
                    Optional<Connector> newer = refreshedMeanwhile(current);
                    if (newer.isPresent()) {
                        return newer;
                    }
                    if (connectors.disable(current.userId(), current.id(), current.version(), RECONNECT_REASON)) {
                        operationalEvents.publish(OperationalEvent.oauthRefreshFailed(current.userId(), current.id(),
                                current.type(), OAuthProvider.HUBSPOT.id(), "HubSpot refused to renew the connector's access ("
                                        + refused.error() + ": the app was uninstalled or its access revoked); reconnect HubSpot",
                                clock));
                    }
                    Log.warn("oauth.refresh_refused", "connectorId", current.id(), "userId", current.userId(),
                            "error", refused.error());
                    return Optional.empty();
                }
                Log.warn("oauth.refresh_failed", "connectorId", current.id(), "detail", refused.getMessage());
                return Optional.empty();
            } catch (ConnectFailure failed) {
                // HubSpot could not be reached, or answered something unusable (no token, an absurd lifetime):
                // the send goes ahead with the token it has (and may be retried); nothing is stored.
                Log.warn("oauth.refresh_failed", "connectorId", current.id(), "detail", failed.getMessage());
                return Optional.empty();
            }
            try {
                Connector written = connectors.renewCredentials(current, config);
                Log.info("oauth.refreshed", "connectorId", current.id(), "userId", current.userId());
                return Optional.of(written);
            } catch (ConflictException raced) {
                // Another request wrote first (a concurrent refresh, or a user's edit): read what it wrote.
                try {
                    current = connectors.get(start.userId(), start.id());
                } catch (NotFoundException gone) {
                    return Optional.empty();
                }
                if (!accessToken(current).equals(accessToken(start)) && !expiresSoon(current)) {
                    return Optional.of(current);
                }
            } catch (NotFoundException gone) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The connector as stored now, when its refresh token is no longer the one {@code used} had. */
    private Optional<Connector> refreshedMeanwhile(Connector used) {
        try {
            Connector now = connectors.get(used.userId(), used.id());
            String before = connectors.secretsOf(used).config().path(HubSpotTokens.REFRESH_TOKEN).asText();
            String after = connectors.secretsOf(now).config().path(HubSpotTokens.REFRESH_TOKEN).asText();
            return before.equals(after) ? Optional.empty() : Optional.of(now);
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    /** HubSpot's answer as config; a refresh answer without a refresh token keeps the one that was used. */
    private ObjectNode refreshedConfig(JsonNode grant, ObjectNode used) {
        ObjectNode withRefresh = grant.deepCopy();
        if (!withRefresh.hasNonNull(HubSpotTokens.REFRESH_TOKEN)) {
            withRefresh.set(HubSpotTokens.REFRESH_TOKEN, used.get(HubSpotTokens.REFRESH_TOKEN));
        }
        return HubSpotTokens.config(withRefresh, clock.instant());
    }

    private boolean expiresSoon(Connector connector) {
        JsonNode expiry = connector.publicConfig().get(HubSpotTokens.EXPIRES_AT);
        if (expiry == null || !expiry.isTextual()) {
            // Tokens pasted by hand carry no expiry: refresh on the first 401 only.
            return false;
        }
        try {
            return !clock.instant().plus(REFRESH_AHEAD).isBefore(Instant.parse(expiry.textValue()));
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private String accessToken(Connector connector) {
        return connectors.secretsOf(connector).config().path(HubSpotTokens.ACCESS_TOKEN).asText();
    }
}
