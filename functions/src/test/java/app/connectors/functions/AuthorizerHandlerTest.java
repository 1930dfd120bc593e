package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.account.Tier;
import app.connectors.auth.TokenService;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizerHandlerTest {

    private static final String METHOD_ARN = "arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/GET/api/v1/connectors";

    private final app.connectors.account.InMemoryUserStore users = new app.connectors.account.InMemoryUserStore(Clock.systemUTC());
    private final TokenService tokens = new TokenService(new app.connectors.auth.InMemoryTokenStore(), users, Clock.systemUTC());
    private final AuthorizerHandler handler = new AuthorizerHandler(tokens);

    @Test
    void allowsTheWholeStageForAValidTokenWithTheCallerInTheContext() {
        // GIVEN a Pro user's token
        users.upsert("u1", Tier.PRO);
        var issued = tokens.issue("u1", null);

        // WHEN the authorizer sees it on one route
        IamPolicyResponse response = handler.handleRequest(event(Map.of("Authorization", "Bearer " + issued.token())), null);

        // THEN the policy allows every route of the stage (the answer is cached per token), for that user
        assertThat(response.getPrincipalId()).isEqualTo("u1");
        assertThat(response.getContext()).isEqualTo(Map.of("userId", "u1", "tier", "pro", "tokenId", issued.stored().tokenId()));
        Map<String, Object> policy = response.getPolicyDocument();
        assertThat(policy.get("Version")).isEqualTo("2012-10-17");
        Object[] statements = (Object[]) policy.get("Statement");
        assertThat(statements).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> statement = (Map<String, Object>) statements[0];
        assertThat(statement.get("Effect")).isEqualTo("Allow");
        assertThat(statement.get("Action")).isEqualTo("execute-api:Invoke");
        assertThat((String[]) statement.get("Resource")).containsExactly("arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/*");
    }

    @Test
    void findsTheAuthorizationHeaderWhateverItsCase() {
        users.upsert("u1", Tier.FREE);
        var issued = tokens.issue("u1", null);

        IamPolicyResponse response = handler.handleRequest(event(Map.of("authorization", "bearer " + issued.token())), null);

        assertThat(response.getContext()).containsEntry("tier", "free");
    }

    @Test
    void rejectsAMissingAuthorizationHeader() {
        assertThatThrownBy(() -> handler.handleRequest(event(Map.of()), null)).hasMessage("Unauthorized");
    }

    @Test
    void rejectsARequestWithoutHeaders() {
        APIGatewayCustomAuthorizerEvent event = event(Map.of());
        event.setHeaders(null);

        assertThatThrownBy(() -> handler.handleRequest(event, null)).hasMessage("Unauthorized");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Basic dXNlcjpwYXNz", "Bearer not-a-token", "Bearer cnk_unknownUnknownUnknownUnknownUnknownUnknow"})
    void rejectsABadToken(String header) {
        users.upsert("u1", Tier.PRO);
        tokens.issue("u1", null);

        assertThatThrownBy(() -> handler.handleRequest(event(Map.of("Authorization", header)), null)).hasMessage("Unauthorized");
    }

    @Test
    void rejectsARevokedToken() {
        users.upsert("u1", Tier.PRO);
        var issued = tokens.issue("u1", null);
        tokens.revoke("u1", issued.stored().tokenId());

        assertThatThrownBy(() -> handler.handleRequest(event(Map.of("Authorization", "Bearer " + issued.token())), null))
                .hasMessage("Unauthorized");
    }

    @Test
    void wholeApiKeepsApiIdAndStage() {
        assertThat(AuthorizerHandler.wholeApi(METHOD_ARN)).isEqualTo("arn:aws:execute-api:eu-west-1:123456789012:abc123/v1/*");
    }

    private static APIGatewayCustomAuthorizerEvent event(Map<String, String> headers) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("REQUEST");
        event.setMethodArn(METHOD_ARN);
        event.setPath("/api/v1/connectors");
        event.setHttpMethod("GET");
        event.setHeaders(new HashMap<>(headers));
        return event;
    }
}
