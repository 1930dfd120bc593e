package app.connectors.it.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.config.Settings;
import app.connectors.connector.Connector;
import app.connectors.it.api.ApiStack.Account;
import app.connectors.it.backend.MotoOnly;
import app.connectors.it.backend.TestBackend;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;

/**
 * On moto the functions encrypt secrets through KMS, as on AWS: the root data key stored beside a
 * connector's ciphertext is a KMS ciphertext of the template's key under the root-key encryption
 * context, and the service reads the secrets back through it. (The embedded stack uses the local key
 * file instead; there this test is skipped.)
 */
@MotoOnly("the embedded emulators encrypt with the local key file, not KMS")
class KmsEnvelopeIT {

    /** SecretCipher's context for root keys (package-private there): what the key is for, nothing per connector. */
    private static final Map<String, String> ROOT_KEY_CONTEXT = Map.of("purpose", "connector-secrets");

    private static ApiStack api;

    @BeforeAll
    static void start() {
        if (TestBackend.moto()) {
            api = ApiStack.start();
        }
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void connectorSecretsAreSealedUnderARootKeyWrappedByTheTemplatesKmsKey() {
        // GIVEN the function's environment on moto: a KMS endpoint and key, no local key file
        Map<String, String> environment = api.local().environmentOf("ConnectorsFunction");
        assertThat(environment).doesNotContainKey(Settings.LOCAL_KEY_FILE);
        String keyId = environment.get(Settings.SECRETS_KEY_ID);
        assertThat(keyId).isEqualTo(api.local().keyIds().get("SecretsKey"));

        // WHEN a connector with a secret webhook URL is created
        Account user = api.createUser("kms", "pro");
        String uuid = api.call(user, "POST", "/api/v1/connectors", ApiStack.slackBody("Eng", "Kq3KmsSecretToken8z")).json()
                .get("uuid").asText();

        // THEN the root data key stored with its secrets (format 2) unwraps through KMS with the template's
        // key and the root-key context; the connector binding is in the key derived from it (SecretCipherTest)
        byte[] blob = api.connectorItem(user.userId(), uuid).get("secrets").b().asByteArray();
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        assertThat(buffer.get()).as("secret format").isEqualTo((byte) 2);
        byte[] wrapped = new byte[buffer.getShort()];
        buffer.get(wrapped);
        try (KmsClient kms = kms(URI.create(environment.get(Settings.AWS_ENDPOINT_URL_KMS)))) {
            var plaintext = kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(wrapped)).encryptionContext(ROOT_KEY_CONTEXT));
            assertThat(plaintext.keyId()).endsWith(keyId);
            assertThat(plaintext.plaintext().asByteArray()).hasSize(32);

            // AND under another context KMS refuses it
            assertThatThrownBy(() -> kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(Connector.secretContext(user.userId(), uuid))))
                    .isInstanceOf(InvalidCiphertextException.class);
        }

        // AND the service reads it back (the API answers with the masked URL)
        assertThat(api.call(user, "GET", "/api/v1/connectors/" + uuid).json().at("/config/webhook_url").asText())
                .endsWith("en8z");
    }

    private static KmsClient kms(URI endpoint) {
        return KmsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }
}
