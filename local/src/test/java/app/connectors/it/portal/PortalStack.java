package app.connectors.it.portal;

import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.functions.AccountsHandler;
import app.connectors.functions.PortalHandler;
import app.connectors.json.Json;
import app.connectors.local.LocalStack;
import app.connectors.local.LocalStackOptions;
import app.connectors.local.fake.FakeProviders;
import app.connectors.testing.MutableClock;
import app.connectors.testing.StubResolver;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The local stack as the portal tests use it: the real template and gateway, DynamoDB Local in
 * memory, no pollers; the portal and the accounts function run on a {@link MutableClock} (links and
 * sessions expire without waiting) and serve the test page of {@code portal/it-web/}.
 *
 * <pre>{@code
 * PortalStack stack = PortalStack.start();
 * PortalStack.User alice = stack.createUser("alice", "pro");
 * Browser browser = stack.browser();
 * browser.openLink(stack.portalLink(alice.userId()));   // the link's page, then its form: 303, cookie set
 * }</pre>
 */
final class PortalStack implements AutoCloseable {

    static final String WEB_ROOT = "portal/it-web/";
    private static final AtomicInteger USERS = new AtomicInteger();

    final MutableClock clock = new MutableClock(java.time.Instant.now());
    final StubResolver dns = new StubResolver().answer("hooks.slack.com", "93.184.216.34").answer("discord.com", "93.184.216.34");
    private final LocalStack stack;
    private final FakeProviders fakes;

    /** A user of the host platform and its first API token. */
    record User(String userId, String token) {
    }

    private PortalStack(UnaryOperator<LocalStackOptions> adjust, boolean withFakes) {
        this.fakes = withFakes ? FakeProviders.start(clock) : null;
        LocalStackOptions options = LocalStackOptions.forTests(Path.of("../template.yaml"))
                .withPollers(false)
                .withHandler("PortalFunction", env -> new PortalHandler(components(env), WEB_ROOT))
                .withHandler("AccountsFunction", env -> new AccountsHandler(components(env)))
                .withHandler("ConnectorsFunction", env -> new app.connectors.functions.ConnectorsHandler(components(env)))
                .withHandler("DeliveriesFunction", env -> new app.connectors.functions.DeliveriesHandler(components(env)));
        if (fakes != null) {
            options = fakes.configure(options);
        }
        try {
            this.stack = LocalStack.start(adjust.apply(options));
        } catch (RuntimeException e) {
            if (fakes != null) {
                fakes.close();
            }
            throw e;
        }
        if (fakes != null) {
            fakes.registerPortal(stack.gatewayUrl() + "/portal");
        }
    }

    static PortalStack start() {
        return new PortalStack(UnaryOperator.identity(), false);
    }

    static PortalStack start(UnaryOperator<LocalStackOptions> adjust) {
        return new PortalStack(adjust, false);
    }

    /** With fake Slack, Discord, HubSpot and Windmill, as {@code bin/local start --fake-providers} runs them. */
    static PortalStack startWithFakes() {
        return new PortalStack(UnaryOperator.identity(), true);
    }

    FakeProviders fakes() {
        return fakes;
    }

    Components components(Map<String, String> environment) {
        return new Components(Settings.from(environment), dns, clock);
    }

    LocalStack local() {
        return stack;
    }

    Browser browser() {
        return new Browser(stack.gatewayUrl());
    }

    User createUser(String label, String tier) {
        String userId = label + "-" + USERS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        JsonNode answer = accounts(Map.of("userId", userId, "tier", tier));
        if (!answer.path("ok").asBoolean()) {
            throw new IllegalStateException("AccountsFunction did not create " + userId + ": " + answer);
        }
        return new User(userId, answer.get("token").asText());
    }

    /** A portal link minted by AccountsFunction, as the host platform asks for one. */
    String portalLink(String userId) {
        JsonNode answer = accounts(Map.of("action", "portal-link", "userId", userId));
        if (!answer.path("ok").asBoolean()) {
            throw new IllegalStateException("AccountsFunction minted no link for " + userId + ": " + answer);
        }
        return answer.get("url").asText();
    }

    JsonNode accounts(Map<String, Object> input) {
        return Json.MAPPER.valueToTree(stack.function("AccountsFunction").invoke(new HashMap<>(input)));
    }

    /** A browser whose portal session is open for {@code userId}. */
    Browser signedIn(String userId) {
        Browser browser = browser();
        Browser.Response opened = browser.openLink(portalLink(userId));
        if (opened.status() != 303) {
            throw new IllegalStateException("the link did not open a session: " + opened);
        }
        return browser;
    }

    @Override
    public void close() {
        try {
            stack.close();
        } finally {
            if (fakes != null) {
                fakes.close();
            }
        }
    }
}
