package app.connectors.filter;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.EventCatalog;
import app.connectors.event.EventType;
import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance table: pattern/event pairs written from EventBridge's documented matching rules
 * ({@code filter/conformance.json}), and patterns EventBridge refuses with where we say the problem is
 * ({@code filter/invalid.json}). Each row names the rule it checks.
 */
class EventPatternConformanceTest {

    private static final JsonNode MATCHING = Json.resource("/filter/conformance.json");
    private static final JsonNode INVALID = Json.resource("/filter/invalid.json");
    /** An event type whose data may hold anything, so that the rows' invented fields are all known. */
    private static final List<EventType> OPEN_TYPE = List.of(new EventType("test.open", "", (ObjectNode) Json.object().put("type",
            "object"), Json.object()));

    static Stream<Arguments> matchingRows() {
        return rows(MATCHING);
    }

    static Stream<Arguments> invalidRows() {
        return rows(INVALID);
    }

    private static Stream<Arguments> rows(JsonNode table) {
        return StreamSupport.stream(table.spliterator(), false).map(row -> Arguments.of(row.path("rule").asText(), row));
    }

    @Test
    void tableHasAtLeastAHundredMatchingCases() {
        assertThat(MATCHING.size()).isGreaterThanOrEqualTo(100);
        assertThat(StreamSupport.stream(MATCHING.spliterator(), false).filter(r -> r.path("matches").asBoolean()).count())
                .as("rows that match").isGreaterThan(40);
        assertThat(StreamSupport.stream(MATCHING.spliterator(), false).filter(r -> !r.path("matches").asBoolean()).count())
                .as("rows that do not match").isGreaterThan(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matchingRows")
    void matchesAsEventBridgeDocuments(String rule, JsonNode row) {
        List<FieldError> errors = new ArrayList<>();
        EventPattern pattern = EventPattern.compile(row.get("pattern"), OPEN_TYPE, EventCatalog.standard(), "filters", errors);
        assertThat(errors).as("compile errors").isEmpty();

        boolean expected = row.get("matches").asBoolean();
        assertThat(pattern.matches(row.get("event"))).as(rule).isEqualTo(expected);
        // The explanation walks the same tree: it must agree, and name a path whenever it refuses.
        FilterVerdict verdict = pattern.explain(row.get("event"));
        assertThat(verdict.matched()).isEqualTo(expected);
        if (!expected) {
            assertThat(verdict.path()).isNotBlank();
            assertThat(verdict.reason()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRows")
    void refusesWhatEventBridgeRefusesNamingThePath(String rule, JsonNode row) {
        List<FieldError> errors = new ArrayList<>();
        EventPattern pattern = EventPattern.compile(row.get("pattern"), OPEN_TYPE, EventCatalog.standard(), "filters", errors);

        assertThat(pattern).as(rule).isNull();
        assertThat(errors).extracting(FieldError::field).contains(row.get("path").asText());
        assertThat(errors).filteredOn(e -> e.field().equals(row.get("path").asText())).extracting(FieldError::message)
                .anySatisfy(message -> assertThat(message).contains(row.get("says").asText()));
    }
}
