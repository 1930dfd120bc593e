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

    /** Regex-literal candidates tried one by one before the search by prefixes. */
    private static final int MAX_CANDIDATES = 64;

    /**
     * Finds the literal. A prefix of the source fails with the same position-less error exactly when
     * it contains the whole literal (parsing stops at the first error, and a cut-short literal is a
     * different error). First, each slash-delimited stretch of a line, in order, is compiled alone
     * (a few bytes each): the first that fails the same way, and whose prefix confirms it (the source
     * up to its end fails so, up to its start does not), is the literal; two compiles of the source.
     * Otherwise the shortest failing prefix is searched for, sixteen or so compiles of the source,
     * whose cost grows with the source: on the error path only, and within the compile budget.
     *
     * @param compile compiles a prefix and describes its syntax error, or answers null when it compiles
     */
    static GuestFailures.Described locate(GuestFailures.Described error, String source,
                                          Function<String, GuestFailures.Described> compile) {
        int tried = 0;
        for (int i = source.indexOf('/'); i >= 0 && tried < MAX_CANDIDATES; i = source.indexOf('/', i + 1)) {
            int end = literalEnd(source, i);
            if (end < 0) {
                continue;
            }
            tried++;
            if (sameError(compile.apply(source.substring(i, end)), error) && sameError(compile.apply(source.substring(0, end)), error)
                    && !sameError(compile.apply(source.substring(0, i)), error)) {
                return at(error, source, i);
            }
        }
        int low = 1;
        int high = source.length();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sameError(compile.apply(source.substring(0, middle)), error)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        int end = high - 1;
        int lineStart = source.lastIndexOf('\n', Math.max(0, end)) + 1;
        return at(error, source, literalStart(source, lineStart, end));
    }

    private static boolean sameError(GuestFailures.Described compiled, GuestFailures.Described error) {
        return compiled != null && compiled.line() == null && compiled.message().equals(error.message());
    }

    /** The error placed at {@code start}, a character index in the source. */
    private static GuestFailures.Described at(GuestFailures.Described error, String source, int start) {
        int lineStart = source.lastIndexOf('\n', Math.max(0, start - 1)) + 1;
        int line = 1;
        for (int i = 0; i < start; i++) {
            if (source.charAt(i) == '\n') {
                line++;
            }
        }
        return new GuestFailures.Described(error.kind(), error.message(), line, start - lineStart + 1);
    }

    /** Where a regular expression literal opening at {@code open} ends (after its flags), or -1 when none closes on the line. */
    private static int literalEnd(String source, int open) {
        int close = closingSlash(source, open);
        if (close < 0) {
            return -1;
        }
        int flagsEnd = close + 1;
        while (flagsEnd < source.length() && Character.isLetter(source.charAt(flagsEnd))) {
            flagsEnd++;
        }
        return flagsEnd;
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
            int flagsEnd = literalEnd(source, i);
            if (flagsEnd < 0) {
                continue;
            }
            int close = source.lastIndexOf('/', flagsEnd - 1);
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
