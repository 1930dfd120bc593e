package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.it.backend.EmbeddedOnly;
import app.connectors.it.backend.TestBackend;
import app.connectors.account.Tier;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorInput;
import app.connectors.connector.ConnectorService;
import app.connectors.json.Json;
import app.connectors.local.TemplateModel;
import app.connectors.problem.LimitExceededException;
import app.connectors.problem.NotFoundException;
import app.connectors.testing.StubResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * The connector store's behaviour (create, list, plan limit under concurrency, isolation) through
 * the DynamoDB adapters against LocalStack in Docker, with the tables template.yaml defines. Where
 * no Docker daemon answers, the class is skipped and says why on standard output.
 */
@EmbeddedOnly("LocalStack is a backend of its own; running it from the moto run would only repeat it")
class LocalStackConnectorStoreIT {

    private static final DockerImageName IMAGE = DockerImageName.parse("localstack/localstack:3.8");
    private static final List<String> TABLES = List.of("UsersTable", "ConnectorsTable", "SubscriptionsTable");

    private static LocalStackContainer localstack;
    private static DynamoDbClient dynamoDb;
    private static Components components;
    private static Path keyFolder;

    /** Why LocalStack cannot run here, or null. */
    private static String unavailable;

    @BeforeAll
    static void start() throws IOException {
        if (TestBackend.moto()) {
            return;
        }
        unavailable = dockerUnavailableReason();
        if (unavailable != null) {
            // Each test is then skipped (in @BeforeEach) so that the reports count them as skipped.
            System.out.println("LocalStack ITs skipped: " + unavailable);
            return;
        }

        localstack = new LocalStackContainer(IMAGE).withServices(LocalStackContainer.Service.DYNAMODB);
        localstack.start();
        dynamoDb = DynamoDbClient.builder()
                .endpointOverride(localstack.getEndpoint())
                .region(Region.of(localstack.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(localstack.getAccessKey(), localstack.getSecretKey())))
                .build();
        TemplateModel template = TemplateModel.load(Path.of("../template.yaml"));
        for (String logicalId : TABLES) {
            createTable(logicalId, template.tables().get(logicalId).properties());
        }
        keyFolder = Files.createTempDirectory("connectors-localstack-key");
        Map<String, String> environment = new HashMap<>();
        environment.put(Settings.USERS_TABLE, "UsersTable");
        environment.put(Settings.CONNECTORS_TABLE, "ConnectorsTable");
        environment.put(Settings.SUBSCRIPTIONS_TABLE, "SubscriptionsTable");
        environment.put(Settings.TEMPLATES_TABLE, "TemplatesTable");
        environment.put(Settings.LOCAL_KEY_FILE, keyFolder.resolve("secrets.key").toString());
        environment.put(Settings.AWS_ENDPOINT_URL_DYNAMODB, localstack.getEndpoint().toString());
        environment.put(Settings.AWS_REGION, localstack.getRegion());
        environment.put("AWS_ACCESS_KEY_ID", localstack.getAccessKey());
        environment.put("AWS_SECRET_ACCESS_KEY", localstack.getSecretKey());
        StubResolver dns = new StubResolver().answer("hooks.slack.com", ApiStack.PUBLIC_ADDRESS);
        components = new Components(Settings.from(environment), dns, Clock.systemUTC());
    }

    @BeforeEach
    void requireDocker() {
        Assumptions.assumeTrue(unavailable == null, () -> "LocalStack ITs skipped: " + unavailable);
    }

    @AfterAll
    static void stop() throws IOException {
        if (dynamoDb != null) {
            dynamoDb.close();
        }
        if (localstack != null) {
            localstack.stop();
        }
        if (keyFolder != null) {
            try (var files = Files.walk(keyFolder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** Null when a Docker daemon answers; else why not. Bounded, so a missing daemon never hangs the build. */
    private static String dockerUnavailableReason() {
        CompletableFuture<Boolean> probe = CompletableFuture.supplyAsync(() -> DockerClientFactory.instance().isDockerAvailable());
        try {
            return probe.get(20, TimeUnit.SECONDS) ? null : "no Docker daemon (Testcontainers found no working Docker environment)";
        } catch (java.util.concurrent.TimeoutException e) {
            probe.cancel(true);
            return "no Docker daemon (Testcontainers' Docker check did not answer within 20 s)";
        } catch (Exception e) {
            return "no Docker daemon (" + e + ")";
        }
    }

    @SuppressWarnings("unchecked")
    private static void createTable(String name, Map<String, Object> properties) {
        List<AttributeDefinition> attributes = ((List<Map<String, String>>) properties.get("AttributeDefinitions")).stream()
                .map(a -> AttributeDefinition.builder().attributeName(a.get("AttributeName")).attributeType(a.get("AttributeType"))
                        .build())
                .toList();
        List<KeySchemaElement> keys = ((List<Map<String, String>>) properties.get("KeySchema")).stream()
                .map(k -> KeySchemaElement.builder().attributeName(k.get("AttributeName")).keyType(k.get("KeyType")).build())
                .toList();
        // The three tables have no secondary index; only the attributes their keys use are defined.
        dynamoDb.createTable(r -> r.tableName(name).attributeDefinitions(attributes).keySchema(keys)
                .billingMode(BillingMode.PAY_PER_REQUEST));
        dynamoDb.waiter().waitUntilTableExists(r -> r.tableName(name));
    }

    private static String newUser(String label, Tier tier) {
        String userId = ApiStack.uniqueUserId(label);
        components.users().upsert(userId, tier);
        return userId;
    }

    private static Connector create(String userId, String name) throws IOException {
        return components.connectors().create(userId, ConnectorInput.read(Json.MAPPER.readTree(
                ApiStack.slackBody(name, "localstack00001")))).connector();
    }

    @Test
    void createsAndListsConnectorsAPageAtATime() throws IOException {
        // GIVEN a Pro user with three connectors
        String userId = newUser("ls-list", Tier.PRO);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create(userId, "c" + i).id());
        }

        // WHEN they are listed two at a time
        ConnectorService service = components.connectors();
        var first = service.list(userId, 2, null);
        var second = service.list(userId, 2, first.nextCursor());

        // THEN both pages together hold the three, and the count is 3
        assertThat(first.items()).hasSize(2);
        assertThat(second.items()).hasSize(1);
        List<String> seen = new ArrayList<>();
        first.items().forEach(c -> seen.add(c.id()));
        second.items().forEach(c -> seen.add(c.id()));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(components.users().find(userId).orElseThrow().connectorCount()).isEqualTo(3);
    }

    @Test
    void concurrentCreatesAtLimitMinusOneLetExactlyOneThrough() throws Exception {
        // GIVEN a Pro user with four connectors
        String userId = newUser("ls-race", Tier.PRO);
        for (int i = 0; i < 4; i++) {
            create(userId, "existing " + i);
        }

        // WHEN ten creates are released together
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                String name = "racer " + i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    try {
                        create(userId, name);
                        return "created";
                    } catch (LimitExceededException e) {
                        return "limit: " + e.getMessage();
                    }
                }));
            }
            go.countDown();
        } finally {
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        List<String> results = new ArrayList<>();
        for (Future<String> outcome : outcomes) {
            results.add(outcome.get());
        }

        // THEN one succeeded, nine were refused naming the plan, and the count is exactly 5
        assertThat(results).filteredOn("created"::equals).hasSize(1);
        assertThat(results).filteredOn(r -> r.contains("Pro plan allows 5")).hasSize(9);
        assertThat(components.users().find(userId).orElseThrow().connectorCount()).isEqualTo(5);
    }

    @Test
    void anotherUsersConnectorIsNotFound() throws IOException {
        // GIVEN Alice's connector
        String alice = newUser("ls-alice", Tier.PRO);
        String bob = newUser("ls-bob", Tier.PRO);
        Connector hers = create(alice, "Alice's");

        // WHEN Bob reads and deletes it, THEN it is not found for him and still hers
        assertThatThrownBy(() -> components.connectors().get(bob, hers.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> components.connectors().delete(bob, hers.id())).isInstanceOf(NotFoundException.class);
        assertThat(components.connectors().get(alice, hers.id()).name()).isEqualTo("Alice's");
        assertThat(components.connectors().list(bob, 100, null).items()).isEmpty();
    }
}
