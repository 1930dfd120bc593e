package app.connectors.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * One entry of a pattern's list of values, compiled: it judges a single scalar of the event (a
 * string, number, boolean or null; arrays are looked into by {@link Leaf}). {@code exists} is not
 * here: it judges whether there is a value at all, which {@link Leaf} decides.
 */
sealed interface ValueMatcher {

    boolean test(JsonNode scalar);

    /** Exact string values, kept in a set so that a list of 300 costs one lookup. */
    record Strings(Set<String> values) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return scalar.isTextual() && values.contains(scalar.textValue());
        }
    }

    /**
     * The original {@code {"categories": […]}} form: a scalar attribute matches when its text is listed,
     * so an attribute sent as the number 7 still matches "7" as it always has. A number with a
     * fraction or an exponent is listed as the text of its {@code double} (2.50 as "2.5", 1e6 as
     * "1000000.0"): the text these stored filters were written against, before events kept their
     * numbers as published.
     */
    record Texts(Set<String> values) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return !scalar.isNull() && values.contains(scalar.isFloatingPointNumber()
                    ? Double.toString(scalar.doubleValue()) : scalar.asText());
        }
    }

    /** A number equals another by value: 300, 300.0 and 3e2 are one number. */
    record Number(double value) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return scalar.isNumber() && scalar.doubleValue() == value;
        }
    }

    record Bool(boolean value) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return scalar.isBoolean() && scalar.booleanValue() == value;
        }
    }

    /** JSON null: not the empty string, and not an absent field. */
    record Null() implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return scalar.isNull();
        }
    }

    record Prefix(String prefix, boolean ignoreCase) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return scalar.isTextual() && scalar.textValue().regionMatches(ignoreCase, 0, prefix, 0, prefix.length());
        }
    }

    record Suffix(String suffix, boolean ignoreCase) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            if (!scalar.isTextual()) {
                return false;
            }
            String text = scalar.textValue();
            return text.length() >= suffix.length()
                    && text.regionMatches(ignoreCase, text.length() - suffix.length(), suffix, 0, suffix.length());
        }
    }

    record EqualsIgnoreCase(String value) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return scalar.isTextual() && scalar.textValue().equalsIgnoreCase(value);
        }
    }

    record WildcardMatch(Wildcard wildcard) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return scalar.isTextual() && wildcard.matches(scalar.textValue());
        }
    }

    record Cidr(IpRange range) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return scalar.isTextual() && range.contains(scalar.textValue());
        }
    }

    /** A range of numbers; each bound may be open (infinite), inclusive or exclusive. */
    record Numeric(double low, boolean lowInclusive, double high, boolean highInclusive) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            if (!scalar.isNumber()) {
                return false;
            }
            double v = scalar.doubleValue();
            return (lowInclusive ? v >= low : v > low) && (highInclusive ? v <= high : v < high);
        }
    }

    /** {@code anything-but} a list: any scalar (string, number, boolean, null) that is not listed. */
    record NoneOf(Set<String> strings, double[] numbers) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            if (scalar.isTextual()) {
                return !strings.contains(scalar.textValue());
            }
            if (scalar.isNumber()) {
                double v = scalar.doubleValue();
                for (double n : numbers) {
                    if (n == v) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** {@code anything-but} a prefix, suffix, case-insensitive value or wildcard: a string that fails it. */
    record StringNot(ValueMatcher inner) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            return scalar.isTextual() && !inner.test(scalar);
        }
    }

    /** Any of several matchers (an {@code equals-ignore-case} list inside {@code anything-but}). */
    record AnyOf(ValueMatcher[] matchers) implements ValueMatcher {
        @Override
        public boolean test(JsonNode scalar) {
            for (ValueMatcher m : matchers) {
                if (m.test(scalar)) {
                    return true;
                }
            }
            return false;
        }
    }
}
