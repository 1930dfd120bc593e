package app.connectors.functions;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.account.InMemoryUserStore;
import app.connectors.account.Tier;
import app.connectors.config.Settings;
import app.connectors.functions.portal.PortalApi;
import app.connectors.functions.portal.SessionCookie;
import app.connectors.json.Json;
import app.connectors.portal.InMemoryPortalStore;
import app.connectors.portal.PortalSessions;
import app.connectors.testing.MutableClock;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PortalHandlerTest {

    private static final String BASE = "https://portal.example.com/portal";

    private final MutableClock clock = new MutableClock();
    private final InMemoryUserStore users = new InMemoryUserStore(clock);
    private final InMemoryPortalStore store = new InMemoryPortalStore();
    private final PortalSessions sessions = new PortalSessions(store, users, clock);
    /** What the API's handler received, and what it answers (a 201 with the API's Location). */
    private final AtomicReference<APIGatewayProxyRequestEvent> forwarded = new AtomicReference<>();
    private final PortalHandler handler;

    PortalHandlerTest() {
        users.upsert("user-42", Tier.PRO);
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api = (event, context) -> {
            forwarded.set(event);
            return new APIGatewayProxyResponseEvent().withStatusCode(201)
                    .withHeaders(Map.of("Content-Type", "application/json", "Location", "/api/v1/connectors/abc"))
                    .withBody("{\"uuid\":\"abc\"}");
        };
        Map<String, Supplier<RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>>> handlers = new HashMap<>();
        PortalApi.ROUTES.forEach(route -> handlers.put(route.function(), () -> api));
        handler = new PortalHandler(sessions, users, new PortalApi(handlers),
                PortalTestParts.connectRoutes(TemplateRoutesTest.connectorService(), Map.of()),
                Settings.from(Map.of(Settings.PORTAL_BASE_URL, BASE, Settings.PORTAL_FRAME_ANCESTORS, "https://app.example.com")),
                "portal/test-web/");
    }

    // ------------------------------------------------------------------ requests

    private static APIGatewayProxyRequestEvent portal(String method, String sub) {
        var event = new APIGatewayProxyRequestEvent().withHttpMethod(method).withPath("/portal/" + sub)
                .withResource(sub.isEmpty() ? "/portal" : "/portal/{proxy+}")
                .withHeaders(new HashMap<>())
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("req-1"));
        if (!sub.isEmpty()) {
            event.setPathParameters(Map.of("proxy", sub));
        }
        return event;
    }

    private static APIGatewayProxyRequestEvent withCookie(APIGatewayProxyRequestEvent event, String token) {
        event.getHeaders().put("Cookie", "theme=dark; " + SessionCookie.NAME + "=" + token);
        return event;
    }

    private APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
        return handler.handleRequest(event, null);
    }

    private String openSession() {
        var response = call(openLink(sessions.mintLink("user-42").code()));
        String setCookie = response.getMultiValueHeaders().get("Set-Cookie").getFirst();
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    /** The link's page, as a browser opens it. */
    private static APIGatewayProxyRequestEvent linkPage(String method, String code) {
        return portal(method, "start").withQueryStringParameters(Map.of("code", code));
    }

    /** The link page's form, submitted as Chromium sends it (same-origin POST, form-encoded). */
    private static APIGatewayProxyRequestEvent openLink(String code) {
        var event = portal("POST", "start").withBody("code=" + java.net.URLEncoder.encode(code, java.nio.charset.StandardCharsets.UTF_8));
        event.getHeaders().putAll(Map.of("Content-Type", "application/x-www-form-urlencoded", "Origin", "https://portal.example.com",
                "Sec-Fetch-Site", "same-origin"));
        return event;
    }

    private String csrf(String token) {
        return json(call(withCookie(portal("GET", "api/session"), token))).get("csrfToken").asText();
    }

    private static JsonNode json(APIGatewayProxyResponseEvent response) {
        return Json.read(new java.io.ByteArrayInputStream(response.getBody().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    // ------------------------------------------------------------------ links and sessions

    @Test
    void openingALinkShowsWhosePortalItOpensAndUsesNothing() {
        var link = sessions.mintLink("user-42");

        var page = call(linkPage("GET", link.code()));
        var head = call(linkPage("HEAD", link.code()));

        for (var response : List.of(page, head)) {
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(response.getMultiValueHeaders()).isNull();
            assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store").containsEntry("Referrer-Policy", "same-origin");
            assertThat(response.getHeaders().get("Content-Security-Policy")).contains("script-src 'self'", "form-action 'self'")
                    .doesNotContain("unsafe-inline");
        }
        assertThat(page.getBody()).contains("opens the portal for <strong>user-42</strong>", "<form id=\"open-link\" method=\"post\" action=\"start\"",
                "name=\"code\" value=\"" + link.code() + "\"", "Open the portal as user-42", "server/open-link.js", "data-continue=\"framed\"");
        assertThat(store.sessions()).isEmpty();
        assertThat(sessions.check(link.code())).isInstanceOf(PortalSessions.LinkCheck.Openable.class);
    }

    @Test
    void continuingFromTheLinksPageSetsAHostOnlyHttpOnlySecurePartitionedCookieAndRedirectsToThePortal() {
        var link = sessions.mintLink("user-42");

        var response = call(openLink(link.code()));

        assertThat(response.getStatusCode()).isEqualTo(303);
        assertThat(response.getHeaders()).containsEntry("Location", "./").containsEntry("Cache-Control", "no-store")
                .containsEntry("Referrer-Policy", "no-referrer");
        List<String> cookies = response.getMultiValueHeaders().get("Set-Cookie");
        assertThat(cookies).hasSize(1);
        assertThat(cookies.getFirst()).startsWith("__Host-connectors_portal=cps_")
                .contains("; Path=/", "; Secure", "; HttpOnly", "; SameSite=None", "; Partitioned", "; Max-Age=28800")
                .doesNotContain("Domain=");
    }

    @Test
    void aLinkForAnotherUserAsksBeforeReplacingTheBrowsersSession() {
        // Login swap: another site sends a signed-in browser to a link minted for the attacker's own account.
        String victim = openSession();
        users.upsert("attacker-1", Tier.PRO);
        var attackers = sessions.mintLink("attacker-1");

        var page = call(withCookie(linkPage("GET", attackers.code()), victim));

        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getBody()).contains("<h1>You are signed in as user-42</h1>", "Open the portal as attacker-1",
                "<a href=\"./\">Stay signed in as user-42</a>").doesNotContain("data-continue");
        assertThat(sessions.find(victim)).get().extracting(a -> a.userId()).isEqualTo("user-42");
        assertThat(sessions.check(attackers.code())).isInstanceOf(PortalSessions.LinkCheck.Openable.class);
    }

    @Test
    void aLinkForTheUserTheBrowserIsSignedInAsGoesStraightToThePortal() {
        String token = openSession();
        var link = sessions.mintLink("user-42");

        var response = call(withCookie(linkPage("GET", link.code()), token));

        assertThat(response.getStatusCode()).isEqualTo(303);
        assertThat(response.getHeaders()).containsEntry("Location", "./");
        assertThat(response.getMultiValueHeaders()).isNull();
        assertThat(store.sessions()).hasSize(1);
    }

    @Test
    void aLinkPostedFromAnotherSiteOpensNothing() {
        var link = sessions.mintLink("user-42");
        var crossSite = openLink(link.code());
        crossSite.getHeaders().putAll(Map.of("Origin", "https://attacker.example", "Sec-Fetch-Site", "cross-site"));
        var nullOrigin = openLink(link.code());
        nullOrigin.getHeaders().put("Origin", "null");
        nullOrigin.getHeaders().remove("Sec-Fetch-Site");
        var sameSiteOtherOrigin = openLink(link.code());
        sameSiteOtherOrigin.getHeaders().put("Sec-Fetch-Site", "same-site");
        var unproven = openLink(link.code());
        unproven.getHeaders().remove("Origin");
        unproven.getHeaders().remove("Sec-Fetch-Site");
        var originOnly = openLink(link.code());
        originOnly.getHeaders().put("Origin", "https://attacker.example");
        originOnly.getHeaders().remove("Sec-Fetch-Site");

        for (var attempt : List.of(crossSite, nullOrigin, sameSiteOtherOrigin, unproven, originOnly)) {
            var response = call(attempt);
            assertThat(response.getStatusCode()).as(attempt.getHeaders().toString()).isEqualTo(403);
            assertThat(response.getMultiValueHeaders()).isNull();
            assertThat(response.getBody()).contains("sent from another site");
        }
        assertThat(store.sessions()).isEmpty();
        assertThat(sessions.check(link.code())).isInstanceOf(PortalSessions.LinkCheck.Openable.class);
    }

    @Test
    void aBrowserThatSendsOnlyOneOfTheSameOriginSignalsIsAccepted() {
        var secFetchOnly = openLink(sessions.mintLink("user-42").code());
        secFetchOnly.getHeaders().put("Origin", "null");
        var originOnly = openLink(sessions.mintLink("user-42").code());
        originOnly.getHeaders().remove("Sec-Fetch-Site");

        assertThat(call(secFetchOnly).getStatusCode()).isEqualTo(303);
        assertThat(call(originOnly).getStatusCode()).isEqualTo(303);
    }

    @Test
    void aUsedLinkGetsAClearPageNotAStackTrace() {
        var link = sessions.mintLink("user-42");
        call(openLink(link.code()));

        var again = call(linkPage("GET", link.code()));
        var postedAgain = call(openLink(link.code()));

        for (var response : List.of(again, postedAgain)) {
            assertThat(response.getStatusCode()).isEqualTo(410);
            assertThat(response.getHeaders().get("Content-Type")).startsWith("text/html");
            assertThat(response.getHeaders().get("Content-Security-Policy")).contains("script-src 'self'");
            assertThat(response.getBody()).contains("already been used").contains("open the portal again").doesNotContain("Exception");
            assertThat(response.getMultiValueHeaders()).isNull();
        }
    }

    @Test
    void anExpiredOrForgedLinkGetsItsOwnPage() {
        var link = sessions.mintLink("user-42");
        clock.advance(Duration.ofMinutes(11));

        var expired = call(linkPage("GET", link.code()));
        var forged = call(linkPage("GET", "cpl_<script>alert(1)</script>"));
        var missing = call(portal("GET", "start"));
        var postedExpired = call(openLink(link.code()));
        var postedMangled = call(openLink(link.code()).withBody("code=%zz"));
        var postedEmpty = call(openLink(link.code()).withBody(null));

        assertThat(expired.getStatusCode()).isEqualTo(410);
        assertThat(expired.getBody()).contains("expired");
        assertThat(postedExpired.getStatusCode()).isEqualTo(410);
        assertThat(forged.getStatusCode()).isEqualTo(404);
        assertThat(forged.getBody()).contains("not valid").doesNotContain("<script>");
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(postedMangled.getStatusCode()).isEqualTo(404);
        assertThat(postedEmpty.getStatusCode()).isEqualTo(404);
        assertThat(call(portal("PUT", "start")).getStatusCode()).isEqualTo(405);
    }

    @Test
    void openingALinkEndsTheSessionTheBrowserAlreadyHad() {
        String first = openSession();
        var link = sessions.mintLink("user-42");

        call(withCookie(openLink(link.code()), first));

        assertThat(sessions.find(first)).isEmpty();
        assertThat(store.sessions()).hasSize(1);
    }

    @Test
    void aCookieTheServerDidNotIssueOpensNothing() {
        // Session fixation: an attacker plants a cookie value of their choosing; it is never adopted.
        String planted = app.connectors.portal.SecretToken.generate(app.connectors.portal.SecretToken.SESSION_PREFIX);

        var response = call(withCookie(portal("GET", "api/session"), planted));
        var link = sessions.mintLink("user-42");
        var opened = call(withCookie(openLink(link.code()), planted));

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(opened.getMultiValueHeaders().get("Set-Cookie").getFirst()).doesNotContain(planted);
        assertThat(sessions.find(planted)).isEmpty();
    }

    @Test
    void theSessionEndpointDescribesTheUserAndThePlan() {
        String token = openSession();

        var response = call(withCookie(portal("GET", "api/session"), token));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
        JsonNode body = json(response);
        assertThat(body.get("userId").asText()).isEqualTo("user-42");
        assertThat(body.get("tier").asText()).isEqualTo("pro");
        assertThat(body.get("tierName").asText()).isEqualTo("Pro");
        assertThat(body.get("connectorLimit").asInt()).isEqualTo(5);
        assertThat(body.get("connectorCount").asInt()).isZero();
        assertThat(body.get("csrfToken").asText()).hasSizeGreaterThan(40);
        assertThat(body.get("expiresAt").asText()).isEqualTo(clock.instant().plus(Duration.ofHours(1)).toString());
    }

    @Test
    void withoutASessionThePortalApiAnswers401ProblemJson() {
        var response = call(portal("GET", "api/v1/connectors"));

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(json(response).get("detail").asText()).contains("Open the portal again");
        assertThat(forwarded.get()).isNull();
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() {
        String token = openSession();
        var logout = withCookie(portal("POST", "api/logout"), token);
        logout.getHeaders().put("X-CSRF-Token", csrf(token));

        var response = call(logout);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getMultiValueHeaders().get("Set-Cookie").getFirst()).startsWith("__Host-connectors_portal=;")
                .contains("Max-Age=0");
        assertThat(call(withCookie(portal("GET", "api/session"), token)).getStatusCode()).isEqualTo(401);
    }

    @Test
    void logoutWithoutTheCsrfTokenIsRefusedAndTheSessionLives() {
        String token = openSession();

        var response = call(withCookie(portal("POST", "api/logout"), token));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(sessions.find(token)).isPresent();
    }

    // ------------------------------------------------------------------ the API as the session's user

    @Test
    void forwardsToTheApisHandlerAsTheSessionsUserWithoutTheCookie() {
        String token = openSession();
        var request = withCookie(portal("PATCH", "api/v1/connectors/11111111-2222-3333-4444-555555555555"), token)
                .withBody("{\"name\":\"x\"}").withQueryStringParameters(Map.of("a", "b"));
        request.getHeaders().put("X-CSRF-Token", csrf(token));
        request.getHeaders().put("Origin", "https://portal.example.com");

        var response = call(request);

        APIGatewayProxyRequestEvent event = forwarded.get();
        assertThat(event.getResource()).isEqualTo("/api/v1/connectors/{uuid}");
        assertThat(event.getPath()).isEqualTo("/api/v1/connectors/11111111-2222-3333-4444-555555555555");
        assertThat(event.getHttpMethod()).isEqualTo("PATCH");
        assertThat(event.getPathParameters()).isEqualTo(Map.of("uuid", "11111111-2222-3333-4444-555555555555"));
        assertThat(event.getQueryStringParameters()).isEqualTo(Map.of("a", "b"));
        assertThat(event.getBody()).isEqualTo("{\"name\":\"x\"}");
        assertThat(event.getRequestContext().getAuthorizer()).containsEntry("userId", "user-42").containsEntry("tier", "pro");
        assertThat(event.getHeaders().keySet()).noneMatch(name -> name.equalsIgnoreCase("cookie"));
        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(response.getHeaders()).containsEntry("Location", "/portal/api/v1/connectors/abc")
                .containsEntry("Cache-Control", "no-store");
    }

    @Test
    void aChangeWithoutTheCsrfTokenNeverReachesTheApi() {
        String token = openSession();

        var missing = call(withCookie(portal("POST", "api/v1/connectors"), token).withBody("{}"));
        var wrong = withCookie(portal("DELETE", "api/v1/connectors/11111111-2222-3333-4444-555555555555"), token);
        wrong.getHeaders().put("X-CSRF-Token", csrf(openSession()));

        assertThat(missing.getStatusCode()).isEqualTo(403);
        assertThat(json(missing).get("detail").asText()).contains("X-CSRF-Token");
        assertThat(call(wrong).getStatusCode()).isEqualTo(403);
        assertThat(forwarded.get()).isNull();
    }

    @Test
    void aChangeFromAnotherOriginIsRefusedEvenWithTheToken() {
        String token = openSession();
        var request = withCookie(portal("POST", "api/v1/connectors"), token).withBody("{}");
        request.getHeaders().put("X-CSRF-Token", csrf(token));
        request.getHeaders().put("Origin", "https://evil.example.net");

        assertThat(call(request).getStatusCode()).isEqualTo(403);
        assertThat(forwarded.get()).isNull();
    }

    @Test
    void readsNeedNoCsrfToken() {
        String token = openSession();

        var response = call(withCookie(portal("GET", "api/v1/connectors"), token));

        assertThat(response.getStatusCode()).isEqualTo(201);
        assertThat(forwarded.get().getResource()).isEqualTo("/api/v1/connectors");
    }

    @Test
    void tokenRoutesAreNotAvailableInThePortal() {
        String token = openSession();

        var response = call(withCookie(portal("GET", "api/v1/tokens"), token));

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(json(response).get("detail").asText()).contains("not available in the portal");
        assertThat(forwarded.get()).isNull();
    }

    @Test
    void aKnownResourceWithAnotherMethodIs405WithAllow() {
        String token = openSession();
        var request = withCookie(portal("PUT", "api/v1/connectors"), token).withBody("{}");
        request.getHeaders().put("X-CSRF-Token", csrf(token));

        var response = call(request);

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET, POST");
    }

    @Test
    void literalRoutesWinOverParameters() {
        String token = openSession();

        call(withCookie(portal("GET", "api/v1/connectors/types"), token));

        assertThat(forwarded.get().getResource()).isEqualTo("/api/v1/connectors/types");
    }

    // ------------------------------------------------------------------ pages and files

    @Test
    void servesThePageWithAStrictPolicyAndAFreshStyleNonce() {
        var first = call(portal("GET", ""));
        var second = call(portal("GET", ""));

        assertThat(first.getStatusCode()).isEqualTo(200);
        assertThat(first.getHeaders().get("Content-Type")).isEqualTo("text/html; charset=utf-8");
        String csp = first.getHeaders().get("Content-Security-Policy");
        assertThat(csp).contains("default-src 'self'", "script-src 'self';", "object-src 'none'", "base-uri 'none'",
                "form-action 'self'", "frame-ancestors https://app.example.com").doesNotContain("unsafe");
        String nonce = csp.replaceAll(".*'nonce-([^']+)'.*", "$1");
        assertThat(first.getBody()).contains("content=\"" + nonce + "\"").doesNotContain("__CSP_NONCE__");
        assertThat(second.getHeaders().get("Content-Security-Policy")).doesNotContain(nonce);
        assertThat(first.getHeaders()).containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Cache-Control", "no-store");
    }

    @Test
    void thePortalWithoutItsTrailingSlashRedirectsSoRelativeUrlsResolve() {
        var response = call(portal("GET", "").withPath("/portal"));

        assertThat(response.getStatusCode()).isEqualTo(308);
        assertThat(response.getHeaders()).containsEntry("Location", "portal/");
    }

    @Test
    void fingerprintedAssetsAreImmutableOthersRevalidate() {
        var script = call(portal("GET", "assets/app-1a2b3c4d5e.js"));
        var style = call(portal("GET", "assets/style.css"));

        assertThat(script.getStatusCode()).isEqualTo(200);
        assertThat(script.getHeaders()).containsEntry("Content-Type", "text/javascript; charset=utf-8")
                .containsEntry("Cache-Control", "public, max-age=31536000, immutable");
        assertThat(script.getBody()).contains("ready");
        assertThat(style.getHeaders()).containsEntry("Cache-Control", "no-cache").containsKey("ETag");
    }

    @Test
    void anSvgMayRunNothingWhenOpenedByItself() {
        var icon = call(portal("GET", "assets/icon.svg"));
        var style = call(portal("GET", "assets/style.css"));

        assertThat(icon.getHeaders()).containsEntry("Content-Type", "image/svg+xml; charset=utf-8")
                .containsEntry("Content-Security-Policy", "default-src 'none'; sandbox");
        assertThat(style.getHeaders()).doesNotContainKey("Content-Security-Policy");
    }

    @Test
    void everyPortalAnswerForbidsPowerfulFeaturesAndAsksForHttps() {
        String token = openSession();
        for (var response : List.of(call(portal("GET", "")), call(portal("GET", "assets/style.css")), call(portal("GET", "nope.html")),
                call(withCookie(portal("GET", "api/session"), token)), call(withCookie(portal("GET", "api/v1/connectors"), token)),
                call(linkPage("GET", sessions.mintLink("user-42").code())))) {
            assertThat(response.getHeaders()).containsEntry("Strict-Transport-Security", "max-age=31536000")
                    .containsEntry("X-Content-Type-Options", "nosniff");
            assertThat(response.getHeaders().get("Permissions-Policy")).contains("camera=()", "microphone=()", "geolocation=()",
                    "payment=()");
        }
    }

    @Test
    void anUnchangedAssetIs304() {
        String etag = call(portal("GET", "assets/style.css")).getHeaders().get("ETag");
        var request = portal("GET", "assets/style.css");
        request.getHeaders().put("If-None-Match", etag);

        var response = call(request);

        assertThat(response.getStatusCode()).isEqualTo(304);
        assertThat(response.getBody()).isNull();
    }

    @Test
    void refusesPathTraversalHiddenAndUnservableFiles() {
        for (String sub : List.of("../../../etc/passwd", "assets/../../PortalHandler.class", "assets/secret.properties",
                "assets/.hidden.js", "assets//style.css", "assets/%2e%2e/x.js", "app/connectors/functions/PortalHandler.class",
                "assets\\style.css", "nope.html")) {
            var response = call(portal("GET", sub));
            assertThat(response.getStatusCode()).as(sub).isEqualTo(404);
            assertThat(response.getHeaders().get("Content-Type")).as(sub).startsWith("text/html");
        }
    }

    @Test
    void pagesAreReadOnly() {
        var response = call(portal("POST", "assets/style.css"));

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET, HEAD");
    }

    @Test
    void theServersOwnStylesheetIsServed() {
        var response = call(portal("GET", "server/page.css"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("text/css");
    }

    // ------------------------------------------------------------------ links for the host platform

    @Test
    void theApiRouteMintsALinkForTheTokensOwnUser() {
        var event = new APIGatewayProxyRequestEvent().withHttpMethod("POST").withResource("/api/v1/portal-links")
                .withPath("/api/v1/portal-links")
                .withRequestContext(TemplateRoutesTest.requestContext("req-2", Map.of("userId", "user-42", "tier", "pro",
                        "tokenId", "tok_1")));

        var response = call(event);

        assertThat(response.getStatusCode()).isEqualTo(201);
        String url = json(response).get("url").asText();
        assertThat(url).startsWith(BASE + "/start?code=cpl_");
        assertThat(sessions.open(url.substring(url.indexOf("code=") + 5))).isInstanceOf(PortalSessions.Opening.Opened.class);
    }

    @Test
    void withoutAConfiguredAddressTheLinkUsesTheApisOwnHostAndStage() {
        var bare = new PortalHandler(sessions, users, new PortalApi(Map.of("CatalogFunction", () -> null, "ConnectorsFunction",
                () -> null, "DeliveriesFunction", () -> null, "TransformationsFunction", () -> null, "TemplatesFunction", () -> null)),
                PortalTestParts.connectRoutes(TemplateRoutesTest.connectorService(), Map.of()),
                Settings.from(Map.of()), "portal/test-web/");
        var context = TemplateRoutesTest.requestContext("req-3", Map.of("userId", "user-42", "tier", "pro", "tokenId", "t"));
        context.setDomainName("abc123.execute-api.eu-west-1.amazonaws.com");
        context.setStage("v1");

        var response = bare.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("POST").withResource("/api/v1/portal-links")
                .withPath("/api/v1/portal-links").withRequestContext(context), null);

        assertThat(json(response).get("url").asText()).startsWith("https://abc123.execute-api.eu-west-1.amazonaws.com/v1/portal/start?code=");
    }
}
