package app.connectors.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import app.connectors.connector.DestinationUrlPolicy;
import app.connectors.connector.FakeSsrfGuard;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogTest {

    private final ConnectorTypeCatalog types = ConnectorTypeCatalog.standard();
    private final EventCatalog events = EventCatalog.standard();

    @Test
    void everyConnectorTypeHasADescriptionARequiredFieldAndSetupSteps() {
        assertThat(types.all()).isNotEmpty().allSatisfy(type -> {
            assertThat(type.description()).as(type.name()).isNotBlank();
            assertThat(type.displayName()).as(type.name()).isNotBlank();
            assertThat(type.fields()).as(type.name()).anyMatch(FieldSpec::required);
            assertThat(type.setupSteps()).as(type.name()).isNotEmpty().allSatisfy(step -> assertThat(step).isNotBlank());
            assertThat(type.pacing().requests()).as(type.name()).isPositive();
        });
    }

    @Test
    void offersTheSeedsTypes() {
        assertThat(types.names()).contains("slack", "discord", "teams", "zapier", "generic");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "slack   | webhook_url",
            "discord | webhook_url",
            "teams   | webhook_url",
            "zapier  | webhook_url",
            "generic | url,method",
    })
    void seedTypesRequireTheSeedsFields(String typeName, String requiredFields) {
        ConnectorType type = types.find(typeName).orElseThrow();

        assertThat(type.fields().stream().filter(FieldSpec::required).map(FieldSpec::name))
                .containsExactlyInAnyOrder(requiredFields.split(","));
    }

    @Test
    void everyDestinationUrlFieldIsSecretAndItsExamplePassesItsOwnRules() {
        // A guard that admits every host: this checks the catalog's hosts and path patterns, not DNS.
        // Destination URLs are required URL fields (a custom connector's optional icon_url is display data).
        DestinationUrlPolicy policy = new DestinationUrlPolicy(new FakeSsrfGuard(), false);
        List<FieldSpec> urlFields = types.all().stream().flatMap(t -> t.fields().stream())
                .filter(f -> FieldSpec.URL.equals(f.kind()) && f.required()).toList();

        assertThat(urlFields).hasSizeGreaterThanOrEqualTo(5).allSatisfy(field -> {
            assertThat(field.secret()).as(field.name()).isTrue();
            assertThat(field.example()).as(field.name()).isNotNull();
            assertThat(policy.problem(field, field.example().asText())).as(field.example().asText()).isEmpty();
        });
    }

    @Test
    void enumFieldsListTheirValuesAndTheirExampleIsOne() {
        FieldSpec method = types.find("generic").orElseThrow().field("method").orElseThrow();

        assertThat(method.kind()).isEqualTo(FieldSpec.ENUM);
        assertThat(method.values()).containsExactly("POST", "PUT", "PATCH");
        assertThat(method.values()).contains(method.example().asText());
    }

    @ParameterizedTest
    @CsvSource({
            "a.logic.azure.com, true",
            "prod-00.westus.logic.azure.com, true",
            "logic.azure.com, false",
            "evillogic.azure.com, false",
            "a.logic.azure.com.attacker.example, false",
    })
    void wildcardHostsMatchStrictSubdomainsOnly(String host, boolean allowed) {
        FieldSpec teamsUrl = types.find("teams").orElseThrow().field("webhook_url").orElseThrow();

        assertThat(teamsUrl.allowsHost(host)).isEqualTo(allowed);
    }

    @Test
    void exactHostsMatchOnlyThemselves() {
        FieldSpec slackUrl = types.find("slack").orElseThrow().field("webhook_url").orElseThrow();

        assertThat(slackUrl.allowsHost("hooks.slack.com")).isTrue();
        assertThat(slackUrl.allowsHost("x.hooks.slack.com")).isFalse();
        assertThat(slackUrl.allowsHost("slack.com")).isFalse();
    }

    @Test
    void everyEventTypeHasADescriptionASchemaAndAnExampleOfItsOwnType() {
        assertThat(events.all()).isNotEmpty().allSatisfy((EventType type) -> {
            assertThat(type.description()).as(type.name()).isNotBlank();
            assertThat(type.schema().path("type").asText()).as(type.name()).isEqualTo("object");
            assertThat(type.example().path("type").asText()).as(type.name()).isEqualTo(type.name());
            assertThat(type.example().path("id").asText()).as(type.name()).isNotBlank();
            assertThat(type.example().path("data").isObject()).as(type.name()).isTrue();
        });
    }

    @Test
    void everyEventExampleCarriesTheFieldsItsSchemaRequires() {
        assertThat(events.all()).allSatisfy((EventType type) -> type.schema().path("required").forEach(required ->
                assertThat(type.example().path("data").has(required.asText()))
                        .as(type.name() + " example data has " + required.asText()).isTrue()));
    }

    @Test
    void offersTheCategoriesFilterOnTheCategoryAttribute() {
        var categories = events.filter("categories").orElseThrow();

        assertThat(categories.attribute()).isEqualTo("category");
        assertThat(categories.fromSubject()).isFalse();
        assertThat(categories.description()).isNotBlank();
    }

    @Test
    void theSeedsEventTypeIsSubscribableAndSoIsTheWildcard() {
        assertThat(events.isSubscribable("promise.status_changed")).isTrue();
        assertThat(events.isSubscribable("*")).isTrue();
        assertThat(events.isSubscribable("promise.unknown")).isFalse();
    }
}
