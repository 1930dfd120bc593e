package app.connectors.auth;

import app.connectors.account.UserStore;
import app.connectors.problem.LimitExceededException;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.UnauthorizedException;
import app.connectors.problem.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Issues, lists, revokes and checks API tokens.
 *
 * <pre>{@code
 * IssuedToken issued = tokens.issue("user-1", "CI");   // issued.token() is shown once
 * Optional<Principal> who = tokens.authenticate("Bearer " + issued.token());
 * }</pre>
 */
public final class TokenService {

    /** Enough for every CI system and laptop of one user; a bound keeps a leaked token from minting thousands. */
    public static final int MAX_TOKENS_PER_USER = 20;
    private static final int MAX_NAME_LENGTH = 100;
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(5);

    private final TokenStore tokens;
    private final UserStore users;
    private final Clock clock;

    public TokenService(TokenStore tokens, UserStore users, Clock clock) {
        this.tokens = tokens;
        this.users = users;
        this.clock = clock;
    }

    /** A new token, returned in plaintext this once. */
    public IssuedToken issue(String userId, String name) {
        if (name != null && (name.isBlank() || name.length() > MAX_NAME_LENGTH)) {
            throw ValidationException.of("name", "name must be 1 to " + MAX_NAME_LENGTH + " characters when given");
        }
        if (tokens.listByUser(userId).size() >= MAX_TOKENS_PER_USER) {
            throw new LimitExceededException("You already have " + MAX_TOKENS_PER_USER
                    + " API tokens, the most allowed; revoke one you no longer use (DELETE /api/v1/tokens/{id}) first.");
        }
        String token = ApiToken.generate();
        var stored = new StoredToken(ApiToken.newId(), userId, ApiToken.hash(token), ApiToken.displayPrefix(token),
                name, clock.instant(), null);
        tokens.save(stored);
        return new IssuedToken(token, stored);
    }

    public List<StoredToken> list(String userId) {
        return tokens.listByUser(userId).stream()
                .sorted(Comparator.comparing(StoredToken::createdAt))
                .toList();
    }

    public void revoke(String userId, String tokenId) {
        if (!tokens.delete(userId, tokenId)) {
            throw new NotFoundException("No API token " + tokenId + " among yours; list them with GET /api/v1/tokens.");
        }
    }

    public boolean hasTokens(String userId) {
        return !tokens.listByUser(userId).isEmpty();
    }

    /**
     * The caller named by an {@code Authorization} header value, or empty for a missing, malformed,
     * unknown or revoked token, or a user who no longer exists (all look the same to the caller).
     */
    public Optional<Principal> authenticate(String authorizationHeader) {
        if (authorizationHeader == null) {
            return Optional.empty();
        }
        String value = authorizationHeader.trim();
        if (value.length() < 7 || !value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return Optional.empty();
        }
        String token = value.substring(7).trim();
        if (!token.startsWith(ApiToken.PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        return tokens.findByHash(ApiToken.hash(token)).flatMap(stored -> users.find(stored.userId()).map(user -> {
            tokens.touch(stored.tokenHash(), clock.instant(), TOUCH_INTERVAL);
            return new Principal(user.userId(), user.tier(), stored.tokenId());
        }));
    }

    /**
     * For token management: the caller's token checked now, with a consistent read, not the
     * authorizer's cached answer. A revoked token may keep reading the API until the cache expires
     * (60 s), but it must never mint, list or revoke tokens in that window.
     *
     * @param authorizationHeader the request's {@code Authorization} header
     * @param cached              the caller as the authorizer saw it
     * @throws UnauthorizedException when the token is gone (revoked) or names another caller
     */
    public Principal confirmLive(String authorizationHeader, Principal cached) {
        return authenticate(authorizationHeader)
                .filter(live -> live.userId().equals(cached.userId()) && live.tokenId().equals(cached.tokenId()))
                .orElseThrow(() -> new UnauthorizedException("This API token was revoked or is not valid; "
                        + "send a valid API token as: Authorization: Bearer <token>."));
    }

    /** A token just issued: {@code token} is the only time its text is available. */
    public record IssuedToken(String token, StoredToken stored) {
    }
}
