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
    /**
     * Why a test of concurrent conditional writes proves nothing on moto: moto_server serves requests
     * on parallel threads and checks a condition, then applies the write, with nothing between the two
     * (a transaction's rollback even restores a whole-table copy over others' writes). Measured with
     * {@code tools/emulator-atomicity.py} (see docs/decisions/0011-second-emulator.md): on moto 5.2, 17 of
     * 30 rounds of 20 concurrent creates at limit-1 let 0, 2 or 3 through or left extra items, 6 of 30
     * rounds of same-version updates let two win, and 202 of 1486 queries saw an item without the
     * attributes its one UpdateItem sets; DynamoDB Local: 0 of each.
     */
    public static final String MOTO_NOT_ATOMIC = "moto_server does not isolate concurrent conditional writes or"
            + " transactions (tools/emulator-atomicity.py shows two winners where DynamoDB allows one)";
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
