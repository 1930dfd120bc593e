package app.connectors.filter;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.EventType;
import app.connectors.event.InvalidEventException;
import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventPatternTest {

    private static final EventCatalog CATALOG = EventCatalog.standard();
    private static final String STATUS_CHANGED = "promise.status_changed";

    // ------------------------------------------------------------------ the original form

    @Test
    void originalCategoriesFormMatchesTheAttributeAsBefore() throws Exception {
        EventPattern stored = EventPattern.load("{\"categories\":[\"politics\",\"tech-product\"]}", CATALOG);

        assertThat(stored.matches(document(attributes("{\"category\":\"tech-product\"}")))).isTrue();
        assertThat(stored.matches(document(attributes("{\"category\":\"health\"}")))).isFalse();
        assertThat(stored.matches(document(attributes("{}")))).isFalse();
    }

    @Test
    void originalFormComparesTheAttributesTextSoANumericAttributeStillMatches() throws Exception {
        // Before patterns, "7" matched an attribute sent as the number 7 (its text); stored filters keep that.
        EventPattern stored = EventPattern.load("{\"companies\":[\"7\"]}", CATALOG);

        assertThat(stored.matches(document(attributes("{\"company\":7}")))).isTrue();
    }

    @Test
    void originalFormComparesAFractionalAttributeByTheTextItWasMatchedOnBefore() throws Exception {
        // Stored filters of the original form were written against the text Java gave a decimal
        // attribute (2.50 as "2.5", 1e6 as "1000000.0"); events now keep the published form, and
        // those filters must still match what they matched.
        EventPattern stored = EventPattern.load("{\"companies\":[\"2.5\",\"1000000.0\"]}", CATALOG);

        assertThat(stored.matches(document("{\"company\":2.50}"))).as("2.50").isTrue();
        assertThat(stored.matches(document("{\"company\":1e6}"))).as("1e6").isTrue();
        assertThat(stored.matches(document("{\"company\":2.51}"))).as("2.51").isFalse();
    }

    @Test
    void originalStatusesFormMatchesTheSubjectStatus() throws Exception {
        EventPattern stored = EventPattern.load("{\"statuses\":[\"kept\"],\"categories\":[\"tech-product\"]}", CATALOG);

        assertThat(stored.matches(document(example(STATUS_CHANGED)))).isTrue();
        ObjectNode broken = example(STATUS_CHANGED);
        ((ObjectNode) broken.get("subject")).put("status", "broken");
        assertThat(stored.matches(document(broken))).isFalse();
    }

    @Test
    void originalAndPatternFormsCombine() throws Exception {
        EventPattern pattern = compile("{\"categories\":[\"tech-product\"],\"data\":{\"status\":[\"kept\"]}}");

        assertThat(pattern.matches(document(example(STATUS_CHANGED)))).isTrue();
        assertThat(pattern.explain(document(attributes("{\"category\":\"politics\"}"))).path()).isEqualTo("attributes.category");
    }

    // ------------------------------------------------------------------ explanations

    @Test
    void explainsTheFirstFailingPathWithWhatTheEventHeld() throws Exception {
        EventPattern pattern = compile("{\"data\":{\"status\":[\"broken\",{\"prefix\":\"partially\"}]}}");

        FilterVerdict verdict = pattern.explain(document(example(STATUS_CHANGED)));

        assertThat(verdict.matched()).isFalse();
        assertThat(verdict.path()).isEqualTo("data.status");
        assertThat(verdict.reason()).contains("\"kept\"", "none of", "\"broken\"", "prefix");
    }

    @Test
    void explainsAnAbsentField() throws Exception {
        EventPattern pattern = compile("{\"userId\":[\"u-1\"]}");

        FilterVerdict verdict = pattern.explain(document(example(STATUS_CHANGED)));

        assertThat(verdict.path()).isEqualTo("userId");
        assertThat(verdict.reason()).contains("has no userId");
    }

    @Test
    void explainsAnOrWhereNoAlternativeMatched() throws Exception {
        EventPattern pattern = compile("{\"$or\":[{\"data\":{\"status\":[\"broken\"]}},{\"subject\":{\"status\":[\"stalled\"]}}]}");

        FilterVerdict verdict = pattern.explain(document(example(STATUS_CHANGED)));

        assertThat(verdict.path()).isEqualTo("$or");
        assertThat(verdict.reason()).contains("none of the 2 alternatives", "$or[0].data.status");
    }

    @Test
    void saysWhichTopLevelAlternativeMatched() throws Exception {
        EventPattern pattern = compile("{\"$or\":[{\"data\":{\"status\":[\"broken\"]}},{\"subject\":{\"status\":[\"kept\"]}}]}");
        JsonNode event = document(example(STATUS_CHANGED));

        assertThat(pattern.matchedAlternative(event)).contains("$or[1]");
        assertThat(pattern.explain(event)).isEqualTo(new FilterVerdict(true, null, null, "$or[1]"));
        assertThat(compile("{\"data\":{\"status\":[\"kept\"]}}").matchedAlternative(event)).isEmpty();
    }

    // ------------------------------------------------------------------ stored patterns

    @Test
    void storedPatternThatNoLongerCompilesMatchesNothingAndSaysWhy() throws Exception {
        EventPattern stored = EventPattern.load("{\"data\":{\"n\":[{\"numeric\":[\">\",\"five\"]}]}}", CATALOG);

        assertThat(stored.matches(document(example(STATUS_CHANGED)))).isFalse();
        assertThat(stored.explain(document(example(STATUS_CHANGED))).reason()).contains("no longer valid", "numeric");
    }

    @Test
    void storedEmptyPatternLetsEverythingThrough() {
        assertThat(EventPattern.load("{}", CATALOG).isEmpty()).isTrue();
    }

    @Test
    void patternRoundTripsThroughItsStoredJson() throws Exception {
        EventPattern pattern = compile("{\"data\":{\"status\":[{\"anything-but\":[\"kept\"]}]},\"type\":[\"promise.status_changed\"]}");

        EventPattern loaded = EventPattern.load(pattern.toString(), CATALOG);

        assertThat(loaded).isEqualTo(pattern);
        assertThat(loaded.source()).isEqualTo(pattern.source());
    }

    // ------------------------------------------------------------------ validation against the event types' schemas

    @Test
    void refusesADataFieldNoneOfTheTypesHas() {
        List<FieldError> errors = compileErrors("{\"data\":{\"statsu\":[\"kept\"]}}", STATUS_CHANGED);

        assertThat(errors).extracting(FieldError::field).containsExactly("filters.data.statsu");
        assertThat(errors.get(0).message()).contains("'statsu' is not a field of data", "previousStatus, status");
    }

    @Test
    void refusesFieldsUnderAScalarDataField() {
        List<FieldError> errors = compileErrors("{\"data\":{\"status\":{\"code\":[\"kept\"]}}}", STATUS_CHANGED);

        assertThat(errors).extracting(FieldError::field).containsExactly("filters.data.status");
        assertThat(errors.get(0).message()).contains("single value");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        List<FieldError> errors = compileErrors("{\"data\":{\"status\":[{\"wildcard\":\"k**\"}],\"daysLeft\":[{\"numeric\":[\"<\",1,\"<\",2]}]},"
                + "\"subject\":{\"colour\":[\"red\"]}}", "promise.deadline_approaching", STATUS_CHANGED);

        assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("filters.data.status[0].wildcard",
                "filters.data.daysLeft[0].numeric[2]", "filters.subject.colour");
    }

    @Test
    void refusesAPatternLargerThanSixteenKilobytes() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            values.append(i == 0 ? "" : ",").append('"').append("x".repeat(1000)).append(i).append('"');
        }
        List<FieldError> errors = compileErrors("{\"data\":{\"summary\":[" + values + "]}}", STATUS_CHANGED);

        assertThat(errors).extracting(FieldError::field).containsExactly("filters");
        assertThat(errors.get(0).message()).contains("16 KB");
    }

    @Test
    void acceptsAFieldNamedLikeAnOperatorWhenTheSchemaDeclaresIt() {
        ObjectNode schema = (ObjectNode) parse("{\"type\":\"object\",\"properties\":{\"prefix\":{\"type\":\"string\"}}}");
        List<FieldError> errors = new ArrayList<>();

        EventPattern pattern = EventPattern.compile(parse("{\"data\":{\"prefix\":[\"v1\"]}}"),
                List.of(new EventType("t", "", schema, Json.object())), CATALOG, "filters", errors);

        assertThat(errors).isEmpty();
        assertThat(pattern.matches(parse("{\"data\":{\"prefix\":\"v1\"}}"))).isTrue();
    }

    // ------------------------------------------------------------------ hostile inputs

    @Test
    void wildcardOnAHugeValueWithManyNearMissesStillAnswers() {
        // A backtracking matcher would explore every way of spreading 40 stars over 200,000 characters.
        String wildcard = "*a".repeat(40) + "*b";
        EventPattern pattern = EventPattern.compile(parse("{\"data\":{\"s\":[{\"wildcard\":\"" + wildcard + "\"}]}}"),
                FieldScope.anything(), CATALOG, "filters", new ArrayList<>());
        String value = "a".repeat(200_000);

        assertThat(pattern.matches(parse("{\"data\":{\"s\":\"" + value + "\"}}"))).isFalse();
        assertThat(pattern.matches(parse("{\"data\":{\"s\":\"" + value + "b\"}}"))).isTrue();
    }

    @Test
    void deeplyNestedEventArraysDoNotConfuseMatching() {
        String nested = "[".repeat(60) + "\"x\"" + "]".repeat(60);
        EventPattern pattern = EventPattern.compile(parse("{\"data\":{\"s\":[\"x\"]}}"), FieldScope.anything(), CATALOG, "filters",
                new ArrayList<>());

        assertThat(pattern.matches(parse("{\"data\":{\"s\":" + nested + "}}"))).isTrue();
    }

    @Test
    void hugeEventNumbersCompareWithoutOverflow() {
        EventPattern pattern = EventPattern.compile(parse("{\"data\":{\"n\":[{\"numeric\":[\">\",1e15]}]}}"), FieldScope.anything(), CATALOG,
                "filters", new ArrayList<>());

        assertThat(pattern.matches(parse("{\"data\":{\"n\":123456789012345678901234567890}}"))).isTrue();
        assertThat(pattern.matches(parse("{\"data\":{\"n\":-123456789012345678901234567890}}"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8, 10.1.2.3, true",
            "10.0.0.0/8, 010.1.2.3, false",
            "10.0.0.0/8, '10.1.2.3 ', false",
            "10.0.0.0/8, 10.1.2.256, false",
            "10.0.0.0/8, 10.1.2.3.4, false",
            "10.0.0.0/8, ' 10.1.2.3', false",
            "::/0, ::, true",
            "::1/128, ::1, true",
            "::1/128, 0:0:0:0:0:0:0:1, true",
            "::1/128, ::2, false",
            "2001:db8::/32, 2001:DB8::abcd, true",
            "2001:db8::/32, 2001:db8:::1, false",
            "2001:db8::/32, 2001:db8::1::2, false",
            "2001:db8::/32, 2001:db8:0:0:0:0:0:0:1, false",
            "2001:db8::/32, 2001:db8::12345, false",
            "2001:db8::/32, 2001:db8::1%eth0, false",
            "::ffff:0:0/96, ::ffff:10.0.0.1, true",
            "::ffff:0:0/96, ::ffff:10.0.0.256, false",
            "2001:db8::/32, 2001:db8::١, false",
    })
    void cidrReadsAddressesStrictly(String network, String address, boolean inside) {
        assertThat(IpRange.parse(network).contains(address)).isEqualTo(inside);
    }

    // ------------------------------------------------------------------ helpers

    private static EventPattern compile(String pattern) {
        List<FieldError> errors = new ArrayList<>();
        EventPattern compiled = EventPattern.compile(parse(pattern), CATALOG.all(), CATALOG, "filters", errors);
        assertThat(errors).isEmpty();
        return compiled;
    }

    private static List<FieldError> compileErrors(String pattern, String... types) {
        List<FieldError> errors = new ArrayList<>();
        List<EventType> subscribed = java.util.Arrays.stream(types).map(t -> CATALOG.find(t).orElseThrow()).toList();
        assertThat(EventPattern.compile(parse(pattern), subscribed, CATALOG, "filters", errors)).isNull();
        return errors;
    }

    private static ObjectNode example(String type) {
        return CATALOG.find(type).orElseThrow().example().deepCopy();
    }

    private static ObjectNode attributes(String json) {
        ObjectNode envelope = example(STATUS_CHANGED);
        envelope.set("attributes", parse(json));
        return envelope;
    }

    /** The example event with these attributes, as published (its numbers in the text given here). */
    private static JsonNode document(String attributesJson) throws InvalidEventException {
        String envelope = Json.write(example(STATUS_CHANGED).put("attributes", "ATTRIBUTES"));
        Event event = EventParser.standard().parse(envelope.replace("\"ATTRIBUTES\"", attributesJson));
        return EventDocument.of(event);
    }

    private static JsonNode document(ObjectNode envelope) throws InvalidEventException {
        Event event = EventParser.standard().parse(Json.write(envelope));
        return EventDocument.of(event);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
