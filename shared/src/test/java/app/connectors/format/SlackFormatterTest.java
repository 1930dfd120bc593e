package app.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SlackFormatterTest {

    private final SlackFormatter formatter = new SlackFormatter();

    @Test
    void buildsHeaderFieldsContextAndButtonInsideAColouredAttachment() {
        // GIVEN the catalog's status change example (in_progress → kept)
        Event event = TestEvents.example(TestEvents.STATUS_CHANGED);

        // WHEN it is formatted
        ObjectNode message = formatter.format(event);

        // THEN the blocks sit in attachments[0], coloured green for "kept"
        JsonNode attachment = message.path("attachments").path(0);
        assertThat(attachment.path("color").asText()).isEqualTo("#2EB67D");
        assertThat(types(attachment.path("blocks"))).containsExactly("header", "section", "context", "actions");
        JsonNode header = attachment.path("blocks").path(0);
        assertThat(header.path("text").path("type").asText()).isEqualTo("plain_text");
        assertThat(header.path("text").path("text").asText()).isEqualTo(event.subject().title());
        JsonNode section = attachment.path("blocks").path(1);
        assertThat(section.path("text").path("text").asText()).isEqualTo(event.data().path("summary").asText());
        assertThat(texts(section.path("fields")))
                .contains("*Status*\nIn progress → Kept", "*Category*\ntech-product", "*Company*\nAcme Mobile");
        String context = attachment.path("blocks").path(2).path("elements").path(0).path("text").asText();
        assertThat(context).startsWith("<!date^" + event.occurredAt().getEpochSecond() + "^")
                .contains("|2026-11-20 14:03 UTC>").contains("tech-product");
        JsonNode button = attachment.path("blocks").path(3).path("elements").path(0);
        assertThat(button.path("type").asText()).isEqualTo("button");
        assertThat(button.path("url").asText()).isEqualTo(event.subject().url());
        // AND the notification fallback names the subject and the change
        assertThat(message.path("text").asText()).contains(event.subject().title()).contains("In progress → Kept");
    }

    @ParameterizedTest
    @MethodSource("catalogExamples")
    void everyCatalogExampleRespectsEverySlackLimitWithoutTruncation(Event event) {
        // GIVEN a catalog example WHEN formatted
        ObjectNode message = formatter.format(event);

        // THEN no limit is broken and nothing needed cutting
        assertThat(violations(message)).isEmpty();
        assertThat(Json.write(message)).doesNotContain(Truncation.ELLIPSIS);
    }

    @Test
    void cutsALongTitleVisiblyAtTheHeaderLimit() {
        // GIVEN a 10,000-character title
        Event event = TestEvents.withTitle(TestEvents.longText(10_000));

        // WHEN formatted
        ObjectNode message = formatter.format(event);

        // THEN the header holds 150 characters ending with "…", and every limit holds
        String header = blocks(message).path(0).path("text").path("text").asText();
        assertThat(header).hasSize(SlackFormatter.HEADER_MAX).endsWith("…");
        assertThat(violations(message)).isEmpty();
    }

    @Test
    void cutsTheFallbackTextVisiblyAt40000Characters() {
        // GIVEN a 50,000-character title (the envelope is still under 256 KB)
        Event event = TestEvents.withTitle(TestEvents.longText(50_000));

        // WHEN formatted
        String text = formatter.format(event).path("text").asText();

        // THEN the fallback is cut at the limit with a visible mark
        assertThat(text).hasSize(SlackFormatter.TEXT_MAX).endsWith("…");
    }

    @Test
    void cutsALongDescriptionVisiblyAtTheSectionLimit() {
        // GIVEN a 5,000-character description
        Event event = TestEvents.withDescription(TestEvents.longText(5_000));

        // WHEN formatted
        ObjectNode message = formatter.format(event);

        // THEN the section text is 3,000 characters ending with "…"
        String text = blocks(message).path(1).path("text").path("text").asText();
        assertThat(text).hasSize(SlackFormatter.SECTION_TEXT_MAX).endsWith("…");
        assertThat(violations(message)).isEmpty();
    }

    @Test
    void showsNineFactsAndCountsTheRestWhenThereAreMoreThanTenFields() {
        // GIVEN 60 attributes plus the status: 61 facts
        Event event = TestEvents.withAttributes(60, 10);

        // WHEN formatted
        JsonNode fields = blocks(formatter.format(event)).path(1).path("fields");

        // THEN ten fields, the last one saying how many of the 61 are not shown
        assertThat(fields).hasSize(SlackFormatter.FIELDS_MAX);
        assertThat(fields.path(9).path("text").asText()).isEqualTo("*…*\n" + (61 - 9) + " more not shown");
    }

    @Test
    void cutsALongAttributeValueVisiblyAtTheFieldLimit() {
        // GIVEN attributes whose values are 5,000 characters
        Event event = TestEvents.withAttributes(3, 5_000);

        // WHEN formatted
        ObjectNode message = formatter.format(event);

        // THEN each such field is 2,000 characters ending with "…"
        List<String> long_ = texts(blocks(message).path(1).path("fields")).stream().filter(t -> t.contains("vvv")).toList();
        assertThat(long_).hasSize(2).allSatisfy(t -> assertThat(t).hasSize(SlackFormatter.FIELD_MAX).endsWith("…"));
        assertThat(violations(message)).isEmpty();
    }

    @Test
    void escapesMrkdwnControlCharactersInUserText() {
        // GIVEN a title, summary and attribute that try to ping the channel and forge a link
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED);
        ((ObjectNode) envelope.get("subject")).put("title", "Q&A <!channel>");
        ((ObjectNode) envelope.get("data")).put("summary", "see <https://evil.example|docs> & more");
        ((ObjectNode) envelope.get("attributes")).put("company", "<@U123>");
        Event event = TestEvents.parse(envelope);

        // WHEN formatted
        ObjectNode message = formatter.format(event);

        // THEN mrkdwn texts carry entities, never a raw control character from the user
        assertThat(message.path("text").asText()).contains("Q&amp;A &lt;!channel&gt;");
        JsonNode section = blocks(message).path(1);
        assertThat(section.path("text").path("text").asText())
                .isEqualTo("see &lt;https://evil.example|docs&gt; &amp; more");
        assertThat(texts(section.path("fields"))).contains("*Company*\n&lt;@U123&gt;");
        // AND the plain_text header shows the title literally (Slack does not parse plain_text)
        assertThat(blocks(message).path(0).path("text").path("text").asText()).isEqualTo("Q&A <!channel>");
    }

    @Test
    void neverCutsAnEscapeSequenceInHalf() {
        // GIVEN a description of 5,000 ampersands (15,000+ characters once escaped)
        Event event = TestEvents.withDescription("&".repeat(5_000));

        // WHEN formatted
        String text = blocks(formatter.format(event)).path(1).path("text").path("text").asText();

        // THEN the text is whole "&amp;" entities followed by the ellipsis, within the limit
        assertThat(text).matches("(&amp;)+…");
        assertThat(text.length()).isLessThanOrEqualTo(SlackFormatter.SECTION_TEXT_MAX);
    }

    @Test
    void leavesOutTheButtonWhenTheUrlIsLongerThanSlackAccepts() {
        // GIVEN a subject URL of more than 3,000 characters
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED);
        ((ObjectNode) envelope.get("subject")).put("url", "https://example.org/p?q=" + "x".repeat(3_100));
        Event event = TestEvents.parse(envelope);

        // WHEN formatted
        ObjectNode message = formatter.format(event);

        // THEN there is no actions block, and the message is still valid
        assertThat(types(blocks(message))).doesNotContain("actions");
        assertThat(violations(message)).isEmpty();
    }

    @Test
    void coloursTheSideBarRedForABrokenPromise() {
        // GIVEN a broken promise WHEN formatted THEN the bar is red
        ObjectNode message = formatter.format(TestEvents.withStatus("broken"));
        assertThat(message.path("attachments").path(0).path("color").asText()).isEqualTo("#E01E5A");
    }

    @Test
    void rendersTheTimeInTheContextForHumans() {
        // GIVEN an event at a known instant
        Event event = TestEvents.example(TestEvents.STATUS_CHANGED);
        Instant at = event.occurredAt();

        // WHEN formatted
        String context = blocks(formatter.format(event)).path(2).path("elements").path(0).path("text").asText();

        // THEN Slack's date token carries the epoch seconds and a readable UTC fallback
        assertThat(context).contains("<!date^" + at.getEpochSecond() + "^{date_short_pretty} at {time}|");
    }

    static Stream<Event> catalogExamples() {
        return TestEvents.catalogExamples();
    }

    /** Every Block Kit limit of REFERENCE.md, checked on the output the way Slack would. */
    static List<String> violations(JsonNode message) {
        List<String> out = new ArrayList<>();
        if (message.path("text").asText().length() > 40_000) {
            out.add("text > 40000");
        }
        JsonNode blocks = blocks(message);
        if (blocks.size() > 50) {
            out.add("more than 50 blocks");
        }
        for (JsonNode block : blocks) {
            switch (block.path("type").asText()) {
                case "header" -> {
                    int n = block.path("text").path("text").asText().length();
                    if (n < 1 || n > 150) {
                        out.add("header length " + n);
                    }
                }
                case "section" -> {
                    if (block.has("text")) {
                        int n = block.path("text").path("text").asText().length();
                        if (n < 1 || n > 3000) {
                            out.add("section text length " + n);
                        }
                    }
                    if (block.path("fields").size() > 10) {
                        out.add("more than 10 fields");
                    }
                    for (JsonNode field : block.path("fields")) {
                        if (field.path("text").asText().length() > 2000) {
                            out.add("field longer than 2000");
                        }
                    }
                    if (!block.has("text") && !block.has("fields")) {
                        out.add("empty section");
                    }
                }
                case "context" -> {
                    if (block.path("elements").size() > 10) {
                        out.add("more than 10 context elements");
                    }
                }
                case "actions" -> {
                    for (JsonNode element : block.path("elements")) {
                        if (element.path("text").path("text").asText().length() > 75) {
                            out.add("button text > 75");
                        }
                        if (element.path("url").asText().length() > 3000) {
                            out.add("button url > 3000");
                        }
                    }
                }
                default -> out.add("unexpected block " + block.path("type").asText());
            }
        }
        return out;
    }

    private static JsonNode blocks(JsonNode message) {
        return message.path("attachments").path(0).path("blocks");
    }

    private static List<String> types(JsonNode blocks) {
        List<String> out = new ArrayList<>();
        blocks.forEach(b -> out.add(b.path("type").asText()));
        return out;
    }

    private static List<String> texts(JsonNode fields) {
        List<String> out = new ArrayList<>();
        fields.forEach(f -> out.add(f.path("text").asText()));
        return out;
    }
}
