package app.connectors.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import org.elasticmq.NodeAddress;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.actor.queue.QueueEvent;
import org.elasticmq.persistence.sql.DB;
import org.elasticmq.persistence.sql.SqlQueuePersistenceActor;
import org.elasticmq.persistence.sql.SqlQueuePersistenceConfig;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.elasticmq.util.NowProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scalikejdbc.ConnectionPool$;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ElasticMQ (an SQS-compatible server) running inside this JVM, with the template's queues and their
 * redrive policies. Queues live in memory, or, given a message store folder, in an H2 database
 * there: then every message, its receive count, its visibility (in flight or not), its delay, and
 * the dead-letter queues' contents survive a restart of the stack, even a {@code kill -9}, as they
 * would on SQS. An answer to SendMessage, ReceiveMessage or DeleteMessage is sent only once the
 * change is written (ElasticMQ waits for its persistence listener), and H2 is told to write each
 * commit at once ({@code WRITE_DELAY=0}) instead of batching a second of them, so what a client was
 * told is what a restarted stack has.
 *
 * <pre>{@code
 * try (EmbeddedSqs sqs = EmbeddedSqs.start(0, Path.of(".local/sqs"))) {
 *     Map<String, EmbeddedSqs.QueueAddress> queues = sqs.createQueues(template.queues().values());
 *     sqs.client().sendMessage(r -> r.queueUrl(queues.get("EventsQueue").url()).messageBody("{}"));
 * }
 * }</pre>
 *
 * <p>ElasticMQ keeps its database connection in a JVM-wide pool, so one JVM holds at most one
 * message store open at a time (one after another is fine); the local stack runs one per process.
 */
public final class EmbeddedSqs implements AutoCloseable {

    /** Where a template queue lives locally: its name (the logical id), URL and ARN as ElasticMQ reports it. */
    public record QueueAddress(String logicalId, String name, String url, String arn) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSqs.class);
    private static final Duration RESTORE_TIMEOUT = Duration.ofSeconds(60);
    /** The message store open in this JVM, if any (ElasticMQ's connection pool is a JVM-wide singleton). */
    private static final AtomicReference<Path> OPEN_STORE = new AtomicReference<>();

    private final SQSRestServer server;
    private final ActorSystem actorSystem;
    private final Path messageStore;
    private final int port;
    private final SqsClient client;

    private EmbeddedSqs(SQSRestServer server, ActorSystem actorSystem, Path messageStore, int port) {
        this.server = server;
        this.actorSystem = actorSystem;
        this.messageStore = messageStore;
        this.port = port;
        this.client = LocalClients.sqs(endpoint());
    }

    /** Starts ElasticMQ with its queues in memory, on the port (0: a free one), bound to the loopback interface. */
    public static EmbeddedSqs start(int port) {
        return start(port, null);
    }

    /**
     * Starts ElasticMQ on the port (0: a free one), bound to the loopback interface.
     *
     * @param messageStore a folder for the queues and their messages (created if missing; what it
     *                     holds from an earlier run is restored before this returns), or null to keep
     *                     them in memory
     */
    public static EmbeddedSqs start(int port, Path messageStore) {
        int chosenPort = port == 0 ? FreePort.find() : port;
        if (messageStore == null) {
            SQSRestServer server = builder(chosenPort).start();
            server.waitUntilStarted();
            LOG.info("ElasticMQ on port {} (in memory)", chosenPort);
            return new EmbeddedSqs(server, null, null, chosenPort);
        }
        Path store = messageStore.toAbsolutePath().normalize();
        if (!OPEN_STORE.compareAndSet(null, store)) {
            throw new IllegalStateException("this JVM already has the ElasticMQ message store " + OPEN_STORE.get()
                    + " open; ElasticMQ allows one at a time per JVM (close it first, or run the second stack in its own process)");
        }
        ActorSystem system = null;
        try {
            system = ActorSystem.create("elasticmq-local");
            ActorRef persistence = openStore(system, store);
            ActorRef queueManager = system.actorOf(Props.create(QueueManagerActor.class, () -> new QueueManagerActor(
                    new NowProvider(), SQSRestServerBuilder.sqsLimits(), scala.Option.apply(persistence))));
            restore(persistence, queueManager, store);
            SQSRestServer server = builder(chosenPort).withActorSystem(system).withQueueManagerActor(queueManager)
                    .withQueueEventListener(persistence).start();
            server.waitUntilStarted();
            LOG.info("ElasticMQ on port {} (messages kept in {})", chosenPort, store);
            return new EmbeddedSqs(server, system, store, chosenPort);
        } catch (RuntimeException | Error e) {
            if (system != null) {
                terminate(system);
            }
            closeStore();
            throw e;
        }
    }

    private static org.elasticmq.rest.sqs.TheSQSRestServerBuilder builder(int port) {
        // The node address is what ElasticMQ writes into queue URLs, so it must name the real port.
        return SQSRestServerBuilder
                .withInterface("localhost")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "localhost", port, ""))
                .withAWSRegion(LocalEnvironment.REGION)
                .withAWSAccountId(LocalEnvironment.ACCOUNT_ID);
    }

    private static ActorRef openStore(ActorSystem system, Path store) {
        try {
            Files.createDirectories(store);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the message store folder " + store, e);
        }
        String uri = "jdbc:h2:file:" + store.resolve("messages") + ";WRITE_DELAY=0";
        SqlQueuePersistenceConfig config = new SqlQueuePersistenceConfig(true, "org.h2.Driver", uri, "", "", false);
        // ElasticMQ opens its pool only the first time in a JVM; point it at this store every time,
        // so that a stack started again in the same JVM (tests, the invoke command) uses its own folder.
        DB.initializeSingleton(config);
        var pools = ConnectionPool$.MODULE$;
        var settings = pools.singleton$default$4();
        pools.singleton(uri, "", "", settings, pools.singleton$default$5(uri, "", "", settings));
        return system.actorOf(Props.create(SqlQueuePersistenceActor.class,
                () -> new SqlQueuePersistenceActor(config, scala.collection.immutable.List$.MODULE$.empty())));
    }

    /** Re-creates the stored queues and puts their stored messages back, before any client can connect. */
    private static void restore(ActorRef persistence, ActorRef queueManager, Path store) {
        Object result;
        try {
            result = Patterns.ask(persistence, new QueueEvent.Restore(queueManager), RESTORE_TIMEOUT)
                    .toCompletableFuture().get(RESTORE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restoring the queues from " + store, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("ElasticMQ could not restore the queues from " + store, e);
        }
        if (result instanceof scala.util.Left<?, ?> errors) {
            throw new IllegalStateException("ElasticMQ could not restore the queues from " + store + ": " + errors.value()
                    + " (delete the folder to start with empty queues)");
        }
    }

    public int port() {
        return port;
    }

    public URI endpoint() {
        return URI.create("http://localhost:" + port);
    }

    /** A client bound to this instance (local credentials, us-east-1). */
    public SqsClient client() {
        return client;
    }

    /** The folder the queues are kept in, or null when they live in memory. */
    public Path messageStore() {
        return messageStore;
    }

    /**
     * Creates the queues, named by their logical ids, each dead-letter queue before the queues that
     * redrive into it. A queue restored from the message store keeps its messages and takes the
     * template's attributes (see {@link TemplateQueues#create}).
     *
     * @return the address of every queue, by logical id
     */
    public Map<String, QueueAddress> createQueues(Collection<TemplateModel.Queue> queues) {
        return TemplateQueues.create(client, queues, "");
    }

    @Override
    public void close() {
        client.close();
        try {
            server.stopAndWait();
        } finally {
            if (actorSystem != null) {
                terminate(actorSystem);
                closeStore();
            }
        }
    }

    private static void terminate(ActorSystem system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("ElasticMQ's actor system did not stop within 30 s", e);
        }
    }

    /** Closes the JVM-wide pool (H2 then closes the database and its file) and frees the slot for the next store. */
    private static void closeStore() {
        try {
            ConnectionPool$.MODULE$.closeAll();
        } finally {
            OPEN_STORE.set(null);
        }
    }
}
