package app.connectors.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/local publish <envelope.json>}: sends one event through the running stack's control
 * port ({@link LocalAdmin}), which checks the envelope, says which connectors it goes to and which
 * already have it, and queues it. Only a socket and Jackson's tree model load here (no AWS SDK, no
 * TLS), so the command costs about as much as starting the JVM.
 */
final class PublishCommand implements LocalCommand {

    static final String DEFAULT_QUEUE = EventPublisher.EVENTS_QUEUE;
    static final String QUEUE = "--queue";
    static final String NEW_ID = "--new-id";
    private static final String USAGE = "publish <event-envelope.json> [--new-id] [--queue " + DEFAULT_QUEUE + "]";
    private static final int TIMEOUT_MILLIS = 30_000;

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
        return """
                Publish the file as one event on the running stack's queue, as the host platform does; prints the
                message id. Refuses (exit 1) a file that is not a valid event envelope, saying why, and says when
                connectors already received this event id (deliveries are keyed by it, so they get nothing new).""";
    }

    @Override
    public List<CommandOption> options() {
        return List.of(
                CommandOption.flag(NEW_ID, "publish under a fresh event id, so the same file is delivered again"),
                CommandOption.valued(QUEUE, "<QueueLogicalId>", "another queue of the template (sent as is, unchecked)"));
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
        Path file = Path.of(line.positional(0, USAGE));
        String body = EventFile.read(file);
        StackFile stack = StackFile.readRunning(line.data()).orElseThrow(() -> new UsageException(
                "No stack runs on " + line.data() + ": run `" + LocalMain.PROGRAM + " start` first (publish sends to its queues)."));
        if (stack.adminUrl() == null) {
            throw new UsageException("The stack running on " + line.data() + " (pid " + stack.pid()
                    + ") was started by an older version without a control port; restart it.");
        }
        String queue = line.option(QUEUE).orElse(DEFAULT_QUEUE);
        URI uri = URI.create(stack.adminUrl() + "/publish?queue=" + URLEncoder.encode(queue, StandardCharsets.UTF_8)
                + (line.flag(NEW_ID) ? "&newId=true" : ""));
        LoopbackHttp.Response response = post(uri, stack.adminToken(), body);
        JsonNode answer = json(response.body());
        if (response.status() == 400) {
            throw new CommandFailedException(file + " is not a valid event envelope: " + answer.path("error").asText()
                    + ". Nothing was sent.");
        }
        if (response.status() == 404) {
            throw new UsageException(answer.path("error").asText() + "; queues: " + stack.queues().keySet());
        }
        if (response.status() != 202) {
            throw new CommandFailedException("the stack answered " + response.status() + ": " + answer.path("error").asText(response.body()));
        }
        terminal.out().println(answer.path("messageId").asText());
        report(terminal, answer, file, line.flag(NEW_ID));
        return OK;
    }

    private static void report(Terminal terminal, JsonNode answer, Path file, boolean newId) {
        if (answer.path("eventId").isNull() || answer.path("eventId").isMissingNode()) {
            terminal.err().println("Sent to " + answer.path("queue").asText() + " as is (only " + DEFAULT_QUEUE + " is checked).");
            return;
        }
        String eventId = answer.path("eventId").asText();
        int matching = answer.path("matching").asInt();
        JsonNode delivered = answer.path("alreadyDelivered");
        terminal.err().println("Published " + eventId + (newId ? " (a new id)" : "") + " to " + answer.path("queue").asText()
                + ": " + (matching == 0 ? "no connector receives it (none is subscribed to its type with matching filters, "
                + "or they are disabled)." : "it goes to " + matching + (matching == 1 ? " connector." : " connectors.")));
        if (!delivered.isEmpty()) {
            List<String> which = new ArrayList<>();
            delivered.forEach(d -> which.add(d.path("connectorId").asText() + " (" + d.path("status").asText() + ")"));
            terminal.err().println("Note: " + eventId + " was already delivered to " + delivered.size() + " of them: "
                    + String.join(", ", which) + ". Deliveries are keyed by the event id, so they will not receive it again."
                    + " To send it as a new event: " + LocalMain.PROGRAM + " publish " + NEW_ID + " " + file);
        }
    }

    private static LoopbackHttp.Response post(URI uri, String token, String body) {
        try {
            return LoopbackHttp.post(uri, Map.of(LocalAdmin.TOKEN_HEADER, token, "Content-Type", "application/json"),
                    body.getBytes(StandardCharsets.UTF_8), TIMEOUT_MILLIS);
        } catch (ConnectException e) {
            throw new CommandFailedException("the running stack's control port (" + uri.getAuthority()
                    + ") does not answer; is the stack still starting or stopping?");
        } catch (IOException e) {
            throw new CommandFailedException("talking to the running stack failed: " + e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return LambdaJson.MAPPER.readTree(text);
        } catch (IOException e) {
            return LambdaJson.MAPPER.createObjectNode().put("error", text);
        }
    }
}
