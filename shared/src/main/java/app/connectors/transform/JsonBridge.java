package app.connectors.transform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import org.mozilla.javascript.Callable;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.NativeArray;
import org.mozilla.javascript.NativeObject;
import org.mozilla.javascript.ScriptRuntime;
import org.mozilla.javascript.Scriptable;
import org.mozilla.javascript.ScriptableObject;
import org.mozilla.javascript.Symbol;
import org.mozilla.javascript.TopLevel;
import org.mozilla.javascript.Undefined;

/**
 * Converts between Jackson trees and plain JavaScript values. Scripts only ever see native JS
 * objects, arrays, strings, numbers, booleans and null, never a wrapped Java object.
 */
final class JsonBridge {

    /** Same nesting cap as the shared JSON reader, so what a script returns can be read back. */
    static final int MAX_DEPTH = 64;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final double MAX_SAFE_INTEGER = 9007199254740991d;

    private JsonBridge() {
    }

    /** Thrown (outside script code) when the result cannot be sent. */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final FailureKind kind;

        Rejected(FailureKind kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        FailureKind kind() {
            return kind;
        }
    }

    /** Counts the serialized UTF-8 size of what has been converted so far. */
    static final class Budget {
        private final long limit;
        private long used;

        Budget(long limit) {
            this.limit = limit;
        }

        void spend(long bytes) {
            used += bytes;
            if (used > limit) {
                throw new Rejected(FailureKind.OUTPUT_TOO_LARGE,
                        "transformed webhook is larger than " + (limit / 1024) + " KB when serialized");
            }
        }
    }

    // ---- Jackson → JavaScript ----------------------------------------------------------------

    static Object toJs(Scriptable scope, JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                NativeObject object = newObject(scope);
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    put(object, field.getKey(), toJs(scope, field.getValue()));
                }
                yield object;
            }
            case ARRAY -> {
                Object[] items = new Object[node.size()];
                for (int i = 0; i < items.length; i++) {
                    items[i] = toJs(scope, node.get(i));
                }
                yield newArray(scope, items);
            }
            case STRING -> node.textValue();
            case NUMBER -> node.canConvertToInt() && node.isIntegralNumber() ? (Object) node.intValue() : (Object) node.doubleValue();
            case BOOLEAN -> node.booleanValue();
            case NULL, MISSING -> null;
            case BINARY, POJO -> node.asText();
        };
    }

    static NativeObject newObject(Scriptable scope) {
        NativeObject object = new NativeObject();
        ScriptRuntime.setBuiltinProtoAndParent(object, scope, TopLevel.Builtins.Object);
        return object;
    }

    static NativeArray newArray(Scriptable scope, Object[] items) {
        NativeArray array = new NativeArray(items);
        ScriptRuntime.setBuiltinProtoAndParent(array, scope, TopLevel.Builtins.Array);
        return array;
    }

    /** Keys that look like array indices must be stored as indices, or {@code o[0]} would not find {@code "0"}. */
    static void put(ScriptableObject object, String key, Object value) {
        int index = arrayIndex(key);
        if (index >= 0) {
            object.put(index, object, value);
        } else {
            object.put(key, object, value);
        }
    }

    private static int arrayIndex(String key) {
        int length = key.length();
        if (length == 0 || length > 9 || (length > 1 && key.charAt(0) == '0')) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    // ---- JavaScript → Jackson ----------------------------------------------------------------

    /**
     * Converts a script value to JSON with {@code JSON.stringify}'s rules for what JSON cannot
     * hold (an {@code undefined} property is left out, an {@code undefined} array element becomes
     * null, {@code toJSON} is honoured) and refuses what would silently lose data: functions,
     * symbols, BigInt, NaN and infinities, cycles, host objects and nesting deeper than 64.
     * Getters and {@code toJSON} run script code, so the caller keeps the run's budget active.
     */
    static JsonNode toJson(Context cx, Scriptable scope, Object value, String path, Budget budget) {
        return convert(cx, scope, value, path, budget, 0, new IdentityHashMap<>());
    }

    private static JsonNode convert(Context cx, Scriptable scope, Object value, String path, Budget budget, int depth,
                                    Map<Object, Boolean> ancestors) {
        if (value == null) {
            budget.spend(4);
            return NODES.nullNode();
        }
        if (value == Undefined.instance || value == Scriptable.NOT_FOUND) {
            throw new Rejected(FailureKind.INVALID_RESULT, path + " is undefined");
        }
        if (value instanceof CharSequence text) {
            String string = text.toString();
            budget.spend(jsonLength(string));
            return NODES.textNode(string);
        }
        if (value instanceof Boolean bool) {
            budget.spend(bool ? 4 : 5);
            return NODES.booleanNode(bool);
        }
        if (value instanceof BigInteger) {
            throw new Rejected(FailureKind.INVALID_RESULT, path + " is a BigInt, which JSON cannot hold");
        }
        if (value instanceof Number number) {
            return number(number, path, budget);
        }
        if (value instanceof Symbol) {
            throw new Rejected(FailureKind.INVALID_RESULT, path + " is a Symbol, which JSON cannot hold");
        }
        if (value instanceof Callable) {
            throw new Rejected(FailureKind.INVALID_RESULT, path + " is a function, which cannot be sent");
        }
        if (!(value instanceof ScriptableObject object)) {
            throw new Rejected(FailureKind.INVALID_RESULT, path + " is not a plain JavaScript value");
        }
        if (depth >= MAX_DEPTH) {
            throw new Rejected(FailureKind.INVALID_RESULT, path + " is nested deeper than " + MAX_DEPTH + " levels");
        }
        if (ancestors.containsKey(object)) {
            throw new Rejected(FailureKind.INVALID_RESULT, path + " refers back to itself (cyclic object)");
        }
        Object toJson = ScriptableObject.getProperty(object, "toJSON");
        if (toJson instanceof Callable callable) {
            return convert(cx, scope, callable.call(cx, scope, object, new Object[] {""}), path, budget, depth, ancestors);
        }
        if ("Promise".equals(object.getClassName())) {
            throw new Rejected(FailureKind.INVALID_RESULT, path + " is a Promise; handlers must be synchronous");
        }
        ancestors.put(object, Boolean.TRUE);
        try {
            if (object instanceof NativeArray array) {
                return array(cx, scope, array, path, budget, depth, ancestors);
            }
            ObjectNode node = NODES.objectNode();
            budget.spend(2);
            for (Object id : object.getIds()) {
                if (id instanceof Symbol) {
                    continue;
                }
                String key = String.valueOf(id);
                Object child = id instanceof Integer index ? ScriptableObject.getProperty(object, index)
                        : ScriptableObject.getProperty(object, key);
                if (child == Undefined.instance || child == Scriptable.NOT_FOUND) {
                    continue;
                }
                budget.spend(jsonLength(key) + 2);
                node.set(key, convert(cx, scope, child, path + "." + key, budget, depth + 1, ancestors));
            }
            return node;
        } finally {
            ancestors.remove(object);
        }
    }

    private static ArrayNode array(Context cx, Scriptable scope, NativeArray array, String path, Budget budget, int depth,
                                   Map<Object, Boolean> ancestors) {
        long length = array.getLength();
        // Each element costs at least one byte and a comma: refuse a sparse giant before walking it.
        budget.spend(2 + length * 2);
        ArrayNode node = NODES.arrayNode();
        for (int i = 0; i < length; i++) {
            Object child = ScriptableObject.getProperty(array, i);
            if (child == Undefined.instance || child == Scriptable.NOT_FOUND) {
                node.addNull();
                continue;
            }
            node.add(convert(cx, scope, child, path + "[" + i + "]", budget, depth + 1, ancestors));
        }
        return node;
    }

    private static JsonNode number(Number number, String path, Budget budget) {
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            budget.spend(11);
            return NODES.numberNode(number.intValue());
        }
        double d = number.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new Rejected(FailureKind.INVALID_RESULT, path + " is " + ScriptRuntime.toString(d) + ", which JSON cannot hold");
        }
        budget.spend(24);
        if (d == Math.rint(d) && Math.abs(d) <= MAX_SAFE_INTEGER) {
            long whole = (long) d; // also turns -0 into 0, as JSON.stringify does
            return whole == (int) whole ? NODES.numberNode((int) whole) : NODES.numberNode(whole);
        }
        return NODES.numberNode(d);
    }

    /** UTF-8 length of the string as a JSON literal, quotes and escapes included. */
    static long jsonLength(String s) {
        long length = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                length += 2;
            } else if (c < 0x20) {
                length += 6;
            } else if (c < 0x80) {
                length += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                length += 2; // a surrogate pair is 4 bytes in UTF-8: 2 per char
            } else {
                length += 3;
            }
        }
        return length;
    }
}
