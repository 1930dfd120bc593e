package app.connectors.filter;

import app.connectors.event.EventCatalog;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled patterns by digest, read from a {@link PatternStore} only when not already known: a
 * digest always names the same pattern, so what was compiled once stays right for the life of the
 * execution environment, and a fan-out whose connectors' patterns are all known reads none.
 * Thread-safe.
 *
 * <pre>{@code
 * Map<String, EventPattern> patterns = storedPatterns.resolve(Set.of(digestA, digestB)); // one BatchGetItem at most
 * }</pre>
 */
public final class StoredPatterns {

    /** 20,000 compiled 10-field patterns take about 60 MB (the dispatcher has 1 GB). */
    static final int CACHE_LIMIT = 20_000;

    private final PatternStore store;
    private final EventCatalog catalog;
    private final Map<String, EventPattern> cache = new ConcurrentHashMap<>();

    public StoredPatterns(PatternStore store, EventCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    /**
     * The pattern of every digest. One whose item is missing (it never should be: it is written with
     * its connector) matches nothing and says so, rather than stopping the fan-out or letting
     * everything through.
     */
    public Map<String, EventPattern> resolve(Set<String> digests) {
        Map<String, EventPattern> out = new HashMap<>();
        Set<String> missing = new HashSet<>();
        for (String digest : digests) {
            EventPattern known = cache.get(digest);
            if (known != null) {
                out.put(digest, known);
            } else {
                missing.add(digest);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        Map<String, String> stored = store.find(missing);
        if (cache.size() + stored.size() > CACHE_LIMIT) {
            cache.clear();
        }
        for (String digest : missing) {
            String json = stored.get(digest);
            if (json == null) {
                out.put(digest, EventPattern.unusable("the connector's filter (" + digest + ") is missing from the filter patterns table; "
                        + "save the connector's filters again"));
                continue;
            }
            EventPattern pattern = EventPattern.parseStored(json, catalog);
            cache.put(digest, pattern);
            out.put(digest, pattern);
        }
        return out;
    }
}
