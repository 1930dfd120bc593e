package app.connectors.transform;

/**
 * Text crossing between the host and the sandbox, made acceptable to the side that receives it.
 *
 * <p>Into the sandbox: a raw NUL is valid JavaScript in a comment, a string, a template or a
 * regular expression, but the runtime takes source as a C string, so each is written as the
 * escape {@code \x00}, which means the same in all four (and is still a syntax error anywhere
 * else); positions reported in the escaped text are mapped back to the user's columns.
 *
 * <p>Out of the sandbox: JavaScript strings may hold half a surrogate pair (text cut inside an
 * emoji); {@code JSON.stringify} writes one as a six-character escape (backslash, u, D83D). Such escapes
 * become U+FFFD (as a TextEncoder does), in keys and values alike, so the host only ever holds
 * well-formed text.
 */
final class SourceText {

    /** The JSON escape of U+FFFD, the replacement character (spelt out: a backslash-u in Java source is a Unicode escape). */
    private static final String REPLACEMENT = "\\" + "ufffd";

    private SourceText() {
    }

    /** The source with every NUL written as {@code \x00}; the same string when it has none. */
    static String escapeNul(String source) {
        return source.indexOf('\0') < 0 ? source : source.replace("\0", "\\x00");
    }

    /**
     * The column in {@code source} of a 1-based position reported in {@link #escapeNul}'s text: each
     * NUL earlier on the line became four characters there.
     */
    static Integer originalColumn(String source, Integer line, Integer column) {
        if (line == null || column == null || source.indexOf('\0') < 0) {
            return column;
        }
        int at = 0;
        for (int l = 1; l < line; l++) {
            at = source.indexOf('\n', at) + 1;
            if (at == 0) {
                return column;
            }
        }
        int escaped = 1;
        int original = 1;
        for (int i = at; i < source.length() && source.charAt(i) != '\n'; i++) {
            int width = source.charAt(i) == '\0' ? 4 : 1;
            if (escaped + width > column) {
                break;
            }
            escaped += width;
            original++;
        }
        return original;
    }

    /** JSON text with every escaped lone surrogate (D800–DFFF, not in a pair) replaced by the escape of U+FFFD. */
    static String wellFormedJson(String json) {
        if (json.indexOf("\\u") < 0) {
            return json;
        }
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < json.length(); i++) {
            if (json.charAt(i) != '\\') {
                continue;
            }
            int unit = escapedUnit(json, i);
            if (unit < 0) {
                i++; // another escape (\\, \", \n, …): skip its second character
                continue;
            }
            if (Character.isHighSurrogate((char) unit) && Character.isLowSurrogate((char) escapedUnit(json, i + 6))) {
                i += 11; // a whole pair
                continue;
            }
            if (Character.isSurrogate((char) unit)) {
                if (out == null) {
                    out = new StringBuilder(json.length());
                }
                out.append(json, copied, i).append(REPLACEMENT);
                copied = i + 6;
            }
            i += 5;
        }
        return out == null ? json : out.append(json, copied, json.length()).toString();
    }

    /** The code unit of a backslash-u escape (six characters) starting at {@code at}, or -1 when there is none there. */
    private static int escapedUnit(String json, int at) {
        if (at + 6 > json.length() || json.charAt(at) != '\\' || json.charAt(at + 1) != 'u') {
            return -1;
        }
        try {
            return Integer.parseInt(json, at + 2, at + 6, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
