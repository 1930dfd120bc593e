package app.connectors.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.catalog.FieldSpec;
import app.connectors.delivery.EndpointOverrides;
import app.connectors.net.FetchResult;
import app.connectors.net.SendResult;
import app.connectors.problem.ValidationException;
import app.connectors.windmill.WindmillClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security review: DestinationUrlPolicy matches a type's pathPattern against the raw path without
 * resolving dot segments, and the windmill pattern ends in ".+", so a windmill webhook_url whose
 * path starts /api/w/x/jobs/ and then climbs out with "../" (or "%2e%2e/", which servers also
 * resolve) passes the rule while the request lands on any other path of the host. The portal's
 * Windmill picker builds such URLs too: WindmillClient's PATH accepts "u/../../..".
 */
class DotSegmentPathTest {

    private final FieldSpec windmillUrl = ConnectorTypeCatalog.standard().find("windmill").orElseThrow()
            .field("webhook_url").orElseThrow();
    private final DestinationUrlPolicy policy = new DestinationUrlPolicy(new FakeSsrfGuard(), false);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://app.windmill.dev/api/w/demo/jobs/../../../../api/users/whoami",
            "https://app.windmill.dev/api/w/demo/jobs/%2e%2e/%2e%2e/%2e%2e/%2e%2e/api/users/whoami",
            "https://app.windmill.dev/api/w/demo/jobs/run/p/u/../../../../../../api/w/demo/variables/create"})
    void aPathThatClimbsOutOfTheTypesPatternIsRefused(String url) {
        assertThat(policy.problem(windmillUrl, url)).as(url).isPresent();
    }

    @Test
    void theWindmillPickerRefusesDotSegmentsInAPath() {
        var offline = new FetchResult.Unreachable(SendResult.FailureKind.CONNECT, "offline");
        WindmillClient windmill = new WindmillClient(request -> offline, EndpointOverrides.none(), false);

        assertThatThrownBy(() -> windmill.webhookUrl(null, "demo", "script", "u/../../../../../api/users/whoami", "async", null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().getFirst().field()).isEqualTo("path"));
    }
}
