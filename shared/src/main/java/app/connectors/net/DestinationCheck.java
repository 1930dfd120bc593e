package app.connectors.net;

import java.net.InetAddress;
import java.util.List;

/**
 * The verdict of a save-time check of a destination (host and port), as URL validation wants it:
 * usable, refused by the SSRF guard, or not resolvable. The send path checks again at connect
 * time, because DNS answers can change in between.
 *
 * <pre>{@code
 * switch (guard.judge("hooks.slack.com", 443)) {
 *     case DestinationCheck.Admitted ok -> { }
 *     case DestinationCheck.Refused r -> errors.add("url", r.reason());
 *     case DestinationCheck.Unresolvable u -> errors.add("url", "host does not resolve");
 * }
 * }</pre>
 */
public sealed interface DestinationCheck {

    /** The destination may be used; {@code addresses} are what it resolved to now. */
    record Admitted(List<InetAddress> addresses) implements DestinationCheck {
        public Admitted {
            addresses = List.copyOf(addresses);
        }
    }

    /** The destination resolves to a forbidden address; {@code reason} names the address and its range. */
    record Refused(String reason) implements DestinationCheck {
    }

    /** The host does not resolve (or is not a valid host at all). */
    record Unresolvable(String reason) implements DestinationCheck {
    }

    default boolean isAdmitted() {
        return this instanceof Admitted;
    }
}
