package app.connectors.lint;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.local.TemplateModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Deleting the stack, or an update that replaces a resource, must never delete data or work:
 * every table, queue, KMS key and log group in template.yaml is retained. (cfn-lint's I3011 asks for
 * explicit policies; this asks for the right ones, and runs where cfn-lint is not installed.)
 */
class TemplateRetentionTest {

    private static final TemplateModel TEMPLATE = TemplateModel.load(Path.of("../template.yaml"));
    private static final List<String> STATEFUL = List.of("AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::KMS::Key",
            "AWS::Logs::LogGroup");

    @Test
    void everyStatefulResourceIsRetainedOnDeleteAndOnReplace() {
        List<String> unprotected = new ArrayList<>();
        for (String type : STATEFUL) {
            for (String id : TEMPLATE.resourcesOfType(type)) {
                for (String policy : List.of("DeletionPolicy", "UpdateReplacePolicy")) {
                    String value = TEMPLATE.resourceAttribute(id, policy).orElse("(none: Delete)");
                    if (!"Retain".equals(value)) {
                        unprotected.add(id + " (" + type + ") " + policy + " " + value);
                    }
                }
            }
        }
        assertThat(TEMPLATE.resourcesOfType("AWS::DynamoDB::Table")).isNotEmpty();
        assertThat(unprotected).as("resources that a stack delete or a replacing update would delete").isEmpty();
    }

    @Test
    void everyTableRefusesDeleteTableOutsideCloudFormation() {
        assertThat(TEMPLATE.resourcesOfType("AWS::DynamoDB::Table"))
                .allSatisfy(id -> assertThat(TEMPLATE.resourceAttribute(id, "Properties.DeletionProtectionEnabled"))
                        .as("%s DeletionProtectionEnabled", id).contains("true"));
    }
}
