package app.connectors.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/local portal-link <userId>}: a single-use App Portal link for a user of the running
 * stack, minted by AccountsFunction exactly as the host platform asks for one. Only the URL goes to
 * stdout (so {@code xdg-open "$(bin/local portal-link user-42)"} works); notes go to stderr. A user
 * that does not exist yet is created on the Pro plan first, so a fresh stack needs this one command.
 */
final class PortalLinkCommand implements LocalCommand {

    static final String NAME = "portal-link";
    static final String DEFAULT_USER = "user-42";
    static final String DEFAULT_TIER = "pro";
    private static final String USAGE = NAME + " <userId>";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String synopsis() {
        return USAGE;
    }

    @Override
    public String description() {
        return "Print a single-use App Portal link (valid 10 minutes) for the user of the running stack;\n"
                + "a user that does not exist yet is created on the " + DEFAULT_TIER + " plan.";
    }

    @Override
    public List<BannerHint> hints(StackSummary stack) {
        if (stack.gatewayUrl() == null) {
            return List.of();
        }
        String user = stack.existingUsers().isEmpty() ? DEFAULT_USER : stack.existingUsers().getFirst();
        return List.of(new BannerHint(40, "Open the App Portal (" + stack.gatewayUrl() + "/portal/) as " + user
                + " with the single-use link this prints", stack.command(NAME + " " + user)));
    }

    @Override
    public int run(CommandLine line, Terminal terminal) {
        String userId = line.positional(0, USAGE);
        StackFile stack = StackFile.readRunning(line.data()).filter(running -> running.gatewayUrl() != null)
                .orElseThrow(() -> new UsageException("No stack with an API runs on " + line.data() + ": run `"
                        + LocalMain.PROGRAM + " start` first (the link points at its portal)."));
        TemplateModel template = TemplateModel.load(line.template());
        TemplateModel.Function definition = template.function("AccountsFunction").orElseThrow(() -> new UsageException(
                line.template() + " has no AccountsFunction, which mints portal links."));
        Map<String, String> environment = FunctionEnvironment.of(definition, stack.resolver(template),
                URI.create(stack.dynamoDbEndpoint()), URI.create(stack.sqsEndpoint()), stack.kms(),
                line.data().toAbsolutePath().resolve(LocalEnvironment.KEY_FILE_NAME), List.of(),
                Map.of(LocalEnvironment.PORTAL_BASE_URL, stack.gatewayUrl() + "/portal"));
        LocalFunction accounts = LocalFunction.create(definition, environment);

        JsonNode link = invoke(accounts, Map.of("action", NAME, "userId", userId));
        if (!link.path("ok").asBoolean() && link.path("status").asInt() == 404) {
            JsonNode created = invoke(accounts, Map.of("userId", userId, "tier", DEFAULT_TIER));
            if (!created.path("ok").asBoolean()) {
                throw new CommandFailedException("AccountsFunction did not create " + userId + ": "
                        + created.path("detail").asText(created.toString()));
            }
            terminal.err().println("Created " + userId + " on the " + DEFAULT_TIER + " plan (it did not exist).");
            link = invoke(accounts, Map.of("action", NAME, "userId", userId));
        }
        if (!link.path("ok").asBoolean()) {
            throw new CommandFailedException("AccountsFunction minted no link: " + link.path("detail").asText(link.toString()));
        }
        terminal.err().println("Portal link for " + userId + ", valid once until " + link.get("expiresAt").asText() + ":");
        terminal.out().println(link.get("url").asText());
        return OK;
    }

    private static JsonNode invoke(LocalFunction accounts, Map<String, Object> input) {
        return LambdaJson.MAPPER.valueToTree(accounts.invoke(new HashMap<>(input)));
    }
}
