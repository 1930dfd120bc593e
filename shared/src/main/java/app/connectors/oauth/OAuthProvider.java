package app.connectors.oauth;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The providers whose "Connect to …" button runs an OAuth 2 authorization-code flow, and how each
 * one's token answer becomes a connector's config. Endpoints are the providers' own; on the local
 * stack ENDPOINT_OVERRIDES sends them to local fakes.
 *
 * <pre>{@code
 * OAuthProvider slack = OAuthProvider.parse("slack").orElseThrow();
 * ObjectNode config = slack.config(tokenAnswer, now);   // {"webhook_url": "https://hooks.slack.com/…", "channel": "#eng"}
 * }</pre>
 */
public enum OAuthProvider {

    /** Scope incoming-webhook: the answer's incoming_webhook carries the URL and the channel the user chose. */
    SLACK("slack", "Slack", "https://slack.com/oauth/v2/authorize", "https://slack.com/api/oauth.v2.access",
            List.of("incoming-webhook"), ClientAuthentication.FORM) {
        @Override
        ObjectNode config(JsonNode answer, Instant now) {
            JsonNode hook = answer.path("incoming_webhook");
            String url = text(hook, "url");
            if (url == null) {
                throw new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR,
                        "Slack's answer has no incoming webhook; allow the app to post to a channel and try again.");
            }
            ObjectNode config = Json.object().put("webhook_url", url);
            String channel = text(hook, "channel");
            if (channel != null) {
                config.put("channel", channel);
            }
            return config;
        }

        @Override
        Optional<String> refusal(int status, JsonNode answer) {
            // Slack answers errors with HTTP 200 and {"ok": false, "error": "invalid_code"}.
            if (answer.path("ok").asBoolean(false)) {
                return Optional.empty();
            }
            return Optional.of(answer.path("error").asText("no error given") + " (HTTP " + status + ")");
        }
    },

    /** Scope webhook.incoming: the answer's webhook (id, token, channel, guild) is the channel's webhook. */
    DISCORD("discord", "Discord", "https://discord.com/oauth2/authorize", "https://discord.com/api/oauth2/token",
            List.of("webhook.incoming"), ClientAuthentication.BASIC) {
        @Override
        ObjectNode config(JsonNode answer, Instant now) {
            JsonNode hook = answer.path("webhook");
            String url = text(hook, "url");
            if (url == null && text(hook, "id") != null && text(hook, "token") != null) {
                url = "https://discord.com/api/webhooks/" + text(hook, "id") + "/" + text(hook, "token");
            }
            if (url == null) {
                throw new ConnectFailure(ConnectFailure.Reason.PROVIDER_ERROR,
                        "Discord's answer has no webhook; choose a channel on Discord's page and try again.");
            }
            ObjectNode config = Json.object().put("webhook_url", url);
            String channel = text(hook, "channel_id");
            if (channel != null) {
                config.put("channel", channel);
            }
            return config;
        }
    },

    /** The CRM write scopes of the source documents; access and refresh tokens are stored encrypted. */
    HUBSPOT("hubspot", "HubSpot", "https://app.hubspot.com/oauth/authorize", "https://api.hubapi.com/oauth/v1/token",
            List.of("crm.objects.contacts.write", "crm.objects.companies.write", "crm.objects.deals.write",
                    "crm.objects.quotes.write", "crm.objects.marketing_events.write"), ClientAuthentication.FORM) {
        @Override
        ObjectNode config(JsonNode answer, Instant now) {
            return HubSpotTokens.config(answer, now);
        }
    };

    /** How the client proves itself at the token endpoint. */
    enum ClientAuthentication {
        /** client_id and client_secret in the form body. */
        FORM,
        /** HTTP Basic with client_id:client_secret. */
        BASIC
    }

    private final String id;
    private final String displayName;
    private final URI authorizeEndpoint;
    private final URI tokenEndpoint;
    private final List<String> scopes;
    private final ClientAuthentication clientAuthentication;

    OAuthProvider(String id, String displayName, String authorizeEndpoint, String tokenEndpoint, List<String> scopes,
                  ClientAuthentication clientAuthentication) {
        this.id = id;
        this.displayName = displayName;
        this.authorizeEndpoint = URI.create(authorizeEndpoint);
        this.tokenEndpoint = URI.create(tokenEndpoint);
        this.scopes = scopes;
        this.clientAuthentication = clientAuthentication;
    }

    public static Optional<OAuthProvider> parse(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }

    /** The id in URLs and in the API ({@code slack}); also the connector type it creates. */
    public String id() {
        return id;
    }

    public String connectorType() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public URI authorizeEndpoint() {
        return authorizeEndpoint;
    }

    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    public List<String> scopes() {
        return scopes;
    }

    ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    /** The prefix of this provider's variables: {@code SLACK} for SLACK_CLIENT_ID. */
    public String variablePrefix() {
        return id.toUpperCase(Locale.ROOT);
    }

    /**
     * The connector config a successful token answer grants.
     *
     * @throws ConnectFailure when the answer lacks what the connector needs
     */
    abstract ObjectNode config(JsonNode answer, Instant now);

    /** Why the token endpoint refused, from its answer; empty when it granted. */
    Optional<String> refusal(int status, JsonNode answer) {
        if (status >= 200 && status < 300 && answer.hasNonNull("access_token")) {
            return Optional.empty();
        }
        // OAuth 2 error answers (RFC 6749 §5.2); HubSpot also answers {"status": "BAD_AUTH_CODE", "message": …}.
        String error = text(answer, "error") != null ? text(answer, "error") : text(answer, "status");
        String description = text(answer, "error_description") != null ? text(answer, "error_description") : text(answer, "message");
        return Optional.of((error == null ? "no error given" : error) + (description == null ? "" : ": " + description)
                + " (HTTP " + status + ")");
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank() ? null : value.asText();
    }
}
