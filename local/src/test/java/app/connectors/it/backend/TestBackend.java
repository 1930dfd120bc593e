package app.connectors.it.backend;

import app.connectors.local.LocalStackOptions;
import java.util.Optional;

/**
 * Which AWS emulator the integration tests run against in this JVM: the embedded ones (DynamoDB Local
 * and ElasticMQ in-process, the local key file instead of KMS) or moto's server with real KMS
 * envelope encryption. The second failsafe run sets {@value #PROPERTY}{@code =moto}; {@link MotoSession}
 * then starts moto_server and points {@link LocalStackOptions#forTests} at it.
 *
 * <p>Mark what runs on one backend only with {@link EmbeddedOnly} or {@link MotoOnly}.
 */
public final class TestBackend {

    /** {@code embedded} (the default) or {@code moto}. */
    public static final String PROPERTY = "connectors.test.backend";
    /** Set by {@link MotoSession} when moto was asked for but cannot run, with the reason. */
    static final String UNAVAILABLE_PROPERTY = "connectors.test.backendUnavailable";

    private TestBackend() {
    }

    public static String name() {
        return System.getProperty(PROPERTY, "embedded");
    }

    public static boolean moto() {
        return "moto".equals(name());
    }

    /** Why the chosen backend cannot run here (moto_server missing or not starting), if it cannot. */
    static Optional<String> unavailable() {
        return Optional.ofNullable(System.getProperty(UNAVAILABLE_PROPERTY));
    }
}
