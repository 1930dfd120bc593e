package app.connectors.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParseExactTest {

    @ParameterizedTest
    @ValueSource(strings = {"1e6", "1E-7", "0.1", "1.10", "-0.0", "12345678901234567890123", "12345678901234567890.123456789",
            "0.1000000000000000055511151231257827", "3", "-42", "2.50E+3", "-1.5e-300", "9223372036854775808", "1e400"})
    void aNumberIsWrittenBackAsItWasWritten(String number) throws Exception {
        JsonNode tree = Json.parseExact("{\"n\":" + number + ",\"list\":[" + number + "]}");

        assertThat(Json.write(tree)).isEqualTo("{\"n\":" + number + ",\"list\":[" + number + "]}");
        assertThat(tree.get("n").isNumber()).isTrue();
        assertThat(tree.get("n").asText()).isEqualTo(number);
    }

    @Test
    void aNumberReadsAsItsValue() throws Exception {
        JsonNode tree = Json.parseExact("{\"million\":1e6,\"negativeZero\":-0.0,\"long\":12345678901234567890.123456789,\"n\":2.5}");

        assertThat(tree.get("million").doubleValue()).isEqualTo(1_000_000.0);
        assertThat(tree.get("million").asInt()).isEqualTo(1_000_000);
        assertThat(tree.get("million").canConvertToExactIntegral()).isTrue();
        assertThat(Double.doubleToRawLongBits(tree.get("negativeZero").doubleValue())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(tree.get("long").decimalValue()).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
        assertThat(tree.get("n").isFloatingPointNumber()).isTrue();
        assertThat(tree.get("n").canConvertToExactIntegral()).isFalse();
        assertThat(tree.get("n").textValue()).isNull();
    }

    @Test
    void numbersOfEqualValueAreEqualNodesWithEqualHashes() throws Exception {
        JsonNode a = Json.parseExact("[1.10,1e1,-0.0]");
        JsonNode b = Json.parseExact("[1.1,10.0,0.0]");

        assertThat(a).isEqualTo(b);
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        assertThat(Json.parseExact("[1.1]")).isNotEqualTo(Json.parseExact("[1.2]"));
    }

    @Test
    void hostileExponentsAreReadWithoutBuildingHugeIntegers() {
        // A naive BigDecimal conversion of these builds a billion-digit integer (minutes of CPU) or throws.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            JsonNode tree = Json.parseExact("[1e999999999,1e-999999999,-1e999999999,1e9999999999,1e-9999999999]");

            assertThat(Json.write(tree)).isEqualTo("[1e999999999,1e-999999999,-1e999999999,1e9999999999,1e-9999999999]");
            assertThat(tree.get(0).asLong()).isEqualTo(Long.MAX_VALUE);
            assertThat(tree.get(0).asInt()).isEqualTo(Integer.MAX_VALUE);
            assertThat(tree.get(2).asLong()).isEqualTo(Long.MIN_VALUE);
            assertThat(tree.get(1).asLong()).isZero();
            assertThat(tree.get(1).bigIntegerValue()).isZero();
            assertThat(tree.get(4).asInt()).isZero();
            assertThat(tree.get(0).doubleValue()).isInfinite();
            assertThat(tree.get(0).canConvertToExactIntegral()).isTrue();
            assertThat(tree.get(1).canConvertToExactIntegral()).isFalse();
            assertThat(tree.get(3).canConvertToExactIntegral()).isFalse();
            assertThat(tree.get(0)).isNotEqualTo(tree.get(1)).isNotEqualTo(tree.get(3));
            assertThat(tree.get(3)).isEqualTo(Json.parseExact("1e9999999999")).isNotEqualTo(tree.get(0));
        });
    }

    @Test
    void aTrailingDecimalPointIsDroppedSoThatWhatIsWrittenIsStrictJson() throws Exception {
        assertThat(Json.write(Json.parseExact("[1.,2.e3,-0.E-2]"))).isEqualTo("[1,2e3,-0E-2]");
    }

    @Test
    void stringsBooleansAndNullsAreReadAsByParse() throws Exception {
        String text = "{\"s\":\"a\\\"b\\u00e9\",\"t\":true,\"f\":false,\"z\":null,\"o\":{},\"a\":[]}";

        assertThat(Json.parseExact(text)).isEqualTo(Json.parse(text));
        assertThat(Json.write(Json.parseExact(text))).isEqualTo(Json.write(Json.parse(text)));
    }

    @Test
    void whatParseRefusesIsRefused() {
        for (String text : new String[] {"{", "{\"a\":1,\"a\":2}", "{} trailing", "{}{}", "[1,]", "{\"a\":NaN}", "01"}) {
            assertThatThrownBy(() -> Json.parseExact(text)).as(text).isInstanceOf(JsonProcessingException.class);
        }
        assertThatThrownBy(() -> Json.parseExact("[".repeat(Json.MAX_NESTING + 1) + "]".repeat(Json.MAX_NESTING + 1)))
                .isInstanceOf(StreamConstraintsException.class);
    }

    @Test
    void emptyTextIsAMissingNode() throws Exception {
        assertThat(Json.parseExact("  ").isMissingNode()).isTrue();
    }
}
