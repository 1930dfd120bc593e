package app.connectors.connector;

import app.connectors.operational.OperationalEvent;
import app.connectors.operational.OperationalEvents;
import app.connectors.account.Tier;
import app.connectors.account.User;
import app.connectors.account.UserStore;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.crypto.SecretCipher;
import app.connectors.crypto.SecretDecryptionException;
import app.connectors.log.Log;
import app.connectors.json.Json;
import app.connectors.problem.ConflictException;
import app.connectors.problem.LimitExceededException;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.UnauthorizedException;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The connector use cases: create (within the plan's limit), list, read, replace, update, delete.
 * Every lookup is scoped to the caller, so another user's connector is simply not found.
 *
 * <pre>{@code
 * Created created = service.create("user-1", ConnectorInput.read(body));
 * Connector same = service.get("user-1", created.connector().id());
 * }</pre>
 */
public final class ConnectorService {

    public static final int MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 20;
    private static final int CREATE_ATTEMPTS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.regex.Pattern CONNECTOR_ID =
            java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final ConnectorStore store;
    private final UserStore users;
    private final ConnectorValidator validator;
    private final ConnectorTypeCatalog types;
    private final SecretCipher cipher;
    private final Clock clock;
    private final java.util.function.Function<String, java.util.Optional<app.connectors.template.ConnectorTemplate>> templates;

    /** The status reason of a connector its owner turned off. */
    static final String OWNER_DISABLED = "disabled by its owner";
    private final OperationalEvents operationalEvents;

    public ConnectorService(ConnectorStore store, UserStore users, ConnectorValidator validator, ConnectorTypeCatalog types,
                            SecretCipher cipher, Clock clock,
                            java.util.function.Function<String, java.util.Optional<app.connectors.template.ConnectorTemplate>> templates) {
        this(store, users, validator, types, cipher, clock, templates, OperationalEvents.none());
    }

    /**
     * @param operationalEvents where the host platform hears that the service disabled a connector, and
     *                          that one it had disabled was re-enabled
     */
    public ConnectorService(ConnectorStore store, UserStore users, ConnectorValidator validator, ConnectorTypeCatalog types,
                            SecretCipher cipher, Clock clock,
                            java.util.function.Function<String, java.util.Optional<app.connectors.template.ConnectorTemplate>> templates,
                            OperationalEvents operationalEvents) {
        this.operationalEvents = operationalEvents;
        this.templates = templates;
        this.store = store;
        this.users = users;
        this.validator = validator;
        this.types = types;
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Creates a connector; {@code signingSecret} is set (and shown this once) for types that sign their requests. */
    public Created create(String userId, ConnectorInput request) {
        return create(userId, request, newConnectorId());
    }

    /** A new connector id: time-ordered, so listing by id lists by creation time. */
    public String newConnectorId() {
        return TimeOrderedIds.next(clock.instant()).toString();
    }

    /**
     * Creates a connector under {@code id} (reserved by an idempotent request). When a connector with
     * that id exists already, an earlier attempt of the same request created it before failing to
     * answer: it is returned as created, signing secret included, instead of making a second one.
     */
    public Created create(String userId, ConnectorInput request, String id) {
        if (id == null || !CONNECTOR_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a connector id is a lowercase UUID, got " + id);
        }
        ConnectorInput input = withTemplate(request);
        if (input.version() != null) {
            throw ValidationException.of("version", "version is only for updates; leave it out when creating");
        }
        String transformation = initialTransformation(input);
        ConnectorSpec spec = validator.validate(input.type(), input.name(), input.config(), input.events(), input.filters(),
                transformation);
        String signingSecret = "generic".equals(spec.type()) ? newSigningSecret() : null;
        Instant now = clock.instant();
        boolean enabled = input.enabled() == null || input.enabled();
        Connector connector = build(userId, id, spec, new StoredSecrets(spec.secretConfig(), signingSecret),
                enabled ? Connector.Status.ACTIVE : Connector.Status.DISABLED, enabled ? null : OWNER_DISABLED,
                1, now, now);
        for (int attempt = 1; ; attempt++) {
            User user = users.find(userId).orElseThrow(() -> new UnauthorizedException("Unknown user"));
            var limit = user.tier().connectorLimit();
            if (limit.isPresent() && user.connectorCount() >= limit.getAsInt()) {
                // The last slot may be this very connector, made by an earlier attempt of the same request.
                var madeBefore = store.find(userId, id);
                if (madeBefore.isPresent()) {
                    return new Created(madeBefore.get(), secretsOf(madeBefore.get()).signingSecret());
                }
                throw limitReached(user);
            }
            try {
                store.create(connector, user.tier(), limit);
                return new Created(connector, signingSecret);
            } catch (ConnectorStore.AlreadyExistsException madeBefore) {
                Connector existing = store.find(userId, id).orElseThrow(() -> new ConflictException(
                        "Connector " + id + " was created and deleted meanwhile; retry with a new Idempotency-Key."));
                return new Created(existing, secretsOf(existing).signingSecret());
            } catch (ConnectorStore.QuotaReachedException raced) {
                // Another create took the last slot, or the plan changed: read the user again and decide anew.
                if (attempt >= CREATE_ATTEMPTS) {
                    throw limitReached(users.find(userId).orElse(user));
                }
            }
        }
    }

    /**
     * Checks everything a create of {@code draft} would check except its config, and the plan's limit,
     * storing nothing: a Connect flow calls it before it sends the user to the provider, whose answer
     * then supplies the config. The create itself checks all of it again.
     */
    public void checkDraft(String userId, ConnectorInput draft) {
        ConnectorInput input = withTemplate(draft);
        validator.validateKeepingConfig(input.type(), input.name(), Json.object(), Json.object(), input.events(), input.filters(),
                initialTransformation(input));
        User user = users.find(userId).orElseThrow(() -> new UnauthorizedException("Unknown user"));
        var limit = user.tier().connectorLimit();
        if (limit.isPresent() && user.connectorCount() >= limit.getAsInt()) {
            throw limitReached(user);
        }
    }

    /** The input with its template's type, events and transformation filled in (when it names one). */
    private ConnectorInput withTemplate(ConnectorInput request) {
        if (request.template() == null) {
            return request;
        }
        var template = templates.apply(request.template()).orElseThrow(() -> ValidationException.of("template",
                "no connector template '" + request.template() + "'; GET /api/v1/connector-templates lists them"));
        return request.withTemplate(template);
    }

    /** A catalog type's default transformation applies unless the body sets one (or null for none). */
    private String initialTransformation(ConnectorInput input) {
        return input.transformationPresent() ? input.transformation()
                : types.find(input.type()).map(t -> t.defaultTransformation()).orElse(null);
    }

    /** The user's connectors in creation order, oldest first (ids are time-ordered; see {@link TimeOrderedIds}). */
    public Page<Connector> list(String userId, Integer limit, String cursor) {
        int size = limit == null ? DEFAULT_PAGE_SIZE : limit;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ValidationException.of("limit", "limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        return store.list(userId, size, cursor);
    }

    public Connector get(String userId, String connectorId) {
        // Ids are UUIDs; anything else cannot exist, and a malformed key must not reach DynamoDB (a 500).
        if (connectorId == null || !CONNECTOR_ID.matcher(connectorId).matches()) {
            throw notFound(connectorId);
        }
        return store.find(userId, connectorId).orElseThrow(() -> notFound(connectorId));
    }

    /**
     * PUT: the body replaces the connector's content; secrets are taken from the body, not kept. When
     * the replacement makes it a signed type for the first time, the new signing secret is returned
     * (this once), as at creation.
     */
    public Created replace(String userId, String connectorId, ConnectorInput input) {
        rejectTemplate(input);
        Connector current = get(userId, connectorId);
        checkVersion(current, input.version());
        ConnectorSpec spec = validator.validate(input.type(), input.name(), input.config(), input.events(), input.filters(),
                input.transformation());
        StoredSecrets previous = secretsOf(current);
        boolean signed = "generic".equals(spec.type());
        String newSecret = signed && previous.signingSecret() == null ? newSigningSecret() : null;
        String signingSecret = signed ? (newSecret != null ? newSecret : previous.signingSecret()) : null;
        Connector replaced = write(current, spec, new StoredSecrets(spec.secretConfig(), signingSecret,
                signingSecret == null ? null : previous.previousSigningSecret(),
                signingSecret == null ? null : previous.previousValidUntil()), input.enabled());
        return new Created(replaced, newSecret);
    }

    /** PATCH: only the fields given change; config keys are merged, and a null config value removes an optional key. */
    public Connector update(String userId, String connectorId, ConnectorInput input) {
        rejectTemplate(input);
        Connector current = get(userId, connectorId);
        checkVersion(current, input.version());
        if (input.type() != null && !input.type().equals(current.type())) {
            throw ValidationException.of("type", "type cannot be changed with PATCH; replace the connector with PUT");
        }
        StoredSecrets secrets = secretsOf(current);
        ObjectNode config = null;
        if (input.config() != null) {
            config = current.publicConfig().deepCopy();
            config.setAll(secrets.config().deepCopy());
            ObjectNode merged = config;
            input.config().fields().forEachRemaining(e -> {
                if (e.getValue().isNull()) {
                    merged.remove(e.getKey());
                } else {
                    merged.set(e.getKey(), e.getValue());
                }
            });
        }
        JsonNode events = input.events() != null ? input.events() : Json.MAPPER.valueToTree(current.events());
        JsonNode filters = input.filters() != null ? input.filters() : current.filters().source();
        String transformation = input.transformationPresent() ? input.transformation() : current.transformation();
        String name = input.name() != null ? input.name() : current.name();
        ConnectorSpec spec;
        if (config != null) {
            spec = validator.validate(current.type(), name, config, events, filters, transformation);
            secrets = new StoredSecrets(spec.secretConfig(), secrets.signingSecret(), secrets.previousSigningSecret(),
                    secrets.previousValidUntil());
        } else {
            spec = validator.validateKeepingConfig(current.type(), name, current.publicConfig(), secrets.config(), events,
                    filters, transformation);
        }
        return write(current, spec, secrets, input.enabled());
    }

    /**
     * Replaces some of a connector's config values with renewed credentials (an OAuth access token and
     * its expiry), checked like any config, if the connector is still as {@code current} was read. Only
     * the credentials and the version change: not the subscriptions, the status or {@code updatedAt},
     * which tells the owner's last change (a renewal every half hour must not look like a fix).
     *
     * @throws ConflictException when the connector changed since {@code current} was read
     * @throws NotFoundException when it was deleted
     */
    public Connector renewCredentials(Connector current, ObjectNode renewed) {
        StoredSecrets secrets = secretsOf(current);
        ObjectNode config = current.publicConfig().deepCopy();
        config.setAll(secrets.config().deepCopy());
        config.setAll(renewed);
        ConnectorSpec spec = validator.validate(current.type(), current.name(), config, Json.MAPPER.valueToTree(current.events()),
                current.filters().source(), current.transformation());
        Connector written = build(current.userId(), current.id(), spec, new StoredSecrets(spec.secretConfig(), secrets.signingSecret(),
                secrets.previousSigningSecret(), secrets.previousValidUntil()), current.status(), current.statusReason(),
                current.version() + 1, current.createdAt(), current.updatedAt());
        store.renewCredentials(written, current.version());
        return written;
    }

    public void delete(String userId, String connectorId) {
        if (connectorId == null || !CONNECTOR_ID.matcher(connectorId).matches() || !store.delete(userId, connectorId)) {
            throw notFound(connectorId);
        }
    }

    /**
     * Disables a connector on the delivery path's behalf (destination gone, or failing for days),
     * but only as it was when the failing attempt was made: {@code version} is the version the
     * attempt was sent with. A connector its owner changed since (a fixed URL, a re-enable) is left
     * alone, since the failure says nothing about it. The reason is shown by the API, and a PATCH
     * with {@code "enabled": true} turns it back on. Secrets are kept as they are (no
     * re-encryption). Returns false when it is gone, already disabled, or changed since.
     */
    public boolean disable(String userId, String connectorId, long version, String reason) {
        var found = store.find(userId, connectorId);
        if (found.isEmpty() || !found.get().enabled() || found.get().version() != version) {
            return false;
        }
        Connector c = found.get();
        Connector disabled = new Connector(c.id(), c.userId(), c.type(), c.name(), c.publicConfig(),
                c.sealedSecrets(), c.events(), c.filters(), c.transformation(), Connector.Status.DISABLED, reason,
                c.version() + 1, c.createdAt(), clock.instant());
        try {
            store.update(disabled, version, c.events());
            operationalEvents.publish(OperationalEvent.connectorDisabled(userId, connectorId, c.type(), reason, clock));
            return true;
        } catch (ConflictException | NotFoundException changedOrGone) {
            // The owner changed or deleted it meanwhile: the failure was about the version before.
            return false;
        }
    }

    /** How long the replaced signing secret keeps signing after a rotation, so receivers can switch. */
    public static final java.time.Duration ROTATION_OVERLAP = java.time.Duration.ofHours(24);

    /**
     * Replaces a signed connector's signing secret; the new one is returned this once. The old one
     * keeps signing (as a second signature) for {@link #ROTATION_OVERLAP}.
     */
    public Rotated rotateSigningSecret(String userId, String connectorId) {
        Connector current = get(userId, connectorId);
        StoredSecrets secrets = secretsOf(current);
        if (secrets.signingSecret() == null) {
            throw ValidationException.of("type", current.type() + " connectors are not signed; only generic connectors have a signing secret");
        }
        Instant now = clock.instant();
        String fresh = newSigningSecret();
        StoredSecrets rotated = new StoredSecrets(secrets.config(), fresh, secrets.signingSecret(), now.plus(ROTATION_OVERLAP));
        ConnectorSpec spec = new ConnectorSpec(current.type(), current.name(), current.publicConfig(), secrets.config(),
                current.events(), current.filters(), current.transformation());
        Connector updated = write(current, spec, rotated, null);
        return new Rotated(updated, fresh, now.plus(ROTATION_OVERLAP));
    }

    /** A rotation's result: the new secret (shown once) and until when the previous one still signs. */
    public record Rotated(Connector connector, String signingSecret, Instant previousValidUntil) {
    }

    /**
     * The config as the API shows it: the public fields, and the secret ones masked from their
     * decrypted values ({@link SecretMask}). Secrets that no longer decrypt (a damaged item) are
     * shown as a bare mask under the type's secret field names, and logged, so one bad item does
     * not break a listing.
     */
    public ObjectNode shownConfig(Connector connector) {
        ObjectNode shown = connector.publicConfig().deepCopy();
        var type = types.find(connector.type()).orElse(null);
        if (type == null) {
            return shown;
        }
        try {
            shown.setAll(SecretMask.config(type, secretsOf(connector).config()));
        } catch (SecretDecryptionException | UncheckedIOException e) {
            Log.error("connector.secrets_unreadable", e, "connectorId", connector.id(), "userId", connector.userId());
            type.fields().stream().filter(field -> field.secret() && field.required())
                    .forEach(field -> shown.put(field.name(), SecretMask.MARK));
        }
        return shown;
    }

    /** The connector's decrypted secrets, for the delivery path only; never returned by the API. */
    public StoredSecrets secretsOf(Connector connector) {
        byte[] json = cipher.decrypt(connector.sealedSecrets(), connector.secretContext());
        try {
            return StoredSecrets.fromJson(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("stored secrets are not JSON", e);
        }
    }

    private Connector write(Connector current, ConnectorSpec spec, StoredSecrets secrets, Boolean enabled) {
        Connector.Status status = current.status();
        String reason = current.statusReason();
        if (enabled != null) {
            status = enabled ? Connector.Status.ACTIVE : Connector.Status.DISABLED;
            reason = enabled ? null : OWNER_DISABLED;
        }
        Connector updated = build(current.userId(), current.id(), spec, secrets, status, reason, current.version() + 1,
                current.createdAt(), clock.instant());
        store.update(updated, current.version(), current.events());
        if (disabledByTheService(current) && updated.enabled()) {
            // The host heard connector.disabled when the service turned it off; it hears this too.
            operationalEvents.publish(OperationalEvent.connectorReenabled(current.userId(), current.id(), current.type(), clock));
        }
        return updated;
    }

    /** Disabled by {@link #disable} (destination gone, failing for days, OAuth), not by its owner. */
    private static boolean disabledByTheService(Connector connector) {
        return !connector.enabled() && !OWNER_DISABLED.equals(connector.statusReason());
    }

    private Connector build(String userId, String id, ConnectorSpec spec, StoredSecrets secrets, Connector.Status status,
                            String reason, long version, Instant created, Instant updated) {
        byte[] sealed = cipher.encrypt(Json.writeBytes(secrets.toJson()), Connector.secretContext(userId, id));
        return new Connector(id, userId, spec.type(), spec.name(), spec.publicConfig(), sealed, spec.events(), spec.filters(), spec.transformation(), status, reason, version, created, updated);
    }

    private static void rejectTemplate(ConnectorInput input) {
        if (input.template() != null) {
            throw ValidationException.of("template", "template only applies when creating a connector");
        }
    }

    private static void checkVersion(Connector current, Long expected) {
        if (expected != null && expected != current.version()) {
            throw new ConflictException("Connector " + current.id() + " is at version " + current.version()
                    + ", not " + expected + "; read it again and retry your change.");
        }
    }

    private static NotFoundException notFound(String connectorId) {
        String shown = connectorId == null ? "" : connectorId.length() > 64 ? connectorId.substring(0, 64) + "…" : connectorId;
        return new NotFoundException("No connector " + shown + " among yours; list them with GET /api/v1/connectors.");
    }

    private static LimitExceededException limitReached(User user) {
        Tier tier = user.tier();
        int limit = tier.connectorLimit().orElse(Integer.MAX_VALUE);
        if (limit == 0) {
            return new LimitExceededException("Your " + tier.displayName() + " plan allows 0 connectors. Upgrade to Pro (5), "
                    + "Journalist (10) or Enterprise (unlimited) to create connectors.");
        }
        return new LimitExceededException("Your " + tier.displayName() + " plan allows " + limit + " connectors and you have "
                + user.connectorCount() + ". Delete a connector or upgrade your plan to add another.");
    }

    private static String newSigningSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** A connector just created, with its signing secret when the type has one (shown once). */
    public record Created(Connector connector, String signingSecret) {
    }

    /**
     * What is encrypted: the type's secret config fields and, for signed types, the signing secret
     * (and, for a day after a rotation, the secret it replaced, which still signs).
     */
    public record StoredSecrets(ObjectNode config, String signingSecret, String previousSigningSecret,
                                Instant previousValidUntil) {

        public StoredSecrets(ObjectNode config, String signingSecret) {
            this(config, signingSecret, null, null);
        }

        public ObjectNode toJson() {
            ObjectNode node = Json.object();
            node.set("config", config);
            if (signingSecret != null) {
                node.put("signingSecret", signingSecret);
            }
            if (previousSigningSecret != null) {
                node.put("previousSigningSecret", previousSigningSecret);
                node.put("previousValidUntil", previousValidUntil.toString());
            }
            return node;
        }

        static StoredSecrets fromJson(JsonNode node) {
            return new StoredSecrets((ObjectNode) node.path("config"),
                    node.hasNonNull("signingSecret") ? node.get("signingSecret").asText() : null,
                    node.hasNonNull("previousSigningSecret") ? node.get("previousSigningSecret").asText() : null,
                    node.hasNonNull("previousValidUntil") ? Instant.parse(node.get("previousValidUntil").asText()) : null);
        }

        /** The secrets that sign a request sent at {@code now}: the current one, and the previous one until it expires. */
        public List<String> signingSecrets(Instant now) {
            if (signingSecret == null) {
                return List.of();
            }
            if (previousSigningSecret != null && previousValidUntil != null && now.isBefore(previousValidUntil)) {
                return List.of(signingSecret, previousSigningSecret);
            }
            return List.of(signingSecret);
        }

        public Map<String, String> headers() {
            JsonNode headers = config.path("headers");
            return headers.isObject() ? Json.MAPPER.convertValue(headers, new com.fasterxml.jackson.core.type.TypeReference<>() {
            }) : Map.of();
        }

        public List<String> fieldNames() {
            List<String> names = new java.util.ArrayList<>();
            config.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }
}
