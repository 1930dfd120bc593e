package app.connectors.catalog;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A kind of destination (slack, discord, …): what it needs from the user and how it is reached.
 *
 * @param format     the formatter that turns an event into this type's payload
 * @param pacing     how many requests per window one destination accepts without throttling
 * @param setupSteps what the user does on the platform to get the values
 */
public record ConnectorType(
        String name,
        String displayName,
        String description,
        String format,
        Pacing pacing,
        List<FieldSpec> fields,
        List<String> setupSteps) {

    public ConnectorType {
        fields = List.copyOf(fields);
        setupSteps = List.copyOf(setupSteps);
    }

    public Optional<FieldSpec> field(String fieldName) {
        return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
    }

    /** At most {@code requests} per {@code window} for one destination. */
    public record Pacing(int requests, Duration window) {
    }
}
