package app.connectors.oauth;

import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorInput;
import app.connectors.connector.ConnectorService;
import app.connectors.delivery.EndpointOverrides;
import app.connectors.portal.ActiveSession;
import app.connectors.portal.SecretToken;
import app.connectors.problem.LimitExceededException;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * "Connect to Slack / Discord / HubSpot": an OAuth 2 authorization-code flow that ends in a
 * connector created (or reconnected) through {@link ConnectorService}, with the same validation,
 * SSRF and host rules and plan limit as a connector typed in by hand.
 *
 * <p>The {@code state} is {@code <id>.<expiry>.<mac>}: the MAC is keyed by the session token (see
 * {@link ActiveSession#mac}), so only the session that started the flow can finish it, and a forged or
 * expired state is refused before any storage is read. The pending flow is stored under the id's
 * hash and taken with one conditional delete, so a state works once.
 *
 * <pre>{@code
 * URI go = flow.begin(session, OAuthProvider.SLACK, ConnectRequest.read(body), redirectUri);   // browser → go
 * Connected done = flow.complete(session, OAuthProvider.SLACK, CallbackParams.of(query));      // after the callback
 * }</pre>
 */
public final class ConnectFlow {

    public static final Duration STATE_LIFETIME = Duration.ofMinutes(10);
    static final String STATE_PURPOSE = "oauth-state";
    private static final Pattern STATE = Pattern.compile("([A-Za-z0-9_-]{32})\\.([0-9]{1,12})\\.([A-Za-z0-9_-]{43})");

    private final OAuthApps apps;
    private final OAuthStateStore states;
    private final ConnectorService connectors;
    private final TokenEndpoint tokens;
    private final EndpointOverrides overrides;
    private final Clock clock;

    public ConnectFlow(OAuthApps apps, OAuthStateStore states, ConnectorService connectors, TokenEndpoint tokens,
                       EndpointOverrides overrides, Clock clock) {
        this.apps = apps;
        this.states = states;
        this.connectors = connectors;
        this.tokens = tokens;
        this.overrides = overrides;
        this.clock = clock;
    }

    /** The providers the operator has set up. */
    public List<OAuthProvider> available() {
        return apps.configured();
    }

    /** Where the browser goes to consent (the page's CSP allows these as form actions). */
    public List<URI> authorizeOrigins() {
        return apps.configured().stream().map(p -> overrides.apply(p.authorizeEndpoint())).toList();
    }

    /**
     * Starts a flow: checks what can be checked before the user leaves (the provider is set up, the
     * draft is valid, the plan has room, or the connector to reconnect is theirs and of this type),
     * stores the pending flow and returns the provider's authorize URL.
     *
     * @param redirectUri the portal's callback for this provider, registered with the provider exactly
     */
    public URI begin(ActiveSession session, OAuthProvider provider, ConnectRequest request, String redirectUri) {
        String clientId = apps.clientId(provider);
        if (request.reconnects()) {
            Connector existing = connectors.get(session.userId(), request.connectorId());
            if (!existing.type().equals(provider.connectorType())) {
                throw ValidationException.of("connectorId", "connector " + existing.id() + " is a " + existing.type()
                        + " connector; Connect to " + provider.displayName() + " reconnects " + provider.id() + " connectors only");
            }
        } else {
            connectors.checkDraft(session.userId(), draft(provider, request, null));
        }
        Instant now = clock.instant();
        Instant expiresAt = now.plus(STATE_LIFETIME);
        String id = SecretToken.generate("").substring(0, 32);
        String state = id + "." + expiresAt.getEpochSecond() + "." + session.mac(STATE_PURPOSE, signed(provider, id, expiresAt.getEpochSecond()));
        states.save(new PendingConnect(SecretToken.hash(id), session.userId(), session.tokenHash(), provider.id(), request.toJson(),
                redirectUri, now, expiresAt));
        Map<String, String> query = new LinkedHashMap<>();
        if (provider == OAuthProvider.DISCORD) {
            query.put("response_type", "code");
        }
        query.put("client_id", clientId);
        query.put("scope", String.join(" ", provider.scopes()));
        query.put("redirect_uri", redirectUri);
        query.put("state", state);
        String encoded = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
        return URI.create(overrides.apply(provider.authorizeEndpoint()) + "?" + encoded);
    }

    /**
     * Whether {@code state} was minted by this session for this provider. Reads no storage; the
     * callback uses it to decide whether it can finish here or must hand over to the portal window
     * that holds the session.
     */
    /**
     * Whether {@code state} has the form of a state the portal mints (whichever session's). A callback
     * whose state does not is not a Connect flow of the portal at all: missing, truncated or tampered.
     */
    public boolean isWellFormed(String state) {
        return parse(state).isPresent();
    }

    public boolean belongsTo(ActiveSession session, OAuthProvider provider, String state) {
        Optional<Matcher> parsed = parse(state);
        return parsed.isPresent() && session.verifies(STATE_PURPOSE, signed(provider, parsed.get().group(1),
                Long.parseLong(parsed.get().group(2))), parsed.get().group(3));
    }

    /**
     * Finishes a flow with the provider's callback parameters, inside the session that started it.
     *
     * @throws ConnectFailure for every way it can fail; nothing is stored then
     */
    public Connected complete(ActiveSession session, OAuthProvider provider, CallbackParams params) {
        Matcher state = parse(params.state()).orElseThrow(() -> new ConnectFailure(ConnectFailure.Reason.INVALID_STATE,
                "This authorization was not started by the portal (its state is missing or malformed); nothing was connected."
                        + " Start Connect to " + provider.displayName() + " again."));
        long expiry = Long.parseLong(state.group(2));
        if (!session.verifies(STATE_PURPOSE, signed(provider, state.group(1), expiry), state.group(3))) {
            throw wrongSession(provider);
        }
        Instant now = clock.instant();
        if (!now.isBefore(Instant.ofEpochSecond(expiry))) {
            throw new ConnectFailure(ConnectFailure.Reason.EXPIRED, "The authorization took longer than "
                    + STATE_LIFETIME.toMinutes() + " minutes, so it expired; nothing was connected. Start Connect to "
                    + provider.displayName() + " again.");
        }
        PendingConnect pending = states.take(SecretToken.hash(state.group(1))).orElseThrow(() -> new ConnectFailure(
                ConnectFailure.Reason.REPLAYED, "This authorization was already used; nothing more was connected. Start Connect to "
                + provider.displayName() + " again to add another."));
        if (!pending.sessionHash().equals(session.tokenHash()) || !pending.userId().equals(session.userId())
                || !pending.provider().equals(provider.id())) {
            throw wrongSession(provider);
        }
        if (params.error() != null) {
            if ("access_denied".equals(params.error())) {
                throw new ConnectFailure(ConnectFailure.Reason.DENIED, "You declined on " + provider.displayName()
                        + "'s page, so nothing was connected.");
            }
            throw new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR, provider.displayName() + " reported an error ("
                    + clip(params.error()) + (params.errorDescription() == null ? "" : ": " + clip(params.errorDescription()))
                    + "); nothing was connected. Try again, or ask the operator to check the app's setup.");
        }
        if (params.code() == null) {
            throw new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR, provider.displayName()
                    + " sent no authorization code; nothing was connected. Start Connect again.");
        }
        JsonNode grant;
        try {
            grant = tokens.exchange(provider, Map.of("grant_type", "authorization_code", "code", params.code(),
                    "redirect_uri", pending.redirectUri()));
        } catch (TokenEndpoint.Refused refused) {
            throw refused.asConnectFailure();
        }
        ObjectNode config = provider.config(grant, now);
        return store(session.userId(), provider, ConnectRequest.fromJson(pending.request()), config);
    }

    private Connected store(String userId, OAuthProvider provider, ConnectRequest request, ObjectNode config) {
        try {
            if (request.reconnects()) {
                // Back on: a connector disabled because its credentials were refused works again with new ones.
                Connector updated = connectors.update(userId, request.connectorId(), new ConnectorInput(null, null, config, null, null,
                        null, false, true, null, null));
                return new Connected(updated.id(), provider, true);
            }
            var created = connectors.create(userId, draft(provider, request, config));
            return new Connected(created.connector().id(), provider, false);
        } catch (ValidationException e) {
            String details = e.errors().isEmpty() ? e.getMessage()
                    : e.errors().stream().map(err -> err.message()).collect(Collectors.joining("; "));
            throw new ConnectFailure(ConnectFailure.Reason.REFUSED, provider.displayName() + "'s answer cannot be used: "
                    + details + ". Nothing was connected.");
        } catch (LimitExceededException e) {
            throw new ConnectFailure(ConnectFailure.Reason.LIMIT, e.getMessage());
        } catch (NotFoundException e) {
            throw new ConnectFailure(ConnectFailure.Reason.GONE, "The connector to reconnect was deleted meanwhile; nothing was"
                    + " connected. Start Connect to " + provider.displayName() + " again to create a new one.");
        }
    }

    private static ConnectorInput draft(OAuthProvider provider, ConnectRequest request, ObjectNode config) {
        return new ConnectorInput(provider.connectorType(), request.name(), config, request.events(), request.filters(), null, false,
                null, null, request.template());
    }

    private static ConnectFailure wrongSession(OAuthProvider provider) {
        return new ConnectFailure(ConnectFailure.Reason.WRONG_SESSION, "This authorization was started in another portal"
                + " session (another browser or user, or one that has ended), so it was not used here; nothing was connected."
                + " Start Connect to " + provider.displayName() + " again from this portal.");
    }

    private static String signed(OAuthProvider provider, String id, long expiry) {
        return provider.id() + "." + id + "." + expiry;
    }

    private static Optional<Matcher> parse(String state) {
        if (state == null || state.length() > 100) {
            return Optional.empty();
        }
        Matcher matcher = STATE.matcher(state);
        return matcher.matches() ? Optional.of(matcher) : Optional.empty();
    }

    private static String clip(String text) {
        String single = text.replaceAll("\\p{Cntrl}", " ");
        return single.length() > 200 ? single.substring(0, 200) + "…" : single;
    }

    /** What the provider sent back to the redirect URI. */
    public record CallbackParams(String code, String state, String error, String errorDescription) {

        /** From a query string's (or the relayed page's) parameters; unknown ones are ignored. */
        public static CallbackParams of(Map<String, String> parameters) {
            Map<String, String> p = parameters == null ? Map.of() : parameters;
            return new CallbackParams(blankToNull(p.get("code")), blankToNull(p.get("state")), blankToNull(p.get("error")),
                    blankToNull(p.get("error_description")));
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }

    /** A flow that ended with a stored connector. */
    public record Connected(String connectorId, OAuthProvider provider, boolean reconnected) {
    }
}
