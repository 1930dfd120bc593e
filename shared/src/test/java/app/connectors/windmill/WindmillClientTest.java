package app.connectors.windmill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.delivery.EndpointOverrides;
import app.connectors.net.FetchRequest;
import app.connectors.net.FetchResult;
import app.connectors.problem.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WindmillClientTest {

    private final List<FetchRequest> sent = new ArrayList<>();
    private final WindmillClient windmill = new WindmillClient(request -> {
        sent.add(request);
        return new FetchResult.Answer(200, "application/json", "[]".getBytes(StandardCharsets.UTF_8), Duration.ZERO);
    }, EndpointOverrides.none(), false);

    @Test
    void buildsTheWebhookOfAScriptOrFlowWithItsToken() {
        assertThat(windmill.webhookUrl(null, "acme", "script", "u/alice/notify", "async", "wm_tok"))
                .isEqualTo("https://app.windmill.dev/api/w/acme/jobs/run/p/u/alice/notify?token=wm_tok");
        assertThat(windmill.webhookUrl("https://windmill.example.com/", "acme", "flow", "f/alerts/on_promise", "sync", null))
                .isEqualTo("https://windmill.example.com/api/w/acme/jobs/run_wait_result/f/f/alerts/on_promise");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://windmill.example.com", "ftp://x", "https://user:pw@windmill.example.com",
            "https://windmill.example.com/api", "https://windmill.example.com?x=1", "not a url", "https://"})
    void refusesABaseUrlThatIsNotAnHttpsAddress(String baseUrl) {
        assertThatThrownBy(() -> windmill.workspaces(baseUrl, "wm_tok"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().getFirst().field()).isEqualTo("baseUrl"));
        assertThat(sent).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc", "u/alice/../../x?y", "p/alice/x", "u/alice", "u/alice/x y"})
    void refusesAPathThatIsNotAWindmillPath(String path) {
        assertThatThrownBy(() -> windmill.webhookUrl(null, "acme", "script", path, "async", null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().getFirst().field()).isEqualTo("path"));
    }

    @Test
    void refusesAWorkspaceOrTokenThatCouldBreakTheUrl() {
        assertThatThrownBy(() -> windmill.runnables(null, "wm_tok", "acme/../admin")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> windmill.workspaces(null, "tok\r\nX-Injected: 1")).isInstanceOf(ValidationException.class);
        assertThat(sent).isEmpty();
    }

    @Test
    void sendsTheTokenAsABearerToTheWorkspacesList() {
        windmill.workspaces(null, "wm_tok");

        assertThat(sent.getFirst().uri().toString()).isEqualTo("https://app.windmill.dev/api/workspaces/list");
        assertThat(sent.getFirst().headers()).containsEntry("Authorization", "Bearer wm_tok");
    }
}
