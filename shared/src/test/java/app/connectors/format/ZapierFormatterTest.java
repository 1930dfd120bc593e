package app.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ZapierFormatterTest {

    private final ZapierFormatter formatter = new ZapierFormatter();

    @Test
    void flattensTheEnvelopeIntoDottedKeys() {
        // GIVEN the catalog's status change example
        Event event = TestEvents.example(TestEvents.STATUS_CHANGED);

        // WHEN formatted
        ObjectNode flat = formatter.format(event);

        // THEN the envelope's parts appear under dotted names
        assertThat(flat.path("event.id").asText()).isEqualTo(event.id());
        assertThat(flat.path("event.type").asText()).isEqualTo(event.type());
        assertThat(flat.path("event.occurredAt").asText()).isEqualTo("2026-11-20T14:03:00Z");
        assertThat(flat.path("subject.title").asText()).isEqualTo(event.subject().title());
        assertThat(flat.path("subject.url").asText()).isEqualTo(event.subject().url());
        assertThat(flat.path("subject.status").asText()).isEqualTo("kept");
        assertThat(flat.path("attributes.category").asText()).isEqualTo("tech-product");
        assertThat(flat.path("data.previousStatus").asText()).isEqualTo("in_progress");
    }

    @ParameterizedTest
    @MethodSource("catalogExamples")
    void everyCatalogExampleBecomesOneLevelOfScalars(Event event) {
        ObjectNode flat = formatter.format(event);
        assertThat(flat.properties()).allSatisfy(e -> assertThat(e.getValue().isContainerNode()).as(e.getKey()).isFalse());
    }

    @Test
    void joinsScalarArraysIndexesArraysOfObjectsAndKeepsScalarTypes() {
        // GIVEN data with a nested object, a scalar list, a list of objects, an empty list and typed scalars
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED);
        ObjectNode data = envelope.putObject("data");
        data.putObject("author").put("name", "Ada").putObject("org").put("name", "Acme");
        data.putArray("tags").add("mobile").add("offline").add(7);
        data.putArray("items").add(Json.object().put("sku", "A1")).add(Json.object().put("sku", "B2"));
        data.putArray("none");
        data.putObject("nothing");
        data.put("daysLeft", 24).put("urgent", true).putNull("owner");
        Event event = TestEvents.parse(envelope);

        // WHEN formatted
        ObjectNode flat = formatter.format(event);

        // THEN nesting becomes dotted keys, scalar lists one joined value, object lists indexed keys
        assertThat(flat.path("data.author.name").asText()).isEqualTo("Ada");
        assertThat(flat.path("data.author.org.name").asText()).isEqualTo("Acme");
        assertThat(flat.path("data.tags").asText()).isEqualTo("mobile, offline, 7");
        assertThat(flat.path("data.items.0.sku").asText()).isEqualTo("A1");
        assertThat(flat.path("data.items.1.sku").asText()).isEqualTo("B2");
        assertThat(flat.path("data.none").asText()).isEmpty();
        assertThat(flat.has("data.nothing")).isFalse();
        // AND numbers, booleans and null keep their JSON types
        JsonNode days = flat.get("data.daysLeft");
        assertThat(days.isInt()).isTrue();
        assertThat(days.intValue()).isEqualTo(24);
        assertThat(flat.get("data.urgent").isBoolean()).isTrue();
        assertThat(flat.get("data.owner").isNull()).isTrue();
    }

    @Test
    void includesTheUserIdWhenTheEventHasOne() {
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED).put("userId", "user-42");
        assertThat(formatter.format(TestEvents.parse(envelope)).path("event.userId").asText()).isEqualTo("user-42");
    }

    static Stream<Event> catalogExamples() {
        return TestEvents.catalogExamples();
    }
}
