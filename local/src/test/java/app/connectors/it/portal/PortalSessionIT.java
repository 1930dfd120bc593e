package app.connectors.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.functions.portal.SessionCookie;
import app.connectors.it.api.OpenApiContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The App Portal's links and sessions end to end over HTTP through the local gateway: a link from
 * AccountsFunction or the API opens a session, the session drives the API (CSRF-protected), and
 * logout, expiry and reuse each end it with a clear answer.
 */
class PortalSessionIT {

    private static PortalStack stack;
    private static final OpenApiContract CONTRACT = new OpenApiContract();

    @BeforeAll
    static void start() {
        stack = PortalStack.start();
    }

    /** The answer follows docs/openapi.yaml for {@code path} (a /portal/api/v1 answer is held to its /api/v1 route). */
    private static Browser.Response conforming(String method, String path, Browser.Response response) {
        CONTRACT.assertResponseConforms(method, path, response.status(), response.headers(), response.body());
        return response;
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String slackBody(String name) {
        return """
                {"type":"slack","name":"%s","config":{"webhook_url":"https://hooks.slack.com/services/T0000/B0000/abcdefgh"},
                 "events":["promise.status_changed"]}""".formatted(name);
    }

    @Test
    void aLinkFromTheHostOpensASessionThatManagesTheUsersConnectors() {
        // GIVEN a Pro user and a link AccountsFunction minted for them
        PortalStack.User user = stack.createUser("portal-walk", "pro");
        String link = stack.portalLink(user.userId());
        assertThat(link).startsWith(stack.local().gatewayUrl() + "/portal/start?code=cpl_");
        Browser browser = stack.browser();

        // WHEN the browser opens it: its page says whose portal it opens and uses nothing
        Browser.Response linkPage = browser.get(link);
        assertThat(linkPage.status()).isEqualTo(200);
        assertThat(linkPage.body()).contains("This link opens the portal for <strong>" + user.userId() + "</strong>");
        assertThat(linkPage.all("Set-Cookie")).isEmpty();
        assertThat(browser.get("/portal/api/session").status()).isEqualTo(401);

        // WHEN the person continues (the page's same-origin form) and follows the redirect
        Browser.Response opened = browser.openLink(link);
        Browser.Response page = browser.get(URI.create(link).resolve(opened.header("Location")).toString());

        // THEN it has the session cookie and the portal's page
        assertThat(opened.status()).isEqualTo(303);
        assertThat(opened.all("Set-Cookie")).singleElement().asString().contains("HttpOnly", "Secure", "SameSite=None", "Partitioned");
        assertThat(browser.cookie(SessionCookie.NAME)).startsWith("cps_");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("integration test page");
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'self'");

        // WHEN the page reads the session and creates a connector through the portal's API
        Browser.Response session = conforming("GET", "/portal/api/session", browser.get("/portal/api/session"));
        Browser.Response created = conforming("POST", "/api/v1/connectors",
                browser.send("POST", "/portal/api/v1/connectors", slackBody("Eng"), session.json().get("csrfToken").asText()));
        conforming("GET", "/api/v1/connectors", browser.get("/portal/api/v1/connectors"));

        // THEN the session names the user and plan, and the connector is the user's, also through the API proper
        assertThat(session.json().get("userId").asText()).isEqualTo(user.userId());
        assertThat(session.json().get("connectorLimit").asInt()).isEqualTo(5);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String uuid = created.json().get("uuid").asText();
        assertThat(created.header("Location")).isEqualTo("/portal/api/v1/connectors/" + uuid);
        assertThat(created.json().at("/config/webhook_url").asText()).isEqualTo("https://hooks.slack.com/••••efgh");
        Browser api = stack.browser();
        Browser.Response viaApi = api.send("GET", "/api/v1/connectors/" + uuid, null, java.util.Map.of("Authorization", "Bearer " + user.token()));
        assertThat(viaApi.json()).isEqualTo(created.json());
        assertThat(browser.get("/portal/api/session").json().get("connectorCount").asInt()).isOne();
    }

    @Test
    void aSessionSeesOnlyItsOwnUsersConnectors() {
        PortalStack.User alice = stack.createUser("portal-alice", "pro");
        PortalStack.User bob = stack.createUser("portal-bob", "pro");
        Browser aliceBrowser = stack.signedIn(alice.userId());
        String uuid = aliceBrowser.send("POST", "/portal/api/v1/connectors", slackBody("Alice's"), aliceBrowser.csrfToken())
                .json().get("uuid").asText();

        Browser bobBrowser = stack.signedIn(bob.userId());

        assertThat(bobBrowser.get("/portal/api/v1/connectors/" + uuid).status()).isEqualTo(404);
        assertThat(bobBrowser.get("/portal/api/v1/connectors").json().get("connectors").size()).isZero();
        assertThat(bobBrowser.send("DELETE", "/portal/api/v1/connectors/" + uuid, null, bobBrowser.csrfToken()).status()).isEqualTo(404);
        assertThat(aliceBrowser.get("/portal/api/v1/connectors/" + uuid).status()).isEqualTo(200);
    }

    @Test
    void theHostCanMintALinkWithTheUsersApiToken() {
        PortalStack.User user = stack.createUser("portal-api-link", "pro");
        Browser host = stack.browser();

        Browser.Response minted = conforming("POST", "/api/v1/portal-links",
                host.send("POST", "/api/v1/portal-links", null, java.util.Map.of("Authorization", "Bearer " + user.token())));
        Browser.Response anonymous = host.send("POST", "/api/v1/portal-links", null, java.util.Map.of());

        assertThat(minted.status()).isEqualTo(201);
        assertThat(minted.json().get("url").asText()).contains("/portal/start?code=cpl_");
        assertThat(anonymous.status()).isEqualTo(401);
        Browser browser = stack.browser();
        assertThat(browser.openLink(minted.json().get("url").asText()).status()).isEqualTo(303);
        assertThat(browser.get("/portal/api/session").json().get("userId").asText()).isEqualTo(user.userId());
    }

    @Test
    void aChangeWithoutTheCsrfTokenIsRefusedAndStoresNothing() {
        PortalStack.User user = stack.createUser("portal-csrf", "pro");
        Browser browser = stack.signedIn(user.userId());

        Browser.Response noToken = browser.send("POST", "/portal/api/v1/connectors", slackBody("x"), (String) null);
        Browser.Response crossSite = browser.send("POST", "/portal/api/v1/connectors", slackBody("x"),
                java.util.Map.of("Origin", "https://attacker.example", "X-CSRF-Token", browser.csrfToken()));

        conforming("POST", "/api/v1/connectors", noToken);
        assertThat(noToken.status()).isEqualTo(403);
        assertThat(noToken.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(browser.get("/portal/api/v1/connectors").json().get("connectors").size()).isZero();
    }

    @Test
    void logoutEndsTheSessionOnTheNextRequest() {
        PortalStack.User user = stack.createUser("portal-logout", "pro");
        Browser browser = stack.signedIn(user.userId());
        String token = browser.cookie(SessionCookie.NAME);

        Browser.Response logout = browser.send("POST", "/portal/api/logout", null, browser.csrfToken());

        assertThat(logout.status()).isEqualTo(204);
        assertThat(browser.cookie(SessionCookie.NAME)).isNull();
        // A copy of the cookie kept by someone else stops working too.
        Browser replay = stack.browser();
        replay.setCookie(SessionCookie.NAME, token);
        assertThat(replay.get("/portal/api/session").status()).isEqualTo(401);
        assertThat(replay.get("/portal/api/v1/connectors").status()).isEqualTo(401);
    }

    @Test
    void aSessionExpiresAfterAnHourIdle() {
        PortalStack.User user = stack.createUser("portal-idle", "pro");
        Browser browser = stack.signedIn(user.userId());
        assertThat(browser.get("/portal/api/session").status()).isEqualTo(200);

        stack.clock.advance(Duration.ofMinutes(61));

        Browser.Response after = browser.get("/portal/api/v1/connectors");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().get("detail").asText()).contains("Open the portal again");
    }

    @Test
    void aLinkWorksOnceAndThenExplainsItself() {
        PortalStack.User user = stack.createUser("portal-reuse", "pro");
        String link = stack.portalLink(user.userId());
        stack.browser().openLink(link);

        Browser.Response again = stack.browser().get(link);
        Browser.Response postedAgain = stack.browser().submitLinkForm(link, link.substring(link.indexOf("code=") + 5));

        for (Browser.Response response : List.of(again, postedAgain)) {
            assertThat(response.status()).isEqualTo(410);
            assertThat(response.header("Content-Type")).startsWith("text/html");
            assertThat(response.body()).contains("already been used");
            assertThat(response.all("Set-Cookie")).isEmpty();
        }
    }

    @Test
    void anotherUsersLinkNeverSwapsTheSessionWithoutTheUsersClick() {
        // GIVEN a browser signed in as the victim, and a link the attacker minted for their own account
        PortalStack.User victim = stack.createUser("portal-victim", "pro");
        PortalStack.User attacker = stack.createUser("portal-attacker", "pro");
        Browser browser = stack.signedIn(victim.userId());
        String link = stack.portalLink(attacker.userId());
        String code = link.substring(link.indexOf("code=") + 5);

        // WHEN another site sends the browser to that link (GET and a previewer's HEAD), and posts the code itself
        Browser.Response page = browser.get(link);
        Browser.Response head = browser.send("HEAD", link, null, java.util.Map.of());
        Browser.Response posted = browser.send("POST", URI.create(link).resolve("start").toString(), "code=" + code, java.util.Map.of(
                "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://attacker.example", "Sec-Fetch-Site", "cross-site"));

        // THEN the page asks, the cross-site post is refused, and the browser is still the victim's
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("You are signed in as " + victim.userId(), "Open the portal as " + attacker.userId());
        assertThat(head.status()).isEqualTo(200);
        assertThat(posted.status()).isEqualTo(403);
        assertThat(browser.get("/portal/api/session").json().get("userId").asText()).isEqualTo(victim.userId());

        // WHEN the person chooses to continue on the page, THEN (and only then) the link opens the attacker's portal
        assertThat(browser.openLink(link).status()).isEqualTo(303);
        assertThat(browser.get("/portal/api/session").json().get("userId").asText()).isEqualTo(attacker.userId());
    }

    @Test
    void anExpiredLinkExplainsItself() {
        PortalStack.User user = stack.createUser("portal-expired-link", "pro");
        String link = stack.portalLink(user.userId());

        stack.clock.advance(Duration.ofMinutes(10));

        Browser.Response opened = stack.browser().get(link);
        assertThat(opened.status()).isEqualTo(410);
        assertThat(opened.body()).contains("expired");
        assertThat(stack.browser().submitLinkForm(link, link.substring(link.indexOf("code=") + 5)).status()).isEqualTo(410);
    }

    @Test
    void concurrentOpeningsOfOneLinkOpenOneSession() throws Exception {
        PortalStack.User user = stack.createUser("portal-race", "pro");
        String link = stack.portalLink(user.userId());
        String code = link.substring(link.indexOf("code=") + 5);
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<Integer> open = () -> {
                go.await();
                // The link page's form, submitted eight times at once (a double click, tabs restored together).
                HttpRequest post = HttpRequest.newBuilder(URI.create(link).resolve("start"))
                        .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "same-origin")
                        .POST(HttpRequest.BodyPublishers.ofString("code=" + code)).build();
                return client.send(post, HttpResponse.BodyHandlers.discarding()).statusCode();
            };
            statuses.add(pool.submit(open));
        }
        go.countDown();
        List<Integer> seen = new ArrayList<>();
        for (Future<Integer> status : statuses) {
            seen.add(status.get());
        }
        pool.shutdown();

        assertThat(seen).containsOnlyOnce(303).containsOnly(303, 410);
    }

    @Test
    void thePortalRootRedirectsToItsFolder() {
        Browser.Response bare = stack.browser().get("/portal");

        assertThat(bare.status()).isEqualTo(308);
        assertThat(stack.local().gatewayUrl().resolve("/portal").resolve(bare.header("Location")).getPath()).isEqualTo("/portal/");
    }
}
