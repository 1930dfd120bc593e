package app.connectors.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * The template's KMS keys on an external KMS (moto, LocalStack), found again by alias
 * ({@code alias/<prefix><LogicalId>}) so that a restarted stack or an {@code invoke} decrypts what an
 * earlier run encrypted; created (key and alias) when absent.
 *
 * <pre>{@code
 * Map<String, String> keyIds = TemplateKeys.ensure(kms, template.resourcesOfType("AWS::KMS::Key"), "");
 * }</pre>
 */
final class TemplateKeys {

    private TemplateKeys() {
    }

    /** @return the key id of each logical id */
    static Map<String, String> ensure(KmsClient kms, List<String> logicalIds, String namePrefix) {
        Map<String, String> keyIds = new LinkedHashMap<>();
        for (String logicalId : logicalIds) {
            String alias = "alias/" + namePrefix + logicalId;
            String keyId;
            try {
                keyId = kms.describeKey(request -> request.keyId(alias)).keyMetadata().keyId();
            } catch (NotFoundException absent) {
                keyId = kms.createKey(request -> request.description(namePrefix + logicalId + " (Connectors local stack)"))
                        .keyMetadata().keyId();
                String created = keyId;
                kms.createAlias(request -> request.aliasName(alias).targetKeyId(created));
            }
            keyIds.put(logicalId, keyId);
        }
        return keyIds;
    }
}
