package app.connectors.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** What every document this package sends must be: a valid independent X-Ray subsegment of its trace. */
final class Subsegments {

    private Subsegments() {
    }

    static void assertValid(JsonNode document, TraceHeader under, String namespace) {
        assertThat(document.path("type").asText()).isEqualTo("subsegment");
        assertThat(document.path("id").asText()).matches("[0-9a-f]{16}").isNotEqualTo(under.parent());
        assertThat(document.path("trace_id").asText()).isEqualTo(under.root());
        assertThat(document.path("parent_id").asText()).isEqualTo(under.parent());
        assertThat(document.path("namespace").asText()).isEqualTo(namespace);
        assertThat(document.path("name").asText()).isNotBlank().hasSizeLessThanOrEqualTo(200);
        assertThat(document.path("start_time").isNumber()).isTrue();
        assertThat(document.path("end_time").isNumber()).isTrue();
        assertThat(document.path("end_time").asDouble()).isGreaterThanOrEqualTo(document.path("start_time").asDouble());
        assertThat(document.has("in_progress")).isFalse();
    }

    /** A header Lambda could have handed an invocation: a new trace, a segment id, sampled or not. */
    static TraceHeader header(boolean sampled) {
        TraceHeader header = TraceHeader.newTrace(1_760_000_000L, TraceHeader.newId());
        return sampled ? header : new TraceHeader(header.root(), header.parent(), false);
    }
}
