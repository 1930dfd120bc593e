package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.testing.FakeDestination;
import app.connectors.testing.FakeReply;
import app.connectors.testing.StubResolver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link GuardedHttpSender#fetch}: the product's own calls get the delivery path's guard, and the whole answer. */
class GuardedFetchTest {

    private static final SenderConfig FAST = SenderConfig.production().withPlainHttpAllowed()
            .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(2));

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

    @Test
    void aGetReturnsTheWholeBodyNotAnExcerpt() {
        String big = "[" + "\"x\",".repeat(5000) + "\"end\"]";
        fake.enqueue(FakeReply.json(200, big));
        sender = new GuardedHttpSender(new DefaultSsrfGuard(dns, Set.of(fake.allowedTarget())), FAST);

        FetchResult result = sender.fetch(FetchRequest.get(fake.uri("/api/workspaces/list"), Map.of("Authorization", "Bearer t")));

        assertThat(result).isInstanceOfSatisfying(FetchResult.Answer.class, answer -> {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.text()).isEqualTo(big);
            assertThat(answer.contentType()).startsWith("application/json");
        });
        assertThat(fake.requests().getFirst().method()).isEqualTo("GET");
        assertThat(fake.requests().getFirst().body()).isEmpty();
    }

    @Test
    void aFormPostIsEncoded() {
        fake.enqueue(FakeReply.json(200, "{\"ok\":true}"));
        sender = new GuardedHttpSender(new DefaultSsrfGuard(dns, Set.of(fake.allowedTarget())), FAST);

        sender.fetch(FetchRequest.postForm(fake.uri("/token"), Map.of("code", "a b&c"), Map.of()));

        var request = fake.requests().getFirst();
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("code=a+b%26c");
        assertThat(request.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("content-type"))
                .findFirst().orElseThrow().getValue().getFirst()).startsWith("application/x-www-form-urlencoded");
    }

    @Test
    void aPrivateAddressIsRefusedWithoutConnecting() {
        dns.answer("internal.example.com", "10.0.0.7");
        sender = new GuardedHttpSender(DefaultSsrfGuard.strict(dns), FAST);

        FetchResult result = sender.fetch(FetchRequest.get(URI.create("http://internal.example.com:" + fake.port() + "/"), Map.of()));

        assertThat(result).isInstanceOfSatisfying(FetchResult.Unreachable.class,
                unreachable -> assertThat(unreachable.kind()).isEqualTo(SendResult.FailureKind.REFUSED));
        assertThat(fake.connectionsAccepted()).isZero();
    }

    @Test
    void aRedirectIsReturnedNotFollowed() {
        fake.enqueue(FakeReply.redirect("http://169.254.169.254/latest/meta-data"));
        sender = new GuardedHttpSender(new DefaultSsrfGuard(dns, Set.of(fake.allowedTarget())), FAST);

        FetchResult result = sender.fetch(FetchRequest.get(fake.uri("/api/workspaces/list"), Map.of()));

        assertThat(result).isInstanceOfSatisfying(FetchResult.Answer.class, answer -> assertThat(answer.status()).isEqualTo(302));
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void theUrlNeverShowsInTheRequestsText() {
        assertThat(FetchRequest.get(URI.create("https://hooks.example.com/secret/path?token=abc"), Map.of()).toString())
                .isEqualTo("FetchRequest[GET https://hooks.example.com]");
    }
}
