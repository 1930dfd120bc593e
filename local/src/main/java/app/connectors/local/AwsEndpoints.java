package app.connectors.local;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * AWS endpoints outside this JVM for the local stack to use instead of starting its own emulators:
 * moto's server, LocalStack, or anything else that speaks the DynamoDB, SQS and KMS protocols. With
 * them the stack creates the template's tables, queues and keys there (names prefixed, so several
 * stacks can share one server) and the functions use real KMS envelope encryption instead of the
 * local key file.
 *
 * <pre>{@code
 * AwsEndpoints moto = AwsEndpoints.of(URI.create("http://127.0.0.1:5000"));
 * Optional<AwsEndpoints> fromShell = AwsEndpoints.fromEnvironment(System.getenv());  // AWS_ENDPOINT_URL, ..._DYNAMODB, ...
 * }</pre>
 *
 * @param dynamoDb the DynamoDB endpoint
 * @param sqs      the SQS endpoint
 * @param kms      the KMS endpoint
 */
public record AwsEndpoints(URI dynamoDb, URI sqs, URI kms) {

    /** The variable the AWS SDKs and CLI read for every service, and the per-service ones that win over it. */
    public static final String AWS_ENDPOINT_URL = "AWS_ENDPOINT_URL";
    public static final String AWS_ENDPOINT_URL_DYNAMODB = "AWS_ENDPOINT_URL_DYNAMODB";
    public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";
    public static final String AWS_ENDPOINT_URL_KMS = "AWS_ENDPOINT_URL_KMS";

    public AwsEndpoints {
        for (URI endpoint : new URI[] {dynamoDb, sqs, kms}) {
            if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new IllegalArgumentException("an AWS endpoint is a URL such as http://127.0.0.1:5000, got: " + endpoint);
            }
        }
    }

    /** One endpoint for every service (moto's server and LocalStack serve them all on one port). */
    public static AwsEndpoints of(URI all) {
        return new AwsEndpoints(all, all, all);
    }

    /**
     * The endpoints the environment names, as the AWS SDKs read them: a per-service variable where
     * set, else {@value #AWS_ENDPOINT_URL}. Empty when none is set; a partial set (say only SQS)
     * is refused, as the stack would otherwise mix its own emulator with a foreign one.
     */
    public static Optional<AwsEndpoints> fromEnvironment(Map<String, String> environment) {
        Optional<URI> all = uri(environment, AWS_ENDPOINT_URL);
        Optional<URI> dynamoDb = uri(environment, AWS_ENDPOINT_URL_DYNAMODB).or(() -> all);
        Optional<URI> sqs = uri(environment, AWS_ENDPOINT_URL_SQS).or(() -> all);
        Optional<URI> kms = uri(environment, AWS_ENDPOINT_URL_KMS).or(() -> all);
        if (dynamoDb.isEmpty() && sqs.isEmpty() && kms.isEmpty()) {
            return Optional.empty();
        }
        if (dynamoDb.isEmpty() || sqs.isEmpty() || kms.isEmpty()) {
            throw new IllegalArgumentException("set " + AWS_ENDPOINT_URL + " (or all of " + AWS_ENDPOINT_URL_DYNAMODB + ", "
                    + AWS_ENDPOINT_URL_SQS + " and " + AWS_ENDPOINT_URL_KMS + "): the local stack uses either its own"
                    + " emulators or external ones for every service, never a mix");
        }
        return Optional.of(new AwsEndpoints(dynamoDb.get(), sqs.get(), kms.get()));
    }

    private static Optional<URI> uri(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(value.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " is not a URL: " + value, e);
        }
    }
}
