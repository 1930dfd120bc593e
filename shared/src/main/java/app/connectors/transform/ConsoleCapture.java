package app.connectors.transform;

import java.util.ArrayList;
import java.util.List;

/**
 * The console of one run: each {@code console.log} call is one line (the sandbox formats it:
 * strings as they are, other values JSON-like). Lines and characters are capped so a chatty loop
 * cannot fill the delivery log.
 */
final class ConsoleCapture {

    static final String TRUNCATED = "… console output truncated";

    private final int maxLines;
    private final int maxChars;
    private final List<String> lines = new ArrayList<>();
    private int chars;
    private boolean truncated;

    ConsoleCapture(int maxLines, int maxChars) {
        this.maxLines = maxLines;
        this.maxChars = maxChars;
    }

    List<String> lines() {
        return lines;
    }

    void write(String line) {
        if (truncated) {
            return;
        }
        if (lines.size() >= maxLines || chars >= maxChars) {
            truncate();
            return;
        }
        int budget = maxChars - chars;
        if (line.length() > budget) {
            lines.add(line.substring(0, budget));
            chars = maxChars;
            truncate();
            return;
        }
        chars += line.length();
        lines.add(line);
    }

    private void truncate() {
        truncated = true;
        lines.add(TRUNCATED);
    }
}
