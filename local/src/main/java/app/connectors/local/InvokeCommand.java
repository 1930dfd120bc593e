package app.connectors.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/local invoke <FunctionLogicalId> --event <file>}: one invocation, like {@code sam local
 * invoke}. Uses the running stack's DynamoDB and queues when there is one on the same data folder
 * (two processes must never open the same sqlite files), else opens the data folder itself.
 */
final class InvokeCommand implements LocalCommand {

    static final String EVENT = "--event";
    static final String ENV = "--env";
    private static final String USAGE = "invoke <FunctionLogicalId> --event <file.json> [--env NAME=VALUE]...";

    @Override
    public String name() {
        return "invoke";
    }

    @Override
    public String synopsis() {
        return USAGE;
    }

    @Override
    public String description() {
        return """
                Invoke one function once, like `sam local invoke`; prints its JSON result on stdout.
                Uses the running stack's DynamoDB and SQS when `start` runs on the same --data folder,
                else opens the data folder's DynamoDB itself (and a throw-away ElasticMQ).
                Exits 1 when the function throws, answers {"ok": false, …} or reports failed batch items.""";
    }

    @Override
    public List<CommandOption> options() {
        return List.of(
                CommandOption.valued(EVENT, "<file.json>", "the event to invoke it with (see events/)"),
                CommandOption.valued(ENV, "NAME=VALUE", "add or replace a variable of the function's environment (repeatable)"));
    }

    @Override
    public List<BannerHint> hints(StackSummary stack) {
        if (!stack.existingUsers().isEmpty()) {
            return List.of();
        }
        return List.of(new BannerHint(10, "Create a user and its first API token (the token is in the output)",
                stack.command("invoke AccountsFunction --event events/accounts-create-user.json")));
    }

    @Override
    public int run(CommandLine line, Terminal terminal) {
        String functionId = line.positional(0, USAGE);
        String event = EventFile.read(Path.of(line.required(EVENT, LocalMain.PROGRAM + " " + USAGE)));
        Optional<JsonNode> result = invoke(line, functionId, event, environmentOptions(line), terminal);
        if (result.isEmpty()) {
            return FAILED;
        }
        terminal.out().println(result.get());
        return reportsFailure(result.get()) ? FAILED : OK;
    }

    /** The {@code --env NAME=VALUE} options, in order (a later one wins). */
    static Map<String, String> environmentOptions(CommandLine line) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String pair : line.all(ENV)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new UsageException(ENV + " takes NAME=VALUE, got: " + pair);
            }
            variables.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return variables;
    }

    /**
     * Invokes the function with the event JSON; its result as JSON, or empty when it threw (then
     * Lambda's error shape has been printed on stdout and the stack trace on stderr).
     */
    static Optional<JsonNode> invoke(CommandLine line, String functionId, String event, Map<String, String> extra,
            Terminal terminal) {
        TemplateModel template = TemplateModel.load(line.template());
        TemplateModel.Function definition = template.function(functionId).orElseThrow(() -> new UsageException(
                "No function " + functionId + " in " + line.template() + "; functions: " + template.functions().keySet()));
        Path data = line.data();
        Path keyFile = data.toAbsolutePath().resolve(LocalEnvironment.KEY_FILE_NAME);
        Optional<StackFile> running = StackFile.readRunning(data);
        List<AutoCloseable> toClose = new ArrayList<>();
        try {
            Map<String, String> environment;
            Optional<AwsEndpoints> external = line.awsEndpoints(System.getenv());
            if (running.isPresent()) {
                // Never open the sqlite files a running stack holds: use its DynamoDB, queues and keys.
                StackFile stack = running.get();
                terminal.err().println("Using the stack running on " + data + " (pid " + stack.pid() + ")");
                // Links the function mints (AccountsFunction's portal-link) point at that stack's portal, as its own do.
                Map<String, String> withPortal = new LinkedHashMap<>();
                if (stack.gatewayUrl() != null) {
                    withPortal.put(LocalEnvironment.PORTAL_BASE_URL, stack.gatewayUrl() + "/portal");
                }
                withPortal.putAll(extra);
                environment = FunctionEnvironment.of(definition, stack.resolver(template), URI.create(stack.dynamoDbEndpoint()),
                        URI.create(stack.sqsEndpoint()), stack.kms(), keyFile, List.of(), withPortal);
            } else if (external.isPresent()) {
                // The external emulator keeps the data: make sure the template's resources exist there.
                AwsEndpoints endpoints = external.get();
                Map<String, EmbeddedSqs.QueueAddress> queues;
                Map<String, String> keyIds;
                try (var dynamoDb = LocalClients.dynamoDb(endpoints.dynamoDb()); var sqs = LocalClients.sqs(endpoints.sqs());
                     var kms = LocalClients.kms(endpoints.kms())) {
                    TemplateTables.create(dynamoDb, template.tables().values(), "");
                    queues = TemplateQueues.create(sqs, TemplateQueues.ofTemplate(template), "");
                    keyIds = TemplateKeys.ensure(kms, template.resourcesOfType("AWS::KMS::Key"), "");
                }
                terminal.err().println("Using DynamoDB, SQS and KMS at " + endpoints.dynamoDb()
                        + (endpoints.sqs().equals(endpoints.dynamoDb()) ? "" : ", " + endpoints.sqs() + ", " + endpoints.kms()));
                environment = FunctionEnvironment.of(definition, new LocalResourceResolver(template, queues, "", keyIds),
                        endpoints.dynamoDb(), endpoints.sqs(), endpoints.kms(), keyFile, List.of(), extra);
            } else {
                EmbeddedDynamoDb dynamoDb = EmbeddedDynamoDb.start(data, 0);
                toClose.addFirst(dynamoDb);
                dynamoDb.createTables(template.tables().values());
                EmbeddedSqs sqs = EmbeddedSqs.start(0, LocalStack.messageStore(data));
                toClose.addFirst(sqs);
                if (!template.queues().isEmpty()) {
                    terminal.err().println("No stack runs on " + data + ": messages this invocation sends to SQS wait in "
                            + sqs.messageStore() + " until `" + LocalMain.PROGRAM + " start` runs there.");
                }
                environment = FunctionEnvironment.of(definition,
                        new LocalResourceResolver(template, sqs.createQueues(TemplateQueues.ofTemplate(template))),
                        dynamoDb.endpoint(), sqs.endpoint(), keyFile, List.of(), extra);
            }
            LocalFunction function = LocalFunction.create(definition, environment);
            Object result;
            try {
                result = function.invokeJson(event);
            } catch (LocalFunction.EventMismatchException e) {
                throw new UsageException(e.getMessage());
            } catch (RuntimeException | Error e) {
                // Lambda's error shape, so scripts can read it like `sam local invoke` output.
                ObjectNode error = LambdaJson.MAPPER.createObjectNode()
                        .put("errorMessage", String.valueOf(e.getMessage()))
                        .put("errorType", e.getClass().getName());
                terminal.out().println(error);
                e.printStackTrace(terminal.err());
                return Optional.empty();
            }
            return Optional.of(LambdaJson.MAPPER.valueToTree(result));
        } finally {
            for (AutoCloseable closeable : toClose) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    terminal.err().println("Stopping a local service failed: " + e);
                }
            }
        }
    }

    /**
     * Whether the function's answer says it failed: this product's direct-invoke functions answer
     * {@code {"ok": false, …}}, and SQS-triggered ones list the records they could not process.
     */
    static boolean reportsFailure(JsonNode result) {
        if (result == null || !result.isObject()) {
            return false;
        }
        JsonNode ok = result.get("ok");
        if (ok != null && ok.isBoolean() && !ok.asBoolean()) {
            return true;
        }
        JsonNode failures = result.get("batchItemFailures");
        return failures != null && failures.isArray() && !failures.isEmpty();
    }
}
