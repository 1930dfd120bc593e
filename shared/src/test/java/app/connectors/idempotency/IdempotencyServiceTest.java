package app.connectors.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.crypto.LocalKeyFileDataKeySource;
import app.connectors.crypto.SecretCipher;
import app.connectors.problem.ConflictException;
import app.connectors.problem.UnprocessableContentException;
import app.connectors.problem.ValidationException;
import app.connectors.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdempotencyServiceTest {

    private static final String BODY = "{\"type\":\"slack\",\"name\":\"Eng\"}";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T14:00:00Z"));
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
    private final AtomicInteger runs = new AtomicInteger();
    private final List<String> reservedIds = new ArrayList<>();
    private IdempotencyService service;

    @TempDir
    Path keys;

    @BeforeEach
    void setUp() {
        service = new IdempotencyService(store, new SecretCipher(new LocalKeyFileDataKeySource(keys.resolve("k")), clock), clock);
    }

    private IdempotencyService.Answer create(String reservedId) {
        runs.incrementAndGet();
        reservedIds.add(reservedId);
        return IdempotencyService.Answer.of(201, Map.of("Location", "/api/v1/connectors/" + reservedId),
                "{\"uuid\":\"" + reservedId + "\",\"signingSecret\":\"whsec_shown_once\"}");
    }

    @Test
    void aRetryWithTheSameKeyAndBodyGetsTheFirstAnswerWithoutRunningAgain() {
        IdempotencyService.Answer first = service.execute("u1", "key-1", BODY, "id-1", this::create);
        IdempotencyService.Answer retry = service.execute("u1", "key-1", BODY, "id-2", this::create);

        assertThat(runs).hasValue(1);
        assertThat(first.replayed()).isFalse();
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers()).isEqualTo(first.headers());
    }

    @Test
    void theStoredAnswerIsEncryptedSinceItMayShowASecretOnce() {
        service.execute("u1", "key-1", BODY, "id-1", this::create);

        byte[] sealed = store.record("u1", "key-1").orElseThrow().sealedResponse();
        assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("whsec_shown_once", "uuid");
    }

    @Test
    void theSameJsonReformattedOrReorderedIsTheSameRequest() {
        service.execute("u1", "key-1", BODY, "id-1", this::create);

        IdempotencyService.Answer retry = service.execute("u1", "key-1", "{ \"name\" : \"Eng\",\n \"type\":\"slack\" }", "id-2", this::create);

        assertThat(retry.replayed()).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedWith422() {
        service.execute("u1", "key-1", BODY, "id-1", this::create);

        assertThatThrownBy(() -> service.execute("u1", "key-1", "{\"type\":\"slack\",\"name\":\"Other\"}", "id-2", this::create))
                .isInstanceOf(UnprocessableContentException.class)
                .hasMessageContaining("already used with a different request body");
        assertThat(runs).hasValue(1);
    }

    @Test
    void keysArePerUser() {
        service.execute("alice", "shared-key", BODY, "id-a", this::create);

        IdempotencyService.Answer bobs = service.execute("bob", "shared-key", BODY, "id-b", this::create);

        assertThat(bobs.replayed()).isFalse();
        assertThat(reservedIds).containsExactly("id-a", "id-b");
    }

    @Test
    void aRetryWhileTheFirstStillRunsIsA409() {
        // GIVEN a first attempt that holds the key (still running)
        store.reserve(new IdempotencyRecord("u1", "key-1", IdempotencyService.fingerprint(BODY), "id-1",
                IdempotencyRecord.State.IN_PROGRESS, clock.instant().plus(IdempotencyService.LEASE), 0, null,
                clock.instant(), clock.instant().plus(IdempotencyService.RETENTION)), clock.instant());

        // WHEN a retry arrives inside its lease, THEN it is told to retry shortly, and nothing runs
        assertThatThrownBy(() -> service.execute("u1", "key-1", BODY, "id-2", this::create))
                .isInstanceOf(ConflictException.class).hasMessageContaining("still being processed");
        assertThat(runs).hasValue(0);
    }

    @Test
    void aRetryAfterAnAttemptDiedTakesOverWithTheSameReservedId() {
        // GIVEN an attempt that died after reserving the key (its operation failed unexpectedly)
        assertThatThrownBy(() -> service.execute("u1", "key-1", BODY, "id-1", reservedId -> {
            reservedIds.add(reservedId);
            throw new IllegalStateException("the function was killed");
        })).isInstanceOf(IllegalStateException.class);

        // WHEN a retry comes after the lease expired
        clock.advance(IdempotencyService.LEASE.plusSeconds(1));
        IdempotencyService.Answer answer = service.execute("u1", "key-1", BODY, "id-2", this::create);

        // THEN it runs with the id the dead attempt reserved (so it finds what that one made), and is stored
        assertThat(reservedIds).containsExactly("id-1", "id-1");
        assertThat(answer.status()).isEqualTo(201);
        assertThat(service.execute("u1", "key-1", BODY, "id-3", this::create).replayed()).isTrue();
    }

    @Test
    void aRefusedRequestStoresNothingSoTheKeyWorksOnceTheBodyIsFixed() {
        assertThatThrownBy(() -> service.execute("u1", "key-1", "{\"type\":\"nope\"}", "id-1", reservedId -> {
            throw ValidationException.of("type", "unknown type");
        })).isInstanceOf(ValidationException.class);

        IdempotencyService.Answer fixed = service.execute("u1", "key-1", BODY, "id-2", this::create);

        assertThat(fixed.replayed()).isFalse();
        assertThat(reservedIds).containsExactly("id-2");
    }

    @Test
    void aKeyCanBeReusedForAnythingAfter24Hours() {
        service.execute("u1", "key-1", BODY, "id-1", this::create);
        clock.advance(IdempotencyService.RETENTION.plus(Duration.ofSeconds(1)));

        IdempotencyService.Answer later = service.execute("u1", "key-1", "{\"other\":true}", "id-2", this::create);

        assertThat(later.replayed()).isFalse();
        assertThat(runs).hasValue(2);
    }

    @Test
    void aMalformedKeyIsA400NamingTheHeader() {
        for (String key : List.of("", " ", "a".repeat(256), "tab\tkey", "ünï")) {
            assertThatThrownBy(() -> service.execute("u1", key, BODY, "id-1", this::create))
                    .isInstanceOf(ValidationException.class)
                    .satisfies(e -> assertThat(((ValidationException) e).errors().getFirst().field()).isEqualTo("Idempotency-Key"));
        }
        assertThat(runs).hasValue(0);
    }
}
