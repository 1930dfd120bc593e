package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.config.Settings;
import app.connectors.connector.Connector;
import app.connectors.net.FetchRequest;
import app.connectors.net.FetchResult;
import app.connectors.net.HttpSender;
import app.connectors.net.OutboundRequest;
import app.connectors.net.SendResult;
import app.connectors.oauth.OAuthApps;
import app.connectors.oauth.OAuthTokenRefresher;
import app.connectors.oauth.TokenEndpoint;
import app.connectors.operational.OperationalEvent;
import app.connectors.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A HubSpot connector's OAuth access token in real deliveries: renewed before it expires, renewed
 * once after HubSpot answers 401 and the request made again, and a refused renewal disables the
 * connector and tells the host platform ({@code oauth.refresh_failed}). The refresher is the real
 * one, against a fake HubSpot token endpoint; HubSpot's API is a sender that accepts only the
 * access tokens the endpoint issued last.
 */
class DeliveryCredentialRenewalTest {

    private static final Instant START = DeliveryFixtures.START;
    private static final RetrySchedule SCHEDULE = DeliveryFixtures.THREE_ATTEMPTS;

    @TempDir
    Path keys;

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryDeliveryStore deliveries = new InMemoryDeliveryStore();
    private final List<OperationalEvent> published = new ArrayList<>();
    private final List<RecordingDeliveryQueue.Later> carried = new ArrayList<>();
    /** Refresh tokens HubSpot accepts, and how many access tokens it issued. */
    private final Set<String> validRefreshTokens = new HashSet<>(Set.of("refresh-0"));
    private int issued;
    private int tokenCalls;
    /** The access token HubSpot's API accepts; every other gets a 401. */
    private String acceptedAccessToken = "access-0";
    /** HubSpot's API refuses every token, newly issued ones too (the app lost its scopes). */
    private boolean apiRefusesEveryToken;
    /** How long each send to HubSpot's API takes (by the clock). */
    private Duration sendTakes = Duration.ofMillis(40);
    private final List<String> sentWithTokens = new ArrayList<>();
    private DeliveryFixtures fixtures;
    private DeliveryProcessor processor;

    @BeforeEach
    void setUp() {
        fixtures = new DeliveryFixtures(keys, clock);
        OAuthApps apps = OAuthApps.from(Settings.from(Map.of("HUBSPOT_CLIENT_ID", "hs", "HUBSPOT_CLIENT_SECRET", "hs-secret",
                "ALLOW_PLAIN_HTTP", "true")), name -> null);
        OAuthTokenRefresher refresher = new OAuthTokenRefresher(fixtures.connectors,
                new TokenEndpoint(apps, this::tokenEndpoint, EndpointOverrides.none()), clock, published::add);
        processor = new DeliveryProcessor(new DeliveryStores(deliveries, new InMemoryDestinationStore(), new InMemoryEventStore()),
                new RecordingDeliveryQueue(), fixtures.connectorStore, fixtures.connectors, ConnectorTypeCatalog.standard(),
                fixtures.requests, hubSpotApi(), SCHEDULE, DeliveryTimings.production(), clock, clock::advance,
                app.connectors.operational.OperationalEvents.none(), refresher);
    }

    private FetchResult tokenEndpoint(FetchRequest request) {
        tokenCalls++;
        String form = new String(request.body(), StandardCharsets.UTF_8);
        String used = form.replaceAll(".*refresh_token=([^&]*).*", "$1");
        if (!validRefreshTokens.contains(used)) {
            return answer(400, "{\"status\":\"BAD_REFRESH_TOKEN\",\"error\":\"invalid_grant\",\"message\":\"unknown refresh token\"}");
        }
        issued++;
        acceptedAccessToken = "access-" + issued;
        return answer(200, "{\"access_token\":\"access-" + issued + "\",\"refresh_token\":\"" + used + "\",\"expires_in\":1800}");
    }

    private static FetchResult answer(int status, String json) {
        return new FetchResult.Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }

    private HttpSender hubSpotApi() {
        return (OutboundRequest request) -> {
            String token = request.headers().get("Authorization").substring("Bearer ".length());
            sentWithTokens.add(token);
            clock.advance(sendTakes);
            int status = token.equals(acceptedAccessToken) && !apiRefusesEveryToken ? 201 : 401;
            return new SendResult.Response(status, Map.of(), status == 401 ? "{\"category\":\"EXPIRED_AUTHENTICATION\"}" : "{}",
                    sendTakes);
        };
    }

    private Connector hubspot(Instant expiresAt) {
        return fixtures.create("""
                {"type":"hubspot","name":"CRM","config":{"access_token":"access-0","refresh_token":"refresh-0",
                 "token_expires_at":"%s"},"events":["*"]}""".formatted(expiresAt)).connector();
    }

    private DeliveryJob job(Connector connector) {
        return DeliveryJob.of(FanOutTest.event("tech-product", "Acme Mobile", null), connector.userId(), connector.id());
    }

    private DeliveryOutcome process(DeliveryJob job) {
        return processor.process(job, (carriedJob, delay) -> carried.add(new RecordingDeliveryQueue.Later(carriedJob, delay)));
    }

    private DeliveryRecord record(Connector connector) {
        return deliveries.find(connector.id(), job(connector).deliveryId()).orElseThrow();
    }

    private Connector stored(Connector connector) {
        return fixtures.connectors.get(connector.userId(), connector.id());
    }

    @Test
    void aTokenAboutToExpireIsRenewedBeforeTheDeliveryIsSent() {
        // GIVEN a HubSpot connector whose access token expires in 4 minutes
        Connector connector = hubspot(START.plus(Duration.ofMinutes(4)));
        acceptedAccessToken = "access-1-not-yet";

        // WHEN an event is delivered to it
        DeliveryOutcome outcome = process(job(connector));

        // THEN the token was renewed first, the one request carried the new token, and the attempt
        // names the connector's version it was made with (the renewed one)
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(sentWithTokens).containsExactly("access-1");
        assertThat(issued).isOne();
        assertThat(fixtures.connectors.secretsOf(stored(connector)).config().get("access_token").asText()).isEqualTo("access-1");
        assertThat(record(connector).attempts()).singleElement()
                .satisfies(a -> assertThat(a.connectorVersion()).isEqualTo(stored(connector).version()));
        assertThat(published).isEmpty();
    }

    @Test
    void aTokenFarFromExpiryIsSentAsItIs() {
        Connector connector = hubspot(START.plus(Duration.ofHours(1)));

        assertThat(process(job(connector))).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));

        assertThat(sentWithTokens).containsExactly("access-0");
        assertThat(issued).isZero();
    }

    @Test
    void a401IsFollowedByOneRenewalAndTheRequestMadeOnceMore() {
        // GIVEN a token HubSpot no longer accepts although its expiry is an hour away (revoked, rotated)
        Connector connector = hubspot(START.plus(Duration.ofHours(1)));
        acceptedAccessToken = "access-1-not-yet";

        // WHEN an event is delivered
        DeliveryOutcome outcome = process(job(connector));

        // THEN the 401 renewed the token and the same request went again with it: one attempt, succeeded
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(sentWithTokens).containsExactly("access-0", "access-1");
        assertThat(record(connector).attempts()).singleElement().satisfies(a -> {
            assertThat(a.statusCode()).isEqualTo(201);
            assertThat(a.connectorVersion()).isEqualTo(stored(connector).version());
        });
    }

    @Test
    void a401ToTheRenewedTokenIsNotFollowedByAnotherRenewal() {
        // GIVEN HubSpot's API refuses every token (the app lost its scopes)
        Connector connector = hubspot(START.plus(Duration.ofHours(1)));
        apiRefusesEveryToken = true;

        // WHEN an event is delivered
        DeliveryOutcome outcome = process(job(connector));

        // THEN one renewal, two requests, and the delivery failed with HubSpot's refusal
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        assertThat(sentWithTokens).hasSize(2);
        assertThat(issued).isOne();
        assertThat(record(connector).attempts()).singleElement().satisfies(a -> {
            assertThat(a.statusCode()).isEqualTo(401);
            assertThat(a.error()).startsWith("HTTP 401: HubSpot refused the connector's credentials");
        });
    }

    @Test
    void aRefusedRenewalDisablesTheConnectorAndTellsTheHostOnce() {
        // GIVEN HubSpot refuses the refresh token (the app was uninstalled) and the access token expires soon
        Connector connector = hubspot(START.plus(Duration.ofMinutes(2)));
        validRefreshTokens.clear();
        acceptedAccessToken = "none";

        // WHEN an event is delivered
        DeliveryOutcome outcome = process(job(connector));

        // THEN the connector is disabled with "reconnect HubSpot", and oauth.refresh_failed was published once
        assertThat(outcome).isEqualTo(new DeliveryOutcome.Done(DeliveryState.FAILED));
        assertThat(stored(connector).enabled()).isFalse();
        assertThat(stored(connector).statusReason()).contains("reconnect HubSpot");
        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(OperationalEvent.OAUTH_REFRESH_FAILED);
            assertThat(event.connectorId()).isEqualTo(connector.id());
            assertThat(event.userId()).isEqualTo(connector.userId());
            assertThat(event.connectorType()).isEqualTo("hubspot");
            assertThat(event.reason()).contains("invalid_grant").contains("reconnect HubSpot");
            assertThat(event.details()).containsEntry("provider", "hubspot");
        });
        // and the next delivery is cancelled without asking HubSpot again
        int callsBefore = tokenCalls;
        DeliveryJob next = DeliveryJob.of(FanOutTest.event("evt_next", "tech-product"), connector.userId(), connector.id());
        assertThat(process(next)).isEqualTo(new DeliveryOutcome.Done(DeliveryState.CANCELLED));
        assertThat(tokenCalls).isEqualTo(callsBefore);
        assertThat(published).hasSize(1);
    }

    @Test
    void aRenewedTokenWithoutTimeLeftInTheLeaseIsUsedOnTheNextAttemptNotSentLate() {
        // GIVEN a request to HubSpot that takes 50 of the lease's 57 seconds before its 401
        Connector connector = hubspot(START.plus(Duration.ofHours(1)));
        acceptedAccessToken = "access-1-not-yet";
        sendTakes = Duration.ofSeconds(50);
        DeliveryJob job = job(connector);

        // WHEN it is delivered
        DeliveryOutcome outcome = process(job);

        // THEN the renewed token is not sent inside a lease that could run out: the record is pending
        // again, no attempt counted, its job carried to be made at once
        assertThat(outcome).isInstanceOf(DeliveryOutcome.Carried.class);
        assertThat(sentWithTokens).containsExactly("access-0");
        assertThat(record(connector).state()).isEqualTo(DeliveryState.PENDING);
        assertThat(record(connector).attempts()).isEmpty();
        assertThat(carried).singleElement().satisfies(later -> assertThat(later.delay()).isEqualTo(Duration.ZERO));

        // AND the next attempt sends with the renewed token and succeeds
        sendTakes = Duration.ofMillis(40);
        assertThat(process(carried.get(0).job())).isEqualTo(new DeliveryOutcome.Done(DeliveryState.SUCCEEDED));
        assertThat(sentWithTokens).containsExactly("access-0", "access-1");
    }
}
