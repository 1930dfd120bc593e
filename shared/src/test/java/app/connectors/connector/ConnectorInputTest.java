package app.connectors.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.connectors.json.Json;
import app.connectors.problem.FieldError;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectorInputTest {

    @Test
    void readsEveryField() {
        // GIVEN a body with every field
        JsonNode body = json("""
                {"type":"slack","name":"Eng","config":{"webhook_url":"https://hooks.slack.com/services/T/B/X"},
                 "events":["*"],"filters":{"categories":["tech-product"]},"transformation":"function t(e){return e}",
                 "enabled":false,"version":3}""");

        // WHEN read
        ConnectorInput input = ConnectorInput.read(body);

        // THEN each field is taken as given
        assertThat(input.type()).isEqualTo("slack");
        assertThat(input.name()).isEqualTo("Eng");
        assertThat(input.config().path("webhook_url").asText()).isEqualTo("https://hooks.slack.com/services/T/B/X");
        assertThat(input.events()).isEqualTo(json("[\"*\"]"));
        assertThat(input.filters()).isEqualTo(json("{\"categories\":[\"tech-product\"]}"));
        assertThat(input.transformation()).isEqualTo("function t(e){return e}");
        assertThat(input.transformationPresent()).isTrue();
        assertThat(input.enabled()).isFalse();
        assertThat(input.version()).isEqualTo(3L);
    }

    @Test
    void rejectsUnknownTopLevelFieldNamingIt() {
        ValidationException e = rejected("{\"type\":\"slack\",\"colour\":\"red\"}");

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("colour");
            assertThat(error.message()).contains("unknown field 'colour'", "type, name, config, events");
        });
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "type           | 1          | type must be a string",
            "name           | true       | name must be a string",
            "name           | [\"Eng\"]  | name must be a string",
            "config         | \"x\"      | config must be an object",
            "config         | []         | config must be an object",
            "transformation | 5          | transformation must be a string",
            "enabled        | \"yes\"    | enabled must be true or false",
            "enabled        | 1          | enabled must be true or false",
            "version        | \"3\"      | version must be the integer",
            "version        | 1.5        | version must be the integer",
    })
    void rejectsWronglyTypedField(String field, String value, String message) {
        ValidationException e = rejected("{\"" + field + "\":" + value + "}");

        assertThat(e.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo(field);
            assertThat(error.message()).contains(message);
        });
    }

    @Test
    void reportsEveryWronglyTypedFieldTogether() {
        ValidationException e = rejected("{\"type\":1,\"name\":2,\"enabled\":\"no\",\"extra\":true}");

        assertThat(e.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("type", "name", "enabled", "extra");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "42", "null"})
    void rejectsBodyThatIsNotAnObject(String body) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> ConnectorInput.read(json(body)));

        assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.message()).contains("must be a JSON object"));
    }

    @Test
    void tellsExplicitNullTransformationFromAbsentOne() {
        // GIVEN one body that clears the transformation and one that does not mention it
        ConnectorInput cleared = ConnectorInput.read(json("{\"transformation\":null}"));
        ConnectorInput untouched = ConnectorInput.read(json("{\"name\":\"Eng\"}"));

        // THEN both have no transformation text, but only the first asks for its removal
        assertThat(cleared.transformation()).isNull();
        assertThat(cleared.transformationPresent()).isTrue();
        assertThat(untouched.transformation()).isNull();
        assertThat(untouched.transformationPresent()).isFalse();
    }

    @Test
    void templateWithoutCodeLeavesTheTypesDefaultTransformationToApply() {
        // GIVEN a HubSpot template without code, and a body that does not mention transformation
        var template = new app.connectors.template.ConnectorTemplate("crm", "hubspot", "CRM", "Notes in HubSpot",
                java.util.List.of("promise.created"), null, java.time.Instant.EPOCH, java.time.Instant.EPOCH);

        // WHEN the body is completed from the template
        ConnectorInput input = ConnectorInput.read(json("{\"name\":\"CRM\"}")).withTemplate(template);

        // THEN the transformation is still "not given", so the type's default applies at create
        assertThat(input.type()).isEqualTo("hubspot");
        assertThat(input.transformationPresent()).isFalse();
        assertThat(input.events()).hasSize(1);
    }

    @Test
    void templateCodeFillsAnAbsentTransformationButNotAnExplicitOne() {
        var template = new app.connectors.template.ConnectorTemplate("alerts", "slack", "Alerts", "Slack alerts",
                java.util.List.of("*"), "function handler(w){return w}", java.time.Instant.EPOCH, java.time.Instant.EPOCH);

        ConnectorInput fromTemplate = ConnectorInput.read(json("{\"name\":\"A\"}")).withTemplate(template);
        ConnectorInput withOwnNull = ConnectorInput.read(json("{\"name\":\"A\",\"transformation\":null}")).withTemplate(template);

        assertThat(fromTemplate.transformation()).isEqualTo("function handler(w){return w}");
        assertThat(withOwnNull.transformationPresent()).isTrue();
        assertThat(withOwnNull.transformation()).isNull();
    }

    @Test
    void treatsNullFieldsAsAbsent() {
        ConnectorInput input = ConnectorInput.read(json("{\"name\":null,\"config\":null,\"events\":null,\"filters\":null,"
                + "\"enabled\":null,\"version\":null}"));

        assertThat(input.name()).isNull();
        assertThat(input.config()).isNull();
        assertThat(input.events()).isNull();
        assertThat(input.filters()).isNull();
        assertThat(input.enabled()).isNull();
        assertThat(input.version()).isNull();
    }

    private static ValidationException rejected(String body) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> ConnectorInput.read(json(body)));
        assertThat(e).as("expected a validation failure for " + body).isNotNull();
        return e;
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
