package app.connectors.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.account.InMemoryUserStore;
import app.connectors.account.Tier;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.config.Settings;
import app.connectors.connector.ConnectorService;
import app.connectors.connector.ConnectorValidator;
import app.connectors.connector.DestinationUrlPolicy;
import app.connectors.connector.FakeSsrfGuard;
import app.connectors.connector.InMemoryConnectorStore;
import app.connectors.crypto.LocalKeyFileDataKeySource;
import app.connectors.crypto.SecretCipher;
import app.connectors.delivery.EndpointOverrides;
import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import app.connectors.net.FetchRequest;
import app.connectors.net.FetchResult;
import app.connectors.net.SendResult;
import app.connectors.portal.ActiveSession;
import app.connectors.portal.InMemoryPortalStore;
import app.connectors.portal.PortalSessions;
import app.connectors.problem.LimitExceededException;
import app.connectors.problem.ValidationException;
import app.connectors.testing.MutableClock;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Connect flow's rules, over in-memory stores and a scripted token endpoint. */
class ConnectFlowTest {

    private static final String REDIRECT = "https://portal.example.com/portal/oauth/slack/callback";
    private static final String SLACK_HOOK = "https://hooks.slack.com/services/T0001/B0001/secretpart123";

    @TempDir
    Path keys;

    private final MutableClock clock = new MutableClock();
    private final InMemoryUserStore users = new InMemoryUserStore(clock);
    private final InMemoryConnectorStore connectorStore = new InMemoryConnectorStore(users);
    private final InMemoryOAuthStateStore states = new InMemoryOAuthStateStore();
    private final PortalSessions sessions = new PortalSessions(new InMemoryPortalStore(), users, clock);
    private final FakeSsrfGuard guard = new FakeSsrfGuard();
    /** What the token endpoint answers next, and what it was sent. */
    private final AtomicReference<FetchResult> tokenAnswer = new AtomicReference<>();
    private final List<FetchRequest> sent = new ArrayList<>();
    private ConnectorService connectors;
    private ConnectFlow flow;

    @BeforeEach
    void setUp() {
        var validator = new ConnectorValidator(ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                new DestinationUrlPolicy(guard, false), source -> Optional.empty());
        connectors = new ConnectorService(connectorStore, users, validator, ConnectorTypeCatalog.standard(),
                new SecretCipher(new LocalKeyFileDataKeySource(keys.resolve("k")), clock), clock, id -> Optional.empty());
        OAuthApps apps = OAuthApps.from(Settings.from(Map.of("SLACK_CLIENT_ID", "slack-client", "SLACK_CLIENT_SECRET", "slack-secret",
                "DISCORD_CLIENT_ID", "discord-client", "DISCORD_CLIENT_SECRET", "discord-secret", "ALLOW_PLAIN_HTTP", "true")),
                name -> { throw new AssertionError("no parameter store locally"); });
        TokenEndpoint tokens = new TokenEndpoint(apps, request -> {
            sent.add(request);
            return tokenAnswer.get();
        }, EndpointOverrides.none());
        flow = new ConnectFlow(apps, states, connectors, tokens, EndpointOverrides.none(), clock);
        users.upsert("user-42", Tier.PRO);
        users.upsert("mallory", Tier.PRO);
        slackGrants(SLACK_HOOK);
    }

    private void slackGrants(String hook) {
        tokenAnswer.set(answer(200, """
                {"ok":true,"access_token":"xoxb-1","incoming_webhook":{"url":"%s","channel":"#eng","channel_id":"C1"}}""".formatted(hook)));
    }

    private static FetchResult answer(int status, String json) {
        return new FetchResult.Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }

    private ActiveSession session(String user) {
        var link = sessions.mintLink(user);
        return ((PortalSessions.Opening.Opened) sessions.open(link.code())).session();
    }

    private static ConnectRequest request(String json) {
        return ConnectRequest.read(Json.MAPPER.valueToTree(Json.read(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))));
    }

    private static final String ENG = "{\"name\":\"Eng\",\"events\":[\"promise.status_changed\"]}";

    /** The state the provider would send back, read from the authorize URL. */
    private static String stateOf(URI authorize) {
        for (String pair : authorize.getRawQuery().split("&")) {
            if (pair.startsWith("state=")) {
                return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no state in " + authorize);
    }

    private static ConnectFlow.CallbackParams callback(String code, String state) {
        Map<String, String> query = new HashMap<>();
        query.put("code", code);
        query.put("state", state);
        return ConnectFlow.CallbackParams.of(query);
    }

    @Test
    void theAuthorizeUrlAsksForTheProvidersScopeWithTheExactRedirectAndNoSecret() {
        URI authorize = flow.begin(session("user-42"), OAuthProvider.SLACK, request(ENG), REDIRECT);

        assertThat(authorize.toString()).startsWith("https://slack.com/oauth/v2/authorize?client_id=slack-client&scope=incoming-webhook")
                .contains("redirect_uri=" + REDIRECT.replace(":", "%3A").replace("/", "%2F"))
                .doesNotContain("slack-secret");
        assertThat(states.pending()).hasSize(1);
        assertThat(states.pending().values().iterator().next().redirectUri()).isEqualTo(REDIRECT);
    }

    @Test
    void aCallbackInTheSameSessionCreatesTheConnectorFromTheProvidersAnswer() {
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));

        var connected = flow.complete(session, OAuthProvider.SLACK, callback("code-1", state));

        var connector = connectors.get("user-42", connected.connectorId());
        assertThat(connector.type()).isEqualTo("slack");
        assertThat(connector.name()).isEqualTo("Eng");
        assertThat(connector.publicConfig().path("channel").asText()).isEqualTo("#eng");
        assertThat(connectors.secretsOf(connector).config().path("webhook_url").asText()).isEqualTo(SLACK_HOOK);
        String form = new String(sent.getFirst().body(), StandardCharsets.UTF_8);
        assertThat(form).contains("code=code-1", "client_secret=slack-secret",
                "redirect_uri=" + java.net.URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8));
    }

    @Test
    void aStateWorksOnce() {
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));
        flow.complete(session, OAuthProvider.SLACK, callback("code-1", state));

        assertThatThrownBy(() -> flow.complete(session, OAuthProvider.SLACK, callback("code-1", state)))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.REPLAYED));
        assertThat(connectorStore.list("user-42", 10, null).items()).hasSize(1);
        assertThat(sent).hasSize(1);
    }

    @Test
    void aStateFromAnotherSessionIsRefusedAndStaysUsableByItsOwner() {
        // GIVEN mallory starts a flow (she holds the state and could get a victim to open its callback)
        ActiveSession mallory = session("mallory");
        String state = stateOf(flow.begin(mallory, OAuthProvider.SLACK, request(ENG), REDIRECT));
        ActiveSession victim = session("user-42");

        // THEN the victim's session cannot complete it, and nothing is exchanged or stored
        assertThat(flow.belongsTo(victim, OAuthProvider.SLACK, state)).isFalse();
        assertThatThrownBy(() -> flow.complete(victim, OAuthProvider.SLACK, callback("victims-code", state)))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.WRONG_SESSION));
        assertThat(sent).isEmpty();
        assertThat(connectorStore.list("user-42", 10, null).items()).isEmpty();
        assertThat(connectorStore.list("mallory", 10, null).items()).isEmpty();
        assertThat(states.pending()).hasSize(1);
    }

    @Test
    void anotherSessionOfTheSameUserCannotFinishEither() {
        ActiveSession first = session("user-42");
        String state = stateOf(flow.begin(first, OAuthProvider.SLACK, request(ENG), REDIRECT));

        assertThatThrownBy(() -> flow.complete(session("user-42"), OAuthProvider.SLACK, callback("c", state)))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.WRONG_SESSION));
    }

    @Test
    void aStateExpiresAfterTenMinutes() {
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));

        clock.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> flow.complete(session, OAuthProvider.SLACK, callback("c", state)))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.EXPIRED));
        assertThat(sent).isEmpty();
    }

    @Test
    void aForgedOrTamperedStateIsRefusedBeforeAnyLookup() {
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));
        String[] parts = state.split("\\.");
        String longerLife = parts[0] + "." + (Long.parseLong(parts[1]) + 3600) + "." + parts[2];

        for (String forged : new String[] {null, "", "abc", longerLife, state + "x", parts[0] + "." + parts[1] + ".AAAA"}) {
            assertThatThrownBy(() -> flow.complete(session, OAuthProvider.SLACK, callback("c", forged))).as(String.valueOf(forged))
                    .isInstanceOf(ConnectFailure.class)
                    .satisfies(f -> assertThat(((ConnectFailure) f).reason()).isIn(ConnectFailure.Reason.INVALID_STATE,
                            ConnectFailure.Reason.WRONG_SESSION));
        }
        assertThat(states.pending()).hasSize(1);
    }

    @Test
    void aStateForOneProviderDoesNotFinishAnother() {
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));

        assertThatThrownBy(() -> flow.complete(session, OAuthProvider.DISCORD, callback("c", state)))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.WRONG_SESSION));
    }

    @Test
    void aDeniedConsentStoresNothingAndUsesUpTheState() {
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));

        assertThatThrownBy(() -> flow.complete(session, OAuthProvider.SLACK,
                ConnectFlow.CallbackParams.of(Map.of("error", "access_denied", "state", state))))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.DENIED));
        assertThat(states.pending()).isEmpty();
        assertThat(sent).isEmpty();
        assertThat(connectorStore.list("user-42", 10, null).items()).isEmpty();
    }

    @Test
    void aRefusedCodeIsAProviderErrorNamingTheProvidersReason() {
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));
        tokenAnswer.set(answer(200, "{\"ok\":false,\"error\":\"invalid_code\"}"));

        assertThatThrownBy(() -> flow.complete(session, OAuthProvider.SLACK, callback("c", state)))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.PROVIDER_ERROR);
                    assertThat(f.getMessage()).contains("invalid_code").doesNotContain("slack-secret");
                });
        assertThat(connectorStore.list("user-42", 10, null).items()).isEmpty();
    }

    @Test
    void anUnreachableProviderIsAProviderError() {
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));
        tokenAnswer.set(new FetchResult.Unreachable(SendResult.FailureKind.TIMEOUT, "no answer from https://slack.com within 10000 ms"));

        assertThatThrownBy(() -> flow.complete(session, OAuthProvider.SLACK, callback("c", state)))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.PROVIDER_ERROR));
    }

    @Test
    void aWebhookUrlOnAPrivateAddressIsRefusedByTheConnectorRules() {
        // The provider is answered by whoever controls its DNS or the token endpoint: its URL is judged like a typed one.
        guard.refuse("hooks.slack.com", "10.0.0.7 is a private address (10.0.0.0/8)");
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));

        assertThatThrownBy(() -> flow.complete(session, OAuthProvider.SLACK, callback("c", state)))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.REFUSED);
                    assertThat(f.getMessage()).contains("private address");
                });
        assertThat(connectorStore.list("user-42", 10, null).items()).isEmpty();
    }

    @Test
    void aWebhookUrlOffTheProvidersHostIsRefused() {
        slackGrants("https://attacker.example/services/T1/B1/x");
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));

        assertThatThrownBy(() -> flow.complete(session, OAuthProvider.SLACK, callback("c", state)))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.REFUSED));
    }

    @Test
    void aBadDraftIsRefusedBeforeTheUserLeaves() {
        ActiveSession session = session("user-42");

        assertThatThrownBy(() -> flow.begin(session, OAuthProvider.SLACK, request("{\"name\":\"Eng\",\"events\":[\"no.such.event\"]}"), REDIRECT))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().getFirst().field()).isEqualTo("events[0]"));
        assertThat(states.pending()).isEmpty();
    }

    @Test
    void aFullPlanIsRefusedBeforeTheUserLeaves() {
        users.upsert("free-user", Tier.FREE);

        assertThatThrownBy(() -> flow.begin(session("free-user"), OAuthProvider.SLACK, request(ENG), REDIRECT))
                .isInstanceOf(LimitExceededException.class);
        assertThat(states.pending()).isEmpty();
    }

    @Test
    void anUnconfiguredProviderIsNotOffered() {
        assertThat(flow.available()).containsExactly(OAuthProvider.SLACK, OAuthProvider.DISCORD);
        assertThatThrownBy(() -> flow.begin(session("user-42"), OAuthProvider.HUBSPOT, request(ENG), REDIRECT))
                .isInstanceOfSatisfying(ConnectFailure.class, f -> assertThat(f.reason()).isEqualTo(ConnectFailure.Reason.NOT_CONFIGURED));
    }

    @Test
    void reconnectingReplacesTheCredentialsAndTurnsTheConnectorBackOn() {
        ActiveSession session = session("user-42");
        String first = stateOf(flow.begin(session, OAuthProvider.SLACK, request(ENG), REDIRECT));
        String id = flow.complete(session, OAuthProvider.SLACK, callback("c1", first)).connectorId();
        connectors.disable("user-42", id, connectors.get("user-42", id).version(), "Slack answered 404: reconnect Slack");
        slackGrants("https://hooks.slack.com/services/T0001/B0002/newsecret456");

        String second = stateOf(flow.begin(session, OAuthProvider.SLACK, request("{\"connectorId\":\"" + id + "\"}"), REDIRECT));
        var reconnected = flow.complete(session, OAuthProvider.SLACK, callback("c2", second));

        var connector = connectors.get("user-42", id);
        assertThat(reconnected.reconnected()).isTrue();
        assertThat(connector.enabled()).isTrue();
        assertThat(connectors.secretsOf(connector).config().path("webhook_url").asText()).endsWith("newsecret456");
        assertThat(connector.name()).isEqualTo("Eng");
    }

    @Test
    void discordSendsTheClientAsBasicAuthAndTakesTheAnswersWebhook() {
        ActiveSession session = session("user-42");
        String state = stateOf(flow.begin(session, OAuthProvider.DISCORD, request(ENG), REDIRECT));
        tokenAnswer.set(answer(200, """
                {"access_token":"a","token_type":"Bearer","webhook":{"id":"123456789012345678","token":"tok_en-1",
                 "url":"https://discord.com/api/webhooks/123456789012345678/tok_en-1","channel_id":"99","guild_id":"77"}}"""));

        var connected = flow.complete(session, OAuthProvider.DISCORD, callback("c", state));

        assertThat(sent.getFirst().headers().get("Authorization")).isEqualTo("Basic "
                + java.util.Base64.getEncoder().encodeToString("discord-client:discord-secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(sent.getFirst().body(), StandardCharsets.UTF_8)).doesNotContain("discord-secret");
        assertThat(connectors.get("user-42", connected.connectorId()).type()).isEqualTo("discord");
    }

    @Test
    void aClientSecretInTheEnvironmentIsRefusedOutsideTheLocalStack() {
        assertThatThrownBy(() -> OAuthApps.from(Settings.from(Map.of("SLACK_CLIENT_ID", "x", "SLACK_CLIENT_SECRET", "y")), n -> "z"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SecureString");
    }

    @Test
    void onAwsTheClientSecretComesFromTheParameterStoreOnce() {
        List<String> asked = new ArrayList<>();
        OAuthApps apps = OAuthApps.from(Settings.from(Map.of("HUBSPOT_CLIENT_ID", "hs", "OAUTH_SECRETS_PATH", "/connectors/oauth/")),
                name -> {
                    asked.add(name);
                    return "from-ssm";
                });

        assertThat(apps.clientSecret(OAuthProvider.HUBSPOT)).isEqualTo("from-ssm");
        assertThat(apps.clientSecret(OAuthProvider.HUBSPOT)).isEqualTo("from-ssm");
        assertThat(asked).containsExactly("/connectors/oauth/hubspot-client-secret");
    }
}
