package app.connectors.account;

import java.util.Optional;

/** Users and their plans. */
public interface UserStore {

    Optional<User> find(String userId);

    /** Creates the user, or changes its plan; the connector count is kept. */
    UpsertResult upsert(String userId, Tier tier);

    record UpsertResult(User user, boolean created, Tier previousTier) {
    }
}
