package app.connectors.it.portal;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.config.AwsClients;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.it.backend.MotoOnly;
import app.connectors.local.LocalStackOptions;
import app.connectors.net.HostResolver;
import app.connectors.oauth.OAuthProvider;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The OAuth client secrets' AWS path against moto's SSM (an independent AWS emulator, the moto run's
 * moto_server): a SecureString parameter under OAUTH_SECRETS_PATH is read decrypted, once, by the
 * components the portal function builds.
 */
@MotoOnly("the embedded emulators have no SSM: the parameter store is only on moto")
class OAuthSecretsMotoIT {

    @Test
    void theClientSecretIsReadDecryptedFromTheParameterStore() {
        // GIVEN a SecureString client secret under a path no other test of the run uses
        String endpoint = System.getProperty(LocalStackOptions.TEST_AWS_ENDPOINT_PROPERTY);
        String path = "/connectors-" + UUID.randomUUID() + "/oauth/";
        Map<String, String> environment = Map.of(
                Settings.AWS_REGION, "us-east-1",
                "AWS_ACCESS_KEY_ID", "moto", "AWS_SECRET_ACCESS_KEY", "moto",
                Settings.AWS_ENDPOINT_URL_SSM, endpoint,
                Settings.OAUTH_SECRETS_PATH, path,
                "SLACK_CLIENT_ID", "slack-app-id");
        try (var ssm = AwsClients.ssm(Settings.from(environment))) {
            ssm.putParameter(r -> r.name(path + "slack-client-secret").type(ParameterType.SECURE_STRING)
                    .value("slack-secret-from-ssm").overwrite(true));
        }

        // WHEN the portal's components read the OAuth apps
        var apps = new Components(Settings.from(environment), HostResolver.system(), Clock.systemUTC()).oauthApps();

        // THEN the Slack app is configured with the decrypted secret
        assertThat(apps.configured()).containsExactly(OAuthProvider.SLACK);
        assertThat(apps.clientSecret(OAuthProvider.SLACK)).isEqualTo("slack-secret-from-ssm");
    }
}
