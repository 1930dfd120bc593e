package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.it.backend.MotoOnly;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/local invoke --aws-endpoint <url>} runs a function against an emulator outside the JVM
 * (here the run's moto_server) instead of starting its own: the template's tables, queues and KMS key
 * are created there, and what one invocation stores the next one finds.
 */
@MotoOnly("it needs an external emulator: the moto run's moto_server")
class ExternalEndpointsIT {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void invokeWithAnAwsEndpointKeepsItsDataOnThatEmulator(@TempDir Path data) throws Exception {
        // GIVEN moto's endpoint, and a data folder with no running stack
        URI moto = URI.create(System.getProperty(LocalStackOptions.TEST_AWS_ENDPOINT_PROPERTY));
        // A user no other test of the run creates (the tables here are the unprefixed ones the CLI makes).
        String userId = "external-" + UUID.randomUUID();
        Path event = Files.writeString(data.resolve("create-user.json"), "{\"userId\":\"" + userId + "\",\"tier\":\"pro\"}");
        String[] invoke = {"invoke", "AccountsFunction", "--event", event.toString(),
                "--template", "../template.yaml", "--data", data.toString(), "--aws-endpoint", moto.toString()};

        // WHEN the host platform's user is created twice through it
        int first = run(invoke);
        JsonNode created = LambdaJson.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
        out.reset();
        int second = run(invoke);
        JsonNode again = LambdaJson.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));

        // THEN the first creates it and the second finds it on moto (nothing was kept locally)
        assertThat(first).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(second).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(created.path("created").asBoolean()).as(created.toString()).isTrue();
        assertThat(again.path("created").asBoolean()).as(again.toString()).isFalse();
        assertThat(data.resolve("dynamodb")).doesNotExist();
        try (var dynamoDb = LocalClients.dynamoDb(moto); var kms = LocalClients.kms(moto)) {
            // (described by name: listTables pages, and the run's other stacks have made many prefixed tables)
            assertThat(dynamoDb.describeTable(r -> r.tableName("UsersTable")).table().itemCount()).isNotNull();
            assertThat(dynamoDb.describeTable(r -> r.tableName("ConnectorsTable")).table().tableName()).isEqualTo("ConnectorsTable");
            assertThat(kms.describeKey(r -> r.keyId("alias/SecretsKey")).keyMetadata().enabled()).isTrue();
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Using DynamoDB, SQS and KMS at " + moto);
    }

    private int run(String... args) {
        return LocalMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
