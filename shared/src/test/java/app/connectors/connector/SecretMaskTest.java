package app.connectors.connector;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretMaskTest {

    private static final String SLACK_TOKEN = "Qx7mR2vLp9Tz4KwB8nYc1234";
    private static final String SLACK_URL = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/" + SLACK_TOKEN;

    @Test
    void keepsSchemeHostAndLastFourCharactersOfUrl() {
        assertThat(SecretMask.url(SLACK_URL)).isEqualTo("https://hooks.slack.com/…1234");
    }

    @Test
    void maskedUrlNeverContainsTheSecretPathSegment() {
        String masked = SecretMask.url(SLACK_URL);

        assertThat(masked).doesNotContain(SLACK_TOKEN, "T0AAAAAAA", "B0BBBBBBB", "/services/");
    }

    @Test
    void ignoresTrailingSlashWhenTakingTheLastFourCharacters() {
        assertThat(SecretMask.url("https://hooks.zapier.com/hooks/catch/1234567/abcdefg/")).isEqualTo("https://hooks.zapier.com/…defg");
    }

    @Test
    void keepsTheLastFourCharactersOfTheQueryWhereTeamsPutsItsSignature() {
        String masked = SecretMask.url("https://prod-00.westus.logic.azure.com/workflows/0123/triggers/manual/paths/invoke"
                + "?api-version=2016-06-01&sig=s3cr3tSignatureWXYZ");

        assertThat(masked).isEqualTo("https://prod-00.westus.logic.azure.com/…WXYZ").doesNotContain("s3cr3t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/k9", "https://example.com/abc/", "https://example.com/?k=12345"})
    void hidesAShortUrlSecretEntirely(String url) {
        // GIVEN a URL whose secret part (what follows the host) is too short to show four characters of
        // WHEN it is masked
        String masked = SecretMask.url(url);

        // THEN nothing after the host is shown
        assertThat(masked).isEqualTo("https://example.com/••••");
    }

    @Test
    void dropsUserInfoFromUrl() {
        String masked = SecretMask.url("https://admin:hunter2pass@api.example.com/hooks/incoming/abcdefghijkl");

        assertThat(masked).isEqualTo("https://api.example.com/…ijkl").doesNotContain("admin", "hunter2");
    }

    @Test
    void keepsANonDefaultPort() {
        assertThat(SecretMask.url("https://api.example.com:8443/hooks/incoming/abcdefghijkl")).isEqualTo("https://api.example.com:8443/…ijkl");
    }

    @Test
    void masksTextThatIsNotAUrlLikeAnySecret() {
        assertThat(SecretMask.url("not a url but long enough")).isEqualTo("not…ough");
    }

    @ParameterizedTest
    @CsvSource({"sk_live_0123456789, sk_…6789", "abcdefghijkl, abc…ijkl"})
    void keepsFirstThreeAndLastFourCharactersOfLongText(String secret, String masked) {
        assertThat(SecretMask.text(secret)).isEqualTo(masked);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "abcdefghijk"})
    void masksShortTextEntirely(String secret) {
        assertThat(SecretMask.text(secret)).isEqualTo("••••");
    }

    @Test
    void masksHeaderValuesAndKeepsTheirNames() {
        // GIVEN a generic connector's secret config with two custom headers
        var generic = ConnectorTypeCatalog.standard().find("generic").orElseThrow();
        ObjectNode secrets = Json.object().put("url", "https://api.example.com/hooks/incoming/abcdefghijkl");
        secrets.putObject("headers").put("X-Api-Key", "key_live_9f8e7d6c5b4a").put("X-Team", "ops");

        // WHEN masked for display
        ObjectNode masked = SecretMask.config(generic, secrets);

        // THEN header names stay, values are masked, and the URL is masked as a URL
        assertThat(masked.path("headers").path("X-Api-Key").asText()).isEqualTo("key…5b4a");
        assertThat(masked.path("headers").path("X-Team").asText()).isEqualTo("••••");
        assertThat(masked.path("url").asText()).isEqualTo("https://api.example.com/…ijkl");
        assertThat(masked.toString()).doesNotContain("9f8e7d6c", "ops\"", "incoming");
    }

    @Test
    void masksEverySlackSecretFieldAsAUrl() {
        var slack = ConnectorTypeCatalog.standard().find("slack").orElseThrow();

        ObjectNode masked = SecretMask.config(slack, Json.object().put("webhook_url", SLACK_URL));

        assertThat(masked.path("webhook_url").asText()).isEqualTo("https://hooks.slack.com/…1234");
    }
}
