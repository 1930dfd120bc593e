package app.connectors.trace;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An X-Ray trace header, {@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1}:
 * the trace a piece of work belongs to, the segment or subsegment it continues from, and whether
 * the trace is recorded. Lambda hands one to each invocation; an SQS message carries one in its
 * {@code AWSTraceHeader} system attribute; an AWS request carries one in {@code X-Amzn-Trace-Id}.
 *
 * <pre>{@code
 * TraceHeader header = TraceHeader.parse(message.getAttributes().get("AWSTraceHeader")).orElse(null);
 * String next = header.withParent(span.id()).format();
 * }</pre>
 */
public record TraceHeader(String root, String parent, boolean sampled) {

    private static final Pattern ROOT = Pattern.compile("1-[0-9a-f]{8}-[0-9a-f]{24}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The header's fields in any order; empty when there is no well-formed root (parent may be absent). */
    public static Optional<TraceHeader> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String root = null;
        String parent = null;
        boolean sampled = false;
        for (String part : text.split(";")) {
            String field = part.strip();
            if (field.startsWith("Root=")) {
                root = field.substring(5);
            } else if (field.startsWith("Parent=")) {
                parent = field.substring(7);
            } else if (field.startsWith("Sampled=")) {
                sampled = field.substring(8).equals("1");
            }
        }
        if (root == null || !ROOT.matcher(root).matches() || (parent != null && !ID.matcher(parent).matches())) {
            return Optional.empty();
        }
        return Optional.of(new TraceHeader(root, parent, sampled));
    }

    /** A new, sampled trace whose first segment has the id {@code parent} (what Lambda makes per invocation). */
    public static TraceHeader newTrace(long epochSecond, String parent) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return new TraceHeader("1-" + String.format("%08x", epochSecond) + "-" + HexFormat.of().formatHex(random), parent, true);
    }

    /** A new segment or subsegment id: 16 hex digits. */
    public static String newId() {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    public TraceHeader withParent(String id) {
        return new TraceHeader(root, id, sampled);
    }

    public String format() {
        return "Root=" + root + (parent == null ? "" : ";Parent=" + parent) + ";Sampled=" + (sampled ? "1" : "0");
    }
}
