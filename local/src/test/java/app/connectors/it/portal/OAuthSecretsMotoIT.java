package app.connectors.it.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.connectors.config.AwsClients;
import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.oauth.OAuthProvider;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The OAuth client secrets' AWS path against moto's SSM (an independent AWS emulator): a SecureString
 * parameter under OAUTH_SECRETS_PATH is read decrypted, once, by the components the portal function
 * builds. Skipped, with the reason, where moto_server is not installed.
 */
class OAuthSecretsMotoIT {

    private static Process moto;
    private static int port;

    @BeforeAll
    static void startMoto() throws Exception {
        String executable = onPath("moto_server");
        assumeTrue(executable != null, "moto_server is not installed (pip install 'moto[server]'); the SSM path is not tested here");
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("moto", ".log");
        moto = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!listening(port)) {
            if (!moto.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("moto_server did not start: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopMoto() {
        if (moto != null) {
            moto.destroy();
        }
    }

    @Test
    void theClientSecretIsReadDecryptedFromTheParameterStore() {
        Map<String, String> environment = Map.of(
                Settings.AWS_REGION, "us-east-1",
                "AWS_ACCESS_KEY_ID", "moto", "AWS_SECRET_ACCESS_KEY", "moto",
                Settings.AWS_ENDPOINT_URL_SSM, "http://127.0.0.1:" + port,
                Settings.OAUTH_SECRETS_PATH, "/connectors/oauth/",
                "SLACK_CLIENT_ID", "slack-app-id");
        try (var ssm = AwsClients.ssm(Settings.from(environment))) {
            ssm.putParameter(r -> r.name("/connectors/oauth/slack-client-secret").type(ParameterType.SECURE_STRING)
                    .value("slack-secret-from-ssm").overwrite(true));
        }

        var apps = new Components(Settings.from(environment), app.connectors.net.HostResolver.system(), java.time.Clock.systemUTC())
                .oauthApps();

        assertThat(apps.configured()).containsExactly(OAuthProvider.SLACK);
        assertThat(apps.clientSecret(OAuthProvider.SLACK)).isEqualTo("slack-secret-from-ssm");
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        return null;
    }
}
