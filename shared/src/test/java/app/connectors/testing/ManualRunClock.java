package app.connectors.testing;

import app.connectors.transform.RunClock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link RunClock} whose wall and CPU time stand still until a test moves them: runs use no CPU
 * and take no time unless told, so a test can show the sandbox a host that stalled exactly when
 * it wants. {@link #stallWhileWatched} moves the wall clock every time the sandbox's watchdog looks
 * at a run in progress (compiling or running), so a run that spins (without its CPU clock moving)
 * is provably in progress when the host stalls.
 */
public final class ManualRunClock implements RunClock {

    private final AtomicLong wall = new AtomicLong(1_000_000_000L);
    private final AtomicReference<Duration> stall = new AtomicReference<>();
    private volatile CountDownLatch watched = new CountDownLatch(1);
    private final Set<Thread> wallReaders = ConcurrentHashMap.newKeySet();

    @Override
    public long wallNanos() {
        wallReaders.add(Thread.currentThread());
        return wall.get();
    }

    @Override
    public long cpuNanos(Thread thread) {
        if (thread != Thread.currentThread()) {
            // The watchdog looks at a run in progress.
            Duration stalled = stall.get();
            if (stalled != null) {
                advance(stalled);
            }
            watched.countDown();
        }
        return 0;
    }

    /** Moves the wall clock on. */
    public void advance(Duration duration) {
        wall.addAndGet(duration.toNanos());
    }

    /** From now on, every time the watchdog looks at a run in progress, the wall clock jumps by {@code duration}. */
    public void stallWhileWatched(Duration duration) {
        stall.set(duration);
    }

    /** Waits until the watchdog looks at a running run (from now on: looks before the call do not count). */
    public void awaitWatchedRun() throws InterruptedException {
        CountDownLatch next = new CountDownLatch(1);
        watched = next;
        if (!next.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no run was watched within 30 s");
        }
    }

    /** Waits until {@code thread} has read the wall clock (a caller noting when it submitted a run). */
    public void awaitWallReadBy(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!wallReaders.contains(thread)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread + " did not read the clock within 30 s");
            }
            Thread.sleep(1);
        }
    }
}
