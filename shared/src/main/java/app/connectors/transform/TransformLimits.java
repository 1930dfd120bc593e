package app.connectors.transform;

import java.time.Duration;

/**
 * What one transformation run may use, and how many may run at once. Every limit is enforced by
 * the sandbox's construction, not by the script's cooperation; see
 * docs/decisions/0010-transformation-sandbox.md.
 *
 * <pre>{@code
 * TransformationEngine engine = new TransformationEngine(TransformLimits.defaults().withCpuTime(Duration.ofMillis(20)));
 * }</pre>
 *
 * @param cpuTime           CPU budget of one run (top-level code, handler, result conversion), wherever it
 *                          is spent: script, built-ins, regular expressions, getters. Twenty times this is the
 *                          wall-clock backstop (a run kept off the CPU that long is ended as the host's fault,
 *                          {@link TransformOutcome.Unavailable}) and the longest a run waits for a worker
 * @param compileCpuTime    CPU budget for compiling a source not yet cached (and, for a syntax error without a
 *                          position, finding it), apart from the run's; its wall-clock backstop is five times this
 * @param maxMemoryBytes    the run's whole memory (the JavaScript heap and stack included): the sandbox's linear
 *                          memory cannot grow past it, so a run cannot take more of the host's memory than this
 * @param maxOutputBytes    JSON size of the resulting webhook (payload, headers, url)
 * @param maxSourceBytes    UTF-8 size of transformation code
 * @param maxConsoleLines   console lines kept per run
 * @param maxConsoleChars   console characters kept per run
 * @param compiledCacheSize  distinct sources whose compiled bytecode is kept
 * @param compiledCacheBytes bytes of compiled bytecode kept in all (a short source can compile to a lot of bytecode)
 * @param maxConcurrentRuns  runs at once; more wait their turn. With {@code maxMemoryBytes} and {@code
 *                           compiledCacheBytes} it bounds the memory all transformations together can take:
 *                           {@link #memoryBudget()}
 */
public record TransformLimits(Duration cpuTime, Duration compileCpuTime, long maxMemoryBytes, int maxOutputBytes, int maxSourceBytes,
                              int maxConsoleLines, int maxConsoleChars, int compiledCacheSize, long compiledCacheBytes,
                              int maxConcurrentRuns) {

    /** The default compile budget; see {@link #defaults()}. */
    private static final Duration COMPILE_CPU_TIME = Duration.ofSeconds(1);

    /**
     * Host heap per byte of a result's JSON while the host reads it as a tree, with a margin: empty
     * nested arrays, the costliest shape found, take 47.5 bytes per byte (empty objects in arrays
     * 42, numbers 7, strings 5).
     */
    public static final int RESULT_EXPANSION = 56;

    /** A WebAssembly page: the unit the sandbox's memory grows by. */
    static final int PAGE = 64 * 1024;

    public TransformLimits {
        if (cpuTime == null || cpuTime.isNegative() || cpuTime.isZero()) {
            throw new IllegalArgumentException("cpuTime must be positive");
        }
        if (compileCpuTime == null || compileCpuTime.isNegative() || compileCpuTime.isZero()) {
            throw new IllegalArgumentException("compileCpuTime must be positive");
        }
        if (maxMemoryBytes < 4L * 1024 * 1024 || maxMemoryBytes > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException("maxMemoryBytes must be between 4 MiB and 1 GiB");
        }
        positive(maxOutputBytes, "maxOutputBytes");
        positive(maxSourceBytes, "maxSourceBytes");
        positive(maxConsoleLines, "maxConsoleLines");
        positive(maxConsoleChars, "maxConsoleChars");
        positive(compiledCacheSize, "compiledCacheSize");
        positive(compiledCacheBytes, "compiledCacheBytes");
        positive(maxConcurrentRuns, "maxConcurrentRuns");
    }

    /**
     * 50 ms of CPU per run and 1 s to compile a new source, 16 MiB of memory, 256 KB out, 64 KB of source, 100 console lines / 16 K chars, 256 compiled scripts
     * in at most 16 MiB, 10 at once.
     */
    public static TransformLimits defaults() {
        return new TransformLimits(Duration.ofMillis(50), COMPILE_CPU_TIME, 16L * 1024 * 1024, 256 * 1024, 64 * 1024, 100, 16 * 1024, 256,
                16L * 1024 * 1024, 10);
    }

    /**
     * The most host memory transformations can hold at once: every concurrent run's whole memory and
     * the host's objects for its result while they are checked (up to {@link #RESULT_EXPANSION} bytes
     * per byte of result JSON), plus the compiled bytecode kept between runs (316 MiB with the defaults).
     */
    public long memoryBudget() {
        return maxConcurrentRuns * (maxMemoryBytes + RESULT_EXPANSION * maxOutputBytes) + compiledCacheBytes;
    }

    /** The memory cap in WebAssembly pages (rounded down). */
    int maxMemoryPages() {
        return (int) (maxMemoryBytes / PAGE);
    }

    /** The wall-clock backstop of a run with this CPU budget: starved or descheduled this long, it ends even below budget. */
    static Duration wallBackstop(Duration cpuBudget) {
        return cpuBudget.multipliedBy(20);
    }

    /** The wall-clock backstop of compiling: a compile the host starves this long ends as the host's fault. */
    static Duration compileBackstop(Duration compileCpuTime) {
        return compileCpuTime.multipliedBy(5);
    }

    /** The longest a run may wait for a worker; one that has not started by then is not run (the host is overloaded). */
    Duration maxQueueWait() {
        return wallBackstop(cpuTime);
    }

    public TransformLimits withCpuTime(Duration value) {
        return new TransformLimits(value, compileCpuTime, maxMemoryBytes, maxOutputBytes, maxSourceBytes, maxConsoleLines, maxConsoleChars,
                compiledCacheSize, compiledCacheBytes, maxConcurrentRuns);
    }

    public TransformLimits withCompileCpuTime(Duration value) {
        return new TransformLimits(cpuTime, value, maxMemoryBytes, maxOutputBytes, maxSourceBytes, maxConsoleLines, maxConsoleChars,
                compiledCacheSize, compiledCacheBytes, maxConcurrentRuns);
    }

    public TransformLimits withMaxMemoryBytes(long value) {
        return new TransformLimits(cpuTime, compileCpuTime, value, maxOutputBytes, maxSourceBytes, maxConsoleLines, maxConsoleChars,
                compiledCacheSize, compiledCacheBytes, maxConcurrentRuns);
    }

    public TransformLimits withMaxConcurrentRuns(int value) {
        return new TransformLimits(cpuTime, compileCpuTime, maxMemoryBytes, maxOutputBytes, maxSourceBytes, maxConsoleLines, maxConsoleChars,
                compiledCacheSize, compiledCacheBytes, value);
    }

    private static void positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
