package app.connectors.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.connectors.auth.InMemoryTokenStore;
import app.connectors.auth.TokenService;
import app.connectors.problem.FieldError;
import app.connectors.problem.ValidationException;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccountServiceTest {

    private final InMemoryUserStore users = new InMemoryUserStore(Clock.systemUTC());
    private final InMemoryTokenStore tokenStore = new InMemoryTokenStore();
    private final AccountService accounts = new AccountService(users, new TokenService(tokenStore, users, Clock.systemUTC()));

    @ParameterizedTest
    @ValueSource(strings = {"", "user 42", "user/42", "ü"})
    void refusesAUserIdOutsideItsAlphabet(String userId) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> accounts.upsert(userId, "pro"));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("userId");
        assertThat(users.find(userId)).isEmpty();
    }

    @Test
    void refusesAUserIdOver128Characters() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> accounts.upsert("u".repeat(129), "pro"));

        assertThat(e.errors()).extracting(FieldError::field).containsExactly("userId");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PRO", " pro ", "Pro"})
    void readsTheTierWhateverItsCaseAndSurroundingSpace(String tier) {
        var result = accounts.upsert("user-42", tier);

        assertThat(result.user().tier()).isEqualTo(Tier.PRO);
    }

    @Test
    void keepsTheConnectorCountWhenThePlanChanges() {
        accounts.upsert("user-42", "journalist");
        users.addToCount("user-42", 7);

        var result = accounts.upsert("user-42", "pro");

        assertThat(result.user().connectorCount()).isEqualTo(7);
        assertThat(result.previousTier()).isEqualTo(Tier.JOURNALIST);
        assertThat(result.created()).isFalse();
        assertThat(result.firstToken()).isNull();
    }

    @Test
    void issuesAFirstTokenAgainAfterTheUserRevokedAllOfThem() {
        var first = accounts.upsert("user-42", "pro");
        tokenStore.delete("user-42", tokenStore.listByUser("user-42").get(0).tokenId());

        var again = accounts.upsert("user-42", "pro");

        assertThat(again.firstToken()).startsWith("cnk_").isNotEqualTo(first.firstToken());
    }

    @Test
    void tierLimitsAreThePlans() {
        assertThat(Tier.FREE.connectorLimit()).hasValue(0);
        assertThat(Tier.PRO.connectorLimit()).hasValue(5);
        assertThat(Tier.JOURNALIST.connectorLimit()).hasValue(10);
        assertThat(Tier.ENTERPRISE.connectorLimit()).isEmpty();
    }
}
