package app.connectors.transform;

/**
 * Why transformation code cannot be saved, with the position to show in an editor.
 *
 * <pre>{@code
 * engine.check("function handler(w) { return w")
 *       .ifPresent(p -> fields.add(p.line() + ":" + p.column() + " " + p.message()));
 * }</pre>
 *
 * @param kind    {@link FailureKind#SYNTAX}, {@link FailureKind#NO_HANDLER} or {@link FailureKind#SOURCE_TOO_LARGE}
 * @param message what is wrong, in words a user can act on
 * @param line    1-based line, or {@code null} when the problem has no position
 * @param column  1-based column, or {@code null} when unknown
 */
public record SourceProblem(FailureKind kind, String message, Integer line, Integer column) {
}
