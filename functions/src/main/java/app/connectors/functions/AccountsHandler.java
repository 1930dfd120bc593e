package app.connectors.functions;

import app.connectors.account.AccountService;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.log.Log;
import app.connectors.problem.ApiException;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Invoked directly by the host platform (IAM protects it; it has no route): creates a user or
 * changes its plan, and issues a first API token to a user who has none.
 *
 * <p>Input: {@code {"userId": "user-42", "tier": "pro"}}. Output: {@code {"ok": true, "userId", "tier",
 * "created", "previousTier", "connectorCount", "token"?}} or {@code {"ok": false, "status": 400,
 * "detail", "errors": [...]}}; the token appears only when it was issued by this call.
 */
public final class AccountsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private final AccountService accounts;

    public AccountsHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public AccountsHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public AccountsHandler(Components components) {
        this(components.accounts());
    }

    AccountsHandler(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            Object userId = input == null ? null : input.get("userId");
            Object tier = input == null ? null : input.get("tier");
            var result = accounts.upsert(userId == null ? null : userId.toString(), tier == null ? null : tier.toString());
            out.put("ok", true);
            out.put("userId", result.user().userId());
            out.put("tier", result.user().tier().id());
            out.put("created", result.created());
            out.put("previousTier", result.previousTier() == null ? null : result.previousTier().id());
            out.put("connectorCount", result.user().connectorCount());
            if (result.firstToken() != null) {
                out.put("token", result.firstToken());
            }
            Log.info("account.upserted", "userId", result.user().userId(), "tier", result.user().tier().id(),
                    "created", result.created(), "tokenIssued", result.firstToken() != null);
            return out;
        } catch (ApiException e) {
            out.put("ok", false);
            out.put("status", e.status());
            out.put("detail", e.getMessage());
            List<Map<String, String>> errors = e.errors().stream()
                    .map(err -> Map.of("field", err.field(), "message", err.message())).toList();
            out.put("errors", errors);
            return out;
        }
    }
}
