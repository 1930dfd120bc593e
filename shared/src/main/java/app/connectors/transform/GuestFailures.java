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
    /**
     * What QuickJS throws when an allocation fails. A script can throw the same (InternalError is a
     * global), which is then reported as this limit: the host cannot see a refused memory.grow.
     */
    private static final String RUNTIME_OUT_OF_MEMORY = "InternalError: out of memory";
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
        if (RUNTIME_OUT_OF_MEMORY.equals(name + ": " + message)) {
            return memory(maxMemoryBytes);
        }
        // Any other text is the script's own, whatever it says ("stack overflow", "out of memory"):
        // the limits the sandbox enforces are named from what the host saw (a trap, the watchdog).
        return new Described(FailureKind.SCRIPT_ERROR, "Uncaught".equals(name) ? "uncaught " + message : name + ": " + message,
                at[0], at[1]);
    }

    /** The runtime's error exit: an uncaught error at top level, or an allocation that failed. */
    static Described trapped(String stderr, long maxMemoryBytes) {
        Matcher error = RUNTIME_ERROR.matcher(stderr);
        if (error.find()) {
            // An uncaught error: its text is the script's, but for the runtime's own out-of-memory error.
            String message = error.group(1).strip();
            if (RUNTIME_OUT_OF_MEMORY.equals(message)) {
                return memory(maxMemoryBytes);
            }
            Integer[] at = position(stderr.substring(error.end()));
            return new Described(FailureKind.SCRIPT_ERROR, message, at[0], at[1]);
        }
        if (stderr.startsWith("memory allocation of")) {
            // The runtime's allocator gave up (its own words, first on its error output): no script text comes before them.
            return memory(maxMemoryBytes);
        }
        return new Described(FailureKind.SCRIPT_ERROR, "transformation stopped: the JavaScript runtime could not continue",
                null, null);
    }

    /**
     * Compiling that ran out of the run's memory, told by the same two signals as at run time (the
     * allocator's own exit, the runtime's exact out-of-memory error); any other text is a syntax error.
     */
    static java.util.Optional<Described> compileMemory(String stderr, long maxMemoryBytes) {
        Matcher error = RUNTIME_ERROR.matcher(stderr);
        boolean runtimeOutOfMemory = error.find() && RUNTIME_OUT_OF_MEMORY.equals(error.group(1).strip());
        return runtimeOutOfMemory || stderr.startsWith("memory allocation of")
                ? java.util.Optional.of(memory(maxMemoryBytes)) : java.util.Optional.empty();
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
