package app.connectors.transform;

import java.util.function.Function;

/**
 * Puts a position on syntax errors the runtime reports without one, and keeps positions inside
 * the user's source. QuickJS names no position for a malformed regular expression literal
 * ({@code /(/}, {@code /[b-a]/}, {@code /x{2,1}/}); an editor needs one.
 */
final class SyntaxPosition {

    private SyntaxPosition() {
    }

    /**
     * Finds the literal by compiling prefixes of the source: a prefix fails with the same
     * position-less error exactly when it contains the whole literal (parsing stops at the first
     * error, and a cut-short literal is a different error), so the shortest such prefix ends at the
     * literal. Its start is then found on that line. Sixteen or so compiles, on the error path only.
     *
     * @param compile compiles a prefix and describes its syntax error
     */
    static GuestFailures.Described locate(GuestFailures.Described error, String source,
                                          Function<String, GuestFailures.Described> compile) {
        int low = 1;
        int high = source.length();
        while (low < high) {
            int middle = (low + high) >>> 1;
            GuestFailures.Described prefix = compile.apply(source.substring(0, middle));
            if (prefix.line() == null && prefix.message().equals(error.message())) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        int end = high - 1;
        int lineStart = source.lastIndexOf('\n', Math.max(0, end)) + 1;
        int start = literalStart(source, lineStart, end);
        int line = 1;
        for (int i = 0; i < start; i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return new GuestFailures.Described(error.kind(), error.message(), line, start - lineStart + 1);
    }

    /** Keeps a position reported past the end of the user's source (an unterminated construct) at its end. */
    static GuestFailures.Described clamp(GuestFailures.Described error, String source) {
        String[] lines = source.split("\n", -1);
        if (error.line() == null || error.line() <= lines.length) {
            return error;
        }
        return new GuestFailures.Described(error.kind(), error.message(), lines.length, lines[lines.length - 1].length() + 1);
    }

    /** The first slash on the line from which a regular expression literal runs to {@code end} (flags included). */
    private static int literalStart(String source, int lineStart, int end) {
        for (int i = lineStart; i <= end && i < source.length(); i++) {
            if (source.charAt(i) != '/') {
                continue;
            }
            int close = closingSlash(source, i);
            if (close < 0) {
                continue;
            }
            int flagsEnd = close + 1;
            while (flagsEnd < source.length() && Character.isLetter(source.charAt(flagsEnd))) {
                flagsEnd++;
            }
            if (close <= end && end < flagsEnd) {
                return i;
            }
        }
        return Math.min(end, source.length() - 1) < lineStart ? lineStart : end;
    }

    private static int closingSlash(String source, int open) {
        boolean inClass = false;
        for (int j = open + 1; j < source.length(); j++) {
            char c = source.charAt(j);
            if (c == '\n') {
                return -1;
            } else if (c == '\\') {
                j++;
            } else if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                return j;
            }
        }
        return -1;
    }
}
