package app.connectors.delivery;

import java.util.Locale;

/** Where a delivery stands. */
public enum DeliveryStatus {
    /** Not sent yet, or waiting for its next attempt. */
    PENDING,
    /** The destination answered 2xx. */
    SUCCEEDED,
    /** Will not be retried: a 4xx other than 408/429, a refused destination, or a transformation error. */
    FAILED,
    /** Not sent on purpose: the transformation set {@code cancel}, or the connector was disabled or deleted. */
    CANCELLED,
    /** Every attempt failed; the job is in the dead-letter queue until redriven. */
    DEAD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
