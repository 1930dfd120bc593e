package app.connectors.transform;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends runs that exceed their budget, wherever the time goes. The sandbox's compiled code checks
 * its thread's interrupt flag at every loop back-edge and call, in the runtime's built-ins and
 * regular-expression engine as much as in script code, so interrupting the run's thread stops it
 * at the next check: no cooperation from the script, and no thread left spinning.
 *
 * <p>One daemon thread ticks every {@value #TICK_MILLIS} ms while runs are watched, and compares
 * each run thread's CPU time with its budget (charging CPU, not wall time, keeps a busy machine
 * from failing healthy runs) and its wall time with a backstop.
 */
final class RunWatchdog {

    static final int TICK_MILLIS = 2;

    /** One watched run. Its verdict, once set, is why it was interrupted. */
    static final class Watch {
        private final Thread thread;
        private final long cpuStart;
        private final long wallStart;
        private final long cpuBudget;
        private final long wallBudget;
        private boolean active = true;
        private volatile String verdict;

        private Watch(Thread thread, long cpuStart, long cpuBudget, long wallBudget) {
            this.thread = thread;
            this.cpuStart = cpuStart;
            this.wallStart = System.nanoTime();
            this.cpuBudget = cpuBudget;
            this.wallBudget = wallBudget;
        }

        /** Why the run was stopped, or null when it was not. */
        String verdict() {
            return verdict;
        }
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean cpuClock;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Thread ticker;

    RunWatchdog() {
        this.cpuClock = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeSupported();
        if (cpuClock && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
        this.ticker = Thread.ofPlatform().name("transformation-watchdog").daemon(true).unstarted(this::tick);
        ticker.start();
    }

    /** Starts watching the calling (platform) thread. */
    Watch start(Duration cpuBudget, Duration wallBudget) {
        Thread current = Thread.currentThread();
        Watch watch = new Watch(current, cpuClock ? threads.getCurrentThreadCpuTime() : 0, cpuBudget.toNanos(),
                wallBudget.toNanos());
        watches.add(watch);
        LockSupport.unpark(ticker);
        return watch;
    }

    /** Stops watching; afterwards no interrupt from this watch can reach the thread, and a late one is cleared. */
    void stop(Watch watch) {
        synchronized (watch) {
            watch.active = false;
        }
        watches.remove(watch);
        Thread.interrupted();
    }

    /** CPU time the calling thread has used since the watch started, in nanoseconds. */
    long cpuUsed(Watch watch) {
        return cpuClock ? threads.getCurrentThreadCpuTime() - watch.cpuStart : System.nanoTime() - watch.wallStart;
    }

    private void tick() {
        while (true) {
            if (watches.isEmpty()) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, TICK_MILLIS * 1_000_000L);
            }
            for (Watch watch : watches) {
                check(watch);
            }
        }
    }

    private void check(Watch watch) {
        synchronized (watch) {
            if (!watch.active || watch.verdict != null) {
                return;
            }
            long cpu = cpuClock ? threads.getThreadCpuTime(watch.thread.threadId()) - watch.cpuStart : -1;
            long wall = System.nanoTime() - watch.wallStart;
            if (cpuClock && cpu > watch.cpuBudget) {
                watch.verdict = "transformation used more than " + Duration.ofNanos(watch.cpuBudget).toMillis()
                        + " ms of CPU time";
            } else if (wall > watch.wallBudget) {
                watch.verdict = "transformation ran longer than " + Duration.ofNanos(watch.wallBudget).toMillis()
                        + " ms (wall clock)";
            } else {
                return;
            }
            watch.thread.interrupt();
        }
    }
}
