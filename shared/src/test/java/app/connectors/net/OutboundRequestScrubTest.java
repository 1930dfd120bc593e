package app.connectors.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundRequestScrubTest {

    @Test
    void takesTheUrlsSecretsAndHeaderValuesOutOfAnEchoedAnswer() {
        // GIVEN a request with a secret path, a token in the query and credentials in headers
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Authorization", "Bearer sk_live_0123456789");
        headers.put("X-Api-Key", "key-abcdef");
        headers.put("webhook-id", "dlv_0123");
        OutboundRequest request = new OutboundRequest(OutboundRequest.Method.POST,
                URI.create("https://hooks.example.com/services/T0/B0/SECRETPATH?token=hunter22"), headers, new byte[0]);

        // WHEN a destination echoes all of it back
        String echoed = "bad request to /services/T0/B0/SECRETPATH?token=hunter22 with sk_live_0123456789, key-abcdef,"
                + " id dlv_0123, type application/json";

        // THEN the secrets are gone and what is not secret stays readable
        assertThat(request.scrub(echoed)).doesNotContain("SECRETPATH", "hunter22", "sk_live_0123456789", "key-abcdef")
                .contains("dlv_0123").contains("application/json");
    }

    @Test
    void leavesTextWithoutSecretsAlone() {
        OutboundRequest request = OutboundRequest.postJson(URI.create("https://hooks.slack.com/services/T/B/X123"), new byte[0]);

        assertThat(request.scrub("channel_not_found")).isEqualTo("channel_not_found");
        assertThat(request.scrub(null)).isNull();
    }
}
