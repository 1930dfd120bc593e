package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.connector.Connector;
import app.connectors.event.Event;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.format.Formatters;
import app.connectors.json.Json;
import app.connectors.net.OutboundRequest;
import app.connectors.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A number published in an event reaches every destination with the value and the form it was
 * published in: {@code 1e6} stays {@code 1e6} (not {@code 1000000.0}), a 30-digit decimal keeps
 * every digit, {@code -0.0} keeps its sign, {@code 1.10} its trailing zero. Asserted on the bytes a
 * destination receives.
 */
class PublishedNumbersTest {

    private static final String MESSAGE_ID = "dlv_0123456789abcdef0123456789abcdef";

    /** Every number form a publisher may reasonably send, and one of each kind nested. */
    static final List<String> NUMBERS = List.of(
            "\"million\":1e6",
            "\"tenthOfMicro\":1E-7",
            "\"tenth\":0.1",
            "\"price\":1.10",
            "\"negativeZero\":-0.0",
            "\"bigInteger\":12345678901234567890123",
            "\"bigDecimal\":12345678901234567890.123456789",
            "\"nearTenth\":0.1000000000000000055511151231257827",
            "\"three\":3",
            "\"negative\":-42",
            "\"signedExponent\":2.50E+3");

    static final String DATA = "{\"promiseId\":\"4821\"," + String.join(",", NUMBERS)
            + ",\"nested\":{\"list\":[1e6,-0.0,12345678901234567890.123456789,{\"deep\":1E-7}]}}";

    /** In the order and form the generic format writes an envelope, so its body can be compared byte for byte. */
    static final String ENVELOPE = "{\"id\":\"evt_numbers\",\"type\":\"promise.status_changed\","
            + "\"occurredAt\":\"2026-11-20T14:03:00Z\","
            + "\"subject\":{\"title\":\"Numbers\",\"url\":\"https://example.com/promises/4821\",\"status\":\"kept\"},"
            + "\"attributes\":{\"category\":\"tech-product\"},\"data\":" + DATA + "}";

    @TempDir
    Path keys;

    private DeliveryFixtures fixtures;

    @BeforeEach
    void setUp() {
        fixtures = new DeliveryFixtures(keys, new MutableClock(Instant.parse("2026-03-01T10:00:00Z")));
    }

    @Test
    void genericHttpDestinationReceivesThePublishedEnvelopeByteForByte() {
        // GIVEN a generic HTTP connector and an event whose data holds every number form
        Connector generic = fixtures.generic("{}").connector();

        // WHEN its request is prepared
        OutboundRequest request = ready(generic, published(ENVELOPE));

        // THEN the body is the text that was published: each number keeps its value and its form
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo(ENVELOPE);
    }

    @Test
    void dataFormatterSendsTheDataObjectAsPublished() {
        byte[] body = Json.writeBytes(Formatters.find(Formatters.DATA).orElseThrow().format(published(ENVELOPE)));

        assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(DATA);
    }

    @ParameterizedTest
    @ValueSource(strings = {Formatters.ZAPIER, Formatters.INNGEST})
    void jsonFormatsCarryEveryNumberAsPublished(String format) {
        String body = new String(Json.writeBytes(Formatters.find(format).orElseThrow().format(published(ENVELOPE))),
                StandardCharsets.UTF_8);

        // Zapier puts undeclared data fields into extra.data as JSON text (quotes escaped); Inngest nests the envelope.
        String unescaped = body.replace("\\\"", "\"");
        for (String number : NUMBERS) {
            assertThat(unescaped).as(format).contains(number);
        }
        assertThat(body).doesNotContain("1000000.0").doesNotContain("E19").doesNotContain("E22").doesNotContain("1.0E-7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"slack", "discord", "teams"})
    void chatMessagesShowNumbersAsPublished(String type) {
        // GIVEN a chat connector and an event whose data has a few numbers (chat messages show a limited number of facts)
        Connector chat = fixtures.create(DeliveryFixtures.webhook(type, type.equals("discord") ? DeliveryFixtures.DISCORD_URL
                : type.equals("slack") ? DeliveryFixtures.SLACK_URL : "https://example.webhook.office.com/webhookb2/abc")).connector();
        Event event = published(ENVELOPE.replace(DATA,
                "{\"million\":1e6,\"bigDecimal\":12345678901234567890.123456789,\"tenthOfMicro\":1E-7,\"price\":1.10}"));

        // WHEN its message is prepared
        String body = new String(ready(chat, event).body(), StandardCharsets.UTF_8);

        // THEN each number reads as it was published, never as Java's double would print it
        // (Discord and Teams escape a Markdown "." as "\.", which the JSON body writes "\\.")
        assertThat(body.replace("\\\\.", ".")).contains("1e6").contains("12345678901234567890.123456789").contains("1E-7").contains("1.10")
                .doesNotContain("1000000.0").doesNotContain("1.2345678901234567E19").doesNotContain("1.0E-7");
    }

    @Test
    void aTransformationsNumbersAreSentAsItsJavaScriptWroteThem() {
        // GIVEN a transformation that reads numbers from the payload and returns new ones
        Connector transformed = fixtures.create("""
                {"type":"generic","name":"Hook","config":{"url":"%s","method":"POST","headers":{}},"events":["*"],
                 "transformation":%s}""".formatted(DeliveryFixtures.GENERIC_URL, Json.write(Json.MAPPER.getNodeFactory().textNode("""
                function handler(webhook) {
                  const d = webhook.payload.data;
                  webhook.payload = { seen: String(d.million), doubled: d.million * 2, tiny: d.tenthOfMicro, huge: 1e21 };
                  return webhook;
                }""")))).connector();

        // WHEN its request is prepared
        String body = new String(ready(transformed, published(ENVELOPE)).body(), StandardCharsets.UTF_8);

        // THEN the sandbox read 1e6 as the number one million, and its result goes out in JavaScript's own
        // number text (JSON.stringify's), not re-printed by Java ("1.0E-7", "1.0E21")
        assertThat(body).isEqualTo("{\"seen\":\"1000000\",\"doubled\":2000000,\"tiny\":1e-7,\"huge\":1e+21}");
    }

    @Test
    void aTransformationThatKeepsThePayloadSendsJavaScriptsNumbers() {
        // GIVEN a transformation that returns the webhook as it got it
        Connector transformed = fixtures.create("""
                {"type":"generic","name":"Hook","config":{"url":"%s","method":"POST","headers":{}},"events":["*"],
                 "transformation":"function handler(webhook) { return webhook; }"}""".formatted(DeliveryFixtures.GENERIC_URL))
                .connector();

        // WHEN its request is prepared
        String body = new String(ready(transformed, published(ENVELOPE)).body(), StandardCharsets.UTF_8);

        // THEN the numbers are what a JavaScript number holds (a double): integral values lose no ".0",
        // a big integer is rounded to 17 significant digits. This is the language's, documented for users.
        assertThat(body).contains("\"million\":1000000,").contains("\"tenthOfMicro\":1e-7,").contains("\"three\":3,")
                .contains("\"bigInteger\":1.2345678901234568e+22,").contains("\"negative\":-42,")
                .doesNotContain("1000000.0");
    }

    @Test
    void aNumberWithATrailingDecimalPointIsSentAsValidJson() {
        // GIVEN an event accepted with "1." (the reader tolerates a trailing decimal point)
        Event event = published(ENVELOPE.replace(DATA, "{\"count\":1.,\"exponent\":2.e3}"));

        // WHEN a generic connector's request is prepared
        String body = new String(ready(fixtures.generic("{}").connector(), event).body(), StandardCharsets.UTF_8);

        // THEN the stored text is untouched, and the destination gets the same value in strict JSON
        assertThat(event.envelope()).contains("\"count\":1.,");
        assertThat(body).endsWith("\"data\":{\"count\":1,\"exponent\":2e3}}");
    }

    private OutboundRequest ready(Connector connector, Event event) {
        PreparedRequest prepared = fixtures.requests.prepare(connector, fixtures.connectors.secretsOf(connector), event, MESSAGE_ID);
        assertThat(prepared).isInstanceOf(PreparedRequest.Ready.class);
        return ((PreparedRequest.Ready) prepared).request();
    }

    private static Event published(String envelope) {
        try {
            return EventParser.standard().parse(envelope);
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }
}
