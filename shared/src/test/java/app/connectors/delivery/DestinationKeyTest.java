package app.connectors.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import org.junit.jupiter.api.Test;

class DestinationKeyTest {

    private static final String WEBHOOK = "https://hooks.slack.com/services/T0000000/B0000000/Zq8RkV2mWx7pLs4N";

    @Test
    void spellingsOfOneWebhookAreOneDestination() throws URISyntaxException {
        String key = DestinationKey.of("user-1", WEBHOOK);

        assertThat(DestinationKey.of("user-1", "HTTPS://Hooks.Slack.com:443/services/T0000000/B0000000/Zq8RkV2mWx7pLs4N/"))
                .isEqualTo(key);
        assertThat(DestinationKey.of("user-1", WEBHOOK + "?wait=true")).isEqualTo(key);
    }

    @Test
    void anotherPathPortOrOwnerIsAnotherDestination() throws URISyntaxException {
        String key = DestinationKey.of("user-1", WEBHOOK);

        assertThat(DestinationKey.of("user-1", WEBHOOK.replace("Zq8R", "zq8r"))).as("paths are case-sensitive").isNotEqualTo(key);
        assertThat(DestinationKey.of("user-1", WEBHOOK.replace(".com/", ".com:8443/"))).isNotEqualTo(key);
        assertThat(DestinationKey.of("user-2", WEBHOOK)).as("tenants never share pacing or pauses").isNotEqualTo(key);
        // the owner and the URL are hashed apart: no owner/URL pair can be spelt as another's
        assertThat(DestinationKey.of("user-1h", "ttps://x.example/a")).isNotEqualTo(DestinationKey.of("user-1", "https://x.example/a"));
    }

    @Test
    void theKeyHoldsNothingOfTheSecretUrl() throws URISyntaxException {
        String key = DestinationKey.of("user-1", WEBHOOK);

        assertThat(key).matches("dst_[0-9a-f]{32}").doesNotContain("slack").doesNotContain("Zq8R");
    }

    @Test
    void aUrlWithoutAHostHasNoKey() {
        assertThatThrownBy(() -> DestinationKey.of("user-1", "mailto:someone@example.com")).isInstanceOf(URISyntaxException.class);
        assertThatThrownBy(() -> DestinationKey.of("user-1", "not a url")).isInstanceOf(URISyntaxException.class);
    }
}
