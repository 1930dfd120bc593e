package app.connectors.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A function's environment on the local stack: what template.yaml wires (intrinsics resolved to
 * local names, URLs and ARNs), then the local-stack variables of {@link LocalEnvironment}, then
 * any extra entries the caller gives. With a KMS endpoint (an external emulator) secrets are
 * encrypted through KMS; without one, with the local key file.
 */
final class FunctionEnvironment {

    private FunctionEnvironment() {
    }

    static Map<String, String> of(TemplateModel.Function function, LocalResourceResolver resolver, URI dynamoDb,
            URI sqs, Path keyFile, List<String> allowedTargets, Map<String, String> extra) {
        return of(function, resolver, dynamoDb, sqs, null, keyFile, allowedTargets, extra);
    }

    /**
     * @param kms     the KMS endpoint, or null to use {@code keyFile} instead of KMS
     * @param keyFile the local key file, used only without {@code kms}
     */
    static Map<String, String> of(TemplateModel.Function function, LocalResourceResolver resolver, URI dynamoDb,
            URI sqs, URI kms, Path keyFile, List<String> allowedTargets, Map<String, String> extra) {
        Map<String, String> environment = new LinkedHashMap<>(function.environment(resolver));
        // What the Lambda runtime itself sets and libraries (Powertools, SDK) read.
        environment.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(function.memorySizeMb()));
        environment.put(LocalEnvironment.AWS_REGION, LocalEnvironment.REGION);
        environment.put(LocalEnvironment.AWS_ACCESS_KEY_ID, LocalEnvironment.CREDENTIAL);
        environment.put(LocalEnvironment.AWS_SECRET_ACCESS_KEY, LocalEnvironment.CREDENTIAL);
        environment.put(LocalEnvironment.AWS_ENDPOINT_URL_DYNAMODB, dynamoDb.toString());
        environment.put(LocalEnvironment.AWS_ENDPOINT_URL_SQS, sqs.toString());
        if (kms == null) {
            environment.put(LocalEnvironment.LOCAL_KEY_FILE, keyFile.toAbsolutePath().toString());
        } else {
            environment.put(AwsEndpoints.AWS_ENDPOINT_URL_KMS, kms.toString());
        }
        environment.put(LocalEnvironment.ALLOW_PLAIN_HTTP, "true");
        environment.put(LocalEnvironment.SSRF_ALLOWED_TARGETS, String.join(",", allowedTargets));
        String standIns = resolver.snsStandIns();
        if (!standIns.isEmpty()) {
            environment.put(LocalEnvironment.LOCAL_SNS_STAND_INS, standIns);
        }
        environment.put(LocalEnvironment.SSRF_REFUSAL_HINT, LocalEnvironment.LOCAL_REFUSAL_HINT);
        environment.putAll(extra);
        return environment;
    }
}
