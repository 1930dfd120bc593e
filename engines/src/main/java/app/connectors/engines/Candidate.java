package app.connectors.engines;

import java.time.Duration;

/**
 * One JavaScript engine set up the way the product would have to run it: a fresh realm per run
 * (isolation by construction), the run's time bounded by the engine's own means of stopping code.
 * {@link #run} returns the handler's result as JSON text, or throws with the engine's error.
 */
interface Candidate extends AutoCloseable {

    String name();

    /** {@code handler(JSON.parse(input))}, the result (or the mutated webhook) as JSON text. */
    String run(String code, String input, Duration budget) throws Exception;

    /** Whether the engine can cap one run's memory, and how (for the table; measured separately). */
    String memoryCap();

    @Override
    default void close() {
    }

    /** The script every engine but the product's evaluates: the user's code, then the call. */
    static String wrap(String code) {
        return code + "\n;(function () { const w = JSON.parse(INPUT); const r = handler(w);"
                + " return JSON.stringify(r === undefined ? w : r); })()";
    }

    static Candidate named(String name) {
        return switch (name) {
            case "quickjs-wasm" -> new QuickJsWasm();
            case "rhino" -> new HardenedRhino();
            case "graaljs" -> new GraalJs();
            case "javet-v8" -> new JavetV8();
            default -> throw new IllegalArgumentException("unknown engine " + name);
        };
    }
}
