package app.connectors.transform;

import java.time.Duration;

/**
 * What one transformation run may use. Every limit guards the delivery pipeline against one way a
 * script can hurt it; see docs/decisions/0003-javascript-engine.md.
 *
 * <pre>{@code
 * TransformationEngine engine = new TransformationEngine(TransformLimits.defaults().withCpuTime(Duration.ofMillis(20)));
 * }</pre>
 *
 * @param cpuTime            CPU budget of one run on its thread (script, handler, result conversion); ends loops and
 *                           ReDoS. A wall-clock backstop of 20 times this ends a run starved or blocked for longer
 * @param maxAllocatedBytes  bytes the running thread may allocate during one run; ends allocation bombs
 * @param maxStackDepth      interpreter frames; ends runaway recursion before the Java stack is in danger
 * @param maxOutputBytes     serialized size of the resulting payload, headers and url
 * @param maxSourceBytes     UTF-8 size of transformation code, also the cap on code compiled at run time by eval/Function
 * @param maxConsoleLines    console lines kept per run
 * @param maxConsoleChars    console characters kept per run
 * @param compiledCacheSize  distinct sources whose compiled form is kept
 */
public record TransformLimits(Duration cpuTime, long maxAllocatedBytes, int maxStackDepth, int maxOutputBytes,
                              int maxSourceBytes, int maxConsoleLines, int maxConsoleChars, int compiledCacheSize) {

    public TransformLimits {
        if (cpuTime == null || cpuTime.isNegative() || cpuTime.isZero()) {
            throw new IllegalArgumentException("cpuTime must be positive");
        }
        positive(maxAllocatedBytes, "maxAllocatedBytes");
        positive(maxStackDepth, "maxStackDepth");
        positive(maxOutputBytes, "maxOutputBytes");
        positive(maxSourceBytes, "maxSourceBytes");
        positive(maxConsoleLines, "maxConsoleLines");
        positive(maxConsoleChars, "maxConsoleChars");
        positive(compiledCacheSize, "compiledCacheSize");
    }

    /** 50 ms, 16 MB allocated, 256 frames, 256 KB out, 64 KB of source, 100 console lines / 16 K chars, 256 scripts. */
    public static TransformLimits defaults() {
        return new TransformLimits(Duration.ofMillis(50), 16L * 1024 * 1024, 256, 256 * 1024, 64 * 1024,
                100, 16 * 1024, 256);
    }

    public TransformLimits withCpuTime(Duration value) {
        return new TransformLimits(value, maxAllocatedBytes, maxStackDepth, maxOutputBytes, maxSourceBytes,
                maxConsoleLines, maxConsoleChars, compiledCacheSize);
    }

    public TransformLimits withMaxAllocatedBytes(long value) {
        return new TransformLimits(cpuTime, value, maxStackDepth, maxOutputBytes, maxSourceBytes,
                maxConsoleLines, maxConsoleChars, compiledCacheSize);
    }

    public TransformLimits withMaxStackDepth(int value) {
        return new TransformLimits(cpuTime, maxAllocatedBytes, value, maxOutputBytes, maxSourceBytes,
                maxConsoleLines, maxConsoleChars, compiledCacheSize);
    }

    public TransformLimits withMaxOutputBytes(int value) {
        return new TransformLimits(cpuTime, maxAllocatedBytes, maxStackDepth, value, maxSourceBytes,
                maxConsoleLines, maxConsoleChars, compiledCacheSize);
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
