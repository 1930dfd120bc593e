package app.connectors.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/local token <userId>}: a new API token for a local user, for when the one printed at
 * creation is lost (tokens are stored hashed; none can be shown again). It invokes AccountsFunction
 * with its {@code issue-token} action, as the host platform would.
 */
final class TokenCommand implements LocalCommand {

    static final String NAME = "--name";
    static final String ACCOUNTS_FUNCTION = "AccountsFunction";
    private static final String USAGE = "token <userId> [--name <name>]";

    @Override
    public String name() {
        return "token";
    }

    @Override
    public String synopsis() {
        return USAGE;
    }

    @Override
    public String description() {
        return """
                Issue a new API token for an existing user (the way back from a lost token); prints
                AccountsFunction's answer with the token. The user's other tokens keep working.""";
    }

    @Override
    public List<CommandOption> options() {
        return List.of(CommandOption.valued(NAME, "<name>", "a name for the token (shown by GET /api/v1/tokens)"));
    }

    @Override
    public List<BannerHint> hints(StackSummary stack) {
        if (stack.existingUsers().isEmpty()) {
            return List.of();
        }
        return List.of(new BannerHint(10, "Lost the API token of " + stack.existingUsers().getFirst() + "? Issue a new one",
                stack.command("token " + stack.existingUsers().getFirst())));
    }

    @Override
    public int run(CommandLine line, Terminal terminal) {
        String userId = line.positional(0, USAGE);
        ObjectNode event = LambdaJson.MAPPER.createObjectNode().put("action", "issue-token").put("userId", userId);
        line.option(NAME).ifPresent(name -> event.put("name", name));
        Optional<JsonNode> result = InvokeCommand.invoke(line, ACCOUNTS_FUNCTION, event.toString(), Map.of(), terminal);
        if (result.isEmpty()) {
            return FAILED;
        }
        terminal.out().println(result.get());
        if (InvokeCommand.reportsFailure(result.get())) {
            terminal.err().println(result.get().path("detail").asText("AccountsFunction refused the request."));
            return FAILED;
        }
        terminal.err().println("export TOKEN=" + result.get().path("token").asText() + "   # shown only this once");
        return OK;
    }
}
