package app.connectors.delivery;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.catalog.FieldSpec;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorService.StoredSecrets;
import app.connectors.event.Event;
import app.connectors.format.Formatters;
import app.connectors.json.Json;
import app.connectors.net.OutboundRequest;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an event into the HTTP request one connector sends: format by type, run the connector's
 * transformation (which sees the payload, URL, method and the user's own headers, never
 * credentials), then add what the service itself owns: content type, the type's query parameters,
 * and signatures. The SSRF guard judges the final URL when the request is sent.
 *
 * <pre>{@code
 * PreparedRequest prepared = requests.prepare(connector, secrets, event, deliveryId);
 * }</pre>
 */
public final class RequestFactory {

    private final ConnectorTypeCatalog types;
    private final TransformationEngine transformations;
    private final StandardWebhookSigner signer;

    public RequestFactory(ConnectorTypeCatalog types, TransformationEngine transformations, StandardWebhookSigner signer) {
        this.types = types;
        this.transformations = transformations;
        this.signer = signer;
    }

    /**
     * @param messageId the id receivers deduplicate on (the delivery id; the same for every attempt)
     */
    public PreparedRequest prepare(Connector connector, StoredSecrets secrets, Event event, String messageId) {
        ConnectorType type = types.find(connector.type())
                .orElseThrow(() -> new IllegalStateException("connector type no longer in the catalog: " + connector.type()));
        ObjectNode payload = Formatters.forType(type).format(event);
        String url = destinationUrl(type, connector, secrets);
        String method = connector.publicConfig().path("method").asText("POST");
        Map<String, String> headers = new LinkedHashMap<>(secrets.headers());
        List<String> console = List.of();

        if (connector.transformation() != null) {
            Webhook input = new Webhook(method, url, event.type(), payload, headers, false);
            TransformOutcome outcome = transformations.run(connector.transformation(), input);
            console = outcome.console();
            switch (outcome) {
                case TransformOutcome.Failure failure -> {
                    String where = failure.line() == null ? "" : " at line " + failure.line()
                            + (failure.column() == null ? "" : ", column " + failure.column());
                    return new PreparedRequest.Failed("transformation failed (" + failure.kind() + where + "): "
                            + failure.message(), console);
                }
                case TransformOutcome.Success success -> {
                    Webhook out = success.webhook();
                    if (out.cancel()) {
                        return new PreparedRequest.Cancelled(console);
                    }
                    url = out.url();
                    method = out.method();
                    headers = new LinkedHashMap<>(out.headers());
                    if (!(out.payload() instanceof ObjectNode) && out.payload() != null && !out.payload().isArray()) {
                        return new PreparedRequest.Failed("transformation returned a payload that is not a JSON object or array",
                                console);
                    }
                    JsonNode result = out.payload();
                    byte[] body = Json.writeBytes(result == null ? Json.object() : result);
                    return finish(type, secrets, method, url, headers, body, messageId, console);
                }
            }
        }
        return finish(type, secrets, method, url, headers, Json.writeBytes(payload), messageId, console);
    }

    private PreparedRequest finish(ConnectorType type, StoredSecrets secrets, String method, String url,
                                   Map<String, String> userHeaders, byte[] body, String messageId, List<String> console) {
        URI uri;
        try {
            uri = withQuery(new URI(url), type.urlQuery());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return new PreparedRequest.Failed("destination URL is not a valid URL", console);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        userHeaders.forEach((name, value) -> {
            if (!isServiceHeader(name)) {
                headers.put(name, value);
            }
        });
        headers.put("Content-Type", "application/json");
        if (secrets.signingSecret() != null) {
            headers.putAll(signer.headers(messageId, body, secrets.signingSecret()).asMap());
        }
        return new PreparedRequest.Ready(new OutboundRequest(OutboundRequest.Method.valueOf(method), uri, headers, body), console);
    }

    /** The connector's destination: its first URL field (webhook_url, url, …). */
    static String destinationUrl(ConnectorType type, Connector connector, StoredSecrets secrets) {
        for (FieldSpec field : type.fields()) {
            if (FieldSpec.URL.equals(field.kind())) {
                JsonNode value = field.secret() ? secrets.config().get(field.name()) : connector.publicConfig().get(field.name());
                if (value != null && value.isTextual()) {
                    return value.textValue();
                }
            }
        }
        throw new IllegalStateException("connector " + connector.id() + " has no destination URL");
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
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.equals("content-type") || lower.equals("content-length") || lower.equals("host")
                || lower.equals("authorization") || lower.startsWith("webhook-") || lower.equals("transfer-encoding")
                || lower.equals("connection");
    }
}
