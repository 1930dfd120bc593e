package app.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TeamsFormatterTest {

    private final TeamsFormatter formatter = new TeamsFormatter();

    @Test
    void wrapsAnAdaptiveCard14InTheWorkflowsMessageEnvelope() {
        // GIVEN the catalog's status change example
        Event event = TestEvents.example(TestEvents.STATUS_CHANGED);

        // WHEN formatted
        ObjectNode message = formatter.format(event);

        // THEN it is a Workflows message with one Adaptive Card attachment
        assertThat(message.path("type").asText()).isEqualTo("message");
        JsonNode attachment = message.path("attachments").path(0);
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = attachment.path("content");
        assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.path("version").asText()).isEqualTo("1.4");
        // AND the body opens with the title, shows the status change, and lists the facts
        JsonNode body = card.path("body");
        assertThat(body.path(0).path("type").asText()).isEqualTo("TextBlock");
        assertThat(body.path(0).path("text").asText()).isEqualTo(event.subject().title());
        assertThat(texts(body)).contains("In progress → Kept", event.data().path("summary").asText());
        JsonNode facts = factSet(body).path("facts");
        assertThat(facts).anySatisfy(f -> {
            assertThat(f.path("title").asText()).isEqualTo("Category");
            assertThat(f.path("value").asText()).isEqualTo("tech-product");
        });
        // AND the time is rendered by Teams for the reader, the button opens the subject
        assertThat(texts(body)).anySatisfy(t -> assertThat(t).contains("{{DATE(2026-11-20T14:03:00Z,SHORT)}}"));
        JsonNode action = card.path("actions").path(0);
        assertThat(action.path("type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(action.path("url").asText()).isEqualTo(event.subject().url());
    }

    @ParameterizedTest
    @MethodSource("catalogExamples")
    void everyCatalogExampleFitsWithoutTruncation(Event event) {
        byte[] bytes = Json.writeBytes(formatter.format(event));
        assertThat(bytes.length).isLessThanOrEqualTo(TeamsFormatter.MAX_BYTES);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(Truncation.ELLIPSIS);
    }

    @Test
    void keepsAHugeDescriptionWithin28KbAndMarksTheCut() {
        // GIVEN a 200,000-character description
        Event event = TestEvents.withDescription(TestEvents.longText(200_000));

        // WHEN formatted
        ObjectNode message = formatter.format(event);

        // THEN the serialized message fits and the description ends with "…"
        assertThat(Json.writeBytes(message).length).isLessThanOrEqualTo(TeamsFormatter.MAX_BYTES);
        assertThat(texts(body(message))).anySatisfy(t -> assertThat(t).startsWith("lorem").endsWith("…"));
    }

    @Test
    void countsBytesNotCharactersForNonAsciiText() {
        // GIVEN 80,000 three-byte characters (240 KB in UTF-8) as the description
        Event event = TestEvents.withDescription("€".repeat(80_000));

        // WHEN formatted THEN the UTF-8 body still fits
        assertThat(Json.writeBytes(formatter.format(event)).length).isLessThanOrEqualTo(TeamsFormatter.MAX_BYTES);
    }

    @Test
    void keepsManyLongFactsWithin28KbAndCountsTheOmittedOnes() {
        // GIVEN 60 attributes of 3,000 characters each
        Event event = TestEvents.withAttributes(60, 3_000);

        // WHEN formatted
        ObjectNode message = formatter.format(event);

        // THEN the message fits, values are cut with "…", and the last fact counts what is missing
        assertThat(Json.writeBytes(message).length).isLessThanOrEqualTo(TeamsFormatter.MAX_BYTES);
        JsonNode facts = factSet(body(message)).path("facts");
        assertThat(facts.path(1).path("title").asText()).isEqualTo("Attr01");
        assertThat(facts.path(1).path("value").asText()).startsWith("vvv").endsWith("…");
        assertThat(facts.path(facts.size() - 1).path("value").asText()).endsWith("more not shown");
    }

    @Test
    void keepsATitleOfControlCharactersWithin28Kb() {
        // GIVEN a title of 40,000 control characters (six bytes each once escaped in JSON)
        Event event = TestEvents.withTitle("\u0001".repeat(40_000));

        // WHEN formatted THEN the message still fits
        assertThat(Json.writeBytes(formatter.format(event)).length).isLessThanOrEqualTo(TeamsFormatter.MAX_BYTES);
    }

    static Stream<Event> catalogExamples() {
        return TestEvents.catalogExamples();
    }

    private static JsonNode body(JsonNode message) {
        return message.path("attachments").path(0).path("content").path("body");
    }

    private static JsonNode factSet(JsonNode body) {
        for (JsonNode element : body) {
            if ("FactSet".equals(element.path("type").asText())) {
                return element;
            }
        }
        throw new AssertionError("no FactSet in " + body);
    }

    private static List<String> texts(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.forEach(e -> {
            if ("TextBlock".equals(e.path("type").asText())) {
                out.add(e.path("text").asText());
            }
        });
        return out;
    }
}
