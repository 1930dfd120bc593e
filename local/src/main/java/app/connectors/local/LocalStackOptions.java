package app.connectors.local;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How to start a {@link LocalStack}. Start from {@link #defaults()} (the {@code start} command:
 * file-backed under .local, gateway on 3000) or {@link #forTests(Path)} (in-memory DynamoDB, free
 * ports, 1 s long polls) and adjust with the {@code with…} methods.
 *
 * <pre>{@code
 * LocalStackOptions options = LocalStackOptions.forTests(Path.of("../template.yaml"))
 *         .withAllowedTarget("localhost:" + fakeSlack.port())
 *         .withHandler("DeliverFunction", env -> new DeliverHandler(env, fakeResolver));
 * }</pre>
 *
 * @param template         the SAM template to read
 * @param dataFolder       where DynamoDB's files, the queues' message store, the local key file and stack.json
 *                         live; null: in memory
 *                         (the key file then goes to a temporary folder removed at close)
 * @param gatewayPort      the gateway's port, 0 for a free one
 * @param dynamoDbPort     DynamoDB Local's port, 0 for a free one
 * @param sqsPort          ElasticMQ's port, 0 for a free one
 * @param startGateway     whether to serve the API
 * @param startPollers     whether to poll the queues of SQS-triggered functions
 * @param pollWaitSeconds  the pollers' long-poll wait
 * @param pollerConcurrency batches of one SQS-triggered function that may run at once (1 by default, for
 *                         deterministic runs; a load test raises it, capped by the event source's
 *                         MaximumConcurrency as on Lambda)
 * @param allowedTargets   {@code host:port} pairs passed to every function as SSRF_ALLOWED_TARGETS
 * @param extraEnvironment entries added to (or replacing) every function's environment
 * @param handlerFactories per logical id, a factory that builds the handler from its environment
 *                         instead of the template's class (fakes, injected resolvers)
 * @param clock            time for the authorizer cache (tests move it forward)
 * @param awsEndpoints     DynamoDB, SQS and KMS outside this JVM to use instead of starting DynamoDB Local
 *                         and ElasticMQ (secrets then go through KMS); null: the embedded emulators
 * @param resourcePrefix   what precedes each logical id in the names of the tables and queues the stack
 *                         creates on {@code awsEndpoints} (so stacks can share one server); "" by default
 * @param scheduleEvery    how often scheduled functions run (only when the pollers run too); null: each
 *                         at its template's rate. Tests and fault runs shorten it.
 */
public record LocalStackOptions(
        Path template,
        Path dataFolder,
        int gatewayPort,
        int dynamoDbPort,
        int sqsPort,
        boolean startGateway,
        boolean startPollers,
        int pollWaitSeconds,
        int pollerConcurrency,
        List<String> allowedTargets,
        Map<String, String> extraEnvironment,
        Map<String, Function<Map<String, String>, Object>> handlerFactories,
        Clock clock,
        AwsEndpoints awsEndpoints,
        String resourcePrefix,
        java.time.Duration scheduleEvery) {

    /**
     * A system property naming an AWS endpoint (e.g. {@code http://127.0.0.1:5123}, moto's server) that
     * stacks made by {@link #forTests} use instead of their own emulators, each with its own name prefix.
     * The integration tests' second run sets it.
     */
    public static final String TEST_AWS_ENDPOINT_PROPERTY = "connectors.test.awsEndpoint";

    public LocalStackOptions {
        if (pollerConcurrency < 1) {
            throw new IllegalArgumentException("pollerConcurrency must be at least 1, got " + pollerConcurrency);
        }
        allowedTargets = List.copyOf(allowedTargets);
        extraEnvironment = Map.copyOf(extraEnvironment);
        handlerFactories = Map.copyOf(handlerFactories);
        resourcePrefix = resourcePrefix == null ? "" : resourcePrefix;
        if (!resourcePrefix.matches("[A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("resourcePrefix may hold letters, digits, '-' and '_' only, got " + resourcePrefix);
        }
    }

    /** What {@code start} uses: ./template.yaml, data under .local, the gateway on 3000, free ports for the rest. */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(Path.of("template.yaml"), Path.of(".local"), 3000, 0, 0, true, true, 2, 1,
                List.of(), Map.of(), Map.of(), Clock.systemUTC(), null, "", null);
    }

    /**
     * For tests: in-memory DynamoDB, free ports everywhere, 1 s long polls; or, when the system property
     * {@value #TEST_AWS_ENDPOINT_PROPERTY} names an endpoint, that endpoint with a fresh name prefix.
     */
    public static LocalStackOptions forTests(Path template) {
        String external = System.getProperty(TEST_AWS_ENDPOINT_PROPERTY, "");
        return new LocalStackOptions(template, null, 0, 0, 0, true, true, 1, 1, List.of(), Map.of(), Map.of(),
                Clock.systemUTC(), external.isBlank() ? null : AwsEndpoints.of(java.net.URI.create(external.strip())),
                external.isBlank() ? "" : "t" + java.util.UUID.randomUUID().toString().substring(0, 8) + "-", null);
    }

    public LocalStackOptions withTemplate(Path value) {
        return new LocalStackOptions(value, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock, awsEndpoints, resourcePrefix,
                scheduleEvery);
    }

    /** A data folder makes DynamoDB and the queues file-backed (both survive a restart); null keeps them in memory. */
    public LocalStackOptions withDataFolder(Path value) {
        return new LocalStackOptions(template, value, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock, awsEndpoints, resourcePrefix,
                scheduleEvery);
    }

    public LocalStackOptions withPorts(int gateway, int dynamoDb, int sqs) {
        return new LocalStackOptions(template, dataFolder, gateway, dynamoDb, sqs, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock, awsEndpoints, resourcePrefix,
                scheduleEvery);
    }

    public LocalStackOptions withGateway(boolean value) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, value, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock, awsEndpoints, resourcePrefix,
                scheduleEvery);
    }

    /** Without pollers, tests drive SQS-triggered handlers themselves (or read the queues). */
    public LocalStackOptions withPollers(boolean value) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, value,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock, awsEndpoints, resourcePrefix,
                scheduleEvery);
    }

    /** Up to {@code value} batches of each SQS-triggered function at once (capped by its MaximumConcurrency). */
    public LocalStackOptions withPollerConcurrency(int value) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, value, allowedTargets, extraEnvironment, handlerFactories, clock, awsEndpoints, resourcePrefix,
                scheduleEvery);
    }

    public LocalStackOptions withAllowedTarget(String hostAndPort) {
        List<String> targets = new java.util.ArrayList<>(allowedTargets);
        targets.add(hostAndPort);
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, targets, extraEnvironment, handlerFactories, clock, awsEndpoints, resourcePrefix,
                scheduleEvery);
    }

    public LocalStackOptions withEnvironment(String name, String value) {
        Map<String, String> environment = new LinkedHashMap<>(extraEnvironment);
        environment.put(name, value);
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, environment, handlerFactories, clock, awsEndpoints, resourcePrefix,
                scheduleEvery);
    }

    /** Builds this function's handler with the factory (given the function's local environment). */
    public LocalStackOptions withHandler(String logicalId, Function<Map<String, String>, Object> factory) {
        Map<String, Function<Map<String, String>, Object>> factories = new LinkedHashMap<>(handlerFactories);
        factories.put(logicalId, factory);
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, factories, clock, awsEndpoints,
                resourcePrefix, scheduleEvery);
    }

    /** Use these AWS endpoints instead of starting DynamoDB Local and ElasticMQ (null: start them). */
    public LocalStackOptions withAwsEndpoints(AwsEndpoints value, String namePrefix) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock, value,
                namePrefix, scheduleEvery);
    }

    /** Whether the stack uses external AWS endpoints rather than its own emulators. */
    public boolean external() {
        return awsEndpoints != null;
    }

    public LocalStackOptions withClock(Clock value) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, value, awsEndpoints,
                resourcePrefix, scheduleEvery);
    }

    /** Runs every scheduled function this often instead of at its template's rate. */
    public LocalStackOptions withScheduleEvery(java.time.Duration value) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock, awsEndpoints,
                resourcePrefix, value);
    }
}
