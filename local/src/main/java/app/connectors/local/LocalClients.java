package app.connectors.local;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** SDK clients the local stack itself uses against its emulators, embedded or external (never the handlers'). */
final class LocalClients {

    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalEnvironment.CREDENTIAL, LocalEnvironment.CREDENTIAL));

    private LocalClients() {
    }

    static DynamoDbClient dynamoDb(URI endpoint) {
        return local(DynamoDbClient.builder(), endpoint);
    }

    static SqsClient sqs(URI endpoint) {
        return local(SqsClient.builder(), endpoint);
    }

    static KmsClient kms(URI endpoint) {
        return local(KmsClient.builder(), endpoint);
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C local(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(LocalEnvironment.REGION))
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }
}
