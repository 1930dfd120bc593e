package app.connectors.testing;

import app.connectors.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link FakeResponder}s that answer like the destination platforms, checking each payload against
 * the limits in REFERENCE.md and failing the way the platform does when one is broken. Lengths are
 * counted in Unicode code points.
 *
 * <pre>{@code
 * FakeDestination slack = FakeDestination.start(FakePlatform.slack());      // 200 ok / 400 invalid_payload
 * FakeDestination discord = FakeDestination.start(FakePlatform.discord());  // 204, or 200 + message with ?wait=true
 * FakeDestination teams = FakeDestination.start(FakePlatform.teams());      // 202 / 400
 * FakeDestination zapier = FakeDestination.start(FakePlatform.zapier());    // 200 {"status":"success"} / 400
 * FakeDestination hook = FakeDestination.start(FakePlatform.standardWebhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
 * }</pre>
 */
public final class FakePlatform {

    /** Teams Workflows refuses messages above 28 KB. */
    public static final int TEAMS_MAX_BYTES = 28 * 1024;

    private static final AtomicLong SNOWFLAKES = new AtomicLong(1_200_000_000_000_000_000L);

    private FakePlatform() {
    }

    /** 200 {@code {"received":true}} for anything. */
    public static FakeResponder generic() {
        return request -> FakeReply.json(200, "{\"received\":true}");
    }

    /**
     * A generic endpoint that verifies Standard Webhooks signatures with {@code secret}
     * ({@code whsec_<base64 key>}): 401 when a header is missing or no signature matches, else 200.
     */
    public static FakeResponder standardWebhooks(String secret) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        return request -> {
            Optional<String> id = request.header("webhook-id");
            Optional<String> timestamp = request.header("webhook-timestamp");
            Optional<String> signatures = request.header("webhook-signature");
            if (id.isEmpty() || timestamp.isEmpty() || signatures.isEmpty()) {
                return FakeReply.json(401, "{\"error\":\"missing webhook-id, webhook-timestamp or webhook-signature\"}");
            }
            byte[] expected = sign(key, id.get(), timestamp.get(), request.body());
            for (String candidate : signatures.get().split(" ")) {
                if (candidate.startsWith("v1,")) {
                    byte[] given;
                    try {
                        given = Base64.getDecoder().decode(candidate.substring(3));
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    if (MessageDigest.isEqual(expected, given)) {
                        return FakeReply.json(200, "{\"received\":true}");
                    }
                }
            }
            return FakeReply.json(401, "{\"error\":\"no matching signature\"}");
        };
    }

    /** The {@code v1,<base64>} signature a sender must put in {@code webhook-signature}. */
    public static String standardWebhooksSignature(String secret, String id, String timestamp, byte[] body) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        return "v1," + Base64.getEncoder().encodeToString(sign(key, id, timestamp, body));
    }

    private static byte[] sign(byte[] key, String id, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Slack Incoming Webhook: 200 {@code ok}, or 400 {@code invalid_payload} / {@code no_text}. */
    public static FakeResponder slack() {
        return request -> {
            Optional<JsonNode> root = parse(request);
            if (root.isEmpty() || !root.get().isObject()) {
                return FakeReply.text(400, "invalid_payload");
            }
            JsonNode message = root.get();
            boolean hasText = message.path("text").isTextual() && !message.path("text").asText().isEmpty();
            boolean hasBlocks = message.path("blocks").isArray() && !message.path("blocks").isEmpty();
            boolean hasAttachments = message.path("attachments").isArray() && !message.path("attachments").isEmpty();
            if (!hasText && !hasBlocks && !hasAttachments) {
                return FakeReply.text(400, "no_text");
            }
            Optional<String> problem = slackBlocksProblem(message.path("blocks"));
            for (JsonNode attachment : message.path("attachments")) {
                problem = problem.or(() -> slackBlocksProblem(attachment.path("blocks")));
            }
            return problem.<FakeReply>map(p -> FakeReply.text(400, "invalid_payload").withHeader("X-Fake-Problem", p))
                    .orElseGet(() -> FakeReply.text(200, "ok"));
        };
    }

    /** The first Block Kit limit {@code blocks} breaks, if any (exposed for formatter tests). */
    public static Optional<String> slackBlocksProblem(JsonNode blocks) {
        if (blocks.isMissingNode() || blocks.isNull()) {
            return Optional.empty();
        }
        if (!blocks.isArray()) {
            return Optional.of("blocks is not an array");
        }
        if (blocks.size() > 50) {
            return Optional.of("more than 50 blocks");
        }
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String where = "blocks[" + i + "]";
            switch (block.path("type").asText()) {
                case "header" -> {
                    int length = length(block.path("text").path("text"));
                    if (length < 1 || length > 150) {
                        return Optional.of(where + " header text must be 1-150 chars, is " + length);
                    }
                }
                case "section" -> {
                    JsonNode text = block.path("text");
                    JsonNode fields = block.path("fields");
                    if (text.isMissingNode() && fields.isMissingNode()) {
                        return Optional.of(where + " section needs text or fields");
                    }
                    if (!text.isMissingNode()) {
                        int length = length(text.path("text"));
                        if (length < 1 || length > 3000) {
                            return Optional.of(where + " section text must be 1-3000 chars, is " + length);
                        }
                    }
                    if (!fields.isMissingNode()) {
                        if (!fields.isArray() || fields.size() > 10) {
                            return Optional.of(where + " section has more than 10 fields");
                        }
                        for (JsonNode field : fields) {
                            int length = length(field.path("text"));
                            if (length < 1 || length > 2000) {
                                return Optional.of(where + " field text must be 1-2000 chars, is " + length);
                            }
                        }
                    }
                    Optional<String> accessory = buttonProblem(block.path("accessory"), where + ".accessory");
                    if (accessory.isPresent()) {
                        return accessory;
                    }
                }
                case "context" -> {
                    JsonNode elements = block.path("elements");
                    if (!elements.isArray() || elements.isEmpty() || elements.size() > 10) {
                        return Optional.of(where + " context must have 1-10 elements");
                    }
                }
                case "actions" -> {
                    JsonNode elements = block.path("elements");
                    if (!elements.isArray() || elements.isEmpty() || elements.size() > 25) {
                        return Optional.of(where + " actions must have 1-25 elements");
                    }
                    for (int e = 0; e < elements.size(); e++) {
                        Optional<String> button = buttonProblem(elements.get(e), where + ".elements[" + e + "]");
                        if (button.isPresent()) {
                            return button;
                        }
                    }
                }
                default -> {
                    // divider, image and the rest carry no limit REFERENCE.md lists
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> buttonProblem(JsonNode element, String where) {
        if (!"button".equals(element.path("type").asText())) {
            return Optional.empty();
        }
        int text = length(element.path("text").path("text"));
        if (text < 1 || text > 75) {
            return Optional.of(where + " button text must be 1-75 chars, is " + text);
        }
        if (!element.path("url").isMissingNode() && length(element.path("url")) > 3000) {
            return Optional.of(where + " button url is longer than 3000 chars");
        }
        return Optional.empty();
    }

    /**
     * Discord Execute Webhook: 204 (or 200 with the created message under {@code ?wait=true}),
     * 400 {@code Invalid Form Body} (code 50035) when a limit is broken, 400 code 50006 when empty.
     */
    public static FakeResponder discord() {
        return request -> {
            Optional<JsonNode> root = parse(request);
            if (root.isEmpty() || !root.get().isObject()) {
                return FakeReply.json(400, "{\"message\":\"Cannot send an empty message\",\"code\":50006}");
            }
            JsonNode message = root.get();
            String content = message.path("content").asText("");
            JsonNode embeds = message.path("embeds");
            if (content.isEmpty() && (!embeds.isArray() || embeds.isEmpty())) {
                return FakeReply.json(400, "{\"message\":\"Cannot send an empty message\",\"code\":50006}");
            }
            Optional<String> problem = discordProblem(message);
            if (problem.isPresent()) {
                return FakeReply.json(400, Json.write(Json.object()
                        .put("message", "Invalid Form Body").put("code", 50035).put("errors", problem.get())));
            }
            if (request.queryParameter("wait").map("true"::equalsIgnoreCase).orElse(false)) {
                String id = Long.toString(SNOWFLAKES.incrementAndGet());
                return FakeReply.json(200, Json.write(Json.object().put("id", id).put("type", 0)
                        .put("channel_id", "1100000000000000000").put("content", content)
                        .set("embeds", embeds.isArray() ? embeds : Json.array())));
            }
            return FakeReply.status(204);
        };
    }

    /** The first Discord limit {@code message} breaks, if any (exposed for formatter tests). */
    public static Optional<String> discordProblem(JsonNode message) {
        if (length(message.path("content")) > 2000) {
            return Optional.of("content: Must be 2000 or fewer in length.");
        }
        JsonNode embeds = message.path("embeds");
        if (embeds.isMissingNode()) {
            return Optional.empty();
        }
        if (!embeds.isArray() || embeds.size() > 10) {
            return Optional.of("embeds: Must be 10 or fewer in length.");
        }
        int total = 0;
        for (int i = 0; i < embeds.size(); i++) {
            JsonNode embed = embeds.get(i);
            String where = "embeds." + i;
            int title = length(embed.path("title"));
            int description = length(embed.path("description"));
            int footer = length(embed.path("footer").path("text"));
            int author = length(embed.path("author").path("name"));
            if (title > 256) {
                return Optional.of(where + ".title: Must be 256 or fewer in length.");
            }
            if (description > 4096) {
                return Optional.of(where + ".description: Must be 4096 or fewer in length.");
            }
            if (footer > 2048) {
                return Optional.of(where + ".footer.text: Must be 2048 or fewer in length.");
            }
            if (author > 256) {
                return Optional.of(where + ".author.name: Must be 256 or fewer in length.");
            }
            total += title + description + footer + author;
            JsonNode fields = embed.path("fields");
            if (!fields.isMissingNode()) {
                if (!fields.isArray() || fields.size() > 25) {
                    return Optional.of(where + ".fields: Must be 25 or fewer in length.");
                }
                for (int f = 0; f < fields.size(); f++) {
                    int name = length(fields.get(f).path("name"));
                    int value = length(fields.get(f).path("value"));
                    if (name < 1 || name > 256) {
                        return Optional.of(where + ".fields." + f + ".name: Must be between 1 and 256 in length.");
                    }
                    if (value < 1 || value > 1024) {
                        return Optional.of(where + ".fields." + f + ".value: Must be between 1 and 1024 in length.");
                    }
                    total += name + value;
                }
            }
        }
        if (total > 6000) {
            return Optional.of("embeds: Embed size exceeds maximum size of 6000 (" + total + ")");
        }
        return Optional.empty();
    }

    /**
     * Teams Workflows webhook: 202 for an Adaptive Card in the {@code message} envelope of at most
     * 28 KB; 400 otherwise.
     */
    public static FakeResponder teams() {
        return request -> {
            if (request.body().length > TEAMS_MAX_BYTES) {
                return FakeReply.json(400, "{\"error\":{\"code\":\"MessageSizeExceeded\",\"message\":\"larger than 28 KB\"}}");
            }
            Optional<String> problem = parse(request).map(FakePlatform::teamsProblem).orElse(Optional.of("body is not JSON"));
            return problem.<FakeReply>map(p -> FakeReply.json(400,
                            Json.write(Json.object().set("error", Json.object().put("code", "InvalidRequestContent").put("message", p)))))
                    .orElseGet(() -> FakeReply.status(202));
        };
    }

    /** Why {@code message} is not a Workflows Adaptive Card message, if it is not (exposed for formatter tests). */
    public static Optional<String> teamsProblem(JsonNode message) {
        if (!"message".equals(message.path("type").asText())) {
            return Optional.of("type must be \"message\"");
        }
        JsonNode attachments = message.path("attachments");
        if (!attachments.isArray() || attachments.isEmpty()) {
            return Optional.of("attachments must be a non-empty array");
        }
        for (JsonNode attachment : attachments) {
            if (!"application/vnd.microsoft.card.adaptive".equals(attachment.path("contentType").asText())) {
                return Optional.of("attachment contentType must be application/vnd.microsoft.card.adaptive");
            }
            if (!"AdaptiveCard".equals(attachment.path("content").path("type").asText())) {
                return Optional.of("attachment content.type must be AdaptiveCard");
            }
        }
        return Optional.empty();
    }

    /** Zapier Catch Hook: 200 {@code {"status":"success"}} for flat JSON; 400 for nested objects. */
    public static FakeResponder zapier() {
        return request -> {
            Optional<JsonNode> root = parse(request);
            if (root.isEmpty() || !root.get().isObject()) {
                return FakeReply.json(400, "{\"status\":\"error\",\"message\":\"body must be a JSON object\"}");
            }
            Optional<String> nested = zapierProblem(root.get());
            if (nested.isPresent()) {
                return FakeReply.json(400, Json.write(Json.object().put("status", "error").put("message", nested.get())));
            }
            String id = Long.toString(SNOWFLAKES.incrementAndGet());
            return FakeReply.json(200, Json.write(Json.object().put("attempt", id).put("id", id)
                    .put("request_id", id).put("status", "success")));
        };
    }

    /** The first key whose value is not flat (an object, or an array holding objects), if any. */
    public static Optional<String> zapierProblem(JsonNode object) {
        var names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode value = object.get(name);
            if (value.isObject()) {
                return Optional.of(name + " is an object; send flattened keys");
            }
            if (value.isArray()) {
                for (JsonNode item : value) {
                    if (item.isContainerNode()) {
                        return Optional.of(name + " holds objects or arrays; send flattened keys");
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<JsonNode> parse(RecordedRequest request) {
        try {
            JsonNode node = Json.parse(request.bodyText());
            return Optional.ofNullable(node).filter(n -> !n.isMissingNode());
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static int length(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return 0;
        }
        String text = node.asText();
        return text.codePointCount(0, text.length());
    }
}
