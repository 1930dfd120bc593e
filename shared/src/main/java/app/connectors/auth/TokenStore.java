package app.connectors.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API tokens by hash, and by user for listing. */
public interface TokenStore {

    void save(StoredToken token);

    Optional<StoredToken> findByHash(String tokenHash);

    List<StoredToken> listByUser(String userId);

    /** Deletes the user's token with this id; false when the user has no such token. */
    boolean delete(String userId, String tokenId);

    /** Records use, at most once per {@code minInterval} so the authorizer does not write on every call. */
    void touch(String tokenHash, Instant now, java.time.Duration minInterval);
}
