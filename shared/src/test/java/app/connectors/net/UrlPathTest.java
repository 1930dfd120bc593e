package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/a/../b", "/a/./b", "/..", "..", "/a/..", "/a/%2e%2e/b", "/a/%2E%2e/b", "/a/.%2e/b", "/a/%2e/b",
            "/a/..%2fb", "/a/%2e%2e%2fb", "/a\\..\\b", "/a/..;x=1/b", "/a/%2e%2e;/b", "u/../../api"})
    void dotSegmentsAreFoundHoweverTheyAreWritten(String path) {
        assertThat(UrlPath.hasDotSegment(path)).as(path).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/api/w/demo/jobs/run/p/u/alice/notify", "/a/v1.2/b", "/.well-known/x", "/a/..b/c", "/a/b../c",
            "/a/...", "/a/%2e%2e%2e", "/services/T0/B0/abc+def", "/a/%zz/b"})
    void ordinaryPathsWithDotsInNamesPass(String path) {
        assertThat(UrlPath.hasDotSegment(path)).as(path).isFalse();
    }
}
