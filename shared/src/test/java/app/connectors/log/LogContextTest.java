package app.connectors.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LogContextTest {

    @Test
    void theFirstInvocationOfAFunctionIsItsColdStartAndOnlyThatOne() {
        String function = "Fn-" + System.nanoTime();
        try (var first = LogContext.invocation(function, "r1", null)) {
            assertThat(LogContext.current()).containsEntry("coldStart", true).containsEntry("requestId", "r1");
        }
        try (var second = LogContext.invocation(function, "r2", null)) {
            assertThat(LogContext.current()).containsEntry("coldStart", false).containsEntry("requestId", "r2");
        }
    }

    @Test
    void idsAddedInAScopeAreGoneWhenItCloses() {
        try (var invocation = LogContext.invocation("F", "r", "1-abc-def")) {
            try (var ids = LogContext.with("deliveryId", "d1", "absent", null)) {
                assertThat(LogContext.current()).containsEntry("deliveryId", "d1").containsEntry("traceId", "1-abc-def")
                        .doesNotContainKey("absent");
            }
            assertThat(LogContext.current()).doesNotContainKey("deliveryId").containsEntry("function", "F");
        }
        assertThat(LogContext.current()).isEmpty();
    }

    @Test
    void virtualThreadsStartedInAnInvocationCarryItsFields() throws Exception {
        // The deliverer runs each record of a batch on its own virtual thread.
        try (var invocation = LogContext.invocation("DeliverFunction", "r-batch", null);
             var workers = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Object> seen = workers.submit(() -> {
                try (var ids = LogContext.with("deliveryId", "d2")) {
                    return LogContext.current();
                }
            }).get();
            assertThat(seen).containsEntry("requestId", "r-batch").containsEntry("deliveryId", "d2");
            assertThat(LogContext.current()).doesNotContainKey("deliveryId");
        }
    }

    @Test
    void theLevelIsReadFromItsNameAndDefaultsToInfo() {
        assertThat(Log.Level.parse("debug")).isEqualTo(Log.Level.DEBUG);
        assertThat(Log.Level.parse(" WARN ")).isEqualTo(Log.Level.WARN);
        assertThat(Log.Level.parse("verbose")).isEqualTo(Log.Level.INFO);
        assertThat(Log.Level.parse(null)).isEqualTo(Log.Level.INFO);
    }
}
