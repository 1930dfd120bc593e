package app.connectors.oauth;

import java.time.Instant;

/**
 * A Connect flow between "Connect to …" and the provider's callback, as stored (keyed by the hash of
 * the state's id): who started it, in which session, for which provider, with what the new
 * connector will be, and where the provider was told to come back.
 *
 * @param request     the {@link ConnectRequest} as JSON
 * @param redirectUri the exact redirect URI of the authorization request, sent again with the code
 */
public record PendingConnect(String stateHash, String userId, String sessionHash, String provider, String request,
                             String redirectUri, Instant createdAt, Instant expiresAt) {
}
