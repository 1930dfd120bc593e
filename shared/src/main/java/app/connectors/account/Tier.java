package app.connectors.account;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** A subscription plan of the host platform and how many connectors it allows. */
public enum Tier {
    FREE("Free", 0),
    PRO("Pro", 5),
    JOURNALIST("Journalist", 10),
    ENTERPRISE("Enterprise", -1);

    private final String displayName;
    private final int connectorLimit;

    Tier(String displayName, int connectorLimit) {
        this.displayName = displayName;
        this.connectorLimit = connectorLimit;
    }

    public String displayName() {
        return displayName;
    }

    /** The most connectors a user on this plan may have; empty when unlimited. */
    public OptionalInt connectorLimit() {
        return connectorLimit < 0 ? OptionalInt.empty() : OptionalInt.of(connectorLimit);
    }

    /** The lower-case name used in the API and in storage. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Tier> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(t -> t.id().equalsIgnoreCase(value.trim())).findFirst();
    }

    public static String allIds() {
        return Arrays.stream(values()).map(Tier::id).collect(Collectors.joining(", "));
    }
}
