package app.connectors.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.account.InMemoryUserStore;
import app.connectors.account.Tier;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.config.Settings;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorInput;
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
import app.connectors.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HubSpot token refresh: ahead of expiry, once after a 401, never losing a token to a concurrent refresh. */
class OAuthTokenRefresherTest {

    @TempDir
    Path keys;

    private final MutableClock clock = new MutableClock();
    private final InMemoryUserStore users = new InMemoryUserStore(clock);
    private final InMemoryConnectorStore store = new InMemoryConnectorStore(users);
    /** The fake token endpoint's state: valid refresh tokens, and how many refreshes it answered. */
    private final Set<String> validRefreshTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();
    private volatile boolean rotate;
    /** The expires_in the fake token endpoint answers (JSON text). */
    private volatile String expiresIn = "1800";
    private final List<String> sentForms = java.util.Collections.synchronizedList(new ArrayList<>());
    private ConnectorService connectors;
    private OAuthTokenRefresher refresher;

    @BeforeEach
    void setUp() {
        var validator = new ConnectorValidator(ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                new DestinationUrlPolicy(new FakeSsrfGuard(), false), source -> Optional.empty());
        connectors = new ConnectorService(store, users, validator, ConnectorTypeCatalog.standard(),
                new SecretCipher(new LocalKeyFileDataKeySource(keys.resolve("k")), clock), clock, id -> Optional.empty());
        OAuthApps apps = OAuthApps.from(Settings.from(Map.of("HUBSPOT_CLIENT_ID", "hs", "HUBSPOT_CLIENT_SECRET", "hs-secret",
                "ALLOW_PLAIN_HTTP", "true")), name -> null);
        refresher = new OAuthTokenRefresher(connectors, new TokenEndpoint(apps, this::tokenEndpoint, EndpointOverrides.none()), clock);
        users.upsert("user-42", Tier.PRO);
        validRefreshTokens.add("refresh-0");
    }

    /** Runs once inside the next token call, before it answers: another request's refresh, deterministically interleaved. */
    private volatile Runnable duringNextCall;

    /** A HubSpot token endpoint: refresh tokens stay valid unless rotation is on. */
    private FetchResult tokenEndpoint(FetchRequest request) {
        Runnable interleaved = duringNextCall;
        if (interleaved != null) {
            duringNextCall = null;
            interleaved.run();
        }
        String form = new String(request.body(), StandardCharsets.UTF_8);
        sentForms.add(form);
        String used = form.replaceAll(".*refresh_token=([^&]*).*", "$1");
        if (!form.contains("grant_type=refresh_token") || !validRefreshTokens.contains(used)) {
            return answer(400, "{\"status\":\"BAD_REFRESH_TOKEN\",\"error\":\"invalid_grant\",\"message\":\"missing or unknown refresh token\"}");
        }
        int n = issued.incrementAndGet();
        String refresh = used;
        if (rotate) {
            validRefreshTokens.remove(used);
            refresh = "refresh-" + n;
            validRefreshTokens.add(refresh);
        }
        return answer(200, "{\"access_token\":\"access-" + n + "\",\"refresh_token\":\"" + refresh + "\",\"expires_in\":" + expiresIn + "}");
    }

    private static FetchResult answer(int status, String json) {
        return new FetchResult.Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }

    private Connector hubspot(String expiresAt) {
        var config = Json.object().put("access_token", "access-0").put("refresh_token", "refresh-0");
        if (expiresAt != null) {
            config.put("token_expires_at", expiresAt);
        }
        return connectors.create("user-42", new ConnectorInput("hubspot", "CRM", config, Json.MAPPER.valueToTree(List.of("*")), null,
                null, false, null, null, null)).connector();
    }

    private String accessToken(Connector connector) {
        return connectors.secretsOf(connector).config().get("access_token").asText();
    }

    private Connector stored(Connector connector) {
        return connectors.get(connector.userId(), connector.id());
    }

    @Test
    void aTokenFarFromExpiryIsUsedAsItIs() {
        Connector connector = hubspot(clock.instant().plus(Duration.ofMinutes(20)).toString());

        assertThat(refresher.beforeSend(connector)).isSameAs(connector);
        assertThat(sentForms).isEmpty();
    }

    @Test
    void anAbsurdLifetimeInTheAnswerStoresNothingAndTheSendGoesAheadWithTheOldToken() {
        Connector connector = hubspot(clock.instant().plus(Duration.ofMinutes(4)).toString());

        for (String absurd : List.of("9223372036854775807", "1e300", "-5", "\"soon\"")) {
            expiresIn = absurd;
            assertThat(refresher.beforeSend(connector)).as(absurd).isSameAs(connector);
            assertThat(refresher.afterUnauthorized(connector)).as(absurd).isEmpty();
        }

        Connector after = stored(connector);
        assertThat(after.enabled()).isTrue();
        assertThat(after.version()).isEqualTo(connector.version());
        assertThat(accessToken(after)).isEqualTo("access-0");
    }

    @Test
    void aTokenExpiringWithinFiveMinutesIsRefreshedFirst() {
        Connector connector = hubspot(clock.instant().plus(Duration.ofMinutes(4)).toString());

        Connector fresh = refresher.beforeSend(connector);

        assertThat(accessToken(fresh)).isEqualTo("access-1");
        assertThat(accessToken(stored(connector))).isEqualTo("access-1");
        assertThat(fresh.publicConfig().get("token_expires_at").asText()).isEqualTo(clock.instant().plusSeconds(1800).toString());
        assertThat(connectors.secretsOf(fresh).config().get("refresh_token").asText()).isEqualTo("refresh-0");
        assertThat(sentForms.getFirst()).contains("grant_type=refresh_token", "client_secret=hs-secret");
    }

    @Test
    void aRenewalChangesOnlyTheCredentialsAndTheVersion() {
        // GIVEN a connector its owner last changed an hour ago, about to expire
        Connector connector = hubspot(clock.instant().plus(Duration.ofMinutes(64)).toString());
        clock.advance(Duration.ofHours(1));

        Connector fresh = refresher.beforeSend(connector);

        // THEN the owner's last change, the status and the events are as they were (a renewal is not a fix)
        assertThat(fresh.updatedAt()).isEqualTo(connector.updatedAt());
        assertThat(stored(connector).updatedAt()).isEqualTo(connector.updatedAt());
        assertThat(stored(connector).events()).isEqualTo(connector.events());
        assertThat(stored(connector).version()).isEqualTo(connector.version() + 1);
        assertThat(accessToken(stored(connector))).isEqualTo("access-1");
    }

    @Test
    void anOwnersEditReadBeforeARenewalCannotWriteTheOldTokenBack() {
        Connector connector = hubspot(clock.instant().plus(Duration.ofMinutes(4)).toString());
        refresher.beforeSend(connector);

        // WHEN the owner's edit, made on the version they read before the renewal, arrives
        var edit = new ConnectorInput(null, "Renamed", null, null, null, null, false, null, connector.version(), null);

        // THEN it is refused as stale, and the renewed token stays
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> connectors.update("user-42", connector.id(), edit))
                .isInstanceOf(app.connectors.problem.ConflictException.class);
        assertThat(accessToken(stored(connector))).isEqualTo("access-1");
    }

    @Test
    void aHandPastedTokenWithoutExpiryIsRefreshedOnlyAfterA401() {
        Connector connector = hubspot(null);

        assertThat(refresher.beforeSend(connector)).isSameAs(connector);
        Optional<Connector> retry = refresher.afterUnauthorized(connector);

        assertThat(retry).get().extracting(this::accessToken).isEqualTo("access-1");
    }

    @Test
    void aRefusedRefreshDisablesTheConnectorWithReconnectHubSpot() {
        Connector connector = hubspot(clock.instant().plus(Duration.ofMinutes(20)).toString());
        validRefreshTokens.clear();

        Optional<Connector> retry = refresher.afterUnauthorized(connector);

        assertThat(retry).isEmpty();
        Connector disabled = stored(connector);
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.statusReason()).contains("reconnect HubSpot");
        assertThat(accessToken(disabled)).isEqualTo("access-0");
    }

    @Test
    void after401AnotherRequestsRefreshIsUsedWithoutRefreshingAgain() {
        Connector connector = hubspot(clock.instant().plus(Duration.ofMinutes(20)).toString());
        Connector refreshedElsewhere = refresher.afterUnauthorized(connector).orElseThrow();

        Optional<Connector> retry = refresher.afterUnauthorized(connector);

        assertThat(retry).get().extracting(this::accessToken).isEqualTo(accessToken(refreshedElsewhere));
        assertThat(issued.get()).isOne();
    }

    @Test
    void aRefreshThatLosesTheWriteUsesTheWinnersTokenAndOverwritesNothing() {
        // GIVEN a refresh during which another request refreshes and writes first
        Connector connector = hubspot(clock.instant().plus(Duration.ofMinutes(20)).toString());
        List<Connector> winner = new ArrayList<>();
        duringNextCall = () -> winner.add(refresher.afterUnauthorized(connector).orElseThrow());

        // WHEN the first refresh gets its own (later) answer and tries to write it
        Connector used = refresher.afterUnauthorized(connector).orElseThrow();

        // THEN its conditional write failed: the winner's token stays stored and is the one used
        assertThat(issued.get()).isEqualTo(2);
        assertThat(accessToken(winner.getFirst())).isEqualTo("access-1");
        assertThat(accessToken(stored(connector))).isEqualTo("access-1");
        assertThat(accessToken(used)).isEqualTo("access-1");
        assertThat(stored(connector).version()).isEqualTo(connector.version() + 1);
    }

    @Test
    void concurrentRefreshesNeverLoseAToken() throws Exception {
        concurrentRefreshes(false);
    }

    @Test
    void aStaleCopyWhoseRefreshTokenWasRotatedMeanwhileUsesTheStoredOne() {
        // GIVEN a delivery holding the connector as it was before another delivery refreshed (and the
        // provider rotated the refresh token)
        rotate = true;
        Connector stale = hubspot(clock.instant().plus(Duration.ofMinutes(4)).toString());
        Connector refreshed = refresher.beforeSend(stale);

        // WHEN the stale copy is about to be sent, its refresh token now refused
        Connector used = refresher.beforeSend(stale);

        // THEN it takes the stored tokens instead of disabling the connector
        assertThat(accessToken(used)).isEqualTo(accessToken(refreshed));
        assertThat(stored(stale).enabled()).isTrue();
    }

    private void concurrentRefreshes(boolean rotating) throws Exception {
        // GIVEN a connector whose token HubSpot just refused, seen by 12 concurrent deliveries
        rotate = rotating;
        Connector connector = hubspot(clock.instant().plus(Duration.ofMinutes(20)).toString());
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<Connector>>> results = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Callable<Optional<Connector>> refresh = () -> {
                go.await();
                return refresher.afterUnauthorized(connector);
            };
            results.add(pool.submit(refresh));
        }

        // WHEN they all refresh at once
        go.countDown();
        List<Connector> retries = new ArrayList<>();
        for (Future<Optional<Connector>> result : results) {
            retries.add(result.get().orElseThrow(() -> new AssertionError("a delivery got no token to retry with")));
        }
        pool.shutdown();

        // THEN the stored connector is enabled and holds a refresh token HubSpot still accepts, and every
        // delivery retries with an access token HubSpot issued
        Connector stored = stored(connector);
        assertThat(stored.enabled()).isTrue();
        assertThat(validRefreshTokens).contains(connectors.secretsOf(stored).config().get("refresh_token").asText());
        assertThat(retries).allSatisfy(retry -> assertThat(accessToken(retry)).startsWith("access-").isNotEqualTo("access-0"));
        // and the next refresh still works
        assertThat(refresher.afterUnauthorized(stored)).isPresent();
    }

    @Test
    void otherConnectorTypesAreLeftAlone() {
        Connector slack = connectors.create("user-42", new ConnectorInput("slack", "Eng", Json.object()
                .put("webhook_url", "https://hooks.slack.com/services/T1/B1/x"), Json.MAPPER.valueToTree(List.of("*")), null, null,
                false, null, null, null)).connector();

        assertThat(refresher.handles(slack)).isFalse();
        assertThat(refresher.beforeSend(slack)).isSameAs(slack);
        assertThat(refresher.afterUnauthorized(slack)).isEmpty();
    }
}
