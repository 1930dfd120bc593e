package app.connectors.local;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code bin/local dlq list|show|redrive}: the running stack's dead-letter queues (every queue another
 * queue's redrive policy names: EventsDLQ for parked events, DeliveriesDLQ for dead deliveries).
 * {@code show} prints messages with their reason without taking them; {@code redrive} moves them back
 * to the queue they came from, as StartMessageMoveTask does on AWS.
 */
final class DlqCommand implements LocalCommand {

    static final String MAX = "--max";
    private static final String USAGE = "dlq list | dlq show <DlqLogicalId> [--max n] | dlq redrive <DlqLogicalId>";

    @Override
    public String name() {
        return "dlq";
    }

    @Override
    public String synopsis() {
        return USAGE;
    }

    @Override
    public String description() {
        return "The running stack's dead-letter queues: list them with their depth, show their messages (with the reason"
                + " they were parked; nothing is taken off), or redrive them to the queue they came from.";
    }

    @Override
    public List<CommandOption> options() {
        return List.of(CommandOption.valued(MAX, "<n>", "show at most n messages (default 10)"));
    }

    @Override
    public List<BannerHint> hints(StackSummary stack) {
        return List.of(new BannerHint(60, "See what failed for good (parked events, dead deliveries)", stack.command("dlq list")));
    }

    @Override
    public int run(CommandLine line, Terminal terminal) {
        String action = line.positional(0, USAGE);
        StackFile stack = StackFile.readRunning(line.data()).orElseThrow(() -> new UsageException(
                "No stack runs on " + line.data() + ": run `" + LocalMain.PROGRAM + " start` first (dlq reads its queues)."));
        Map<String, String> sources = sourcesByDeadLetterQueue(TemplateModel.load(line.template()));
        try (SqsClient sqs = LocalClients.sqs(URI.create(stack.sqsEndpoint()))) {
            return switch (action) {
                case "list" -> list(sqs, stack, sources, terminal);
                case "show" -> show(sqs, queue(stack, sources, line.positional(1, USAGE)), line.intOption(MAX, 10), terminal);
                case "redrive" -> {
                    String dlq = line.positional(1, USAGE);
                    yield redrive(sqs, queue(stack, sources, dlq), stack.queues().get(sources.get(dlq)), terminal);
                }
                default -> throw new UsageException("Usage: " + LocalMain.PROGRAM + " " + USAGE);
            };
        }
    }

    /** Each dead-letter queue of the template, with the queue that redrives into it. */
    static Map<String, String> sourcesByDeadLetterQueue(TemplateModel template) {
        Map<String, String> sources = new LinkedHashMap<>();
        template.queues().values().stream().filter(queue -> queue.deadLetterQueueLogicalId() != null)
                .forEach(queue -> sources.put(queue.deadLetterQueueLogicalId(), queue.logicalId()));
        return sources;
    }

    private static EmbeddedSqs.QueueAddress queue(StackFile stack, Map<String, String> sources, String dlq) {
        if (!sources.containsKey(dlq) || !stack.queues().containsKey(dlq)) {
            throw new UsageException("No dead-letter queue " + dlq + "; they are: " + sources.keySet());
        }
        return stack.queues().get(dlq);
    }

    private static int list(SqsClient sqs, StackFile stack, Map<String, String> sources, Terminal terminal) {
        for (Map.Entry<String, String> entry : sources.entrySet()) {
            EmbeddedSqs.QueueAddress dlq = stack.queues().get(entry.getKey());
            if (dlq == null) {
                continue;
            }
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(request -> request.queueUrl(dlq.url())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            terminal.out().printf("%-16s %5s messages (%s in flight)  from %s%n", entry.getKey(),
                    attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "?"),
                    attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "?"), entry.getValue());
        }
        return OK;
    }

    /** Prints up to {@code max} messages as JSON lines, each given back at once (visibility 0). */
    private static int show(SqsClient sqs, EmbeddedSqs.QueueAddress dlq, int max, Terminal terminal) {
        Map<String, Message> seen = new LinkedHashMap<>();
        for (int round = 0; round < 5 && seen.size() < max; round++) {
            int wait = round == 0 ? 1 : 0;
            List<Message> batch = sqs.receiveMessage(request -> request.queueUrl(dlq.url()).maxNumberOfMessages(Math.min(10, max))
                    .waitTimeSeconds(wait).visibilityTimeout(30).messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                break;
            }
            for (Message message : batch) {
                seen.putIfAbsent(message.messageId(), message);
            }
        }
        List<Message> shown = new ArrayList<>(seen.values()).subList(0, Math.min(max, seen.size()));
        for (Message message : seen.values()) {
            // Give every message back at once: show never takes one.
            sqs.changeMessageVisibility(request -> request.queueUrl(dlq.url()).receiptHandle(message.receiptHandle()).visibilityTimeout(0));
        }
        for (Message message : shown) {
            var line = LambdaJson.MAPPER.createObjectNode().put("messageId", message.messageId());
            MessageAttributeValue reason = message.messageAttributes().get("reason");
            if (reason != null) {
                line.put("reason", reason.stringValue());
            }
            try {
                line.set("body", LambdaJson.MAPPER.readTree(message.body()));
            } catch (Exception notJson) {
                line.put("body", message.body());
            }
            terminal.out().println(line);
        }
        terminal.err().println(shown.size() + " message(s) shown from " + dlq.logicalId() + " (none taken off it)");
        return OK;
    }

    /** Moves every message back to the source queue: sent there first, then deleted here, so none is lost. */
    private static int redrive(SqsClient sqs, EmbeddedSqs.QueueAddress dlq, EmbeddedSqs.QueueAddress source, Terminal terminal) {
        int moved = 0;
        while (true) {
            int wait = moved == 0 ? 1 : 0;
            List<Message> batch = sqs.receiveMessage(request -> request.queueUrl(dlq.url()).maxNumberOfMessages(10)
                    .waitTimeSeconds(wait).visibilityTimeout(60).messageAttributeNames("All")).messages();
            if (batch.isEmpty()) {
                break;
            }
            for (Message message : batch) {
                sqs.sendMessage(request -> request.queueUrl(source.url()).messageBody(message.body())
                        .messageAttributes(message.messageAttributes()));
                sqs.deleteMessage(request -> request.queueUrl(dlq.url()).receiptHandle(message.receiptHandle()));
                moved++;
            }
        }
        terminal.out().println(moved + " message(s) moved from " + dlq.logicalId() + " back to " + source.logicalId());
        return OK;
    }
}
