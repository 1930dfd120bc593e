package app.connectors.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <data>/stack.json}: how other commands find a running {@code start} (its pid and ports, and
 * with external emulators its KMS endpoint, key ids and name prefix).
 * {@code invoke} then talks to that stack's DynamoDB Local instead of opening the same sqlite files
 * a second time, and {@code publish} sends to its ElasticMQ.
 *
 * <pre>{@code
 * Optional<StackFile> running = StackFile.readRunning(Path.of(".local"));
 * }</pre>
 */
public record StackFile(
        long pid,
        String gatewayUrl,
        String dynamoDbEndpoint,
        String sqsEndpoint,
        Map<String, EmbeddedSqs.QueueAddress> queues,
        String template,
        String startedAt,
        String kmsEndpoint,
        Map<String, String> keyIds,
        String resourcePrefix,
        String adminUrl,
        String adminToken) {

    static final String FILE_NAME = "stack.json";

    /** How this stack's template resources resolve (its queue URLs, table name prefix and KMS keys), for commands that build a function. */
    LocalResourceResolver resolver(TemplateModel template) {
        return new LocalResourceResolver(template, queues, resourcePrefix == null ? "" : resourcePrefix,
                keyIds == null ? Map.of() : keyIds);
    }

    /** The KMS endpoint its functions encrypt through, or null when they use the local key file. */
    URI kms() {
        return kmsEndpoint == null ? null : URI.create(kmsEndpoint);
    }

    static StackFile of(LocalStack stack, Path template, URI gatewayUrl) {
        return new StackFile(ProcessHandle.current().pid(), gatewayUrl == null ? null : gatewayUrl.toString(),
                stack.dynamoDbEndpoint().toString(), stack.sqsEndpoint().toString(), stack.queues(),
                template.toAbsolutePath().toString(), Instant.now().toString(),
                stack.kmsEndpoint().map(URI::toString).orElse(null), stack.keyIds(), stack.resourcePrefix(), null, null);
    }

    /** The same, with the stack's control port ({@link LocalAdmin}) that {@code publish} talks to. */
    StackFile withAdmin(LocalAdmin admin) {
        return new StackFile(pid, gatewayUrl, dynamoDbEndpoint, sqsEndpoint, queues, template, startedAt, kmsEndpoint, keyIds,
                resourcePrefix, admin.url().toString(), admin.token());
    }

    /** The stack.json of a live {@code start} in this data folder; a stale file (dead pid) counts as none. */
    public static Optional<StackFile> readRunning(Path dataFolder) {
        Path file = dataFolder.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        StackFile stack;
        try {
            stack = LambdaJson.MAPPER.readValue(file.toFile(), StackFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + "; delete it if no stack is running", e);
        }
        boolean alive = ProcessHandle.of(stack.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(stack) : Optional.empty();
    }

    void write(Path dataFolder) {
        try {
            Files.createDirectories(dataFolder);
            Path partial = dataFolder.resolve(FILE_NAME + ".part");
            Files.deleteIfExists(partial);
            // Owner-only from the start: the file carries the control port's token.
            if (partial.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            LambdaJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), this);
            Files.move(partial, dataFolder.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataFolder.resolve(FILE_NAME), e);
        }
    }

    static void delete(Path dataFolder) {
        try {
            Files.deleteIfExists(dataFolder.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dataFolder.resolve(FILE_NAME), e);
        }
    }
}
