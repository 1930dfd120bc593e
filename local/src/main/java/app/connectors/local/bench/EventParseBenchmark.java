package app.connectors.local.bench;

import app.connectors.event.Event;
import app.connectors.event.EventCatalog;
import app.connectors.event.EventParser;
import app.connectors.event.InvalidEventException;
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
 * Accepting one published event ({@link EventParser#parse}: size check, tree, validation), once per
 * event in the dispatcher and once per queued job in the deliverer. The events are those of
 * {@link FormatBenchmark}: the catalog's {@code promise.status_changed} example, and the same with
 * ten numbers of every published form in its data.
 *
 * <pre>{@code
 * java -cp local/target/connectors-local.jar org.openjdk.jmh.Main EventParseBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventParseBenchmark {

    @Param({"catalog", "numbers"})
    public String event;

    private String body;

    @Setup
    public void setUp() {
        body = FormatBenchmark.envelope(event);
    }

    @Benchmark
    public Event parse() throws InvalidEventException {
        return EventParser.standard().parse(body);
    }
}
