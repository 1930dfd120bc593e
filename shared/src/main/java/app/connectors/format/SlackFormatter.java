package app.connectors.format;

import app.connectors.event.Event;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Slack Incoming Webhook message in Block Kit. The blocks sit inside {@code attachments[0]} because
 * only a legacy attachment can carry the coloured side bar (coloured by status); the top-level
 * {@code text} is the notification fallback.
 *
 * <pre>{@code
 * {"text":"Promise status changed: Ship offline mode… (In progress → Kept)",
 *  "attachments":[{"color":"#2EB67D","blocks":[
 *    {"type":"header","text":{"type":"plain_text","text":"Ship offline mode…","emoji":true}},
 *    {"type":"section","text":{"type":"mrkdwn","text":"Offline mode reached…"},
 *     "fields":[{"type":"mrkdwn","text":"*Status*\nIn progress → Kept"}, …]},
 *    {"type":"context","elements":[{"type":"mrkdwn","text":"<!date^1763647380^{date_short_pretty} at {time}|2026-11-20 14:03 UTC> · tech-product"}]},
 *    {"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"View promise"},"url":"https://…"}]}]}]}
 * }</pre>
 *
 * Every Block Kit limit holds whatever the input: header ≤ {@value #HEADER_MAX}, section text ≤
 * {@value #SECTION_TEXT_MAX}, ≤ {@value #FIELDS_MAX} fields of ≤ {@value #FIELD_MAX} (the last
 * field says how many facts did not fit), button text ≤ {@value #BUTTON_TEXT_MAX}, fallback text ≤
 * {@value #TEXT_MAX}; at most five blocks (limit 50) and one context element (limit 10). A subject
 * URL longer than {@value #URL_MAX} cannot be cut without breaking it, so the button is left out.
 */
public final class SlackFormatter implements PayloadFormatter {

    public static final int HEADER_MAX = 150;
    public static final int SECTION_TEXT_MAX = 3000;
    public static final int FIELDS_MAX = 10;
    public static final int FIELD_MAX = 2000;
    public static final int BUTTON_TEXT_MAX = 75;
    public static final int URL_MAX = 3000;
    public static final int TEXT_MAX = 40_000;
    /** A fact's label is a short name; longer ones are cut so the value keeps its room. */
    private static final int LABEL_MAX = 100;
    /** Context is one line under the card; a very long category must not make it a wall of text. */
    private static final int CONTEXT_CATEGORY_MAX = 200;

    private static final DateTimeFormatter FALLBACK_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @Override
    public ObjectNode format(Event event) {
        EventView view = EventView.of(event);
        ObjectNode message = Json.object();
        message.put("text", fallbackText(view));
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("color", view.status().hex);
        ArrayNode blocks = attachment.putArray("blocks");

        ObjectNode header = blocks.addObject().put("type", "header");
        plainText(header.putObject("text"), Truncation.fit(view.title(), HEADER_MAX)).put("emoji", true);

        ObjectNode section = section(view);
        if (section != null) {
            blocks.add(section);
        }

        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject()
                .put("type", "mrkdwn")
                .put("text", contextText(view));

        if (view.url().length() <= URL_MAX) {
            ObjectNode button = blocks.addObject().put("type", "actions")
                    .putArray("elements").addObject().put("type", "button");
            plainText(button.putObject("text"), Truncation.fit("View " + view.noun(), BUTTON_TEXT_MAX));
            button.put("url", view.url());
        }
        return message;
    }

    private static ObjectNode section(EventView view) {
        List<EventView.Fact> facts = view.facts();
        if (view.description() == null && facts.isEmpty()) {
            return null;
        }
        ObjectNode section = Json.object().put("type", "section");
        if (view.description() != null) {
            section.putObject("text").put("type", "mrkdwn")
                    .put("text", SlackText.mrkdwn(view.description(), SECTION_TEXT_MAX));
        }
        if (!facts.isEmpty()) {
            ArrayNode fields = section.putArray("fields");
            // With more facts than fields, the last field counts what was left out.
            int shown = facts.size() <= FIELDS_MAX ? facts.size() : FIELDS_MAX - 1;
            for (int i = 0; i < shown; i++) {
                EventView.Fact fact = facts.get(i);
                String label = "*" + SlackText.mrkdwn(fact.label(), LABEL_MAX) + "*\n";
                fields.addObject().put("type", "mrkdwn")
                        .put("text", label + SlackText.mrkdwn(fact.value(), FIELD_MAX - label.length()));
            }
            if (shown < facts.size()) {
                fields.addObject().put("type", "mrkdwn")
                        .put("text", "*" + Truncation.ELLIPSIS + "*\n" + (facts.size() - shown) + " more not shown");
            }
        }
        return section;
    }

    /**
     * Slack renders {@code <!date^…>} in each reader's own time zone and falls back to the UTC
     * text on clients that cannot.
     */
    private static String contextText(EventView view) {
        long epoch = view.occurredAt().getEpochSecond();
        String when = "<!date^" + epoch + "^{date_short_pretty} at {time}|" + FALLBACK_TIME.format(view.occurredAt()) + ">";
        String what = SlackText.escape(view.heading());
        if (view.category() != null) {
            what = what + " · " + SlackText.mrkdwn(view.category(), CONTEXT_CATEGORY_MAX);
        }
        return when + " · " + what;
    }

    private static String fallbackText(EventView view) {
        String text = view.heading() + ": " + view.title();
        if (view.statusLine() != null) {
            text = text + " (" + view.statusLine() + ")";
        }
        return SlackText.mrkdwn(text, TEXT_MAX);
    }

    private static ObjectNode plainText(ObjectNode node, String text) {
        return node.put("type", "plain_text").put("text", text);
    }
}
