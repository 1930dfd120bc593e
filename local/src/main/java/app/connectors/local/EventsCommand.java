package app.connectors.local;

import java.net.URI;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code bin/local events [--follow]}: prints the operational events the running stack published
 * (connector disabled or re-enabled, delivery dead, OAuth refresh failed), one JSON object a line,
 * as the host platform would receive them from the SNS topic. Locally they wait on the queue that
 * stands in for the topic; reading them takes them off it.
 */
final class EventsCommand implements LocalCommand {

    static final String FOLLOW = "--follow";
    static final String TOPIC = "--topic";
    static final String DEFAULT_TOPIC = "OperationalEventsTopic";

    @Override
    public String name() {
        return "events";
    }

    @Override
    public String synopsis() {
        return "events [--follow] [--topic " + DEFAULT_TOPIC + "]";
    }

    @Override
    public String description() {
        return "Print (and take off the local stand-in queue) the operational events published to the topic, one JSON a line;"
                + " --follow keeps waiting for more until Ctrl-C.";
    }

    @Override
    public List<CommandOption> options() {
        return List.of(CommandOption.flag(FOLLOW, "keep waiting for new events"),
                CommandOption.valued(TOPIC, "<TopicLogicalId>", "the SNS topic of the template (default " + DEFAULT_TOPIC + ")"));
    }

    @Override
    public List<BannerHint> hints(StackSummary stack) {
        if (!stack.queues().contains(DEFAULT_TOPIC)) {
            return List.of();
        }
        return List.of(new BannerHint(50, "Watch the operational events sent to the host (connector disabled, delivery dead, ...)",
                stack.command("events --follow")));
    }

    @Override
    public int run(CommandLine line, Terminal terminal) {
        StackFile stack = StackFile.readRunning(line.data()).orElseThrow(() -> new UsageException(
                "No stack runs on " + line.data() + ": run `" + LocalMain.PROGRAM + " start` first (events reads its queues)."));
        String topic = line.option(TOPIC).orElse(DEFAULT_TOPIC);
        EmbeddedSqs.QueueAddress queue = stack.queues().get(topic);
        if (queue == null) {
            throw new UsageException("The running stack has no topic " + topic + "; queues and topics: " + stack.queues().keySet());
        }
        boolean follow = line.flag(FOLLOW);
        try (SqsClient sqs = LocalClients.sqs(URI.create(stack.sqsEndpoint()))) {
            while (true) {
                List<Message> messages = sqs.receiveMessage(request -> request.queueUrl(queue.url()).maxNumberOfMessages(10)
                        .waitTimeSeconds(follow ? 10 : 1)).messages();
                for (Message message : messages) {
                    terminal.out().println(message.body());
                    sqs.deleteMessage(request -> request.queueUrl(queue.url()).receiptHandle(message.receiptHandle()));
                }
                terminal.out().flush();
                if (messages.isEmpty() && !follow) {
                    return OK;
                }
            }
        }
    }
}
