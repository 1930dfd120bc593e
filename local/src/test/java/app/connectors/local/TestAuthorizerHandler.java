package app.connectors.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Test authorizer: "Bearer <token>" of a known token → Allow for the whole stage; "Bearer deny" → Deny. */
public class TestAuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> {

    /** token → userId; tests add and remove (revoke) tokens. */
    static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    static final AtomicInteger CALLS = new AtomicInteger();

    public TestAuthorizerHandler() {
        this(Map.of());
    }

    public TestAuthorizerHandler(Map<String, String> environment) {
        if (!environment.containsKey("ITEMS_TABLE")) {
            throw new IllegalStateException("the authorizer expects its environment");
        }
    }

    @Override
    public IamPolicyResponse handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        CALLS.incrementAndGet();
        String header = event.getHeaders().get("authorization");
        String token = header == null ? "" : header.replaceFirst("^Bearer ", "");
        // Allow every method of the stage: arn:…:apiId/stage/*
        String[] arn = event.getMethodArn().split("/");
        String stageWide = arn[0] + "/" + arn[1] + "/*";
        if (token.equals("deny")) {
            return policy("deny-user", IamPolicyResponse.denyStatement(stageWide), Map.of());
        }
        String userId = TOKENS.get(token);
        if (userId == null) {
            throw new RuntimeException("Unauthorized");
        }
        return policy(userId, IamPolicyResponse.allowStatement(stageWide),
                Map.of("userId", userId, "tier", "pro", "tokenId", "tok-" + token));
    }

    private static IamPolicyResponse policy(String principal, IamPolicyResponse.Statement statement, Map<String, Object> context) {
        return IamPolicyResponse.builder()
                .withPrincipalId(principal)
                .withPolicyDocument(IamPolicyResponse.PolicyDocument.builder()
                        .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                        .withStatement(List.of(statement))
                        .build())
                .withContext(context)
                .build();
    }
}
