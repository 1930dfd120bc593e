package app.connectors.local.fake;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fake HubSpot: {@code /oauth/authorize} (the five CRM write scopes), {@code /oauth/v1/token} for
 * the authorization code and for refresh tokens (a refresh answers a new access token and a new
 * refresh token; the old access token stops working), and the CRM endpoint
 * {@code /crm/v3/objects/notes}, which answers 401 to an unknown or expired access token.
 * {@link #expireAccessTokens()} makes every access token expired at once.
 */
public final class FakeHubSpot extends FakeProvider {

    static final String SCOPES = "crm.objects.contacts.write crm.objects.companies.write crm.objects.deals.write"
            + " crm.objects.quotes.write crm.objects.marketing_events.write";
    private static final long LIFETIME_SECONDS = 1800;

    private final Clock clock;
    /** access token → when it expires */
    private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>();
    /** refresh token → still valid */
    private final Map<String, Boolean> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger refreshes = new AtomicInteger();

    public FakeHubSpot(String clientId, String clientSecret, Clock clock) {
        super(clientId, clientSecret);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "hubspot";
    }

    @Override
    public List<String> hosts() {
        return List.of("app.hubspot.com", "api.hubapi.com");
    }

    /** Every access token handed out so far stops working now. */
    public void expireAccessTokens() {
        accessTokens.replaceAll((token, expiry) -> Instant.EPOCH);
    }

    /** Refresh tokens stop working (the user uninstalled the app): the next refresh is refused with invalid_grant. */
    public void revokeRefreshTokens() {
        refreshTokens.replaceAll((token, valid) -> false);
    }

    /** How many refresh grants were answered successfully. */
    public int refreshes() {
        return refreshes.get();
    }

    @Override
    protected boolean route(HttpExchange exchange, String method, String path) throws IOException {
        if (path.equals("/oauth/authorize")) {
            authorize(exchange, method, SCOPES, false);
        } else if (path.equals("/oauth/v1/token") && method.equals("POST")) {
            token(exchange);
        } else if (path.startsWith("/crm/v3/objects/") && method.equals("POST")) {
            crm(exchange);
        } else if (path.equals("/_fake/expire-access-tokens") && method.equals("POST")) {
            expireAccessTokens();
            text(exchange, 204, "");
        } else {
            return false;
        }
        return true;
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(exchange);
        Refusal refusal = (ex, status, error, description) -> json(ex, status == 0 ? 400 : status, JSON.createObjectNode()
                .put("status", error.equals("invalid_grant") ? "BAD_REFRESH_TOKEN" : error.toUpperCase(java.util.Locale.ROOT))
                .put("error", error).put("error_description", description).put("message", description));
        if ("refresh_token".equals(form.get("grant_type"))) {
            if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
                refusal.write(exchange, 401, "invalid_client", "client credentials do not match");
                return;
            }
            if (!Boolean.TRUE.equals(refreshTokens.get(form.get("refresh_token")))) {
                refusal.write(exchange, 400, "invalid_grant", "missing or unknown refresh token");
                return;
            }
            refreshes.incrementAndGet();
            issue(exchange, form.get("refresh_token"));
            return;
        }
        if (!"authorization_code".equals(form.get("grant_type"))) {
            refusal.write(exchange, 400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
            return;
        }
        if (redeem(exchange, form, null, refusal) == null) {
            return;
        }
        String refresh = "fake-refresh-" + randomToken();
        refreshTokens.put(refresh, true);
        issue(exchange, refresh);
    }

    private void issue(HttpExchange exchange, String refresh) throws IOException {
        String access = "fake-access-" + randomToken();
        accessTokens.put(access, clock.instant().plusSeconds(LIFETIME_SECONDS));
        json(exchange, 200, JSON.createObjectNode().put("token_type", "bearer").put("access_token", access)
                .put("refresh_token", refresh).put("expires_in", LIFETIME_SECONDS));
    }

    private void crm(HttpExchange exchange) throws IOException {
        String body = body(exchange);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        Instant expiry = token == null ? null : accessTokens.get(token);
        if (expiry == null || !clock.instant().isBefore(expiry)) {
            json(exchange, 401, JSON.createObjectNode().put("status", "error").put("category", "EXPIRED_AUTHENTICATION")
                    .put("message", "The OAuth token used to make this call expired or is unknown."));
            return;
        }
        record(exchange, body);
        json(exchange, 201, JSON.createObjectNode().put("id", Long.toString(System.nanoTime())));
    }
}
