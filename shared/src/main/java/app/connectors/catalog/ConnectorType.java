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
        java.util.Set<Integer> goneStatuses) {

    public ConnectorType {
        fields = List.copyOf(fields);
        setupSteps = List.copyOf(setupSteps);
        urlQuery = java.util.Map.copyOf(urlQuery);
        goneStatuses = java.util.Set.copyOf(goneStatuses);
    }

    public Optional<FieldSpec> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /** At most {@code requests} per {@code window} for one destination. */
    public record Pacing(int requests, Duration window) {
    }
}
