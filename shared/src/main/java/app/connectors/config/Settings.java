package app.connectors.config;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service's configuration, read once from the function's environment (template.yaml wires every
 * name with !Ref/!GetAtt; the local stack passes the same names). Each accessor for a required
 * variable fails fast naming the variable, so a mis-wired function says what is missing at its
 * first use rather than with a null deep inside the SDK.
 *
 * <pre>{@code
 * Settings settings = Settings.from(System.getenv());
 * String table = settings.connectorsTable();
 * }</pre>
 */
public record Settings(Map<String, String> environment) {

    public static final String USERS_TABLE = "USERS_TABLE";
    public static final String TOKENS_TABLE = "TOKENS_TABLE";
    public static final String CONNECTORS_TABLE = "CONNECTORS_TABLE";
    public static final String SUBSCRIPTIONS_TABLE = "SUBSCRIPTIONS_TABLE";
    /** Connectors' filter patterns by digest; subscription items name their pattern by digest. */
    public static final String FILTER_PATTERNS_TABLE = "FILTER_PATTERNS_TABLE";
    public static final String DELIVERIES_TABLE = "DELIVERIES_TABLE";
    public static final String TEMPLATES_TABLE = "TEMPLATES_TABLE";
    /**
     * Added to a save-time SSRF refusal, {@code {target}} replaced by the refused host:port: the local
     * stack sets it to say how to admit a local test endpoint. Unset on AWS.
     */
    public static final String SSRF_REFUSAL_HINT = "SSRF_REFUSAL_HINT";
    /** The IdempotencyKeys table: POST /connectors with an Idempotency-Key header. */
    public static final String IDEMPOTENCY_TABLE = "IDEMPOTENCY_TABLE";
    public static final String EVENTS_QUEUE_URL = "EVENTS_QUEUE_URL";
    public static final String DELIVERIES_QUEUE_URL = "DELIVERIES_QUEUE_URL";
    public static final String DELIVERIES_DLQ_ARN = "DELIVERIES_DLQ_ARN";
    public static final String DELIVERIES_DLQ_URL = "DELIVERIES_DLQ_URL";
    public static final String EVENTS_DLQ_URL = "EVENTS_DLQ_URL";
    public static final String DELIVERIES_QUEUE_ARN = "DELIVERIES_QUEUE_ARN";
    /** Events kept for the deliveries that may need them again (retries, manual retries, the reconciler). */
    public static final String DELIVERY_EVENTS_TABLE = "DELIVERY_EVENTS_TABLE";
    /**
     * Optional: one AWS SDK call's timeout in milliseconds, retries included (default 4000, the
     * value DeliveryTimings derives the delivery path's leases and function timeouts from).
     */
    public static final String AWS_CALL_TIMEOUT_MS = "AWS_CALL_TIMEOUT_MS";
    /** KMS key for envelope encryption of connector secrets. */
    public static final String SECRETS_KEY_ID = "SECRETS_KEY_ID";
    /** Local stack only: a file holding the master key that replaces KMS. */
    public static final String LOCAL_KEY_FILE = "LOCAL_KEY_FILE";
    /** Local development only: permits http:// destinations. */
    public static final String ALLOW_PLAIN_HTTP = "ALLOW_PLAIN_HTTP";
    /**
     * Optional sender timeouts in milliseconds (connect, longest silence while waiting for the answer,
     * whole exchange); unset means the production values. Each is capped at the 15 s deadline. For
     * the local stack and tests, which need a hanging destination to fail in seconds, not 15.
     */
    public static final String SENDER_CONNECT_TIMEOUT_MS = "SENDER_CONNECT_TIMEOUT_MS";
    public static final String SENDER_RESPONSE_TIMEOUT_MS = "SENDER_RESPONSE_TIMEOUT_MS";
    public static final String SENDER_DEADLINE_MS = "SENDER_DEADLINE_MS";
    /** Comma-separated host:port pairs the SSRF guard admits although private (local sinks, test fakes). */
    public static final String SSRF_ALLOWED_TARGETS = "SSRF_ALLOWED_TARGETS";
    /**
     * Local development only: {@code host=scheme://host:port} pairs that send requests for a SaaS API's
     * https origin to a local fake; honoured only with {@link #ALLOW_PLAIN_HTTP}, never set in template.yaml.
     */
    public static final String ENDPOINT_OVERRIDES = "ENDPOINT_OVERRIDES";
    /** The App Portal's table: link codes, sessions and OAuth states, each hashed and with a TTL. */
    public static final String PORTAL_TABLE = "PORTAL_TABLE";
    /**
     * The portal's public address, e.g. {@code https://api.example.com/v1/portal}: links and OAuth
     * redirect URIs are built from it. Unset on PortalFunction, it is derived from each request.
     */
    public static final String PORTAL_BASE_URL = "PORTAL_BASE_URL";
    /** Space-separated origins allowed to frame the portal (CSP frame-ancestors); unset: {@code 'self'}. */
    public static final String PORTAL_FRAME_ANCESTORS = "PORTAL_FRAME_ANCESTORS";
    /**
     * The OAuth apps' client ids ({@code SLACK_CLIENT_ID}, {@code DISCORD_CLIENT_ID}, {@code HUBSPOT_CLIENT_ID}):
     * a provider whose id is unset is not offered. Their secrets are SecureString parameters named
     * {@code <OAUTH_SECRETS_PATH><provider>-client-secret} on AWS; on the local stack (with
     * {@link #ALLOW_PLAIN_HTTP}) the variables {@code SLACK_CLIENT_SECRET} and so on may hold them instead.
     */
    public static final String CLIENT_ID_SUFFIX = "_CLIENT_ID";
    public static final String CLIENT_SECRET_SUFFIX = "_CLIENT_SECRET";
    public static final String OAUTH_SECRETS_PATH = "OAUTH_SECRETS_PATH";
    /** The SNS topic the host platform subscribes to for operational events (connector disabled, delivery dead, ...). */
    public static final String OPERATIONAL_EVENTS_TOPIC_ARN = "OPERATIONAL_EVENTS_TOPIC_ARN";
    /**
     * Local stack only (it has no SNS): {@code topicArn=queueUrl} pairs, comma-separated, naming the SQS
     * queue that stands in for each SNS topic. Never set in template.yaml.
     */
    public static final String LOCAL_SNS_STAND_INS = "LOCAL_SNS_STAND_INS";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ENDPOINT_URL_DYNAMODB = "AWS_ENDPOINT_URL_DYNAMODB";
    public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";
    public static final String AWS_ENDPOINT_URL_KMS = "AWS_ENDPOINT_URL_KMS";
    public static final String AWS_ENDPOINT_URL_SSM = "AWS_ENDPOINT_URL_SSM";
    public static final String AWS_ENDPOINT_URL_SNS = "AWS_ENDPOINT_URL_SNS";

    public Settings {
        environment = Map.copyOf(environment);
    }

    public static Settings from(Map<String, String> environment) {
        return new Settings(environment);
    }

    public String required(String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set; template.yaml must wire it");
        }
        return value;
    }

    public Optional<String> optional(String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    public String usersTable() {
        return required(USERS_TABLE);
    }

    public String tokensTable() {
        return required(TOKENS_TABLE);
    }

    public String connectorsTable() {
        return required(CONNECTORS_TABLE);
    }

    public String subscriptionsTable() {
        return required(SUBSCRIPTIONS_TABLE);
    }

    public String filterPatternsTable() {
        return required(FILTER_PATTERNS_TABLE);
    }

    public String deliveriesTable() {
        return required(DELIVERIES_TABLE);
    }

    /** One AWS SDK call's timeout, retries included; a value that is not a positive whole number fails naming the variable. */
    public java.time.Duration awsCallTimeout() {
        String value = optional(AWS_CALL_TIMEOUT_MS).orElse(null);
        if (value == null) {
            return app.connectors.delivery.DeliveryTimings.production().awsCall();
        }
        try {
            long millis = Long.parseLong(value.strip());
            if (millis > 0) {
                return java.time.Duration.ofMillis(millis);
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalStateException("environment variable " + AWS_CALL_TIMEOUT_MS
                + " must be a positive number of milliseconds, got '" + value + "'");
    }

    public String region() {
        return optional(AWS_REGION).orElse("us-east-1");
    }

    public Optional<URI> endpoint(String variable) {
        return optional(variable).map(URI::create);
    }

    public boolean allowPlainHttp() {
        return optional(ALLOW_PLAIN_HTTP).map(Boolean::parseBoolean).orElse(false);
    }

    /**
     * The raw {@link #ENDPOINT_OVERRIDES} value, if any.
     *
     * @throws IllegalStateException when it is set outside local development (without {@link #ALLOW_PLAIN_HTTP})
     */
    public Optional<String> endpointOverrides() {
        Optional<String> value = optional(ENDPOINT_OVERRIDES);
        if (value.isPresent() && !allowPlainHttp()) {
            throw new IllegalStateException("environment variable " + ENDPOINT_OVERRIDES + " is for local development only;"
                    + " it is honoured only together with " + ALLOW_PLAIN_HTTP + "=true");
        }
        return value;
    }

    /** The queue that stands in for an SNS topic on the local stack ({@link #LOCAL_SNS_STAND_INS}), if any. */
    public Optional<String> snsStandIn(String topicArn) {
        for (String pair : optional(LOCAL_SNS_STAND_INS).orElse("").split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).strip().equals(topicArn)) {
                return Optional.of(pair.substring(equals + 1).strip());
            }
        }
        return Optional.empty();
    }

    public List<String> ssrfAllowedTargets() {
        return optional(SSRF_ALLOWED_TARGETS)
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }
}
