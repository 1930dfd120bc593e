package app.connectors.event;

import app.connectors.json.Json;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Turns an SQS message body into a validated {@link Event}, or says in one short sentence why it
 * cannot. Stateless and thread-safe; build it once per execution environment.
 *
 * <p>Rules: a JSON object of at most {@value #MAX_BYTES} UTF-8 bytes (SQS's 256 KiB less room for the
 * delivery job that carries the event on to DeliveriesQueue);
 * {@code id} a non-blank string of at most {@value #MAX_ID_LENGTH} characters; {@code type} a name
 * in the {@link EventCatalog}; {@code occurredAt} an RFC 3339 timestamp (kept in UTC, to the millisecond); {@code subject} an object with
 * a non-blank {@code title}, an http(s) {@code url} and an optional string {@code status};
 * {@code attributes} an object of scalars (absent: empty); {@code userId} an optional string;
 * {@code data} an object (absent: empty). Unknown top-level fields are ignored so that the host
 * platform can add fields before this service reads them.
 *
 * <pre>{@code
 * EventParser parser = EventParser.standard();
 * Event event = parser.parse(sqsMessage.getBody());   // throws InvalidEventException
 * }</pre>
 */
public final class EventParser {

    private static final java.util.regex.Pattern RFC_3339 = java.util.regex.Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /**
     * 240 KiB: SQS's default maximum message size (256 KiB) less 16 KiB for the delivery job that
     * wraps the event on DeliveriesQueue (ids, the dead-letter reason). A larger event could be
     * published but never fanned out, so it is parked with this reason instead.
     */
    public static final int MAX_BYTES = 240 * 1024;
    public static final int MAX_ID_LENGTH = 128;

    /** How much of a rejected value a reason may quote, so that logs stay short. */
    private static final int QUOTE_LIMIT = 64;

    private static final EventParser STANDARD = new EventParser(EventCatalog.standard());

    private final EventCatalog catalog;

    EventParser(EventCatalog catalog) {
        this.catalog = catalog;
    }

    /** The parser for the catalog shipped with the service. */
    public static EventParser standard() {
        return STANDARD;
    }

    /**
     * Accepts one published message body: its size ({@value #MAX_BYTES} bytes at most), then what
     * {@link #readKept} checks. The event keeps the body's text as its {@link Event#envelope()}, and
     * every later copy is that text, so the size is checked here only.
     */
    public Event parse(String body) throws InvalidEventException {
        if (body == null) {
            throw new InvalidEventException("envelope is empty");
        }
        long bytes = utf8Length(body);
        if (bytes > MAX_BYTES) {
            throw new InvalidEventException("envelope is " + bytes + " bytes; the limit is " + MAX_BYTES);
        }
        return readKept(body);
    }

    /**
     * Reads an envelope this service accepted and kept (in a delivery job, the event store, a
     * fan-out's continuation): validated like a published one, but its size is not checked again.
     * It was checked at acceptance; an envelope kept before the text itself was (a copy Jackson had
     * written again, bigger than what was published) still reads.
     */
    public Event readKept(String body) throws InvalidEventException {
        if (body == null) {
            throw new InvalidEventException("envelope is empty");
        }
        JsonNode root;
        try {
            // Numbers keep their published text: every payload formatted from this tree sends them
            // as published (1e6, not 1000000.0; every digit of a long decimal). Text after the
            // object is refused ("{} trailing" is not an event).
            root = Json.parseExact(body);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(malformed(e), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new InvalidEventException("envelope is empty");
        }
        if (!root.isObject()) {
            throw new InvalidEventException("envelope is not a JSON object");
        }
        return read((ObjectNode) root, withoutSurroundingWhitespace(body));
    }

    private Event read(ObjectNode root, String envelope) throws InvalidEventException {
        String id = requiredText(root, "id", "id");
        if (id.length() > MAX_ID_LENGTH) {
            throw new InvalidEventException("id is " + id.length() + " characters; the limit is " + MAX_ID_LENGTH);
        }
        String type = requiredText(root, "type", "type");
        if (catalog.find(type).isEmpty()) {
            throw new InvalidEventException("unknown event type '" + quote(type) + "'");
        }
        Instant occurredAt = instant(requiredText(root, "occurredAt", "occurredAt"));

        JsonNode subjectNode = root.get("subject");
        if (subjectNode == null || subjectNode.isNull()) {
            throw new InvalidEventException("missing field subject");
        }
        if (!subjectNode.isObject()) {
            throw new InvalidEventException("subject is not an object");
        }
        String title = requiredText(subjectNode, "title", "subject.title");
        String url = requiredText(subjectNode, "url", "subject.url");
        if (!isHttpUrl(url)) {
            throw new InvalidEventException("subject.url is not an http(s) URL");
        }
        String status = optionalText(subjectNode, "status", "subject.status");

        ObjectNode attributes = optionalObject(root, "attributes");
        for (Map.Entry<String, JsonNode> attribute : attributes.properties()) {
            if (attribute.getValue().isContainerNode()) {
                throw new InvalidEventException("attributes." + quote(attribute.getKey()) + " is not a scalar");
            }
        }
        String userId = optionalText(root, "userId", "userId");
        ObjectNode data = optionalObject(root, "data");
        return new Event(id, type, occurredAt, new Event.Subject(title, url, status), attributes, userId, data, envelope);
    }

    private static String requiredText(JsonNode parent, String field, String path) throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidEventException("missing field " + path);
        }
        if (!node.isTextual()) {
            throw new InvalidEventException(path + " is not a string");
        }
        String text = node.textValue();
        if (text.isBlank()) {
            throw new InvalidEventException(path + " is blank");
        }
        return text;
    }

    private static String optionalText(JsonNode parent, String field, String path) throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidEventException(path + " is not a string");
        }
        return node.textValue();
    }

    private static ObjectNode optionalObject(ObjectNode parent, String field) throws InvalidEventException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return Json.object();
        }
        if (!node.isObject()) {
            throw new InvalidEventException(field + " is not an object");
        }
        return (ObjectNode) node;
    }

    /**
     * RFC 3339 (4-digit year, seconds, an optional fraction, Z or an offset), normalised to UTC with
     * at most millisecond precision. What cannot be normalised is refused: Discord and Teams reject
     * years beyond 9999, and a 5-digit year is not RFC 3339.
     */
    static Instant instant(String text) throws InvalidEventException {
        if (!RFC_3339.matcher(text).matches()) {
            throw new InvalidEventException("occurredAt must be an RFC 3339 timestamp such as 2026-11-20T14:03:00Z"
                    + " (4-digit year, seconds, an optional fraction, then Z or an offset like +02:00)");
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("occurredAt is not a valid date and time ('" + quote(text) + "')");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new InvalidEventException("occurredAt is outside the years 0000 to 9999 once converted to UTC");
        }
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return uri.isAbsolute()
                    && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String malformed(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
        return Json.limitRefused(e).map(refused -> "envelope refused" + where + ": " + refused)
                .orElse("malformed JSON" + where);
    }

    /** A short, single-line excerpt of untrusted text for a log line. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), QUOTE_LIMIT + 1));
        for (int i = 0; i < text.length() && out.length() < QUOTE_LIMIT; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (text.length() > QUOTE_LIMIT) {
            out.append('…');
        }
        return out.toString();
    }

    /** The object's text without the JSON whitespace around it (what a delivery job embeds). */
    private static String withoutSurroundingWhitespace(String body) {
        int start = 0;
        int end = body.length();
        while (start < end && isJsonWhitespace(body.charAt(start))) {
            start++;
        }
        while (end > start && isJsonWhitespace(body.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == body.length() ? body : body.substring(start, end);
    }

    private static boolean isJsonWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** The UTF-8 size of {@code text} without encoding it (a 256 KB copy per message is waste). */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
