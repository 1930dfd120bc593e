package app.connectors.functions;

import app.connectors.log.LogContext;
import app.connectors.account.Tier;
import app.connectors.account.User;
import app.connectors.account.UserStore;
import app.connectors.auth.Principal;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.functions.api.ApiRequest;
import app.connectors.functions.api.ApiResponses;
import app.connectors.functions.api.SnapStartPriming;
import app.connectors.functions.portal.ConnectRoutes;
import app.connectors.functions.portal.PortalApi;
import app.connectors.functions.portal.PortalPages;
import app.connectors.functions.portal.PortalPolicy;
import app.connectors.functions.portal.SessionCookie;
import app.connectors.functions.portal.StaticFiles;
import app.connectors.json.Json;
import app.connectors.log.Log;
import app.connectors.portal.ActiveSession;
import app.connectors.portal.PortalSessions;
import app.connectors.portal.SecretToken;
import app.connectors.problem.ForbiddenException;
import app.connectors.problem.UnauthorizedException;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The App Portal: its pages and files ({@code /portal/…}), the link that opens a session
 * ({@code /portal/start}), the session itself ({@code /portal/api/session}, {@code /portal/api/logout}),
 * and the API as the session's user ({@code /portal/api/v1/…}, served by the API's own handlers).
 * Also {@code POST /api/v1/portal-links}, with which the host platform mints a link for the holder
 * of an API token.
 *
 * <p>Every state-changing portal request needs the session cookie, the page's CSRF token in
 * {@code X-CSRF-Token}, and (when the browser sends one) an {@code Origin} equal to the portal's.
 */
public final class PortalHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    public static final String WEB_ROOT = "portal/web/";
    static final String SERVER_ROOT = "portal/server/";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** In index.html, replaced by a fresh nonce that the page's CSP allows for {@code <style>} elements. */
    static final String STYLE_NONCE_PLACEHOLDER = "__CSP_NONCE__";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD");

    private final PortalSessions sessions;
    private final UserStore users;
    private final PortalApi api;
    private final ConnectRoutes connect;
    private final StaticFiles web;
    private final StaticFiles server;
    private final PortalPolicy policy;
    private final Optional<String> configuredBaseUrl;
    /** Looks up a session that cannot exist: the real read path, no write. */
    private final SnapStartPriming priming;

    public PortalHandler() {
        this(System.getenv());
    }

    /** For the local stack: this function's environment as template.yaml wires it. */
    public PortalHandler(Map<String, String> environment) {
        this(Components.from(Settings.from(environment)));
    }

    public PortalHandler(Components components) {
        this(components, WEB_ROOT);
    }

    /** @param webRoot the classpath folder of the portal's pages (tests use their own) */
    public PortalHandler(Components components, String webRoot) {
        this(components.portalSessions(), components.users(), new PortalApi(Map.of(
                "CatalogFunction", CatalogHandler::new,
                "ConnectorsFunction", () -> new ConnectorsHandler(components),
                "DeliveriesFunction", () -> new DeliveriesHandler(components),
                "TransformationsFunction", TransformationsHandler::new,
                "TemplatesFunction", () -> new TemplatesHandler(components))),
                new ConnectRoutes(components.connectFlow(), components.windmill()), components.settings(), webRoot);
    }

    PortalHandler(PortalSessions sessions, UserStore users, PortalApi api, ConnectRoutes connect, Settings settings, String webRoot) {
        this.sessions = sessions;
        this.users = users;
        this.api = api;
        this.connect = connect;
        this.web = new StaticFiles(webRoot);
        this.server = new StaticFiles(SERVER_ROOT);
        this.policy = PortalPolicy.from(settings, connect.flow().authorizeOrigins());
        this.configuredBaseUrl = settings.optional(Settings.PORTAL_BASE_URL)
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.priming = SnapStartPriming.register(() -> sessions.find(SecretToken.SESSION_PREFIX + "A".repeat(43)));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try (LogContext.Scope invocation = Invocation.begin(context)) {
            return handle(event, context);
        }
    }

    private APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
        if ("/api/v1/portal-links".equals(event.getResource())) {
            return ApiResponses.handle(event, request -> mintLink(request, event));
        }
        String sub = "/portal".equals(event.getResource()) ? "" : proxyPath(event);
        String method = event.getHttpMethod() == null ? "GET" : event.getHttpMethod().toUpperCase(Locale.ROOT);
        if (sub.equals("api") || sub.startsWith("api/")) {
            return ApiResponses.handle(event, request -> portalApi(request, event, sub.equals("api") ? "" : sub.substring(4),
                    method, context));
        }
        try {
            if (sub.equals("start")) {
                return start(event, method);
            }
            if (!SAFE_METHODS.contains(method)) {
                var refused = html(405, "Method not allowed", "This address only serves pages; reload the portal.", sub, "no-store");
                return refused.withHeaders(with(refused.getHeaders(), "Allow", "GET, HEAD"));
            }
            if (sub.isEmpty()) {
                return root(event);
            }
            if (sub.startsWith("oauth/") && sub.endsWith("/callback") && sub.split("/").length == 3) {
                return callback(event, sub.split("/")[1], sub);
            }
            if (sub.startsWith("server/")) {
                return file(server.find(sub.substring("server/".length())), event, sub);
            }
            return file(web.find(sub), event, sub);
        } catch (RuntimeException e) {
            String requestId = event.getRequestContext() == null ? "unknown" : event.getRequestContext().getRequestId();
            Log.error("portal.failed", e, "path", event.getPath(), "requestId", requestId);
            return html(500, "Something went wrong", "The portal could not load this page. Reload it; if it persists, quote request id "
                    + requestId + " to the application's support.", sub, "no-store");
        }
    }

    // ------------------------------------------------------------------ pages

    private APIGatewayProxyResponseEvent root(APIGatewayProxyRequestEvent event) {
        String path = event.getPath() == null ? "/portal/" : event.getPath();
        if (!path.endsWith("/")) {
            // The page's relative asset URLs resolve only under ".../portal/".
            return redirect(308, "portal/", Map.of());
        }
        return file(web.find("index.html"), event, "");
    }

    /**
     * A portal link. Opening it (GET, or a link previewer's HEAD) changes nothing: it shows whose portal
     * the link opens and a button that sends the code back by a same-origin POST, which alone redeems
     * it. A page on another site can send a browser to anyone's link, so the link never replaces the
     * session the browser has without the person at the browser saying so.
     */
    private APIGatewayProxyResponseEvent start(APIGatewayProxyRequestEvent event, String method) {
        if (method.equals("POST")) {
            return openLink(event);
        }
        if (!SAFE_METHODS.contains(method)) {
            var refused = html(405, "Method not allowed", "Open the portal link itself; it asks before it signs you in.", "start", "no-store");
            return refused.withHeaders(with(refused.getHeaders(), "Allow", "GET, HEAD, POST"));
        }
        String code = event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get("code");
        return switch (sessions.check(code)) {
            case PortalSessions.LinkCheck.Refused refused -> refusedLink(refused.problem());
            case PortalSessions.LinkCheck.Openable link -> {
                Optional<String> current = SessionCookie.read(event).flatMap(sessions::find).map(ActiveSession::userId);
                if (current.isPresent() && current.get().equals(link.userId())) {
                    // This browser already has this user's portal: nothing to open (the link stays unused and expires).
                    yield redirect(303, "./", Map.of());
                }
                var page = html(200, "", "", "start", "no-store");
                // Same-origin referrers only: a form POST then carries the portal's Origin (no-referrer would send "null").
                yield page.withHeaders(with(page.getHeaders(), "Referrer-Policy", "same-origin"))
                        .withBody(PortalPages.openLink(code, link.userId(), current.orElse(null)));
            }
        };
    }

    /** The link page's POST: redeems the code and opens a session, ending the one the browser had. */
    private APIGatewayProxyResponseEvent openLink(APIGatewayProxyRequestEvent event) {
        if (!isSameOriginForm(event)) {
            Log.info("portal.link_refused", "reason", "cross_origin_post");
            return html(403, "Open the link itself", "This portal link was sent from another site. Open the link the application "
                    + "gave you; its page asks before it signs you in.", "start", "no-store");
        }
        String code = formField(event, "code");
        return switch (sessions.open(code)) {
            case PortalSessions.Opening.Refused refused -> refusedLink(refused.problem());
            case PortalSessions.Opening.Opened opened -> {
                // A session the browser already had (another user's, or stale) ends here: one link, one session.
                SessionCookie.read(event).ifPresent(sessions::end);
                Log.info("portal.session_opened", "userId", opened.session().userId());
                yield redirect(303, "./", Map.of("Set-Cookie",
                        List.of(SessionCookie.set(opened.token(), PortalSessions.SESSION_LIFETIME))));
            }
        };
    }

    private APIGatewayProxyResponseEvent refusedLink(PortalSessions.LinkProblem problem) {
        Log.info("portal.link_refused", "reason", problem.name());
        return html(problem == PortalSessions.LinkProblem.UNKNOWN ? 404 : 410, problem.title(), problem.advice(), "start", "no-store");
    }

    /**
     * Whether a POST was sent by one of the portal's own pages: the browser says so in
     * {@code Sec-Fetch-Site}, or names the portal's origin in {@code Origin}; either one naming
     * another site refuses it, and so does a request that proves neither.
     */
    private boolean isSameOriginForm(APIGatewayProxyRequestEvent event) {
        String site = header(event, "Sec-Fetch-Site");
        String origin = header(event, "Origin");
        boolean originIsPortal = origin != null && origin.equals(portalOrigin(event));
        if (site != null && !site.equals("same-origin") || origin != null && !origin.equals("null") && !originIsPortal) {
            return false;
        }
        return "same-origin".equals(site) || originIsPortal;
    }

    /** One field of an {@code application/x-www-form-urlencoded} body, or null. */
    private static String formField(APIGatewayProxyRequestEvent event, String name) {
        String body = event.getBody();
        if (body == null) {
            return null;
        }
        try {
            if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            for (String pair : body.split("&")) {
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException malformed) {
            // A broken %-escape: no usable field (the link page then says the link is not valid).
        }
        return null;
    }

    private APIGatewayProxyResponseEvent callback(APIGatewayProxyRequestEvent event, String provider, String sub) {
        Optional<ActiveSession> session = SessionCookie.read(event).flatMap(sessions::find);
        return switch (connect.callback(session, provider, event.getQueryStringParameters())) {
            case ConnectRoutes.CallbackOutcome.Redirect redirect -> redirect(303, redirect.location(), Map.of());
            case ConnectRoutes.CallbackOutcome.NotFound notFound -> html(404, "Page not found",
                    "There is no Connect flow for " + provider + ". Open the portal from the application again.", sub, "no-store");
            case ConnectRoutes.CallbackOutcome.Relay relay -> {
                var page = html(200, "", "", sub, "no-store");
                yield page.withBody(PortalPages.relay(relay.provider().displayName(), relay.provider().id(), relay.explanation(),
                        toPortalRoot(sub)));
            }
        };
    }

    private APIGatewayProxyResponseEvent file(Optional<StaticFiles.Asset> found, APIGatewayProxyRequestEvent event, String sub) {
        if (found.isEmpty()) {
            return html(404, "Page not found", "There is nothing at this address. Open the portal from the application again.",
                    sub, "no-store");
        }
        StaticFiles.Asset asset = found.get();
        Map<String, String> headers = new HashMap<>(PortalPolicy.baseHeaders());
        headers.put("Content-Type", asset.contentType());
        String body = asset.text();
        if (asset.isHtml()) {
            String nonce = body.contains(STYLE_NONCE_PLACEHOLDER) ? SecretToken.generate("").substring(0, 22) : null;
            if (nonce != null) {
                body = body.replace(STYLE_NONCE_PLACEHOLDER, nonce);
            }
            headers.put("Content-Security-Policy", policy.contentSecurityPolicy(nonce));
            headers.put("Cache-Control", nonce == null ? "no-cache" : "no-store");
            if (nonce == null) {
                headers.put("ETag", asset.etag());
            }
        } else {
            headers.put("Cache-Control", asset.cacheControl());
            headers.put("ETag", asset.etag());
            if (asset.isSvg()) {
                headers.put("Content-Security-Policy", PortalPolicy.SVG_CONTENT_SECURITY_POLICY);
            }
        }
        if (headers.containsKey("ETag") && asset.etag().equals(header(event, "If-None-Match"))) {
            return new APIGatewayProxyResponseEvent().withStatusCode(304).withHeaders(headers);
        }
        return new APIGatewayProxyResponseEvent().withStatusCode(200).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false);
    }

    private APIGatewayProxyResponseEvent html(int status, String title, String text, String sub, String cacheControl) {
        Map<String, String> headers = new HashMap<>(PortalPolicy.baseHeaders());
        headers.put("Content-Type", "text/html; charset=utf-8");
        headers.put("Content-Security-Policy", policy.contentSecurityPolicy(null));
        headers.put("Cache-Control", cacheControl);
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers)
                .withBody(PortalPages.message(title, text, toPortalRoot(sub))).withIsBase64Encoded(false);
    }

    private static APIGatewayProxyResponseEvent redirect(int status, String location, Map<String, List<String>> multiValueHeaders) {
        Map<String, String> headers = new HashMap<>(PortalPolicy.baseHeaders());
        headers.put("Location", location);
        headers.put("Cache-Control", "no-store");
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers)
                .withMultiValueHeaders(multiValueHeaders.isEmpty() ? null : multiValueHeaders);
    }

    // ------------------------------------------------------------------ portal API

    private APIGatewayProxyResponseEvent portalApi(ApiRequest request, APIGatewayProxyRequestEvent event, String path,
                                                   String method, Context context) {
        if (path.equals("session") && method.equals("GET")) {
            return session(requireSession(event, method));
        }
        if (path.equals("logout") && method.equals("POST")) {
            return logout(event);
        }
        String[] parts = path.split("/");
        if (parts[0].equals("connect") && method.equals("POST") && (parts.length == 2
                || parts.length == 3 && parts[2].equals("complete"))) {
            ActiveSession session = requireSession(event, method);
            return noStore(parts.length == 2 ? connect.begin(session, parts[1], request.jsonBody(), baseUrl(event))
                    : connect.complete(session, parts[1], request.jsonBody()));
        }
        if (parts[0].equals("windmill") && method.equals("POST") && parts.length == 2) {
            requireSession(event, method);
            return noStore(connect.windmill(parts[1], request.jsonBody()));
        }
        if (path.startsWith("v1/")) {
            ActiveSession session = requireSession(event, method);
            User user = users.find(session.userId())
                    .orElseThrow(() -> new UnauthorizedException("Your account is no longer known; open the portal again from the application."));
            return api.dispatch(event, path.substring(3), new Principal(user.userId(), user.tier(), "portal-session"), context);
        }
        throw new app.connectors.problem.NotFoundException("No portal route " + method + " /portal/api/" + path + ".");
    }

    private APIGatewayProxyResponseEvent session(ActiveSession session) {
        User user = users.find(session.userId())
                .orElseThrow(() -> new UnauthorizedException("Your account is no longer known; open the portal again from the application."));
        Tier tier = user.tier();
        ObjectNode body = Json.object()
                .put("userId", user.userId())
                .put("tier", tier.id())
                .put("tierName", tier.displayName());
        if (tier.connectorLimit().isPresent()) {
            body.put("connectorLimit", tier.connectorLimit().getAsInt());
        } else {
            body.putNull("connectorLimit");
        }
        body.put("connectorCount", user.connectorCount())
                .put("csrfToken", session.csrfToken())
                .put("expiresAt", session.endsAt().toString());
        var providers = body.putArray("connectProviders");
        connect.available().forEach(provider -> providers.add(provider.id()));
        return noStore(ApiResponses.ok(body));
    }

    private APIGatewayProxyResponseEvent logout(APIGatewayProxyRequestEvent event) {
        Optional<String> token = SessionCookie.read(event);
        Optional<ActiveSession> session = token.flatMap(sessions::find);
        if (session.isPresent()) {
            checkCsrf(event, session.get());
            sessions.end(token.get());
            Log.info("portal.logged_out", "userId", session.get().userId());
        }
        return noStore(new APIGatewayProxyResponseEvent().withStatusCode(204).withHeaders(new HashMap<>())
                .withMultiValueHeaders(Map.of("Set-Cookie", List.of(SessionCookie.clear()))));
    }

    /** The request's live session; for a state-changing method, also its CSRF token and origin. */
    private ActiveSession requireSession(APIGatewayProxyRequestEvent event, String method) {
        ActiveSession session = SessionCookie.read(event).flatMap(sessions::find).orElseThrow(() -> new UnauthorizedException(
                "Your portal session has ended (it expires after an hour without use, or when you log out). "
                        + "Open the portal again from the application."));
        if (!SAFE_METHODS.contains(method)) {
            checkCsrf(event, session);
        }
        return session;
    }

    private void checkCsrf(APIGatewayProxyRequestEvent event, ActiveSession session) {
        String origin = header(event, "Origin");
        if (origin != null && !origin.equals(portalOrigin(event))) {
            throw new ForbiddenException("This request comes from " + origin + ", not from the portal; it was refused.");
        }
        if (!session.acceptsCsrfToken(header(event, CSRF_HEADER))) {
            throw new ForbiddenException("Send the session's csrfToken (GET /portal/api/session) in the " + CSRF_HEADER
                    + " header with every request that changes something.");
        }
    }

    // ------------------------------------------------------------------ links for the host platform

    private APIGatewayProxyResponseEvent mintLink(ApiRequest request, APIGatewayProxyRequestEvent event) {
        var body = request.jsonBody();
        if (body != null && (!body.isObject() || !body.isEmpty())) {
            throw app.connectors.problem.ValidationException.of("", "This request takes no body (or {}); the link is for the token's own user.");
        }
        var link = sessions.mintLink(request.principal().userId());
        Log.info("portal.link_minted", "userId", request.principal().userId(), "via", "api");
        return ApiResponses.created(Json.object().put("url", link.url(baseUrl(event))).put("expiresAt", link.expiresAt().toString()),
                "/api/v1/portal-links");
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The portal's public address: {@code PORTAL_BASE_URL}, or else what API Gateway says it was called
     * on (its own default host carries the stage in the path; a custom domain needs the variable set).
     */
    String baseUrl(APIGatewayProxyRequestEvent event) {
        if (configuredBaseUrl.isPresent()) {
            return configuredBaseUrl.get();
        }
        var context = event.getRequestContext();
        String domain = context == null ? null : context.getDomainName();
        if (domain == null || domain.isBlank()) {
            throw new IllegalStateException("environment variable " + Settings.PORTAL_BASE_URL
                    + " is not set and the request names no domain; set the portal's public address");
        }
        boolean defaultHost = domain.endsWith(".amazonaws.com") || domain.endsWith(".amazonaws.com.cn");
        return "https://" + domain + (defaultHost && context.getStage() != null ? "/" + context.getStage() : "") + "/portal";
    }

    private String portalOrigin(APIGatewayProxyRequestEvent event) {
        URI base = URI.create(baseUrl(event));
        return base.getScheme() + "://" + base.getRawAuthority();
    }

    private static APIGatewayProxyResponseEvent noStore(APIGatewayProxyResponseEvent response) {
        Map<String, String> headers = new HashMap<>(response.getHeaders() == null ? Map.of() : response.getHeaders());
        headers.putAll(PortalPolicy.baseHeaders());
        headers.put("Cache-Control", "no-store");
        return response.withHeaders(headers);
    }

    private static String proxyPath(APIGatewayProxyRequestEvent event) {
        Map<String, String> parameters = event.getPathParameters();
        String proxy = parameters == null ? null : parameters.get("proxy");
        if (proxy != null) {
            return proxy;
        }
        String path = event.getPath() == null ? "" : event.getPath();
        int at = path.indexOf("/portal/");
        return at < 0 ? "" : path.substring(at + "/portal/".length());
    }

    /** "../" once per folder of {@code sub}, so a page's relative links reach the portal's root. */
    private static String toPortalRoot(String sub) {
        int depth = (int) sub.chars().filter(c -> c == '/').count();
        return "../".repeat(depth);
    }

    private static String header(APIGatewayProxyRequestEvent event, String name) {
        if (event.getHeaders() == null) {
            return null;
        }
        for (var entry : event.getHeaders().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new HashMap<>(headers);
        copy.put(name, value);
        return copy;
    }
}
