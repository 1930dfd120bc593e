package app.connectors.format;

/**
 * Visible truncation: text longer than a limit is cut and ends with "…" so that a reader knows
 * something is missing. Lengths are UTF-16 units ({@link String#length()}), which is never less
 * than the code-point count the platforms use, so a result that fits here fits there too.
 */
final class Truncation {

    /** The mark a truncated text ends with; one character. */
    static final String ELLIPSIS = "…";

    private Truncation() {
    }

    /** {@code text} if it has at most {@code max} characters, else its first max−1 and "…". */
    static String fit(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        if (max <= 0) {
            return "";
        }
        int cut = max - 1;
        // Never leave half of a surrogate pair (an emoji, say) before the ellipsis.
        if (cut > 0 && Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + ELLIPSIS;
    }
}
