package app.connectors.functions.api;

import app.connectors.account.Tier;
import app.connectors.auth.Principal;
import app.connectors.json.Json;
import app.connectors.problem.PayloadTooLargeException;
import app.connectors.problem.UnauthorizedException;
import app.connectors.problem.UnsupportedMediaTypeException;
import app.connectors.problem.ValidationException;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Read-only view of an API Gateway proxy request: the caller (from the authorizer's context), path
 * and query parameters, and the JSON body (at most 64 KB).
 */
public record ApiRequest(APIGatewayProxyRequestEvent event) {

    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** "METHOD /resource/{template}", the route API Gateway matched. */
    public String route() {
        return event.getHttpMethod() + " " + event.getResource();
    }

    public String path() {
        return event.getPath();
    }

    public String requestId() {
        var context = event.getRequestContext();
        return context == null || context.getRequestId() == null ? "unknown" : context.getRequestId();
    }

    /** The authenticated caller; the authorizer guarantees one on every routed request. */
    public Principal principal() {
        var context = event.getRequestContext();
        Map<String, Object> authorizer = context == null ? null : context.getAuthorizer();
        Object userId = authorizer == null ? null : authorizer.get("userId");
        if (userId == null) {
            throw new UnauthorizedException("Send a valid API token as: Authorization: Bearer <token>.");
        }
        Object tier = authorizer.get("tier");
        Object tokenId = authorizer.get("tokenId");
        return new Principal(userId.toString(), Tier.parse(tier == null ? null : tier.toString()).orElse(Tier.FREE),
                tokenId == null ? null : tokenId.toString());
    }

    public String pathParameter(String name) {
        Map<String, String> params = event.getPathParameters();
        String value = params == null ? null : params.get(name);
        if (value == null || value.isBlank()) {
            throw ValidationException.of(name, "path parameter " + name + " is missing");
        }
        return value;
    }

    public String query(String name) {
        Map<String, String> params = event.getQueryStringParameters();
        return params == null ? null : params.get(name);
    }

    public Integer intQuery(String name) {
        String value = query(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw ValidationException.of(name, name + " must be an integer");
        }
    }

    /** A request header by name, case-insensitively; null when absent. */
    public String header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /**
     * The body as JSON; an empty body is null. A body must be declared JSON ({@code application/json}
     * or a {@code +json} type): anything else is a 415 that says which header to send (curl's
     * {@code -d} alone sends a form type).
     */
    public JsonNode jsonBody() {
        String raw = event.getBody();
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        requireJsonContentType();
        byte[] bytes = Boolean.TRUE.equals(event.getIsBase64Encoded())
                ? Base64.getDecoder().decode(raw) : raw.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new PayloadTooLargeException("The request body is " + bytes.length + " bytes; the limit is "
                    + MAX_BODY_BYTES + " bytes (64 KB), transformation code included; shorten it and send again.");
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw ValidationException.of("", "The request body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw ValidationException.of("", "The request body cannot be read as JSON.");
        }
    }

    private void requireJsonContentType() {
        String contentType = header("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals("application/json") || (mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            return;
        }
        throw new UnsupportedMediaTypeException((contentType == null ? "The request body has no Content-Type"
                : "The request body is sent as " + mediaType) + "; send JSON with the header Content-Type: application/json"
                + " (curl: -H 'Content-Type: application/json').");
    }

    /** The body's text as sent (decoded when base64); null when there is none. */
    public String rawBody() {
        String raw = event.getBody();
        if (raw == null || !Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            return raw;
        }
        return new String(Base64.getDecoder().decode(raw), StandardCharsets.UTF_8);
    }

    /** The body, which must be present. */
    public JsonNode requiredJsonBody() {
        JsonNode body = jsonBody();
        if (body == null) {
            throw ValidationException.of("", "A JSON request body is required.");
        }
        return body;
    }
}
