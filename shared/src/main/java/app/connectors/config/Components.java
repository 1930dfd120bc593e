package app.connectors.config;

import app.connectors.account.AccountService;
import app.connectors.account.DynamoDbUserStore;
import app.connectors.account.UserStore;
import app.connectors.auth.DynamoDbTokenStore;
import app.connectors.auth.TokenService;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.ConnectorService;
import app.connectors.connector.ConnectorStore;
import app.connectors.connector.ConnectorValidator;
import app.connectors.connector.DestinationUrlPolicy;
import app.connectors.connector.DynamoDbConnectorStore;
import app.connectors.connector.TransformationCheck;
import app.connectors.crypto.SecretCipher;
import app.connectors.idempotency.DynamoDbIdempotencyStore;
import app.connectors.idempotency.IdempotencyService;
import app.connectors.delivery.ConnectorTester;
import app.connectors.delivery.DeliveryLog;
import app.connectors.delivery.DeliveryProcessor;
import app.connectors.delivery.DeliveryQueue;
import app.connectors.delivery.DeliveryStore;
import app.connectors.delivery.DeliveryStores;
import app.connectors.delivery.DeliveryTimings;
import app.connectors.delivery.DynamoDbDeliveryStore;
import app.connectors.delivery.DynamoDbFanOutLeases;
import app.connectors.delivery.FanOutLeases;
import app.connectors.delivery.DynamoDbDestinationStore;
import app.connectors.delivery.DynamoDbEventStore;
import app.connectors.delivery.EventStore;
import app.connectors.delivery.Reconciler;
import app.connectors.delivery.EndpointOverrides;
import app.connectors.delivery.FanOut;
import app.connectors.delivery.RequestFactory;
import app.connectors.delivery.RetrySchedule;
import app.connectors.delivery.SqsDeliveryQueue;
import app.connectors.delivery.DynamoDbSubscriptionStore;
import app.connectors.delivery.SubscriptionStore;
import app.connectors.net.GuardedHttpSender;
import app.connectors.net.HttpSender;
import app.connectors.net.SenderConfig;
import app.connectors.operational.OperationalEvents;
import app.connectors.operational.SnsOperationalEvents;
import app.connectors.operational.SqsOperationalEvents;
import app.connectors.problem.FieldError;
import app.connectors.signing.StandardWebhookSigner;
import app.connectors.net.HttpFetcher;
import app.connectors.oauth.ConnectFlow;
import app.connectors.oauth.DynamoDbOAuthStateStore;
import app.connectors.oauth.OAuthApps;
import app.connectors.oauth.OAuthTokenRefresher;
import app.connectors.oauth.TokenEndpoint;
import app.connectors.portal.DynamoDbPortalStore;
import app.connectors.windmill.WindmillClient;
import app.connectors.portal.PortalSessions;
import app.connectors.portal.PortalStore;
import app.connectors.template.DynamoDbTemplateStore;
import app.connectors.template.TemplateService;
import app.connectors.template.TemplateStore;
import app.connectors.transform.TransformationEngine;
import software.amazon.awssdk.services.sqs.SqsClient;
import app.connectors.event.EventCatalog;
import app.connectors.filter.DynamoDbPatternStore;
import app.connectors.filter.StoredPatterns;
import app.connectors.net.AllowedTarget;
import app.connectors.net.DefaultSsrfGuard;
import app.connectors.net.HostResolver;
import app.connectors.net.SsrfGuard;
import app.connectors.trace.TracedHttpSender;
import app.connectors.trace.Tracer;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Builds the service's components from {@link Settings}, each at most once (lazily, so a function
 * builds only the clients its routes use). A handler keeps one instance for the life of its
 * execution environment; tests pass their own resolver or clock.
 *
 * <pre>{@code
 * Components components = Components.from(Settings.from(System.getenv()));
 * ConnectorService connectors = components.connectorService();
 * }</pre>
 */
public final class Components {

    private final Settings settings;
    private final HostResolver resolver;
    private final Clock clock;

    private final Lazy<DynamoDbClient> dynamoDb;
    private final Lazy<UserStore> users;
    private final Lazy<TokenService> tokens;
    private final Lazy<SecretCipher> cipher;
    private final Lazy<ConnectorStore> connectorStore;
    private final Lazy<StoredPatterns> storedPatterns;
    private final Lazy<ConnectorService> connectors;
    private final Lazy<SsrfGuard> ssrfGuard;
    private final Lazy<SqsClient> sqs;
    private final Lazy<GuardedHttpSender> sender;
    /** The sender's deliveries and fetches as subsegments of the invocation's trace (when there is a daemon to send them to). */
    private final Lazy<TracedHttpSender> tracedSender;
    private final Lazy<TransformationEngine> transformations;
    private final Lazy<RequestFactory> requests;
    private final Lazy<DeliveryStore> deliveryStore;
    private final Lazy<EventStore> eventStore;
    private final Lazy<DeliveryQueue> deliveryQueue;
    private final Lazy<DeliveryProcessor> deliveryProcessor;
    private final Lazy<TemplateStore> templateStore;
    private final Lazy<OperationalEvents> operationalEvents;
    private final Lazy<IdempotencyService> idempotency;
    private final Lazy<PortalStore> portalStore;
    private final Lazy<EndpointOverrides> overrides;
    private final Lazy<OAuthApps> oauthApps;

    public Components(Settings settings, HostResolver resolver, Clock clock) {
        this.settings = settings;
        this.resolver = resolver;
        this.clock = clock;
        this.dynamoDb = Lazy.of(() -> AwsClients.dynamoDb(settings));
        this.users = Lazy.of(() -> new DynamoDbUserStore(dynamoDb.get(), settings.usersTable(), clock));
        this.tokens = Lazy.of(() -> new TokenService(new DynamoDbTokenStore(dynamoDb.get(), settings.tokensTable()),
                users.get(), clock));
        this.cipher = Lazy.of(() -> SecretCipher.from(settings));
        this.connectorStore = Lazy.of(() -> new DynamoDbConnectorStore(dynamoDb.get(), settings.usersTable(),
                settings.connectorsTable(), settings.subscriptionsTable(), settings.filterPatternsTable()));
        // Kept for the execution environment: patterns never change under their digest, so nothing goes stale.
        this.storedPatterns = Lazy.of(() -> new StoredPatterns(new DynamoDbPatternStore(dynamoDb.get(),
                settings.filterPatternsTable()), EventCatalog.standard()));
        this.ssrfGuard = Lazy.of(this::buildSsrfGuard);
        this.idempotency = Lazy.of(() -> new IdempotencyService(
                new DynamoDbIdempotencyStore(dynamoDb.get(), settings.required(Settings.IDEMPOTENCY_TABLE)), cipher.get(), clock));
        this.templateStore = Lazy.of(() -> new DynamoDbTemplateStore(dynamoDb.get(), settings.required(Settings.TEMPLATES_TABLE)));
        this.portalStore = Lazy.of(() -> new DynamoDbPortalStore(dynamoDb.get(), settings.required(Settings.PORTAL_TABLE)));
        this.sqs = Lazy.of(() -> AwsClients.sqs(settings));
        this.operationalEvents = Lazy.of(this::buildOperationalEvents);
        this.sender = Lazy.of(() -> new GuardedHttpSender(ssrfGuard.get(), SenderConfig.fromEnvironment(settings.environment())));
        this.tracedSender = Lazy.of(() -> TracedHttpSender.around(sender.get(), Tracer.fromEnvironment(settings.environment())));
        this.transformations = Lazy.of(TransformationEngine::new);
        this.overrides = Lazy.of(() -> EndpointOverrides.parse(settings.endpointOverrides().orElse(null)));
        // The engine is built only when a connector with a transformation is first prepared: most
        // deliveries need none, and building it is the heaviest part of a cold start.
        this.requests = Lazy.of(() -> new RequestFactory(ConnectorTypeCatalog.standard(), transformations,
                new StandardWebhookSigner(), clock, overrides.get()));
        this.oauthApps = Lazy.of(() -> OAuthApps.from(settings, name -> {
            try (var ssm = AwsClients.ssm(settings)) {
                return ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
            }
        }));
        this.deliveryStore = Lazy.of(() -> new DynamoDbDeliveryStore(dynamoDb.get(), settings.deliveriesTable()));
        this.eventStore = Lazy.of(() -> new DynamoDbEventStore(dynamoDb.get(), settings.required(Settings.DELIVERY_EVENTS_TABLE),
                clock));
        this.deliveryQueue = Lazy.of(() -> new SqsDeliveryQueue(sqs.get(), settings.required(Settings.DELIVERIES_QUEUE_URL),
                settings.required(Settings.DELIVERIES_DLQ_URL), eventStore.get()));
        this.deliveryProcessor = Lazy.of(this::buildDeliveryProcessor);
        this.connectors = Lazy.of(() -> new ConnectorService(connectorStore.get(), users.get(),
                new ConnectorValidator(ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                        new DestinationUrlPolicy(ssrfGuard.get(), settings.allowPlainHttp())
                                .withRefusalHint(settings.optional(Settings.SSRF_REFUSAL_HINT).orElse(null)), transformationCheck()),
                ConnectorTypeCatalog.standard(), cipher.get(), clock, id -> TemplateService.isValidId(id) ? templateStore.get().find(id) : java.util.Optional.empty(),
                operationalEvents.get()));
    }

    public static Components from(Settings settings) {
        return new Components(settings, HostResolver.system(), SERVICE_CLOCK);
    }

    /**
     * The service's time, in whole milliseconds: every timestamp it stores or shows is RFC 3339 with
     * at most three fractional digits (the system clock has microseconds), the precision events carry.
     */
    public static final Clock SERVICE_CLOCK = Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1));

    public Settings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    public UserStore users() {
        return users.get();
    }

    public TokenService tokens() {
        return tokens.get();
    }

    public AccountService accounts() {
        return new AccountService(users.get(), tokens.get());
    }

    public SecretCipher cipher() {
        return cipher.get();
    }

    public ConnectorStore connectorStore() {
        return connectorStore.get();
    }

    public ConnectorService connectors() {
        return connectors.get();
    }

    /** Idempotency-Key handling; needs IDEMPOTENCY_TABLE, read when first used. */
    public IdempotencyService idempotency() {
        return idempotency.get();
    }

    public SsrfGuard ssrfGuard() {
        return ssrfGuard.get();
    }

    public HostResolver resolver() {
        return resolver;
    }

    public SqsClient sqs() {
        return sqs.get();
    }

    public HttpSender sender() {
        return tracedSender.get();
    }

    public TransformationEngine transformations() {
        return transformations.get();
    }

    public RequestFactory requests() {
        return requests.get();
    }

    public DeliveryStore deliveryStore() {
        return deliveryStore.get();
    }

    public DeliveryQueue deliveryQueue() {
        return deliveryQueue.get();
    }

    public EventStore eventStore() {
        return eventStore.get();
    }

    /** The subscriptions the dispatcher reads, with their stored filter patterns. */
    public SubscriptionStore subscriptionStore() {
        return new DynamoDbSubscriptionStore(dynamoDb.get(), settings.subscriptionsTable(), storedPatterns.get());
    }

    /** The delivery path's time limits: the production ones, with this environment's send deadline and AWS call timeout. */
    public DeliveryTimings deliveryTimings() {
        return DeliveryTimings.production().withSendDeadline(SenderConfig.fromEnvironment(settings.environment()).deadline())
                .withAwsCall(settings.awsCallTimeout());
    }

    /**
     * The dispatcher's fan-out: first attempts made in place, a delivery that must wait carried by a
     * job queued for the moment it is due.
     */
    public FanOut fanOut() {
        DeliveryProcessor processor = deliveryProcessor.get();
        DeliveryQueue queue = deliveryQueue.get();
        return new FanOut(subscriptionStore(), processor.firstAttempts(queue::enqueueLater), FIRST_ATTEMPTS_AT_ONCE, clock);
    }

    /**
     * The dispatcher's fan-out for an event whose message came back: each delivery becomes a job on
     * DeliveriesQueue instead of an attempt here ({@link FanOut.FirstAttempt#queued}).
     */
    public FanOut fanOutAsJobs() {
        DeliveryQueue queue = deliveryQueue.get();
        return new FanOut(subscriptionStore(), FanOut.FirstAttempt.queued(queue::enqueueLater), FIRST_ATTEMPTS_AT_ONCE, clock);
    }

    /** The dispatcher's leases on fan-outs, on the Deliveries table. */
    public FanOutLeases fanOutLeases() {
        return new DynamoDbFanOutLeases(dynamoDb.get(), settings.deliveriesTable());
    }

    /** First attempts one dispatcher environment makes at once (well under the sender's connections). */
    public static final int FIRST_ATTEMPTS_AT_ONCE = 32;

    public DeliveryProcessor deliveryProcessor() {
        return deliveryProcessor.get();
    }

    private DeliveryProcessor buildDeliveryProcessor() {
        RetrySchedule schedule = settings.optional(RetrySchedule.VARIABLE).map(RetrySchedule::parse)
                .orElseGet(RetrySchedule::standard);
        return new DeliveryProcessor(deliveryStores(), deliveryQueue.get(), connectorStore.get(), connectors.get(),
                ConnectorTypeCatalog.standard(), requests.get(), tracedSender.get(), schedule, deliveryTimings(), clock,
                DeliveryProcessor.Sleeper.real(), operationalEvents.get(), tokenRefresher());
    }

    public DeliveryStores deliveryStores() {
        return new DeliveryStores(deliveryStore.get(), new DynamoDbDestinationStore(dynamoDb.get(), settings.deliveriesTable()),
                eventStore.get());
    }

    public Reconciler reconciler() {
        return new Reconciler(deliveryStore.get(), eventStore.get(), deliveryQueue.get(), deliveryTimings(), clock);
    }

    public DeliveryLog deliveryLog() {
        return new DeliveryLog(connectors.get(), deliveryStore.get(), eventStore.get(), deliveryQueue.get());
    }

    public TemplateService templates() {
        return new TemplateService(templateStore.get(), ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                transformationCheck(), clock);
    }

    public PortalStore portalStore() {
        return portalStore.get();
    }

    public PortalSessions portalSessions() {
        return new PortalSessions(portalStore.get(), users.get(), clock);
    }

    /** The product's own calls to other services, through the same guarded client as deliveries. */
    public HttpFetcher fetcher() {
        return tracedSender.get();
    }

    public OAuthApps oauthApps() {
        return oauthApps.get();
    }

    public TokenEndpoint tokenEndpoint() {
        return new TokenEndpoint(oauthApps.get(), tracedSender.get(), overrides.get());
    }

    public ConnectFlow connectFlow() {
        return new ConnectFlow(oauthApps.get(), new DynamoDbOAuthStateStore(dynamoDb.get(), settings.required(Settings.PORTAL_TABLE)),
                connectors.get(), tokenEndpoint(), overrides.get(), clock);
    }

    /** Renews HubSpot access tokens around sends (a no-op for connectors of other types). */
    public OAuthTokenRefresher tokenRefresher() {
        return new OAuthTokenRefresher(connectors.get(), tokenEndpoint(), clock, operationalEvents.get());
    }

    public WindmillClient windmill() {
        return new WindmillClient(tracedSender.get(), overrides.get(), settings.allowPlainHttp());
    }

    public ConnectorTester connectorTester() {
        return new ConnectorTester(connectors.get(), EventCatalog.standard(), requests.get(), tracedSender.get(), clock, tokenRefresher());
    }

    /** Where operational events go: the SNS topic, or on the local stack the queue standing in for it. */
    public OperationalEvents operationalEvents() {
        return operationalEvents.get();
    }

    private OperationalEvents buildOperationalEvents() {
        var topic = settings.optional(Settings.OPERATIONAL_EVENTS_TOPIC_ARN);
        if (topic.isEmpty()) {
            // Not wired to this function: a publish is logged at ERROR (with the event), never silent.
            return event -> {
                throw new IllegalStateException("environment variable " + Settings.OPERATIONAL_EVENTS_TOPIC_ARN
                        + " is not set; template.yaml must wire it to publish " + event.type());
            };
        }
        var standIn = settings.snsStandIn(topic.get());
        if (standIn.isPresent()) {
            return new SqsOperationalEvents(sqs, standIn.get());
        }
        Lazy<software.amazon.awssdk.services.sns.SnsClient> sns = Lazy.of(() -> AwsClients.sns(settings));
        return new SnsOperationalEvents(sns, topic.get());
    }

    private SsrfGuard buildSsrfGuard() {
        return new DefaultSsrfGuard(resolver, AllowedTarget.parseList(String.join(",", settings.ssrfAllowedTargets())));
    }

    private TransformationCheck transformationCheck() {
        return source -> transformations.get().check(source).map(problem -> new FieldError("transformation",
                "transformation " + problem.message()
                        + (problem.line() == null ? "" : " (line " + problem.line()
                        + (problem.column() == null ? "" : ", column " + problem.column()) + ")")));
    }
}
