package app.connectors.lint;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml passes Redocly CLI's {@code recommended} ruleset (tools/redocly.yaml, which
 * turns off only the licence rule, with its reason): no error and no warning.
 */
class OpenApiLintIT {

    @Test
    void openApiDocumentIsCleanUnderTheRecommendedRuleset() throws Exception {
        Path redocly = ExternalTool.require("tools/node_modules/.bin/redocly", "npm ci --prefix tools; bin/test does it when npm exists");
        ExternalTool.Run run = ExternalTool.run(
                Map.of("REDOCLY_TELEMETRY", "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true", "NO_COLOR", "1"),
                redocly, "lint", "--config", "tools/redocly.yaml", "--format", "json", "docs/openapi.yaml");
        JsonNode report = Json.MAPPER.readTree(run.output());
        assertThat(report.path("problems")).as("redocly lint's problems (stderr: %s)", run.errors()).isEmpty();
        assertThat(report.path("totals").path("errors").asInt(-1)).isZero();
        assertThat(report.path("totals").path("warnings").asInt(-1)).isZero();
        assertThat(run.exitCode()).isZero();
    }
}
