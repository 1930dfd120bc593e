package app.connectors.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * DynamoDB Local running inside this JVM, file-backed (data survives a restart) or in memory (tests).
 * Always {@code -sharedDb}: every credential and region sees the same tables, as the handlers,
 * the invoke command and the tests all use different processes or clients.
 *
 * <pre>{@code
 * try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(Path.of(".local"), 0)) {
 *     dynamo.createTables(template.tables().values());
 *     DynamoDbClient client = dynamo.client();
 * }
 * }</pre>
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDynamoDb.class);
    private static final String NATIVE_RESOURCE = "/native/libsqlite4java-linux-amd64.so";
    /** Stands in for a provisioned table's capacity when the template gives none (DynamoDB Local ignores it). */
    private static final ProvisionedThroughput DEFAULT_THROUGHPUT =
            ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(5L).build();

    private final DynamoDBProxyServer server;
    private final int port;
    private final DynamoDbClient client;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
        this.client = LocalClients.dynamoDb(endpoint());
    }

    /**
     * Starts DynamoDB Local.
     *
     * @param dataFolder the stack's data folder: tables live in {@code <dataFolder>/dynamodb}; null keeps them in memory
     * @param port       the port, or 0 for a free one
     */
    public static EmbeddedDynamoDb start(Path dataFolder, int port) {
        Path nativeFolder = dataFolder == null
                ? Path.of(System.getProperty("java.io.tmpdir"), "connectors-local-native")
                : dataFolder.resolve("native");
        prepareNativeLibrary(nativeFolder);
        int chosenPort = port == 0 ? FreePort.find() : port;
        List<String> args = new ArrayList<>(List.of("-port", String.valueOf(chosenPort), "-sharedDb", "-disableTelemetry"));
        if (dataFolder == null) {
            args.add("-inMemory");
        } else {
            Path dbFolder = dataFolder.resolve("dynamodb");
            try {
                Files.createDirectories(dbFolder);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dbFolder, e);
            }
            args.addAll(List.of("-dbPath", dbFolder.toString()));
        }
        try {
            DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
            server.start();
            LOG.info("DynamoDB Local on port {} ({})", chosenPort, dataFolder == null ? "in memory" : dataFolder.resolve("dynamodb"));
            return new EmbeddedDynamoDb(server, chosenPort);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + chosenPort, e);
        }
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://localhost:" + port);
    }

    /** A client bound to this instance (local credentials, us-east-1). */
    public DynamoDbClient client() {
        return client;
    }

    /**
     * Creates every table that does not exist yet, with its key schema, indexes, stream and TTL.
     * An existing table is left as it is (a restart keeps its data); if the template gained an index
     * since, a warning says to delete the data folder.
     *
     * @return the logical ids of the tables created now
     */
    public List<String> createTables(Collection<TemplateModel.Table> tables) {
        Set<String> existing = new HashSet<>(client.listTablesPaginator().tableNames().stream().toList());
        List<String> created = new ArrayList<>();
        for (TemplateModel.Table table : tables) {
            if (existing.contains(table.logicalId())) {
                warnOnSchemaDrift(table);
                continue;
            }
            client.createTable(createTableRequest(table));
            Map<String, Object> ttl = map(table.properties().get("TimeToLiveSpecification"));
            if (Boolean.TRUE.equals(ttl.get("Enabled")) || "true".equals(String.valueOf(ttl.get("Enabled")))) {
                client.updateTimeToLive(request -> request.tableName(table.logicalId()).timeToLiveSpecification(
                        spec -> spec.attributeName(String.valueOf(ttl.get("AttributeName"))).enabled(true)));
            }
            created.add(table.logicalId());
        }
        return created;
    }

    static CreateTableRequest createTableRequest(TemplateModel.Table table) {
        Map<String, Object> properties = table.properties();
        boolean onDemand = "PAY_PER_REQUEST".equals(properties.get("BillingMode"));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(table.logicalId())
                .attributeDefinitions(list(properties.get("AttributeDefinitions")).stream()
                        .map(definition -> AttributeDefinition.builder()
                                .attributeName(String.valueOf(map(definition).get("AttributeName")))
                                .attributeType(String.valueOf(map(definition).get("AttributeType")))
                                .build())
                        .toList())
                .keySchema(keySchema(properties.get("KeySchema")))
                .billingMode(onDemand ? BillingMode.PAY_PER_REQUEST : BillingMode.PROVISIONED);
        if (!onDemand) {
            request.provisionedThroughput(throughput(properties.get("ProvisionedThroughput")));
        }
        List<GlobalSecondaryIndex> globalIndexes = list(properties.get("GlobalSecondaryIndexes")).stream()
                .map(index -> {
                    Map<String, Object> definition = map(index);
                    GlobalSecondaryIndex.Builder builder = GlobalSecondaryIndex.builder()
                            .indexName(String.valueOf(definition.get("IndexName")))
                            .keySchema(keySchema(definition.get("KeySchema")))
                            .projection(projection(definition.get("Projection")));
                    if (!onDemand) {
                        builder.provisionedThroughput(throughput(definition.get("ProvisionedThroughput")));
                    }
                    return builder.build();
                })
                .toList();
        if (!globalIndexes.isEmpty()) {
            request.globalSecondaryIndexes(globalIndexes);
        }
        List<LocalSecondaryIndex> localIndexes = list(properties.get("LocalSecondaryIndexes")).stream()
                .map(index -> LocalSecondaryIndex.builder()
                        .indexName(String.valueOf(map(index).get("IndexName")))
                        .keySchema(keySchema(map(index).get("KeySchema")))
                        .projection(projection(map(index).get("Projection")))
                        .build())
                .toList();
        if (!localIndexes.isEmpty()) {
            request.localSecondaryIndexes(localIndexes);
        }
        Map<String, Object> stream = map(properties.get("StreamSpecification"));
        if (stream.get("StreamViewType") != null) {
            request.streamSpecification(StreamSpecification.builder()
                    .streamEnabled(true).streamViewType(String.valueOf(stream.get("StreamViewType"))).build());
        }
        return request.build();
    }

    private void warnOnSchemaDrift(TemplateModel.Table table) {
        TableDescription description = client.describeTable(request -> request.tableName(table.logicalId())).table();
        Set<String> present = description.globalSecondaryIndexes().stream()
                .map(GlobalSecondaryIndexDescription::indexName).collect(Collectors.toSet());
        List<String> missing = list(table.properties().get("GlobalSecondaryIndexes")).stream()
                .map(index -> String.valueOf(map(index).get("IndexName")))
                .filter(name -> !present.contains(name))
                .toList();
        if (!missing.isEmpty()) {
            LOG.warn("table {} exists without index(es) {} that template.yaml now declares; "
                    + "delete the data folder's dynamodb/ to rebuild it", table.logicalId(), missing);
        }
    }

    private static List<KeySchemaElement> keySchema(Object value) {
        return list(value).stream()
                .map(element -> KeySchemaElement.builder()
                        .attributeName(String.valueOf(map(element).get("AttributeName")))
                        .keyType(String.valueOf(map(element).get("KeyType")))
                        .build())
                .toList();
    }

    private static Projection projection(Object value) {
        Map<String, Object> projection = map(value);
        Projection.Builder builder = Projection.builder()
                .projectionType(String.valueOf(projection.getOrDefault("ProjectionType", "ALL")));
        List<Object> nonKey = list(projection.get("NonKeyAttributes"));
        if (!nonKey.isEmpty()) {
            builder.nonKeyAttributes(nonKey.stream().map(String::valueOf).toList());
        }
        return builder.build();
    }

    private static ProvisionedThroughput throughput(Object value) {
        Map<String, Object> throughput = map(value);
        if (throughput.isEmpty()) {
            return DEFAULT_THROUGHPUT;
        }
        return ProvisionedThroughput.builder()
                .readCapacityUnits(Long.parseLong(String.valueOf(throughput.get("ReadCapacityUnits"))))
                .writeCapacityUnits(Long.parseLong(String.valueOf(throughput.get("WriteCapacityUnits"))))
                .build();
    }

    /**
     * DynamoDB Local loads sqlite4java's native library from the folder named by
     * {@code sqlite4java.library.path}; the build ships it as a classpath resource, so copy it out
     * once (again only if its size changed) and point the property at it.
     */
    static void prepareNativeLibrary(Path folder) {
        Path target = folder.resolve("libsqlite4java-linux-amd64.so");
        try (InputStream in = EmbeddedDynamoDb.class.getResourceAsStream(NATIVE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + NATIVE_RESOURCE
                        + " is missing: build the local module with Maven (it copies sqlite4java's native library)");
            }
            byte[] library = in.readAllBytes();
            if (!Files.exists(target) || Files.size(target) != library.length) {
                Files.createDirectories(folder);
                Path partial = Files.createTempFile(folder, "sqlite4java", ".part");
                Files.write(partial, library);
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack sqlite4java's native library to " + folder, e);
        }
        System.setProperty("sqlite4java.library.path", folder.toAbsolutePath().toString());
    }

    @Override
    public void close() {
        client.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }
}
