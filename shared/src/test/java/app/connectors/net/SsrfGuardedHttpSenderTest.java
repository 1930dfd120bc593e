package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakeReply;
import app.connectors.testing.RecordedRequest;
import app.connectors.testing.StubResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsrfGuardedHttpSenderTest {

    private static final SenderConfig FAST = SenderConfig.production().withPlainHttpAllowed()
            .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2))
            // a success's body is read to its end whatever the machine's load: connection reuse is then certain
            .withSuccessBodyWait(Duration.ofSeconds(2));
    private static final byte[] JSON = "{\"text\":\"Promise kept\"}".getBytes(StandardCharsets.UTF_8);

    private final FakeDestination fake = FakeDestination.start();
    private final StubResolver dns = new StubResolver();
    private GuardedHttpSender sender;

    @AfterEach
    void tearDown() {
        if (sender != null) {
            sender.close();
        }
        fake.close();
    }

    private GuardedHttpSender senderAllowingFake(SenderConfig config) {
        sender = new GuardedHttpSender(new DefaultSsrfGuard(dns, Set.of(fake.allowedTarget())), config);
        return sender;
    }

    private GuardedHttpSender strictSender(SenderConfig config) {
        sender = new GuardedHttpSender(DefaultSsrfGuard.strict(dns), config);
        return sender;
    }

    @Test
    void deliversJsonAndReturnsStatusHeadersAndExcerpt() {
        // GIVEN a destination that answers 200 and a request with a header of its own
        fake.enqueue(FakeReply.json(200, "{\"ok\":true}").withHeader("X-RateLimit-Remaining", "4")
                .withHeader("X-Other", "dropped"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", "msg_1");
        OutboundRequest request = new OutboundRequest(OutboundRequest.Method.POST, fake.uri("/hook/abc?x=1"), headers, JSON);

        // WHEN it is sent
        SendResult result = senderAllowingFake(FAST).send(request);

        // THEN the answer comes back with the selected headers and the body
        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class, response -> {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.isSuccess()).isTrue();
            assertThat(response.bodyExcerpt()).isEqualTo("{\"ok\":true}");
            assertThat(response.headers()).containsEntry("content-type", "application/json")
                    .containsEntry("x-ratelimit-remaining", "4").doesNotContainKey("x-other");
            assertThat(response.latency()).isPositive();
        });
        RecordedRequest received = fake.requests().get(0);
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/hook/abc");
        assertThat(received.query()).isEqualTo("x=1");
        assertThat(received.body()).isEqualTo(JSON);
        assertThat(received.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(received.header("user-agent")).contains("Connectors/1.0");
        assertThat(received.header("webhook-id")).contains("msg_1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "PATCH"})
    void sendsTheRequestedMethod(String method) {
        OutboundRequest request = new OutboundRequest(OutboundRequest.Method.valueOf(method), fake.uri("/x"), Map.of(), JSON);

        SendResult result = senderAllowingFake(FAST).send(request);

        assertThat(result).isInstanceOf(SendResult.Response.class);
        assertThat(fake.requests()).extracting(RecordedRequest::method).containsExactly(method);
    }

    @Test
    void connectsToTheCheckedAddressOfANameAndKeepsTheNameForTheHostHeader() {
        // GIVEN a name that resolves to the allowed fake
        dns.answer("hooks.fake.test", "127.0.0.1");
        URI uri = URI.create("http://hooks.fake.test:" + fake.port() + "/services/T0/B0/secret");

        // WHEN it is sent
        SendResult result = senderAllowingFake(FAST).send(OutboundRequest.postJson(uri, JSON));

        // THEN the fake got it, addressed by name, after a single lookup
        assertThat(result).isInstanceOf(SendResult.Response.class);
        assertThat(fake.requests().get(0).header("host")).contains("hooks.fake.test:" + fake.port());
        assertThat(dns.lookups("hooks.fake.test")).isEqualTo(1);
    }

    @Test
    void refusesUrlThatResolvesToLoopbackAtSendTime() {
        // GIVEN a name that looked public when the connector was saved and answers loopback now
        dns.answer("rebind.fake.test", "93.184.215.14").thenAnswer("rebind.fake.test", "127.0.0.1");
        SsrfGuard guard = DefaultSsrfGuard.strict(dns);
        assertThat(guard.judge("rebind.fake.test", fake.port()).isAdmitted()).isTrue();
        sender = new GuardedHttpSender(guard, FAST);
        URI uri = URI.create("http://rebind.fake.test:" + fake.port() + "/x");

        // WHEN it is sent
        SendResult result = sender.send(OutboundRequest.postJson(uri, JSON));

        // THEN the guard refuses at connect time and nothing reaches the listener
        assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.REFUSED);
            assertThat(failure.message()).contains("127.0.0.1 is loopback (127.0.0.0/8)");
        });
        assertThat(fake.connectionsAccepted()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1", "0x7f.1", "2130706433", "0177.0.0.1", "[::ffff:127.0.0.1]"})
    void refusesLoopbackLiteralsInEverySpelling(String host) {
        // GIVEN a strict guard and a URL whose host spells loopback
        URI uri = URI.create("http://" + host + ":" + fake.port() + "/x");

        // WHEN it is sent
        SendResult result = strictSender(FAST).send(OutboundRequest.postJson(uri, JSON));

        // THEN it is refused without a lookup or a connection
        assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class,
                failure -> assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.REFUSED));
        assertThat(dns.totalLookups()).isZero();
        assertThat(fake.connectionsAccepted()).isZero();
    }

    @Test
    void refusesAllowedAddressOnAnotherPort() throws IOException {
        // GIVEN a second listener on 127.0.0.1 that is not on the allow-list
        try (FakeDestination other = FakeDestination.start()) {
            // WHEN a delivery targets it
            SendResult result = senderAllowingFake(FAST).send(OutboundRequest.postJson(other.uri("/x"), JSON));

            // THEN it is refused and the other listener sees nothing
            assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class,
                    failure -> assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.REFUSED));
            assertThat(other.connectionsAccepted()).isZero();
        }
    }

    @Test
    void returnsRedirectWithoutFollowingIt() {
        // GIVEN a destination that redirects to itself
        fake.enqueue(FakeReply.redirect(fake.uri("/elsewhere").toString()));

        // WHEN a delivery is sent
        SendResult result = senderAllowingFake(FAST).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        // THEN the 302 is the answer and no second request was made
        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class, response -> {
            assertThat(response.status()).isEqualTo(302);
            assertThat(response.isSuccess()).isFalse();
        });
        assertThat(fake.requests()).extracting(RecordedRequest::path).containsExactly("/hook");
    }

    @Test
    void timesOutWhenTheDestinationNeverAnswers() {
        // GIVEN a destination that reads the request and hangs
        fake.enqueue(FakeReply.hang());

        // WHEN a delivery is sent with a 500 ms response timeout
        SendResult result = senderAllowingFake(FAST).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        // THEN it fails as a timeout, well before the total deadline
        assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.TIMEOUT);
            assertThat(failure.latency()).isLessThan(Duration.ofMillis(1900));
        });
    }

    @Test
    void stopsReadingAnErrorBodyThatTricklesAtTheTotalDeadline() {
        // GIVEN an error body that arrives one byte per 100 ms, never silent long enough for the response timeout
        fake.enqueue(FakeReply.slowBody(500, 100, Duration.ofMillis(100)));
        SenderConfig config = FAST.withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1));
        long started = System.nanoTime();

        // WHEN a delivery is sent with a 1 s total deadline
        SendResult result = senderAllowingFake(config).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        // THEN the sender stops reading at the deadline and keeps the status the destination gave
        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class,
                response -> assertThat(response.status()).isEqualTo(500));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void reportsAResetConnectionAsReset() {
        fake.enqueue(FakeReply.reset());

        SendResult result = senderAllowingFake(FAST).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class,
                failure -> assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.RESET));
    }

    @Test
    void reportsAConnectionClosedWithoutAnswerAsReset() {
        fake.enqueue(FakeReply.closeWithoutAnswer());

        SendResult result = senderAllowingFake(FAST).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class,
                failure -> assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.RESET));
    }

    @Test
    void reportsARefusedConnectionAsConnect() throws IOException {
        // GIVEN an allowed port where nothing listens
        int closedPort = closedPort();
        sender = new GuardedHttpSender(new DefaultSsrfGuard(dns, Set.of(new AllowedTarget(InetAddress.getLoopbackAddress(), closedPort))), FAST);

        // WHEN a delivery is sent there
        SendResult result = sender.send(OutboundRequest.postJson(URI.create("http://127.0.0.1:" + closedPort + "/x"), JSON));

        // THEN it fails as a connect failure
        assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class,
                failure -> assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.CONNECT));
    }

    @Test
    void reportsAnUnresolvableNameAsDns() {
        dns.nxdomain("gone.fake.test");

        SendResult result = strictSender(FAST).send(OutboundRequest.postJson(URI.create("https://gone.fake.test/x"), JSON));

        assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.DNS);
            assertThat(failure.message()).isEqualTo("gone.fake.test does not resolve");
        });
    }

    @Test
    void reportsAFailedHandshakeAsTls() throws Exception {
        // GIVEN an allowed listener that answers a TLS ClientHello with plain HTTP
        try (ServerSocket plain = new ServerSocket()) {
            plain.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofVirtual().start(() -> {
                try (Socket socket = plain.accept(); OutputStream out = socket.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException ignored) {
                    // the client went away
                }
            });
            sender = new GuardedHttpSender(new DefaultSsrfGuard(dns,
                    Set.of(new AllowedTarget(InetAddress.getLoopbackAddress(), plain.getLocalPort()))), FAST);

            // WHEN a delivery is sent over https
            SendResult result = sender.send(OutboundRequest.postJson(
                    URI.create("https://127.0.0.1:" + plain.getLocalPort() + "/x"), JSON));

            // THEN it fails as TLS
            assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class,
                    failure -> assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.TLS));
        }
    }

    @Test
    void refusesPlainHttpUnlessConfiguredToAllowIt() {
        // GIVEN the production configuration (https only), even for an allowed target
        SendResult result = senderAllowingFake(SenderConfig.production()).send(OutboundRequest.postJson(fake.uri("/hook/secret"), JSON));

        // THEN the request never leaves
        assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(SendResult.FailureKind.REFUSED);
            assertThat(failure.message()).isEqualTo("plain http is not allowed: " + fake.baseUrl());
        });
        assertThat(fake.connectionsAccepted()).isZero();
    }

    @Test
    void parsesRetryAfterFromA429() {
        fake.enqueue(FakeReply.tooManyRequests("7"));

        SendResult result = senderAllowingFake(FAST).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class, response -> {
            assertThat(response.status()).isEqualTo(429);
            assertThat(response.retryAfter(Instant.now())).contains(Duration.ofSeconds(7));
        });
    }

    @Test
    void readsDiscordRetryAfterFromTheBody() {
        // GIVEN Discord's 429 (the header rounds up to 2 s, the body says 1.5 s)
        fake.enqueue(FakeReply.discordRateLimited(1.5, false));

        SendResult result = senderAllowingFake(FAST).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        // THEN both are readable and the rate-limit headers are kept
        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class, response -> {
            assertThat(RetryAfter.parseDiscordBody(response.bodyExcerpt())).contains(Duration.ofMillis(1500));
            assertThat(response.retryAfter(Instant.now())).contains(Duration.ofSeconds(2));
            assertThat(response.header("X-RateLimit-Remaining")).contains("0");
            assertThat(response.header("x-ratelimit-reset-after")).contains("1.5");
        });
    }

    @Test
    void keepsAShortUtf8SafeExcerptOfALargeBody() {
        // GIVEN a 100 KB body of two-byte characters and four-byte emoji
        String body = "é😀".repeat(100 * 1024 / 6);
        fake.enqueue(FakeReply.text(500, body));

        SendResult result = senderAllowingFake(FAST).send(OutboundRequest.postJson(fake.uri("/hook"), JSON));

        // THEN the excerpt is at most 512 chars, marked as cut, with no broken character
        assertThat(result).isInstanceOfSatisfying(SendResult.Response.class, response -> {
            String excerpt = response.bodyExcerpt();
            assertThat(excerpt.length()).isLessThanOrEqualTo(GuardedHttpSender.EXCERPT_CHARS).isGreaterThan(500);
            assertThat(excerpt).endsWith("…").doesNotContain("\uFFFD");
            assertThat(body).startsWith(excerpt.substring(0, excerpt.length() - 1));
            assertThat(Character.isHighSurrogate(excerpt.charAt(excerpt.length() - 2))).isFalse();
        });
    }

    @Test
    void excerptNeverEndsInHalfASurrogatePair() {
        // GIVEN text whose 511th char would be the first half of an emoji
        byte[] bytes = ("a".repeat(510) + "😀".repeat(10)).getBytes(StandardCharsets.UTF_8);

        String excerpt = GuardedHttpSender.excerpt(bytes, bytes.length);

        assertThat(excerpt).isEqualTo("a".repeat(510) + "…");
    }

    @Test
    void reusesPooledConnectionsAcrossSends() {
        GuardedHttpSender pooled = senderAllowingFake(FAST);

        pooled.send(OutboundRequest.postJson(fake.uri("/one"), JSON));
        pooled.send(OutboundRequest.postJson(fake.uri("/two"), JSON));

        assertThat(fake.requests()).hasSize(2);
        assertThat(fake.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void keepsUrlPathAndQueryOutOfEveryFailureMessage() throws IOException {
        // GIVEN URLs whose path and query carry secrets, failing in different ways
        String secretPart = "/services/T000/B000/SECRETTOKEN?token=hunter2";
        dns.nxdomain("gone.fake.test").answer("lan.fake.test", "10.0.0.7");
        int closedPort = closedPort();
        sender = new GuardedHttpSender(new DefaultSsrfGuard(dns, Set.of(fake.allowedTarget(),
                new AllowedTarget(InetAddress.getLoopbackAddress(), closedPort))), FAST);
        fake.enqueue(FakeReply.hang(), FakeReply.reset());

        // WHEN each is sent
        var failures = java.util.stream.Stream.of(
                        "http://127.0.0.1:" + closedPort + secretPart,
                        "http://gone.fake.test" + secretPart,
                        "http://lan.fake.test" + secretPart,
                        fake.baseUrl() + secretPart,
                        fake.baseUrl() + secretPart,
                        "ftp://127.0.0.1" + secretPart)
                .map(url -> sender.send(OutboundRequest.postJson(URI.create(url), JSON)))
                .toList();

        // THEN every one is a failure whose message has no path or query
        assertThat(failures).allSatisfy(result -> assertThat(result).isInstanceOfSatisfying(SendResult.Failure.class,
                failure -> assertThat(failure.message()).doesNotContain("SECRETTOKEN", "hunter2", "services")));
        assertThat(failures).extracting(r -> ((SendResult.Failure) r).kind()).containsExactly(
                SendResult.FailureKind.CONNECT, SendResult.FailureKind.DNS, SendResult.FailureKind.REFUSED,
                SendResult.FailureKind.TIMEOUT, SendResult.FailureKind.RESET, SendResult.FailureKind.REFUSED);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
