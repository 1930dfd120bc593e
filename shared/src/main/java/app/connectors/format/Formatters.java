package app.connectors.format;

import app.connectors.catalog.ConnectorType;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The formatters by the name a connector type's {@code format} gives in the catalog. Formatters
 * are stateless, so one instance of each serves every thread.
 *
 * <pre>{@code
 * PayloadFormatter formatter = Formatters.forType(connectorType);
 * ObjectNode payload = formatter.format(event);
 * }</pre>
 */
public final class Formatters {

    public static final String SLACK = "slack";
    public static final String DISCORD = "discord";
    public static final String TEAMS = "teams";
    public static final String ZAPIER = "zapier";
    public static final String GENERIC = "generic";
    /** The event's {@code data} object, for catalog SaaS types whose transformation reads it. */
    public static final String DATA = "data";
    /** Inngest's {name, data, id, ts} event. */
    public static final String INNGEST = "inngest";

    private static final Map<String, PayloadFormatter> BY_NAME = Map.of(
            SLACK, new SlackFormatter(),
            DISCORD, new DiscordFormatter(),
            TEAMS, new TeamsFormatter(),
            ZAPIER, new ZapierFormatter(),
            GENERIC, new GenericFormatter(),
            DATA, new DataFormatter(),
            INNGEST, new InngestFormatter());

    private Formatters() {
    }

    /** The formatter named {@code name}, if there is one. */
    public static Optional<PayloadFormatter> find(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    /**
     * The formatter a connector type names. A type naming no formatter is a catalog bug, caught by
     * the catalog's tests, so it fails loudly rather than returning empty.
     */
    public static PayloadFormatter forType(ConnectorType type) {
        return find(type.format()).orElseThrow(() -> new IllegalStateException(
                "connector type " + type.name() + " names unknown format '" + type.format() + "'"));
    }

    public static Set<String> names() {
        return BY_NAME.keySet();
    }
}
