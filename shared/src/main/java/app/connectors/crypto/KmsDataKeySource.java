package app.connectors.crypto;

import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;

/** Data keys from AWS KMS: GenerateDataKey to wrap, Decrypt to unwrap, both with the encryption context. */
public final class KmsDataKeySource implements DataKeySource {

    private final KmsClient kms;
    private final String keyId;

    public KmsDataKeySource(KmsClient kms, String keyId) {
        this.kms = kms;
        this.keyId = keyId;
    }

    @Override
    public DataKey generate(Map<String, String> context) {
        var response = kms.generateDataKey(r -> r.keyId(keyId).keySpec(DataKeySpec.AES_256).encryptionContext(context));
        return new DataKey(response.plaintext().asByteArray(), response.ciphertextBlob().asByteArray());
    }

    @Override
    public byte[] unwrap(byte[] wrapped, Map<String, String> context) {
        return kms.decrypt(r -> r.keyId(keyId).ciphertextBlob(SdkBytes.fromByteArray(wrapped)).encryptionContext(context))
                .plaintext().asByteArray();
    }
}
