package app.connectors.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import app.connectors.net.DefaultSsrfGuard;
import app.connectors.net.FetchRequest;
import app.connectors.net.FetchResult;
import app.connectors.net.GuardedHttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import app.connectors.net.SenderConfig;
import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakeReply;
import app.connectors.testing.MutableClock;
import app.connectors.testing.StubResolver;
import app.connectors.testing.XRayDaemonFake;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Outbound sends and fetches as {@code remote} subsegments, received on a real UDP socket: named after the host,
 * with the status and X-Ray's flags, the connector type in force, and nothing of the URL's path or
 * query, the headers or the body, whatever the destination answers.
 */
class TracedHttpSenderTest {

    private static final Duration ARRIVAL = Duration.ofSeconds(10);
    private static final String HOST = "hooks.example.com";

    private final XRayDaemonFake daemon = XRayDaemonFake.start();
    private final FakeDestination destination = FakeDestination.start();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00.123456Z"));
    private final GuardedHttpSender guarded = new GuardedHttpSender(
            new DefaultSsrfGuard(new StubResolver().answer(HOST, "127.0.0.1"), Set.of(destination.allowedTarget())),
            SenderConfig.production().withPlainHttpAllowed());
    private final TracedHttpSender sender = TracedHttpSender.around(guarded, Tracer.to(XRayDaemon.at(daemon.address()), clock));

    @AfterEach
    void close() {
        guarded.close();
        destination.close();
        daemon.close();
    }

    /** A request with a secret in each place a destination keeps one: path, query, header, body. */
    private OutboundRequest secretRequest() {
        return new OutboundRequest(OutboundRequest.Method.POST,
                URI.create("http://" + HOST + ":" + destination.port() + "/services/T0/B0/PathSecret1?token=QuerySecret2"),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer HeaderSecret3"),
                "{\"text\":\"BodySecret4\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSampledSendIsARemoteSubsegmentNamedAfterTheHostWithItsStatusAndConnectorType() {
        // GIVEN a sampled invocation, on the delivery path of a Slack connector
        TraceHeader invocation = Subsegments.header(true);
        SendResult result;
        try (TraceContext.Scope traced = TraceContext.enter(invocation);
             TraceContext.Scope typed = TraceContext.annotate("connector_type", "slack")) {
            // WHEN it sends (the answer takes 180 ms on the injected clock)
            destination.enqueue(FakeReply.text(200, "ok"));
            result = new TracedHttpSender(request -> {
                SendResult answer = guarded.send(request);
                clock.advance(Duration.ofMillis(180));
                return answer;
            }, guarded, Tracer.to(XRayDaemon.at(daemon.address()), clock)).send(secretRequest());
        }

        // THEN the send happened as without tracing
        assertThat(result).isInstanceOf(SendResult.Response.class);
        assertThat(destination.requests()).hasSize(1);
        // AND one subsegment arrived: remote, under the invocation's segment, named after the host
        JsonNode send = daemon.await(document -> true, 1, ARRIVAL).getFirst();
        Subsegments.assertValid(send, invocation, "remote");
        assertThat(send.path("name").asText()).isEqualTo(HOST);
        assertThat(send.at("/http/request/method").asText()).isEqualTo("POST");
        assertThat(send.at("/http/response/status").asInt()).isEqualTo(200);
        assertThat(send.at("/annotations/connector_type").asText()).isEqualTo("slack");
        // times in epoch seconds with microseconds, from the injected clock
        assertThat(send.path("start_time").asDouble()).isCloseTo(1_796_119_200.123456, within(1e-6));
        assertThat(send.path("end_time").asDouble() - send.path("start_time").asDouble()).isCloseTo(0.180, within(1e-6));
        assertThat(send.has("error") || send.has("fault") || send.has("throttle")).isFalse();
        // AND no URL (not even the origin) is recorded: the host is the name, and that is all
        assertThat(send.at("/http/request").has("url")).isFalse();
        assertNoSecretsSent();
    }

    @Test
    void statusesAndFailuresSetXRaysFlagsWithoutQuotingAnything() {
        TraceHeader invocation = Subsegments.header(true);
        destination.enqueue(FakeReply.text(429, "slow down, PathSecret1"), FakeReply.text(404, "no such hook"),
                FakeReply.text(503, "down: QuerySecret2"));
        try (TraceContext.Scope traced = TraceContext.enter(invocation)) {
            // WHEN sends are answered 429, 404, 503, and one is refused by the SSRF guard (port not allowed)
            sender.send(secretRequest());
            sender.send(secretRequest());
            sender.send(secretRequest());
            SendResult refused = sender.send(OutboundRequest.postJson(
                    URI.create("http://" + HOST + ":1/hook/PathSecret1"), "{}".getBytes(StandardCharsets.UTF_8)));
            assertThat(refused).isInstanceOf(SendResult.Failure.class);
        }

        List<JsonNode> sends = daemon.await(document -> true, 4, ARRIVAL);
        sends.forEach(send -> Subsegments.assertValid(send, invocation, "remote"));
        // THEN 429 is a throttle (and an error), 404 an error, 503 a fault
        JsonNode throttled = withStatus(sends, 429);
        assertThat(throttled.path("throttle").asBoolean()).isTrue();
        assertThat(throttled.path("error").asBoolean()).isTrue();
        assertThat(throttled.has("fault")).isFalse();
        JsonNode missing = withStatus(sends, 404);
        assertThat(missing.path("error").asBoolean()).isTrue();
        assertThat(missing.has("throttle") || missing.has("fault")).isFalse();
        JsonNode down = withStatus(sends, 503);
        assertThat(down.path("fault").asBoolean()).isTrue();
        assertThat(down.has("error")).isFalse();
        // AND a send without an answer is a fault whose cause is only the failure's kind
        JsonNode refused = sends.stream().filter(send -> !send.has("http") || !send.at("/http").has("response"))
                .findFirst().orElseThrow();
        assertThat(refused.path("fault").asBoolean()).isTrue();
        assertThat(refused.at("/cause/exceptions/0/type").asText()).isEqualTo("REFUSED");
        assertThat(refused.at("/cause/exceptions/0").has("message")).isFalse();
        assertNoSecretsSent();
    }

    @Test
    void anUnsampledOrUntracedSendSendsNothing() {
        // WHEN one send runs in an unsampled trace and one outside any trace
        try (TraceContext.Scope traced = TraceContext.enter(Subsegments.header(false))) {
            assertThat(sender.send(secretRequest())).isInstanceOf(SendResult.Response.class);
        }
        assertThat(sender.send(secretRequest())).isInstanceOf(SendResult.Response.class);
        // AND then one in a sampled trace (a marker: from the same socket, over loopback, it arrives after
        // anything the first two could have sent)
        TraceHeader sampled = Subsegments.header(true);
        try (TraceContext.Scope traced = TraceContext.enter(sampled)) {
            sender.send(secretRequest());
        }

        // THEN all three were delivered, and the marker is the only document the daemon got
        assertThat(destination.requests()).hasSize(3);
        daemon.await(document -> true, 1, ARRIVAL);
        assertThat(daemon.datagrams()).hasSize(1);
        assertThat(daemon.documents().getFirst().path("trace_id").asText()).isEqualTo(sampled.root());
    }

    @Test
    void aHeaderWithoutAParentSendsNothing() {
        // A trace header with no segment to hang under (an upstream that only named the trace)
        TraceHeader orphan = new TraceHeader(Subsegments.header(true).root(), null, true);
        try (TraceContext.Scope traced = TraceContext.enter(orphan)) {
            sender.send(secretRequest());
        }
        TraceHeader sampled = Subsegments.header(true);
        try (TraceContext.Scope traced = TraceContext.enter(sampled)) {
            sender.send(secretRequest());
        }
        daemon.await(document -> true, 1, ARRIVAL);
        assertThat(daemon.datagrams()).hasSize(1);
        assertThat(daemon.documents().getFirst().path("trace_id").asText()).isEqualTo(sampled.root());
    }

    @Test
    void aTokenExchangeIsARemoteSubsegmentWithoutItsFormOrHeaders() {
        // GIVEN an OAuth token exchange (the client secret and a code in the form, a key in a header)
        TraceHeader invocation = Subsegments.header(true);
        destination.enqueue(FakeReply.json(200, "{\"access_token\":\"AccessTokenSecret5\"}"));
        FetchResult result;
        try (TraceContext.Scope traced = TraceContext.enter(invocation)) {
            result = sender.fetch(FetchRequest.postForm(URI.create("http://" + HOST + ":" + destination.port() + "/oauth/v1/token"),
                    Map.of("client_secret", "FormSecret6", "code", "FormCode7"), Map.of("X-Api-Key", "HeaderSecret3")));
        }

        // THEN the exchange happened, and its subsegment names the host, the method and the status only
        assertThat(result).isInstanceOf(FetchResult.Answer.class);
        JsonNode fetch = daemon.await(document -> true, 1, ARRIVAL).getFirst();
        Subsegments.assertValid(fetch, invocation, "remote");
        assertThat(fetch.path("name").asText()).isEqualTo(HOST);
        assertThat(fetch.at("/http/request/method").asText()).isEqualTo("POST");
        assertThat(fetch.at("/http/response/status").asInt()).isEqualTo(200);
        assertThat(daemon.datagrams()).allSatisfy(datagram -> assertThat(datagram).doesNotContain("oauth")
                .doesNotContain("FormSecret6").doesNotContain("FormCode7").doesNotContain("HeaderSecret3")
                .doesNotContain("AccessTokenSecret5"));
    }

    @Test
    void aDaemonThatCannotBeReachedNeverFailsTheSend() {
        // GIVEN a daemon address that does not resolve (every datagram fails) and one nobody listens on
        TracedHttpSender unresolvable = TracedHttpSender.around(guarded,
                Tracer.to(XRayDaemon.at("no-such-daemon.invalid:2000"), clock));
        XRayDaemonFake gone = XRayDaemonFake.start();
        String goneAddress = gone.address();
        gone.close();
        TracedHttpSender unheard = TracedHttpSender.around(guarded, Tracer.to(XRayDaemon.at(goneAddress), clock));
        try (TraceContext.Scope traced = TraceContext.enter(Subsegments.header(true))) {
            // WHEN deliveries are sent through them, THEN they are sent and answered as without tracing
            for (int i = 0; i < 3; i++) {
                assertThat(unresolvable.send(secretRequest())).isInstanceOf(SendResult.Response.class);
                assertThat(unheard.send(secretRequest())).isInstanceOf(SendResult.Response.class);
            }
        }
        assertThat(destination.requests()).hasSize(6);
    }

    private static JsonNode withStatus(List<JsonNode> sends, int status) {
        return sends.stream().filter(send -> send.at("/http/response/status").asInt() == status).findFirst().orElseThrow();
    }

    private void assertNoSecretsSent() {
        assertThat(daemon.malformed()).isEmpty();
        assertThat(daemon.datagrams()).isNotEmpty().allSatisfy(datagram -> assertThat(datagram)
                .doesNotContain("PathSecret1").doesNotContain("QuerySecret2").doesNotContain("HeaderSecret3")
                .doesNotContain("BodySecret4").doesNotContain("/services").doesNotContain("/hook")
                .doesNotContain("slow down").doesNotContain("no such hook"));
    }
}
