package app.connectors.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one {@link ObjectMapper} of the process. Building a mapper is expensive, so it is built once
 * per execution environment and shared; it is thread-safe once configured.
 *
 * <pre>{@code
 * ObjectNode body = Json.object().put("ok", true);
 * String text = Json.write(body);
 * }</pre>
 */
public final class Json {

    /**
     * What one of the reader's limits refused, said so that the sender knows what to change (the
     * parser's own words name a Java method); empty when {@code e} is not such a refusal.
     */
    public static java.util.Optional<String> limitRefused(com.fasterxml.jackson.core.JsonProcessingException e) {
        if (!(e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException)) {
            return java.util.Optional.empty();
        }
        StreamReadConstraints limits = MAPPER.getFactory().streamReadConstraints();
        String said = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (said.startsWith("Number value length") || said.startsWith("Number length")) {
            return java.util.Optional.of("a number is longer than " + limits.getMaxNumberLength()
                    + " characters; send it as a string");
        }
        if (said.contains("nesting depth")) {
            return java.util.Optional.of("objects and arrays nest more than " + limits.getMaxNestingDepth() + " levels deep");
        }
        if (said.startsWith("String value length")) {
            return java.util.Optional.of("a string is longer than " + limits.getMaxStringLength() + " characters");
        }
        if (said.startsWith("Name length")) {
            return java.util.Optional.of("a member name is longer than " + limits.getMaxNameLength() + " characters");
        }
        return java.util.Optional.of("the document is larger than this service reads");
    }

    /** How deeply objects and arrays may nest in a document this mapper reads. */
    public static final int MAX_NESTING = 64;

    /** Shared mapper: ISO-8601 dates as strings, no failure on empty beans, strict duplicate keys. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        // Bodies are capped at 64 KB before they reach the parser; nesting is capped here so that a
        // hostile document cannot exhaust the stack.
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
    }

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses text into a tree; malformed input surfaces as {@link JsonProcessingException}. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /**
     * Parses one JSON value into a tree whose numbers are written back as they were written here:
     * for a document whose numbers are passed on to someone else (an event's payload, a
     * transformation's result). {@link #parse} holds a number with a fraction or an exponent as a
     * {@code double}, written again in Java's form and rounded to 17 digits ({@code 1e6} goes out as
     * {@code 1000000.0}, {@code 12345678901234567890.123456789} as {@code 1.2345678901234567E19});
     * here it is an {@link ExactNumberNode}. Integers are Jackson's own integer nodes, which already
     * write back the digits they were read from (of any length; {@code -0} is the integer 0).
     * Malformed input, or anything after the value, is a {@link JsonProcessingException}; empty
     * input is a missing node, as for {@link #parse}.
     */
    public static JsonNode parseExact(String text) throws JsonProcessingException {
        return readWhole(text, "value", parser -> parser.nextToken() == null ? MissingNode.getInstance() : exactTree(parser));
    }

    /** The value at the parser's current token; the parser's own limits (nesting, lengths) hold. */
    private static JsonNode exactTree(JsonParser parser) throws IOException {
        JsonNodeFactory nodes = MAPPER.getNodeFactory();
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, exactTree(parser)); // duplicates are refused by the parser
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(exactTree(parser));
                }
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> nodes.numberNode(parser.getIntValue());
                case LONG -> nodes.numberNode(parser.getLongValue());
                default -> nodes.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> ExactNumberNode.of(parser.getText());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new JsonParseException(parser, "unexpected " + parser.currentToken());
        };
    }

    /**
     * The members of a JSON object, each value as its exact text in {@code objectText} (a string
     * keeps its quotes and escapes, a number its form): for a document that embeds another one
     * verbatim, which a tree would give back only written again. Malformed input, a value that is not
     * an object, a duplicate member or anything after the object is a {@link JsonProcessingException}.
     */
    public static Map<String, String> members(String objectText) throws JsonProcessingException {
        return readWhole(objectText, "object", parser -> {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "not a JSON object");
            }
            Map<String, String> members = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                int start = Math.toIntExact(parser.currentTokenLocation().getCharOffset());
                parser.skipChildren();
                parser.finishToken(); // a string token is read lazily: its end is known only once read
                int end = Math.toIntExact(parser.currentLocation().getCharOffset());
                members.put(name, objectText.substring(start, end));
            }
            return members;
        });
    }

    /** What a {@link #readWhole} reads from its parser. */
    private interface Reading<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** What {@code reading} reads from the text, which must hold nothing after it (a {@code what}). */
    private static <T> T readWhole(String text, String what, Reading<T> reading) throws JsonProcessingException {
        try (JsonParser parser = MAPPER.createParser(text)) {
            T value = reading.read(parser);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "text after the JSON " + what);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String cannot fail otherwise
        }
    }

    public static JsonNode read(InputStream in) {
        try {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a JSON resource from the classpath; a missing resource is a packaging bug. */
    public static JsonNode resource(String path) {
        try (InputStream in = Json.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource missing: " + path);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value cannot be written as JSON", e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("value cannot be written as JSON", e);
        }
    }
}
