package app.connectors.format;

/**
 * Slack mrkdwn text: user text is escaped ({@code & < >} become entities, so "{@code <!channel>}"
 * cannot ping anyone and "{@code <url|label>}" cannot forge a link) and then truncated visibly
 * without cutting an entity in half.
 */
final class SlackText {

    private SlackText() {
    }

    /** {@code raw} escaped for mrkdwn and fitted to {@code max} characters (escapes count). */
    static String mrkdwn(String raw, int max) {
        return fitEscaped(escape(raw), max);
    }

    static String escape(String raw) {
        int first = firstSpecial(raw);
        if (first < 0) {
            return raw; // the common case allocates nothing
        }
        StringBuilder out = new StringBuilder(raw.length() + 16).append(raw, 0, first);
        for (int i = first; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Truncates escaped text; a cut inside "&amp;" moves back to before the '&'. */
    static String fitEscaped(String escaped, int max) {
        String fitted = Truncation.fit(escaped, max);
        if (fitted == escaped) {
            return escaped;
        }
        int body = fitted.length() - Truncation.ELLIPSIS.length();
        int amp = fitted.lastIndexOf('&', body - 1);
        if (amp >= 0 && fitted.indexOf(';', amp) < 0) {
            return fitted.substring(0, amp) + Truncation.ELLIPSIS;
        }
        return fitted;
    }

    private static int firstSpecial(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '&' || c == '<' || c == '>') {
                return i;
            }
        }
        return -1;
    }
}
