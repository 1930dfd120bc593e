package app.connectors.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.json.Json;
import app.connectors.local.TemplateModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The harness's refusals: a run that did not do its function's work must stop it, not give a figure. */
class ColdStartHarnessChecksTest {

    @Test
    void a_delivering_function_whose_run_reached_no_destination_stops_the_harness() {
        assertThatThrownBy(() -> ColdStartHarness.checkDeliveries("DeliverFunction", 1, 0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DeliverFunction made 0 request(s) to the sink instead of 1");
        assertThatThrownBy(() -> ColdStartHarness.checkDeliveries("ConnectorsFunction", 0, 1))
                .isInstanceOf(IllegalStateException.class);
        ColdStartHarness.checkDeliveries("DeliverFunction", 1, 1);
        ColdStartHarness.checkDeliveries("ConnectorsFunction", 0, 0);
    }

    @Test
    void the_delivering_functions_are_the_templates_queue_consumers() {
        // A renamed function would otherwise lose its check silently.
        TemplateModel template = TemplateModel.load(Path.of("../template.yaml"));
        assertThat(ColdStartHarness.DELIVERIES.keySet()).allSatisfy(id -> assertThat(template.function(id)).isPresent());
        assertThat(template.function("DispatcherFunction").orElseThrow().sqsEvents()).isNotEmpty();
        assertThat(template.function("DeliverFunction").orElseThrow().sqsEvents()).isNotEmpty();
    }

    @Test
    void the_appcds_upper_bound_is_an_option_of_its_own() {
        assertThat(ColdStartHarness.Options.parse(new String[] {"--appcds", "on"}).appCds()).isTrue();
        assertThat(ColdStartHarness.Options.parse(new String[0]).appCds()).isFalse();
        assertThatThrownBy(() -> ColdStartHarness.Options.parse(new String[] {"--appcds", "on", "--tracing", "on"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void only_a_real_success_counts() throws Exception {
        assertThat(ColdStartHarness.succeeded(Json.parse("{\"statusCode\":200}"))).isTrue();
        assertThat(ColdStartHarness.succeeded(Json.parse("{\"statusCode\":503}"))).isFalse();
        assertThat(ColdStartHarness.succeeded(Json.parse("{\"batchItemFailures\":[]}"))).isTrue();
        assertThat(ColdStartHarness.succeeded(Json.parse("{\"batchItemFailures\":[{\"itemIdentifier\":\"m1\"}]}"))).isFalse();
        assertThat(ColdStartHarness.succeeded(Json.parse("{\"errorMessage\":\"boom\"}"))).isFalse();
    }
}
