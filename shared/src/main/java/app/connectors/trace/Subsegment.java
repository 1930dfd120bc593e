package app.connectors.trace;

import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * One X-Ray subsegment in the making, sent on its own to the daemon when it {@link #end ends}: the
 * documented independent-subsegment form ({@code "type": "subsegment"} with {@code trace_id} and
 * {@code parent_id}). Callers add only what is safe to show: the AWS operation and resource, or a
 * destination's host and its HTTP status; never a URL path, query, header or body, which may hold
 * credentials. {@link #NONE} records nothing and costs nothing.
 *
 * <pre>{@code
 * Subsegment call = tracer.begin("DynamoDB", Subsegment.Namespace.AWS).aws("operation", "GetItem");
 * call.status(200).end();
 * }</pre>
 */
public final class Subsegment {

    /** {@code aws} for AWS SDK calls, {@code remote} for other downstream calls. */
    public enum Namespace {
        AWS("aws"), REMOTE("remote");

        private final String value;

        Namespace(String value) {
            this.value = value;
        }
    }

    /** Records nothing: what {@link Tracer#begin} answers when the work is not traced. */
    public static final Subsegment NONE = new Subsegment();

    /** X-Ray's rule for annotation keys. */
    private static final Pattern ANNOTATION_KEY = Pattern.compile("[A-Za-z0-9_]{1,100}");
    private static final int MAX_ANNOTATION_CHARS = 256;

    private final XRayDaemon daemon;
    private final Clock clock;
    private final TraceHeader header;
    private final ObjectNode document;
    private final AtomicBoolean ended = new AtomicBoolean();

    private Subsegment() {
        this.daemon = null;
        this.clock = null;
        this.header = null;
        this.document = null;
    }

    Subsegment(XRayDaemon daemon, Clock clock, TraceHeader parent, String name, Namespace namespace,
               Map<String, String> annotations) {
        this.daemon = daemon;
        this.clock = clock;
        String id = TraceHeader.newId();
        this.header = parent.withParent(id);
        this.document = Json.object()
                .put("type", "subsegment")
                .put("id", id)
                .put("trace_id", parent.root())
                .put("parent_id", parent.parent())
                .put("name", name)
                .put("namespace", namespace.value)
                .put("start_time", seconds(clock.instant()));
        annotations.forEach(this::annotate);
    }

    /** True when this subsegment is recorded. */
    public boolean recorded() {
        return document != null;
    }

    /** The header that continues the trace below this subsegment (for {@code X-Amzn-Trace-Id}); null for NONE. */
    public String downstreamHeader() {
        return header == null ? null : header.format();
    }

    /** An {@code aws} field (operation, region, request_id, table_name, queue_url, retries). */
    public Subsegment aws(String field, Object value) {
        if (document != null && value != null) {
            document.withObject("/aws").putPOJO(field, value);
        }
        return this;
    }

    /** The request's method ({@code http.request.method}); the URL is never recorded. */
    public Subsegment method(String method) {
        if (document != null && method != null) {
            document.withObject("/http/request").put("method", method);
        }
        return this;
    }

    /**
     * The HTTP status of the answer, with X-Ray's flags: {@code throttle} and {@code error} for 429,
     * {@code error} for another 4xx, {@code fault} for 5xx.
     */
    public Subsegment status(int status) {
        if (document != null) {
            document.withObject("/http/response").put("status", status);
            if (status == 429) {
                document.put("throttle", true).put("error", true);
            } else if (status >= 400 && status < 500) {
                document.put("error", true);
            } else if (status >= 500) {
                document.put("fault", true);
            }
        }
        return this;
    }

    /** The SDK said the service throttled the call (some services throttle with a 400). */
    public Subsegment throttled() {
        if (document != null) {
            document.put("throttle", true).put("error", true);
        }
        return this;
    }

    /**
     * The call failed: its cause is the failure's kind (a service's error code, marked {@code remote},
     * or the client-side failure). A fault, unless its answer already made it an error or a throttle
     * (a 4xx). Only the kind is recorded: messages may quote the request.
     */
    public Subsegment failed(String kind, boolean remote) {
        if (document != null) {
            if (!document.path("error").asBoolean() && !document.path("throttle").asBoolean()) {
                document.put("fault", true);
            }
            ObjectNode exception = document.withObject("/cause").withArray("exceptions").addObject()
                    .put("id", TraceHeader.newId())
                    .put("type", kind);
            if (remote) {
                exception.put("remote", true);
            }
        }
        return this;
    }

    /** An annotation (indexed by X-Ray, usable in filter expressions); keys X-Ray does not accept are left out. */
    public Subsegment annotate(String key, String value) {
        if (document != null && value != null && ANNOTATION_KEY.matcher(key).matches()) {
            document.withObject("/annotations").put(key,
                    value.length() > MAX_ANNOTATION_CHARS ? value.substring(0, MAX_ANNOTATION_CHARS) : value);
        }
        return this;
    }

    /** Ends now and sends the document (once; later calls do nothing). */
    public void end() {
        if (document != null && ended.compareAndSet(false, true)) {
            document.put("end_time", seconds(clock.instant()));
            daemon.send(Json.writeBytes(document));
        }
    }

    /** Epoch seconds with microseconds, as X-Ray takes them. */
    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + (instant.getNano() / 1000) / 1_000_000.0;
    }
}
