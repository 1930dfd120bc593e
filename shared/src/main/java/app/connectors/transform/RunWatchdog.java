package app.connectors.transform;

import app.connectors.log.Log;
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
 * <p>One daemon thread ticks every {@value #TICK_MILLIS} ms while runs are watched. A run is
 * charged the CPU time of its own thread: past its budget it is stopped as the script's fault
 * ({@link Stop#CPU_LIMIT}). Wall time is not the script's to spend: a run that is still below its
 * CPU budget when its wall-clock backstop passes was kept off the CPU by the host (other runs, a GC
 * pause), so it is stopped as {@link Stop#STARVED}, which callers retry rather than blame the script.
 * The ticker survives anything a check throws: if it died, no run would be limited any more.
 */
final class RunWatchdog {

    static final int TICK_MILLIS = 2;

    /** Why a run was stopped. */
    enum Stop {
        /** The run used more CPU time than its budget (or, where thread CPU time cannot be measured, wall time). */
        CPU_LIMIT,
        /** The wall-clock backstop passed while the run had used less CPU than its budget: the host's fault. */
        STARVED
    }

    /** One watched run. Its stop, once set, is why it was interrupted. */
    static final class Watch {
        private final Thread thread;
        private final long cpuStart;
        private final long wallStart;
        private final long cpuBudget;
        private final long wallBudget;
        private boolean active = true;
        private volatile Stop stop;
        private volatile String verdict;

        private Watch(Thread thread, long cpuStart, long wallStart, long cpuBudget, long wallBudget) {
            this.thread = thread;
            this.cpuStart = cpuStart;
            this.wallStart = wallStart;
            this.cpuBudget = cpuBudget;
            this.wallBudget = wallBudget;
        }

        /** Why the run was stopped, or null when it was not. */
        Stop stop() {
            return stop;
        }

        /** The stop in words, or null when the run was not stopped. */
        String verdict() {
            return verdict;
        }
    }

    private final RunClock clock;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Thread ticker;

    RunWatchdog(RunClock clock) {
        this.clock = clock;
        this.ticker = Thread.ofPlatform().name("transformation-watchdog").daemon(true).unstarted(this::tick);
        ticker.start();
    }

    /** Starts watching the calling (platform) thread. */
    Watch start(Duration cpuBudget, Duration wallBudget) {
        Thread current = Thread.currentThread();
        Watch watch = new Watch(current, clock.cpuNanos(current), clock.wallNanos(), cpuBudget.toNanos(), wallBudget.toNanos());
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

    /** True while the ticker thread is alive (it must be, for any run to be limited). */
    boolean ticking() {
        return ticker.isAlive();
    }

    private void tick() {
        while (true) {
            try {
                if (watches.isEmpty()) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, TICK_MILLIS * 1_000_000L);
                }
                for (Watch watch : watches) {
                    try {
                        check(watch);
                    } catch (Throwable e) {
                        // An Error here (a clock that failed, memory short for a moment) must not keep the
                        // other runs from being checked; this one is checked again next tick.
                        report(e);
                    }
                }
            } catch (Throwable e) {
                // Nor may anything else end the ticker: without it, no run would be limited any more.
                report(e);
            }
        }
    }

    private static void report(Throwable e) {
        try {
            Log.error("transformation.watchdog_check_failed", e);
        } catch (Throwable ignored) {
            // Logging itself failed (out of memory): nothing more to do here.
        }
    }

    private void check(Watch watch) {
        synchronized (watch) {
            if (!watch.active || watch.stop != null) {
                return;
            }
            long cpuNow = watch.cpuStart < 0 ? -1 : clock.cpuNanos(watch.thread);
            long cpu = cpuNow < 0 ? -1 : cpuNow - watch.cpuStart;
            long wall = clock.wallNanos() - watch.wallStart;
            if (cpu > watch.cpuBudget) {
                watch.stop = Stop.CPU_LIMIT;
                watch.verdict = "transformation used more than " + Duration.ofNanos(watch.cpuBudget).toMillis() + " ms of CPU time";
            } else if (wall > watch.wallBudget && cpu < 0) {
                watch.stop = Stop.CPU_LIMIT;
                watch.verdict = "transformation ran longer than " + Duration.ofNanos(watch.wallBudget).toMillis()
                        + " ms (wall clock)";
            } else if (wall > watch.wallBudget) {
                watch.stop = Stop.STARVED;
                watch.verdict = "the host kept the transformation off the CPU: " + Duration.ofNanos(wall).toMillis()
                        + " ms of wall-clock time for " + Duration.ofNanos(cpu).toMillis() + " ms of CPU time";
            } else {
                return;
            }
            watch.thread.interrupt();
        }
    }
}
