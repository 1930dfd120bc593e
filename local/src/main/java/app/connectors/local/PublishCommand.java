package app.connectors.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@code bin/local publish <envelope.json>}: sends one event to the running stack's EventsQueue. */
final class PublishCommand implements LocalCommand {

    static final String DEFAULT_QUEUE = "EventsQueue";
    static final String QUEUE = "--queue";
    private static final String USAGE = "publish <event-envelope.json> [--queue " + DEFAULT_QUEUE + "]";

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public String synopsis() {
        return USAGE;
    }

    @Override
    public String description() {
        return "Send the file as one message to the running stack's queue; prints the message id.";
    }

    @Override
    public List<CommandOption> options() {
        return List.of(CommandOption.valued(QUEUE, "<QueueLogicalId>", "the queue (default " + DEFAULT_QUEUE + ")"));
    }

    @Override
    public List<BannerHint> hints(StackSummary stack) {
        if (!stack.queues().contains(DEFAULT_QUEUE)) {
            return List.of();
        }
        return List.of(new BannerHint(30, "Publish a platform event to " + DEFAULT_QUEUE,
                stack.command("publish events/event-promise-status-changed.json")));
    }

    @Override
    public int run(CommandLine line, Terminal terminal) {
        String body = EventFile.read(Path.of(line.positional(0, USAGE)));
        StackFile stack = StackFile.readRunning(line.data()).orElseThrow(() -> new UsageException(
                "No stack runs on " + line.data() + ": run `" + LocalMain.PROGRAM + " start` first (publish sends to its queues)."));
        String queueId = line.option(QUEUE).orElse(DEFAULT_QUEUE);
        EmbeddedSqs.QueueAddress queue = stack.queues().get(queueId);
        if (queue == null) {
            throw new UsageException("The running stack has no queue " + queueId + "; queues: " + stack.queues().keySet());
        }
        try (SqsClient sqs = LocalClients.sqs(URI.create(stack.sqsEndpoint()))) {
            String messageId = sqs.sendMessage(request -> request.queueUrl(queue.url()).messageBody(body)).messageId();
            terminal.out().println(messageId);
        }
        return OK;
    }
}
