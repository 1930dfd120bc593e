package app.connectors.filter;

import app.connectors.event.FilterKey;
import app.connectors.problem.FieldError;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pattern's JSON into {@link Node}s, collecting every problem with the path where it is and
 * what to do about it. One compiler per pattern; not thread-safe.
 */
final class PatternCompiler {

    static final Set<String> OPERATORS = Set.of("prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric",
            "exists", "cidr");
    private static final String OPERATOR_LIST = "prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr";

    private final Map<String, FilterKey> shorthands;
    private final String base;
    private final List<FieldError> errors;
    private int values;

    /**
     * @param shorthands the original filter keys ({@code categories}, …) accepted at the top level
     * @param base       the name of the pattern in the request ({@code filters}), prefixed to error paths
     * @param errors     where problems are added
     */
    PatternCompiler(Map<String, FilterKey> shorthands, String base, List<FieldError> errors) {
        this.shorthands = shorthands;
        this.base = base;
        this.errors = errors;
    }

    int values() {
        return values;
    }

    /** The root object of a pattern; null (with errors added) when it is not valid. */
    Fields root(JsonNode pattern, FieldScope scope) {
        if (pattern == null || !pattern.isObject()) {
            error("", "must be an object such as {\"data\": {\"status\": [\"kept\"]}} (or {} to receive every event)");
            return null;
        }
        int before = errors.size();
        Fields root = object(pattern, "", scope, 0, true);
        if (values > EventPattern.MAX_VALUES) {
            error("", "has " + values + " values; at most " + EventPattern.MAX_VALUES + " are allowed (split it, or use prefix or wildcard)");
        }
        return errors.size() == before ? root : null;
    }

    private Fields object(JsonNode node, String path, FieldScope scope, int depth, boolean envelope) {
        if (depth >= EventPattern.MAX_DEPTH) {
            error(path, "nests deeper than " + EventPattern.MAX_DEPTH + " levels of fields; flatten the pattern");
            return null;
        }
        if (node.isEmpty() && !path.isEmpty()) {
            error(path, "is an empty object; name at least one field, or remove it");
            return null;
        }
        List<String> names = new ArrayList<>();
        List<Node> children = new ArrayList<>();
        List<Fields[]> groups = new ArrayList<>();
        List<String> groupPaths = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            String at = join(path, name);
            if (name.equals("$or")) {
                Fields[] group = alternatives(value, at, scope, depth, envelope);
                if (group != null) {
                    groups.add(group);
                    groupPaths.add(at);
                }
                continue;
            }
            if (name.startsWith("$")) {
                error(at, "unknown operator '" + name + "'; the only $ operator is $or (fields are and-ed already)");
                continue;
            }
            if (OPERATORS.contains(name) && !scope.declares(name)) {
                // Reported where the list belongs: the field whose value should have been [{operator: …}].
                String field = path.isEmpty() ? "field" : path.substring(path.lastIndexOf('.') + 1);
                error(path.isEmpty() ? at : path, "'" + name + "' is an operator, so it goes inside a list: {\"" + field + "\": [{\""
                        + name + "\": …}]}");
                continue;
            }
            FilterKey shorthand = envelope ? shorthands.get(name) : null;
            if (shorthand != null) {
                Node legacy = shorthand(shorthand, value, at);
                if (legacy != null) {
                    names.add(shorthand.fromSubject() ? "subject" : "attributes");
                    children.add(new Fields(new String[] {shorthand.attribute()}, new Node[] {legacy}, new Fields[0][], new String[0]));
                }
                continue;
            }
            FieldScope child = scope.field(name);
            if (child == null) {
                error(at, envelope ? scope.unknownField(name) + (shorthands.isEmpty() ? "" : " (or the shorthands "
                        + String.join(", ", shorthands.keySet()) + ")") : scope.unknownField(name));
                continue;
            }
            Node compiled;
            if (value.isObject()) {
                if (child.valueOnly()) {
                    error(at, child.unknownField(value.fieldNames().hasNext() ? value.fieldNames().next() : "…"));
                    continue;
                }
                compiled = object(value, at, child, depth + 1, false);
            } else if (value.isArray()) {
                compiled = leaf(value, at);
            } else {
                error(at, "must be a list of values such as [\"kept\"] or an object of fields; got " + kind(value));
                continue;
            }
            if (compiled != null) {
                names.add(name);
                children.add(compiled);
            }
        }
        return new Fields(names.toArray(String[]::new), children.toArray(Node[]::new), groups.toArray(Fields[][]::new),
                groupPaths.toArray(String[]::new));
    }

    private Fields[] alternatives(JsonNode value, String at, FieldScope scope, int depth, boolean envelope) {
        if (!value.isArray() || value.size() < 2) {
            error(at, "$or must be a list of at least two objects, each a pattern: [{…}, {…}]");
            return null;
        }
        Fields[] group = new Fields[value.size()];
        boolean ok = true;
        for (int i = 0; i < value.size(); i++) {
            JsonNode alternative = value.get(i);
            String altPath = at + "[" + i + "]";
            if (!alternative.isObject() || alternative.isEmpty()) {
                error(altPath, "each $or alternative must be a non-empty object of fields");
                ok = false;
                continue;
            }
            group[i] = object(alternative, altPath, scope, depth, envelope);
            ok &= group[i] != null;
        }
        return ok ? group : null;
    }

    /** {@code "categories": ["a", "b"]}: the original form, matched on the attribute's text exactly as before. */
    private Node shorthand(FilterKey key, JsonNode value, String at) {
        if (!value.isArray() || value.isEmpty() || value.size() > EventPattern.MAX_SHORTHAND_VALUES) {
            error(at, key.name() + " must be a list of 1 to " + EventPattern.MAX_SHORTHAND_VALUES + " strings");
            return null;
        }
        Set<String> texts = new LinkedHashSet<>();
        for (JsonNode v : value) {
            if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > EventPattern.MAX_SHORTHAND_VALUE_LENGTH) {
                error(at, key.name() + " values must be non-empty strings of at most " + EventPattern.MAX_SHORTHAND_VALUE_LENGTH
                        + " characters");
                return null;
            }
            texts.add(v.textValue());
        }
        values += texts.size();
        String path = key.fromSubject() ? "subject." + key.attribute() : "attributes." + key.attribute();
        return new Leaf(path, new ValueMatcher[] {new ValueMatcher.Texts(Set.copyOf(texts))}, false, false, value.toString());
    }

    private Leaf leaf(JsonNode list, String at) {
        if (list.isEmpty()) {
            error(at, "is an empty list, which nothing matches; list at least one value");
            return null;
        }
        int before = errors.size();
        Set<String> strings = new LinkedHashSet<>();
        List<ValueMatcher> matchers = new ArrayList<>();
        boolean present = false;
        boolean absent = false;
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String entryPath = at + "[" + i + "]";
            if (entry.isTextual()) {
                if (text(entry, entryPath, "values") != null) {
                    strings.add(entry.textValue());
                }
            } else if (entry.isNumber()) {
                Double n = number(entry, entryPath);
                if (n != null) {
                    matchers.add(new ValueMatcher.Number(n));
                }
            } else if (entry.isBoolean()) {
                values++;
                matchers.add(new ValueMatcher.Bool(entry.booleanValue()));
            } else if (entry.isNull()) {
                values++;
                matchers.add(new ValueMatcher.Null());
            } else if (entry.isArray()) {
                error(entryPath, "lists do not nest; put every value in one list");
            } else {
                Map.Entry<String, JsonNode> op = single(entry, entryPath);
                if (op == null) {
                    continue;
                }
                String opPath = entryPath + "." + op.getKey();
                if (op.getKey().equals("exists")) {
                    values++;
                    if (!op.getValue().isBoolean()) {
                        error(opPath, "exists takes true or false");
                    } else if (op.getValue().booleanValue()) {
                        present = true;
                    } else {
                        absent = true;
                    }
                    continue;
                }
                ValueMatcher m = operator(op.getKey(), op.getValue(), opPath);
                if (m != null) {
                    matchers.add(m);
                }
            }
        }
        if (errors.size() != before) {
            return null;
        }
        if (!strings.isEmpty()) {
            matchers.add(0, new ValueMatcher.Strings(Set.copyOf(strings)));
        }
        return new Leaf(at, matchers.toArray(ValueMatcher[]::new), present, absent, shorten(list.toString()));
    }

    private ValueMatcher operator(String name, JsonNode operand, String at) {
        return switch (name) {
            case "prefix", "suffix" -> affix(name, operand, at);
            case "equals-ignore-case" -> {
                String s = text(operand, at, name);
                yield s == null ? null : new ValueMatcher.EqualsIgnoreCase(s);
            }
            case "wildcard" -> wildcard(operand, at);
            case "cidr" -> {
                String s = text(operand, at, name);
                if (s == null) {
                    yield null;
                }
                try {
                    yield new ValueMatcher.Cidr(IpRange.parse(s));
                } catch (IllegalArgumentException e) {
                    error(at, "cidr " + e.getMessage());
                    yield null;
                }
            }
            case "numeric" -> numeric(operand, at);
            case "anything-but" -> anythingBut(operand, at);
            default -> {
                error(at, "unknown operator '" + name + "'; use one of " + OPERATOR_LIST);
                yield null;
            }
        };
    }

    private ValueMatcher affix(String name, JsonNode operand, String at) {
        boolean ignoreCase = false;
        JsonNode text = operand;
        if (operand.isObject()) {
            Map.Entry<String, JsonNode> inner = single(operand, at);
            if (inner == null) {
                return null;
            }
            if (!inner.getKey().equals("equals-ignore-case")) {
                error(at + "." + inner.getKey(), name + " takes a string, or {\"equals-ignore-case\": \"…\"}");
                return null;
            }
            ignoreCase = true;
            text = inner.getValue();
            at = at + ".equals-ignore-case";
        }
        String s = text(text, at, name);
        if (s == null) {
            return null;
        }
        return name.equals("prefix") ? new ValueMatcher.Prefix(s, ignoreCase) : new ValueMatcher.Suffix(s, ignoreCase);
    }

    private ValueMatcher wildcard(JsonNode operand, String at) {
        String s = text(operand, at, "wildcard");
        if (s == null) {
            return null;
        }
        try {
            return new ValueMatcher.WildcardMatch(Wildcard.parse(s));
        } catch (IllegalArgumentException e) {
            error(at, "wildcard " + e.getMessage());
            return null;
        }
    }

    private ValueMatcher anythingBut(JsonNode operand, String at) {
        if (operand.isObject()) {
            Map.Entry<String, JsonNode> inner = single(operand, at);
            if (inner == null) {
                return null;
            }
            String innerPath = at + "." + inner.getKey();
            ValueMatcher m = switch (inner.getKey()) {
                case "prefix", "suffix" -> affix(inner.getKey(), inner.getValue(), innerPath);
                case "wildcard" -> wildcard(inner.getValue(), innerPath);
                case "equals-ignore-case" -> {
                    if (inner.getValue().isArray() && !inner.getValue().isEmpty()) {
                        List<ValueMatcher> any = new ArrayList<>();
                        for (int i = 0; i < inner.getValue().size(); i++) {
                            String s = text(inner.getValue().get(i), innerPath + "[" + i + "]", "equals-ignore-case");
                            if (s != null) {
                                any.add(new ValueMatcher.EqualsIgnoreCase(s));
                            }
                        }
                        yield any.size() == inner.getValue().size() ? new ValueMatcher.AnyOf(any.toArray(ValueMatcher[]::new)) : null;
                    }
                    String s = text(inner.getValue(), innerPath, "equals-ignore-case");
                    yield s == null ? null : new ValueMatcher.EqualsIgnoreCase(s);
                }
                default -> {
                    error(innerPath, "anything-but takes a value, a list of values, or one of prefix, suffix, equals-ignore-case, "
                            + "wildcard");
                    yield null;
                }
            };
            return m == null ? null : new ValueMatcher.StringNot(m);
        }
        List<JsonNode> listed = new ArrayList<>();
        if (operand.isArray()) {
            if (operand.isEmpty()) {
                error(at, "anything-but needs at least one value");
                return null;
            }
            operand.forEach(listed::add);
        } else {
            listed.add(operand);
        }
        Set<String> strings = new LinkedHashSet<>();
        List<Double> numbers = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            JsonNode v = listed.get(i);
            String vPath = operand.isArray() ? at + "[" + i + "]" : at;
            if (v.isTextual()) {
                String s = text(v, vPath, "anything-but");
                if (s != null) {
                    strings.add(s);
                }
            } else if (v.isNumber()) {
                Double n = number(v, vPath);
                if (n != null) {
                    numbers.add(n);
                }
            } else {
                error(vPath, "anything-but values must be strings or numbers; got " + kind(v));
            }
        }
        return new ValueMatcher.NoneOf(Set.copyOf(strings), numbers.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** {@code ["<", 10]}, {@code [">=", 0, "<", 5]} or {@code ["=", 3]}; an empty range is refused. */
    private ValueMatcher numeric(JsonNode operand, String at) {
        if (!operand.isArray() || (operand.size() != 2 && operand.size() != 4)) {
            error(at, "numeric takes [operator, number] or [lower operator, number, upper operator, number], "
                    + "e.g. [\">\", 0, \"<=\", 5]");
            return null;
        }
        double low = Double.NEGATIVE_INFINITY;
        double high = Double.POSITIVE_INFINITY;
        boolean lowInclusive = false;
        boolean highInclusive = false;
        boolean hasLow = false;
        boolean hasHigh = false;
        for (int i = 0; i < operand.size(); i += 2) {
            JsonNode op = operand.get(i);
            String opPath = at + "[" + i + "]";
            if (!op.isTextual() || !Set.of("=", "<", "<=", ">", ">=").contains(op.textValue())) {
                error(opPath, "numeric operators are =, <, <=, >, >=; got " + op);
                return null;
            }
            JsonNode bound = operand.get(i + 1);
            if (!bound.isNumber()) {
                error(at + "[" + (i + 1) + "]", "numeric needs a number after '" + op.textValue() + "'; got " + kind(bound)
                        + (bound.isTextual() ? " (write it without quotes)" : ""));
                return null;
            }
            Double n = number(bound, at + "[" + (i + 1) + "]");
            if (n == null) {
                return null;
            }
            String o = op.textValue();
            if (o.equals("=")) {
                if (operand.size() != 2) {
                    error(opPath, "'=' stands alone: [\"=\", 3]");
                    return null;
                }
                return new ValueMatcher.Numeric(n, true, n, true);
            }
            boolean lower = o.startsWith(">");
            if (lower ? hasLow : hasHigh) {
                error(opPath, "numeric has two " + (lower ? "lower" : "upper") + " bounds; give one lower (> or >=) and one upper "
                        + "(< or <=)");
                return null;
            }
            if (lower) {
                hasLow = true;
                low = n;
                lowInclusive = o.equals(">=");
            } else {
                hasHigh = true;
                high = n;
                highInclusive = o.equals("<=");
            }
        }
        if (low > high || (low == high && !(lowInclusive && highInclusive))) {
            error(at, "numeric range " + operand + " is empty, so nothing would match; check the bounds");
            return null;
        }
        return new ValueMatcher.Numeric(low, lowInclusive, high, highInclusive);
    }

    private String text(JsonNode node, String at, String what) {
        if (!node.isTextual()) {
            error(at, what + " takes a string; got " + kind(node));
            return null;
        }
        if (node.textValue().length() > EventPattern.MAX_STRING_LENGTH) {
            error(at, "strings in a filter are at most " + EventPattern.MAX_STRING_LENGTH + " characters");
            return null;
        }
        values++;
        return node.textValue();
    }

    private Double number(JsonNode node, String at) {
        double d = node.doubleValue();
        if (!Double.isFinite(d) || Math.abs(d) > EventPattern.MAX_NUMBER) {
            error(at, "numbers in a filter must be between -" + EventPattern.MAX_NUMBER_TEXT + " and " + EventPattern.MAX_NUMBER_TEXT);
            return null;
        }
        values++;
        return d;
    }

    private Map.Entry<String, JsonNode> single(JsonNode object, String at) {
        if (object.size() != 1) {
            error(at, object.isEmpty() ? "is an empty object; write one operator such as {\"prefix\": \"…\"}"
                    : "has " + object.size() + " operators; write one per object, e.g. [{\"prefix\": \"a\"}, {\"suffix\": \"b\"}]");
            return null;
        }
        return object.fields().next();
    }

    private void error(String path, String message) {
        String field = path.isEmpty() ? base : base.isEmpty() ? path : base + "." + path;
        errors.add(new FieldError(field, field + ": " + message));
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String shorten(String text) {
        return text.length() <= 200 ? text : text.substring(0, 199) + "…";
    }

    /** The shorthand keys by name. */
    static Map<String, FilterKey> byName(Iterable<FilterKey> keys) {
        Map<String, FilterKey> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k.name(), k));
        return out;
    }
}
