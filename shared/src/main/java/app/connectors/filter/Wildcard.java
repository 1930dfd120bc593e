package app.connectors.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code wildcard} operand: {@code *} stands for any run of characters (none included), {@code \*}
 * for a literal star and {@code \\} for a literal backslash. Matching takes time linear in the length
 * of the value, whatever the pattern: with only {@code *} as a metacharacter, taking each literal
 * piece at its leftmost place after the previous one is always right, so no backtracking is needed,
 * and each piece is found with Knuth–Morris–Pratt, never re-reading a character of the value.
 *
 * <pre>{@code
 * Wildcard.parse("promise.*_changed").matches("promise.status_changed");   // true
 * }</pre>
 */
final class Wildcard {

    private final String first;
    private final String last;
    private final String[] middle;
    private final int[][] failure;
    private final boolean hasStar;
    private final int minLength;

    private Wildcard(List<String> pieces, boolean hasStar) {
        this.hasStar = hasStar;
        this.first = pieces.get(0);
        this.last = hasStar ? pieces.get(pieces.size() - 1) : "";
        int middleCount = Math.max(0, pieces.size() - 2);
        this.middle = pieces.subList(1, 1 + middleCount).toArray(String[]::new);
        this.failure = new int[middle.length][];
        int length = first.length() + last.length();
        for (int i = 0; i < middle.length; i++) {
            failure[i] = failureTable(middle[i]);
            length += middle[i].length();
        }
        this.minLength = length;
    }

    /**
     * Reads an operand.
     *
     * @throws IllegalArgumentException with a sentence saying what to fix
     */
    static Wildcard parse(String operand) {
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        boolean hasStar = false;
        boolean previousWasStar = false;
        for (int i = 0; i < operand.length(); i++) {
            char c = operand.charAt(i);
            if (c == '\\') {
                if (i + 1 == operand.length()) {
                    throw new IllegalArgumentException("ends with a lone backslash; write \\\\ for a backslash");
                }
                char next = operand.charAt(++i);
                if (next != '*' && next != '\\') {
                    throw new IllegalArgumentException("\\" + next + " is not an escape; only \\* (a star) and \\\\ (a backslash) are");
                }
                piece.append(next);
                previousWasStar = false;
            } else if (c == '*') {
                if (previousWasStar) {
                    throw new IllegalArgumentException("has consecutive * at position " + i + "; one * already matches any run of characters");
                }
                pieces.add(piece.toString());
                piece.setLength(0);
                hasStar = true;
                previousWasStar = true;
            } else {
                piece.append(c);
                previousWasStar = false;
            }
        }
        pieces.add(piece.toString());
        return new Wildcard(pieces, hasStar);
    }

    boolean matches(String value) {
        if (!hasStar) {
            return value.equals(first);
        }
        if (value.length() < minLength || !value.startsWith(first) || !value.endsWith(last)) {
            return false;
        }
        int from = first.length();
        int end = value.length() - last.length();
        for (int i = 0; i < middle.length; i++) {
            int at = indexOf(value, from, end, middle[i], failure[i]);
            if (at < 0) {
                return false;
            }
            from = at + middle[i].length();
        }
        return true;
    }

    /** Knuth–Morris–Pratt search for {@code needle} within {@code text[from, end)}; -1 when absent. */
    private static int indexOf(String text, int from, int end, String needle, int[] failure) {
        if (needle.isEmpty()) {
            return from;
        }
        int matched = 0;
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            while (matched > 0 && needle.charAt(matched) != c) {
                matched = failure[matched - 1];
            }
            if (needle.charAt(matched) == c) {
                matched++;
            }
            if (matched == needle.length()) {
                return i - matched + 1;
            }
        }
        return -1;
    }

    private static int[] failureTable(String needle) {
        int[] table = new int[needle.length()];
        int k = 0;
        for (int i = 1; i < needle.length(); i++) {
            while (k > 0 && needle.charAt(k) != needle.charAt(i)) {
                k = table[k - 1];
            }
            if (needle.charAt(k) == needle.charAt(i)) {
                k++;
            }
            table[i] = k;
        }
        return table;
    }
}
