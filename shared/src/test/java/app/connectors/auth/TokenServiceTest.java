package app.connectors.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.connectors.account.InMemoryUserStore;
import app.connectors.account.Tier;
import app.connectors.problem.LimitExceededException;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenServiceTest {

    private static final String USER = "user-1";

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private final InMemoryTokenStore store = new InMemoryTokenStore();
    private final InMemoryUserStore users = new InMemoryUserStore(clock);
    private final TokenService tokens = new TokenService(store, users, clock);

    @BeforeEach
    void setUp() {
        users.upsert(USER, Tier.PRO);
    }

    @Test
    void issueStoresOnlyTheHashAndADisplayPrefix() {
        // WHEN a token is issued
        var issued = tokens.issue(USER, "CI");

        // THEN the store holds its hash and prefix, never its text
        StoredToken stored = store.all().get(0);
        assertThat(issued.token()).startsWith("cnk_");
        assertThat(stored.tokenHash()).isEqualTo(ApiToken.hash(issued.token()));
        assertThat(stored.prefix()).isEqualTo(issued.token().substring(0, 10));
        assertThat(stored.toString()).doesNotContain(issued.token());
        assertThat(stored.userId()).isEqualTo(USER);
        assertThat(stored.name()).isEqualTo("CI");
        assertThat(stored.createdAt()).isEqualTo(clock.instant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "  Bearer   "})
    void authenticatesABearerTokenWhateverTheSchemesCase(String scheme) {
        var issued = tokens.issue(USER, null);

        var principal = tokens.authenticate(scheme + issued.token());

        assertThat(principal).contains(new Principal(USER, Tier.PRO, issued.stored().tokenId()));
    }

    @Test
    void authenticationRecordsUse() {
        var issued = tokens.issue(USER, null);

        tokens.authenticate("Bearer " + issued.token());

        assertThat(store.touched()).containsExactly(issued.stored().tokenHash());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token cnk_abc", "Bearer abc", "Bearer sk_live_123",
            "Bearercnk_abc"})
    void rejectsMissingAndMalformedHeaders(String header) {
        tokens.issue(USER, null);

        assertThat(tokens.authenticate(header)).isEmpty();
        assertThat(store.touched()).isEmpty();
    }

    @Test
    void rejectsAnUnknownToken() {
        tokens.issue(USER, null);

        assertThat(tokens.authenticate("Bearer " + ApiToken.generate())).isEmpty();
    }

    @Test
    void rejectsARevokedToken() {
        // GIVEN a token that worked, then was revoked
        var issued = tokens.issue(USER, null);
        assertThat(tokens.authenticate("Bearer " + issued.token())).isPresent();

        // WHEN revoked
        tokens.revoke(USER, issued.stored().tokenId());

        // THEN it no longer authenticates
        assertThat(tokens.authenticate("Bearer " + issued.token())).isEmpty();
    }

    @Test
    void rejectsATokenOfAUserWhoNoLongerExists() {
        var issued = tokens.issue(USER, null);
        users.remove(USER);

        assertThat(tokens.authenticate("Bearer " + issued.token())).isEmpty();
    }

    @Test
    void rejectsAnOverlongToken() {
        assertThat(tokens.authenticate("Bearer cnk_" + "a".repeat(300))).isEmpty();
    }

    @Test
    void refusesATwentyFirstToken() {
        // GIVEN a user with 20 tokens
        for (int i = 0; i < 20; i++) {
            tokens.issue(USER, "t" + i);
        }

        // WHEN another is issued
        LimitExceededException e = catchThrowableOfType(LimitExceededException.class, () -> tokens.issue(USER, "one more"));

        // THEN it is refused with a 403 that names the limit
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("20 API tokens", "revoke one");
        assertThat(store.all()).hasSize(20);
    }

    @Test
    void theLimitIsPerUser() {
        for (int i = 0; i < 20; i++) {
            tokens.issue(USER, null);
        }

        assertThat(tokens.issue("user-2", null).token()).startsWith("cnk_");
    }

    @Test
    void revokingAnUnknownIdIsNotFound() {
        NotFoundException e = catchThrowableOfType(NotFoundException.class, () -> tokens.revoke(USER, "tok_nope"));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).contains("tok_nope");
    }

    @Test
    void revokingAnotherUsersTokenIsNotFoundAndKeepsIt() {
        var theirs = tokens.issue("user-2", null);

        catchThrowableOfType(NotFoundException.class, () -> tokens.revoke(USER, theirs.stored().tokenId()));

        assertThat(store.findByHash(theirs.stored().tokenHash())).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void refusesABlankName(String name) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> tokens.issue(USER, name));

        assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.field()).isEqualTo("name"));
    }

    @Test
    void refusesANameOver100Characters() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> tokens.issue(USER, "n".repeat(101)));

        assertThat(e.getMessage()).contains("1 to 100 characters");
    }

    @Test
    void listsTheUsersTokensOldestFirst() {
        var clockNow = new java.util.concurrent.atomic.AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
        Clock ticking = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clockNow.getAndUpdate(t -> t.plusSeconds(60));
            }
        };
        TokenService service = new TokenService(store, users, ticking);
        service.issue(USER, "first");
        service.issue(USER, "second");
        service.issue("user-2", "not mine");

        assertThat(service.list(USER)).extracting(StoredToken::name).containsExactly("first", "second");
    }

    @Test
    void hasTokensOnlyAfterTheFirstIssue() {
        assertThat(tokens.hasTokens(USER)).isFalse();

        tokens.issue(USER, null);

        assertThat(tokens.hasTokens(USER)).isTrue();
    }
}
