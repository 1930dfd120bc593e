package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.account.AccountService;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.log.Log;
import app.connectors.portal.PortalSessions;
import app.connectors.problem.ApiException;
import app.connectors.problem.ValidationException;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Invoked directly by the host platform (IAM protects it; it has no route). Two actions:
 * <ul>
 *   <li>{@code upsert} (the default): creates a user or changes its plan, and issues a first API
 *       token to a user who has none. Input {@code {"userId": "user-42", "tier": "pro"}}; output
 *       {@code {"ok": true, "userId", "tier", "created", "previousTier", "connectorCount", "token"?}}
 *       (the token appears only when this call issued it).</li>
 *   <li>{@code portal-link}: a single-use App Portal link for an existing user, valid for ten minutes.
 *       Input {@code {"action": "portal-link", "userId": "user-42"}}; output
 *       {@code {"ok": true, "userId", "url", "expiresAt"}}.</li>
 * </ul>
 * Failures are {@code {"ok": false, "status": 400|404, "detail", "errors": [...]}}.
 */
public final class AccountsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final String UPSERT = "upsert";
    static final String PORTAL_LINK = "portal-link";

    private final AccountService accounts;
    private final Supplier<PortalSessions> portal;
    private final Optional<String> portalBaseUrl;

    public AccountsHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public AccountsHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public AccountsHandler(Components components) {
        this(components.accounts(), components::portalSessions, components.settings().optional(Settings.PORTAL_BASE_URL));
    }

    AccountsHandler(AccountService accounts, Supplier<PortalSessions> portal, Optional<String> portalBaseUrl) {
        this.accounts = accounts;
        this.portal = portal;
        this.portalBaseUrl = portalBaseUrl;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        try (LogContext.Scope invocation = Invocation.begin(context)) {
            return handle(input, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> input, Context context) {
        try {
            Object action = input == null ? null : input.get("action");
            if (PORTAL_LINK.equals(action)) {
                return portalLink(input.get("userId"));
            }
            if (action != null && !UPSERT.equals(action)) {
                throw ValidationException.of("action", "action must be " + UPSERT + " (the default) or " + PORTAL_LINK);
            }
            Object userId = input == null ? null : input.get("userId");
            Object tier = input == null ? null : input.get("tier");
            Map<String, Object> out = new LinkedHashMap<>();
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
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("ok", false);
            out.put("status", e.status());
            out.put("detail", e.getMessage());
            List<Map<String, String>> errors = e.errors().stream()
                    .map(err -> Map.of("field", err.field(), "message", err.message())).toList();
            out.put("errors", errors);
            return out;
        }
    }

    private Map<String, Object> portalLink(Object userId) {
        String baseUrl = portalBaseUrl.orElseThrow(() -> new IllegalStateException("environment variable "
                + Settings.PORTAL_BASE_URL + " is not set; template.yaml must wire the portal's address"));
        var link = portal.get().mintLink(userId == null ? null : userId.toString());
        Log.info("portal.link_minted", "userId", userId, "via", "accounts");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("userId", userId);
        out.put("url", link.url(baseUrl));
        out.put("expiresAt", link.expiresAt().toString());
        return out;
    }
}
