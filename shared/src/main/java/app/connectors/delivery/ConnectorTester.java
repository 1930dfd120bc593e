package app.connectors.delivery;

import app.connectors.connector.Connector;
import app.connectors.connector.ConnectorService;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.EventType;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import app.connectors.net.HttpSender;
import app.connectors.net.SendResult;
import app.connectors.problem.ServiceUnavailableException;
import app.connectors.problem.ValidationException;
import app.connectors.trace.TraceContext;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * {@code POST /connectors/{uuid}/test}: sends a sample event of one of the connector's subscribed
 * types now, through the same formatter, transformation and sender as a real delivery (no queue,
 * no retry, no pacing), and reports what the destination answered. A failure to deliver is a
 * result ({@code ok: false} and why), not an API error.
 */
public final class ConnectorTester {

    private final ConnectorService connectors;
    private final EventCatalog catalog;
    private final RequestFactory requests;
    private final HttpSender sender;
    private final Clock clock;
    private final CredentialRefresh credentials;

    public ConnectorTester(ConnectorService connectors, EventCatalog catalog, RequestFactory requests, HttpSender sender,
                           Clock clock) {
        this(connectors, catalog, requests, sender, clock, CredentialRefresh.none());
    }

    /** @param credentials renews expiring OAuth tokens (HubSpot) before the test, and once after a 401 */
    public ConnectorTester(ConnectorService connectors, EventCatalog catalog, RequestFactory requests, HttpSender sender,
                           Clock clock, CredentialRefresh credentials) {
        this.connectors = connectors;
        this.catalog = catalog;
        this.requests = requests;
        this.sender = sender;
        this.clock = clock;
        this.credentials = credentials;
    }

    public TestResult test(String userId, String connectorId, String requestedType) {
        Connector connector = credentials.beforeSend(connectors.get(userId, connectorId));
        EventType type = sampleType(connector, requestedType);
        Event event = sample(type);
        PreparedRequest prepared = requests.prepare(connector, connectors.secretsOf(connector), event,
                "msg_" + event.id());
        return switch (prepared) {
            case PreparedRequest.Cancelled c -> new TestResult(false, type.name(), event.id(), null, null, 0,
                    "the transformation cancelled this delivery (webhook.cancel = true); nothing was sent", c.console(), true);
            case PreparedRequest.Failed f -> new TestResult(false, type.name(), event.id(), null, null, 0, f.reason(),
                    f.console(), false);
            case PreparedRequest.Postponed p -> throw new ServiceUnavailableException(
                    "The test could not be sent now: " + p.reason() + ". Try again in a moment.");
            case PreparedRequest.Ready ready -> switch (send(connector, ready, event)) {
                case SendResult.Response r -> new TestResult(r.isSuccess(), type.name(), event.id(), r.status(), r.bodyExcerpt(),
                        r.latency().toMillis(), r.isSuccess() ? null : "the destination answered HTTP " + r.status(),
                        ready.console(), false);
                case SendResult.Failure f -> new TestResult(false, type.name(), event.id(), null, null, f.latency().toMillis(),
                        (f.kind() == SendResult.FailureKind.REFUSED ? "refused by the SSRF guard: " : f.kind() + ": ")
                                + f.message(), ready.console(), false);
            };
        };
    }

    /** Sends; after a 401 to credentials that can be renewed, sends once more with the renewed ones. */
    private SendResult send(Connector connector, PreparedRequest.Ready ready, Event event) {
        try (TraceContext.Scope typed = TraceContext.annotate("connector_type", connector.type())) {
            SendResult result = sender.send(ready.request());
            if (result instanceof SendResult.Response response && response.status() == 401) {
                var renewed = credentials.afterUnauthorized(connector);
                if (renewed.isPresent() && requests.prepare(renewed.get(), connectors.secretsOf(renewed.get()), event,
                        "msg_" + event.id()) instanceof PreparedRequest.Ready again) {
                    return sender.send(again.request());
                }
            }
            return result;
        }
    }

    private EventType sampleType(Connector connector, String requested) {
        boolean wildcard = connector.events().contains(EventCatalog.WILDCARD);
        if (requested != null) {
            EventType type = catalog.find(requested).orElseThrow(() -> ValidationException.of("eventType",
                    "'" + requested + "' is not an event type; GET /api/v1/event-types lists them"));
            if (!wildcard && !connector.events().contains(requested)) {
                throw ValidationException.of("eventType", "the connector is not subscribed to " + requested
                        + "; it receives " + String.join(", ", connector.events()));
            }
            return type;
        }
        return connector.events().stream().filter(e -> !e.equals(EventCatalog.WILDCARD)).findFirst()
                .flatMap(catalog::find)
                .orElseGet(() -> catalog.all().iterator().next());
    }

    private Event sample(EventType type) {
        ObjectNode envelope = type.example().deepCopy();
        envelope.put("id", "evt_test_" + UUID.randomUUID().toString().replace("-", ""));
        envelope.put("occurredAt", clock.instant().toString());
        try {
            return EventParser.standard().parse(Json.write(envelope));
        } catch (InvalidEventException e) {
            throw new IllegalStateException("catalog example of " + type.name() + " is not a valid event: " + e.getMessage(), e);
        }
    }

    /** The test's outcome, as {@code POST /connectors/{uuid}/test} returns it. */
    public record TestResult(boolean ok, String eventType, String eventId, Integer statusCode, String responseExcerpt,
                             long latencyMs, String error, List<String> console, boolean cancelled) {
    }
}
