package app.connectors.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A kind of destination (slack, discord, …): what it needs from the user and how it is reached.
 *
 * @param format     the formatter that turns an event into this type's payload
 * @param pacing     how many requests per window one destination accepts without throttling
 * @param setupSteps   what the user does on the platform to get the values
 * @param urlQuery     query parameters every request to this type carries (Discord's {@code wait=true})
 * @param goneStatuses answers meaning the destination no longer exists (Slack 404/410, Discord 404):
 *                     the connector is disabled at once
 * @param endpoint     for API types without a URL field: the default destination; {@code {field}}
 *                     placeholders are filled from the connector's secret config (Inngest's event key)
 * @param auth         how requests to this type authenticate, from the connector's credentials
 * @param defaultTransformation the transformation a new connector of this type starts with, or null
 * @param requiredWhen fields that become required when another field has a value (custom's auth_type)
 */
public record ConnectorType(
        String name,
        String displayName,
        String description,
        String format,
        Pacing pacing,
        List<FieldSpec> fields,
        List<String> setupSteps,
        java.util.Map<String, String> urlQuery,
        java.util.Set<Integer> goneStatuses,
        String endpoint,
        Auth auth,
        String defaultTransformation,
        List<RequiredWhen> requiredWhen) {

    public ConnectorType {
        fields = List.copyOf(fields);
        setupSteps = List.copyOf(setupSteps);
        urlQuery = java.util.Map.copyOf(urlQuery);
        goneStatuses = java.util.Set.copyOf(goneStatuses);
        auth = auth == null ? Auth.NONE : auth;
        requiredWhen = requiredWhen == null ? List.of() : List.copyOf(requiredWhen);
    }

    public Optional<FieldSpec> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /**
     * How credentials reach the API. {@code scheme}: {@code none}; {@code bearer} (Authorization: Bearer
     * {@code token} field); {@code basic} ({@code username} field, {@code password} field or empty);
     * {@code path} (the credential is part of {@link #endpoint}); {@code configured} (custom: the
     * connector's {@code auth_type} chooses BASIC or BEARER).
     */
    public record Auth(String scheme, String token, String username, String password) {
        public static final Auth NONE = new Auth("none", null, null, null);
    }

    /** When {@code field} equals {@code value}, every field of {@code require} must be given. */
    public record RequiredWhen(String field, String value, List<String> require) {
    }

    /** At most {@code requests} per {@code window} for one destination. */
    public record Pacing(int requests, Duration window) {
    }
}
