package app.connectors.local.bench;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.filter.EventDocument;
import app.connectors.filter.EventPattern;
import app.connectors.filter.FilterVerdict;
import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Content filters on the dispatcher's path: one 10-field pattern (every operator kind but cidr,
 * over type, subject, attributes and data) matched against a 1 KB event, sampled per call so that
 * JMH reports percentiles (the target is p50 ≤ 1 µs). Also: the original one-key form, building the
 * event's document (once per event, not per connector), an explanation, and a compile at save.
 *
 * <pre>{@code
 * java -cp local/target/connectors-local.jar org.openjdk.jmh.Main FilterBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterBenchmark {

    /** Ten lists of values (fields), all of which the benchmark event satisfies, so none short-circuits. */
    public static final String TEN_FIELD_PATTERN = """
            {"type": ["promise.status_changed"],
             "subject": {"status": ["kept", "partially_kept"], "url": [{"prefix": "https://example.org/promises/"}]},
             "attributes": {"category": [{"equals-ignore-case": "TECH-PRODUCT"}], "priority": [{"numeric": [">=", 0, "<", 10]}]},
             "data": {"status": [{"anything-but": ["broken", "stalled"]}], "previousStatus": ["in_progress"],
                      "promiseId": [{"exists": true}], "promiser": [{"wildcard": "Acme*Mobile"}],
                      "evidenceUrl": [{"suffix": "/991"}]}}""";

    private EventPattern tenFields;
    private EventPattern original;
    private JsonNode patternSource;
    private Event event;
    private JsonNode document;

    @Setup
    public void setUp() throws InvalidEventException {
        event = EventParser.standard().parse(oneKilobyteEvent());
        document = EventDocument.of(event);
        patternSource = parse(TEN_FIELD_PATTERN);
        tenFields = compile(patternSource);
        original = EventPattern.load("{\"categories\":[\"politics\",\"tech-product\"]}", EventCatalog.standard());
        if (!tenFields.matches(document) || !original.matches(document)) {
            throw new IllegalStateException("the benchmark event must match both patterns");
        }
    }

    /** The catalog's status-change example with an attribute for the numeric clause, its summary padded to about 1 KB of JSON. */
    public static String oneKilobyteEvent() {
        ObjectNode envelope = EventCatalog.standard().find("promise.status_changed").orElseThrow().example().deepCopy();
        ((ObjectNode) envelope.get("attributes")).put("priority", 3);
        ObjectNode data = (ObjectNode) envelope.get("data");
        String summary = data.get("summary").asText();
        while (Json.write(envelope).getBytes(StandardCharsets.UTF_8).length < 1024) {
            summary = summary + " More detail.";
            data.put("summary", summary);
        }
        return Json.write(envelope);
    }

    public static EventPattern compile(JsonNode source) {
        List<FieldError> errors = new ArrayList<>();
        EventPattern pattern = EventPattern.compile(source, List.copyOf(EventCatalog.standard().all()), EventCatalog.standard(),
                "filters", errors);
        if (pattern == null) {
            throw new IllegalStateException("pattern does not compile: " + errors);
        }
        return pattern;
    }

    public static JsonNode parse(String json) {
        try {
            return Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Benchmark
    public boolean matchTenFieldPattern() {
        return tenFields.matches(document);
    }

    @Benchmark
    public boolean matchOriginalCategoriesForm() {
        return original.matches(document);
    }

    @Benchmark
    public JsonNode buildEventDocument() {
        return EventDocument.of(event);
    }

    @Benchmark
    public FilterVerdict explainTenFieldPattern() {
        return tenFields.explain(document);
    }

    @Benchmark
    public EventPattern compileTenFieldPatternAtSave() {
        return compile(patternSource);
    }
}
