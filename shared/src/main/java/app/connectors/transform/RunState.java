package app.connectors.transform;

import java.lang.management.ManagementFactory;

/**
 * The budget of one run, checked by the instruction observer. Lives on the thread's
 * {@link SandboxContext} for the duration of {@link TransformationEngine#run}.
 */
final class RunState {

    private static final com.sun.management.ThreadMXBean THREADS = threadBean();

    private final long deadlineNanos;
    private final long cpuMillis;
    private final long allocationStart;
    private final long maxAllocatedBytes;
    private final int maxRuntimeSourceChars;
    private final ConsoleCapture console;

    RunState(TransformLimits limits) {
        this.cpuMillis = limits.cpuTime().toMillis();
        this.deadlineNanos = System.nanoTime() + limits.cpuTime().toNanos();
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
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new SandboxViolation(FailureKind.CPU_LIMIT,
                    "transformation ran longer than " + cpuMillis + " ms");
        }
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
