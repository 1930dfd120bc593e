package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.backend.EmbeddedOnly;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

@EmbeddedOnly("a test of the embedded emulator itself")
class LocalDynamoDbIT {

    private static final TemplateModel TEMPLATE = TemplateModel.load(Path.of("src/test/resources/local/test-template.yaml"));

    @Test
    void createsTheTemplateTablesWithIndexesAndTtl() {
        // GIVEN an in-memory DynamoDB Local
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(null, 0)) {
            // WHEN the template's tables are created
            assertThat(dynamo.createTables(TEMPLATE.tables().values())).containsExactly("ItemsTable");

            // THEN the table has its key, its GSI with the projection, and TTL on
            TableDescription table = dynamo.client().describeTable(r -> r.tableName("ItemsTable")).table();
            assertThat(table.keySchema().getFirst().attributeName()).isEqualTo("itemId");
            GlobalSecondaryIndexDescription index = table.globalSecondaryIndexes().getFirst();
            assertThat(index.indexName()).isEqualTo("byOwner");
            assertThat(index.projection().nonKeyAttributes()).containsExactly("title");
            assertThat(dynamo.client().describeTimeToLive(r -> r.tableName("ItemsTable")).timeToLiveDescription())
                    .satisfies(ttl -> {
                        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
                        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
                    });
        }
    }

    @Test
    void fileBackedDataSurvivesARestartAndTableCreationIsIdempotent(@TempDir Path data) {
        // GIVEN a file-backed DynamoDB Local holding one item
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(data, 0)) {
            dynamo.createTables(TEMPLATE.tables().values());
            dynamo.client().putItem(r -> r.tableName("ItemsTable").item(Map.of(
                    "itemId", AttributeValue.fromS("i1"), "title", AttributeValue.fromS("kept"))));
        }

        // WHEN it starts again on the same folder
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(data, 0)) {
            // THEN no table is created again and the item is still there
            assertThat(dynamo.createTables(TEMPLATE.tables().values())).isEmpty();
            Map<String, AttributeValue> item = dynamo.client()
                    .getItem(r -> r.tableName("ItemsTable").key(Map.of("itemId", AttributeValue.fromS("i1")))).item();
            assertThat(item.get("title").s()).isEqualTo("kept");
        }
        assertThat(data.resolve("dynamodb")).isDirectoryContaining(path -> path.toString().endsWith(".db"));
    }
}
