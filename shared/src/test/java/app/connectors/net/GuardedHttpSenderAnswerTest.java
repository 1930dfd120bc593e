package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakeReply;
import app.connectors.testing.StubResolver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What counts as the destination's answer, and what is charged to it: a 2xx is a success as soon
 * as its status line arrives, whatever its body does afterwards; a long body is never read to its
 * end; waiting for a pooled connection is the sender's own queue, never part of the destination's
 * deadline.
 */
class GuardedHttpSenderAnswerTest {

    private static final byte[] JSON = "{\"text\":\"Promise kept\"}".getBytes(StandardCharsets.UTF_8);
    /**
     * Deadlines far beyond what a local exchange needs even on a loaded machine; each test's subject is
     * a body that would take longer still (a trickle of ten seconds, 200 MB) or a wait in a queue.
     */
    private static final SenderConfig ROOMY = SenderConfig.production().withPlainHttpAllowed()
            .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(8));

    private final FakeDestination fake = FakeDestination.start();
    private GuardedHttpSender sender;

    @AfterEach
    void tearDown() {
        if (sender != null) {
            sender.close();
        }
        fake.close();
    }

    private GuardedHttpSender sender(SenderConfig config) {
        sender = new GuardedHttpSender(new DefaultSsrfGuard(new StubResolver(), Set.of(fake.allowedTarget())), config);
        return sender;
    }

    @Test
    void twoHundredWhoseBodyTricklesIsASuccessAtTheStatusLine() {
        // GIVEN a destination that accepts at once and then sends its body one byte per 100 ms (10 s in all)
        fake.enqueue(FakeReply.slowBody(200, 100, Duration.ofMillis(100)));
        long started = System.nanoTime();

        // WHEN a delivery is sent with an 8 s deadline
        SendResult result = sender(ROOMY).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        // THEN it is a success, decided without waiting for the body: neither a timeout at the deadline
        // nor the ten seconds the body needs
        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class, response -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.isSuccess()).isTrue();
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void twoHundredWithAHugeBodyIsASuccessAndTheBodyIsNeverDrained() throws Exception {
        // GIVEN a destination that accepts and then pours 200 MB of body as fast as it is taken
        fake.enqueue(FakeReply.hugeBody(200, 200L * 1024 * 1024));

        // WHEN a delivery is sent
        SendResult result = sender(ROOMY).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        // THEN it is a success, and the connection was dropped rather than read to its end: what got
        // out is at most what the socket buffers hold, not the 200 MB
        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class,
                response -> assertThat(response.isSuccess()).isTrue());
        assertThat(bodyBytesOnceTheWriterStops()).isLessThan(32L * 1024 * 1024);
    }

    @Test
    void errorWithAHugeBodyKeepsAShortExcerptAndDropsTheRest() throws Exception {
        fake.enqueue(FakeReply.hugeBody(500, 200L * 1024 * 1024));

        SendResult result = sender(ROOMY).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class, response -> {
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.bodyExcerpt().length()).isLessThanOrEqualTo(GuardedHttpSender.EXCERPT_CHARS);
        });
        assertThat(bodyBytesOnceTheWriterStops()).isLessThan(32L * 1024 * 1024);
    }

    @Test
    void errorWhoseBodyTricklesKeepsItsStatus() {
        // GIVEN a 503 whose body (10 s of it) cannot complete within the 8 s deadline
        fake.enqueue(FakeReply.slowBody(503, 100, Duration.ofMillis(100)));

        SendResult result = sender(ROOMY).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        // THEN the answer is the 503 the destination gave, not a timeout of ours
        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class,
                response -> assertThat(response.status()).isEqualTo(503));
    }

    @Test
    void smallAnswersReadToTheirEndKeepTheConnectionForTheNextSend() {
        // GIVEN a success's body may take as long as the deadline (so reuse does not depend on how
        // quickly a loaded machine reads two bytes)
        GuardedHttpSender pooled = sender(ROOMY.withSuccessBodyWait(Duration.ofSeconds(8)));
        fake.enqueue(FakeReply.text(200, "ok"), FakeReply.text(500, "oops"), FakeReply.text(200, "ok"));

        for (int i = 0; i < 3; i++) {
            pooled.send(OutboundRequest.postJson(fake.uri("/hook"), JSON));
        }

        assertThat(fake.requests()).hasSize(3);
        assertThat(fake.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void waitingForAPooledConnectionIsNotChargedToTheDestination() throws Exception {
        // GIVEN a sender with two connections in all, and four requests to a destination that hangs:
        // two hold the connections for a whole deadline, two more queue behind them for another
        SenderConfig twoConnections = ROOMY.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3))
                .withMaxConnections(2);
        GuardedHttpSender small = sender(twoConnections);
        fake.enqueue(FakeReply.hang(), FakeReply.hang(), FakeReply.hang(), FakeReply.hang());
        List<CompletableFuture<SendResult>> hanging = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            CompletableFuture<SendResult> result = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> result.complete(small.send(OutboundRequest.postJson(fake.uri("/stuck"), JSON))));
            hanging.add(result);
            if (i == 1) {
                fake.awaitRequests(2, Duration.ofSeconds(10));
            }
        }
        // the last two are queued for a connection before the healthy request comes
        for (long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos(); small.waitingForAConnection() < 2; ) {
            assertThat(System.nanoTime()).as("two requests queued for a connection").isLessThan(giveUp);
            Thread.onSpinWait();
        }

        // WHEN another connector of the same host sends meanwhile (its destination answers at once)
        SendResult healthy = small.send(OutboundRequest.postJson(fake.uri("/healthy"), JSON));

        // THEN the six seconds it queued for a connection are not charged to it: it is delivered, its
        // own deadline counted from the moment it had a connection
        assertThat(healthy).isInstanceOfSatisfying(SendResult.Response.class, response -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.latency()).isLessThan(twoConnections.deadline());
        });
        // and each hanging request had its own full deadline on the wire
        assertThat(hanging).allSatisfy(f -> assertThat(f.join()).isInstanceOfSatisfying(SendResult.Failure.class,
                failure -> assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.TIMEOUT)));
        assertThat(fake.requests()).extracting(r -> r.path()).containsExactly("/stuck", "/stuck", "/stuck", "/stuck", "/healthy");
    }

    /** What the fake had written of its body once its writer has stopped (the client dropped the connection). */
    private long bodyBytesOnceTheWriterStops() throws InterruptedException {
        long seen = -1;
        for (int i = 0; i < 100 && fake.bodyBytesWritten() != seen; i++) {
            seen = fake.bodyBytesWritten();
            Thread.sleep(100);
        }
        return fake.bodyBytesWritten();
    }
}
