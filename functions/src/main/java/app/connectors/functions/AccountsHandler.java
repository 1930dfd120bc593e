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
 * Invoked directly by the host platform (IAM protects it; it has no route), with an {@code action}:
 * <ul>
 *   <li>{@code upsert} (the default): creates a user or changes its plan, and issues a first API
 *       token to a user who has none. Input {@code {"userId": "user-42", "tier": "pro"}}; output
 *       {@code {"ok": true, "userId", "tier", "created", "previousTier", "connectorCount", "token"?,
 *       "note"?}}: the token appears only when this call issued it, and the note says how to get one
 *       when it did not.</li>
 *   <li>{@code issue-token}: a new API token for an existing user (one who lost theirs); their other
 *       tokens keep working. Input {@code {"action": "issue-token", "userId": "user-42", "name":
 *       "laptop"?}}; output {@code {"ok": true, "userId", "token", "tokenId", "name"}}.</li>
 *   <li>{@code portal-link}: a single-use App Portal link for an existing user, valid for ten minutes.
 *       Input {@code {"action": "portal-link", "userId": "user-42"}}; output
 *       {@code {"ok": true, "userId", "url", "expiresAt"}}.</li>
 * </ul>
 * Failures are {@code {"ok": false, "status": 400|403|404, "detail", "errors": [...]}}.
 */
public final class AccountsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final String UPSERT = "upsert";
    static final String ISSUE_TOKEN = "issue-token";
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
            String action = text(input, "action");
            if (action == null || action.equals(UPSERT)) {
                return upsert(text(input, "userId"), text(input, "tier"));
            }
            if (action.equals(ISSUE_TOKEN)) {
                return issueToken(text(input, "userId"), text(input, "name"));
            }
            if (action.equals(PORTAL_LINK)) {
                return portalLink(text(input, "userId"));
            }
            throw ValidationException.of("action", "action must be one of " + UPSERT + " (the default), " + ISSUE_TOKEN
                    + ", " + PORTAL_LINK + "; got '" + action + "'");
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

    private Map<String, Object> upsert(String userId, String tier) {
        var result = accounts.upsert(userId, tier);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("userId", result.user().userId());
        out.put("tier", result.user().tier().id());
        out.put("created", result.created());
        out.put("previousTier", result.previousTier() == null ? null : result.previousTier().id());
        out.put("connectorCount", result.user().connectorCount());
        if (result.firstToken() != null) {
            out.put("token", result.firstToken());
        } else {
            out.put("note", result.user().userId() + " already has API tokens, so none was issued; to issue a new one,"
                    + " invoke this function with {\"action\": \"" + ISSUE_TOKEN + "\", \"userId\": \""
                    + result.user().userId() + "\"}.");
        }
        Log.info("account.upserted", "userId", result.user().userId(), "tier", result.user().tier().id(),
                "created", result.created(), "tokenIssued", result.firstToken() != null);
        return out;
    }

    private Map<String, Object> issueToken(String userId, String name) {
        var issued = accounts.issueToken(userId, name);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("userId", issued.stored().userId());
        out.put("token", issued.token());
        out.put("tokenId", issued.stored().tokenId());
        out.put("name", issued.stored().name());
        Log.info("account.token_issued", "userId", userId, "tokenId", issued.stored().tokenId());
        return out;
    }

    private Map<String, Object> portalLink(String userId) {
        String baseUrl = portalBaseUrl.orElseThrow(() -> new IllegalStateException("environment variable "
                + Settings.PORTAL_BASE_URL + " is not set; template.yaml must wire the portal's address"));
        var link = portal.get().mintLink(userId);
        Log.info("portal.link_minted", "userId", userId, "via", "accounts");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", true);
        out.put("userId", userId);
        out.put("url", link.url(baseUrl));
        out.put("expiresAt", link.expiresAt().toString());
        return out;
    }

    /** A text field of the input, or null when absent; any other JSON type is the caller's mistake, named. */
    private static String text(Map<String, Object> input, String field) {
        Object value = input == null ? null : input.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw ValidationException.of(field, field + " must be a string (JSON text), not " + jsonType(value));
    }

    private static String jsonType(Object value) {
        return switch (value) {
            case Number number -> "a number";
            case Boolean bool -> "a boolean";
            case List<?> list -> "a list";
            case Map<?, ?> map -> "an object";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
