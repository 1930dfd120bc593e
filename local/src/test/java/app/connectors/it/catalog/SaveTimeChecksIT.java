package app.connectors.it.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import app.connectors.config.Components;
import app.connectors.config.Settings;
import app.connectors.connector.ConnectorInput;
import app.connectors.it.catalog.CatalogStack.Response;
import app.connectors.it.catalog.CatalogStack.User;
import app.connectors.json.Json;
import app.connectors.net.HostResolver;
import app.connectors.problem.ValidationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Transformation code is checked when a connector is saved, so a broken script never reaches delivery. */
class SaveTimeChecksIT {

    private static CatalogStack stack;

    @BeforeAll
    static void start() {
        stack = CatalogStack.shared();
    }

    private static ObjectNode closeConnector(String transformation) {
        ObjectNode body = Json.object().put("type", "closecrm").put("name", "save checks").put("transformation", transformation);
        body.set("config", Json.object().put("api_key", "api_save_checks"));
        body.set("events", Json.array().add(CatalogStack.EVENT_TYPE));
        return body;
    }

    private static JsonNode onlyError(Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().path("errors").size()).as(response.text()).isEqualTo(1);
        return response.json().path("errors").get(0);
    }

    @Test
    void syntaxErrorIsA400NamingTransformationWithLineAndColumn() {
        // GIVEN code with an unterminated object literal on line 3
        String code = "function handler(webhook) {\n  const p = webhook.payload;\n  webhook.payload = { name: p.promiser,;\n"
                + "  return webhook;\n}";

        Response response = stack.create(stack.newUser(), closeConnector(code));

        JsonNode error = onlyError(response);
        assertThat(error.path("field").asText()).isEqualTo("transformation");
        assertThat(error.path("message").asText()).containsPattern("line 3, column \\d+");
    }

    @Test
    void codeWithoutAHandlerIsA400() {
        Response response = stack.create(stack.newUser(), closeConnector("function transform(webhook) { return webhook; }"));

        JsonNode error = onlyError(response);
        assertThat(error.path("field").asText()).isEqualTo("transformation");
        assertThat(error.path("message").asText()).contains("handler");
    }

    @Test
    void aSyntaxErrorIntroducedByPatchIsRefusedAndTheConnectorKeepsItsCode() {
        // GIVEN a connector with working code
        User user = stack.newUser();
        String id = stack.createConnector(user, closeConnector("function handler(webhook) { return webhook; }"));

        // WHEN a PATCH brings a syntax error
        Response patched = stack.call(user, "PATCH", "/api/v1/connectors/" + id,
                Json.write(Json.object().put("transformation", "function handler(webhook) {\n  return webhook\n")));

        // THEN it is a 400 and the saved code is unchanged
        assertThat(onlyError(patched).path("field").asText()).isEqualTo("transformation");
        assertThat(stack.call(user, "GET", "/api/v1/connectors/" + id, null).json().path("transformation").asText())
                .isEqualTo("function handler(webhook) { return webhook; }");
    }

    @Test
    void sourceOver64KilobytesIsRefusedByTheApi() {
        // GIVEN a valid handler padded past 64 KB
        String code = "function handler(webhook) { return webhook; }\n//" + "x".repeat(64 * 1024);

        Response response = stack.create(stack.newUser(), closeConnector(code));

        // THEN it is refused before anything is stored. Known gap: the API's request body limit is also
        // 64 KB, so the answer is 413 (body too large) before the transformation's own 400 can speak;
        // the next test shows that 400 where the limit does not interfere.
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.json().path("status").asInt()).isEqualTo(413);
    }

    @Test
    void sourceOver64KilobytesIsA400NamingTransformationInTheConnectorService() {
        // GIVEN the connector service the ConnectorsFunction runs, built from that function's environment
        User user = stack.newUser();
        Components components = new Components(Settings.from(stack.stack().environmentOf("ConnectorsFunction")),
                HostResolver.system(), Clock.systemUTC());
        String code = "function handler(webhook) { return webhook; }\n//" + "x".repeat(64 * 1024);

        // WHEN a connector with that code is created
        ValidationException refused = catchThrowableOfType(ValidationException.class,
                () -> components.connectors().create(user.id(), ConnectorInput.read(closeConnector(code))));

        // THEN it is a 400 on the transformation field, naming the limit
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errors()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("transformation");
            assertThat(e.message()).contains("64 KB");
        });
    }
}
