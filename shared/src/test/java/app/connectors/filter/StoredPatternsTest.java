package app.connectors.filter;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StoredPatternsTest {

    private final Map<String, String> table = new HashMap<>();
    private final List<Set<String>> reads = new ArrayList<>();
    private final StoredPatterns patterns = new StoredPatterns(digests -> {
        reads.add(Set.copyOf(digests));
        Map<String, String> found = new HashMap<>();
        digests.forEach(d -> {
            if (table.containsKey(d)) {
                found.put(d, table.get(d));
            }
        });
        return found;
    }, EventCatalog.standard());

    @Test
    void readsOnlyPatternsItDoesNotKnowYet() {
        EventPattern kept = stored("{\"data\":{\"status\":[\"kept\"]}}");
        EventPattern broken = stored("{\"data\":{\"status\":[\"broken\"]}}");

        Map<String, EventPattern> first = patterns.resolve(Set.of(kept.digest()));
        Map<String, EventPattern> second = patterns.resolve(Set.of(kept.digest(), broken.digest()));
        Map<String, EventPattern> third = patterns.resolve(Set.of(kept.digest(), broken.digest()));

        assertThat(first.get(kept.digest())).isEqualTo(kept);
        assertThat(second.get(broken.digest())).isEqualTo(broken);
        assertThat(third).hasSize(2);
        assertThat(reads).containsExactly(Set.of(kept.digest()), Set.of(broken.digest()));
    }

    @Test
    void missingPatternMatchesNothingAndSaysWhy() {
        Map<String, EventPattern> resolved = patterns.resolve(Set.of("AAAAAAAAAAAAAAAA"));

        EventPattern missing = resolved.get("AAAAAAAAAAAAAAAA");
        JsonNode event = Json.object().set("data", Json.object().put("status", "kept"));
        assertThat(missing.matches(event)).isFalse();
        assertThat(missing.explain(event).reason()).contains("missing from the filter patterns table");
    }

    @Test
    void digestNamesTheContentAsWritten() {
        EventPattern a = load("{\"data\":{\"status\":[\"kept\"]}}");
        EventPattern sameAgain = load("{\"data\":{\"status\":[\"kept\"]}}");
        EventPattern other = load("{\"data\":{\"status\":[\"broken\"]}}");

        assertThat(a.digest()).isEqualTo(sameAgain.digest()).hasSize(16).matches("[A-Za-z0-9_-]{16}");
        assertThat(a.digest()).isNotEqualTo(other.digest());
    }

    private EventPattern stored(String json) {
        EventPattern pattern = load(json);
        table.put(pattern.digest(), pattern.toString());
        return pattern;
    }

    private static EventPattern load(String json) {
        return EventPattern.load(json, EventCatalog.standard());
    }
}
