package app.connectors.format;

/**
 * Event text as plain text in the Markdown dialects of Discord (embed title, description, field
 * names and values) and of Teams' Adaptive Cards (TextBlock text, fact titles and values). The host's
 * text is untrusted: without escaping, {@code [click](https://evil.example)} becomes a link whose
 * target the reader does not see, {@code <@123>} renders a mention, and in Teams
 * {@code {{DATE(…)}}} is evaluated. Every character with a meaning is escaped with a backslash,
 * which both dialects remove when rendering; text without such characters is returned as is.
 *
 * <pre>{@code
 * MarkdownText.discord("[click](https://evil.example)") // "\[click\](https://evil.example)"
 * MarkdownText.adaptiveCard("{{DATE(2026-01-01T00:00:00Z)}}") // "\{\{DATE(2026-01-01T00:00:00Z)\}\}"
 * }</pre>
 */
final class MarkdownText {

    /** Anywhere in Discord text: emphasis, code, spoilers, links, mentions and timestamps ({@code <@…>, <t:…>}). */
    private static final String DISCORD_ANYWHERE = "\\*_~`|[]<";
    /** Anywhere in Adaptive Card text: emphasis, links, and the braces of {@code {{DATE()}}/{{TIME()}}}. */
    private static final String CARD_ANYWHERE = "\\*_~`[]<{}";
    /** At the start of a line (after spaces): headings, quotes, list bullets, Discord's {@code -#} subtext. */
    private static final String LINE_START = "#>-+";

    private MarkdownText() {
    }

    static String discord(String raw) {
        return escape(raw, DISCORD_ANYWHERE);
    }

    static String adaptiveCard(String raw) {
        return escape(raw, CARD_ANYWHERE);
    }

    /** Discord text escaped and fitted to {@code max} characters (escapes count). */
    static String fitDiscord(String raw, int max) {
        return fitEscaped(discord(raw), max);
    }

    /** Adaptive Card text escaped and fitted to {@code max} characters (escapes count). */
    static String fitAdaptiveCard(String raw, int max) {
        return fitEscaped(adaptiveCard(raw), max);
    }

    /**
     * Truncates escaped text visibly; a cut right after an escaping backslash drops that backslash
     * too, so the ellipsis is never escaped and no character is left half-escaped.
     */
    static String fitEscaped(String escaped, int max) {
        String fitted = Truncation.fit(escaped, max);
        if (fitted == escaped) {
            return escaped;
        }
        int body = fitted.length() - Truncation.ELLIPSIS.length();
        int backslashes = 0;
        while (backslashes < body && fitted.charAt(body - 1 - backslashes) == '\\') {
            backslashes++;
        }
        return backslashes % 2 == 0 ? fitted : fitted.substring(0, body - 1) + Truncation.ELLIPSIS;
    }

    private static String escape(String raw, String anywhere) {
        StringBuilder out = null;
        boolean lineStart = true;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean special = anywhere.indexOf(c) >= 0 || (lineStart && LINE_START.indexOf(c) >= 0)
                    || (lineStart && numberedListMark(raw, i));
            if (special && out == null) {
                out = new StringBuilder(raw.length() + 16).append(raw, 0, i);
            }
            if (out != null) {
                if (special) {
                    out.append('\\');
                }
                out.append(c);
            }
            if (c == '\n') {
                lineStart = true;
            } else if (c != ' ' && c != '\t' && !(lineStart && Character.isDigit(c))) {
                lineStart = false;
            }
        }
        return out == null ? raw : out.toString();
    }

    /** A '.' or ')' right after the digits that open a line ("1. item"): an ordered list item. */
    private static boolean numberedListMark(String raw, int at) {
        char c = raw.charAt(at);
        return (c == '.' || c == ')') && at > 0 && Character.isDigit(raw.charAt(at - 1));
    }
}
