package app.connectors.format;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Event text is untrusted plain text: on Discord and Teams it must never become a link, mention or card function. */
class MarkdownInjectionTest {

    private static final String LINK = "[click](https://evil.example)";
    private static final String DATE_FUNCTION = "{{DATE(2026-11-20T14:03:00Z,SHORT)}}";
    /** A Markdown link whose bracket is not escaped by a backslash. */
    private static final Pattern UNESCAPED_LINK = Pattern.compile("(?<!\\\\)\\[[^\\]]*(?<!\\\\)\\]\\(");

    @Test
    void aLinkInTheTitleDescriptionAndAttributesReachesDiscordEscaped() {
        // GIVEN host text carrying a disguised link in the title, the description, an attribute name and value
        Event event = hostile(LINK);

        // WHEN it is formatted for Discord
        JsonNode embed = new DiscordFormatter().format(event).at("/embeds/0");

        // THEN no text holds an unescaped link, and the escaped text reads as the original once rendered
        for (String text : discordTexts(embed)) {
            assertThat(UNESCAPED_LINK.matcher(text).find()).as(text).isFalse();
        }
        assertThat(embed.get("title").asText()).isEqualTo("\\[click\\](https://evil.example)");
        assertThat(unescape(embed.get("description").asText())).isEqualTo(LINK);
    }

    @Test
    void aLinkAndACardFunctionInHostTextReachTeamsEscaped() {
        // GIVEN host text carrying a disguised link and a card function
        Event event = hostile(LINK + " " + DATE_FUNCTION);

        // WHEN it is formatted for Teams
        JsonNode card = new TeamsFormatter().format(event).at("/attachments/0/content");

        // THEN no TextBlock or fact holds an unescaped link, and the only DATE function is the footer's own
        List<String> texts = cardTexts(card);
        for (String text : texts) {
            assertThat(UNESCAPED_LINK.matcher(text).find()).as(text).isFalse();
        }
        long functions = texts.stream().filter(text -> text.contains("{{DATE(")).count();
        assertThat(functions).isEqualTo(1);
        assertThat(texts.getLast()).startsWith("Promise status changed · {{DATE(");
        assertThat(card.at("/body/0/text").asText()).isEqualTo("\\[click\\](https://evil.example) \\{\\{DATE(2026-11-20T14:03:00Z,SHORT)\\}\\}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"**bold** _it_ ~~x~~ `code` ||spoiler||", "<@123> <t:0:R> <https://x.example>", "# Heading\n> quote\n- item\n1. first",
            "back\\slash \\[not a link\\](https://x)"})
    void escapedTextRendersAsTheOriginal(String raw) {
        assertThat(unescape(MarkdownText.discord(raw))).isEqualTo(raw);
        assertThat(unescape(MarkdownText.adaptiveCard(raw))).isEqualTo(raw);
    }

    @Test
    void discordEscapesMentionsTimestampsAndLineStartMarks() {
        assertThat(MarkdownText.discord("<@123>")).isEqualTo("\\<@123>");
        assertThat(MarkdownText.discord("# big\n-# small\n  > quote")).isEqualTo("\\# big\n\\-# small\n  \\> quote");
        assertThat(MarkdownText.discord("2. second")).isEqualTo("2\\. second");
        assertThat(MarkdownText.discord("Ship offline mode")).isSameAs("Ship offline mode");
    }

    @Test
    void aCutNeverLeavesAnEscapingBackslashBeforeTheEllipsis() {
        // GIVEN text whose escape would be cut in half at the limit
        String escaped = MarkdownText.discord("abc*def");   // abc\*def

        // WHEN it is fitted so that the cut falls right after the backslash
        String fitted = MarkdownText.fitEscaped(escaped, 5);

        // THEN the backslash goes with the character it escaped
        assertThat(fitted).isEqualTo("abc…");
    }

    @Test
    void limitsHoldWhenEscapingDoublesTheText() {
        // GIVEN a title and description made only of characters that each need an escape
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED);
        ((ObjectNode) envelope.get("subject")).put("title", "_".repeat(1_000));
        ((ObjectNode) envelope.get("data")).put("summary", "*".repeat(10_000));
        Event event = TestEvents.parse(envelope);

        // WHEN formatted for Discord
        JsonNode embed = new DiscordFormatter().format(event).at("/embeds/0");

        // THEN Discord's limits hold, counted on the escaped text
        assertThat(embed.get("title").asText().length()).isLessThanOrEqualTo(DiscordFormatter.TITLE_MAX);
        assertThat(embed.get("description").asText().length()).isLessThanOrEqualTo(DiscordFormatter.DESCRIPTION_MAX);
        int total = discordTexts(embed).stream().mapToInt(String::length).sum();
        assertThat(total).isLessThanOrEqualTo(DiscordFormatter.TOTAL_MAX);
        assertThat(Json.writeBytes(new TeamsFormatter().format(event)).length).isLessThanOrEqualTo(TeamsFormatter.MAX_BYTES);
    }

    /** The status_changed example with {@code text} as title, description, an attribute name and an attribute value. */
    private static Event hostile(String text) {
        ObjectNode envelope = TestEvents.envelope(TestEvents.STATUS_CHANGED);
        ((ObjectNode) envelope.get("subject")).put("title", text);
        ((ObjectNode) envelope.get("data")).put("summary", text);
        ((ObjectNode) envelope.get("attributes")).put("note", text);
        return TestEvents.parse(envelope);
    }

    private static List<String> discordTexts(JsonNode embed) {
        List<String> texts = new ArrayList<>();
        texts.add(embed.get("title").asText());
        if (embed.has("description")) {
            texts.add(embed.get("description").asText());
        }
        embed.path("fields").forEach(field -> {
            texts.add(field.get("name").asText());
            texts.add(field.get("value").asText());
        });
        texts.add(embed.at("/footer/text").asText());
        return texts;
    }

    private static List<String> cardTexts(JsonNode card) {
        List<String> texts = new ArrayList<>();
        card.get("body").forEach(element -> {
            if (element.has("text")) {
                texts.add(element.get("text").asText());
            }
            element.path("facts").forEach(fact -> {
                texts.add(fact.get("title").asText());
                texts.add(fact.get("value").asText());
            });
        });
        return texts;
    }

    /** What a Markdown renderer shows: a backslash before punctuation is dropped. */
    private static String unescape(String escaped) {
        return escaped.replaceAll("\\\\(\\p{Punct})", "$1");
    }
}
