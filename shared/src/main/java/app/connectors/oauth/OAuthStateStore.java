package app.connectors.oauth;

import java.util.Optional;

/** Pending Connect flows, each usable once. */
public interface OAuthStateStore {

    void save(PendingConnect pending);

    /** Removes and returns the pending flow, atomically: of concurrent takes of one state, exactly one gets it. */
    Optional<PendingConnect> take(String stateHash);
}
