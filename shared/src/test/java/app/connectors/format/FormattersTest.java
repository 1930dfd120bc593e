package app.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.catalog.ConnectorType;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FormattersTest {

    @Test
    void findsAFormatterForEveryConnectorTypeInTheCatalog() {
        // GIVEN the shipped connector types WHEN each looks up its format THEN one exists
        assertThat(ConnectorTypeCatalog.standard().all())
                .isNotEmpty()
                .allSatisfy(type -> assertThat(Formatters.forType(type)).isNotNull());
    }

    @Test
    void offersTheDataFormatterForCatalogSaasTypes() {
        assertThat(Formatters.names()).contains("slack", "discord", "teams", "zapier", "generic", "data");
    }

    @Test
    void findsNothingForAnUnknownName() {
        assertThat(Formatters.find("fax")).isEmpty();
        assertThat(Formatters.find(null)).isEmpty();
    }

    @Test
    void failsLoudlyForAConnectorTypeNamingAnUnknownFormat() {
        ConnectorType odd = new ConnectorType("odd", "Odd", "", "fax",
                new ConnectorType.Pacing(1, Duration.ofSeconds(1)), List.of(), List.of(), java.util.Map.of(), java.util.Set.of(), null, null, null, null);
        assertThatThrownBy(() -> Formatters.forType(odd)).hasMessageContaining("fax");
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void genericSendsTheEnvelopeExactlyAsPublished(EventType type) {
        // GIVEN a catalog example WHEN formatted by the generic formatter
        ObjectNode payload = Formatters.find("generic").orElseThrow().format(TestEvents.parse(type.example().deepCopy()));

        // THEN it equals the published envelope
        assertThat(payload).isEqualTo(type.example());
    }

    @ParameterizedTest
    @MethodSource("eventTypes")
    void dataSendsTheEventsDataObject(EventType type) {
        ObjectNode payload = Formatters.find("data").orElseThrow().format(TestEvents.parse(type.example().deepCopy()));
        assertThat(payload).isEqualTo(type.example().get("data"));
    }

    @Test
    void editingAFormattedPayloadLeavesTheEventUntouched() {
        // GIVEN an event formatted by the data and generic formatters
        Event event = TestEvents.example(TestEvents.STATUS_CHANGED);
        ObjectNode data = Formatters.find("data").orElseThrow().format(event);
        ObjectNode envelope = Formatters.find("generic").orElseThrow().format(event);

        // WHEN a transformation edits the payloads
        data.put("status", "broken");
        ((ObjectNode) envelope.get("attributes")).put("category", "other");

        // THEN the event other connectors will format is unchanged
        assertThat(event.data().path("status").asText()).isEqualTo("kept");
        assertThat(event.attribute("category")).isEqualTo("tech-product");
    }

    static Stream<EventType> eventTypes() {
        return EventCatalog.standard().all().stream();
    }
}
