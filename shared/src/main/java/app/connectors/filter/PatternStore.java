package app.connectors.filter;

import java.util.Map;
import java.util.Set;

/**
 * Where compiled-from patterns are kept, by digest ({@link EventPattern#digest()}): a subscription
 * item names its connector's pattern by digest instead of carrying it, so the dispatcher's Query
 * reads a few bytes per connector, and a pattern, which never changes under its digest, can be
 * cached for the life of an execution environment.
 */
public interface PatternStore {

    /** The JSON of each stored pattern among {@code digests}; a digest not stored is absent from the answer. */
    Map<String, String> find(Set<String> digests);
}
