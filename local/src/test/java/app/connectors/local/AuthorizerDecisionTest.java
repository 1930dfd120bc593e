package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizerDecisionTest {

    private static final String GET_TYPES = "arn:aws:execute-api:us-east-1:000000000000:local/v1/GET/api/v1/connectors/types";
    private static final String DELETE_ONE = "arn:aws:execute-api:us-east-1:000000000000:local/v1/DELETE/api/v1/connectors/1";

    @Test
    void aPolicyForOneMethodArnDeniesTheOthers() {
        // GIVEN an authorizer answer that allows only the method it was called for (a classic cache pitfall)
        AuthorizerDecision decision = AuthorizerDecision.from(policy(IamPolicyResponse.allowStatement(GET_TYPES), Map.of()));

        assertThat(decision.allows(GET_TYPES)).isTrue();
        assertThat(decision.allows(DELETE_ONE)).isFalse();
    }

    @Test
    void wildcardResourcesAllowTheWholeStageAndExplicitDenyWins() {
        AuthorizerDecision allowed = AuthorizerDecision.from(policy(
                IamPolicyResponse.allowStatement("arn:aws:execute-api:us-east-1:000000000000:local/v1/*"), Map.of()));
        AuthorizerDecision denied = AuthorizerDecision.from(policy(
                IamPolicyResponse.denyStatement("*"), Map.of()));

        assertThat(allowed.allows(DELETE_ONE)).isTrue();
        assertThat(denied.allows(DELETE_ONE)).isFalse();
    }

    @Test
    void theHandlerSeesContextValuesAsStringsPlusPrincipalId() {
        AuthorizerDecision decision = AuthorizerDecision.from(policy(IamPolicyResponse.allowStatement("*"),
                Map.of("userId", "u1", "limit", 5)));

        assertThat(decision.requestContextAuthorizer())
                .isEqualTo(Map.of("userId", "u1", "limit", "5", "principalId", "p1"));
    }

    @Test
    void rejectsNestedContextValuesLikeApiGateway() {
        assertThatThrownBy(() -> AuthorizerDecision.from(policy(IamPolicyResponse.allowStatement("*"),
                Map.of("nested", Map.of("a", 1))))).isInstanceOf(AuthorizerDecision.MalformedException.class);
    }

    private static IamPolicyResponse policy(IamPolicyResponse.Statement statement, Map<String, Object> context) {
        return IamPolicyResponse.builder()
                .withPrincipalId("p1")
                .withPolicyDocument(IamPolicyResponse.PolicyDocument.builder()
                        .withVersion(IamPolicyResponse.VERSION_2012_10_17).withStatement(List.of(statement)).build())
                .withContext(context)
                .build();
    }
}
