package app.connectors.engines;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.ContextFactory;
import org.mozilla.javascript.Script;
import org.mozilla.javascript.Scriptable;

/**
 * Rhino hardened the way the previous sandbox learned to: interpreted, no Java access, an
 * instruction observer that throws past the deadline, and fresh safe standard objects per run
 * (a pristine realm each time, instead of shared frozen built-ins).
 */
final class HardenedRhino implements Candidate {

    private final Map<String, Script> scripts = new LinkedHashMap<>();
    private final ContextFactory factory = new ContextFactory() {
        @Override
        protected boolean hasFeature(Context cx, int featureIndex) {
            return featureIndex != Context.FEATURE_ENHANCED_JAVA_ACCESS && super.hasFeature(cx, featureIndex);
        }

        @Override
        protected void observeInstructionCount(Context cx, int instructionCount) {
            Object deadline = cx.getThreadLocal("deadline");
            if (deadline instanceof Long at && System.nanoTime() > at) {
                throw new Error("CPU_LIMIT");
            }
        }

        @Override
        protected Context makeContext() {
            Context cx = super.makeContext();
            cx.setInterpretedMode(true);
            cx.setLanguageVersion(Context.VERSION_ES6);
            cx.setInstructionObserverThreshold(1000);
            cx.setMaximumInterpreterStackDepth(256);
            cx.setClassShutter(name -> false);
            return cx;
        }
    };

    @Override
    public String name() {
        return "rhino";
    }

    @Override
    public String run(String code, String input, Duration budget) {
        Context cx = factory.enterContext();
        try {
            cx.putThreadLocal("deadline", System.nanoTime() + budget.toNanos());
            Script script = scripts.computeIfAbsent(code, c -> cx.compileString(Candidate.wrap(c), "transformation", 1, null));
            Scriptable scope = cx.initSafeStandardObjects();
            scope.put("INPUT", scope, input);
            return Context.toString(script.exec(cx, scope, scope));
        } finally {
            Context.exit();
        }
    }

    @Override
    public String memoryCap() {
        return "no: objects live on the host heap (a per-thread allocation counter is only read between instructions)";
    }
}
