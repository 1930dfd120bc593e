package app.connectors.windmill;

import app.connectors.delivery.EndpointOverrides;
import app.connectors.json.Json;
import app.connectors.net.FetchRequest;
import app.connectors.net.FetchResult;
import app.connectors.net.HttpFetcher;
import app.connectors.net.SendResult;
import app.connectors.net.UrlPath;
import app.connectors.problem.BadGatewayException;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * "Connect to Windmill": lists a user's workspaces and their scripts and flows with the user's token,
 * and builds the webhook URL of the one they pick. Windmill Cloud by default; a self-hosted base URL
 * must be https (plain http only on the local stack) and every call goes through the SSRF-guarded
 * fetcher, so a base URL on a private address is refused like any destination. The URL built here is
 * then saved through the connectors API like one typed in, with the same checks.
 *
 * <pre>{@code
 * List<Workspace> ws = windmill.workspaces(null, token);                                   // Cloud
 * String url = windmill.webhookUrl(null, "acme", "script", "f/alerts/on_promise", "async", token);
 * }</pre>
 */
public final class WindmillClient {

    public static final String CLOUD = "https://app.windmill.dev";
    private static final Pattern WORKSPACE = Pattern.compile("[a-z0-9_-]{1,64}");
    /** u/<user>/<name> or f/<folder>/<name>, as Windmill writes paths. */
    private static final Pattern PATH = Pattern.compile("[uf]/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+");
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,256}");

    private final HttpFetcher fetcher;
    private final EndpointOverrides overrides;
    private final boolean allowPlainHttp;

    public WindmillClient(HttpFetcher fetcher, EndpointOverrides overrides, boolean allowPlainHttp) {
        this.fetcher = fetcher;
        this.overrides = overrides;
        this.allowPlainHttp = allowPlainHttp;
    }

    /** A workspace the token's user belongs to. */
    public record Workspace(String id, String name) {
    }

    /** A script or flow of a workspace. */
    public record Runnable(String kind, String path, String summary) {
    }

    public List<Workspace> workspaces(String baseUrl, String token) {
        URI base = base(baseUrl);
        JsonNode list = get(base, "/api/workspaces/list", token);
        List<Workspace> out = new ArrayList<>();
        for (JsonNode w : list) {
            if (w.hasNonNull("id")) {
                out.add(new Workspace(w.get("id").asText(), w.path("name").asText(w.get("id").asText())));
            }
        }
        return out;
    }

    public List<Runnable> runnables(String baseUrl, String token, String workspace) {
        URI base = base(baseUrl);
        String ws = workspace(workspace);
        List<Runnable> out = new ArrayList<>();
        for (JsonNode script : get(base, "/api/w/" + ws + "/scripts/list", token)) {
            if (script.hasNonNull("path")) {
                out.add(new Runnable("script", script.get("path").asText(), script.path("summary").asText("")));
            }
        }
        for (JsonNode flow : get(base, "/api/w/" + ws + "/flows/list", token)) {
            if (flow.hasNonNull("path")) {
                out.add(new Runnable("flow", flow.get("path").asText(), flow.path("summary").asText("")));
            }
        }
        out.sort(Comparator.comparing(Runnable::kind).thenComparing(Runnable::path));
        return out;
    }

    /**
     * The webhook of a script or flow: {@code /api/w/<ws>/jobs/run/p|f/<path>} (async: answers the
     * job id) or {@code /jobs/run_wait_result/…} (sync: answers the result), with {@code ?token=}
     * when a token is given (Windmill webhooks need one; the URL is then the connector's credential).
     */
    public String webhookUrl(String baseUrl, String workspace, String kind, String path, String mode, String token) {
        URI base = base(baseUrl);
        String ws = workspace(workspace);
        String letter = switch (kind == null ? "" : kind) {
            case "script" -> "p";
            case "flow" -> "f";
            default -> throw ValidationException.of("kind", "kind must be script or flow");
        };
        String run = switch (mode == null ? "async" : mode) {
            case "async" -> "run";
            case "sync" -> "run_wait_result";
            default -> throw ValidationException.of("mode", "mode must be async (answers the job id) or sync (waits for the result)");
        };
        if (path == null || !PATH.matcher(path).matches() || UrlPath.hasDotSegment(path)) {
            throw ValidationException.of("path", "path must be a Windmill path such as f/alerts/on_promise or u/alice/notify"
                    + " (no . or .. segments)");
        }
        String url = base + "/api/w/" + ws + "/jobs/" + run + "/" + letter + "/" + path;
        if (token != null) {
            url += "?token=" + URLEncoder.encode(token(token), StandardCharsets.UTF_8);
        }
        return url;
    }

    private JsonNode get(URI base, String path, String token) {
        URI uri = overrides.apply(URI.create(base + path));
        FetchResult result = fetcher.fetch(FetchRequest.get(uri, Map.of("Authorization", "Bearer " + token(token),
                "Accept", "application/json")));
        return switch (result) {
            case FetchResult.Unreachable refused when refused.kind() == SendResult.FailureKind.REFUSED -> throw ValidationException.of(
                    "baseUrl", "baseUrl is refused: " + refused.message() + "; use your Windmill's public https address");
            case FetchResult.Unreachable unreachable -> throw new BadGatewayException("Windmill at " + base
                    + " could not be reached: " + unreachable.message() + ".");
            case FetchResult.Answer answer when answer.status() == 401 || answer.status() == 403 -> throw ValidationException.of(
                    "token", "Windmill refused the token (HTTP " + answer.status() + "); create a token in Windmill's account"
                            + " settings and paste it again");
            case FetchResult.Answer answer when answer.status() == 404 -> throw ValidationException.of("workspace",
                    "Windmill at " + base + " has no such workspace, or the token cannot see it (HTTP 404)");
            case FetchResult.Answer answer when !answer.isSuccess() -> throw new BadGatewayException("Windmill at " + base
                    + " answered HTTP " + answer.status() + "; try again, or check the base URL.");
            case FetchResult.Answer answer -> {
                try {
                    JsonNode json = Json.MAPPER.readTree(answer.body());
                    if (json == null || !json.isArray()) {
                        throw new BadGatewayException("Windmill at " + base + " did not answer with a list; is this a Windmill base URL?");
                    }
                    yield json;
                } catch (IOException e) {
                    throw new BadGatewayException("Windmill at " + base + " did not answer JSON; is this a Windmill base URL?");
                }
            }
        };
    }

    /** The base URL as scheme://host[:port], without a trailing slash; Windmill Cloud when blank. */
    URI base(String baseUrl) {
        String value = baseUrl == null || baseUrl.isBlank() ? CLOUD : baseUrl.strip();
        URI uri;
        try {
            uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        } catch (URISyntaxException e) {
            throw ValidationException.of("baseUrl", "baseUrl is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowPlainHttp && scheme.equals("http"))) {
            throw ValidationException.of("baseUrl", "baseUrl must be an https:// address, e.g. " + CLOUD);
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
            throw ValidationException.of("baseUrl", "baseUrl must be just the Windmill address, e.g. https://windmill.example.com");
        }
        return uri;
    }

    private static String workspace(String workspace) {
        if (workspace == null || !WORKSPACE.matcher(workspace).matches()) {
            throw ValidationException.of("workspace", "workspace must be a Windmill workspace id (lower-case letters, digits, - and _)");
        }
        return workspace;
    }

    private static String token(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw ValidationException.of("token", "token must be a Windmill token (1 to 256 characters, no spaces)");
        }
        return token;
    }
}
