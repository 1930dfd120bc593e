package app.connectors.format;

import app.connectors.event.Event;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Microsoft Teams Workflows message carrying an Adaptive Card 1.4.
 *
 * <pre>{@code
 * {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
 *   "content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4",
 *     "body":[{"type":"TextBlock","text":"Ship offline mode…","size":"Large","weight":"Bolder","wrap":true},
 *             {"type":"TextBlock","text":"In progress → Kept","color":"Good","weight":"Bolder","wrap":true},
 *             {"type":"TextBlock","text":"Offline mode reached…","wrap":true},
 *             {"type":"FactSet","facts":[{"title":"Category","value":"tech-product"}, …]},
 *             {"type":"TextBlock","text":"Promise status changed · {{DATE(2026-11-20T14:03:00Z,SHORT)}} {{TIME(2026-11-20T14:03:00Z)}}","isSubtle":true,"size":"Small","wrap":true}],
 *     "actions":[{"type":"Action.OpenUrl","title":"View promise","url":"https://…"}]}}]}
 * }</pre>
 *
 * Teams refuses messages over 28 KB, so the serialized body is kept within {@value #MAX_BYTES}
 * bytes: texts start with generous caps, and while the body could be too large the caps are halved
 * (the description first, then fact values, the number of facts, fact
 * titles, and the title last), every cut ending with "…". The size is only
 * measured by serializing when a cheap upper bound says the body might not fit. A subject URL
 * longer than {@value #URL_MAX} cannot be cut without breaking it, so the button is left out.
 * Event text is plain text: TextBlocks and facts render Markdown and evaluate {@code {{DATE(…)}}},
 * so the host's text is escaped ({@link MarkdownText}); only the footer's own date functions run.
 */
public final class TeamsFormatter implements PayloadFormatter {

    /** 28 KB read as 28,000 bytes: the stricter reading, so either one holds. */
    public static final int MAX_BYTES = 28_000;
    public static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

    /** A link cannot be cut without breaking it; a longer one is left out rather than sent broken. */
    public static final int URL_MAX = 4_096;

    private static final int TITLE_CAP = 1_000;
    private static final int DESCRIPTION_CAP = 10_000;
    private static final int FACT_VALUE_CAP = 1_000;
    private static final int FACT_TITLE_CAP = 100;
    private static final int FACTS_CAP = 30;
    private static final int FLOOR = 32;
    private static final int MIN_FACTS = 4;
    /** Markup around the texts: keys, types, the date functions; generous on purpose. */
    private static final int SKELETON_BYTES = 1_500;
    /** Worst case of one char in compact JSON: a control character escaped as six bytes. */
    private static final int BYTES_PER_CHAR = 6;

    @Override
    public ObjectNode format(Event event) {
        EventView view = EventView.of(event);
        Caps caps = new Caps(TITLE_CAP, DESCRIPTION_CAP, FACT_VALUE_CAP, FACT_TITLE_CAP, FACTS_CAP);
        ObjectNode message = message(view, caps);
        if (upperBound(view, caps) <= MAX_BYTES) {
            return message;
        }
        while (Json.writeBytes(message).length > MAX_BYTES) {
            Caps smaller = caps.halved();
            if (smaller.equals(caps)) {
                break; // only the URL is left at full length; nothing more to cut
            }
            caps = smaller;
            message = message(view, caps);
        }
        return message;
    }

    /** How far each kind of text may run; cut one kind at a time, most expendable first. */
    private record Caps(int title, int description, int factValue, int factTitle, int facts) {
        Caps halved() {
            if (description > FLOOR) {
                return new Caps(title, Math.max(FLOOR, description / 2), factValue, factTitle, facts);
            }
            if (factValue > FLOOR) {
                return new Caps(title, description, Math.max(FLOOR, factValue / 2), factTitle, facts);
            }
            if (facts > MIN_FACTS) {
                return new Caps(title, description, factValue, factTitle, Math.max(MIN_FACTS, facts / 2));
            }
            if (factTitle > FLOOR) {
                return new Caps(title, description, factValue, Math.max(FLOOR, factTitle / 2), facts);
            }
            return new Caps(Math.max(FLOOR, title / 2), description, factValue, factTitle, facts);
        }
    }

    private static ObjectNode message(EventView view, Caps caps) {
        ObjectNode message = Json.object().put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", CONTENT_TYPE);
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");

        textBlock(body, MarkdownText.fitAdaptiveCard(view.title(), caps.title())).put("size", "Large").put("weight", "Bolder");
        if (view.statusLine() != null) {
            textBlock(body, MarkdownText.fitAdaptiveCard(view.statusLine(), caps.factValue()))
                    .put("color", view.status().cardColor).put("weight", "Bolder");
        }
        if (view.description() != null) {
            textBlock(body, MarkdownText.fitAdaptiveCard(view.description(), caps.description()));
        }
        // The status fact is the coloured line above; the FactSet holds the rest.
        List<EventView.Fact> facts = view.facts().subList(view.statusLine() != null ? 1 : 0, view.facts().size());
        if (!facts.isEmpty()) {
            ArrayNode factSet = body.addObject().put("type", "FactSet").putArray("facts");
            int shown = facts.size() <= caps.facts() ? facts.size() : caps.facts() - 1;
            for (int i = 0; i < shown; i++) {
                EventView.Fact fact = facts.get(i);
                factSet.addObject()
                        .put("title", MarkdownText.fitAdaptiveCard(fact.label(), caps.factTitle()))
                        .put("value", MarkdownText.fitAdaptiveCard(fact.value(), caps.factValue()));
            }
            if (shown < facts.size()) {
                factSet.addObject().put("title", Truncation.ELLIPSIS).put("value", (facts.size() - shown) + " more not shown");
            }
        }
        // The DATE/TIME functions render in the reader's locale and zone; they want whole seconds.
        String at = view.occurredAt().truncatedTo(ChronoUnit.SECONDS).toString();
        textBlock(body, view.heading() + " · {{DATE(" + at + ",SHORT)}} {{TIME(" + at + ")}}")
                .put("isSubtle", true).put("size", "Small");

        if (view.url().length() <= URL_MAX) {
            card.putArray("actions").addObject()
                    .put("type", "Action.OpenUrl")
                    .put("title", "View " + view.noun())
                    .put("url", view.url());
        }
        return message;
    }

    private static ObjectNode textBlock(ArrayNode body, String text) {
        return body.addObject().put("type", "TextBlock").put("text", text).put("wrap", true);
    }

    /** A bound on the serialized size that needs no serializing: every text char at its worst. */
    private static long upperBound(EventView view, Caps caps) {
        long chars = Math.min(view.title().length(), caps.title())
                + Math.min(view.url().length(), URL_MAX)
                + view.heading().length();
        if (view.statusLine() != null) {
            chars += Math.min(view.statusLine().length(), caps.factValue());
        }
        if (view.description() != null) {
            chars += Math.min(view.description().length(), caps.description());
        }
        int facts = 0;
        for (EventView.Fact fact : view.facts()) {
            if (facts++ == caps.facts()) {
                break;
            }
            chars += Math.min(fact.label().length(), caps.factTitle()) + Math.min(fact.value().length(), caps.factValue()) + 40;
        }
        return SKELETON_BYTES + chars * BYTES_PER_CHAR;
    }
}
