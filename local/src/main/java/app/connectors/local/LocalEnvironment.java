package app.connectors.local;

/**
 * The names (and fixed values) of the environment variables the local stack adds to every
 * function's environment, on top of what template.yaml wires. The domain's configuration class
 * reads the same names, so they live in one place.
 *
 * <pre>{@code
 * Map<String, String> env = stack.environmentOf("ConnectorsFunction");
 * URI dynamo = URI.create(env.get(LocalEnvironment.AWS_ENDPOINT_URL_DYNAMODB));
 * }</pre>
 */
public final class LocalEnvironment {

    /** Region of every local client; the local stack pretends to be us-east-1. */
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    /** Service-specific endpoint override, the name the AWS SDKs themselves honour. */
    public static final String AWS_ENDPOINT_URL_DYNAMODB = "AWS_ENDPOINT_URL_DYNAMODB";
    public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";
    /** Path of the key file that replaces KMS locally; the domain creates it on first use. */
    public static final String LOCAL_KEY_FILE = "LOCAL_KEY_FILE";
    /** {@code true}: local development may deliver to http:// destinations. */
    public static final String ALLOW_PLAIN_HTTP = "ALLOW_PLAIN_HTTP";
    /** Comma-separated {@code host:port} pairs that the SSRF guard lets through (local fakes). */
    public static final String SSRF_ALLOWED_TARGETS = "SSRF_ALLOWED_TARGETS";
    /** Tells a user whose local test endpoint was refused how to admit it ({@code {target}} is its host:port). */
    public static final String SSRF_REFUSAL_HINT = "SSRF_REFUSAL_HINT";
    static final String LOCAL_REFUSAL_HINT = "to reach it from the local stack, start the stack with: bin/local start --allow-target {target}";

    /** The App Portal's public address: the local gateway's, {@code http://localhost:<port>/portal}. */
    public static final String PORTAL_BASE_URL = "PORTAL_BASE_URL";
    /** Origins allowed to frame the portal ({@code start --frame-ancestor}); the template's parameter otherwise. */
    public static final String PORTAL_FRAME_ANCESTORS = "PORTAL_FRAME_ANCESTORS";

    /** {@code topicArn=queueUrl} pairs: the SQS queue standing in for each SNS topic (the local stack has no SNS). */
    public static final String LOCAL_SNS_STAND_INS = "LOCAL_SNS_STAND_INS";

    /** The values the local stack uses. */
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String CREDENTIAL = "local";
    /** What {@code !Ref} of an {@code AWS::KMS::Key} resolves to: the domain then uses {@link #LOCAL_KEY_FILE}. */
    public static final String LOCAL_KMS_KEY = "local";
    /** The file name of the local key under the data folder. */
    public static final String KEY_FILE_NAME = "secrets.key";

    private LocalEnvironment() {
    }
}
