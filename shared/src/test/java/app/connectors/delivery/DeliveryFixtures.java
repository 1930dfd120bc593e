package app.connectors.delivery;

import app.connectors.account.InMemoryUserStore;
import app.connectors.account.Tier;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorInput;
import app.connectors.connector.ConnectorService;
import app.connectors.connector.ConnectorValidator;
import app.connectors.connector.DestinationUrlPolicy;
import app.connectors.connector.FakeSsrfGuard;
import app.connectors.connector.InMemoryConnectorStore;
import app.connectors.crypto.LocalKeyFileDataKeySource;
import app.connectors.crypto.SecretCipher;
import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import app.connectors.signing.StandardWebhookSigner;
import app.connectors.transform.TransformationEngine;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/** Real connector service and request factory over in-memory stores, for the delivery unit tests. */
final class DeliveryFixtures {

    /** The moment the delivery tests' clocks start at. */
    static final java.time.Instant START = java.time.Instant.parse("2026-03-01T10:00:00Z");
    /** Three attempts: now, after 5 s, after 60 s; no jitter, so waits are exact. */
    static final RetrySchedule THREE_ATTEMPTS = new RetrySchedule(
            java.util.List.of(java.time.Duration.ZERO, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(60)), 0.0);
    static final String USER = "user-1";
    static final String SLACK_URL = "https://hooks.slack.com/services/T0000000/B0000000/Zq8RkV2mWx7pLs4N";
    static final String DISCORD_URL = "https://discord.com/api/webhooks/123456789012345678/tOkEn-SeCrEt_abc123";
    static final String GENERIC_URL = "https://api.example.com/hooks/in/s3cr3t-path";
    static final TransformationEngine ENGINE = new TransformationEngine();

    final InMemoryUserStore users;
    final InMemoryConnectorStore connectorStore;
    final ConnectorService connectors;
    final SecretCipher cipher;
    final RequestFactory requests;

    DeliveryFixtures(Path keys, Clock clock) {
        requests = new RequestFactory(ConnectorTypeCatalog.standard(), ENGINE, new StandardWebhookSigner(), clock);
        users = new InMemoryUserStore(clock);
        connectorStore = new InMemoryConnectorStore(users);
        var validator = new ConnectorValidator(ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                new DestinationUrlPolicy(new FakeSsrfGuard(), false), source -> Optional.empty());
        cipher = new SecretCipher(new LocalKeyFileDataKeySource(keys.resolve("master.key")), clock);
        connectors = new ConnectorService(connectorStore, users, validator, ConnectorTypeCatalog.standard(), cipher, clock,
                id -> Optional.empty());
        users.upsert(USER, Tier.ENTERPRISE);
    }

    ConnectorService.Created create(String body) {
        try {
            return connectors.create(USER, ConnectorInput.read(Json.MAPPER.readTree(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(body, e);
        }
    }

    Connector slack() {
        return create(webhook("slack", SLACK_URL)).connector();
    }

    Connector discord() {
        return create(webhook("discord", DISCORD_URL)).connector();
    }

    Connector withTransformation(String type, String url, String code) {
        return create("""
                {"type":"%s","name":"Transformed","config":{"webhook_url":"%s"},"events":["*"],"transformation":%s}"""
                .formatted(type, url, Json.write(Json.MAPPER.getNodeFactory().textNode(code)))).connector();
    }

    ConnectorService.Created generic(String headersJson) {
        return create("""
                {"type":"generic","name":"Hook","config":{"url":"%s","method":"PUT","headers":%s},"events":["*"]}"""
                .formatted(GENERIC_URL, headersJson));
    }

    static String webhook(String type, String url) {
        return """
                {"type":"%s","name":"%s channel","config":{"webhook_url":"%s"},"events":["promise.status_changed"]}"""
                .formatted(type, type, url);
    }

    /** The destination a connector's pacing, pauses and failure streak are kept under. */
    String destinationOf(Connector connector) {
        return requests.destinationKey(connector, connectors.secretsOf(connector));
    }
}
