package app.connectors.testing;

import app.connectors.transform.RunClock;

/**
 * A {@link RunClock} that judges runs by CPU time alone: its wall clock stands still, so however
 * loaded the machine, no run looks starved, and a script is stopped exactly when its own thread has
 * spent its budget. For tests of CPU limits that must hold on a busy machine.
 */
public final class CpuOnlyRunClock implements RunClock {

    @Override
    public long wallNanos() {
        return 0;
    }

    @Override
    public long cpuNanos(Thread thread) {
        return RunClock.system().cpuNanos(thread);
    }
}
