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
        Clock clock) {

    public LocalStackOptions {
        if (pollerConcurrency < 1) {
            throw new IllegalArgumentException("pollerConcurrency must be at least 1, got " + pollerConcurrency);
        }
        allowedTargets = List.copyOf(allowedTargets);
        extraEnvironment = Map.copyOf(extraEnvironment);
        handlerFactories = Map.copyOf(handlerFactories);
    }

    /** What {@code start} uses: ./template.yaml, data under .local, the gateway on 3000, free ports for the rest. */
    public static LocalStackOptions defaults() {
        return new LocalStackOptions(Path.of("template.yaml"), Path.of(".local"), 3000, 0, 0, true, true, 2, 1,
                List.of(), Map.of(), Map.of(), Clock.systemUTC());
    }

    /** For tests: in-memory DynamoDB, free ports everywhere, 1 s long polls. */
    public static LocalStackOptions forTests(Path template) {
        return new LocalStackOptions(template, null, 0, 0, 0, true, true, 1, 1, List.of(), Map.of(), Map.of(),
                Clock.systemUTC());
    }

    public LocalStackOptions withTemplate(Path value) {
        return new LocalStackOptions(value, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock);
    }

    /** A data folder makes DynamoDB and the queues file-backed (both survive a restart); null keeps them in memory. */
    public LocalStackOptions withDataFolder(Path value) {
        return new LocalStackOptions(template, value, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock);
    }

    public LocalStackOptions withPorts(int gateway, int dynamoDb, int sqs) {
        return new LocalStackOptions(template, dataFolder, gateway, dynamoDb, sqs, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock);
    }

    public LocalStackOptions withGateway(boolean value) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, value, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock);
    }

    /** Without pollers, tests drive SQS-triggered handlers themselves (or read the queues). */
    public LocalStackOptions withPollers(boolean value) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, value,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, clock);
    }

    /** Up to {@code value} batches of each SQS-triggered function at once (capped by its MaximumConcurrency). */
    public LocalStackOptions withPollerConcurrency(int value) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, value, allowedTargets, extraEnvironment, handlerFactories, clock);
    }

    public LocalStackOptions withAllowedTarget(String hostAndPort) {
        List<String> targets = new java.util.ArrayList<>(allowedTargets);
        targets.add(hostAndPort);
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, targets, extraEnvironment, handlerFactories, clock);
    }

    public LocalStackOptions withEnvironment(String name, String value) {
        Map<String, String> environment = new LinkedHashMap<>(extraEnvironment);
        environment.put(name, value);
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, environment, handlerFactories, clock);
    }

    /** Builds this function's handler with the factory (given the function's local environment). */
    public LocalStackOptions withHandler(String logicalId, Function<Map<String, String>, Object> factory) {
        Map<String, Function<Map<String, String>, Object>> factories = new LinkedHashMap<>(handlerFactories);
        factories.put(logicalId, factory);
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, factories, clock);
    }

    public LocalStackOptions withClock(Clock value) {
        return new LocalStackOptions(template, dataFolder, gatewayPort, dynamoDbPort, sqsPort, startGateway, startPollers,
                pollWaitSeconds, pollerConcurrency, allowedTargets, extraEnvironment, handlerFactories, value);
    }
}
