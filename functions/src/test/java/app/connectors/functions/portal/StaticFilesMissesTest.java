package app.connectors.functions.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Security review: {@code GET /portal/<anything>.js} is unauthenticated, and every distinct safe
 * path that is not a file used to stay in StaticFiles' cache (as an empty Optional) for the life of
 * the execution environment. An anonymous client sending distinct 512-character names grows the
 * portal function's heap without bound (about 1 KB per request) until it runs out of memory.
 * Only files that exist may be remembered.
 */
class StaticFilesMissesTest {

    @Test
    void distinctMissingPathsAreNotRememberedForever() throws ReflectiveOperationException {
        StaticFiles files = new StaticFiles("portal/test-web/");
        files.find("index.html");
        files.find("assets/style.css");
        String segment = "a".repeat(120);

        for (int i = 0; i < 10_000; i++) {
            assertThat(files.find(segment + "/" + segment + "/" + segment + "/missing-" + i + ".js")).isEmpty();
        }

        assertThat(cacheOf(files).size()).as("entries kept after 10,000 distinct misses").isLessThanOrEqualTo(2 + 100);
    }

    private static Map<?, ?> cacheOf(StaticFiles files) throws ReflectiveOperationException {
        Field cache = StaticFiles.class.getDeclaredField("cache");
        cache.setAccessible(true);
        return (Map<?, ?>) cache.get(files);
    }
}
