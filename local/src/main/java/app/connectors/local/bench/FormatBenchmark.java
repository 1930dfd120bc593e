package app.connectors.local.bench;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.format.Formatters;
import app.connectors.format.PayloadFormatter;
import app.connectors.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Format + serialize one event per formatter: the per-delivery CPU cost on the hot path (the
 * target is at least 100,000 events/s per core). The event is the catalog's
 * {@code promise.status_changed} example ({@code event=catalog}), or the same with ten numbers of
 * every published form added to its data ({@code event=numbers}: exponents, a 30-digit decimal, a
 * big integer), parsed once, so parsing is not measured here.
 *
 * <pre>{@code
 * java -cp local/target/connectors-local.jar org.openjdk.jmh.Main FormatBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * java -cp local/target/connectors-local.jar org.openjdk.jmh.Main FormatBenchmark -p event=numbers -f 1 -wi 2 -i 3 -w 1s -r 1s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FormatBenchmark {

    @Param({"slack", "discord", "teams", "zapier", "generic", "data"})
    public String format;

    @Param({"catalog", "numbers"})
    public String event;

    /** Ten numbers in the forms publishers send, appended to the example's data. */
    private static final String NUMBERS = ",\"million\":1e6,\"tenthOfMicro\":1E-7,\"tenth\":0.1,\"price\":1.10,"
            + "\"negativeZero\":-0.0,\"bigInteger\":12345678901234567890123,\"bigDecimal\":12345678901234567890.123456789,"
            + "\"three\":3,\"negative\":-42,\"amounts\":[19.99,5.5e2,0.000125]";

    private PayloadFormatter formatter;
    private Event parsed;

    @Setup
    public void setUp() throws InvalidEventException {
        formatter = Formatters.find(format).orElseThrow(() -> new IllegalArgumentException("no formatter " + format));
        parsed = EventParser.standard().parse(envelope(event));
    }

    /** The published text of the benchmark's event: {@code catalog} or {@code numbers}. */
    static String envelope(String event) {
        ObjectNode envelope = EventCatalog.standard().find("promise.status_changed").orElseThrow().example().deepCopy();
        String body = Json.write(envelope);
        if ("catalog".equals(event)) {
            return body;
        }
        if (!"numbers".equals(event)) {
            throw new IllegalArgumentException("no event " + event);
        }
        // Spliced in as text: a tree would hold them as Java numbers, already written again.
        String data = Json.write(envelope.get("data"));
        String withNumbers = body.replace(data, data.substring(0, data.length() - 1) + NUMBERS + "}");
        if (withNumbers.equals(body)) {
            throw new IllegalStateException("the example's data is not in its envelope's text");
        }
        return withNumbers;
    }

    /** Returning the bytes lets JMH consume them, so the work cannot be optimised away. */
    @Benchmark
    public byte[] formatAndSerialize() {
        return Json.writeBytes(formatter.format(parsed));
    }
}
