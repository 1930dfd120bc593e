package app.connectors.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** template.yaml passes cfn-lint with its informational checks on: nothing reported at all. */
class TemplateLintIT {

    @Test
    void cfnLintWithInformationalChecksReportsNothing() {
        Path cfnLint = ExternalTool.require("cfn-lint", "Python's cfn-lint package");
        ExternalTool.Run run = ExternalTool.run(Map.of(), cfnLint, "--include-checks", "I", "--", "template.yaml");
        assertThat(run.output() + run.errors()).as("cfn-lint --include-checks I -- template.yaml").isEmpty();
        assertThat(run.exitCode()).as("cfn-lint's exit code").isZero();
    }
}
