package app.connectors.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsEndpointsTest {

    @Test
    void noVariableMeansTheEmbeddedEmulators() {
        assertThat(AwsEndpoints.fromEnvironment(Map.of())).isEmpty();
    }

    @Test
    void oneVariableNamesEveryService() {
        assertThat(AwsEndpoints.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000")))
                .contains(AwsEndpoints.of(URI.create("http://127.0.0.1:5000")));
    }

    @Test
    void perServiceVariablesWinOverTheGeneralOne() {
        var endpoints = AwsEndpoints.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:5000",
                "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324")).orElseThrow();
        assertThat(endpoints.sqs()).isEqualTo(URI.create("http://127.0.0.1:9324"));
        assertThat(endpoints.dynamoDb()).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(endpoints.kms()).isEqualTo(URI.create("http://127.0.0.1:5000"));
    }

    @Test
    void refusesAPartialSetRatherThanMixingEmulators() {
        assertThatThrownBy(() -> AwsEndpoints.fromEnvironment(Map.of("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324")))
                .hasMessageContaining("AWS_ENDPOINT_URL").hasMessageContaining("never a mix");
    }

    @Test
    void refusesSomethingThatIsNotAUrl() {
        assertThatThrownBy(() -> AwsEndpoints.fromEnvironment(Map.of("AWS_ENDPOINT_URL", "localhost")))
                .hasMessageContaining("http://127.0.0.1:5000");
    }
}
