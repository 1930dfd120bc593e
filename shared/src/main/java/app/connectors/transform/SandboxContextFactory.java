package app.connectors.transform;

import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;

/**
 * Makes every context the engine enters: ES6, interpreted, a frame limit, an instruction observer
 * and a class shutter that refuses every Java class.
 */
final class SandboxContextFactory extends ContextFactory {

    /**
     * Interpreter cost units between two limit checks (Rhino counts roughly one per bytecode and
     * 100 per call). Each check reads the clock and the thread's allocation counter, tens of
     * nanoseconds together, so checking this often costs little, and it is often enough that a
     * loop that doubles a string is seen after a few iterations rather than after the heap is gone.
     */
    static final int OBSERVER_THRESHOLD = 1_000;

    private final int maxStackDepth;

    SandboxContextFactory(int maxStackDepth) {
        this.maxStackDepth = maxStackDepth;
    }

    @Override
    protected Context makeContext() {
        SandboxContext cx = new SandboxContext(this);
        cx.setLanguageVersion(Context.VERSION_ES6);
        // Interpreted mode: no class generated per customer script (no metaspace growth), a frame
        // limit that ends recursion with an exception instead of a StackOverflowError, and the
        // instruction observer works without generated counting code. Measured in ADR 0003.
        cx.setInterpretedMode(true);
        cx.setMaximumInterpreterStackDepth(maxStackDepth);
        cx.setInstructionObserverThreshold(OBSERVER_THRESHOLD);
        // The sandbox never hands Java objects to scripts; refusing every class is the second wall
        // should one ever leak (for instance an exception's javaException property).
        cx.setClassShutter(className -> false);
        return cx;
    }

    @Override
    protected boolean hasFeature(Context cx, int featureIndex) {
        if (featureIndex == Context.FEATURE_ENHANCED_JAVA_ACCESS) {
            return false;
        }
        return super.hasFeature(cx, featureIndex);
    }

    @Override
    protected void observeInstructionCount(Context cx, int instructionCount) {
        if (cx instanceof SandboxContext sandbox && sandbox.run() != null) {
            sandbox.run().checkLimits();
        }
    }
}
