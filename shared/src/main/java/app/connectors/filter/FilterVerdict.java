package app.connectors.filter;

/**
 * Whether an event matched a pattern, and why not.
 *
 * @param matched     whether it matched
 * @param path        when it did not: the first path in the pattern that failed ({@code data.status},
 *                    {@code $or}); empty when the whole pattern is unusable
 * @param reason      when it did not: what the event held there and what the pattern wanted
 * @param alternative when it matched a pattern with a top-level {@code $or}: the alternative that matched
 */
public record FilterVerdict(boolean matched, String path, String reason, String alternative) {
}
