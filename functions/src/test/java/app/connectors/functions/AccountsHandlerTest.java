package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.account.AccountService;
import app.connectors.auth.TokenService;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountsHandlerTest {

    private final app.connectors.account.InMemoryUserStore users = new app.connectors.account.InMemoryUserStore(Clock.systemUTC());
    private final app.connectors.auth.InMemoryTokenStore tokenStore = new app.connectors.auth.InMemoryTokenStore();
    private final app.connectors.portal.InMemoryPortalStore portalStore = new app.connectors.portal.InMemoryPortalStore();
    private final AccountsHandler handler = new AccountsHandler(
            new AccountService(users, new TokenService(tokenStore, users, Clock.systemUTC())),
            () -> new app.connectors.portal.PortalSessions(portalStore, users, Clock.systemUTC()),
            java.util.Optional.of("https://api.example.com/v1/portal"));

    @Test
    void refusesAnUnknownTierWithAFieldError() {
        // WHEN the platform sends a tier that does not exist
        Map<String, Object> out = handler.handleRequest(Map.of("userId", "user-42", "tier", "platinum"), null);

        // THEN the answer says so, names the field and lists the tiers; nothing is stored
        assertThat(out).containsEntry("ok", false).containsEntry("status", 400);
        assertThat(out.get("errors")).isEqualTo(List.of(Map.of("field", "tier",
                "message", "tier must be one of free, pro, journalist, enterprise")));
        assertThat(users.find("user-42")).isEmpty();
    }

    @Test
    void refusesAMissingUserIdAndTierTogether() {
        Map<String, Object> out = handler.handleRequest(new HashMap<>(), null);

        assertThat(out).containsEntry("ok", false);
        assertThat(((List<?>) out.get("errors")).stream().map(e -> (Object) ((Map<?, ?>) e).get("field")).toList()).containsExactly("userId", "tier");
    }

    @Test
    void firstUpsertCreatesTheUserAndIssuesAToken() {
        Map<String, Object> out = handler.handleRequest(Map.of("userId", "user-42", "tier", "pro"), null);

        assertThat(out).containsEntry("ok", true).containsEntry("userId", "user-42").containsEntry("tier", "pro")
                .containsEntry("created", true).containsEntry("previousTier", null).containsEntry("connectorCount", 0);
        assertThat((String) out.get("token")).startsWith("cnk_");
        assertThat(tokenStore.listByUser("user-42")).hasSize(1);
    }

    @Test
    void secondUpsertChangesThePlanWithoutIssuingAnotherToken() {
        // GIVEN a user created on Pro
        handler.handleRequest(Map.of("userId", "user-42", "tier", "pro"), null);

        // WHEN downgraded to Free
        Map<String, Object> out = handler.handleRequest(Map.of("userId", "user-42", "tier", "free"), null);

        // THEN the plan changes, the previous plan is reported, and no token is issued
        assertThat(out).containsEntry("ok", true).containsEntry("tier", "free").containsEntry("created", false)
                .containsEntry("previousTier", "pro").doesNotContainKey("token");
        assertThat(tokenStore.listByUser("user-42")).hasSize(1);
    }

    @Test
    void mintsAPortalLinkForAnExistingUser() {
        handler.handleRequest(Map.of("userId", "user-42", "tier", "pro"), null);

        Map<String, Object> out = handler.handleRequest(Map.of("action", "portal-link", "userId", "user-42"), null);

        assertThat(out).containsEntry("ok", true).containsEntry("userId", "user-42").containsKey("expiresAt");
        assertThat((String) out.get("url")).startsWith("https://api.example.com/v1/portal/start?code=cpl_");
        assertThat(portalStore.links()).hasSize(1);
    }

    @Test
    void refusesAPortalLinkForAnUnknownUser() {
        Map<String, Object> out = handler.handleRequest(Map.of("action", "portal-link", "userId", "nobody"), null);

        assertThat(out).containsEntry("ok", false).containsEntry("status", 404);
        assertThat((String) out.get("detail")).contains("nobody");
        assertThat(portalStore.links()).isEmpty();
    }

    @Test
    void refusesAnUnknownAction() {
        Map<String, Object> out = handler.handleRequest(Map.of("action", "delete-everything", "userId", "user-42"), null);

        assertThat(out).containsEntry("ok", false).containsEntry("status", 400);
        assertThat(out.get("errors")).isEqualTo(List.of(Map.of("field", "action",
                "message", "action must be one of upsert (the default), issue-token, portal-link; got 'delete-everything'")));
        assertThat(users.find("user-42")).isEmpty();
    }

    @Test
    void aSecondUpsertSaysHowToGetANewToken() {
        handler.handleRequest(Map.of("userId", "user-42", "tier", "pro"), null);

        Map<String, Object> out = handler.handleRequest(Map.of("userId", "user-42", "tier", "pro"), null);

        assertThat(out).doesNotContainKey("token");
        assertThat((String) out.get("note")).contains("already has API tokens", "\"action\": \"issue-token\"");
    }

    @Test
    void issueTokenGivesAnExistingUserANewTokenAndKeepsTheOthers() {
        // GIVEN a user whose first token was lost
        String lost = (String) handler.handleRequest(Map.of("userId", "user-42", "tier", "pro"), null).get("token");

        // WHEN the platform issues a new one
        Map<String, Object> out = handler.handleRequest(Map.of("action", "issue-token", "userId", "user-42", "name", "laptop"), null);

        // THEN it is returned once, named, and both tokens exist
        assertThat(out).containsEntry("ok", true).containsEntry("userId", "user-42").containsEntry("name", "laptop");
        assertThat((String) out.get("token")).startsWith("cnk_").isNotEqualTo(lost);
        assertThat(tokenStore.listByUser("user-42")).hasSize(2);
    }

    @Test
    void issueTokenForAnUnknownUserIsA404SayingHowToCreateIt() {
        Map<String, Object> out = handler.handleRequest(Map.of("action", "issue-token", "userId", "nobody"), null);

        assertThat(out).containsEntry("ok", false).containsEntry("status", 404);
        assertThat((String) out.get("detail")).contains("No user nobody", "\"tier\"");
        assertThat(tokenStore.listByUser("nobody")).isEmpty();
    }
}
