package app.connectors.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventParserTest {

    private static final String RFC_3339_REFUSAL = "occurredAt must be an RFC 3339 timestamp such as 2026-11-20T14:03:00Z"
            + " (4-digit year, seconds, an optional fraction, then Z or an offset like +02:00)";

    private final EventParser parser = EventParser.standard();

    @ParameterizedTest
    @MethodSource("eventTypes")
    void acceptsEveryCatalogExampleAndWritesItBackUnchanged(EventType type) throws Exception {
        // GIVEN a catalog example as an SQS body
        String body = Json.write(type.example());

        // WHEN parsed
        Event event = parser.parse(body);

        // THEN its fields are read, and writing it back gives the same envelope
        assertThat(event.type()).isEqualTo(type.name());
        assertThat(event.id()).isEqualTo(type.example().path("id").asText());
        assertThat(event.occurredAt()).isEqualTo(Instant.parse(type.example().path("occurredAt").asText()));
        assertThat(event.subject().title()).isEqualTo(type.example().path("subject").path("title").asText());
        assertThat(EventJson.write(event)).isEqualTo(type.example());
    }

    @Test
    void keepsOccurredAtInUtcToTheMillisecond() throws Exception {
        // GIVEN timestamps with an offset and with more than millisecond precision
        ObjectNode offset = example().put("occurredAt", "2026-11-20T15:03:00.123456789+01:00");
        ObjectNode latest = example().put("occurredAt", "9999-12-31T23:59:59.9999Z");

        // WHEN parsed and written back
        Event first = parser.parse(Json.write(offset));
        Event second = parser.parse(Json.write(latest));

        // THEN they are in UTC, cut to the millisecond, and written as RFC 3339 with at most 3 fraction digits
        assertThat(EventJson.write(first).get("occurredAt").asText()).isEqualTo("2026-11-20T14:03:00.123Z");
        assertThat(EventJson.write(second).get("occurredAt").asText()).isEqualTo("9999-12-31T23:59:59.999Z");
    }

    @Test
    void treatsMissingAttributesAndDataAsEmptyObjects() throws Exception {
        // GIVEN an envelope without attributes and data
        ObjectNode envelope = example();
        envelope.remove("attributes");
        envelope.remove("data");

        // WHEN parsed
        Event event = parser.parse(Json.write(envelope));

        // THEN both are empty objects and the optional fields are absent
        assertThat(event.attributes()).isEmpty();
        assertThat(event.data()).isEmpty();
        assertThat(event.userId()).isNull();
    }

    @Test
    void readsTheOptionalUserIdAndStatus() throws Exception {
        ObjectNode envelope = example().put("userId", "user-42");
        ((ObjectNode) envelope.get("subject")).remove("status");

        Event event = parser.parse(Json.write(envelope));

        assertThat(event.userId()).isEqualTo("user-42");
        assertThat(event.subject().status()).isNull();
    }

    @Test
    void acceptsAnInstantWithAnOffsetAndFractionalSeconds() throws Exception {
        ObjectNode envelope = example().put("occurredAt", "2026-11-20T15:03:00.250+01:00");
        assertThat(parser.parse(Json.write(envelope)).occurredAt()).isEqualTo(Instant.parse("2026-11-20T14:03:00.250Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEnvelopes")
    void rejectsAMalformedEnvelopeWithItsReason(String reason, Consumer<ObjectNode> breakIt) {
        // GIVEN the example broken in one way
        ObjectNode envelope = example();
        breakIt.accept(envelope);

        // WHEN parsed THEN it is refused with that short reason
        assertThatThrownBy(() -> parser.parse(Json.write(envelope)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage(reason);
    }

    static Stream<Arguments> malformedEnvelopes() {
        return Stream.of(
                broken("missing field id", e -> e.remove("id")),
                broken("id is blank", e -> e.put("id", "  ")),
                broken("id is not a string", e -> e.put("id", 42)),
                broken("id is 129 characters; the limit is 128", e -> e.put("id", "x".repeat(129))),
                broken("missing field type", e -> e.remove("type")),
                broken("unknown event type 'x.y'", e -> e.put("type", "x.y")),
                broken("missing field occurredAt", e -> e.remove("occurredAt")),
                broken(RFC_3339_REFUSAL, e -> e.put("occurredAt", "20/11/2026 14:03")),
                broken(RFC_3339_REFUSAL, e -> e.put("occurredAt", "2026-11-20")),
                broken(RFC_3339_REFUSAL, e -> e.put("occurredAt", "+10000-01-01T00:00:00Z")),
                broken(RFC_3339_REFUSAL, e -> e.put("occurredAt", "10000-01-01T00:00:00Z")),
                broken(RFC_3339_REFUSAL, e -> e.put("occurredAt", "2026-11-20T14:03Z")),
                broken(RFC_3339_REFUSAL, e -> e.put("occurredAt", "2026-11-20T14:03:00")),
                broken(RFC_3339_REFUSAL, e -> e.put("occurredAt", "2026-11-20T14:03:00.1234567890Z")),
                broken("occurredAt is not a valid date and time ('2026-02-30T14:03:00Z')",
                        e -> e.put("occurredAt", "2026-02-30T14:03:00Z")),
                broken("occurredAt is outside the years 0000 to 9999 once converted to UTC",
                        e -> e.put("occurredAt", "9999-12-31T23:30:00-01:00")),
                broken("missing field subject", e -> e.remove("subject")),
                broken("subject is not an object", e -> e.put("subject", "title")),
                broken("missing field subject.title", e -> subject(e).remove("title")),
                broken("subject.title is not a string", e -> subject(e).putArray("title")),
                broken("subject.title is blank", e -> subject(e).put("title", "")),
                broken("missing field subject.url", e -> subject(e).remove("url")),
                broken("subject.url is not an http(s) URL", e -> subject(e).put("url", "javascript:alert(1)")),
                broken("subject.url is not an http(s) URL", e -> subject(e).put("url", "/promises/1")),
                broken("subject.url is not an http(s) URL", e -> subject(e).put("url", "https://exa mple.org/")),
                broken("subject.status is not a string", e -> subject(e).put("status", 3)),
                broken("attributes is not an object", e -> e.putArray("attributes")),
                broken("attributes.company is not a scalar", e -> ((ObjectNode) e.get("attributes")).putObject("company")),
                broken("userId is not a string", e -> e.putObject("userId")),
                broken("data is not an object", e -> e.put("data", "text")));
    }

    @Test
    void quotesOnlyAShortSingleLineExcerptOfAnUnknownType() {
        ObjectNode envelope = example().put("type", "evil\n" + "t".repeat(500));
        assertThatThrownBy(() -> parser.parse(Json.write(envelope)))
                .hasMessageStartingWith("unknown event type 'evil?ttt")
                .hasMessageEndingWith("…'")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(100));
    }

    @Test
    void rejectsAnEnvelopeLargerThanTheSqsLimitBeforeParsingIt() {
        // GIVEN an envelope of more than 256 KB (its data padded with two-byte characters)
        ObjectNode envelope = example();
        ((ObjectNode) envelope.get("data")).put("summary", "é".repeat(140_000));
        String body = Json.write(envelope);
        int bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;

        // WHEN parsed THEN the reason gives the size in bytes and the limit
        assertThatThrownBy(() -> parser.parse(body))
                .hasMessage("envelope is " + bytes + " bytes; the limit is " + EventParser.MAX_BYTES);
    }

    @Test
    void acceptsAnEnvelopeOfExactlyTheLimit() throws Exception {
        // GIVEN an envelope padded to exactly the limit (240 KiB)
        ObjectNode envelope = example();
        ((ObjectNode) envelope.get("data")).put("summary", "");
        int base = Json.write(envelope).length();
        ((ObjectNode) envelope.get("data")).put("summary", "a".repeat(EventParser.MAX_BYTES - base));

        // WHEN parsed THEN it is accepted
        assertThat(parser.parse(Json.write(envelope)).data().path("summary").asText()).hasSize(EventParser.MAX_BYTES - base);
    }

    @Test
    void reportsWhereTheJsonIsMalformed() {
        String body = "{\"id\": \"evt_1\",\n \"type\": }";
        assertThatThrownBy(() -> parser.parse(body))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageMatching("malformed JSON at line 2 column \\d+");
    }

    @Test
    void rejectsTrailingContentAfterTheEnvelope() {
        String body = Json.write(example()) + " {}";
        assertThatThrownBy(() -> parser.parse(body)).hasMessageStartingWith("malformed JSON at line 1 column");
    }

    @Test
    void rejectsADuplicateField() {
        String body = "{\"id\":\"a\",\"id\":\"b\"}";
        assertThatThrownBy(() -> parser.parse(body)).hasMessageStartingWith("malformed JSON");
    }

    @Test
    void rejectsBodiesThatAreNotAnObject() {
        assertThatThrownBy(() -> parser.parse("[1,2]")).hasMessage("envelope is not a JSON object");
        assertThatThrownBy(() -> parser.parse("")).hasMessage("envelope is empty");
        assertThatThrownBy(() -> parser.parse(null)).hasMessage("envelope is empty");
    }

    @Test
    void countsUtf8BytesLikeTheEncoderDoes() {
        String text = "a é € 😀";
        assertThat(EventParser.utf8Length(text)).isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    static Stream<EventType> eventTypes() {
        return EventCatalog.standard().all().stream();
    }

    private static ObjectNode example() {
        return EventCatalog.standard().find("promise.status_changed").orElseThrow().example().deepCopy();
    }

    private static ObjectNode subject(ObjectNode envelope) {
        return (ObjectNode) envelope.get("subject");
    }

    private static Arguments broken(String reason, Consumer<ObjectNode> breakIt) {
        return Arguments.of(reason, breakIt);
    }

    @Test
    void keepsTheEnvelopeAsPublishedWithoutTheWhitespaceAroundIt() throws Exception {
        // GIVEN a body whose numbers Jackson would write in another form, with whitespace around it
        String object = Json.write(example()).replaceFirst("\\{", "{\"n\": 1e6,  ");
        String body = " \r\n\t" + object + "\n ";

        // WHEN accepted
        Event event = parser.parse(body);

        // THEN the envelope is the object's text exactly, which reads back as the same event
        assertThat(event.envelope()).isEqualTo(object);
        assertThat(parser.readKept(event.envelope())).isEqualTo(event);
    }

    @Test
    void aKeptEnvelopeIsNotMeasuredAgain() throws Exception {
        // GIVEN an envelope over the limit, as the service kept events before it kept them as accepted
        int base = Json.write(example()).length();
        ObjectNode envelope = example();
        ((ObjectNode) envelope.get("data")).put("summary", "a".repeat(EventParser.MAX_BYTES - base + 100));
        String body = Json.write(envelope);

        // WHEN read as a kept envelope, THEN it reads; as a published one it is refused
        assertThat(parser.readKept(body).envelope()).isEqualTo(body);
        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void aNumberLongerThanTheReaderTakesIsRefusedSayingToSendItAsAString() {
        String body = Json.write(example()).replaceFirst("\\{", "{\"huge\":" + "9".repeat(1_001) + ",");

        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(InvalidEventException.class)
                .hasMessage("envelope refused: a number is longer than 1000 characters; send it as a string");
    }

    @Test
    void anEnvelopeNestedTooDeeplyIsRefusedSayingHowDeepItMayGo() {
        String body = Json.write(example()).replaceFirst("\\{", "{\"deep\":" + "[".repeat(Json.MAX_NESTING + 1)
                + "]".repeat(Json.MAX_NESTING + 1) + ",");

        assertThatThrownBy(() -> parser.parse(body)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("objects and arrays nest more than " + Json.MAX_NESTING + " levels deep");
    }

    @Test
    void aBodyBeginningWithAByteOrderMarkIsRefused() {
        // a delivery job embeds the envelope as JSON: an envelope must begin with its object
        assertThatThrownBy(() -> parser.parse("\uFEFF" + Json.write(example())))
                .isInstanceOf(InvalidEventException.class).hasMessageStartingWith("malformed JSON");
    }
}
