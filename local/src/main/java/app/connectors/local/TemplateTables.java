package app.connectors.local;

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
 * The template's DynamoDB tables, created from their CloudFormation properties on any DynamoDB:
 * the embedded DynamoDB Local or an external endpoint (moto, LocalStack).
 *
 * <pre>{@code
 * TemplateTables.create(client, template.tables().values(), "t1a2b3c4-");  // t1a2b3c4-UsersTable, ...
 * }</pre>
 */
final class TemplateTables {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateTables.class);
    /** Stands in for a provisioned table's capacity when the template gives none (DynamoDB Local ignores it). */
    private static final ProvisionedThroughput DEFAULT_THROUGHPUT =
            ProvisionedThroughput.builder().readCapacityUnits(5L).writeCapacityUnits(5L).build();

    private TemplateTables() {
    }

    /**
     * Creates every table that does not exist yet, named {@code namePrefix + logicalId}, with its key
     * schema, indexes, stream and TTL. An existing table is left as it is (a restart keeps its data);
     * if the template gained an index since, a warning says to delete the data folder.
     *
     * @return the logical ids of the tables created now
     */
    static List<String> create(DynamoDbClient client, Collection<TemplateModel.Table> tables, String namePrefix) {
        Set<String> existing = new HashSet<>(client.listTablesPaginator().tableNames().stream().toList());
        List<String> created = new ArrayList<>();
        for (TemplateModel.Table table : tables) {
            String name = namePrefix + table.logicalId();
            if (existing.contains(name)) {
                warnOnSchemaDrift(client, table, name);
                continue;
            }
            client.createTable(createTableRequest(table, name));
            Map<String, Object> ttl = map(table.properties().get("TimeToLiveSpecification"));
            if (Boolean.TRUE.equals(ttl.get("Enabled")) || "true".equals(String.valueOf(ttl.get("Enabled")))) {
                client.updateTimeToLive(request -> request.tableName(name).timeToLiveSpecification(
                        spec -> spec.attributeName(String.valueOf(ttl.get("AttributeName"))).enabled(true)));
            }
            created.add(table.logicalId());
        }
        return created;
    }

    static CreateTableRequest createTableRequest(TemplateModel.Table table, String name) {
        Map<String, Object> properties = table.properties();
        boolean onDemand = "PAY_PER_REQUEST".equals(properties.get("BillingMode"));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(name)
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

    private static void warnOnSchemaDrift(DynamoDbClient client, TemplateModel.Table table, String name) {
        TableDescription description = client.describeTable(request -> request.tableName(name)).table();
        Set<String> present = description.globalSecondaryIndexes().stream()
                .map(GlobalSecondaryIndexDescription::indexName).collect(Collectors.toSet());
        List<String> missing = list(table.properties().get("GlobalSecondaryIndexes")).stream()
                .map(index -> String.valueOf(map(index).get("IndexName")))
                .filter(index -> !present.contains(index))
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }
}
