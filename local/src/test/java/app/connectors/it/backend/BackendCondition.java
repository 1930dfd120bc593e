package app.connectors.it.backend;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Decides whether a test runs on this run's backend, so that what cannot run is reported skipped with
 * its reason, never passed: every test when the run asked for moto and moto cannot run here (the moto
 * run registers this condition for every class through extension auto-detection), and tests marked
 * {@link EmbeddedOnly} or {@link MotoOnly} on the other backend. A class so marked still runs its
 * {@code @BeforeAll}: keep those cheap, or check {@link TestBackend} there.
 */
public final class BackendCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> unavailable = TestBackend.unavailable();
        if (unavailable.isPresent()) {
            return skipped("skipped on " + TestBackend.name() + ": " + unavailable.get());
        }
        if (context.getTestMethod().isEmpty()) {
            // Judged per test method, not per class: a skipped class counts as no test at all in the
            // reports, and the run's summary must count what it skipped.
            return ConditionEvaluationResult.enabled("judged per test");
        }
        EmbeddedOnly embeddedOnly = annotation(context, EmbeddedOnly.class);
        if (embeddedOnly != null && TestBackend.moto()) {
            return skipped("skipped on moto: " + embeddedOnly.value());
        }
        MotoOnly motoOnly = annotation(context, MotoOnly.class);
        if (motoOnly != null && !TestBackend.moto()) {
            return skipped("skipped on the embedded emulators: " + motoOnly.value());
        }
        return ConditionEvaluationResult.enabled("backend " + TestBackend.name());
    }

    /** The annotation on the test method, else on its class. */
    private static <A extends java.lang.annotation.Annotation> A annotation(ExtensionContext context, Class<A> type) {
        A onMethod = context.getRequiredTestMethod().getAnnotation(type);
        return onMethod != null ? onMethod : context.getRequiredTestClass().getAnnotation(type);
    }

    private static ConditionEvaluationResult skipped(String reason) {
        System.out.println("SKIPPED: " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
