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
    void keepsTheOriginAndTheLastFourCharactersOfAUrl() {
        assertThat(SecretMask.url(SLACK_URL)).isEqualTo("https://hooks.slack.com/••••1234");
    }

    @Test
    void maskedUrlNeverContainsTheSecretPathSegment() {
        String masked = SecretMask.url(SLACK_URL);

        assertThat(masked).doesNotContain(SLACK_TOKEN, "T0AAAAAAA", "B0BBBBBBB", "/services/");
    }

    @Test
    void ignoresTrailingSlashWhenTakingTheLastFourCharacters() {
        assertThat(SecretMask.url("https://hooks.zapier.com/hooks/catch/1234567/abcdefg/")).isEqualTo("https://hooks.zapier.com/••••defg");
    }

    @Test
    void keepsTheLastFourCharactersOfTheQueryWhereTeamsPutsItsSignature() {
        String masked = SecretMask.url("https://prod-00.westus.logic.azure.com/workflows/0123/triggers/manual/paths/invoke"
                + "?api-version=2016-06-01&sig=s3cr3tSignatureWXYZ");

        assertThat(masked).isEqualTo("https://prod-00.westus.logic.azure.com/••••WXYZ").doesNotContain("s3cr3t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com/k9", "https://example.com/abc/", "https://example.com/?k=12345",
            "https://example.com/hooks/abcdefg", "https://example.com"})
    void hidesAUrlSecretUnder16CharactersEntirely(String url) {
        // GIVEN a URL whose secret part (what follows the host) is shorter than 16 characters
        // WHEN it is masked
        String masked = SecretMask.url(url);

        // THEN nothing after the host is shown
        assertThat(masked).isEqualTo("https://example.com/••••");
    }

    @Test
    void dropsUserInfoFromUrl() {
        String masked = SecretMask.url("https://admin:hunter2pass@api.example.com/hooks/incoming/abcdefghijkl");

        assertThat(masked).isEqualTo("https://api.example.com/••••ijkl").doesNotContain("admin", "hunter2");
    }

    @Test
    void keepsANonDefaultPort() {
        assertThat(SecretMask.url("https://api.example.com:8443/hooks/incoming/abcdefghijkl")).isEqualTo("https://api.example.com:8443/••••ijkl");
    }

    @Test
    void masksTextThatIsNotAUrlLikeAnySecret() {
        assertThat(SecretMask.url("not a url but long enough")).isEqualTo("••••ough");
    }

    @ParameterizedTest
    @CsvSource({"sk_live_0123456789abcdef, ••••cdef", "abcdefghijklmnop, ••••mnop"})
    void showsOnlyTheLastFourCharactersOfA16CharacterOrLongerSecret(String secret, String masked) {
        assertThat(SecretMask.text(secret)).isEqualTo(masked);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "abcdefghijkl", "abcdefghijklmno"})
    void showsNothingOfASecretUnder16Characters(String secret) {
        assertThat(SecretMask.text(secret)).isEqualTo("••••");
    }

    @Test
    void neverShowsMoreThanFourCharactersOfAnySecret() {
        // GIVEN secrets of every length up to 64, as text and as a URL path
        for (int length = 0; length <= 64; length++) {
            String secret = "s".repeat(length);

            // WHEN masked, THEN at most 4 of their characters remain beside the mark (and the origin)
            assertThat(SecretMask.text(secret).replace(SecretMask.MARK, "")).hasSizeLessThanOrEqualTo(4);
            assertThat(SecretMask.url("https://h.example/" + secret).replace("https://h.example/" + SecretMask.MARK, ""))
                    .hasSizeLessThanOrEqualTo(length < 16 ? 0 : 4);
        }
    }

    @Test
    void neverSplitsASurrogatePair() {
        // The last four UTF-16 units would start with the second half of the emoji: it is left out whole
        assertThat(SecretMask.text("a".repeat(16) + "😀xyz")).isEqualTo("••••xyz");
        assertThat(SecretMask.text("a".repeat(16) + "x😀yz")).isEqualTo("••••😀yz");
    }

    @Test
    void masksHeaderValuesAndKeepsTheirNames() {
        // GIVEN a generic connector's secret config with two custom headers
        var generic = ConnectorTypeCatalog.standard().find("generic").orElseThrow();
        ObjectNode secrets = Json.object().put("url", "https://api.example.com/hooks/incoming/abcdefghijkl");
        secrets.putObject("headers").put("X-Api-Key", "key_live_9f8e7d6c5b4a").put("X-Team", "ops");

        // WHEN masked for display
        ObjectNode masked = SecretMask.config(generic, secrets);

        // THEN header names stay, values are masked in the same style, and the URL is masked as a URL
        assertThat(masked.path("headers").path("X-Api-Key").asText()).isEqualTo("••••5b4a");
        assertThat(masked.path("headers").path("X-Team").asText()).isEqualTo("••••");
        assertThat(masked.path("url").asText()).isEqualTo("https://api.example.com/••••ijkl");
        assertThat(masked.toString()).doesNotContain("9f8e7d6c", "ops\"", "incoming", "key_");
    }

    @Test
    void masksEverySlackSecretFieldAsAUrl() {
        var slack = ConnectorTypeCatalog.standard().find("slack").orElseThrow();

        ObjectNode masked = SecretMask.config(slack, Json.object().put("webhook_url", SLACK_URL));

        assertThat(masked.path("webhook_url").asText()).isEqualTo("https://hooks.slack.com/••••1234");
    }
}
