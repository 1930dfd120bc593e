package app.connectors.format;

import java.util.Locale;

/**
 * The statuses of the catalog with how each is shown: a label and the colour of the side bar
 * (Slack attachment, Discord embed) or of the text (Teams). Unknown statuses are shown with a
 * label made from their name and a neutral colour, so a new status never breaks a message.
 */
enum Status {
    NOT_STARTED("not_started", "Not started", 0x95A5A6, "Default"),
    IN_PROGRESS("in_progress", "In progress", 0xFFBF00, "Warning"),
    KEPT("kept", "Kept", 0x2EB67D, "Good"),
    PARTIALLY_KEPT("partially_kept", "Partially kept", 0xF1C40F, "Warning"),
    STALLED("stalled", "Stalled", 0x95A5A6, "Default"),
    BROKEN("broken", "Broken", 0xE01E5A, "Attention"),
    OTHER("", "", 0x95A5A6, "Default");

    final String key;
    final String label;
    /** 0xRRGGBB, the form Discord wants. */
    final int rgb;
    /** Slack's attachment colour, "#RRGGBB". */
    final String hex;
    /** An Adaptive Card TextBlock colour. */
    final String cardColor;

    Status(String key, String label, int rgb, String cardColor) {
        this.key = key;
        this.label = label;
        this.rgb = rgb;
        this.hex = String.format(Locale.ROOT, "#%06X", rgb);
        this.cardColor = cardColor;
    }

    /** The known status named {@code key}, or {@link #OTHER} (also for null). */
    static Status of(String key) {
        if (key != null) {
            for (Status status : values()) {
                if (status != OTHER && status.key.equals(key)) {
                    return status;
                }
            }
        }
        return OTHER;
    }

    /** The human label of any status name: the known label, else the name made readable. */
    static String label(String key) {
        Status status = of(key);
        return status == OTHER ? Labels.humanize(key) : status.label;
    }
}
