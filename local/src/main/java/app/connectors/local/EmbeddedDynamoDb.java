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
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
    /** The only interface DynamoDB Local listens on. */
    static final String LOOPBACK = "127.0.0.1";
    private static final String NATIVE_RESOURCE = "/native/libsqlite4java-linux-amd64.so";

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
            bindToLoopback(server);
            server.start();
            LOG.info("DynamoDB Local on port {} ({})", chosenPort, dataFolder == null ? "in memory" : dataFolder.resolve("dynamodb"));
            return new EmbeddedDynamoDb(server, chosenPort);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start on port " + chosenPort, e);
        }
    }

    /**
     * DynamoDB Local has no option for the interface it listens on and takes every one; it checks no
     * signature either, so anyone on the network could read the local secrets key's ciphertexts and the
     * tokens' hashes. Before it starts, its Jetty connector is told to listen on the loopback interface
     * only, like ElasticMQ and the gateway. (Reflection: the server keeps its Jetty instance private.)
     */
    static void bindToLoopback(DynamoDBProxyServer proxy) {
        try {
            java.lang.reflect.Field field = DynamoDBProxyServer.class.getDeclaredField("server");
            field.setAccessible(true);
            org.eclipse.jetty.server.Server jetty = (org.eclipse.jetty.server.Server) field.get(proxy);
            for (org.eclipse.jetty.server.Connector connector : jetty.getConnectors()) {
                ((org.eclipse.jetty.server.ServerConnector) connector).setHost(LOOPBACK);
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot bind DynamoDB Local to " + LOOPBACK + " (its server changed shape)", e);
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
     * Creates every table of the template that does not exist yet, named by its logical id; an
     * existing table keeps its data (see {@link TemplateTables#create}).
     *
     * @return the logical ids of the tables created now
     */
    public List<String> createTables(Collection<TemplateModel.Table> tables) {
        return TemplateTables.create(client, tables, "");
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
}
