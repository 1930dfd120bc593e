package app.connectors.oauth;

import app.connectors.delivery.EndpointOverrides;
import app.connectors.json.Json;
import app.connectors.net.FetchRequest;
import app.connectors.net.FetchResult;
import app.connectors.net.HttpFetcher;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls a provider's token endpoint with the operator's client credentials: the authorization-code
 * exchange of a Connect flow, and HubSpot's refresh. The call goes through the SSRF-guarded fetcher;
 * the client secret goes nowhere else.
 *
 * <pre>{@code
 * JsonNode answer = tokens.exchange(OAuthProvider.SLACK, Map.of("grant_type", "authorization_code", "code", code,
 *         "redirect_uri", redirectUri));
 * }</pre>
 */
public final class TokenEndpoint {

    private final OAuthApps apps;
    private final HttpFetcher fetcher;
    private final EndpointOverrides overrides;

    public TokenEndpoint(OAuthApps apps, HttpFetcher fetcher, EndpointOverrides overrides) {
        this.apps = apps;
        this.fetcher = fetcher;
        this.overrides = overrides;
    }

    /**
     * Posts {@code grant} (plus the client credentials) and returns the provider's grant.
     *
     * @throws ConnectFailure PROVIDER_ERROR when the provider cannot be reached or refuses; the message
     *                        carries the provider's own error code (e.g. {@code invalid_grant})
     */
    public JsonNode exchange(OAuthProvider provider, Map<String, String> grant) {
        Map<String, String> form = new LinkedHashMap<>(grant);
        Map<String, String> headers = new LinkedHashMap<>();
        String clientId = apps.clientId(provider);
        String clientSecret = apps.clientSecret(provider);
        switch (provider.clientAuthentication()) {
            case FORM -> {
                form.put("client_id", clientId);
                form.put("client_secret", clientSecret);
            }
            case BASIC -> headers.put("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)));
        }
        FetchResult result = fetcher.fetch(FetchRequest.postForm(overrides.apply(provider.tokenEndpoint()), form, headers));
        return switch (result) {
            case FetchResult.Unreachable unreachable -> throw new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR,
                    provider.displayName() + " could not be reached (" + unreachable.message() + "); try again in a moment.");
            case FetchResult.Answer answer -> {
                JsonNode json = parse(answer);
                if (json == null) {
                    throw new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR, provider.displayName() + " answered HTTP "
                            + answer.status() + " without a usable body; try again in a moment.");
                }
                var refusal = provider.refusal(answer.status(), json);
                if (refusal.isPresent()) {
                    throw new Refused(provider, refusal.get(), json);
                }
                yield json;
            }
        };
    }

    private static JsonNode parse(FetchResult.Answer answer) {
        try {
            JsonNode json = Json.MAPPER.readTree(answer.body());
            return json != null && json.isObject() ? json : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The token endpoint answered, and refused; {@link #error()} is the provider's code ({@code invalid_grant}). */
    public static final class Refused extends RuntimeException {
        private final transient ConnectFailure failure;
        private final String error;

        Refused(OAuthProvider provider, String refusal, JsonNode answer) {
            super(refusal, null, false, false);
            this.failure = new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR, provider.displayName()
                    + " refused the authorization (" + refusal + "); start Connect again.");
            String code = OAuthProvider.text(answer, "error");
            this.error = code != null ? code : OAuthProvider.text(answer, "status");
        }

        /** The provider's error code, e.g. {@code invalid_grant}; null when it gave none. */
        public String error() {
            return error;
        }

        public ConnectFailure asConnectFailure() {
            return failure;
        }
    }
}
