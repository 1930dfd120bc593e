package app.connectors.local.bench;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
import app.connectors.format.Formatters;
import app.connectors.format.PayloadFormatter;
import app.connectors.json.Json;
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
 * {@code promise.status_changed} example, parsed once, so parsing is not measured here.
 *
 * <pre>{@code
 * java -cp local/target/connectors-local.jar org.openjdk.jmh.Main FormatBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FormatBenchmark {

    @Param({"slack", "discord", "teams", "zapier", "generic", "data"})
    public String format;

    private PayloadFormatter formatter;
    private Event event;

    @Setup
    public void setUp() throws InvalidEventException {
        formatter = Formatters.find(format).orElseThrow(() -> new IllegalArgumentException("no formatter " + format));
        String body = Json.write(EventCatalog.standard().find("promise.status_changed").orElseThrow().example());
        event = EventParser.standard().parse(body);
    }

    /** Returning the bytes lets JMH consume them, so the work cannot be optimised away. */
    @Benchmark
    public byte[] formatAndSerialize() {
        return Json.writeBytes(formatter.format(event));
    }
}
