package app.connectors.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A JSON number with a fraction or an exponent, kept as the text it was written in: written back
 * as that text and shown ({@link #asText()}) as that text, so {@code 1e6} stays {@code 1e6},
 * {@code 1.10} keeps its zero, {@code -0.0} its sign and a 30-digit decimal every digit. Jackson's
 * own nodes would hold it as a {@code double} ({@code 1000000.0}, {@code 1.2345678901234567E19}) or
 * a {@link BigDecimal} ({@code 1E+6}, no negative zero). Read as a value it is exact
 * ({@link #decimalValue()}), or the nearest {@code double} ({@link #doubleValue()}, what filters
 * compare). Built by {@link Json#parseExact}.
 *
 * <pre>{@code
 * JsonNode data = Json.parseExact("{\"amount\":1e6}");
 * Json.write(data);                            // {"amount":1e6}
 * data.get("amount").doubleValue();            // 1000000.0
 * }</pre>
 */
public final class ExactNumberNode extends NumericNode {

    private final String text;
    /** Parsed once: filters compare it for every connector of a fan-out. */
    private final double nearest;

    private ExactNumberNode(String text) {
        this.text = text;
        this.nearest = Double.parseDouble(text);
    }

    /**
     * The node for a number's text as a JSON parser accepted it. The one non-standard form the
     * service's reader tolerates, a decimal point without digits after it ({@code 1.}, {@code 2.e3}),
     * is written without that point, so that every destination receives strict JSON.
     */
    static ExactNumberNode of(String text) {
        int point = text.indexOf('.');
        if (point >= 0 && (point + 1 == text.length() || !Character.isDigit(text.charAt(point + 1)))) {
            text = text.substring(0, point) + text.substring(point + 1);
        }
        return new ExactNumberNode(text);
    }

    @Override
    public JsonToken asToken() {
        return JsonToken.VALUE_NUMBER_FLOAT;
    }

    @Override
    public JsonParser.NumberType numberType() {
        return JsonParser.NumberType.BIG_DECIMAL;
    }

    @Override
    public boolean isFloatingPointNumber() {
        return true;
    }

    @Override
    public boolean isBigDecimal() {
        return true;
    }

    @Override
    public Number numberValue() {
        return decimalValue();
    }

    @Override
    public short shortValue() {
        return decimalValue().shortValue();
    }

    @Override
    public int intValue() {
        return decimalValue().intValue();
    }

    @Override
    public long longValue() {
        return decimalValue().longValue();
    }

    @Override
    public float floatValue() {
        return Float.parseFloat(text);
    }

    @Override
    public double doubleValue() {
        return nearest;
    }

    /** The exact value ({@code -0.0} is zero: a BigDecimal has no sign for it). */
    @Override
    public BigDecimal decimalValue() {
        return new BigDecimal(text);
    }

    @Override
    public BigInteger bigIntegerValue() {
        return decimalValue().toBigInteger();
    }

    @Override
    public boolean canConvertToInt() {
        return Double.isFinite(nearest) && nearest >= Integer.MIN_VALUE && nearest <= Integer.MAX_VALUE;
    }

    @Override
    public boolean canConvertToLong() {
        return Double.isFinite(nearest) && nearest >= Long.MIN_VALUE && nearest <= Long.MAX_VALUE;
    }

    @Override
    public boolean canConvertToExactIntegral() {
        BigDecimal value = decimalValue();
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    /** The number as it was written. */
    @Override
    public String asText() {
        return text;
    }

    @Override
    public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
        generator.writeNumber(text);
    }

    /** Equal in value: {@code 1.10} equals {@code 1.1} and {@code 1e1} equals {@code 10.0}, as Jackson's own nodes compare. */
    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof ExactNumberNode number
                && (number.text.equals(text) || number.decimalValue().compareTo(decimalValue()) == 0);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(nearest + 0.0); // + 0.0 turns -0.0 into 0.0, which compares equal to it
    }
}
