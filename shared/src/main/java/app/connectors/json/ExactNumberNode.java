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

    // Conversions to integers go through the double first: a hostile 1e999999999 or 1e-999999999
    // would make BigDecimal build a billion-digit integer (or fail on an exponent past an int).

    @Override
    public short shortValue() {
        return (short) intValue();
    }

    @Override
    public int intValue() {
        return canConvertToInt() ? (int) longValue() : (int) nearest;
    }

    /** Truncated toward zero, as Jackson's own nodes do; past the range of a long, saturated. */
    @Override
    public long longValue() {
        if (!canConvertToLong()) {
            return (long) nearest;
        }
        return Math.abs(nearest) < 1 ? 0 : decimalValue().longValue();
    }

    @Override
    public float floatValue() {
        return Float.parseFloat(text);
    }

    @Override
    public double doubleValue() {
        return nearest;
    }

    /**
     * The exact value ({@code -0.0} is zero: a BigDecimal has no sign for it). Like Jackson's own
     * nodes for a number past a double's range, throws {@link NumberFormatException} for an
     * exponent past an int's ({@code 1e9999999999}).
     */
    @Override
    public BigDecimal decimalValue() {
        return new BigDecimal(text);
    }

    @Override
    public BigInteger bigIntegerValue() {
        if (Math.abs(nearest) < 1) {
            return BigInteger.ZERO;
        }
        if (!Double.isFinite(nearest)) {
            throw new NumberFormatException("not a finite number: " + text);
        }
        return decimalValue().toBigInteger(); // at most 309 digits: a finite double's range
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
        BigDecimal value = exact();
        return value != null && (value.signum() == 0 || value.stripTrailingZeros().scale() <= 0);
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
        if (other == this) {
            return true;
        }
        if (!(other instanceof ExactNumberNode number)) {
            return false;
        }
        if (number.text.equals(text)) {
            return true;
        }
        BigDecimal mine = exact();
        BigDecimal theirs = number.exact();
        // Comparing checks magnitudes first, so even 1e999999999 against 1e-999999999 is quick.
        return mine != null && theirs != null && mine.compareTo(theirs) == 0;
    }

    /** The exact value, or null for an exponent past an int's. */
    private BigDecimal exact() {
        try {
            return decimalValue();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public int hashCode() {
        return Double.hashCode(nearest + 0.0); // + 0.0 turns -0.0 into 0.0, which compares equal to it
    }
}
