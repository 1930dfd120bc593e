package app.connectors.transform;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place where what went wrong inside the sandbox becomes a {@link TransformOutcome.Failure}:
 * errors speak JavaScript (its kind, message, line and column), never the host's class names.
 */
final class GuestFailures {

    /** The runtime names the code it compiled {@code function.mjs}; positions are line:column in the user's source. */
    private static final Pattern POSITION = Pattern.compile("function\\.mjs:(\\d+):(\\d+)");
    /** The runtime's error exit prints {@code … on an `Err` value: Error: <message>} and then the stack. */
    private static final Pattern RUNTIME_ERROR = Pattern.compile("`Err` value: (?:Error: )?(.*)");

    private GuestFailures() {
    }

    /** A failure without a position. */
    record Described(FailureKind kind, String message, Integer line, Integer column) {
    }

    /** An error the handler threw (or a rejected promise), as the prelude reported it. */
    static Described thrown(String json, long maxMemoryBytes) {
        JsonNode error = tree(json);
        String name = error.path("name").asText("Error");
        String message = error.path("message").asText("").replace("function.mjs", "transformation");
        String stack = error.path("stack").asText("");
        if (error.path("refused").asBoolean(false)) {
            // The first frame is the sandbox's refusing getter; the script's own position follows.
            Integer[] at = position(stack.substring(Math.max(0, stack.indexOf('\n'))));
            return new Described(FailureKind.FORBIDDEN, message, at[0], at[1]);
        }
        Integer[] at = position(stack);
        FailureKind kind = classify(name + ": " + message);
        if (kind == FailureKind.MEMORY_LIMIT) {
            return memory(maxMemoryBytes);
        }
        if (kind == FailureKind.STACK_LIMIT) {
            return new Described(kind, "transformation recursed too deeply", at[0], at[1]);
        }
        return new Described(FailureKind.SCRIPT_ERROR, "Uncaught".equals(name) ? "uncaught " + message : name + ": " + message,
                at[0], at[1]);
    }

    /** The runtime's error exit: an uncaught error at top level, or an allocation that failed. */
    static Described trapped(String stderr, long maxMemoryBytes) {
        if (stderr.contains("memory allocation of") || stderr.contains("out of memory")) {
            return memory(maxMemoryBytes);
        }
        Matcher error = RUNTIME_ERROR.matcher(stderr);
        if (error.find()) {
            String message = error.group(1).strip();
            if (classify(message) == FailureKind.STACK_LIMIT) {
                return new Described(FailureKind.STACK_LIMIT, "transformation recursed too deeply", null, null);
            }
            Integer[] at = position(stderr.substring(error.end()));
            return new Described(FailureKind.SCRIPT_ERROR, message, at[0], at[1]);
        }
        return new Described(FailureKind.SCRIPT_ERROR, "transformation stopped: the JavaScript runtime could not continue",
                null, null);
    }

    /** A syntax error at compile time, with its position when the runtime gave one. */
    static Described syntax(String stderr) {
        Matcher error = RUNTIME_ERROR.matcher(stderr);
        String message = error.find() ? error.group(1).strip() : "the code does not parse";
        Integer[] at = position(stderr);
        return new Described(FailureKind.SYNTAX, "SyntaxError: " + message, at[0], at[1]);
    }

    /**
     * True for the WebAssembly runtime's own refusal of a deeper call, and for the runtime's stack
     * running out: the shadow stack sits at the bottom of the sandbox's memory and grows down, so
     * an overflow is an access below address 0 (a trap, never a write into other data).
     */
    static boolean isStackExhaustion(String trap) {
        return trap.contains("call stack exhausted") || trap.contains("out of bounds memory access: attempted to access address: -");
    }

    static Described stack() {
        return new Described(FailureKind.STACK_LIMIT, "transformation recursed too deeply", null, null);
    }

    private static Described memory(long maxMemoryBytes) {
        return new Described(FailureKind.MEMORY_LIMIT, "transformation needed more than its "
                + maxMemoryBytes / (1024 * 1024) + " MiB of memory", null, null);
    }

    private static FailureKind classify(String text) {
        if (text.contains("out of memory")) {
            return FailureKind.MEMORY_LIMIT;
        }
        if (text.contains("stack overflow") || text.contains("Maximum call stack size exceeded")) {
            return FailureKind.STACK_LIMIT;
        }
        return FailureKind.SCRIPT_ERROR;
    }

    private static JsonNode tree(String json) {
        try {
            return Json.parse(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Json.object();
        }
    }

    private static Integer[] position(String stack) {
        Matcher at = POSITION.matcher(stack);
        if (at.find()) {
            try {
                return new Integer[] {Integer.valueOf(at.group(1)), Integer.valueOf(at.group(2))};
            } catch (NumberFormatException e) {
                return new Integer[] {null, null};
            }
        }
        return new Integer[] {null, null};
    }
}
