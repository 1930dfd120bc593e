package app.connectors.format;

import app.connectors.event.Event;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Discord Execute Webhook body with one embed coloured by status.
 *
 * <pre>{@code
 * {"embeds":[{"title":"Ship offline mode…","url":"https://…","description":"Offline mode reached…",
 *   "color":3061373,"timestamp":"2026-11-20T14:03:00Z",
 *   "fields":[{"name":"Status","value":"In progress → Kept","inline":true}, …],
 *   "footer":{"text":"Promise status changed · tech-product"}}],
 *  "allowed_mentions":{"parse":[]}}
 * }</pre>
 *
 * Limits hold for any input: title ≤ {@value #TITLE_MAX}, description ≤ {@value #DESCRIPTION_MAX},
 * ≤ {@value #FIELDS_MAX} fields (the last one counts the facts left out), names ≤
 * {@value #FIELD_NAME_MAX}, values ≤ {@value #FIELD_VALUE_MAX}, footer ≤ {@value #FOOTER_MAX}, and
 * title + description + field names and values + footer ≤ {@value #TOTAL_MAX} characters. Fields
 * are fitted first (the facts are the point of a status message) while keeping some room for the
 * description, which takes whatever is left. No {@code content}, so there is nothing to cap there;
 * {@code allowed_mentions} is empty so that user text can never ping {@code @everyone}. Event text is
 * plain text: its Markdown is escaped ({@link MarkdownText}) in the title, description and fields
 * (the footer renders no Markdown), and escapes count towards the limits.
 */
public final class DiscordFormatter implements PayloadFormatter {

    public static final int TITLE_MAX = 256;
    public static final int DESCRIPTION_MAX = 4096;
    public static final int FIELDS_MAX = 25;
    public static final int FIELD_NAME_MAX = 256;
    public static final int FIELD_VALUE_MAX = 1024;
    public static final int FOOTER_MAX = 2048;
    public static final int TOTAL_MAX = 6000;

    /** Room the description keeps even when the facts are long. */
    private static final int DESCRIPTION_RESERVE = 1000;
    /** Room kept for the "… N more" field. */
    private static final int MORE_RESERVE = 32;
    /** A field cut shorter than this says nothing; it is left out (and counted) instead. */
    private static final int MIN_USEFUL_VALUE = 16;
    /** Our own footer is a short line; a long category is cut well below Discord's limit. */
    private static final int FOOTER_CATEGORY_MAX = 200;
    /** Discord refuses a field with an empty value. */
    private static final String EMPTY_VALUE = "—";

    @Override
    public ObjectNode format(Event event) {
        EventView view = EventView.of(event);
        ObjectNode body = Json.object();
        ObjectNode embed = body.putArray("embeds").addObject();

        String title = MarkdownText.fitDiscord(view.title(), TITLE_MAX);
        String footer = view.category() == null
                ? view.heading()
                : view.heading() + " · " + Truncation.fit(view.category(), FOOTER_CATEGORY_MAX);
        footer = Truncation.fit(footer, FOOTER_MAX);
        int budget = TOTAL_MAX - title.length() - footer.length();

        embed.put("title", title);
        embed.put("url", view.url());
        int descriptionReserve = view.description() == null ? 0
                : Math.min(MarkdownText.discord(view.description()).length(), DESCRIPTION_RESERVE);
        ArrayNode fields = Json.array();
        int fieldChars = fields(fields, view.facts(), budget - descriptionReserve - MORE_RESERVE);
        budget -= fieldChars;
        if (view.description() != null) {
            embed.put("description", MarkdownText.fitDiscord(view.description(), Math.min(DESCRIPTION_MAX, budget)));
        }
        embed.put("color", view.status().rgb);
        embed.put("timestamp", view.occurredAt().toString());
        if (!view.facts().isEmpty()) {
            embed.set("fields", fields);
        }
        embed.putObject("footer").put("text", footer);
        body.putObject("allowed_mentions").putArray("parse");
        return body;
    }

    /** Adds fields within {@code budget} characters (plus the "more" field); returns the characters used. */
    private static int fields(ArrayNode out, List<EventView.Fact> facts, int budget) {
        int used = 0;
        int limit = facts.size() <= FIELDS_MAX ? facts.size() : FIELDS_MAX - 1;
        int shown = 0;
        for (; shown < limit; shown++) {
            EventView.Fact fact = facts.get(shown);
            String name = fact.label().isEmpty() ? EMPTY_VALUE : MarkdownText.fitDiscord(fact.label(), FIELD_NAME_MAX);
            int room = Math.min(FIELD_VALUE_MAX, budget - used - name.length());
            if (room < MIN_USEFUL_VALUE) {
                break;
            }
            String value = fact.value().isEmpty() ? EMPTY_VALUE : MarkdownText.fitDiscord(fact.value(), room);
            out.addObject().put("name", name).put("value", value).put("inline", true);
            used += name.length() + value.length();
        }
        if (shown < facts.size()) {
            String name = Truncation.ELLIPSIS;
            String value = (facts.size() - shown) + " more not shown";
            out.addObject().put("name", name).put("value", value).put("inline", false);
            used += name.length() + value.length();
        }
        return used;
    }
}
