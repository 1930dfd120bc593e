package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.auth.Principal;
import app.connectors.auth.TokenService;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.log.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API's REQUEST authorizer: resolves the Bearer token to its user and allows the whole API for
 * that user (API Gateway caches the answer per token for ReauthorizeEvery seconds, and a cached
 * policy must cover every route). Any failure is "Unauthorized", which API Gateway turns into the
 * same 401 for missing, bad and revoked tokens.
 */
public final class AuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> {

    private static final String UNAUTHORIZED = "Unauthorized";

    private final TokenService tokens;
    /** Looks up a token that cannot exist: the authorizer's real read path, no write. */
    private final app.connectors.functions.api.SnapStartPriming priming;

    public AuthorizerHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public AuthorizerHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public AuthorizerHandler(Components components) {
        this(components.tokens());
    }

    AuthorizerHandler(TokenService tokens) {
        this.tokens = tokens;
        this.priming = app.connectors.functions.api.SnapStartPriming.register(
                () -> tokens.authenticate("Bearer cnk_snapstart-priming-token-that-is-never-issued"));
    }

    @Override
    public IamPolicyResponse handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        try (LogContext.Scope invocation = Invocation.begin(context)) {
            return handle(event, context);
        }
    }

    private IamPolicyResponse handle(APIGatewayCustomAuthorizerEvent event, Context context) {
        Optional<Principal> principal = tokens.authenticate(authorizationHeader(event.getHeaders()));
        if (principal.isEmpty()) {
            Log.info("auth.rejected", "path", event.getPath());
            throw new RuntimeException(UNAUTHORIZED);
        }
        Principal p = principal.get();
        return IamPolicyResponse.builder()
                .withPrincipalId(p.userId())
                .withPolicyDocument(IamPolicyResponse.PolicyDocument.builder()
                        .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                        .withStatement(List.of(IamPolicyResponse.allowStatement(wholeApi(event.getMethodArn()))))
                        .build())
                .withContext(Map.of("userId", p.userId(), "tier", p.tier().id(), "tokenId", p.tokenId()))
                .build();
    }

    private static String authorizationHeader(Map<String, String> headers) {
        if (headers == null) {
            return null;
        }
        for (var entry : headers.entrySet()) {
            if ("authorization".equalsIgnoreCase(entry.getKey())) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** arn:aws:execute-api:region:account:api/stage/METHOD/path → arn:…:api/stage/* (the cached policy covers every route). */
    static String wholeApi(String methodArn) {
        if (methodArn == null) {
            return "*";
        }
        String[] parts = methodArn.split("/", 3);
        return parts.length >= 2 ? parts[0] + "/" + parts[1] + "/*" : methodArn;
    }
}
