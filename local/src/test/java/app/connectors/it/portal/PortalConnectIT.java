package app.connectors.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.config.Components;
import app.connectors.connector.Connector;
import app.connectors.it.api.OpenApiContract;
import app.connectors.local.fake.FakeProviders;
import app.connectors.oauth.OAuthTokenRefresher;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * "Connect to Slack / Discord / HubSpot" and the Windmill helpers end to end over HTTP: the portal
 * through the local gateway, the consent pages and token endpoints of the local fakes, and back
 * through the callback, including every way a flow must fail without storing anything.
 */
class PortalConnectIT {

    private static final HttpClient PROVIDER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ENG = "{\"name\":\"Eng alerts\",\"events\":[\"promise.status_changed\"]}";

    private static final OpenApiContract CONTRACT = new OpenApiContract();
    private static PortalStack stack;
    private static FakeProviders fakes;

    /** The answer follows docs/openapi.yaml for {@code method path}. */
    private static Browser.Response conforming(String method, String path, Browser.Response response) {
        CONTRACT.assertResponseConforms(method, path, response.status(), response.headers(), response.body());
        return response;
    }

    @BeforeAll
    static void start() {
        stack = PortalStack.startWithFakes();
        fakes = stack.fakes();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    // ------------------------------------------------------------------ a user's steps

    /** POST connect → the provider's authorize URL. */
    private static String begin(Browser browser, String provider, String body) {
        Browser.Response started = conforming("POST", "/portal/api/connect/" + provider,
                browser.send("POST", "/portal/api/connect/" + provider, body, browser.csrfToken()));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        return started.json().get("authorizeUrl").asText();
    }

    /** The fake's consent page, then its Allow or Deny button: the provider's redirect to the callback. */
    private static String consent(String authorizeUrl, String decision) {
        URI authorize = URI.create(authorizeUrl);
        HttpResponse<String> page = provider(HttpRequest.newBuilder(authorize).GET().build());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains(">Allow</button>", ">Deny</button>");
        HttpResponse<String> decided = provider(HttpRequest.newBuilder(URI.create(authorize.getScheme() + "://"
                        + authorize.getRawAuthority() + authorize.getRawPath()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(authorize.getRawQuery() + "&decision=" + decision)).build());
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(303);
        return decided.headers().firstValue("Location").orElseThrow();
    }

    private static HttpResponse<String> provider(HttpRequest request) {
        try {
            return PROVIDER.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The callback's redirect into the page: the hash route and its query. */
    private static Map<String, String> landing(Browser.Response callback) {
        assertThat(callback.status()).as(callback.toString()).isEqualTo(303);
        String location = callback.header("Location");
        assertThat(location).startsWith("../../#/");
        Map<String, String> out = new LinkedHashMap<>();
        String route = location.substring("../../#".length());
        int question = route.indexOf('?');
        out.put("route", question < 0 ? route : route.substring(0, question));
        if (question >= 0) {
            for (String pair : route.substring(question + 1).split("&")) {
                String[] parts = pair.split("=", 2);
                out.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static int connectorCount(Browser browser) {
        return browser.get("/portal/api/v1/connectors").json().get("connectors").size();
    }

    // ------------------------------------------------------------------ the flows

    @Test
    void connectsSlackThenATestMessageReachesTheChannel() {
        // GIVEN a Pro user in the portal
        Browser browser = stack.signedIn(stack.createUser("connect-slack", "pro").userId());
        assertThat(browser.get("/portal/api/session").json().get("connectProviders").toString())
                .isEqualTo("[\"slack\",\"discord\",\"hubspot\"]");

        // WHEN they click Connect to Slack, allow on Slack's page and come back
        String authorize = begin(browser, "slack", ENG);
        assertThat(authorize).startsWith(fakes.slack().origin() + "/oauth/v2/authorize?client_id=fake-slack-client&scope=incoming-webhook")
                .contains("redirect_uri=" + (stack.local().gatewayUrl() + "/portal/oauth/slack/callback")
                        .replace(":", "%3A").replace("/", "%2F"))
                .doesNotContain("fake-slack-secret");
        Map<String, String> landed = landing(browser.get(consent(authorize, "allow")));

        // THEN the page opens the new connector, which has the channel Slack chose and a masked URL
        assertThat(landed.get("connected")).isEqualTo("slack");
        String uuid = landed.get("route").substring("/connectors/".length());
        JsonNode connector = browser.get("/portal/api/v1/connectors/" + uuid).json();
        assertThat(connector.get("type").asText()).isEqualTo("slack");
        assertThat(connector.get("name").asText()).isEqualTo("Eng alerts");
        assertThat(connector.at("/config/channel").asText()).startsWith("#fake-channel-");
        assertThat(connector.at("/config/webhook_url").asText()).startsWith("https://hooks.slack.com/••••");

        // WHEN they send a test
        int before = fakes.slack().received().size();
        Browser.Response tested = browser.send("POST", "/portal/api/v1/connectors/" + uuid + "/test",
                "{\"eventType\":\"promise.status_changed\"}", browser.csrfToken());

        // THEN Slack's webhook got the Block Kit message
        assertThat(tested.status()).as(tested.toString()).isEqualTo(200);
        assertThat(fakes.slack().received()).hasSize(before + 1);
        assertThat(fakes.slack().received().getLast().body()).contains("\"blocks\"");
    }

    @Test
    void connectsDiscord() {
        Browser browser = stack.signedIn(stack.createUser("connect-discord", "pro").userId());

        Map<String, String> landed = landing(browser.get(consent(begin(browser, "discord", ENG), "allow")));

        String uuid = landed.get("route").substring("/connectors/".length());
        JsonNode connector = browser.get("/portal/api/v1/connectors/" + uuid).json();
        assertThat(connector.get("type").asText()).isEqualTo("discord");
        assertThat(connector.at("/config/webhook_url").asText()).startsWith("https://discord.com/••••");
        assertThat(browser.send("POST", "/portal/api/v1/connectors/" + uuid + "/test", null, browser.csrfToken()).status()).isEqualTo(200);
        assertThat(fakes.discord().received().getLast().body()).contains("\"embeds\"");
    }

    @Test
    void connectsHubSpotAndStoresItsTokensEncrypted() {
        PortalStack.User user = stack.createUser("connect-hubspot", "pro");
        Browser browser = stack.signedIn(user.userId());

        Map<String, String> landed = landing(browser.get(consent(begin(browser, "hubspot", ENG), "allow")));

        String uuid = landed.get("route").substring("/connectors/".length());
        JsonNode connector = browser.get("/portal/api/v1/connectors/" + uuid).json();
        assertThat(connector.get("type").asText()).isEqualTo("hubspot");
        assertThat(connector.at("/config/access_token").asText()).startsWith("••••").doesNotStartWith("fake-access-");
        assertThat(connector.at("/config/token_expires_at").asText()).isNotBlank();
        Map<String, AttributeValue> item = stack.local().dynamoDb().getItem(r -> r
                .tableName(stack.local().environmentOf("ConnectorsFunction").get("CONNECTORS_TABLE"))
                .key(Map.of("userId", AttributeValue.fromS(user.userId()), "connectorId", AttributeValue.fromS(uuid)))).item();
        assertThat(item.toString()).doesNotContain("fake-access-").doesNotContain("fake-refresh-");
        JsonNode tested = browser.send("POST", "/portal/api/v1/connectors/" + uuid + "/test", null, browser.csrfToken()).json();
        assertThat(tested.get("ok").asBoolean()).as(tested.toString()).isTrue();
        assertThat(fakes.hubspot().received().getLast().headers().get("authorization")).startsWith("Bearer fake-access-");
    }

    @Test
    void aDeniedConsentEndsOnAClearMessageAndStoresNothing() {
        Browser browser = stack.signedIn(stack.createUser("connect-deny", "pro").userId());

        Map<String, String> landed = landing(browser.get(consent(begin(browser, "slack", ENG), "deny")));

        assertThat(landed.get("route")).isEqualTo("/connect-error");
        assertThat(landed.get("reason")).isEqualTo("denied");
        assertThat(landed.get("message")).contains("declined");
        assertThat(connectorCount(browser)).isZero();
    }

    @Test
    void aProviderErrorAtTheTokenEndpointStoresNothing() {
        Browser browser = stack.signedIn(stack.createUser("connect-provider-error", "pro").userId());
        String callback = consent(begin(browser, "discord", ENG), "allow");

        fakes.discord().failNextToken("invalid_grant", 400);
        Map<String, String> landed = landing(browser.get(callback));

        assertThat(landed.get("reason")).isEqualTo("provider_error");
        assertThat(landed.get("message")).contains("invalid_grant").doesNotContain("fake-discord-secret");
        assertThat(connectorCount(browser)).isZero();
    }

    @Test
    void aReplayedCallbackConnectsNothingMore() {
        Browser browser = stack.signedIn(stack.createUser("connect-replay", "pro").userId());
        String callback = consent(begin(browser, "slack", ENG), "allow");
        assertThat(landing(browser.get(callback)).get("connected")).isEqualTo("slack");

        Map<String, String> again = landing(browser.get(callback));

        assertThat(again.get("reason")).isEqualTo("replayed");
        assertThat(connectorCount(browser)).isOne();
    }

    @Test
    void anExpiredStateConnectsNothing() {
        Browser browser = stack.signedIn(stack.createUser("connect-expired", "pro").userId());
        String callback = consent(begin(browser, "slack", ENG), "allow");

        stack.clock.advance(Duration.ofMinutes(11));
        Map<String, String> landed = landing(browser.get(callback));

        assertThat(landed.get("reason")).isEqualTo("expired");
        assertThat(connectorCount(browser)).isZero();
    }

    @Test
    void aCallbackWithAMissingOrTamperedStateIsInvalidStateAndStoresNothing() {
        // GIVEN a signed-in browser and a real callback from the provider
        Browser browser = stack.signedIn(stack.createUser("connect-tampered", "pro").userId());
        String callback = consent(begin(browser, "slack", ENG), "allow");
        Map<String, String> params = callbackParams(callback);
        String base = callback.substring(0, callback.indexOf('?'));

        // WHEN its state is left out, cut short, or the callback carries no parameters at all
        for (String query : List.of("?code=" + params.get("code"), "?code=" + params.get("code") + "&state="
                + params.get("state").substring(0, 10), "")) {
            Map<String, String> landed = landing(browser.get(base + query));

            // THEN the page says invalid_state (not "another session"), and nothing is stored
            assertThat(landed.get("reason")).as(query).isEqualTo("invalid_state");
        }
        assertThat(connectorCount(browser)).isZero();
        // and without a session (a popup) the relay page says the same in its own words
        assertThat(stack.browser().get(base + "?code=x").body()).contains("not started by the portal");
    }

    @Test
    void aCallbackOpenedInAnotherUsersSessionIsNotUsedThere() {
        // GIVEN mallory starts a Slack flow and gets its callback URL (her state, her code)
        Browser mallory = stack.signedIn(stack.createUser("connect-mallory", "pro").userId());
        String callback = consent(begin(mallory, "slack", ENG), "allow");
        Browser victim = stack.signedIn(stack.createUser("connect-victim", "pro").userId());

        // WHEN the victim's browser is made to open it
        Browser.Response opened = victim.get(callback);

        // THEN it explains and finishes nothing for the victim (nor for mallory)
        assertThat(opened.status()).isEqualTo(200);
        assertThat(opened.header("Content-Type")).startsWith("text/html");
        assertThat(opened.body()).contains("another portal session").contains("server/oauth-relay.js");
        assertThat(connectorCount(victim)).isZero();
        assertThat(connectorCount(mallory)).isZero();
        // and the victim's session cannot complete it through the API either
        Map<String, String> params = callbackParams(callback);
        Browser.Response completed = victim.send("POST", "/portal/api/connect/slack/complete",
                "{\"code\":\"" + params.get("code") + "\",\"state\":\"" + params.get("state") + "\"}", victim.csrfToken());
        conforming("POST", "/portal/api/connect/slack/complete", completed);
        assertThat(completed.status()).isEqualTo(403);
        assertThat(completed.json().get("reason").asText()).isEqualTo("wrong_session");
        assertThat(connectorCount(victim)).isZero();
    }

    @Test
    void aPopupWithoutTheSessionHandsTheCallbackToThePortalWindow() {
        // GIVEN a framed portal's flow: its popup is a top-level window without the partitioned cookie
        Browser framed = stack.signedIn(stack.createUser("connect-popup", "pro").userId());
        String callback = consent(begin(framed, "discord", ENG), "allow");
        Browser popup = stack.browser();

        // WHEN the popup lands on the callback
        Browser.Response relay = popup.get(callback);

        // THEN it gets the relay page (the script posts the parameters to the opener), and nothing is stored yet
        assertThat(relay.status()).isEqualTo(200);
        assertThat(relay.body()).contains("data-provider=\"discord\"").contains("../../server/oauth-relay.js");
        assertThat(relay.header("Content-Security-Policy")).contains("script-src 'self'");
        assertThat(connectorCount(framed)).isZero();
        Browser.Response script = popup.get("/portal/server/oauth-relay.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.body()).contains("postMessage").contains("window.location.origin");

        // WHEN the portal window completes with what the popup posted
        Map<String, String> params = callbackParams(callback);
        String body = "{\"code\":\"" + params.get("code") + "\",\"state\":\"" + params.get("state") + "\"}";
        Browser.Response withoutCsrf = framed.send("POST", "/portal/api/connect/discord/complete", body, (String) null);
        Browser.Response completed = framed.send("POST", "/portal/api/connect/discord/complete", body, framed.csrfToken());

        // THEN only the CSRF-carrying request of the owning session connects
        assertThat(withoutCsrf.status()).isEqualTo(403);
        conforming("POST", "/portal/api/connect/discord/complete", completed);
        assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
        assertThat(completed.json().get("provider").asText()).isEqualTo("discord");
        assertThat(framed.get("/portal/api/v1/connectors/" + completed.json().get("connectorId").asText()).status()).isEqualTo(200);
    }

    @Test
    void theCallbackNeverRedirectsOutsideThePortal() {
        Browser browser = stack.signedIn(stack.createUser("connect-redirect", "pro").userId());
        String callback = consent(begin(browser, "slack", ENG), "allow");

        Browser.Response answered = browser.get(callback + "&redirect_uri=https://evil.example/x&next=//evil.example");

        assertThat(answered.status()).isEqualTo(303);
        assertThat(answered.header("Location")).startsWith("../../#/connectors/").doesNotContain("evil");
    }

    @Test
    void aWebhookUrlOnAPrivateAddressIsRefusedAndNothingStored() {
        Browser browser = stack.signedIn(stack.createUser("connect-ssrf", "pro").userId());
        String callback = consent(begin(browser, "slack", ENG), "allow");
        stack.dns.answer("hooks.slack.com", "10.0.0.5");
        try {
            Map<String, String> landed = landing(browser.get(callback));

            assertThat(landed.get("reason")).isEqualTo("refused");
            assertThat(landed.get("message")).contains("10.0.0.5");
            assertThat(connectorCount(browser)).isZero();
        } finally {
            stack.dns.answer("hooks.slack.com", "93.184.216.34");
        }
    }

    @Test
    void aWebhookUrlOffTheProvidersHostIsRefused() {
        Browser browser = stack.signedIn(stack.createUser("connect-host", "pro").userId());
        String callback = consent(begin(browser, "slack", ENG), "allow");
        fakes.slack().nextWebhookUrl("http://169.254.169.254/latest/meta-data");

        Map<String, String> landed = landing(browser.get(callback));

        assertThat(landed.get("reason")).isEqualTo("refused");
        assertThat(connectorCount(browser)).isZero();
    }

    @Test
    void aBadDraftOrAFullPlanIsRefusedBeforeTheUserLeaves() {
        Browser pro = stack.signedIn(stack.createUser("connect-draft", "pro").userId());
        Browser free = stack.signedIn(stack.createUser("connect-free", "free").userId());

        Browser.Response badEvents = pro.send("POST", "/portal/api/connect/slack", "{\"name\":\"x\",\"events\":[\"nope\"]}", pro.csrfToken());
        Browser.Response full = free.send("POST", "/portal/api/connect/slack", ENG, free.csrfToken());
        Browser.Response unknown = pro.send("POST", "/portal/api/connect/myspace", ENG, pro.csrfToken());
        Browser.Response noCsrf = pro.send("POST", "/portal/api/connect/slack", ENG, (String) null);

        assertThat(badEvents.status()).isEqualTo(400);
        assertThat(badEvents.json().at("/errors/0/field").asText()).isEqualTo("events[0]");
        assertThat(full.status()).isEqualTo(403);
        assertThat(full.json().get("detail").asText()).contains("Free plan allows 0 connectors");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(noCsrf.status()).isEqualTo(403);
    }

    @Test
    void reconnectingReplacesTheWebhookOfTheSameConnector() {
        Browser browser = stack.signedIn(stack.createUser("connect-again", "pro").userId());
        String uuid = landing(browser.get(consent(begin(browser, "slack", ENG), "allow"))).get("route").substring("/connectors/".length());
        String firstUrl = browser.get("/portal/api/v1/connectors/" + uuid).json().at("/config/webhook_url").asText();

        Map<String, String> again = landing(browser.get(consent(begin(browser, "slack", "{\"connectorId\":\"" + uuid + "\"}"), "allow")));

        assertThat(again.get("route")).isEqualTo("/connectors/" + uuid);
        assertThat(again.get("reconnected")).isEqualTo("true");
        assertThat(browser.get("/portal/api/v1/connectors/" + uuid).json().at("/config/webhook_url").asText()).isNotEqualTo(firstUrl);
        assertThat(connectorCount(browser)).isOne();
    }

    // ------------------------------------------------------------------ HubSpot token refresh

    private String connectHubSpot(Browser browser) {
        return landing(browser.get(consent(begin(browser, "hubspot", ENG), "allow"))).get("route").substring("/connectors/".length());
    }

    private static OAuthTokenRefresher refresher(Components components) {
        return new OAuthTokenRefresher(components.connectors(), components.tokenEndpoint(), stack.clock);
    }

    @Test
    void concurrentHubSpotRefreshesAgainstTheTableLeaveOneWorkingToken() throws Exception {
        // GIVEN a HubSpot connector whose access token HubSpot no longer accepts, seen by 8 deliveries at once
        PortalStack.User user = stack.createUser("refresh-race", "pro");
        Browser browser = stack.signedIn(user.userId());
        String uuid = connectHubSpot(browser);
        Components components = stack.components(stack.local().environmentOf("PortalFunction"));
        Connector used = components.connectors().get(user.userId(), uuid);
        fakes.hubspot().expireAccessTokens();
        OAuthTokenRefresher refresher = refresher(components);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<Connector>>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<Optional<Connector>> refresh = () -> {
                go.await();
                return refresher.afterUnauthorized(used);
            };
            results.add(pool.submit(refresh));
        }

        // WHEN they all refresh after their 401
        int refreshesBefore = fakes.hubspot().refreshes();
        go.countDown();
        List<Connector> retries = new ArrayList<>();
        for (Future<Optional<Connector>> result : results) {
            retries.add(result.get(60, TimeUnit.SECONDS).orElseThrow(() -> new AssertionError("a delivery got no token to retry with")));
        }
        pool.shutdown();

        // THEN each got a token to retry with, the connector stays enabled, and the stored token works at HubSpot
        Connector stored = components.connectors().get(user.userId(), uuid);
        assertThat(stored.enabled()).isTrue();
        // the fake's count runs across the class's tests: this test's refreshes are the difference
        assertThat(fakes.hubspot().refreshes()).isGreaterThan(refreshesBefore);
        assertThat(retries).allSatisfy(retry -> assertThat(retry.version()).isGreaterThan(used.version()));
        JsonNode tested = browser.send("POST", "/portal/api/v1/connectors/" + uuid + "/test", null, browser.csrfToken()).json();
        assertThat(tested.get("ok").asBoolean()).as(tested.toString()).isTrue();
    }

    @Test
    void aTestSendAfterHubSpotRevokedTheAccessTokenRefreshesOnceAndIsDelivered() {
        // GIVEN a HubSpot connector whose access token HubSpot no longer accepts (before its recorded expiry)
        Browser browser = stack.signedIn(stack.createUser("refresh-test-send", "pro").userId());
        String uuid = connectHubSpot(browser);
        fakes.hubspot().expireAccessTokens();
        int refreshes = fakes.hubspot().refreshes();

        // WHEN the user sends a test
        JsonNode tested = browser.send("POST", "/portal/api/v1/connectors/" + uuid + "/test", null, browser.csrfToken()).json();

        // THEN the 401 led to one refresh and a resend that HubSpot accepted
        assertThat(tested.get("ok").asBoolean()).as(tested.toString()).isTrue();
        assertThat(tested.get("statusCode").asInt()).isEqualTo(201);
        assertThat(fakes.hubspot().refreshes()).isEqualTo(refreshes + 1);
        assertThat(browser.get("/portal/api/v1/connectors/" + uuid).json().get("status").asText()).isEqualTo("active");
    }

    @Test
    void aDeliveryAfterHubSpotRevokedTheAccessTokenRenewsItOnceAndIsDelivered() {
        // GIVEN a HubSpot connector whose access token HubSpot no longer accepts (before its recorded expiry)
        PortalStack.User user = stack.createUser("refresh-delivery", "pro");
        Browser browser = stack.signedIn(user.userId());
        String uuid = connectHubSpot(browser);
        fakes.hubspot().expireAccessTokens();
        int refreshes = fakes.hubspot().refreshes();
        int received = fakes.hubspot().received().size();

        // WHEN an event for the user goes through the dispatcher (its first attempt is made there)
        var envelope = app.connectors.event.EventCatalog.standard().find("promise.status_changed").orElseThrow().example().deepCopy();
        envelope.put("id", "evt_refresh_" + java.util.UUID.randomUUID().toString().replace("-", ""));
        envelope.put("userId", user.userId());
        var message = new com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage();
        message.setMessageId("m-refresh");
        message.setReceiptHandle("r-refresh");
        message.setBody(app.connectors.json.Json.write(envelope));
        message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        var batch = new com.amazonaws.services.lambda.runtime.events.SQSEvent();
        batch.setRecords(List.of(message));
        var dispatcher = new app.connectors.functions.DispatcherHandler(
                stack.components(stack.local().environmentOf("DispatcherFunction")));
        var response = dispatcher.handleRequest(batch, app.connectors.local.LocalContext.forInvocation("DispatcherFunction", 180, 1024));

        // THEN the 401 led to one renewal and the same request made again, which HubSpot accepted:
        // one attempt, succeeded, and the connector still active
        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(fakes.hubspot().refreshes()).isEqualTo(refreshes + 1);
        // (the fake records the requests it accepts: the one with the renewed token)
        assertThat(fakes.hubspot().received().size() - received).isEqualTo(1);
        JsonNode deliveries = browser.get("/portal/api/v1/connectors/" + uuid + "/deliveries").json().get("deliveries");
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.get(0).get("status").asText()).as(deliveries.toString()).isEqualTo("succeeded");
        assertThat(deliveries.get(0).get("attempts")).hasSize(1);
        assertThat(browser.get("/portal/api/v1/connectors/" + uuid).json().get("status").asText()).isEqualTo("active");
    }

    @Test
    void aRefusedHubSpotRefreshDisablesTheConnectorAndReconnectingRepairsIt() {
        PortalStack.User user = stack.createUser("refresh-refused", "pro");
        Browser browser = stack.signedIn(user.userId());
        String uuid = connectHubSpot(browser);
        Components components = stack.components(stack.local().environmentOf("PortalFunction"));
        Connector used = components.connectors().get(user.userId(), uuid);

        // WHEN HubSpot refuses the refresh token (the app was uninstalled)
        fakes.hubspot().revokeRefreshTokens();
        fakes.hubspot().expireAccessTokens();
        Optional<Connector> retry = refresher(components).afterUnauthorized(used);

        // THEN there is nothing to retry with, and the portal shows the connector disabled with the way out
        assertThat(retry).isEmpty();
        JsonNode disabled = browser.get("/portal/api/v1/connectors/" + uuid).json();
        assertThat(disabled.get("status").asText()).isEqualTo("disabled");
        assertThat(disabled.get("statusReason").asText()).contains("reconnect HubSpot");

        // WHEN the user reconnects HubSpot from the portal
        Map<String, String> again = landing(browser.get(consent(begin(browser, "hubspot", "{\"connectorId\":\"" + uuid + "\"}"), "allow")));

        // THEN the same connector works again
        assertThat(again.get("reconnected")).isEqualTo("true");
        JsonNode repaired = browser.get("/portal/api/v1/connectors/" + uuid).json();
        assertThat(repaired.get("status").asText()).isEqualTo("active");
        JsonNode tested = browser.send("POST", "/portal/api/v1/connectors/" + uuid + "/test", null, browser.csrfToken()).json();
        assertThat(tested.get("ok").asBoolean()).as(tested.toString()).isTrue();
    }

    // ------------------------------------------------------------------ Windmill

    @Test
    void windmillListsWorkspacesAndRunnablesAndItsWebhookBecomesAConnector() {
        Browser browser = stack.signedIn(stack.createUser("connect-windmill", "pro").userId());
        String csrf = browser.csrfToken();

        Browser.Response workspaces = browser.send("POST", "/portal/api/windmill/workspaces", "{\"token\":\"wm-good\"}", csrf);
        Browser.Response runnables = browser.send("POST", "/portal/api/windmill/runnables",
                "{\"token\":\"wm-good\",\"workspace\":\"demo\"}", csrf);
        Browser.Response url = browser.send("POST", "/portal/api/windmill/webhook-url",
                "{\"workspace\":\"demo\",\"kind\":\"flow\",\"path\":\"f/demo/onboarding\",\"mode\":\"async\",\"token\":\"wm-hook\"}", csrf);

        conforming("POST", "/portal/api/windmill/workspaces", workspaces);
        conforming("POST", "/portal/api/windmill/runnables", runnables);
        conforming("POST", "/portal/api/windmill/webhook-url", url);
        assertThat(workspaces.json().get("workspaces").toString()).isEqualTo("[{\"id\":\"demo\",\"name\":\"Demo workspace\"}]");
        assertThat(runnables.json().get("runnables").findValuesAsText("path")).containsExactly("f/demo/onboarding", "u/demo/notify");
        assertThat(url.json().get("url").asText()).isEqualTo("https://app.windmill.dev/api/w/demo/jobs/run/f/f/demo/onboarding?token=wm-hook");

        Browser.Response created = browser.send("POST", "/portal/api/v1/connectors", """
                {"type":"windmill","name":"Onboarding","config":{"webhook_url":"%s"},"events":["*"]}""".formatted(
                url.json().get("url").asText()), csrf);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String uuid = created.json().get("uuid").asText();
        JsonNode tested = browser.send("POST", "/portal/api/v1/connectors/" + uuid + "/test", null, csrf).json();
        assertThat(tested.get("ok").asBoolean()).as(tested.toString()).isTrue();
        assertThat(fakes.windmill().received().getLast().path()).isEqualTo("/api/w/demo/jobs/run/f/f/demo/onboarding");
    }

    @Test
    void windmillExplainsARefusedTokenAndARefusedAddress() {
        Browser browser = stack.signedIn(stack.createUser("connect-windmill-bad", "pro").userId());
        String csrf = browser.csrfToken();

        Browser.Response badToken = browser.send("POST", "/portal/api/windmill/workspaces", "{\"token\":\"wm-bad\"}", csrf);
        Browser.Response privateBase = browser.send("POST", "/portal/api/windmill/workspaces",
                "{\"baseUrl\":\"http://10.1.2.3:8000\",\"token\":\"wm-good\"}", csrf);
        Browser.Response metadata = browser.send("POST", "/portal/api/windmill/workspaces",
                "{\"baseUrl\":\"http://169.254.169.254\",\"token\":\"wm-good\"}", csrf);

        assertThat(badToken.status()).isEqualTo(400);
        assertThat(badToken.json().at("/errors/0/field").asText()).isEqualTo("token");
        assertThat(privateBase.status()).isEqualTo(400);
        assertThat(privateBase.json().at("/errors/0/field").asText()).isEqualTo("baseUrl");
        assertThat(metadata.status()).isEqualTo(400);
    }

    private static Map<String, String> callbackParams(String callback) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : URI.create(callback).getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            out.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return out;
    }
}
