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
import app.connectors.event.EventCatalog;
import app.connectors.net.HostResolver;
import app.connectors.net.SsrfGuard;
import java.time.Clock;
import java.util.function.Supplier;
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
    private final Lazy<ConnectorService> connectors;
    private final Lazy<SsrfGuard> ssrfGuard;

    public Components(Settings settings, HostResolver resolver, Clock clock) {
        this.settings = settings;
        this.resolver = resolver;
        this.clock = clock;
        this.dynamoDb = new Lazy<>(() -> AwsClients.dynamoDb(settings));
        this.users = new Lazy<>(() -> new DynamoDbUserStore(dynamoDb.get(), settings.usersTable(), clock));
        this.tokens = new Lazy<>(() -> new TokenService(new DynamoDbTokenStore(dynamoDb.get(), settings.tokensTable()),
                users.get(), clock));
        this.cipher = new Lazy<>(() -> SecretCipher.from(settings));
        this.connectorStore = new Lazy<>(() -> new DynamoDbConnectorStore(dynamoDb.get(), settings.usersTable(),
                settings.connectorsTable(), settings.subscriptionsTable()));
        this.ssrfGuard = new Lazy<>(this::buildSsrfGuard);
        this.connectors = new Lazy<>(() -> new ConnectorService(connectorStore.get(), users.get(),
                new ConnectorValidator(ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                        new DestinationUrlPolicy(ssrfGuard.get(), settings.allowPlainHttp()), transformationCheck()),
                ConnectorTypeCatalog.standard(), cipher.get(), clock));
    }

    public static Components from(Settings settings) {
        return new Components(settings, HostResolver.system(), Clock.systemUTC());
    }

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

    public SsrfGuard ssrfGuard() {
        return ssrfGuard.get();
    }

    public HostResolver resolver() {
        return resolver;
    }

    private SsrfGuard buildSsrfGuard() {
        throw new UnsupportedOperationException("SSRF guard implementation lands with the net package");
    }

    private TransformationCheck transformationCheck() {
        return source -> java.util.Optional.empty();
    }

    /** A value built on first use, once, thread-safely. */
    private static final class Lazy<T> implements Supplier<T> {
        private final Supplier<T> factory;
        private volatile T value;

        Lazy(Supplier<T> factory) {
            this.factory = factory;
        }

        @Override
        public T get() {
            T current = value;
            if (current == null) {
                synchronized (this) {
                    current = value;
                    if (current == null) {
                        current = factory.get();
                        value = current;
                    }
                }
            }
            return current;
        }
    }
}
