package app.connectors.problem;

/**
 * One thing wrong with a request: where ({@code field}, a JSON pointer-like dotted path such as
 * {@code config.webhook_url}) and what to do about it ({@code message}).
 */
public record FieldError(String field, String message) {
}
