package app.connectors.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.testing.MutableClock;
import app.connectors.testing.XRayDaemonFake;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The trace header, the current position in a trace, and the daemon's address, as Lambda gives them. */
class TraceContextTest {

    @Test
    void parsesLambdasHeaderInAnyFieldOrder() {
        TraceHeader header = TraceHeader.parse("Parent=53995c3f42cd8ad8;Sampled=1;Root=1-5759e988-bd862e3fe1be46a994272793")
                .orElseThrow();
        assertThat(header).isEqualTo(new TraceHeader("1-5759e988-bd862e3fe1be46a994272793", "53995c3f42cd8ad8", true));
        assertThat(header.format()).isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        assertThat(TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0")
                .orElseThrow().sampled()).isFalse();
        assertThat(TraceHeader.parse("Root=1-5759e988-bd862e3fe1be46a994272793").orElseThrow().parent()).isNull();
    }

    @Test
    void refusesHeadersThatAreNotX_Rays() {
        for (String hostile : new String[] {null, "", "Sampled=1", "Root=abc;Sampled=1",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=\"},{\"x\":1;Sampled=1",
                "Root=1-5759e988-bd862e3fe1be46a994272793\";Sampled=1"}) {
            assertThat(TraceHeader.parse(hostile)).as("%s", hostile).isEmpty();
        }
    }

    @Test
    void scopesRestoreWhatWasThereAndAnnotationsAddUp() {
        TraceHeader outer = Subsegments.header(true);
        try (TraceContext.Scope a = TraceContext.enter(outer)) {
            try (TraceContext.Scope b = TraceContext.annotate("connector_type", "slack")) {
                assertThat(TraceContext.current()).contains(outer);
                assertThat(TraceContext.annotations()).isEqualTo(Map.of("connector_type", "slack"));
                try (TraceContext.Scope c = TraceContext.enter(Subsegments.header(true))) {
                    assertThat(TraceContext.annotations()).isEmpty();
                }
                assertThat(TraceContext.current()).contains(outer);
            }
            assertThat(TraceContext.annotations()).isEmpty();
        }
        assertThat(TraceContext.current()).isEmpty();
    }

    @Test
    void concurrentInvocationsEachRecordUnderTheirOwnTrace() throws Exception {
        // GIVEN 16 invocations at once in one JVM (as on the local stack), each with its own header,
        // each making its calls from virtual threads started inside its scope (as the deliverer does)
        try (XRayDaemonFake daemon = XRayDaemonFake.start();
             ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor()) {
            Tracer tracer = Tracer.to(XRayDaemon.at(daemon.address()), new MutableClock());
            CountDownLatch together = new CountDownLatch(16);
            Map<String, TraceHeader> byInvocation = new ConcurrentHashMap<>();
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String name = "call-" + i;
                running.add(invocations.submit(() -> {
                    TraceHeader header = Subsegments.header(true);
                    byInvocation.put(name, header);
                    try (TraceContext.Scope traced = TraceContext.enter(header)) {
                        together.countDown();
                        together.await();
                        Thread worker = Thread.ofVirtual().start(() -> {
                            for (int n = 0; n < 5; n++) {
                                tracer.begin(name, Subsegment.Namespace.REMOTE).end();
                            }
                        });
                        worker.join();
                    }
                    return null;
                }));
            }
            for (Future<?> invocation : running) {
                invocation.get();
            }

            // THEN every subsegment sits under the invocation that made it, none under another's
            List<JsonNode> documents = daemon.await(document -> true, 80, Duration.ofSeconds(20));
            assertThat(documents).hasSize(80);
            for (JsonNode document : documents) {
                Subsegments.assertValid(document, byInvocation.get(document.path("name").asText()), "remote");
            }
            assertThat(documents.stream().map(document -> document.path("id").asText()).distinct()).hasSize(80);
        }
    }

    @Test
    void annotationsXRayWouldRefuseAreLeftOutOrCut() {
        try (XRayDaemonFake daemon = XRayDaemonFake.start()) {
            Tracer tracer = Tracer.to(XRayDaemon.at(daemon.address()), new MutableClock());
            TraceHeader invocation = Subsegments.header(true);
            try (TraceContext.Scope traced = TraceContext.enter(invocation);
                 TraceContext.Scope annotated = TraceContext.annotate("connector_type", "x".repeat(5000))) {
                tracer.begin("\"},{\"name\":\"forged", Subsegment.Namespace.REMOTE)
                        .annotate("bad-key!", "v").annotate("", "v").annotate("k".repeat(101), "v").end();
            }
            JsonNode document = daemon.await(any -> true, 1, Duration.ofSeconds(10)).getFirst();
            Subsegments.assertValid(document, invocation, "remote");
            // the name is a JSON string, whatever it holds; keys X-Ray refuses are dropped, long values cut
            assertThat(document.path("name").asText()).isEqualTo("\"},{\"name\":\"forged");
            assertThat(document.path("annotations").properties()).extracting(Map.Entry::getKey).containsExactly("connector_type");
            assertThat(document.at("/annotations/connector_type").asText()).hasSize(256);
            assertThat(daemon.malformed()).isEmpty();
        }
    }

    @Test
    void readsTheDaemonAddressInLambdasForms() {
        assertThat(XRayDaemon.parse("169.254.79.129:2000").getPort()).isEqualTo(2000);
        assertThat(XRayDaemon.parse("tcp:127.0.0.1:2000 udp:127.0.0.1:2001").getPort()).isEqualTo(2001);
        for (String broken : new String[] {"", "2000", "host:", "host:port", "host:70000", "tcp:127.0.0.1:2000"}) {
            assertThatThrownBy(() -> XRayDaemon.parse(broken)).as("%s", broken).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Tracer.fromEnvironment(Map.of(XRayDaemon.ADDRESS_VARIABLE, "host:port")).on()).isFalse();
        assertThat(Tracer.fromEnvironment(Map.of()).on()).isFalse();
    }
}
