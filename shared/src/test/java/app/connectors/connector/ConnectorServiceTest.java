package app.connectors.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.connectors.account.InMemoryUserStore;
import app.connectors.account.Tier;
import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.crypto.LocalKeyFileDataKeySource;
import app.connectors.crypto.SecretCipher;
import app.connectors.event.EventCatalog;
import app.connectors.json.Json;
import app.connectors.problem.ConflictException;
import app.connectors.problem.LimitExceededException;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectorServiceTest {

    private static final String USER = "user-1";
    private static final String SLACK_URL = "https://hooks.slack.com/services/T00000000/B00000000/Qx7mR2vLp9Tz4KwB8nYc";
    private static final String SLACK_BODY = """
            {"type":"slack","name":"Engineering Channel",
             "config":{"webhook_url":"%s"},
             "events":["promise.status_changed"],"filters":{"categories":["tech-product"]}}""".formatted(SLACK_URL);
    private static final String GENERIC_BODY = """
            {"type":"generic","name":"Hook","config":{"url":"https://api.example.com/hooks/in","method":"POST",
             "headers":{"X-Team":"platform","X-Api-Key":"key_live_0123456789"}},"events":["*"]}""";

    @TempDir
    Path keys;

    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private final InMemoryUserStore users = new InMemoryUserStore(clock);
    private final InMemoryConnectorStore store = new InMemoryConnectorStore(users);
    private ConnectorService service;

    @BeforeEach
    void setUp() {
        var validator = new ConnectorValidator(ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                new DestinationUrlPolicy(new FakeSsrfGuard(), false), source -> Optional.empty());
        var cipher = new SecretCipher(new LocalKeyFileDataKeySource(keys.resolve("master.key")), clock);
        service = new ConnectorService(store, users, validator, ConnectorTypeCatalog.standard(), cipher, clock, id -> java.util.Optional.empty());
    }

    // ------------------------------------------------------------------ create and plan limits

    @Test
    void createsConnectorWithinPlanLimit() {
        // GIVEN a Pro user without connectors
        users.upsert(USER, Tier.PRO);

        // WHEN a Slack connector is created
        var created = service.create(USER, input(SLACK_BODY));

        // THEN it is stored at version 1, active, counted, and its URL shows only masked
        Connector c = created.connector();
        assertThat(store.find(USER, c.id())).contains(c);
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.status()).isEqualTo(Connector.Status.ACTIVE);
        assertThat(c.statusReason()).isNull();
        assertThat(service.shownConfig(c).path("webhook_url").asText()).isEqualTo("https://hooks.slack.com/••••8nYc");
        assertThat(c.publicConfig().isEmpty()).isTrue();
        assertThat(created.signingSecret()).isNull();
        assertThat(users.find(USER).orElseThrow().connectorCount()).isEqualTo(1);
    }

    @Test
    void encryptsTheWebhookUrlAndDecryptsItForDelivery() {
        users.upsert(USER, Tier.PRO);

        Connector c = service.create(USER, input(SLACK_BODY)).connector();

        assertThat(new String(c.sealedSecrets(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Qx7mR2vLp9Tz4KwB8nYc");
        assertThat(service.secretsOf(c).config().path("webhook_url").asText()).isEqualTo(SLACK_URL);
    }

    @Test
    void refusesCreateOnFreePlanNamingPlanAndLimit() {
        users.upsert(USER, Tier.FREE);

        LimitExceededException e = catchThrowableOfType(LimitExceededException.class, () -> service.create(USER, input(SLACK_BODY)));

        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("Free plan allows 0 connectors", "Upgrade to Pro (5)");
        assertThat(store.size()).isZero();
    }

    @Test
    void refusesSixthConnectorOnProNamingPlanAndLimit() {
        // GIVEN a Pro user with five connectors
        users.upsert(USER, Tier.PRO);
        for (int i = 0; i < 5; i++) {
            service.create(USER, input(SLACK_BODY));
        }

        // WHEN a sixth is created
        LimitExceededException e = catchThrowableOfType(LimitExceededException.class, () -> service.create(USER, input(SLACK_BODY)));

        // THEN it is refused with the plan and its limit, and nothing is stored
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("Pro plan allows 5 connectors", "you have 5");
        assertThat(store.size()).isEqualTo(5);
    }

    @Test
    void refusesWhenAConcurrentCreateTookTheLastSlot() {
        // GIVEN a Pro user at 4 connectors, and another request that takes the fifth slot just before ours is stored
        users.upsert(USER, Tier.PRO);
        users.addToCount(USER, 4);
        store.beforeCreate(() -> {
            store.beforeCreate(() -> { });
            users.addToCount(USER, 1);
        });

        // WHEN our create runs
        LimitExceededException e = catchThrowableOfType(LimitExceededException.class, () -> service.create(USER, input(SLACK_BODY)));

        // THEN the store's condition refuses it, the service reads the user again and reports the limit
        assertThat(e.getMessage()).contains("Pro plan allows 5 connectors", "you have 5");
        assertThat(store.size()).isZero();
    }

    @Test
    void createsWhenThePlanWasUpgradedDuringTheCreate() {
        // GIVEN a Pro user at 4 whose plan becomes Journalist while the create runs
        users.upsert(USER, Tier.PRO);
        users.addToCount(USER, 4);
        store.beforeCreate(() -> {
            store.beforeCreate(() -> { });
            users.upsert(USER, Tier.JOURNALIST);
        });

        // WHEN created (the store refuses the stale tier; the service retries with the new one)
        var created = service.create(USER, input(SLACK_BODY));

        // THEN it is stored
        assertThat(store.find(USER, created.connector().id())).isPresent();
        assertThat(users.find(USER).orElseThrow().connectorCount()).isEqualTo(5);
    }

    @Test
    void enterpriseHasNoLimit() {
        users.upsert(USER, Tier.ENTERPRISE);
        users.addToCount(USER, 1000);

        var created = service.create(USER, input(SLACK_BODY));

        assertThat(store.find(USER, created.connector().id())).isPresent();
    }

    @Test
    void downgradeKeepsExistingConnectorsButBlocksNewOnes() {
        // GIVEN a Journalist user with six connectors who is downgraded to Pro (limit 5)
        users.upsert(USER, Tier.JOURNALIST);
        for (int i = 0; i < 6; i++) {
            service.create(USER, input(SLACK_BODY));
        }
        users.upsert(USER, Tier.PRO);

        // WHEN the user lists and creates
        var listed = service.list(USER, null, null).items();
        LimitExceededException e = catchThrowableOfType(LimitExceededException.class, () -> service.create(USER, input(SLACK_BODY)));

        // THEN all six remain and stay readable, and the new one is refused
        assertThat(listed).hasSize(6);
        assertThat(service.get(USER, listed.get(0).id()).name()).isEqualTo("Engineering Channel");
        assertThat(e.getMessage()).contains("Pro plan allows 5 connectors", "you have 6");
    }

    @Test
    void deletingGivesTheSlotBack() {
        users.upsert(USER, Tier.PRO);
        String first = service.create(USER, input(SLACK_BODY)).connector().id();
        for (int i = 0; i < 4; i++) {
            service.create(USER, input(SLACK_BODY));
        }

        service.delete(USER, first);

        assertThat(service.create(USER, input(SLACK_BODY)).connector().version()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(5);
    }

    @Test
    void refusesVersionOnCreate() {
        users.upsert(USER, Tier.PRO);

        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> service.create(USER, input(SLACK_BODY.replace("{\"type\"", "{\"version\":1,\"type\""))));

        assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.field()).isEqualTo("version"));
    }

    // ------------------------------------------------------------------ PATCH

    @Test
    void patchOfNameOnlyKeepsConfigSecretsEventsAndFilters() {
        // GIVEN a Slack connector
        users.upsert(USER, Tier.PRO);
        Connector before = service.create(USER, input(SLACK_BODY)).connector();

        // WHEN only its name is patched
        Connector after = service.update(USER, before.id(), input("{\"name\":\"Renamed\"}"));

        // THEN the name changes, the version moves on, and everything else is kept, including the secret URL
        assertThat(after.name()).isEqualTo("Renamed");
        assertThat(after.version()).isEqualTo(2);
        assertThat(after.events()).isEqualTo(before.events());
        assertThat(after.filters().source()).isEqualTo(Json.MAPPER.valueToTree(Map.of("categories", List.of("tech-product"))));
        assertThat(service.shownConfig(after)).isEqualTo(service.shownConfig(before));
        assertThat(service.secretsOf(after).config().path("webhook_url").asText()).isEqualTo(SLACK_URL);
        assertThat(store.find(USER, before.id())).contains(after);
    }

    @Test
    void patchOfConfigMergesKeys() {
        // GIVEN a generic connector with headers
        users.upsert(USER, Tier.PRO);
        Connector before = service.create(USER, input(GENERIC_BODY)).connector();

        // WHEN only the method is patched
        Connector after = service.update(USER, before.id(), input("{\"config\":{\"method\":\"put\"}}"));

        // THEN the method changes and the URL and headers are kept
        var secrets = service.secretsOf(after);
        assertThat(after.publicConfig().path("method").asText()).isEqualTo("PUT");
        assertThat(secrets.config().path("url").asText()).isEqualTo("https://api.example.com/hooks/in");
        assertThat(secrets.headers()).isEqualTo(Map.of("X-Team", "platform", "X-Api-Key", "key_live_0123456789"));
    }

    @Test
    void patchOfConfigWithNullRemovesAnOptionalKey() {
        users.upsert(USER, Tier.PRO);
        Connector before = service.create(USER, input(GENERIC_BODY)).connector();

        Connector after = service.update(USER, before.id(), input("{\"config\":{\"headers\":null}}"));

        var secrets = service.secretsOf(after);
        assertThat(secrets.headers()).isEmpty();
        assertThat(secrets.fieldNames()).containsExactly("url");
        assertThat(service.shownConfig(after).has("headers")).isFalse();
        assertThat(after.publicConfig().path("method").asText()).isEqualTo("POST");
    }

    @Test
    void patchOfConfigWithNullForARequiredKeyIsRefused() {
        users.upsert(USER, Tier.PRO);
        Connector before = service.create(USER, input(GENERIC_BODY)).connector();

        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> service.update(USER, before.id(), input("{\"config\":{\"url\":null}}")));

        assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.field()).isEqualTo("config.url"));
    }

    @Test
    void patchWithStaleVersionConflicts() {
        // GIVEN a connector changed once since it was read at version 1
        users.upsert(USER, Tier.PRO);
        Connector c = service.create(USER, input(SLACK_BODY)).connector();
        service.update(USER, c.id(), input("{\"name\":\"Second\",\"version\":1}"));

        // WHEN a change made from version 1 arrives
        ConflictException e = catchThrowableOfType(ConflictException.class,
                () -> service.update(USER, c.id(), input("{\"name\":\"Third\",\"version\":1}")));

        // THEN it is refused with a 409 that says which version is current, and nothing changes
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.getMessage()).contains("version 2", "not 1");
        assertThat(service.get(USER, c.id()).name()).isEqualTo("Second");
    }

    @Test
    void patchChangingTypeIsRefused() {
        users.upsert(USER, Tier.PRO);
        Connector c = service.create(USER, input(SLACK_BODY)).connector();

        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> service.update(USER, c.id(), input("{\"type\":\"discord\"}")));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("type");
            assertThat(err.message()).contains("PUT");
        });
    }

    @Test
    void patchWithExplicitNullTransformationRemovesIt() {
        users.upsert(USER, Tier.PRO);
        Connector c = service.create(USER, input(SLACK_BODY.replace("{\"type\"", "{\"transformation\":\"x\",\"type\""))).connector();

        Connector kept = service.update(USER, c.id(), input("{\"name\":\"Keep\"}"));
        Connector removed = service.update(USER, c.id(), input("{\"transformation\":null}"));

        assertThat(kept.transformation()).isEqualTo("x");
        assertThat(removed.transformation()).isNull();
    }

    // ------------------------------------------------------------------ PUT

    @Test
    void putReplacesTheWholeConnector() {
        // GIVEN a Slack connector with filters
        users.upsert(USER, Tier.PRO);
        Connector c = service.create(USER, input(SLACK_BODY)).connector();
        String otherUrl = "https://hooks.slack.com/services/T11111111/B11111111/Zz9yX8wV7uT6sR5q";

        // WHEN it is replaced by a body without filters
        Connector after = service.replace(USER, c.id(), input("""
                {"type":"slack","name":"Ops","config":{"webhook_url":"%s"},"events":["promise.created"]}""".formatted(otherUrl)))
                .connector();

        // THEN the content is the new body's, filters included
        assertThat(after.name()).isEqualTo("Ops");
        assertThat(after.events()).containsExactly("promise.created");
        assertThat(after.filters().isEmpty()).isTrue();
        assertThat(after.version()).isEqualTo(2);
        assertThat(after.createdAt()).isEqualTo(c.createdAt());
        assertThat(service.secretsOf(after).config().path("webhook_url").asText()).isEqualTo(otherUrl);
    }

    @Test
    void putWithStaleVersionConflicts() {
        users.upsert(USER, Tier.PRO);
        Connector c = service.create(USER, input(SLACK_BODY)).connector();

        ConflictException e = catchThrowableOfType(ConflictException.class,
                () -> service.replace(USER, c.id(), input(SLACK_BODY.replace("{\"type\"", "{\"version\":7,\"type\""))));

        assertThat(e.getMessage()).contains("version 1", "not 7");
    }

    // ------------------------------------------------------------------ ownership

    @ParameterizedTest
    @ValueSource(strings = {"get", "put", "patch", "delete"})
    void anotherUsersConnectorIsNotFound(String operation) {
        // GIVEN a connector of user-1
        users.upsert(USER, Tier.PRO);
        users.upsert("user-2", Tier.PRO);
        Connector c = service.create(USER, input(SLACK_BODY)).connector();
        Map<String, Consumer<String>> calls = Map.of(
                "get", id -> service.get("user-2", id),
                "put", id -> service.replace("user-2", id, input(SLACK_BODY)),
                "patch", id -> service.update("user-2", id, input("{\"name\":\"Mine now\"}")),
                "delete", id -> service.delete("user-2", id));

        // WHEN user-2 addresses it
        NotFoundException e = catchThrowableOfType(NotFoundException.class, () -> calls.get(operation).accept(c.id()));

        // THEN it is not found, and it is unchanged
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).contains(c.id());
        assertThat(store.find(USER, c.id())).contains(c);
    }

    @Test
    void listsOnlyTheCallersConnectors() {
        users.upsert(USER, Tier.PRO);
        users.upsert("user-2", Tier.PRO);
        Connector mine = service.create(USER, input(SLACK_BODY)).connector();
        service.create("user-2", input(SLACK_BODY));

        assertThat(service.list(USER, null, null).items()).containsExactly(mine);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 101})
    void refusesPageSizeOutsideOneToHundred(int limit) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> service.list(USER, limit, null));

        assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.field()).isEqualTo("limit"));
    }

    // ------------------------------------------------------------------ signing secret

    @Test
    void genericConnectorGetsASigningSecretOnCreate() {
        users.upsert(USER, Tier.PRO);

        var created = service.create(USER, input(GENERIC_BODY));

        assertThat(created.signingSecret()).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(created.signingSecret().substring("whsec_".length()))).hasSize(32);
        assertThat(service.secretsOf(created.connector()).signingSecret()).isEqualTo(created.signingSecret());
    }

    @Test
    void signingSecretsDifferBetweenConnectors() {
        users.upsert(USER, Tier.PRO);

        assertThat(service.create(USER, input(GENERIC_BODY)).signingSecret())
                .isNotEqualTo(service.create(USER, input(GENERIC_BODY)).signingSecret());
    }

    @Test
    void rotationIssuesANewSecretAndKeepsTheOldOneSigningForADay() {
        // GIVEN a generic connector with its first signing secret
        users.upsert(USER, Tier.PRO);
        var created = service.create(USER, input(GENERIC_BODY));

        // WHEN the secret is rotated
        var rotated = service.rotateSigningSecret(USER, created.connector().id());

        // THEN a new whsec_ secret is returned, and both sign until the overlap ends, then only the new one
        assertThat(rotated.signingSecret()).startsWith("whsec_").isNotEqualTo(created.signingSecret());
        assertThat(rotated.previousValidUntil()).isEqualTo(clock.instant().plus(ConnectorService.ROTATION_OVERLAP));
        var secrets = service.secretsOf(rotated.connector());
        assertThat(secrets.signingSecrets(clock.instant()))
                .containsExactly(rotated.signingSecret(), created.signingSecret());
        assertThat(secrets.signingSecrets(rotated.previousValidUntil())).containsExactly(rotated.signingSecret());
        assertThat(rotated.connector().version()).isEqualTo(created.connector().version() + 1);
    }

    @Test
    void putThatMakesAConnectorGenericShowsItsNewSigningSecretOnce() {
        // GIVEN a Slack connector (unsigned)
        users.upsert(USER, Tier.PRO);
        var slack = service.create(USER, input(SLACK_BODY)).connector();

        // WHEN PUT turns it into a generic connector
        var replaced = service.replace(USER, slack.id(), input(GENERIC_BODY));

        // THEN its new signing secret is returned, and it is the one that signs
        assertThat(replaced.signingSecret()).startsWith("whsec_");
        assertThat(service.secretsOf(replaced.connector()).signingSecret()).isEqualTo(replaced.signingSecret());
    }

    @Test
    void malformedConnectorIdsAreNotFoundWithoutAStoreCall() {
        users.upsert(USER, Tier.PRO);

        for (String id : List.of("", "#destination", "x".repeat(2000), "not-a-uuid")) {
            assertThatThrownBy(() -> service.get(USER, id)).as(id).isInstanceOf(app.connectors.problem.NotFoundException.class);
            assertThatThrownBy(() -> service.delete(USER, id)).as(id).isInstanceOf(app.connectors.problem.NotFoundException.class);
        }
    }

    @Test
    void rotationIsRefusedForUnsignedTypes() {
        users.upsert(USER, Tier.PRO);
        var created = service.create(USER, input(SLACK_BODY));

        assertThatThrownBy(() -> service.rotateSigningSecret(USER, created.connector().id()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("only generic connectors");
    }

    @Test
    void putKeepsTheSigningSecret() {
        users.upsert(USER, Tier.PRO);
        var created = service.create(USER, input(GENERIC_BODY));

        var replaced = service.replace(USER, created.connector().id(), input("""
                {"type":"generic","name":"Moved","config":{"url":"https://new.example.com/in","method":"PATCH"},"events":["*"]}"""));
        Connector after = replaced.connector();

        assertThat(service.secretsOf(after).signingSecret()).isEqualTo(created.signingSecret());
        assertThat(replaced.signingSecret()).as("an existing secret is not shown again").isNull();
        assertThat(service.secretsOf(after).headers()).isEmpty();
    }

    @Test
    void patchKeepsTheSigningSecret() {
        users.upsert(USER, Tier.PRO);
        var created = service.create(USER, input(GENERIC_BODY));

        Connector after = service.update(USER, created.connector().id(), input("{\"config\":{\"url\":\"https://new.example.com/in\"}}"));

        assertThat(service.secretsOf(after).signingSecret()).isEqualTo(created.signingSecret());
    }

    // ------------------------------------------------------------------ enabled

    @Test
    void disablingAndEnablingTogglesStatusAndReason() {
        // GIVEN an active connector
        users.upsert(USER, Tier.PRO);
        Connector c = service.create(USER, input(SLACK_BODY)).connector();

        // WHEN disabled, then enabled again
        Connector disabled = service.update(USER, c.id(), input("{\"enabled\":false}"));
        Connector enabled = service.update(USER, c.id(), input("{\"enabled\":true}"));

        // THEN the status and its reason follow
        assertThat(disabled.status()).isEqualTo(Connector.Status.DISABLED);
        assertThat(disabled.statusReason()).isEqualTo("disabled by its owner");
        assertThat(enabled.status()).isEqualTo(Connector.Status.ACTIVE);
        assertThat(enabled.statusReason()).isNull();
        assertThat(enabled.version()).isEqualTo(3);
    }

    @Test
    void createsDisabledWhenAskedTo() {
        users.upsert(USER, Tier.PRO);

        Connector c = service.create(USER, input(SLACK_BODY.replace("{\"type\"", "{\"enabled\":false,\"type\""))).connector();

        assertThat(c.status()).isEqualTo(Connector.Status.DISABLED);
        assertThat(c.enabled()).isFalse();
    }

    @Test
    void patchWithoutEnabledKeepsTheStatus() {
        users.upsert(USER, Tier.PRO);
        Connector c = service.create(USER, input(SLACK_BODY)).connector();
        service.update(USER, c.id(), input("{\"enabled\":false}"));

        Connector renamed = service.update(USER, c.id(), input("{\"name\":\"Quiet\"}"));

        assertThat(renamed.status()).isEqualTo(Connector.Status.DISABLED);
    }

    private static ConnectorInput input(String body) {
        try {
            return ConnectorInput.read(Json.MAPPER.readTree(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(body, e);
        }
    }

    @Test
    void creatingUnderAnIdThatExistsReturnsThatConnectorWithItsSigningSecretInsteadOfASecondOne() {
        // GIVEN a generic connector created under a reserved id (an attempt that then failed to answer)
        users.upsert(USER, Tier.PRO);
        String id = service.newConnectorId();
        var first = service.create(USER, input(GENERIC_BODY), id);

        // WHEN the retry creates under the same id
        var again = service.create(USER, input(GENERIC_BODY), id);

        // THEN it gets the same connector and signing secret, and the plan counts one connector
        assertThat(again.connector().id()).isEqualTo(id);
        assertThat(again.signingSecret()).isEqualTo(first.signingSecret()).startsWith("whsec_");
        assertThat(users.find(USER).orElseThrow().connectorCount()).isEqualTo(1);
    }

    @Test
    void aRetryUnderAReservedIdIsNotRefusedByTheSlotItsFirstAttemptTook() {
        // GIVEN a Pro user whose fifth and last connector was made by a first attempt under a reserved id
        users.upsert(USER, Tier.PRO);
        for (int i = 0; i < 4; i++) {
            service.create(USER, input(SLACK_BODY));
        }
        String id = service.newConnectorId();
        service.create(USER, input(SLACK_BODY), id);

        // WHEN the retry creates under that id, THEN it gets that connector rather than the plan's limit
        assertThat(service.create(USER, input(SLACK_BODY), id).connector().id()).isEqualTo(id);
        assertThat(users.find(USER).orElseThrow().connectorCount()).isEqualTo(5);
    }
}
