package app.connectors.transform;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The two clocks a run is judged by: the wall clock (how long it has waited and run) and its
 * thread's CPU clock (how much of the machine it used itself). The sandbox blames a script only for
 * CPU time it used; wall time it lost to the host (other runs, a GC pause, a descheduled thread) is
 * the host's. Injectable, so that a starved or stalled host can be shown to a test exactly.
 *
 * <pre>{@code
 * TransformationEngine engine = new TransformationEngine(TransformLimits.defaults(), RunClock.system());
 * }</pre>
 */
public interface RunClock {

    /** A monotonic wall clock, in nanoseconds (like {@link System#nanoTime()}). */
    long wallNanos();

    /** CPU time {@code thread} has used so far, in nanoseconds; -1 when it cannot be measured. */
    long cpuNanos(Thread thread);

    /** The JVM's clocks: {@link System#nanoTime()} and the thread CPU time of {@link ThreadMXBean}. */
    static RunClock system() {
        return SystemRunClock.INSTANCE;
    }

    /** The JVM's own clocks. Thread CPU time is switched on once, when first used. */
    final class SystemRunClock implements RunClock {
        private static final SystemRunClock INSTANCE = new SystemRunClock();

        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final boolean cpuClock;

        private SystemRunClock() {
            this.cpuClock = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeSupported();
            if (cpuClock && !threads.isThreadCpuTimeEnabled()) {
                threads.setThreadCpuTimeEnabled(true);
            }
        }

        @Override
        public long wallNanos() {
            return System.nanoTime();
        }

        @Override
        public long cpuNanos(Thread thread) {
            if (!cpuClock) {
                return -1;
            }
            return thread == Thread.currentThread() ? threads.getCurrentThreadCpuTime() : threads.getThreadCpuTime(thread.threadId());
        }
    }
}
