package app.connectors.local.fake;

import app.connectors.config.Settings;
import app.connectors.local.LocalStackOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Fake Slack, Discord, HubSpot and Windmill together, and what the local stack's functions need to
 * use them: the client ids and secrets of their apps, ENDPOINT_OVERRIDES sending the real hosts to
 * them, and the SSRF allow-list entries admitting them (development only; template.yaml sets none).
 *
 * <pre>{@code
 * try (FakeProviders fakes = FakeProviders.start(Clock.systemUTC())) {
 *     options = fakes.configure(options);                          // apps, overrides, SSRF allow-list
 *     ...
 *     fakes.registerPortal("http://localhost:3000/portal");        // the redirect URIs they accept
 * }
 * }</pre>
 */
public final class FakeProviders implements AutoCloseable {

    private final FakeSlack slack;
    private final FakeDiscord discord;
    private final FakeHubSpot hubspot;
    private final FakeWindmill windmill;

    private FakeProviders(Clock clock) {
        List<AutoCloseable> started = new ArrayList<>();
        try {
            slack = started(started, new FakeSlack("fake-slack-client", "fake-slack-secret"));
            discord = started(started, new FakeDiscord("112233445566778899", "fake-discord-secret"));
            hubspot = started(started, new FakeHubSpot("fake-hubspot-client", "fake-hubspot-secret", clock));
            windmill = started(started, new FakeWindmill());
        } catch (RuntimeException e) {
            started.forEach(FakeProviders::closeQuietly);
            throw e;
        }
    }

    public static FakeProviders start(Clock clock) {
        return new FakeProviders(clock);
    }

    public FakeSlack slack() {
        return slack;
    }

    public FakeDiscord discord() {
        return discord;
    }

    public FakeHubSpot hubspot() {
        return hubspot;
    }

    public FakeWindmill windmill() {
        return windmill;
    }

    public List<FakeProvider> all() {
        return List.of(slack, discord, hubspot, windmill);
    }

    /** The callback URIs of a portal at {@code portalBaseUrl}, registered with each fake's app. */
    public void registerPortal(String portalBaseUrl) {
        for (FakeProvider provider : List.of(slack, discord, hubspot)) {
            provider.registerRedirectUri(portalBaseUrl + "/oauth/" + provider.name() + "/callback");
        }
    }

    /** {@code host=http://127.0.0.1:port,…} for every real host a fake stands in for. */
    public String endpointOverrides() {
        return all().stream().flatMap(p -> p.hosts().stream().map(host -> host + "=" + p.origin())).collect(Collectors.joining(","));
    }

    /** {@code 127.0.0.1:port} of every fake, for SSRF_ALLOWED_TARGETS. */
    public List<String> allowedTargets() {
        return all().stream().map(p -> "127.0.0.1:" + p.port()).toList();
    }

    /** The variables that point the portal's Connect flows at the fakes (with ENDPOINT_OVERRIDES). */
    public Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (FakeProvider provider : List.of(slack, discord, hubspot)) {
            String prefix = provider.name().toUpperCase(java.util.Locale.ROOT);
            environment.put(prefix + "_CLIENT_ID", provider.clientId());
            environment.put(prefix + "_CLIENT_SECRET", provider.clientSecret());
        }
        environment.put(Settings.ENDPOINT_OVERRIDES, endpointOverrides());
        return environment;
    }

    /**
     * {@code options} with the fakes' apps and endpoint overrides (appended to any ENDPOINT_OVERRIDES
     * already given) and their addresses admitted by the SSRF guard.
     */
    public LocalStackOptions configure(LocalStackOptions options) {
        LocalStackOptions with = options;
        for (var variable : environment().entrySet()) {
            String value = variable.getValue();
            String given = options.extraEnvironment().get(variable.getKey());
            if (variable.getKey().equals(Settings.ENDPOINT_OVERRIDES) && given != null && !given.isBlank()) {
                value = given + "," + value;
            }
            with = with.withEnvironment(variable.getKey(), value);
        }
        for (String target : allowedTargets()) {
            with = with.withAllowedTarget(target);
        }
        return with;
    }

    @Override
    public void close() {
        all().forEach(FakeProviders::closeQuietly);
    }

    private static <T extends AutoCloseable> T started(List<AutoCloseable> started, T provider) {
        started.add(provider);
        return provider;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // stopping a fake cannot fail in a way worth reporting
        }
    }
}
