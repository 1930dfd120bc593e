package app.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonMembersTest {

    @Test
    void eachValueIsItsTextAsWritten() throws Exception {
        String text = "{ \"n\" : 1e6, \"s\":\"a\\\"b\\u00e9\", \"o\": {\"x\": [1E+2, {\"y\": null}]} ,\"t\":true,\"z\":null, \"e\":\"\"}";

        Map<String, String> members = Json.members(text);

        assertThat(members).containsExactly(
                Map.entry("n", "1e6"),
                Map.entry("s", "\"a\\\"b\\u00e9\""),
                Map.entry("o", "{\"x\": [1E+2, {\"y\": null}]}"),
                Map.entry("t", "true"),
                Map.entry("z", "null"),
                Map.entry("e", "\"\""));
    }

    @Test
    void aValueJustBeforeTheClosingBraceEndsThere() throws Exception {
        assertThat(Json.members("{\"a\":1}")).containsExactly(Map.entry("a", "1"));
        assertThat(Json.members("{\"a\":-2.5e-3 }")).containsExactly(Map.entry("a", "-2.5e-3"));
        assertThat(Json.members("{\"a\":\"x\"}")).containsExactly(Map.entry("a", "\"x\""));
        assertThat(Json.members("{\"a\":false}")).containsExactly(Map.entry("a", "false"));
        assertThat(Json.members("{}")).isEmpty();
    }

    @Test
    void whatIsNotOneObjectIsRefused() {
        for (String text : new String[] {"[1]", "{\"a\":1} {}", "{\"a\":1,\"a\":2}", "{\"a\":", "", "1"}) {
            assertThatThrownBy(() -> Json.members(text)).as(text).isInstanceOf(JsonProcessingException.class);
        }
    }
}
