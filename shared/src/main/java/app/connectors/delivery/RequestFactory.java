package app.connectors.delivery;

import app.connectors.metrics.Metrics;
import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.catalog.FieldSpec;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorService.StoredSecrets;
import app.connectors.connector.SecretMask;
import app.connectors.event.Event;
import app.connectors.format.Formatters;
import app.connectors.json.Json;
import app.connectors.log.Log;
import app.connectors.net.OutboundRequest;
import app.connectors.net.Origin;
import app.connectors.signing.StandardWebhookSigner;
import app.connectors.transform.TransformOutcome;
import app.connectors.transform.TransformationEngine;
import app.connectors.transform.Webhook;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an event into the HTTP request one connector sends: format by type, run the connector's
 * transformation, then add what the service itself owns: content type, the type's query
 * parameters, signatures and credentials. The SSRF guard judges the final URL when it is sent.
 *
 * <p>Credentials never enter the sandbox: a transformation sees a secret URL masked (and gets the
 * real one back if it leaves the URL alone), an endpoint with its credential placeholders unfilled,
 * and no Authorization header. Credentials are added afterwards, and only when the request still
 * goes to the type's own origin, so a transformation cannot send a user's API key elsewhere.
 *
 * <pre>{@code
 * PreparedRequest prepared = requests.prepare(connector, secrets, event, deliveryId);
 * }</pre>
 */
public final class RequestFactory {

    /** {@code {field}}, or the same percent-encoded as the transformation sees it ({@code %7Bfield%7D}). */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}|%7[Bb]([a-z_]+)%7[Dd]");

    private final ConnectorTypeCatalog types;
    /** Built on first use: only a connector with a transformation needs the engine. */
    private final Supplier<TransformationEngine> transformations;
    private final StandardWebhookSigner signer;
    private final java.time.Clock clock;
    private final EndpointOverrides overrides;

    public RequestFactory(ConnectorTypeCatalog types, TransformationEngine transformations, StandardWebhookSigner signer,
                          java.time.Clock clock) {
        this(types, transformations, signer, clock, EndpointOverrides.none());
    }

    /** @param overrides development only: where requests for an API's origin really go (local fakes) */
    public RequestFactory(ConnectorTypeCatalog types, TransformationEngine transformations, StandardWebhookSigner signer,
                          java.time.Clock clock, EndpointOverrides overrides) {
        this(types, () -> transformations, signer, clock, overrides);
    }

    /**
     * @param transformations gives the engine when a connector's transformation first runs (a
     *                        supplier that builds it then spares a cold start the engine's cost)
     * @param overrides       development only: where requests for an API's origin really go (local fakes)
     */
    public RequestFactory(ConnectorTypeCatalog types, Supplier<TransformationEngine> transformations,
                          StandardWebhookSigner signer, java.time.Clock clock, EndpointOverrides overrides) {
        this.types = types;
        this.transformations = transformations;
        this.signer = signer;
        this.clock = clock;
        this.overrides = overrides;
    }

    /**
     * @param messageId the id receivers deduplicate on (the delivery id; the same for every attempt)
     */
    public PreparedRequest prepare(Connector connector, StoredSecrets secrets, Event event, String messageId) {
        ConnectorType type = types.find(connector.type())
                .orElseThrow(() -> new IllegalStateException("connector type no longer in the catalog: " + connector.type()));
        ObjectNode payload = Formatters.forType(type).format(event);
        Destination destination = destination(type, connector, secrets);
        String method = connector.publicConfig().path("method").asText("POST");
        Map<String, String> headers = new LinkedHashMap<>(secrets.headers());
        if (connector.transformation() == null) {
            return finish(type, connector, secrets, method, destination.real(), headers, Json.writeBytes(payload), messageId,
                    List.of());
        }
        // Secret header values enter the sandbox masked, like secret URLs.
        Map<String, String> shownHeaders = new LinkedHashMap<>();
        headers.forEach((name, value) -> shownHeaders.put(name, SecretMask.text(value)));
        Webhook input = new Webhook(method, destination.shown(), event.type(), payload, shownHeaders, false);
        TransformOutcome outcome = transformations.get().run(connector.transformation(), input);
        Metrics.transformation(connector.type(), outcome.took(), outcome instanceof TransformOutcome.Failure);
        return switch (outcome) {
            case TransformOutcome.Failure failure -> {
                String where = failure.line() == null ? "" : " at line " + failure.line()
                        + (failure.column() == null ? "" : ", column " + failure.column());
                yield new PreparedRequest.Failed("transformation failed (" + failure.kind() + where + "): "
                        + failure.message(), failure.console());
            }
            case TransformOutcome.Unavailable unavailable -> {
                // The host's overload, not the connector's fault: operators should see it.
                Log.warn("transformation.unavailable", "connectorId", connector.id(), "reason", unavailable.reason());
                yield new PreparedRequest.Postponed("the transformation could not run now: " + unavailable.reason(),
                        unavailable.console());
            }
            case TransformOutcome.Success success -> {
                Webhook out = success.webhook();
                if (out.cancel()) {
                    yield new PreparedRequest.Cancelled(success.console());
                }
                // The engine has checked that the result can be sent (Webhook.sendProblem).
                JsonNode result = out.payload();
                String url = realUrl(out.url(), destination);
                if (url == null) {
                    yield new PreparedRequest.Failed("webhook.url still contains the masked part of the connector's URL; "
                            + "leave it unchanged, append a query to it, or set a complete URL", success.console());
                }
                Map<String, String> outHeaders = realHeaders(out.headers(), headers, shownHeaders, url, destination);
                if (outHeaders == null) {
                    yield new PreparedRequest.Failed("the transformation sends the connector's secret headers to another "
                            + "origin than its URL's; they are only sent to " + originOf(destination.real()), success.console());
                }
                yield finish(type, connector, secrets, out.method(), url, outHeaders,
                        Json.writeBytes(result == null ? Json.object() : result), messageId, success.console());
            }
        };
    }

    /**
     * The URL to send to after a transformation: the real one when the masked one came back
     * unchanged or with a query appended; the transformation's own when it is a different URL;
     * null when it kept part of the mask (it would send to a URL that does not exist).
     */
    static String realUrl(String out, Destination destination) {
        if (out.equals(destination.shown())) {
            return destination.real();
        }
        if (!destination.shown().equals(destination.real()) && out.startsWith(destination.shown())) {
            String suffix = out.substring(destination.shown().length());
            if (suffix.startsWith("?") || suffix.startsWith("&")) {
                String joiner = destination.real().contains("?") ? "&" : "?";
                return destination.real() + joiner + suffix.substring(1);
            }
            return null;
        }
        if (!destination.shown().equals(destination.real()) && out.contains(SecretMask.MARK)) {
            return null;
        }
        return out;
    }

    /**
     * The transformation's headers with masked secret values replaced by the real ones, or null when
     * a masked secret would go to another origin than the connector's own URL.
     */
    private static Map<String, String> realHeaders(Map<String, String> out, Map<String, String> real, Map<String, String> shown,
                                                   String url, Destination destination) {
        Map<String, String> result = new LinkedHashMap<>();
        boolean sameOrigin = originOf(url) != null && originOf(url).equals(originOf(destination.real()));
        for (var entry : out.entrySet()) {
            String name = entry.getKey();
            String value = entry.getValue();
            if (shown.containsKey(name) && value.equals(shown.get(name))) {
                if (!sameOrigin) {
                    return null;
                }
                value = real.get(name);
            }
            result.put(name, value);
        }
        return result;
    }

    private static Origin originOf(String url) {
        try {
            return Origin.of(new URI(PLACEHOLDER.matcher(url).replaceAll("x")));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private PreparedRequest finish(ConnectorType type, Connector connector, StoredSecrets secrets, String method, String url,
                                   Map<String, String> userHeaders, byte[] body, String messageId, List<String> console) {
        URI uri;
        try {
            uri = withQuery(new URI(fillPlaceholders(type, secrets, url)), type.urlQuery());
            Origin.of(uri);
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new PreparedRequest.Failed("the destination URL is not a valid URL", console);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        userHeaders.forEach((name, value) -> {
            if (!isServiceHeader(name)) {
                headers.put(name, value);
            }
        });
        headers.put("Content-Type", "application/json");
        var signingSecrets = secrets.signingSecrets(clock.instant());
        if (!signingSecrets.isEmpty()) {
            headers.putAll(signer.headers(messageId, body, signingSecrets).asMap());
        }
        var credentials = credentialHeader(type, connector, secrets);
        if (credentials != null) {
            Origin allowed = credentialOrigin(type, connector, secrets);
            if (allowed == null || !allowed.equals(Origin.of(uri))) {
                return new PreparedRequest.Failed("the request goes to " + Origin.of(uri) + ", but this connector's credentials"
                        + " are only sent to " + allowed + "; keep webhook.url on that host", console);
            }
            headers.put("Authorization", credentials);
        }
        // Judged above on the logical URL; only the transport target moves (local fakes, never in production).
        return new PreparedRequest.Ready(new OutboundRequest(OutboundRequest.Method.valueOf(method), overrides.apply(uri), headers,
                body), console);
    }

    /** The URL to send to, and the form of it the transformation may see. */
    record Destination(String real, String shown) {
    }

    private static Destination destination(ConnectorType type, Connector connector, StoredSecrets secrets) {
        for (FieldSpec field : type.fields()) {
            // Only a required URL field is where requests go: an optional one (custom's icon_url) is display data.
            if (FieldSpec.URL.equals(field.kind()) && field.required()) {
                JsonNode value = field.secret() ? secrets.config().get(field.name()) : connector.publicConfig().get(field.name());
                if (value != null && value.isTextual()) {
                    String real = value.textValue();
                    return new Destination(real, field.secret() ? SecretMask.url(real) : real);
                }
            }
        }
        if (type.endpoint() != null) {
            // Placeholders stay unfilled for the transformation; they are filled after it, on the same origin only.
            // Shown percent-encoded: a raw {field} is not a valid URL, so a handler returning it would fail.
            return new Destination(type.endpoint(), shownEndpoint(type));
        }
        throw new IllegalStateException("connector " + connector.id() + " has no destination URL");
    }

    /**
     * The {@link DestinationKey} of the connector's configured URL: the destination its pacing and
     * pauses are counted on. A transformation that sends some requests elsewhere is still paced as
     * its connector's webhook.
     */
    public String destinationKey(Connector connector, StoredSecrets secrets) {
        ConnectorType type = types.find(connector.type())
                .orElseThrow(() -> new IllegalStateException("connector type no longer in the catalog: " + connector.type()));
        try {
            return DestinationKey.of(connector.userId(), fillPlaceholders(type, secrets, destination(type, connector, secrets).real()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("connector " + connector.id() + " has no valid destination URL", e);
        }
    }

    /** The type's endpoint as a transformation sees it: placeholders unfilled, braces percent-encoded. */
    public static String shownEndpoint(ConnectorType type) {
        return type.endpoint() == null ? null : type.endpoint().replace("{", "%7B").replace("}", "%7D");
    }

    /** Fills {field} placeholders from the secret config, only for the type's own endpoint origin. */
    private static String fillPlaceholders(ConnectorType type, StoredSecrets secrets, String url) throws URISyntaxException {
        if (type.endpoint() == null || !PLACEHOLDER.matcher(url).find()) {
            return url;
        }
        Origin endpointOrigin = Origin.of(new URI(PLACEHOLDER.matcher(type.endpoint()).replaceAll("x")));
        Origin target = Origin.of(new URI(PLACEHOLDER.matcher(url).replaceAll("x")));
        if (!endpointOrigin.equals(target)) {
            return url;
        }
        Matcher m = PLACEHOLDER.matcher(url);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            JsonNode value = secrets.config().get(m.group(1) != null ? m.group(1) : m.group(2));
            String replacement = value == null ? m.group(0) : URLEncoder.encode(value.asText(), StandardCharsets.UTF_8);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String credentialHeader(ConnectorType type, Connector connector, StoredSecrets secrets) {
        ConnectorType.Auth auth = type.auth();
        String scheme = auth.scheme();
        String tokenField = auth.token();
        String userField = auth.username();
        String passwordField = auth.password();
        if ("configured".equals(scheme)) {
            String chosen = connector.publicConfig().path("auth_type").asText("NONE").toUpperCase(Locale.ROOT);
            scheme = switch (chosen) {
                case "BASIC" -> "basic";
                case "BEARER" -> "bearer";
                default -> "none";
            };
            tokenField = "token";
            userField = "username";
            passwordField = "password";
        }
        return switch (scheme) {
            case "bearer" -> "Bearer " + secrets.config().path(tokenField).asText();
            case "basic" -> "Basic " + Base64.getEncoder().encodeToString((secrets.config().path(userField).asText() + ":"
                    + (passwordField == null ? "" : secrets.config().path(passwordField).asText()))
                    .getBytes(StandardCharsets.UTF_8));
            default -> null;
        };
    }

    private static Origin credentialOrigin(ConnectorType type, Connector connector, StoredSecrets secrets) {
        try {
            if (type.endpoint() != null) {
                return Origin.of(new URI(PLACEHOLDER.matcher(type.endpoint()).replaceAll("x")));
            }
            return Origin.of(new URI(destination(type, connector, secrets).real()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    static URI withQuery(URI uri, Map<String, String> extra) throws URISyntaxException {
        if (extra.isEmpty()) {
            return uri;
        }
        StringBuilder query = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        extra.forEach((name, value) -> {
            String pair = URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
            if (!(("&" + query + "&").contains("&" + pair + "&"))) {
                if (!query.isEmpty()) {
                    query.append('&');
                }
                query.append(pair);
            }
        });
        return new URI(uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + "?" + query);
    }

    /** Headers only the service sets: a transformation cannot forge a signature or override auth. */
    private static boolean isServiceHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals("content-type") || lower.equals("content-length") || lower.equals("host")
                || lower.equals("authorization") || lower.startsWith("webhook-") || lower.equals("transfer-encoding")
                || lower.equals("connection") || lower.startsWith("proxy-");
    }
}
