package app.connectors.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.connectors.catalog.ConnectorTypeCatalog;
import app.connectors.connector.TransformationCheck;
import app.connectors.event.EventCatalog;
import app.connectors.problem.FieldError;
import app.connectors.problem.NotFoundException;
import app.connectors.problem.ValidationException;
import app.connectors.transform.TransformationEngine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The operator's template rules, on an in-memory store and the real transformation check. */
class TemplateServiceTest {

    private static final String CODE = "function handler(webhook) {\n  webhook.payload = { n: webhook.payload.promiseId };\n"
            + "  return webhook;\n}";
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private final MemoryStore store = new MemoryStore();
    private Instant now = T0;
    private final TransformationEngine engine = new TransformationEngine();
    private final TransformationCheck check = source -> engine.check(source).map(p -> new FieldError("transformation",
            "transformation " + p.message() + (p.line() == null ? "" : " (line " + p.line() + ", column " + p.column() + ")")));
    private final TemplateService templates = new TemplateService(store, ConnectorTypeCatalog.standard(),
            EventCatalog.standard(), check, new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return now;
                }
            });

    private List<String> refusedFields(Runnable put) {
        ValidationException e = catchThrowableOfType(ValidationException.class, put::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void putStoresTheTemplateAsGiven() {
        ConnectorTemplate saved = templates.put("close-leads", "closecrm", "  Close leads ", "Creates leads ",
                List.of("promise.created", "promise.status_changed"), CODE);

        assertThat(saved.name()).isEqualTo("Close leads");
        assertThat(saved.description()).isEqualTo("Creates leads");
        assertThat(saved.createdAt()).isEqualTo(T0);
        assertThat(templates.get("close-leads")).isEqualTo(saved);
        assertThat(saved.eventTypes()).containsExactly("promise.created", "promise.status_changed");
        assertThat(saved.transformation()).isEqualTo(CODE);
    }

    @Test
    void replacingKeepsTheCreationTime() {
        templates.put("close-leads", "closecrm", "Close leads", "v1", List.of("promise.created"), CODE);
        now = T0.plusSeconds(3600);

        ConnectorTemplate replaced = templates.put("close-leads", "closecrm", "Close leads", "v2", List.of("*"), null);

        assertThat(replaced.createdAt()).isEqualTo(T0);
        assertThat(replaced.updatedAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(replaced.transformation()).isNull();
        assertThat(store.items).hasSize(1);
    }

    @Test
    void unknownTypeIsRefused() {
        assertThat(refusedFields(() -> templates.put("t1", "fax", "Fax", "d", List.of("promise.created"), null)))
                .containsExactly("type");
        assertThat(store.items).isEmpty();
    }

    @Test
    void unknownEventTypeIsRefused() {
        assertThat(refusedFields(() -> templates.put("t1", "loops", "L", "d", List.of("invoice.created"), null)))
                .containsExactly("eventTypes");
    }

    @Test
    void noEventTypesIsRefused() {
        assertThat(refusedFields(() -> templates.put("t1", "loops", "L", "d", List.of(), null))).containsExactly("eventTypes");
    }

    @Test
    void badIdIsRefused() {
        assertThat(refusedFields(() -> templates.put("Has Spaces", "loops", "L", "d", List.of("promise.created"), null)))
                .containsExactly("id");
    }

    @Test
    void transformationWithASyntaxErrorIsRefusedWithLineAndColumn() {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> templates.put("t1", "loops", "L", "d",
                List.of("promise.created"), "function handler(webhook) {\n  return webhook.;\n}"));

        assertThat(e.errors()).singleElement().satisfies(err -> {
            assertThat(err.field()).isEqualTo("transformation");
            assertThat(err.message()).containsPattern("line 2, column \\d+");
        });
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThat(refusedFields(() -> templates.put(null, null, "", null, null, "function nope() {}")))
                .containsExactlyInAnyOrder("id", "type", "name", "description", "eventTypes", "transformation");
    }

    @Test
    void listIsSortedByName() {
        templates.put("b", "loops", "Zeta", "d", List.of("*"), null);
        templates.put("a", "loops", "Alpha", "d", List.of("*"), null);

        assertThat(templates.list()).extracting(ConnectorTemplate::id).containsExactly("a", "b");
    }

    @Test
    void unknownTemplateIsNotFoundForGetAndDelete() {
        assertThat(catchThrowableOfType(NotFoundException.class, () -> templates.get("nope")).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(NotFoundException.class, () -> templates.delete("nope")).status()).isEqualTo(404);
    }

    @Test
    void idsNoTemplateCanHaveAreNotFoundWithoutAskingTheStore() {
        // The operator's delete without an id, or a path id DynamoDB cannot take as a key, is a 404, not a store error.
        MemoryStore strict = new MemoryStore() {
            @Override
            public Optional<ConnectorTemplate> find(String id) {
                throw new IllegalArgumentException("store asked for " + id);
            }

            @Override
            public boolean delete(String id) {
                throw new IllegalArgumentException("store asked to delete " + id);
            }
        };
        TemplateService service = new TemplateService(strict, ConnectorTypeCatalog.standard(), EventCatalog.standard(),
                check, Clock.systemUTC());

        assertThat(catchThrowableOfType(NotFoundException.class, () -> service.delete(null)).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(NotFoundException.class, () -> service.get("")).status()).isEqualTo(404);
        assertThat(catchThrowableOfType(NotFoundException.class, () -> service.get("x".repeat(3000))).status()).isEqualTo(404);
    }

    @Test
    void deleteRemovesIt() {
        templates.put("gone", "loops", "L", "d", List.of("*"), null);

        templates.delete("gone");

        assertThat(store.find("gone")).isEmpty();
    }

    /** TemplateStore in memory, sorted like the DynamoDB store. */
    private static class MemoryStore implements TemplateStore {
        final Map<String, ConnectorTemplate> items = new ConcurrentHashMap<>();

        @Override
        public void put(ConnectorTemplate template) {
            items.put(template.id(), template);
        }

        @Override
        public Optional<ConnectorTemplate> find(String id) {
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public List<ConnectorTemplate> list() {
            List<ConnectorTemplate> out = new ArrayList<>(items.values());
            out.sort(java.util.Comparator.comparing(ConnectorTemplate::name).thenComparing(ConnectorTemplate::id));
            return out;
        }

        @Override
        public boolean delete(String id) {
            return items.remove(id) != null;
        }
    }
}
