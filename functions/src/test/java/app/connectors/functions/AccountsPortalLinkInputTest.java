package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.account.AccountService;
import app.connectors.account.InMemoryUserStore;
import app.connectors.account.Tier;
import app.connectors.auth.InMemoryTokenStore;
import app.connectors.auth.TokenService;
import app.connectors.portal.InMemoryPortalStore;
import app.connectors.portal.PortalSessions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Security review: the {@code portal-link} action reads {@code userId} with {@code toString()} and
 * no validation, unlike {@code upsert} (AccountService.USER_ID). A number mints a link for the user
 * whose id is its decimal text; a blank or over-long id reaches DynamoDB, which throws
 * (DynamoDbException: empty key / key over 2048 bytes) out of the handler, so the host platform gets
 * a Lambda error with a stack trace instead of {@code {"ok": false, "status": 400}} naming the field.
 * (The DynamoDB crash itself: PortalAttackIT.aBlankOrOverlongUserIdIsAFieldErrorNotALambdaError.)
 */
class AccountsPortalLinkInputTest {

    private final InMemoryUserStore users = new InMemoryUserStore(Clock.systemUTC());
    private final InMemoryPortalStore portalStore = new InMemoryPortalStore();
    private final AccountsHandler handler = new AccountsHandler(
            new AccountService(users, new TokenService(new InMemoryTokenStore(), users, Clock.systemUTC())),
            () -> new PortalSessions(portalStore, users, Clock.systemUTC()), Optional.of("https://api.example.com/v1/portal"));

    static Stream<Object> malformedUserIds() {
        return Stream.of("", " ", "a".repeat(3000), "user 42\n", 42, List.of("user-42"), Map.of("id", "user-42"), true);
    }

    @ParameterizedTest
    @MethodSource("malformedUserIds")
    void aMalformedUserIdIsAFieldErrorAndMintsNothing(Object userId) {
        users.upsert("42", Tier.PRO);
        users.upsert("user-42", Tier.PRO);
        Map<String, Object> input = new HashMap<>();
        input.put("action", "portal-link");
        input.put("userId", userId);

        Map<String, Object> out = handler.handleRequest(input, null);

        String shown = String.valueOf(userId).length() > 40 ? "<" + String.valueOf(userId).length() + " characters>" : String.valueOf(userId);
        assertThat(out).as("userId=%s", shown).containsEntry("ok", false).containsEntry("status", 400);
        assertThat(((List<?>) out.get("errors")).stream().map(e -> (Object) ((Map<?, ?>) e).get("field")).toList()).containsExactly("userId");
        assertThat(portalStore.links()).isEmpty();
    }
}
