package app.connectors.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole local stack in this JVM: DynamoDB Local with the template's tables, ElasticMQ with its
 * queues and redrive policies (both kept in the data folder when there is one, so a restart, even
 * after {@code kill -9}, finds the tables and the queued messages as they were), one warm handler
 * per function, the API Gateway emulation, the SQS pollers and the schedules of scheduled
 * functions. Close it to stop everything.
 *
 * <p>Tests in any package of the local module start it like this (in-memory DynamoDB, free ports):
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(LocalStackOptions.forTests(Path.of("../template.yaml")))) {
 *     HttpRequest request = HttpRequest.newBuilder(stack.gatewayUrl().resolve("/api/v1/connectors/types")).build();
 *     Map<String, String> env = stack.environmentOf("ConnectorsFunction");  // to build a handler yourself
 *     stack.sqs().sendMessage(r -> r.queueUrl(stack.queueUrl("EventsQueue")).messageBody(envelope));
 * }
 * }</pre>
 *
 * <p>A test that needs a handler with fakes either builds it itself from {@link #environmentOf} or
 * asks the stack to: {@link LocalStackOptions#withHandler} (then the gateway and pollers use it).
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);

    private final TemplateModel template;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private URI dynamoDbEndpoint;
    private URI sqsEndpoint;
    /** The KMS endpoint when secrets go through KMS (external emulators); null with the local key file. */
    private URI kmsEndpoint;
    private String tablePrefix = "";
    private Map<String, String> keyIds = Map.of();
    private Map<String, EmbeddedSqs.QueueAddress> queues = Map.of();
    private LocalGateway gateway;
    private Path temporaryKeyFolder;

    private LocalStack(TemplateModel template) {
        this.template = template;
    }

    /** Starts everything the options ask for; if any part fails, what already started is stopped. */
    public static LocalStack start(LocalStackOptions options) {
        LocalStack stack = new LocalStack(TemplateModel.load(options.template()));
        try {
            stack.boot(options);
            return stack;
        } catch (RuntimeException | Error e) {
            try {
                stack.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    private void boot(LocalStackOptions options) {
        Path keyFile = null;
        if (options.external()) {
            bootExternal(options.awsEndpoints(), options.resourcePrefix());
        } else {
            keyFile = keyFile(options.dataFolder());
            bootEmbedded(options);
        }

        LocalResourceResolver resolver = new LocalResourceResolver(template, queues, tablePrefix, keyIds);
        boolean serveApi = options.startGateway() && !template.routes().isEmpty();
        // The portal's links and OAuth redirect URIs name the gateway's address, so its port is fixed before
        // the functions are built (a free one when 0 is asked for).
        int gatewayPort = serveApi && options.gatewayPort() == 0 ? FreePort.find() : options.gatewayPort();
        Map<String, String> extra = new LinkedHashMap<>();
        if (serveApi) {
            extra.put(LocalEnvironment.PORTAL_BASE_URL, "http://localhost:" + gatewayPort + "/portal");
        }
        extra.putAll(options.extraEnvironment());
        for (TemplateModel.Function function : template.functions().values()) {
            Map<String, String> environment = FunctionEnvironment.of(function, resolver, dynamoDbEndpoint,
                    sqsEndpoint, kmsEndpoint, keyFile, options.allowedTargets(), extra);
            Function<Map<String, String>, Object> factory = options.handlerFactories().get(function.logicalId());
            functions.put(function.logicalId(), factory == null
                    ? LocalFunction.create(function, environment)
                    : LocalFunction.create(function, environment, factory));
        }
        if (serveApi) {
            gateway = LocalGateway.start(gatewayPort, template, functions, options.clock());
            started.push(gateway);
        }
        if (options.startPollers()) {
            for (LocalFunction function : functions.values()) {
                for (TemplateModel.SqsEventSource source : function.definition().sqsEvents()) {
                    if (source.enabled()) {
                        int concurrency = source.maximumConcurrency() == null ? options.pollerConcurrency()
                                : Math.min(options.pollerConcurrency(), source.maximumConcurrency());
                        started.push(SqsPoller.start(function, source, queues.get(source.queueLogicalId()),
                                sqs, options.pollWaitSeconds(), concurrency));
                    }
                }
                // Scheduled functions (the reconciler) run as EventBridge would run them on AWS.
                for (TemplateModel.ScheduleEvent schedule : function.definition().scheduleEvents()) {
                    if (schedule.enabled()) {
                        started.push(LocalScheduler.start(function, schedule,
                                options.scheduleEvery() == null ? schedule.every() : options.scheduleEvery()));
                    }
                }
            }
        }
    }

    /** Where the queues are kept: {@code <data>/sqs}, or null (in memory) without a data folder. */
    static Path messageStore(Path dataFolder) {
        return dataFolder == null ? null : dataFolder.resolve("sqs");
    }

    /** DynamoDB Local and ElasticMQ in this JVM; secrets under the local key file. */
    private void bootEmbedded(LocalStackOptions options) {
        EmbeddedDynamoDb embeddedDynamoDb = EmbeddedDynamoDb.start(options.dataFolder(), options.dynamoDbPort());
        started.push(embeddedDynamoDb);
        embeddedDynamoDb.createTables(template.tables().values());
        dynamoDb = embeddedDynamoDb.client();
        dynamoDbEndpoint = embeddedDynamoDb.endpoint();
        EmbeddedSqs embeddedSqs = EmbeddedSqs.start(options.sqsPort(), messageStore(options.dataFolder()));
        started.push(embeddedSqs);
        queues = Map.copyOf(embeddedSqs.createQueues(TemplateQueues.ofTemplate(template)));
        sqs = embeddedSqs.client();
        sqsEndpoint = embeddedSqs.endpoint();
    }

    /**
     * Another emulator (moto, LocalStack) reached over the network: the template's tables, queues and
     * KMS keys are created there under the name prefix, and secrets are encrypted through its KMS.
     */
    private void bootExternal(AwsEndpoints endpoints, String prefix) {
        dynamoDbEndpoint = endpoints.dynamoDb();
        sqsEndpoint = endpoints.sqs();
        kmsEndpoint = endpoints.kms();
        tablePrefix = prefix;
        dynamoDb = LocalClients.dynamoDb(dynamoDbEndpoint);
        started.push(dynamoDb);
        sqs = LocalClients.sqs(sqsEndpoint);
        started.push(sqs);
        TemplateTables.create(dynamoDb, template.tables().values(), prefix);
        queues = Map.copyOf(TemplateQueues.create(sqs, TemplateQueues.ofTemplate(template), prefix));
        try (KmsClient kms = LocalClients.kms(kmsEndpoint)) {
            keyIds = Map.copyOf(TemplateKeys.ensure(kms, template.resourcesOfType("AWS::KMS::Key"), prefix));
        }
        LOG.info("Using external AWS endpoints: DynamoDB {}, SQS {}, KMS {} (names prefixed '{}')", dynamoDbEndpoint,
                sqsEndpoint, kmsEndpoint, prefix);
    }

    private Path keyFile(Path dataFolder) {
        try {
            if (dataFolder == null) {
                temporaryKeyFolder = Files.createTempDirectory("connectors-local-key");
                return temporaryKeyFolder.resolve(LocalEnvironment.KEY_FILE_NAME);
            }
            Files.createDirectories(dataFolder);
            return dataFolder.resolve(LocalEnvironment.KEY_FILE_NAME);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data folder " + dataFolder, e);
        }
    }

    /** The gateway's base URL, e.g. http://localhost:3000 (routes are served at the root, without stage). */
    public URI gatewayUrl() {
        if (gateway == null) {
            throw new IllegalStateException("the gateway was not started (no Api routes, or withGateway(false))");
        }
        return gateway.url();
    }

    public URI dynamoDbEndpoint() {
        return dynamoDbEndpoint;
    }

    public URI sqsEndpoint() {
        return sqsEndpoint;
    }

    /** The KMS endpoint secrets are encrypted through, when the stack uses external emulators. */
    public java.util.Optional<URI> kmsEndpoint() {
        return java.util.Optional.ofNullable(kmsEndpoint);
    }

    /** The KMS key id created for each {@code AWS::KMS::Key} on an external KMS (empty with the embedded emulators). */
    public Map<String, String> keyIds() {
        return keyIds;
    }

    /** What precedes each logical id in the names of the stack's tables and queues ("" with the embedded emulators). */
    public String resourcePrefix() {
        return tablePrefix;
    }

    /** A DynamoDB client for test setup and assertions (the stack's own; do not close it). */
    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    /** An SQS client for test setup and assertions (the stack's own; do not close it). */
    public SqsClient sqs() {
        return sqs;
    }

    public TemplateModel template() {
        return template;
    }

    /** The environment the function's handler was built with. */
    public Map<String, String> environmentOf(String functionLogicalId) {
        return function(functionLogicalId).environment();
    }

    /** The warm handler object of a function. */
    public Object handler(String functionLogicalId) {
        return function(functionLogicalId).handler();
    }

    /** The function itself, to invoke it with an event object or JSON. */
    public LocalFunction function(String functionLogicalId) {
        LocalFunction function = functions.get(functionLogicalId);
        if (function == null) {
            throw new IllegalArgumentException("no function " + functionLogicalId + " in the template; functions: "
                    + functions.keySet());
        }
        return function;
    }

    public String queueUrl(String queueLogicalId) {
        return queue(queueLogicalId).url();
    }

    public EmbeddedSqs.QueueAddress queue(String queueLogicalId) {
        EmbeddedSqs.QueueAddress address = queues.get(queueLogicalId);
        if (address == null) {
            throw new IllegalArgumentException("no queue " + queueLogicalId + " in the template; queues: " + queues.keySet());
        }
        return address;
    }

    public Map<String, EmbeddedSqs.QueueAddress> queues() {
        return queues;
    }

    /** Stops pollers, gateway, ElasticMQ and DynamoDB Local, in that order. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                LOG.warn("stopping a part of the local stack failed", e);
                if (failure == null) {
                    failure = new IllegalStateException("the local stack did not stop cleanly", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (temporaryKeyFolder != null) {
            try (Stream<Path> files = Files.walk(temporaryKeyFolder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                LOG.debug("could not remove {}: {}", temporaryKeyFolder, e.toString());
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
