package app.connectors.config;

import app.connectors.trace.AwsCallTracing;
import app.connectors.trace.Tracer;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Builds the AWS SDK clients from {@link Settings}: region from AWS_REGION, the light
 * URLConnection HTTP client, an endpoint override when the local stack (or LocalStack) names
 * one, and, when the function has an X-Ray daemon ({@code AWS_XRAY_DAEMON_ADDRESS}), a subsegment
 * per call ({@link AwsCallTracing}). Build each client once per execution environment and keep it.
 */
public final class AwsClients {

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb(Settings settings) {
        return configure(DynamoDbClient.builder(), settings, settings.endpoint(Settings.AWS_ENDPOINT_URL_DYNAMODB)).build();
    }

    public static SqsClient sqs(Settings settings) {
        return configure(SqsClient.builder(), settings, settings.endpoint(Settings.AWS_ENDPOINT_URL_SQS)).build();
    }

    public static SnsClient sns(Settings settings) {
        return configure(SnsClient.builder(), settings, settings.endpoint(Settings.AWS_ENDPOINT_URL_SNS)).build();
    }

    public static KmsClient kms(Settings settings) {
        return configure(KmsClient.builder(), settings, settings.endpoint(Settings.AWS_ENDPOINT_URL_KMS)).build();
    }

    public static SsmClient ssm(Settings settings) {
        return configure(SsmClient.builder(), settings, settings.endpoint(Settings.AWS_ENDPOINT_URL_SSM)).build();
    }

    private static <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> B configure(
            B builder, Settings settings, Optional<URI> endpoint) {
        // Every call is bounded: the delivery path's leases and function timeouts are derived from this
        // (DeliveryTimings), and a call that hangs past it would outlive a lease.
        java.time.Duration call = settings.awsCallTimeout();
        Tracer tracer = Tracer.fromEnvironment(settings.environment());
        builder.region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(call.dividedBy(2))
                        .socketTimeout(call.dividedBy(2)))
                .overrideConfiguration(o -> {
                    o.apiCallTimeout(call).apiCallAttemptTimeout(call.dividedBy(2));
                    if (tracer.on()) {
                        o.addExecutionInterceptor(new AwsCallTracing(tracer));
                    }
                });
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }

    private static AwsCredentialsProvider credentials(Settings settings) {
        // Lambda provides credentials in these same variables; reading them from the function's
        // environment map (not System.getenv) lets the local stack give each function its own.
        var key = settings.optional("AWS_ACCESS_KEY_ID");
        var secret = settings.optional("AWS_SECRET_ACCESS_KEY");
        if (key.isPresent() && secret.isPresent() && settings.optional("AWS_SESSION_TOKEN").isEmpty()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.get(), secret.get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
