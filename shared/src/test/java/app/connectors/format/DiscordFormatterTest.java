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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class DiscordFormatterTest {

    private final DiscordFormatter formatter = new DiscordFormatter();

    @Test
    void buildsOneEmbedWithTitleLinkDescriptionTimestampInlineFieldsAndFooter() {
        // GIVEN the catalog's status change example
        Event event = TestEvents.example(TestEvents.STATUS_CHANGED);

        // WHEN formatted
        ObjectNode body = formatter.format(event);

        // THEN one embed carries the subject, the summary and the facts
        assertThat(body.path("embeds")).hasSize(1);
        JsonNode embed = body.path("embeds").path(0);
        assertThat(embed.path("title").asText()).isEqualTo(event.subject().title());
        assertThat(embed.path("url").asText()).isEqualTo(event.subject().url());
        assertThat(embed.path("description").asText()).isEqualTo(event.data().path("summary").asText());
        assertThat(embed.path("timestamp").asText()).isEqualTo(event.occurredAt().toString());
        assertThat(embed.path("color").isInt()).isTrue();
        JsonNode status = embed.path("fields").path(0);
        assertThat(status.path("name").asText()).isEqualTo("Status");
        assertThat(status.path("value").asText()).isEqualTo("In progress → Kept");
        assertThat(status.path("inline").asBoolean()).isTrue();
        assertThat(embed.path("footer").path("text").asText()).contains("Promise status changed").contains("tech-product");
        // AND no user text can mention anyone
        assertThat(body.path("allowed_mentions").path("parse")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"kept, 2EB67D", "broken, E01E5A", "in_progress, FFBF00", "partially_kept, F1C40F",
            "stalled, 95A5A6", "not_started, 95A5A6"})
    void coloursTheEmbedByStatus(String status, String rgb) {
        // GIVEN an event in a status WHEN formatted THEN the border has that status's colour
        ObjectNode body = formatter.format(TestEvents.withStatus(status));
        assertThat(body.path("embeds").path(0).path("color").asInt()).isEqualTo(Integer.parseInt(rgb, 16));
    }

    @Test
    void greenForKeptRedForBrokenAndTheSameGreyForStalledAndNotStarted() {
        // GIVEN the statuses WHEN coloured THEN the hues are what a reader expects
        int kept = color("kept");
        int broken = color("broken");
        assertThat((kept >> 8) & 0xFF).isGreaterThan(kept >> 16).isGreaterThan(kept & 0xFF);
        assertThat(broken >> 16).isGreaterThan((broken >> 8) & 0xFF);
        assertThat(color("stalled")).isEqualTo(color("not_started"));
    }

    @ParameterizedTest
    @MethodSource("catalogExamples")
    void everyCatalogExampleRespectsEveryDiscordLimitWithoutTruncation(Event event) {
        ObjectNode body = formatter.format(event);
        assertThat(violations(body)).isEmpty();
        assertThat(Json.write(body)).doesNotContain(Truncation.ELLIPSIS);
    }

    @Test
    void cutsALongTitleVisiblyAt256() {
        // GIVEN a 10,000-character title WHEN formatted
        ObjectNode body = formatter.format(TestEvents.withTitle(TestEvents.longText(10_000)));

        // THEN the title is 256 characters ending with "…"
        assertThat(body.path("embeds").path(0).path("title").asText()).hasSize(DiscordFormatter.TITLE_MAX).endsWith("…");
        assertThat(violations(body)).isEmpty();
    }

    @Test
    void cutsALongDescriptionVisiblyWithinTheDescriptionAndTotalLimits() {
        // GIVEN a 5,000-character description WHEN formatted
        ObjectNode body = formatter.format(TestEvents.withDescription(TestEvents.longText(5_000)));

        // THEN the description is cut with "…" and the embed's total stays within 6,000
        String description = body.path("embeds").path(0).path("description").asText();
        assertThat(description).endsWith("…").hasSizeLessThanOrEqualTo(DiscordFormatter.DESCRIPTION_MAX);
        assertThat(violations(body)).isEmpty();
    }

    @Test
    void showsTwentyFourFactsAndCountsTheRestWhenThereAreMoreThan25() {
        // GIVEN 60 attributes plus the status: 61 facts
        ObjectNode body = formatter.format(TestEvents.withAttributes(60, 10));

        // THEN 25 fields, the last saying how many were left out
        JsonNode fields = body.path("embeds").path(0).path("fields");
        assertThat(fields).hasSize(DiscordFormatter.FIELDS_MAX);
        assertThat(fields.path(24).path("value").asText()).isEqualTo((61 - 24) + " more not shown");
        assertThat(violations(body)).isEmpty();
    }

    @Test
    void keepsTheTotalWithin6000WhenEveryPartIsHuge() {
        // GIVEN a huge title, a huge description, and 60 attributes of 2,000 characters each
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED);
        ((ObjectNode) envelope.get("subject")).put("title", TestEvents.longText(10_000));
        ObjectNode attributes = envelope.putObject("attributes");
        for (int i = 0; i < 60; i++) {
            attributes.put("attribute" + i, TestEvents.longText(2_000));
        }
        ((ObjectNode) envelope.get("data")).put("summary", TestEvents.longText(5_000));
        Event event = TestEvents.parse(envelope);

        // WHEN formatted
        ObjectNode body = formatter.format(event);

        // THEN every limit holds, the description is still there, and the cuts are visible
        assertThat(violations(body)).isEmpty();
        JsonNode embed = body.path("embeds").path(0);
        assertThat(embed.path("description").asText()).isNotEmpty().endsWith("…");
        assertThat(embed.path("fields").path(embed.path("fields").size() - 1).path("value").asText()).endsWith("more not shown");
    }

    @Test
    void cutsLongFieldNamesAndValuesVisibly() {
        // GIVEN an attribute with a 300-character name and a 5,000-character value
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED);
        ((ObjectNode) envelope.get("attributes")).put("k".repeat(300), TestEvents.longText(5_000));
        ObjectNode body = formatter.format(TestEvents.parse(envelope));

        // THEN that field's name and value are cut at 256 and 1,024 with "…"
        JsonNode field = null;
        for (JsonNode f : body.path("embeds").path(0).path("fields")) {
            if (f.path("name").asText().startsWith("K")) {
                field = f;
            }
        }
        assertThat(field).isNotNull();
        assertThat(field.path("name").asText()).hasSize(DiscordFormatter.FIELD_NAME_MAX).endsWith("…");
        assertThat(field.path("value").asText()).hasSize(DiscordFormatter.FIELD_VALUE_MAX).endsWith("…");
        assertThat(violations(body)).isEmpty();
    }

    @Test
    void neverSendsAnEmptyFieldValue() {
        // GIVEN an attribute with an empty value WHEN formatted
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED);
        ((ObjectNode) envelope.get("attributes")).put("region", "");
        ObjectNode body = formatter.format(TestEvents.parse(envelope));

        // THEN Discord gets a placeholder, not an empty string it would refuse
        assertThat(body.path("embeds").path(0).path("fields")).allSatisfy(f -> assertThat(f.path("value").asText()).isNotEmpty());
    }

    static Stream<Event> catalogExamples() {
        return TestEvents.catalogExamples();
    }

    private int color(String status) {
        return formatter.format(TestEvents.withStatus(status)).path("embeds").path(0).path("color").asInt();
    }

    /**
     * Discord's embed limits, counted as Discord does: title + description + field names and
     * values + footer text + author name of all embeds together ≤ 6000.
     */
    static List<String> violations(JsonNode body) {
        List<String> out = new ArrayList<>();
        if (body.path("content").asText().length() > 2000) {
            out.add("content > 2000");
        }
        if (body.path("embeds").size() > 10) {
            out.add("more than 10 embeds");
        }
        int total = 0;
        for (JsonNode embed : body.path("embeds")) {
            int title = embed.path("title").asText().length();
            int description = embed.path("description").asText().length();
            int footer = embed.path("footer").path("text").asText().length();
            int author = embed.path("author").path("name").asText().length();
            check(out, "title", title, 256);
            check(out, "description", description, 4096);
            check(out, "footer", footer, 2048);
            check(out, "author", author, 256);
            total += title + description + footer + author;
            if (embed.path("fields").size() > 25) {
                out.add("more than 25 fields");
            }
            for (JsonNode field : embed.path("fields")) {
                int name = field.path("name").asText().length();
                int value = field.path("value").asText().length();
                check(out, "field name", name, 256);
                check(out, "field value", value, 1024);
                if (name == 0 || value == 0) {
                    out.add("empty field name or value");
                }
                total += name + value;
            }
        }
        check(out, "all embeds", total, 6000);
        return out;
    }

    private static void check(List<String> out, String what, int length, int max) {
        if (length > max) {
            out.add(what + " is " + length + " > " + max);
        }
    }
}
