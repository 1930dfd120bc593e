package app.connectors.transform;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Symbol;
import org.mozilla.javascript.Undefined;

/**
 * The console of one run: each {@code console.log} call becomes one line; strings print as they
 * are, other values JSON-like. Lines and characters are capped so a chatty loop cannot fill the
 * delivery log.
 */
final class ConsoleCapture {

    static final String TRUNCATED = "… console output truncated";
    private static final int MAX_DEPTH = 8;

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

    void write(String level, Object[] args) {
        if (truncated) {
            return;
        }
        if (lines.size() >= maxLines || chars >= maxChars) {
            truncate();
            return;
        }
        int budget = maxChars - chars;
        StringBuilder line = new StringBuilder();
        if (!"log".equals(level)) {
            line.append('[').append(level).append("] ");
        }
        for (int i = 0; i < args.length && line.length() <= budget; i++) {
            if (i > 0) {
                line.append(' ');
            }
            Object arg = args[i];
            if (arg instanceof CharSequence text) {
                line.append(text, 0, Math.min(text.length(), budget - line.length() + 1));
            } else {
                describe(arg, line, budget, 0, new IdentityHashMap<>());
            }
        }
        if (line.length() > budget) {
            line.setLength(budget);
            lines.add(line.toString());
            chars = maxChars;
            truncate();
            return;
        }
        chars += line.length();
        lines.add(line.toString());
    }

    private void truncate() {
        truncated = true;
        lines.add(TRUNCATED);
    }

    /** JSON-like rendering that never fails: cycles, functions and depth are shown, not thrown. */
    private static void describe(Object value, StringBuilder out, int budget, int depth, Map<Object, Boolean> path) {
        if (out.length() > budget) {
            return;
        }
        if (value == null) {
            out.append("null");
        } else if (value == Undefined.instance || value == Scriptable.NOT_FOUND) {
            out.append("undefined");
        } else if (value instanceof CharSequence text) {
            quote(text, out, budget);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(org.mozilla.javascript.ScriptRuntime.toString(value));
        } else if (value instanceof Symbol) {
            out.append(value);
        } else if (value instanceof Callable) {
            out.append("[Function]");
        } else if (value instanceof ScriptableObject object) {
            if (path.containsKey(object)) {
                out.append("[Circular]");
                return;
            }
            if (depth >= MAX_DEPTH) {
                out.append(object instanceof NativeArray ? "[Array]" : "[Object]");
                return;
            }
            path.put(object, Boolean.TRUE);
            if (object instanceof NativeArray array) {
                out.append('[');
                long length = array.getLength();
                for (int i = 0; i < length && out.length() <= budget; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    describe(array.get(i, array), out, budget, depth + 1, path);
                }
                out.append(']');
            } else {
                out.append('{');
                boolean first = true;
                for (Object id : object.getIds()) {
                    if (out.length() > budget) {
                        break;
                    }
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(String.valueOf(id), out, budget);
                    out.append(':');
                    Object child = id instanceof Integer index ? object.get(index, object) : object.get(String.valueOf(id), object);
                    describe(child, out, budget, depth + 1, path);
                }
                out.append('}');
            }
            path.remove(object);
        } else {
            out.append("[host object]");
        }
    }

    private static void quote(CharSequence text, StringBuilder out, int budget) {
        out.append('"');
        for (int i = 0; i < text.length() && out.length() <= budget; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        out.append('"');
    }
}
