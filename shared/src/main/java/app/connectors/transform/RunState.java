package app.connectors.transform;

import java.lang.management.ManagementFactory;

/**
 * The budget of one run, checked by the instruction observer. Lives on the thread's
 * {@link SandboxContext} for the duration of {@link TransformationEngine#run}.
 */
final class RunState {

    private static final com.sun.management.ThreadMXBean THREADS = threadBean();

    /**
     * Wall-clock backstop, a multiple of the CPU budget: a run starved of CPU by a busy machine is
     * not the script's fault and should not fail, but one blocked for this long ends regardless.
     */
    static final int WALL_CLOCK_FACTOR = 20;

    private final long deadlineNanos;
    private final long cpuStartNanos;
    private final long cpuBudgetNanos;
    private final long cpuMillis;
    private final long allocationStart;
    private final long maxAllocatedBytes;
    private final int maxRuntimeSourceChars;
    private final ConsoleCapture console;

    RunState(TransformLimits limits) {
        this.cpuMillis = limits.cpuTime().toMillis();
        this.cpuBudgetNanos = limits.cpuTime().toNanos();
        this.cpuStartNanos = cpuSoFar();
        // Without a per-thread CPU clock the wall clock is the only measure, at the budget itself.
        this.deadlineNanos = System.nanoTime() + (cpuStartNanos >= 0 ? cpuBudgetNanos * WALL_CLOCK_FACTOR : cpuBudgetNanos);
        this.maxAllocatedBytes = limits.maxAllocatedBytes();
        this.maxRuntimeSourceChars = limits.maxSourceBytes();
        this.console = new ConsoleCapture(limits.maxConsoleLines(), limits.maxConsoleChars());
        this.allocationStart = allocatedSoFar();
    }

    ConsoleCapture console() {
        return console;
    }

    int maxRuntimeSourceChars() {
        return maxRuntimeSourceChars;
    }

    /** Throws when the run is over its time or allocation budget; cheap enough to call every few thousand instructions. */
    void checkLimits() {
        // Allocation first: a huge built-in call often also overruns the clock, and memory is the cause to report.
        if (allocationStart >= 0) {
            long allocated = allocatedSoFar() - allocationStart;
            if (allocated > maxAllocatedBytes) {
                throw new SandboxViolation(FailureKind.MEMORY_LIMIT,
                        "transformation allocated more than " + (maxAllocatedBytes / 1024) + " KB");
            }
        }
        // CPU time of this thread, so that GC pauses and a busy machine do not count against the script.
        if (cpuStartNanos >= 0 && cpuSoFar() - cpuStartNanos > cpuBudgetNanos) {
            throw new SandboxViolation(FailureKind.CPU_LIMIT,
                    "transformation used more than " + cpuMillis + " ms of CPU");
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new SandboxViolation(FailureKind.CPU_LIMIT,
                    "transformation ran longer than " + (cpuStartNanos >= 0 ? cpuMillis * WALL_CLOCK_FACTOR : cpuMillis)
                            + " ms of wall-clock time");
        }
    }

    private static long cpuSoFar() {
        return THREADS != null && THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    private static long allocatedSoFar() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        // HotSpot (and Corretto on Lambda) offers per-thread allocation counters; where a JVM does
        // not, the allocation limit is off and the OutOfMemoryError backstop remains.
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported()) {
            if (!bean.isThreadAllocatedMemoryEnabled()) {
                bean.setThreadAllocatedMemoryEnabled(true);
            }
            return bean;
        }
        return null;
    }
}
